"""Numbers as written in news: local digit formats, any digit script, number words, scales.

``parse_digits`` reads a run of digits and separators in any Unicode digit script
("12.500", "12,500", "12 500", "١٢٥٠٠", "١٢٬٥٠٠", "2,5", "1.5"). Which separator is the
decimal one is decided by the shape of the groups first and by the language second:

- two different separators: the last one is the decimal separator ("1.234,5", "1,234.5");
- one separator used more than once: it groups thousands ("1.200.000");
- one separator used once and followed by a number of digits other than three: decimal ("2,5", "1.25");
- one separator followed by exactly three digits: "000" groups thousands ("12,000" is twelve thousand
  in every language); otherwise the language decides: where it is the language's decimal
  separator it is a decimal ("1,250" in Indonesian is 1.25), else it groups thousands;
- Arabic separators are unambiguous (U+066B decimal, U+066C thousands); spaces, no-break and
  thin spaces only ever group thousands.

``NumberWords`` reads number words from the language's ``quantities.yaml`` ("two thousand
five hundred", "dua ribu", "dua belas", "ثلاثة آلاف", "ألفين") and scale words after digits
("1,2 juta", "600 ألف", "1.5 billion").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from newsloom.resources import lang_resource

ARABIC_DECIMAL = "\u066b"
ARABIC_THOUSANDS = "\u066c"
MAX_DIGITS = 40  # longer digit runs are never read as amounts
SPACE_SEPARATORS = " \u00a0\u202f\u2009"
GROUP_SEPARATORS = ".,'\u2019" + ARABIC_THOUSANDS + SPACE_SEPARATORS


def to_ascii_digits(text: str) -> str:
    """Every Unicode decimal digit (Arabic-Indic, Persian, Devanagari, fullwidth, ...) as 0-9."""
    out = []
    for ch in text:
        if "0" <= ch <= "9" or ch < "\u0080":
            out.append(ch)
            continue
        d = unicodedata.decimal(ch, None)
        out.append(str(d) if d is not None else ch)
    return "".join(out)


def parse_digits(text: str, decimal_separator: str = ".") -> float | None:
    """The value of a digit run with separators, or None when its shape is not a number."""
    s = to_ascii_digits(text.strip())
    if len(s) > MAX_DIGITS:
        return None  # an id or a run of digits, not an amount
    if not s or not s[0].isdigit() or not s[-1].isdigit():
        return None
    if ARABIC_DECIMAL in s:
        whole, _, frac = s.partition(ARABIC_DECIMAL)
        whole = "".join(ch for ch in whole if ch.isdigit())
        return float(f"{whole}.{frac}") if frac.isdigit() and whole else None
    seps = [(i, ch) for i, ch in enumerate(s) if not ch.isdigit()]
    if not seps:
        return float(s)
    groups = re.split(r"[^0-9]", s)
    kinds = []
    for _, ch in seps:
        k = " " if ch in SPACE_SEPARATORS else ch
        if k not in kinds:
            kinds.append(k)
    if len(kinds) > 2:
        return None
    if len(kinds) == 2:
        # the last separator, used once, is the decimal one; the other groups thousands
        dec = kinds[-1]
        if dec == " " or sum(1 for _, ch in seps if ch == dec) != 1 or seps[-1][1] != dec:
            return None
        if not _thousand_groups(groups[:-1]):
            return None
        return float("".join(groups[:-1]) + "." + groups[-1])
    sep = kinds[0]
    if sep == " " or sep in "'\u2019" + ARABIC_THOUSANDS:
        return float("".join(groups)) if _thousand_groups(groups) else None
    if len(seps) > 1:
        return float("".join(groups)) if _thousand_groups(groups) else None
    whole, frac = groups
    if len(frac) != 3:
        return float(f"{whole}.{frac}")
    if frac == "000" or sep != decimal_separator or len(whole) > 3 or whole == "0":
        if whole == "0":
            return float(f"0.{frac}")
        if len(whole) > 3:
            return float(f"{whole}.{frac}")
        return float(whole + frac)
    return float(f"{whole}.{frac}")


def _thousand_groups(groups: list[str]) -> bool:
    return 1 <= len(groups[0]) <= 3 and groups[0] != "0" and all(len(g) == 3 for g in groups[1:])


def _clean_dict(data: dict | None) -> dict[str, float]:
    return {str(k).casefold(): float(v) for k, v in (data or {}).items()}


@dataclass(slots=True)
class WordNumber:
    """A number read from words: its value and how many tokens it used."""

    value: float
    used: int


class NumberWords:
    """Number words of one language, read token by token (tokens are already split on spaces).

    Multi-word entries ("أحد عشر", "mil millones") are matched as phrases. A token may carry
    one clitic letter from ``clitics`` ("وخمسون"). Hyphenated English numbers ("twenty-five")
    are split on the hyphen.
    """

    def __init__(self, lang: str | None) -> None:
        data = lang_resource(lang, "quantities")
        self.units = _clean_dict(data.get("number_words"))
        self.hundreds = _clean_dict(data.get("hundreds"))
        self.teens = _clean_dict(data.get("teens"))
        self.scales = _clean_dict(data.get("scales"))
        self.indefinite = {w.casefold() for w in data.get("indefinite", [])}
        self.connectors = {w.casefold() for w in data.get("word_connectors", [])}
        self.clitics = [c for c in data.get("clitics", [])]
        self.needs_unit = {w.casefold() for w in data.get("needs_unit", [])}
        self.vague = {w.casefold() for w in data.get("vague", [])}
        self.max_phrase = max([len(k.split()) for k in (*self.units, *self.scales)] or [1])

    def _lookup(self, word: str) -> tuple[str, float] | None:
        """('unit'|'hundred'|'teen'|'scale', value) for one word or phrase, trying clitic-stripped forms."""
        w = word.casefold()
        for form in (w, *[w[len(c):] for c in self.clitics if w.startswith(c) and len(w) > len(c) + 1]):
            if form in self.scales:
                return "scale", self.scales[form]
            if form in self.units:
                return "unit", self.units[form]
            if form in self.hundreds:
                return "hundred", self.hundreds[form]
            if form in self.teens:
                return "teen", self.teens[form]
        return None

    def is_number_word(self, word: str) -> bool:
        if self._lookup(word) is not None:
            return True
        parts = [p for p in word.split("-") if p]
        return len(parts) > 1 and all(self._lookup(p) is not None for p in parts)

    def scale_of(self, word: str) -> float | None:
        hit = self._lookup(word)
        return hit[1] if hit and hit[0] == "scale" else None

    def read(self, words: list[str], start: int = 0, leading: float | None = None) -> WordNumber | None:
        """Read number words from ``words[start:]``; ``leading`` is a digit value already read before them.

        With ``leading``, only scale and hundred words may follow ("1,2 juta", "5 ratus").
        ``used`` counts the words read after ``start``; None when none was read (or only a
        lone connector or article) and there is no leading value.
        """
        total = 0.0
        current = leading if leading is not None else 0.0
        last = 0.0  # the last unit value added, which a hundred/teen word applies to
        seen_any = leading is not None
        i = start
        used_last = start
        n = len(words)
        while i < n:
            hit = None
            span = 1
            for k in range(min(self.max_phrase, n - i), 0, -1):
                hit = self._lookup(" ".join(words[i : i + k]))
                if hit is not None:
                    span = k
                    break
            if hit is None and "-" in words[i]:
                parts = [p for p in words[i].split("-") if p]
                looked = [self._lookup(p) for p in parts]
                if len(parts) > 1 and all(x is not None and x[0] == "unit" for x in looked):
                    hit = ("unit", sum(x[1] for x in looked))  # twenty-five
            w = words[i].casefold()
            if hit is None:
                if w in self.indefinite and not seen_any and i + 1 < n:
                    nxt = self._lookup(words[i + 1])
                    if nxt is not None and nxt[0] in ("scale", "hundred"):
                        current, last, seen_any = 1.0, 1.0, True
                        i += 1
                        continue
                if (
                    seen_any and used_last > start and w in self.connectors and i + 1 < n
                    and self._lookup(words[i + 1]) is not None
                ):
                    i += 1
                    continue
                break
            kind, value = hit
            if kind == "unit":
                if leading is not None or not _additive(current, last, value):
                    break  # "two three" is two numbers, not five
                current += value
                last = value
            elif kind == "hundred":
                if last:
                    current = current - last + last * value
                else:
                    current = (current or 1.0) * value
                last = 0.0
            elif kind == "teen":
                if not last or last >= 10:
                    break
                current += value
                last = 0.0
            else:  # a scale word closes a group
                total += (current or 1.0) * value
                current, last = 0.0, 0.0
            seen_any = True
            i += span
            used_last = i
        if not seen_any or (used_last == start and leading is None):
            return None
        return WordNumber(value=total + current, used=used_last - start)


def _additive(current: float, last: float, value: float) -> bool:
    """May ``value`` be added to the number read so far ("twenty" + "five", "خمسة" + "عشرون")?"""
    if current == 0:
        return True
    if value >= 1000:
        return False
    if value < 10:
        return last == 0 or last >= 100 or (last >= 20 and last % 10 == 0)
    if value < 100:
        return last == 0 or last >= 100 or (last < 10 and value >= 20)
    return last == 0 and current % 1000 == 0 or last >= 1000


@cache
def number_words(lang: str | None) -> NumberWords:
    return NumberWords(lang)


def parse_number(text: str, lang: str | None = None) -> float | None:
    """A number written in digits, words or both ("1,2 juta", "two thousand", "ألفين"), else None."""
    data = lang_resource(lang, "quantities")
    dec = data.get("decimal_separator", ".")
    whole = parse_digits(text, dec)
    if whole is not None:
        return whole
    words = text.split()
    if not words:
        return None
    nw = number_words(lang)
    first = parse_digits(words[0], dec)
    if first is not None:
        if len(words) == 1:
            return first
        got = nw.read(words, 1, leading=first)
        return got.value if got is not None and got.used == len(words) - 1 else None
    got = nw.read(words)
    return got.value if got is not None and got.used == len(words) else None
