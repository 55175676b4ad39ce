"""Words, numbers and symbols of the cleaned text, and phrase lookup over them.

The one tokenizer that the dates and quantities grammars share (dates run first, quantities
skip the numbers inside the dates found): ``tokenize`` splits a text into ``num`` runs (digits
with their group and decimal separators, in any digit script), ``word`` runs (letters and
combining marks, with inner hyphens and apostrophes) and single ``sym`` characters; ``norm``
is the lookup form of a word; ``Phrases`` maps phrases of the language data to values and
matches them on tokens, longest first. Linear in the text: one regex pass.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import regex

_TOKEN = regex.compile(
    r"(?P<num>(?<!\d)\d{1,3}(?:[\u00a0\u202f\u2009]\d{3}(?!\d))+(?:[.,\u066b]\d+)?"
    r"|(?<!\d)\d+(?:[.,'\u2019\u066b\u066c]\d+)*)"
    r"|(?P<word>[\p{L}\p{M}]+(?:[-'\u2019][\p{L}\p{M}]+)*)"
    r"|(?P<sym>[^\s\p{L}\p{M}\d])"
)
_TOKEN_SPACED = regex.compile(
    r"(?P<num>(?<!\d)\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3}(?!\d))+(?:[.,\u066b]\d+)?"
    r"|(?<!\d)\d+(?:[.,'\u2019\u066b\u066c]\d+)*)"
    r"|(?P<word>[\p{L}\p{M}]+(?:[-'\u2019][\p{L}\p{M}]+)*)"
    r"|(?P<sym>[^\s\p{L}\p{M}\d])"
)
_MARKS = regex.compile(r"[\p{Mn}\u0640]")


def norm(word: str) -> str:
    """Lookup form of a word: NFC, case-folded, without combining marks (Arabic harakat) or tatweel."""
    return _MARKS.sub("", unicodedata.normalize("NFC", word)).casefold()


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    type: str  # num / word / sym
    norm: str


def tokenize(text: str, offset: int = 0, space_groups: bool = False) -> list[Token]:
    """The tokens of ``text``, their offsets shifted by ``offset`` (the text's start in the document).

    ``space_groups``: a plain space may group thousands too ("12 500"), for languages whose
    quantities data says so; no-break and thin spaces always do."""
    pattern = _TOKEN_SPACED if space_groups else _TOKEN
    out = []
    for m in pattern.finditer(text):
        kind = m.lastgroup or "sym"
        out.append(Token(m.start() + offset, m.end() + offset, m.group(), kind, norm(m.group())))
    return out


class Phrases:
    """Phrases (sequences of normalised tokens) mapped to a value, matched longest first.

    A phrase word ending in ``*`` matches any word beginning with the rest ("kill*").
    """

    def __init__(self, table: dict[Any, list[str]] | list[str], clitics: list[str] | None = None) -> None:
        items = table.items() if isinstance(table, dict) else [(p, p) for p in table]
        self.exact: dict[tuple[str, ...], Any] = {}
        self.prefixes: list[tuple[str, Any]] = []
        self.clitics = [norm(c) for c in clitics or []]
        for value, phrases in items:
            for phrase in phrases if isinstance(phrases, list) else [phrases]:
                words = tuple(t.norm for t in tokenize(str(phrase)))
                if not words:
                    continue
                if len(words) == 2 and words[1] == "*" or (len(words) == 1 and str(phrase).endswith("*")):
                    self.prefixes.append((words[0], value))
                else:
                    self.exact.setdefault(words, value)
        self.max_len = max((len(k) for k in self.exact), default=1)
        self.firsts = {k[0] for k in self.exact}
        self.lasts = {k[-1] for k in self.exact}

    def _forms(self, word: str) -> list[str]:
        return [word] + [word[len(c):] for c in self.clitics if word.startswith(c) and len(word) > len(c) + 2]

    def match(self, tokens: list[Token], i: int) -> tuple[Any, int] | None:
        """(value, number of tokens) of the longest phrase starting at token i."""
        n = len(tokens)
        if i >= n:
            return None
        forms = self._forms(tokens[i].norm)
        if not any(f in self.firsts for f in forms):
            for first in forms if self.prefixes else ():
                for pre, value in self.prefixes:
                    if first.startswith(pre):
                        return value, 1
            return None
        for k in range(min(self.max_len, n - i), 0, -1):
            rest = tuple(t.norm for t in tokens[i + 1 : i + k])
            for first in forms:
                hit = self.exact.get((first, *rest))
                if hit is not None:
                    return hit, k
        if i < n and self.prefixes:
            for first in self._forms(tokens[i].norm):
                for pre, value in self.prefixes:
                    if first.startswith(pre):
                        return value, 1
        return None

    def match_before(self, tokens: list[Token], i: int) -> tuple[Any, int] | None:
        """(value, number of tokens) of the longest phrase ending just before token i."""
        if i == 0 or tokens[i - 1].norm not in self.lasts:
            return None
        for k in range(min(self.max_len, i), 0, -1):
            words = tuple(t.norm for t in tokens[i - k : i])
            hit = self.exact.get(words)
            if hit is None and self.clitics:
                for first in self._forms(words[0])[1:]:
                    hit = self.exact.get((first, *words[1:]))
                    if hit is not None:
                        break
            if hit is not None:
                return hit, k
        return None
