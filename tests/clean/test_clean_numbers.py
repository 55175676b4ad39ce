"""Digit formats, digit scripts and number words (newsloom.clean.numbers)."""

from __future__ import annotations

import pytest

from newsloom.clean.numbers import parse_digits, parse_number, to_ascii_digits


@pytest.mark.parametrize(("text", "dec", "value"), [
    ("12.500", ",", 12500.0),      # Indonesian thousands dot
    ("12,500", ".", 12500.0),      # English thousands comma
    ("12,000", ",", 12000.0),      # ",000" is never a decimal
    ("2,5", ",", 2.5),
    ("2.5", ".", 2.5),
    ("1,250", ",", 1.25),          # the language decides a 3-digit group
    ("1,250", ".", 1250.0),
    ("1.250", ".", 1.25),
    ("1.250", ",", 1250.0),
    ("1.200.000", ",", 1200000.0),
    ("1,200,000", ".", 1200000.0),
    ("1.234,5", ",", 1234.5),
    ("1,234.5", ".", 1234.5),
    ("12\u00a0500", ".", 12500.0),
    ("12\u202f500", ",", 12500.0),
    ("12 500", ",", 12500.0),
    ("1'000", ".", 1000.0),
    ("١٢٥٠٠", ".", 12500.0),
    ("١٢٬٥٠٠", ".", 12500.0),
    ("٣٫٥", ".", 3.5),
    ("۱۲۵", ".", 125.0),           # Persian digits
    ("१२३", ".", 123.0),           # Devanagari digits
    ("１２", ".", 12.0),            # fullwidth digits
    ("0,5", ",", 0.5),
    ("12345.678", ".", 12345.678),
])
def test_parse_digits(text, dec, value):
    assert parse_digits(text, dec) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "1.2.3,4.5", "12,50,0", "1,2,3", ",5", "5,", "abc", "1.2,3,4"])
def test_parse_digits_rejects_bad_shapes(text):
    assert parse_digits(text, ".") is None


def test_to_ascii_digits_keeps_other_characters():
    assert to_ascii_digits("a١b٢") == "a1b2"


@pytest.mark.parametrize(("text", "lang", "value"), [
    ("two thousand", "en", 2000), ("two thousand five hundred", "en", 2500), ("twenty-five", "en", 25),
    ("a million", "en", 1e6), ("twelve hundred", "en", 1200), ("1.5 billion", "en", 1.5e9),
    ("two hundred and fifty", "en", 250),
    ("dua ribu", "id", 2000), ("dua belas", "id", 12), ("seratus dua puluh", "id", 120),
    ("dua ratus lima puluh ribu", "id", 250000), ("1,2 juta", "id", 1.2e6), ("seribu", "id", 1000),
    ("ألفين", "ar", 2000), ("ثلاثة آلاف", "ar", 3000), ("خمسة وعشرون", "ar", 25), ("600 ألف", "ar", 600000),
    ("ألف وخمسمائة", "ar", 1500), ("مليون", "ar", 1e6), ("ثلاث مئة", "ar", 300),
    ("tres mil", "es", 3000), ("mil millones", "es", 1e9), ("quatre-vingts", "fr", 80),
    ("12 500", "fr", 12500), ("two three", "en", None), ("hello", "en", None),
])
def test_parse_number(text, lang, value):
    got = parse_number(text, lang)
    assert (got is None) if value is None else got == pytest.approx(value)
