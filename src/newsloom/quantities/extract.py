"""Find quantities in a sentence: a number, what it counts, its qualifier and its role in a range.

Decisions (tested in tests/quantities/):

- **Span.** A quantity's span is the number expression: a currency written before the number,
  the digits or number words, a scale word ("juta", "billion", "ألف") and the counted noun or
  currency when it follows (through filler words: "2,500 Tamaran troops", "12.500 warga",
  "USD 1,2 miliar", "12 قتيلا"). Qualifiers ("around", "sedikitnya", "نحو") stay outside the
  span and go to ``qualifier`` as a key: about, at_least, more_than, less_than, up_to.
- **Value.** ``value`` is a float of the whole amount ("USD 1,2 miliar" is 1.2e9).
- **Unit** is the canonical English name of the counted noun or currency code (troops, people,
  USD, IDR, tonnes, percent, multiplier), from the language's ``units``/``currencies``; None when
  nothing is counted, except that a casualty word near the number makes it ``people``.
- **Kind**: a casualty word (killed, injured, arrested, displaced, missing) in the sentence is
  given to the quantity nearest to it (within ``TRIGGER_WINDOW`` tokens) when that quantity
  counts people-like units (``casualty_units``) or nothing; otherwise the unit's kind
  (troops -> personnel, currencies -> money, prisoners -> detained), else ``other``.
  Multipliers ("threefold", "tiga kali lipat", "ثلاثة أضعاف") have unit and kind ``multiplier``.
- **Ranges and changes** ("from 120 to 1,500", "dari 120 menjadi 1.500", "من 120 إلى 1500") give
  two rows with ``role`` from/to; "between 10 and 20" and "10-20" give min/max. The two rows
  share the unit when only one names it.
- **Skipped**: numbers inside date expressions (years, days), clock times ("pukul 10.30 WIB",
  "10:30"), ordinals ("3rd", "ke-3"), references ("Resolution 2231", "pasal 5", "رقم 3"),
  numbers glued to letters ("G20", "COVID-19") unless the letters are a currency ("USD1.5"),
  phone-like digit strings, years standing alone (1800-2100 with nothing counted), vague amounts
  ("thousands", "ribuan", "عشرات": no value to give), and the number words listed in
  ``needs_unit`` ("one", "satu") unless a counted noun follows.

All work is linear in the sentence length: one tokenising pass, phrase lookups bounded by the
longest phrase in the data, and trigger binding by binary search.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from functools import cache

from newsloom.clean.numbers import NumberWords, number_words, parse_digits
from newsloom.clean.tokens import Phrases, Token, norm, tokenize
from newsloom.resources import lang_resource

TRIGGER_WINDOW = 10  # tokens between a casualty word and the number it describes
CASUALTY_KINDS = ("killed", "injured", "arrested", "displaced", "missing")

@dataclass(slots=True, kw_only=True)
class Found:
    """A quantity found in a sentence, before it becomes a ``models.Quantity``."""

    start: int
    end: int
    value: float
    unit: str | None = None
    kind: str = "other"
    qualifier: str | None = None
    role: str | None = None
    first_tok: int = 0
    last_tok: int = 0  # token index after the number expression (before the unit)
    span_tok: int = 0  # token index after the whole span
    needs_unit: bool = False


class QuantityFinder:
    """All of one language's quantity data, compiled once."""

    def __init__(self, lang: str | None) -> None:
        d = lang_resource(lang, "quantities")
        self.lang = lang
        self.dec = d.get("decimal_separator", ".")
        self.space_groups = bool(d.get("space_groups", False))
        self.words: NumberWords = number_words(lang)
        clitics = d.get("clitics", [])
        self.currencies = Phrases(d.get("currencies", {}), clitics)
        self.units = Phrases(d.get("units", {}), clitics)
        self.unit_kinds = {str(k): str(v) for k, v in (d.get("unit_kinds") or {}).items()}
        self.casualty_units = set(d.get("casualty_units", []))
        self.triggers = Phrases(d.get("kind_triggers", {}), clitics)
        self.qualifiers = Phrases(d.get("qualifiers", {}), clitics)
        self.post_qualifiers = Phrases(d.get("post_qualifiers", {}), clitics)
        self.multipliers = {norm(str(k)): float(v) for k, v in (d.get("multipliers") or {}).items()}
        self.multiplier_after = Phrases(d.get("multiplier_after", []), clitics)
        self.fillers = {norm(w) for w in d.get("fillers", [])}
        self.range_from = Phrases(d.get("range_from", []), clitics)
        self.range_to = Phrases(d.get("range_to", []), clitics)
        self.range_between = Phrases(d.get("range_between", []), clitics)
        self.range_and = Phrases(d.get("range_and", []), clitics)
        self.ordinal_suffixes = {norm(w) for w in d.get("ordinal_suffixes", [])}
        self.skip_before = Phrases(
            [*d.get("ordinal_prefixes", []), *d.get("reference_words", []), *d.get("time_words", [])], clitics
        )
        self.time_after = Phrases(d.get("time_words", []), clitics)
        self.vague = {norm(w) for w in d.get("vague", [])}
        self.needs_unit = {norm(w) for w in d.get("needs_unit", [])}
        self.clitic_set = {norm(c) for c in clitics}
        self.steps = 0  # tokens visited, for tests that bound the work

    # ------------------------------------------------------------------ numbers
    def _glued_before(self, toks: list[Token], i: int) -> bool:
        """True when the number at i is glued to a preceding word that is not a currency."""
        if i == 0 or toks[i - 1].end != toks[i].start:
            return False
        prev = toks[i - 1]
        if prev.type == "word":
            if prev.norm in self.clitic_set:
                return False  # Arabic "و600"
            return self.currencies.match(toks, i - 1) is None
        if prev.text == "-" and i >= 2 and toks[i - 2].end == prev.start and toks[i - 2].type == "word":
            return True  # COVID-19, F-16, ke-3
        return prev.text in "+:/#"

    def _skip_number(self, toks: list[Token], i: int) -> bool:
        tok = toks[i]
        if self._glued_before(toks, i):
            return True
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and nxt.start == tok.end:
            if nxt.type == "word" and nxt.norm in self.ordinal_suffixes:
                return True
            if nxt.text in ":/" and i + 2 < len(toks) and toks[i + 2].type == "num":
                return True  # 10:30, 9/3
            if nxt.type == "num":
                return True
        digits = [c for c in tok.text if c.isdigit()]
        if len(digits) >= 10 and len(digits) == len(tok.text):
            return True  # phone numbers, ids
        if len(digits) >= 4 and digits[0] == "0" and "0" == tok.text[0] and len(digits) == len(tok.text):
            return True
        j = i
        while j > 0 and toks[j - 1].type == "sym" and toks[j - 1].text in "-.#(":
            j -= 1
        if self.skip_before.match_before(toks, j) is not None:
            return True
        return nxt is not None and self.time_after.match(toks, i + 1) is not None

    def _read_number(self, toks: list[Token], i: int) -> tuple[float, int, bool] | None:
        """(value, token index after the number, needs a counted noun) for a number starting at i."""
        tok = toks[i]
        if tok.type == "num":
            if self._skip_number(toks, i):
                return None
            value = parse_digits(tok.text, self.dec)
            if value is None:
                return None
            j = i + 1
            # scale words after the digits: "1,2 juta", "600 ألف", "2bn"
            k = j
            words = []
            while k < len(toks) and toks[k].type == "word" and len(words) < 4:
                words.append(toks[k].text)
                k += 1
            got = self.words.read(words, 0, leading=value) if words else None
            if got is not None and got.used:
                return got.value, j + got.used, False
            return value, j, False
        if tok.type == "word":
            if tok.norm in self.multipliers or tok.norm in self.vague:
                return None
            words = []
            k = i
            while k < len(toks) and toks[k].type in ("word", "sym") and len(words) < 12:
                if toks[k].type == "sym" and toks[k].text != "-":
                    break
                if toks[k].type == "sym":
                    break
                words.append(toks[k].text)
                k += 1
            got = self.words.read(words)
            if got is None or not got.used:
                return None
            used = [norm(w) for w in words[: got.used]]
            if got.used < len(words) and norm(words[got.used]) in self.vague:
                return None  # "two thousands" is not a number; "dua ribuan"
            needs = all(w in self.needs_unit or w in self.words.indefinite for w in used)
            return got.value, i + got.used, needs
        return None

    # ------------------------------------------------------------------ find
    def find(self, text: str, offset: int = 0, masked: list[tuple[int, int]] | None = None) -> list[Found]:
        """Quantities in one sentence; ``offset`` is the sentence start in the document,
        ``masked`` sorted (start, end) document spans where no number is read (dates)."""
        toks = tokenize(text, offset, self.space_groups)
        masked = masked or []
        mask_starts = [m[0] for m in masked]
        found: list[Found] = []
        i = 0
        n = len(toks)
        while i < n:
            self.steps += 1
            tok = toks[i]
            if tok.type == "sym" or (masked and _inside(tok.start, masked, mask_starts)):
                i += 1
                continue
            if tok.type == "word" and tok.norm in self.multipliers:
                found.append(Found(start=tok.start, end=tok.end, value=self.multipliers[tok.norm],
                                   unit="multiplier", kind="multiplier", first_tok=i, last_tok=i + 1,
                                   span_tok=i + 1))
                i += 1
                continue
            got = self._read_number(toks, i)
            if got is None:
                i += 1
                continue
            value, j, needs = got
            if any(_inside(t.start, masked, mask_starts) for t in toks[i:j] if masked):
                i = j
                continue
            q = self._complete(toks, i, j, value, needs)
            if q is not None:
                found.append(q)
                i = q.span_tok
            else:
                i = j
        pairs = self._ranges(toks, found)
        self._kinds(toks, found)
        for a, b in pairs:  # the two ends of a range count the same thing
            if a.unit is None and b.unit is not None:
                a.unit = b.unit
            elif b.unit is None and a.unit is not None:
                b.unit = a.unit
            if a.kind in CASUALTY_KINDS and b.kind not in CASUALTY_KINDS:
                b.kind = a.kind
            elif b.kind in CASUALTY_KINDS and a.kind not in CASUALTY_KINDS or a.kind == "other":
                a.kind = b.kind
        return found

    def _complete(self, toks: list[Token], i: int, j: int, value: float, needs: bool) -> Found | None:
        """Currency, counted noun, multiplier word and qualifiers around the number toks[i:j]."""
        start_tok = i
        unit = None
        span_end = j
        # currency written before the number: "USD 1,2", "Rp5", "$1.5", "US$"
        cur = self.currencies.match_before(toks, i)
        if cur is not None:
            unit, k = cur
            start_tok = i - k
        mult = self.multiplier_after.match(toks, j)
        if mult is not None:
            span_end = j + mult[1]
            unit = "multiplier"
        else:
            after = self.currencies.match(toks, j) if unit is None else None
            if after is not None:
                unit, k = after
                span_end = j + k
            elif unit is None:
                got = self._unit_after(toks, j)
                if got is not None:
                    unit, span_end = got
            if unit is None and j < len(toks) and toks[j].text in "%\u066a" and toks[j].start == toks[j - 1].end:
                unit, span_end = "percent", j + 1
        if needs and unit is None:
            return None
        if unit is None and value.is_integer() and 1800 <= value <= 2100 and j == i + 1:
            tok = toks[i]
            if tok.text.isdigit() or all(c.isdigit() for c in tok.text):
                return None  # a year standing alone
        qualifier = None
        q = self.qualifiers.match_before(toks, start_tok)
        if q is not None:
            qualifier = q[0]
        post = self.post_qualifiers.match(toks, span_end) if span_end < len(toks) else None
        if post is not None and qualifier is None:
            qualifier = post[0]
        kind = "multiplier" if unit == "multiplier" else self.unit_kinds.get(unit or "", "other")
        first = toks[start_tok]
        trim = 0
        if first.type == "word" and self.clitic_set:
            for c in self.clitic_set:
                if first.norm.startswith(c) and len(first.norm) > len(c) + 1 and (
                    self.words.is_number_word(first.text[len(c):])
                    or self.currencies.match([Token(0, 0, "", "word", first.norm[len(c):])], 0) is not None
                ) and not self.words.is_number_word(first.text):
                    trim = len(c)
                    break
        return Found(
            start=first.start + trim, end=toks[span_end - 1].end, value=value, unit=unit, kind=kind,
            qualifier=qualifier, first_tok=start_tok, last_tok=j, span_tok=span_end,
        )

    def _unit_after(self, toks: list[Token], j: int) -> tuple[str, int] | None:
        """(unit, token index after it) for a counted noun at j, after at most two filler words."""
        k = j
        for _ in range(3):
            if k >= len(toks):
                return None
            hit = self.units.match(toks, k)
            if hit is not None:
                return hit[0], k + hit[1]
            tok = toks[k]
            if tok.type != "word":
                return None
            if tok.norm in self.fillers or (tok.text[:1].isupper() and tok.text[:1].isascii() and k > j - 1):
                if self.words.is_number_word(tok.text):
                    return None
                k += 1
                continue
            return None
        return None

    # ------------------------------------------------------------------ ranges and kinds
    def _ranges(self, toks: list[Token], found: list[Found]) -> list[tuple[Found, Found]]:
        """Set from/to and min/max roles on pairs of quantities; returns the pairs."""
        pairs = []
        for a, b in itertools.pairwise(found):
            if a.role or b.role or a.unit == "multiplier" or b.unit == "multiplier":
                continue
            between = toks[a.span_tok : b.first_tok]
            if not between:
                continue
            opener_from = self.range_from.match_before(toks, a.first_tok - _qual_len(self, toks, a))
            opener_between = self.range_between.match_before(toks, a.first_tok - _qual_len(self, toks, a))
            to = self.range_to.match(toks, a.span_tok)
            andw = self.range_and.match(toks, a.span_tok)
            if opener_between and andw and andw[1] == len(between):
                a.role, b.role = "min", "max"
            elif opener_from and to and to[1] == len(between):
                a.role, b.role = "from", "to"
            elif to and to[1] == len(between) and between[0].type == "sym":
                a.role, b.role = "min", "max"  # 10-20
            else:
                continue
            # the word between the numbers is not a qualifier of the second one
            if b.qualifier is not None and self.qualifiers.match_before(toks, b.first_tok) is not None:
                qb = self.qualifiers.match_before(toks, b.first_tok)
                if qb is not None and qb[1] <= len(between):
                    b.qualifier = None
            pairs.append((a, b))
        return pairs

    def _kinds(self, toks: list[Token], found: list[Found]) -> None:
        if not found:
            return
        centres = [f.first_tok for f in found]
        best: dict[int, tuple[int, str]] = {}
        i = 0
        n = len(toks)
        while i < n:
            self.steps += 1
            if toks[i].type != "word":
                i += 1
                continue
            hit = self.triggers.match(toks, i)
            if hit is None:
                i += 1
                continue
            kind, k = hit
            # nearest quantity to this trigger
            pos = bisect.bisect_left(centres, i)
            cands = [c for c in (pos - 1, pos) if 0 <= c < len(found)]
            dist_best = None
            for c in cands:
                f = found[c]
                d = f.first_tok - (i + k - 1) if f.first_tok >= i + k else i - f.span_tok + 1 if i >= f.span_tok else 0
                d = abs(d)
                if dist_best is None or d < dist_best[0] or (d == dist_best[0] and f.first_tok > i):
                    dist_best = (d, c)
            if dist_best is not None and dist_best[0] <= TRIGGER_WINDOW:
                d, c = dist_best
                if c not in best or d < best[c][0]:
                    best[c] = (d, kind)
            i += k
        for c, (_, kind) in best.items():
            f = found[c]
            if f.unit is None or f.unit in self.casualty_units:
                if f.unit not in ("dead", "injured") or kind in ("killed", "injured"):
                    f.kind = kind
                if f.unit is None and kind in CASUALTY_KINDS:
                    f.unit = "people"
        for f in found:
            if f.unit is None and f.kind == "other":
                continue
            if f.unit in ("dead", "injured"):
                f.unit = "people"


def _qual_len(finder: QuantityFinder, toks: list[Token], f: Found) -> int:
    q = finder.qualifiers.match_before(toks, f.first_tok)
    return q[1] if q is not None else 0


def _inside(pos: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    k = bisect.bisect_right(starts, pos) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


@cache
def finder(lang: str | None) -> QuantityFinder:
    """The compiled finder for a language (None: the shared data only)."""
    return QuantityFinder(lang)


def find_quantities(text: str, lang: str | None = None, masked: list[tuple[int, int]] | None = None) -> list[Found]:
    """Quantities in ``text`` (one sentence or a short text), offsets relative to ``text``."""
    return finder(lang).find(text, 0, masked)
