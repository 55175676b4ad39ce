"""Find date expressions and normalise them to ISO 8601 at the precision the text supports.

Values: ``2021`` (a year), ``2021-03`` (a month), ``2021-03-09`` (a day), ``2021-W09`` (an ISO
week: "last week", "pekan lalu"), and ``--03-09`` / ``--03`` when the year is unknown. A day is
never invented: "March 2021" is ``2021-03``.

The grammar runs over tokens (``clean.tokens``, the tokenizer quantities use too) with the words of
``resources/lang/<iso>/dates.yaml``: month and weekday names, the context words that may stand
before a weekday, month or year, relative phrases and "ago" words. Languages without a
``dates.yaml`` take month and weekday names from dateparser's locale data (full names only),
so absolute dates work in every language dateparser knows.

Spans cover the date words only: context words before them ("on", "pada hari", "يوم", "in",
"tahun", "عام") are not part of the span; an ordinal suffix, a "(9/3)" after a weekday and a
"مارس/آذار" pair are. Relative phrases ("last month", "dua hari lalu", "منذ يومين") are spans
as a whole.

Resolution against the publication date (``published``), with the direction words and tense
cues of ``dates.yaml`` (``last_words``/``last_after``: "last", "lalu", "الماضي", "dernier";
``next_words``/``next_after``: "next", "depan", "القادم", "prochain"; ``this_words``; and the
``future_words``/``past_words``/``past_suffixes`` looked for in the same sentence, nearest first):

- weekdays ("Tuesday", "pada hari Selasa", "يوم الثلاثاء"): "last"/"lalu"/"الماضي" -> the latest such
  day before publication; "next"/"depan"/"القادم" -> the first one after it; "this" -> the one in
  publication's week; otherwise the latest such day on or before publication, or with a future
  cue ("will", "akan", "سوف") the first on or after it. "Selasa (9/3)" takes the day and month
  written in brackets;
- a month alone after a context word or a direction word ("in May", "bulan Mei", "last May",
  "Maret lalu", "مارس الماضي"): "last" -> the latest such month before publication's month
  ("last May" on 10 March 2021 is 2020-05, "Maret lalu" in March 2021 is 2020-03), "next" -> the
  first after it, "this" -> publication's year; otherwise a past cue takes the latest on or before
  publication's month, a future cue the first on or after it, and without a cue the past one if it
  lies at most ``MONTH_PAST_WINDOW`` months back, else the coming one (a story of 10 March 2021
  that says "in May" without a tense means 2021-05; one of 7 September that says "in January"
  means the January before);
- a day and month without a year ("15 January", "9/3") take the year that puts the date nearest to
  publication (a story published on 10 January 2021 that says "20 December" means 2020-12-20);
  a weekday beside it ("Kamis (18/2)") keeps only years where that day is that weekday; direction
  words and, within ``DAY_CUE_REACH`` days, tense cues pick the side as for months;
- relative phrases ("yesterday", "kemarin", "أمس", "last month", "end of this year",
  "two days ago") count from publication; "N weeks ago" is a day, 7N days back;
- a month followed by a year relative to publication ("January of this year", "April of last year",
  "Mei tahun lalu") takes that year; a range whose second date gives a year lends it to the first
  ("between September and October of 2007": the year before when the first month comes later);
- a month or day without a year in a sentence that already named a year takes that year
  ("In 2019 exports fell in March" is 2019-03);
- anaphora ("the same day", "the following year", "hari itu", "اليوم التالي", "two years later")
  count from the last date the text mentioned at a fitting precision, else from publication.

Without a publication date, absolute dates are kept, and a day and month without a year takes its
year from the text: the year, among those written in the text (and the years beside them), nearest
to it in which the date falls on the weekday written beside it ("Kamis (18/2)" in a text that also
says 2021 is 2021-02-18); without a weekday, the nearest full date of the text anchors it as a
publication date would. Otherwise it stays ``--02-18``. Expressions that need an anchor
(weekdays, relative phrases, a month alone) are skipped.

Years: a 4-digit number is a year after a year context word ("in 2010", "tahun 2014", "عام 2014"),
after a range word that follows a date ("from 2009 to 2011", "between April and June"), or
between a determiner and a noun that is not a counted noun ("the 1998 agreement", not "the 2021
soldiers").

Not dates: a bare number, a clock time, "may" as a verb (English month names must be
capitalised), a 4-digit number without a year context word, a month name alone without a
context word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from newsloom.clean.numbers import number_words, to_ascii_digits
from newsloom.clean.tokens import Phrases, Token, norm, tokenize
from newsloom.resources import lang_resource, raw_file

_DMY_DOTS = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")

# Resolution constants, chosen on the dev split of benchmarks/dates.py (MEANTIME English):
MONTH_PAST_WINDOW = 8  # a bare month without tense cue is the past one when at most this many months back
DAY_CUE_REACH = 240  # a tense cue moves a day/month date to its side only when that side is this close (days)
CUE_BEFORE = 8  # tokens looked at before a date for a tense cue (same sentence)
CUE_AFTER = 6  # ... and after it
_UNITS_OF = {10: ("day", "week", "month", "year"), 7: ("month", "year"), 4: ("year",), 0: ("week",)}  # by value shape
_SENTENCE_END = {".", "!", "?", "\u061f", ";", "\u061b"}


@dataclass(slots=True, kw_only=True)
class DateFound:
    start: int
    end: int
    value: str | None  # None when it needs a publication date that is missing
    relative: bool = False
    year_guessed: bool = False  # a month or day whose year the text does not give (picked from publication)


def parse_published(published: str | None) -> date | None:
    """The publication day from an ISO date or datetime string, or None."""
    if not published:
        return None
    s = to_ascii_digits(str(published).strip())
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", s)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _int(tok: Token) -> int | None:
    t = to_ascii_digits(tok.text)
    return int(t) if t.isdigit() and len(t) <= 8 else None


def _dateparser_names(lang: str) -> dict[str, Any]:
    """Month and weekday names of a language from dateparser's locale data (full names only)."""
    try:
        from dateparser.languages.loader import default_loader

        info = default_loader.get_locale(lang).info
    except Exception:  # noqa: BLE001 - dateparser raises many error types for unknown codes: no names
        return {}
    months_en = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                 "october", "november", "december"]
    days_en = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    def full(names: list[str]) -> list[str]:
        names = [n for n in names if "." not in n]
        longest = max((len(n) for n in names), default=0)
        return [n for n in names if len(n) >= 4 and len(n) >= longest - 2]

    return {
        "months": {i + 1: full(info.get(m, [])) for i, m in enumerate(months_en)},
        "weekdays": {i: full(info.get(d, [])) for i, d in enumerate(days_en)},
        "ambiguous_weekdays": [n for d in days_en for n in full(info.get(d, []))],
    }


def _by_value(table: dict[str, str] | None) -> dict[str, list[str]]:
    """{word: unit} -> {unit: [words]}."""
    out: dict[str, list[str]] = {}
    for word, unit in (table or {}).items():
        out.setdefault(str(unit), []).append(str(word))
    return out


@dataclass(slots=True)
class _Context:
    """Per-call state of one ``find``: sentence numbers of the tokens, where the last date ended."""

    sentence: list[int]
    last_end: int = -10  # index of the token after the previous date found
    focus: tuple[int, int] | None = None  # (sentence, year) of the last date of the text with a year
    refs: dict[str, str] = field(default_factory=dict)  # unit -> the last value of the text precise enough for
    # counting in that unit: the reference time of anaphora ("the same day", "a year earlier")


class DateFinder:
    """All of one language's date words, compiled once."""

    def __init__(self, lang: str | None) -> None:
        d = dict(lang_resource(lang, "dates"))
        if lang and not (raw_file(lang, "dates") or {}).get("months"):
            for key, value in _dateparser_names(lang).items():
                d.setdefault(key, value)
        qd = lang_resource(lang, "quantities")
        clitics = qd.get("clitics", [])
        self.lang = lang
        self.months = Phrases({int(k): v for k, v in (d.get("months") or {}).items()}, clitics)
        self.month_cs = bool(d.get("month_case_sensitive", False))
        self.weekdays = Phrases({int(k): v for k, v in (d.get("weekdays") or {}).items()}, clitics)
        self.weekday_cs = bool(d.get("weekday_case_sensitive", False))
        self.ambiguous = {t.norm for w in d.get("ambiguous_weekdays", []) for t in tokenize(w)}
        self.weekday_prefixes = Phrases(d.get("weekday_prefixes", []), clitics)
        self.day_suffixes = {w.casefold() for w in d.get("day_suffixes", [])}
        self.connectors = Phrases(d.get("day_month_connectors", []))
        self.year_prefixes = Phrases(d.get("year_prefixes", []), clitics)
        self.month_prefixes = Phrases(d.get("month_prefixes", []), clitics)
        self.order = d.get("numeric_order", "dmy")
        by_spec: dict[str, list[str]] = {}
        for phrase, spec in (d.get("relative") or {}).items():
            by_spec.setdefault(str(spec), []).append(str(phrase))
        self.relative = Phrases(by_spec, clitics)
        self.ago_before = Phrases(d.get("ago_before", []), clitics)
        by_spec = {}
        for phrase, spec in (d.get("anaphoric") or {}).items():
            by_spec.setdefault(str(spec), []).append(str(phrase))
        self.anaphoric = Phrases(by_spec, clitics)
        self.earlier_after = Phrases(d.get("earlier_after", []), clitics)
        self.later_after = Phrases(d.get("later_after", []), clitics)
        self.ago_after = Phrases(d.get("ago_after", []), clitics)
        self.units = Phrases(d.get("units") or {}, clitics)
        self.dual_units = Phrases(_by_value(d.get("dual_units")), clitics)
        self.single_units = Phrases(_by_value(d.get("single_units")), clitics)
        self.indefinite = {norm(w) for w in qd.get("indefinite", [])}
        self.words = number_words(lang)
        self.clitics = [c for c in clitics]
        # direction words (outside the span) and tense cues (anywhere near in the sentence)
        self.last_before = Phrases(d.get("last_words", []), clitics)
        self.last_after = Phrases(d.get("last_after", []), clitics)
        self.next_before = Phrases(d.get("next_words", []), clitics)
        self.next_after = Phrases(d.get("next_after", []), clitics)
        self.this_before = Phrases(d.get("this_words", []), clitics)
        self.this_after = Phrases(d.get("this_after", []), clitics)
        self.cues = Phrases({1: d.get("future_words", []), -1: d.get("past_words", [])}, clitics)
        self.past_suffixes = tuple(w.casefold() for w in d.get("past_suffixes", []))
        self.past_suffix_exceptions = tuple(w.casefold() for w in d.get("past_suffix_exceptions", []))
        self.passive_auxiliaries = {norm(w) for w in d.get("passive_auxiliaries", [])}
        self.range_words = Phrases(d.get("range_words", []), clitics)
        self.year_determiners = Phrases(d.get("year_determiners", []))
        self.month_year_connectors = Phrases(d.get("month_year_connectors", []))
        self.possessives = tuple(d.get("possessive_suffixes", []))
        self.counted = {t.norm for ws in (qd.get("units") or {}).values() for w in ws for t in tokenize(str(w))[:1]}
        self.known = {
            key[0] for ph in (self.months, self.weekdays, self.relative, self.ago_before, self.units)
            for key in ph.exact
        }
        self.steps = 0

    # ------------------------------------------------------------------ pieces
    def _month(self, toks: list[Token], i: int) -> tuple[int, int] | None:
        """(month, tokens used) for a month name at i, with "Sept." and "مارس/آذار" forms."""
        if i >= len(toks) or toks[i].type != "word":
            return None
        hit = self.months.match(toks, i)
        if hit is None:
            return None
        if self.month_cs and not toks[i].text[:1].isupper():
            return None
        month, k = hit
        j = i + k
        if (j + 1 < len(toks) and toks[j].text == "." and toks[j].start == toks[j - 1].end
                and toks[j + 1].type == "num"):
            j += 1  # "Sept. 9"
        if j + 1 < len(toks) and toks[j].text == "/" and self.months.match(toks, j + 1):
            other, k2 = self.months.match(toks, j + 1)
            if other == month:
                j += 1 + k2
        return month, j - i

    def _weekday(self, toks: list[Token], i: int) -> tuple[int, int] | None:
        if i >= len(toks) or toks[i].type != "word":
            return None
        hit = self.weekdays.match(toks, i)
        if hit is None:
            return None
        if self.weekday_cs and not toks[i].text[:1].isupper():
            return None
        return hit

    def _day(self, toks: list[Token], i: int) -> tuple[int, int] | None:
        """(day, tokens used) for a day number at i, with its ordinal suffix ("9th", "1er")."""
        if i >= len(toks) or toks[i].type != "num":
            return None
        day = _int(toks[i])
        if day is None or not 1 <= day <= 31 or len(toks[i].text) > 2:
            return None
        j = i + 1
        if j < len(toks) and toks[j].start == toks[i].end and toks[j].type == "word":
            if toks[j].norm in self.day_suffixes:
                j += 1
            else:
                return None
        return day, j - i

    def _year(self, toks: list[Token], i: int) -> int | None:
        if i >= len(toks) or toks[i].type != "num" or len(toks[i].text) != 4:
            return None
        y = _int(toks[i])
        if y is None or not 1000 <= y <= 2999:
            return None
        if i + 1 < len(toks) and toks[i + 1].start == toks[i].end and toks[i + 1].type in ("word", "num"):
            return None
        return y

    def _skip_comma(self, toks: list[Token], j: int) -> int:
        return j + 1 if j < len(toks) and toks[j].text in ",\u060c" else j

    def _numeric(self, toks: list[Token], i: int) -> tuple[tuple[int | None, int, int], int] | None:
        """((year or None, month, day), tokens used) for 9/3/2021, 2021-03-09, 9.3.2021, (9/3)."""
        t = toks[i]
        if t.type != "num":
            return None
        m = _DMY_DOTS.match(to_ascii_digits(t.text))
        if m:
            return (int(m.group(3)), int(m.group(2)), int(m.group(1))), 1
        # glued runs: a sep b sep c
        parts = [t]
        j = i + 1
        seps = []
        while j + 1 < len(toks) and len(parts) < 3 and toks[j].text in "/-" and toks[j].start == toks[j - 1].end \
                and toks[j + 1].start == toks[j].end and toks[j + 1].type == "num":
            seps.append(toks[j].text)
            parts.append(toks[j + 1])
            j += 2
        if len(parts) < 2 or len(set(seps)) != 1:
            return None
        nums = [_int(p) for p in parts]
        if any(x is None for x in nums):
            return None
        if len(parts) == 3:
            a, b, c = nums
            if len(parts[0].text) == 4 and seps[0] == "-":
                return (a, b, c), j - i  # ISO
            if len(parts[2].text) != 4:
                return None
            if self.order == "mdy" and a <= 12 and b <= 31:
                return (c, a, b), j - i
            return (c, b, a), j - i
        # day/month without a year: only in brackets or right after a weekday (caller decides)
        if seps[0] != "/" or any(len(p.text) > 2 for p in parts):
            return None
        a, b = nums
        if self.order == "mdy" and a <= 12:
            return (None, a, b), j - i
        return (None, b, a), j - i

    # ------------------------------------------------------------------ grammar
    def _year_after_month(self, toks: list[Token], k: int,
                          pub: date | None = None) -> tuple[int, int, bool] | None:
        """(year, index after it, whether it is relative to publication) for the year after a month: "March 2021", "9 March, 2021", "marzo de 2021",
        "October of 2007"; with a publication date also a relative year: "April of last year", "March
        next year", "January of this year"."""
        kk = self._skip_comma(toks, k)
        con = self.month_year_connectors.match(toks, kk)
        after = kk + con[1] if con is not None else kk
        year = self._year(toks, after)
        if year is not None:
            return year, after + 1, False
        if pub is not None and after < len(toks):
            rel = self.relative.match(toks, after)
            if rel is not None:
                unit, off = str(rel[0]).split(":")
                if unit == "year":
                    return pub.year + int(off), after + rel[1], True
        return None

    def _absolute(self, toks: list[Token], i: int,
                  pub: date | None = None) -> tuple[tuple[int | None, int, int | None], int, int | None, bool] | None:
        """((year, month, day), tokens used, weekday written with it or None, whether the year is relative to
        publication: "April of last year") for an absolute date at i."""
        wd = self._weekday(toks, i)
        wday = int(wd[0]) if wd is not None else None
        j = i
        if wd is not None:
            j = self._skip_comma(toks, i + wd[1])
        # weekday (9/3) or weekday, 9/3/2021
        if wd is not None:
            k = j
            bracket = k < len(toks) and toks[k].text == "("
            if bracket:
                k += 1
            if k < len(toks):
                num = self._numeric(toks, k)
                if num is not None:
                    end = k + num[1]
                    if bracket:
                        if end < len(toks) and toks[end].text == ")":
                            end += 1
                        else:
                            num = None
                    if num is not None:
                        return num[0], end - i, wday, False
        # day month [year]
        day = self._day(toks, j)
        if day is not None:
            k = j + day[1]
            con = self.connectors.match(toks, k)
            if con is not None:
                k += con[1]
            mon = self._month(toks, k)
            if mon is not None:
                k += mon[1]
                year = self._year_after_month(toks, k, pub)
                if year is not None:
                    return (year[0], mon[0], day[0]), year[1] - i, wday, year[2]
                return (None, mon[0], day[0]), k - i, wday, False
        # month day[, year] / month year
        mon = self._month(toks, j)
        if mon is not None:
            k = j + mon[1]
            day = self._day(toks, k)
            if day is not None and not (k + day[1] < len(toks) and toks[k + day[1]].text in ":."
                                        and k + day[1] + 1 < len(toks) and toks[k + day[1] + 1].type == "num"):
                year = self._year_after_month(toks, k + day[1], pub)
                if year is not None:
                    return (year[0], mon[0], day[0]), year[1] - i, wday, year[2]
                return (None, mon[0], day[0]), k + day[1] - i, wday, False
            year = self._year_after_month(toks, k, pub)
            if year is not None:
                return (year[0], mon[0], None), year[1] - i, wday, year[2]
        if wd is None:
            num = self._numeric(toks, i)
            if num is not None and num[0][0] is not None:
                return num[0], num[1], None, False
        return None

    def _ago(self, toks: list[Token], i: int) -> tuple[str, int, int] | None:
        """(unit, count, tokens used) for "two days ago", "dua hari lalu", "منذ يومين", "قبل ثلاثة أيام"."""
        j = i
        before = self.ago_before.match(toks, i)
        if before is not None:
            j = i + before[1]
            dual = self.dual_units.match(toks, j) if j < len(toks) else None
            if dual is not None:
                return dual[0], 2, j + dual[1] - i
        one = self.single_units.match(toks, j) if j < len(toks) else None
        if one is not None:  # "setahun lalu", "منذ شهر" is read below
            count, k, unit, end = 1, j, one, j + one[1]
        else:
            count, k = self._count(toks, j)
            if count is None and k < len(toks) and toks[k].norm in self.indefinite:
                count, k = 1, k + 1  # "a week ago"
            if k >= len(toks):
                return None
            unit = self.units.match(toks, k)
            if unit is None:
                return None
            end = k + unit[1]
        if before is not None:
            if count is None and end < len(toks) and toks[end].type == "num":
                return None  # "منذ عام 2019" is a year, not "a year ago"
            return unit[0], count or 1, end - i
        if count is None:
            return None
        after = self.ago_after.match(toks, end) if end < len(toks) else None
        if after is None:
            return None
        return unit[0], count, end + after[1] - i

    def _count(self, toks: list[Token], j: int) -> tuple[int | None, int]:
        if j >= len(toks):
            return None, j
        if toks[j].type == "num":
            v = _int(toks[j])
            return (v, j + 1) if v is not None and v < 1000 else (None, j)
        words = []
        k = j
        while k < len(toks) and toks[k].type == "word" and len(words) < 4:
            words.append(toks[k].text)
            k += 1
        got = self.words.read(words) if words else None
        if got is None or not float(got.value).is_integer():
            return None, j
        return int(got.value), j + got.used

    # ------------------------------------------------------------------ find
    def find(self, text: str, published: date | None, offset: int = 0) -> list[DateFound]:
        """Every date expression of ``text``; those that need a publication date when ``published``
        is None ("yesterday", "on Tuesday") have ``value`` None, so that their words are still known
        to be a date (quantities skip their numbers)."""
        toks = self._split_possessives(tokenize(text, offset), offset, text)
        ctx = _Context(sentence=_sentences(toks, text, offset))
        out: list[DateFound] = []
        pending: list[tuple[int, int, int, int | None]] = []  # (index in out, month, day, weekday): no year yet
        i = 0
        n = len(toks)
        while i < n:
            self.steps += 1
            tok = toks[i]
            if tok.type == "sym":
                i += 1
                continue
            got = self._at(toks, i, published, ctx)
            if got is None:
                i += 1
                continue
            found, used, missing = got
            if missing is not None:
                pending.append((len(out), *missing))
            if out and ctx.last_end == i - 1 and self.range_words.match(toks, i - 1) is not None:
                _share_year(out[-1], found)
            out.append(found)
            if found.value and found.value[:4].isdigit() and (len(found.value) == 4 or not found.relative):
                ctx.focus = (ctx.sentence[i], int(found.value[:4]))
            if found.value and found.value[:4].isdigit():
                for unit in _UNITS_OF.get(len(found.value) if "-W" not in found.value else 0, ()):
                    ctx.refs[unit] = found.value
            i += used
            ctx.last_end = i
        if pending and published is None:
            numbers = [(t.start, y) for t in toks if t.type == "num" and (y := _int(t)) is not None
                       and len(t.text) == 4 and 1900 <= y <= 2100]
            _years_from_text(out, pending, numbers)
        return out

    def _split_possessives(self, toks: list[Token], offset: int, text: str) -> list[Token]:
        """"Monday's" -> "Monday" + "'s", so that a date word with a possessive ending is read."""
        if not self.possessives:
            return toks
        out = []
        for t in toks:
            cut = next((len(p) for p in self.possessives if t.type == "word" and t.text.endswith(p)
                        and len(t.text) > len(p) + 2), 0)
            if not cut:
                out.append(t)
                continue
            mid = t.end - cut
            head = text[t.start - offset:mid - offset]
            out.append(Token(t.start, mid, head, "word", norm(head)))
            out.append(Token(mid, t.end, t.text[-cut:], "sym", norm(t.text[-cut:])))
        return out

    def _at(self, toks: list[Token], i: int, pub: date | None,
            ctx: _Context) -> tuple[DateFound, int, tuple[int, int, int | None] | None] | None:
        cands: list[tuple[int, DateFound, tuple[int, int, int | None] | None]] = []
        rel = self.relative.match(toks, i)
        if rel is not None:
            unit, off = str(rel[0]).split(":")
            cands.append((rel[1], self._relative(toks, i, rel[1], unit, int(off), pub), None))
        ana = self.anaphoric.match(toks, i)
        if ana is not None:
            unit, off = str(ana[0]).split(":")
            cands.append((ana[1], self._anaphor(toks, i, ana[1], unit, int(off), pub, ctx), None))
        later = self._later(toks, i)
        if later is not None:
            unit, count, used = later
            cands.append((used, self._anaphor(toks, i, used, unit, count, pub, ctx), None))
        ago = self._ago(toks, i)
        if ago is not None:
            unit, count, used = ago
            if unit == "week":  # "three weeks ago" names a day (MEANTIME's reading), "last week" a week
                unit, count = "day", 7 * count
            cands.append((used, self._relative(toks, i, used, unit, -count, pub), None))
        ab = self._absolute(toks, i, pub)
        if ab is not None:
            (y, m, d), used, wday, rel_year = ab
            missing = None
            way = self._direction(toks, i, i + used) if y is None and d is not None else None
            focus = self._focus(ctx, i, way) if y is None and d is not None else None
            if focus is not None:
                value = _ymd(focus, m, d, None)
            elif y is None and d is not None and pub is not None:
                value = _pick_day(pub, m, d, wday, way if way is not None else self._tense(toks, i, i + used, ctx),
                                  way is not None)
            else:
                value = _ymd(y, m, d, pub)
                if y is None and d is not None and value is not None:
                    missing = (m, d, wday)
            if value is not None:
                guessed = y is None and d is not None and focus is None and pub is not None and way is None
                cands.append((used, DateFound(start=toks[i].start + self._trim(toks[i]), end=toks[i + used - 1].end,
                                              value=value, relative=rel_year, year_guessed=guessed), missing))
        if not cands:
            single = self._single(toks, i, pub, ctx)
            if single is not None:
                cands.append((*single, None))
        if not cands:
            return None
        used, found, missing = max(cands, key=lambda c: c[0])
        return found, used, missing

    def _focus(self, ctx: _Context, i: int, way: int | None) -> int | None:
        """The year of an earlier date of the same sentence ("In 2007 sales fell in March"), unless a
        direction word ties the date to publication ("last May")."""
        if way is None and ctx.focus is not None and ctx.focus[0] == ctx.sentence[i]:
            return ctx.focus[1]
        return None

    def _direction(self, toks: list[Token], i: int, end: int) -> int | None:
        """-1 for "last"/"lalu"/"الماضي", 1 for "next"/"depan"/"القادم", 0 for "this", None without one."""
        for ph, way in ((self.last_before, -1), (self.next_before, 1), (self.this_before, 0)):
            if ph.match_before(toks, i) is not None:
                return way
        if end < len(toks):
            for ph, way in ((self.last_after, -1), (self.next_after, 1), (self.this_after, 0)):
                if ph.match(toks, end) is not None:
                    return way
        return None

    def _tense(self, toks: list[Token], i: int, end: int, ctx: _Context) -> int:
        """1 when the nearest tense cue of the sentence is a future one, -1 a past one, 0 without one."""
        sent = ctx.sentence[i]
        for dist in range(1, max(CUE_BEFORE, CUE_AFTER) + 1):
            for k in (i - dist if dist <= CUE_BEFORE else -1, end - 1 + dist if dist <= CUE_AFTER else len(toks)):
                if 0 <= k < len(toks) and ctx.sentence[k] == sent:
                    cue = self._cue(toks, k)
                    if cue:
                        return cue
        return 0

    def _cue(self, toks: list[Token], k: int) -> int:
        """The tense of a cue at k (1 future, -1 past), 0 if it is none: a cue word, or a past ending
        ("-ed") on a lower-case word that no passive auxiliary stands before ("will be completed")."""
        tok = toks[k]
        if tok.type != "word":
            return 0
        hit = self.cues.match(toks, k)
        if hit is not None:
            return int(hit[0])
        w = tok.norm
        if (self.past_suffixes and tok.text[:1].islower() and len(w) >= 5 and w.endswith(self.past_suffixes)
                and not w.endswith(self.past_suffix_exceptions)
                and not (k > 0 and toks[k - 1].norm in self.passive_auxiliaries)):
            return -1
        return 0

    def _single(self, toks: list[Token], i: int, pub: date | None, ctx: _Context) -> tuple[int, DateFound] | None:
        """A weekday, a month or a year standing alone, each only in a date context."""
        tok = toks[i]
        wd = self._weekday(toks, i)
        if wd is not None:
            way = self._direction(toks, i, i + wd[1])
            has_prefix = way is not None or self.weekday_prefixes.match_before(toks, i) is not None
            if tok.norm in self.ambiguous and not has_prefix:
                return None
            if pub is None:  # a weekday needs the publication date: a date without a value
                return wd[1], DateFound(start=tok.start + self._trim(tok), end=toks[i + wd[1] - 1].end, value=None,
                                        relative=True)
            day = _pick_weekday(pub, int(wd[0]), way if way is not None else self._tense(toks, i, i + wd[1], ctx),
                                way is not None)
            return wd[1], DateFound(start=tok.start + self._trim(tok), end=toks[i + wd[1] - 1].end, value=day.isoformat(),
                                    relative=True)
        in_range = ctx.last_end == i - 1 and i > 0 and self.range_words.match(toks, i - 1) is not None
        mon = self._month(toks, i)
        if mon is not None:
            way = self._direction(toks, i, i + mon[1])
            if way is not None or in_range or self.month_prefixes.match_before(toks, i) is not None:
                focus = self._focus(ctx, i, way)
                if focus is not None:
                    value = f"{focus:04d}-{mon[0]:02d}"
                elif pub is None:
                    value = f"--{mon[0]:02d}"
                else:
                    value = _pick_month(pub, mon[0], way if way is not None else self._tense(toks, i, i + mon[1], ctx),
                                        way is not None)
                return mon[1], DateFound(start=tok.start + self._trim(tok), end=toks[i + mon[1] - 1].end, value=value,
                                         year_guessed=focus is None and pub is not None and way is None)
        year = self._year(toks, i)
        if year is not None and (in_range or self.year_prefixes.match_before(toks, i) is not None
                                 or self._determined_year(toks, i)):
            if i + 1 < len(toks) and toks[i + 1].type == "word" and toks[i + 1].text[:1] == "%":
                return None
            return 1, DateFound(start=tok.start, end=tok.end, value=f"{year:04d}")
        return None

    def _determined_year(self, toks: list[Token], i: int) -> bool:
        """"the 1998 agreement": a year-like number between a determiner and a noun that is not counted."""
        if self.year_determiners.match_before(toks, i) is None or i + 1 >= len(toks):
            return False
        y = _int(toks[i])
        nxt = toks[i + 1]
        return (y is not None and 1800 <= y <= 2100 and nxt.type == "word" and nxt.text[:1].islower()
                and nxt.norm not in self.counted and nxt.norm not in self.known)

    def _later(self, toks: list[Token], i: int) -> tuple[str, int, int] | None:
        """(unit, signed count, tokens used) for "two days later", "a year earlier", "tiga hari kemudian"."""
        count, k = self._count(toks, i)
        if count is None and k < len(toks) and toks[k].norm in self.indefinite:
            count, k = 1, k + 1
        if count is None and k < len(toks):
            one = self.single_units.match(toks, k)
            if one is not None:
                unit, end = one[0], k + one[1]
                count = 1
        else:
            one = None
        if one is None:
            if count is None or k >= len(toks):
                return None
            got = self.units.match(toks, k)
            if got is None:
                return None
            unit, end = got[0], k + got[1]
        if end >= len(toks):
            return None
        for ph, sign in ((self.earlier_after, -1), (self.later_after, 1)):
            hit = ph.match(toks, end)
            if hit is not None:
                if unit == "week":
                    unit, count = "day", 7 * count
                return str(unit), sign * count, end + hit[1] - i
        return None

    def _anaphor(self, toks: list[Token], i: int, used: int, unit: str, off: int, pub: date | None,
                 ctx: _Context) -> DateFound:
        """A date counted from the last date the text mentioned ("the same day", "a year earlier"), or
        from publication when no earlier date fits the unit."""
        anchor = _reference(ctx.refs.get(unit), unit) or pub
        start, end = toks[i].start + self._trim(toks[i]), toks[i + used - 1].end
        return DateFound(start=start, end=end, value=shift(anchor, unit, off) if anchor else None, relative=True)

    def _relative(self, toks: list[Token], i: int, used: int, unit: str, off: int, pub: date | None) -> DateFound:
        start, end = toks[i].start + self._trim(toks[i]), toks[i + used - 1].end
        return DateFound(start=start, end=end, value=shift(pub, unit, off) if pub else None, relative=True)

    def _trim(self, tok: Token) -> int:
        """Length of a one-letter clitic glued before a date word ("وأمس", "ومنذ"), left out of the span."""
        if tok.type != "word" or not self.clitics or tok.norm in self.known:
            return 0
        return _clitic(tok, self.clitics)


def _share_year(first: DateFound, second: DateFound) -> None:
    """"September and October of 2007", "from 3 to 5 March 2009": the first date of a range takes the year
    written with the second when it had to guess its own (the year before when its month comes later)."""
    a, b = first.value, second.value
    if not (first.year_guessed and a and b and a[:4].isdigit() and len(a) in (7, 10)) or second.year_guessed:
        return
    if second.relative or not b[:4].isdigit() or len(b) < 7 or "-W" in b:
        return
    year = int(b[:4]) - (a[5:7] > b[5:7])
    first.value = f"{year:04d}{a[4:]}"
    if len(a) == 10:
        try:
            date.fromisoformat(first.value)
        except ValueError:  # 29 February
            first.value = a


def _clitic(tok: Token, clitics: list[str]) -> int:
    """Length of a one-letter clitic glued before a date word ("وأمس", "ومنذ"), left out of the span."""
    if tok.type != "word" or not clitics:
        return 0
    return next((len(c) for c in clitics if tok.text.startswith(c) and len(tok.text) > len(c) + 2), 0)



def shift(pub: date, unit: str, off: int) -> str | None:
    """The ISO value of publication shifted by ``off`` units, at that unit's precision."""
    try:
        if unit == "day":
            return (pub + timedelta(days=off)).isoformat()
        if unit == "week":
            y, w, _ = (pub + timedelta(weeks=off)).isocalendar()
            return f"{y:04d}-W{w:02d}"
        if unit == "month":
            k = pub.year * 12 + pub.month - 1 + off
            return f"{k // 12:04d}-{k % 12 + 1:02d}"
        if unit == "year":
            return f"{pub.year + off:04d}"
    except (OverflowError, ValueError):
        return None
    return None


def _ymd(y: int | None, m: int, d: int | None, pub: date | None) -> str | None:
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}" if y is not None else None
    if y is None:
        if pub is None:
            try:
                date(2000, m, d)  # a leap year: 29 February is a valid day
            except ValueError:
                return None
            return f"--{m:02d}-{d:02d}"
        best = None
        for yy in (pub.year - 1, pub.year, pub.year + 1):
            try:
                cand = date(yy, m, d)
            except ValueError:
                continue
            if best is None or abs((cand - pub).days) < abs((best - pub).days):
                best = cand
        return best.isoformat() if best else None
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _reference(value: str | None, unit: str) -> date | None:
    """The reference day a value gives for counting in ``unit``, when its precision allows."""
    if not value:
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        if "-W" in value:
            return date.fromisocalendar(int(value[:4]), int(value[6:8]), 1) if unit == "week" else None
        if len(value) == 7 and unit in ("month", "year"):
            return date(int(value[:4]), int(value[5:7]), 1)
        if len(value) == 4 and unit == "year":
            return date(int(value), 1, 1)
    except ValueError:
        return None
    return None


def _pick_weekday(pub: date, wd: int, way: int, explicit: bool) -> date:
    """The day of weekday ``wd`` meant from ``pub``: explicit "last" (-1) / "next" (1) / "this" (0)
    words are strict; otherwise a future tense (1) takes the first on or after pub, else the latest
    on or before it."""
    if explicit and way < 0:
        return pub - timedelta(days=(pub.weekday() - wd - 1) % 7 + 1)
    if explicit and way > 0:
        return pub + timedelta(days=(wd - pub.weekday() - 1) % 7 + 1)
    if explicit:
        return pub + timedelta(days=wd - pub.weekday())
    if way > 0:
        return pub + timedelta(days=(wd - pub.weekday()) % 7)
    return pub - timedelta(days=(pub.weekday() - wd) % 7)


def _pick_month(pub: date, month: int, way: int, explicit: bool) -> str:
    """The ISO month of a month name from ``pub`` (see the module docstring)."""
    now = pub.year * 12 + pub.month - 1
    back = (now - (month - 1)) % 12  # months back to the latest such month on or before pub's
    if explicit:
        k = now - (back or 12) if way < 0 else now + ((12 - back) % 12 or 12) if way > 0 else pub.year * 12 + month - 1
    elif way < 0 or (way == 0 and back <= MONTH_PAST_WINDOW):
        k = now - back
    else:
        k = now + (12 - back) % 12
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def _pick_day(pub: date, m: int, d: int, wd: int | None, way: int, explicit: bool) -> str | None:
    """The ISO day of a day and month without a year from ``pub``: nearest, on the side of an explicit
    direction word, or of a tense cue when that side is within DAY_CUE_REACH days; a weekday written
    beside it keeps only the years where it falls on that weekday."""
    cands = []
    for yy in (pub.year - 1, pub.year, pub.year + 1):
        try:
            cands.append(date(yy, m, d))
        except ValueError:
            continue
    if wd is not None and any(c.weekday() == wd for c in cands):
        cands = [c for c in cands if c.weekday() == wd]
    if not cands:
        return None
    best = min(cands, key=lambda c: (abs((c - pub).days), c > pub))
    if explicit and way:
        side = [c for c in cands if (c < pub if way < 0 else c > pub)]
        best = min(side, key=lambda c: abs((c - pub).days)) if side else best
    elif way:
        side = [c for c in cands if (c <= pub if way < 0 else c >= pub) and abs((c - pub).days) <= DAY_CUE_REACH]
        best = min(side, key=lambda c: abs((c - pub).days)) if side else best
    return best.isoformat()


def _sentences(toks: list[Token], text: str, offset: int) -> list[int]:
    """Sentence number of each token: a new sentence after . ! ? ; or a line break."""
    out = []
    sent = 0
    prev = None
    for t in toks:
        if prev is not None and (prev.text in _SENTENCE_END or "\n" in text[prev.end - offset:t.start - offset]):
            sent += 1
        out.append(sent)
        prev = t
    return out


def _years_from_text(out: list[DateFound], pending: list[tuple[int, int, int, int | None]],
                     years: list[tuple[int, int]]) -> None:
    """Give a year to day-month dates of a text without publication date (see the module docstring).

    ``years`` are (offset, year) of every year-like number of the text (1900-2100); a year found
    this way is used only when the weekday written beside the date confirms it."""
    days = [(f.start, date.fromisoformat(f.value)) for f in out if f.value and len(f.value) == 10
            and f.value[:4].isdigit()]
    for idx, m, d, wd in pending:
        f = out[idx]
        value = None
        if wd is not None:
            for _, y in sorted(years, key=lambda sy: abs(sy[0] - f.start)):
                for yy in (y, y - 1, y + 1):
                    try:
                        if date(yy, m, d).weekday() == wd:
                            value = date(yy, m, d).isoformat()
                    except ValueError:
                        pass
                    if value:
                        break
                if value:
                    break
        elif days:
            anchor = min(days, key=lambda sd: abs(sd[0] - f.start))[1]
            value = _ymd(None, m, d, anchor)
        if value:
            f.value = value


def stated_years(found: list[DateFound]) -> list[int]:
    """The years the text itself writes: of dates given with their year ("9 March 2007", "in 2010"), not
    of those counted from publication ("last year", "in May", "April of last year")."""
    return [int(f.value[:4]) for f in found
            if f.value and f.value[:4].isdigit() and not f.relative and not f.year_guessed]


@cache
def finder(lang: str | None) -> DateFinder:
    return DateFinder(lang)


def find_dates(text: str, lang: str | None = None, published: str | date | datetime | None = None) -> list[DateFound]:
    """Date expressions in ``text`` with ISO values (offsets relative to ``text``); those that would
    need a missing publication date are left out."""
    if isinstance(published, datetime):
        pub: date | None = published.date()
    elif isinstance(published, date):
        pub = published
    else:
        pub = parse_published(published)
    return [d for d in finder(lang).find(text, pub) if d.value is not None]
