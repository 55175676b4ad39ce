"""Date library details: publication parsing, shifting, resolution rules, bad input."""

from __future__ import annotations

from datetime import date

import pytest

from newsloom.dates import extract
from newsloom.dates.extract import find_dates, parse_published, shift


@pytest.mark.parametrize(("published", "day"), [
    ("2021-03-10", date(2021, 3, 10)),
    ("2021-03-10T13:02:00+07:00", date(2021, 3, 10)),
    ("2021-03-10 08:00", date(2021, 3, 10)),
    ("٢٠٢١-٠٣-١٠", date(2021, 3, 10)),
    ("March 2021", None), ("", None), (None, None), ("2021-13-45", None),
])
def test_parse_published(published, day):
    assert parse_published(published) == day


@pytest.mark.parametrize(("unit", "off", "value"), [
    ("day", -1, "2021-02-28"), ("week", -1, "2021-W08"), ("month", -3, "2020-12"), ("month", 10, "2022-01"),
    ("year", 0, "2021"), ("fortnight", 1, None),
])
def test_shift(unit, off, value):
    assert shift(date(2021, 3, 1), unit, off) == value


def test_published_may_be_a_date_or_datetime():
    from datetime import datetime

    assert [d.value for d in find_dates("on Tuesday", "en", date(2021, 3, 10))] == ["2021-03-09"]
    assert [d.value for d in find_dates("on Tuesday", "en", datetime(2021, 3, 10, 9))] == ["2021-03-09"]


def test_weekday_on_publication_day_is_that_day():
    assert [d.value for d in find_dates("said on Wednesday", "en", "2021-03-10")] == ["2021-03-10"]


def test_leap_day_without_year_is_valid():
    assert [d.value for d in find_dates("on 29 February", "en", None)] == ["--02-29"]


def test_language_without_dates_file_uses_dateparser_month_names():
    text = "le 9 mars 2021 et en avril 2020"
    got = [(text[d.start:d.end], d.value) for d in find_dates(text, "fr", "2021-03-10")]
    assert got == [("9 mars 2021", "2021-03-09"), ("avril 2020", "2020-04")]


def test_unknown_language_keeps_numeric_dates():
    text = "xyz 2021-03-09 abc"
    assert [d.value for d in find_dates(text, "zz", None)] == ["2021-03-09"]


def test_dates_that_need_publication_are_found_without_a_value():
    """Without a publication date "kemarin" is still a date (value None); find_dates leaves it out."""
    found = extract.finder("id").find("kemarin dan 9 Maret 2021", None)
    assert [(d.start, d.end, d.value) for d in found] == [(0, 7, None), (12, 24, "2021-03-09")]
    assert [d.value for d in find_dates("kemarin dan 9 Maret 2021", "id")] == ["2021-03-09"]


# ---------------------------------------------------------------- bad input

def test_long_sentence_is_linear():
    """Work (tokens visited) grows linearly with the sentence: 2x text, ~2x steps, never more."""
    unit = "On Tuesday 12 people met on 9 March 2021 in Jakarta and x-y ١٢ زz "
    f = extract.finder("en")
    f.steps = 0
    f.find(unit * 700, date(2021, 3, 10))
    small = f.steps
    f.steps = 0
    found = f.find(unit * 1400, date(2021, 3, 10))
    assert f.steps <= 2 * small + 10
    assert len(unit * 1400) > 90_000 and len(found) == 2 * 1400


def test_hundred_thousand_chars_without_spaces_or_dates():
    text = "ab1" * 34_000
    assert find_dates(text, "en", "2021-03-10") == []


@pytest.mark.parametrize("text", [
    "Selasa٩/٣", "١٢ مارسMarch", "March٢٠٢١", "９ March 2021", "\u200f9 مارس 2021\u200e", "٩\u0660\u06f0", "\x00\x01",
    "Tuesday" * 5000, "9/3/" * 3000,
])
def test_odd_scripts_do_not_crash(text):
    for d in find_dates(text, "ar", "2021-03-10") + find_dates(text, "en", None):
        assert 0 <= d.start < d.end <= len(text)


def test_unusual_digit_scripts_are_dates():
    text = "on ９ March ２０２１ and ৯ March ২০২১"
    assert [d.value for d in find_dates(text, "en", None)] == ["2021-03-09", "2021-03-09"]
