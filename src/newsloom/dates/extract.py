"""Find date expressions and normalise them to ISO 8601 at the precision the text supports.

Values: ``2021`` (a year), ``2021-03`` (a month), ``2021-03-09`` (a day), ``2021-W09`` (an ISO
week: "last week", "pekan lalu"), and ``--03-09`` / ``--03`` when the year is unknown. A day is
never invented: "March 2021" is ``2021-03``.

The grammar runs over tokens (the quantities tokenizer) with the words of
``resources/lang/<iso>/dates.yaml``: month and weekday names, the context words that may stand
before a weekday, month or year, relative phrases and "ago" words. Languages without a
``dates.yaml`` take month and weekday names from dateparser's locale data (full names only),
so absolute dates work in every language dateparser knows.

Spans cover the date words only: context words before them ("on", "pada hari", "يوم", "in",
"tahun", "عام") are not part of the span; an ordinal suffix, a "(9/3)" after a weekday and a
"مارس/آذار" pair are. Relative phrases ("last month", "dua hari lalu", "منذ يومين") are spans
as a whole.

Resolution against the publication date (``published``):

- weekdays ("Tuesday", "pada hari Selasa", "يوم الثلاثاء") are the latest such day on or before
  publication; "Selasa (9/3)" takes the day and month written in brackets;
- a day and month without a year ("15 January", "9/3") take the year that puts the date nearest
  to publication (a story published on 10 January 2021 that says "20 December" means
  2020-12-20; one published on 10 March that says "20 March" means 2021-03-20); a month alone
  after a context word ("in May", "bulan Mei") likewise;
- relative phrases ("yesterday", "kemarin", "أمس", "last month", "end of this year",
  "two days ago") count from publication.

Without a publication date, absolute dates are kept (``--03-09`` when the year is missing) and
expressions that need an anchor (weekdays, relative phrases, a month alone) are skipped.

Not dates: a bare number, a clock time, "may" as a verb (English month names must be
capitalised), a 4-digit number without a year context word, a month name alone without a
context word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from newsloom.quantities.extract import Phrases, Token, tokenize
from newsloom.quantities.numbers import number_words, to_ascii_digits
from newsloom.resources import lang_resource, raw_file

_DMY_DOTS = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


@dataclass(slots=True, kw_only=True)
class DateFound:
    start: int
    end: int
    value: str | None  # None when it needs a publication date that is missing
    relative: bool = False


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


class DateFinder:
    """All of one language's date words, compiled once."""

    def __init__(self, lang: str | None) -> None:
        d = dict(lang_resource(lang, "dates"))
        if lang and not raw_file(lang, "dates"):
            d.update(_dateparser_names(lang))
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
        self.ago_after = Phrases(d.get("ago_after", []), clitics)
        self.units = Phrases(d.get("units") or {}, clitics)
        self.dual_units = Phrases({v: [k] for k, v in (d.get("dual_units") or {}).items()}, clitics)
        self.words = number_words(lang)
        self.clitics = [c for c in clitics]
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
    def _absolute(self, toks: list[Token], i: int) -> tuple[tuple[int | None, int, int | None], int, bool] | None:
        """((year, month, day), tokens used, starts with a weekday) for an absolute date at i."""
        wd = self._weekday(toks, i)
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
                        return num[0], end - i, True
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
                kk = self._skip_comma(toks, k)
                year = self._year(toks, kk)
                if year is not None:
                    return (year, mon[0], day[0]), kk + 1 - i, wd is not None
                return (None, mon[0], day[0]), k - i, wd is not None
        # month day[, year] / month year
        mon = self._month(toks, j)
        if mon is not None:
            k = j + mon[1]
            day = self._day(toks, k)
            if day is not None and not (k + day[1] < len(toks) and toks[k + day[1]].text in ":."
                                        and k + day[1] + 1 < len(toks) and toks[k + day[1] + 1].type == "num"):
                kk = self._skip_comma(toks, k + day[1])
                year = self._year(toks, kk)
                if year is not None:
                    return (year, mon[0], day[0]), kk + 1 - i, wd is not None
                return (None, mon[0], day[0]), k + day[1] - i, wd is not None
            kk = self._skip_comma(toks, k)
            year = self._year(toks, kk)
            if year is not None:
                return (year, mon[0], None), kk + 1 - i, wd is not None
        if wd is None:
            num = self._numeric(toks, i)
            if num is not None and num[0][0] is not None:
                return num[0], num[1], False
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
        count, k = self._count(toks, j)
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
        toks = tokenize(text, offset)
        out: list[DateFound] = []
        i = 0
        n = len(toks)
        while i < n:
            self.steps += 1
            tok = toks[i]
            if tok.type == "sym":
                i += 1
                continue
            got = self._at(toks, i, published)
            if got is None:
                i += 1
                continue
            found, used = got
            out.append(found)
            i += used
        return out

    def _at(self, toks: list[Token], i: int, pub: date | None) -> tuple[DateFound, int] | None:
        cands: list[tuple[int, DateFound]] = []
        rel = self.relative.match(toks, i)
        if rel is not None:
            unit, off = str(rel[0]).split(":")
            cands.append((rel[1], self._relative(toks, i, rel[1], unit, int(off), pub)))
        ago = self._ago(toks, i)
        if ago is not None:
            unit, count, used = ago
            cands.append((used, self._relative(toks, i, used, unit, -count, pub)))
        ab = self._absolute(toks, i)
        if ab is not None:
            (y, m, d), used, _ = ab
            value = _ymd(y, m, d, pub)
            if value is not None:
                cands.append((used, DateFound(start=toks[i].start + self._trim(toks[i]), end=toks[i + used - 1].end, value=value)))
        if not cands:
            single = self._single(toks, i, pub)
            if single is not None:
                cands.append(single)
        if not cands:
            return None
        used, found = max(cands, key=lambda c: c[0])
        if found.value is None:
            return None
        return found, used

    def _single(self, toks: list[Token], i: int, pub: date | None) -> tuple[int, DateFound] | None:
        """A weekday, a month or a year standing alone, each only in a date context."""
        tok = toks[i]
        wd = self._weekday(toks, i)
        if wd is not None:
            has_prefix = self.weekday_prefixes.match_before(toks, i) is not None
            if tok.norm in self.ambiguous and not has_prefix:
                return None
            if pub is None:
                return None
            back = (pub.weekday() - int(wd[0])) % 7
            day = pub - timedelta(days=back)
            return wd[1], DateFound(start=tok.start + self._trim(tok), end=toks[i + wd[1] - 1].end, value=day.isoformat(),
                                    relative=True)
        mon = self._month(toks, i)
        if mon is not None and self.month_prefixes.match_before(toks, i) is not None:
            if pub is None:
                value = f"--{mon[0]:02d}"
            else:
                y = min((pub.year - 1, pub.year, pub.year + 1),
                        key=lambda yy: abs((yy * 12 + mon[0]) - (pub.year * 12 + pub.month)))
                value = f"{y:04d}-{mon[0]:02d}"
            return mon[1], DateFound(start=tok.start + self._trim(tok), end=toks[i + mon[1] - 1].end, value=value)
        year = self._year(toks, i)
        if year is not None and self.year_prefixes.match_before(toks, i) is not None:
            if i + 1 < len(toks) and toks[i + 1].type == "word" and toks[i + 1].text[:1] == "%":
                return None
            return 1, DateFound(start=tok.start, end=tok.end, value=f"{year:04d}")
        return None

    def _relative(self, toks: list[Token], i: int, used: int, unit: str, off: int, pub: date | None) -> DateFound:
        start, end = toks[i].start + self._trim(toks[i]), toks[i + used - 1].end
        return DateFound(start=start, end=end, value=shift(pub, unit, off) if pub else None, relative=True)

    def _trim(self, tok: Token) -> int:
        """Length of a one-letter clitic glued before a date word ("وأمس", "ومنذ"), left out of the span."""
        if tok.type != "word" or not self.clitics or tok.norm in self.known:
            return 0
        return _clitic(tok, self.clitics)


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


@cache
def finder(lang: str | None) -> DateFinder:
    return DateFinder(lang)


def find_dates(text: str, lang: str | None = None, published: str | date | datetime | None = None) -> list[DateFound]:
    """Date expressions in ``text`` with ISO values (offsets relative to ``text``)."""
    if isinstance(published, datetime):
        pub: date | None = published.date()
    elif isinstance(published, date):
        pub = published
    else:
        pub = parse_published(published)
    return finder(lang).find(text, pub)


def date_spans(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """Spans of every date expression, resolved or not (what quantity extraction must skip)."""
    f = finder(lang)
    anchor = date(2000, 1, 1)  # any anchor: only the spans matter
    return [(d.start, d.end) for d in f.find(text, anchor)]
