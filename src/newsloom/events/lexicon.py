"""A language's event words, compiled from ``resources/lang/<iso>/events.yaml`` into phrase matchers.

A pattern is words separated by spaces. A word is matched whole and case-insensitively (Arabic
letters are folded: alef forms, alef maqsura, tatweel and diacritics); a word ending in ``*``
matches every word it begins; ``...`` stands for up to three words. Where patterns overlap, the
one covering more words wins, then the one with more literal letters, so "air strike*" beats
"strike*" and "heart attack" (an ``ignore`` pattern) beats "attack*".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import regex

from newsloom.resources import lang_resource, languages

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
    "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "FIGHT",
    "DEMAND", "DISAPPROVE", "INVESTIGATE",
)
MODES = ("asserted", "planned", "demanded", "denied", "hypothetical")
GAP = 3  # words "..." may stand for

# words (letters with their marks, inner apostrophes), numbers, or one other non-space character
TOKEN = regex.compile(r"[\p{L}\p{M}\u0640]+(?:['\u2019][\p{L}\p{M}]+)*|\d+(?:[.,]\d+)*|[^\s\p{L}\p{M}\d]")
_ARABIC_MARKS = regex.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "’": "'"})


def fold(word: str) -> str:
    """The key a word is matched on: NFC, case-folded, Arabic marks and letter variants folded."""
    w = unicodedata.normalize("NFC", word).casefold()
    if any("\u0600" <= ch <= "\u06ff" for ch in w):
        w = _ARABIC_MARKS.sub("", w)
    return w.translate(_FOLD)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    key: str  # fold() of the text
    word: bool  # letters or digits (not punctuation)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    out = []
    for m in TOKEN.finditer(text):
        s = m.group()
        out.append(Token(m.start() + offset, m.end() + offset, fold(s), s[0].isalnum() or s[0] == "\u0640"))
    return out


@dataclass(frozen=True, slots=True)
class Match:
    first: int  # token index of the first word
    last: int  # token index after the last word
    label: str  # what the pattern stands for (a PLOVER type, a mode, ...)
    passive: bool = False
    future: bool = False  # its first word carried a future prefix (Arabic س) or ending (Spanish -rá)
    score: tuple[int, int] = (0, 0)


@dataclass(slots=True)
class Matcher:
    """Patterns of one kind (triggers, mode cues, negation, ...) over token keys."""

    clitics: tuple[str, ...] = ()
    future_prefixes: tuple[str, ...] = ()
    future_suffixes: tuple[str, ...] = ()  # verb endings of the future tense ("rá", "rán", "rà"): planned
    exact: dict[str, list[tuple[tuple[str, ...], str, bool]]] = field(default_factory=dict)
    prefix: dict[str, list[tuple[tuple[str, ...], str, bool]]] = field(default_factory=dict)

    def add(self, pattern: str, label: str, passive: bool = False) -> None:
        words = tuple(_pattern_words(pattern))
        if not words or words[0] == "...":
            return
        head = words[0]
        entry = (words, label, passive)
        if head.endswith("*") and len(head) > 1:
            self.prefix.setdefault(head[:2], []).append(entry)
        else:
            self.exact.setdefault(head, []).append(entry)

    def _variants(self, key: str, first: bool) -> list[tuple[str, bool]]:
        out = [(key, False)]
        for c in self.clitics:
            if key.startswith(c) and len(key) - len(c) >= 2:
                out.append((key[len(c):], False))
        if first:
            for c in self.future_prefixes:
                if key.startswith(c) and len(key) - len(c) >= 3:
                    out.append((key[len(c):], True))
        return out

    def _word_ok(self, spec: str, tok: Token) -> bool:
        if not tok.word:
            return spec == tok.key
        return any(_spec_ok(spec, form) for form, _ in self._variants(tok.key, False))

    def _match_rest(self, words: tuple[str, ...], toks: list[Token], i: int) -> int | None:
        """Token index after the match of ``words`` starting at ``i``, or None."""
        if not words:
            return i
        spec = words[0]
        if spec == "...":
            for skip in range(GAP + 1):
                j = i + skip
                if j > len(toks) or any(not t.word for t in toks[i:j]):
                    break
                end = self._match_rest(words[1:], toks, j)
                if end is not None:
                    return end
            return None
        if i >= len(toks) or not self._word_ok(spec, toks[i]):
            return None
        return self._match_rest(words[1:], toks, i + 1)

    def find(self, toks: list[Token]) -> list[Match]:
        """Non-overlapping matches, the best (longest, most literal) first where they compete."""
        found: list[Match] = []
        for i, tok in enumerate(toks):
            if not tok.word:
                continue
            for form, future in self._variants(tok.key, True):
                cands = list(self.exact.get(form, ()))
                cands += self.prefix.get(form[:2], ())
                for words, label, passive in cands:
                    if not _spec_ok(words[0], form):
                        continue
                    end = self._match_rest(words[1:], toks, i + 1)
                    if end is not None:
                        letters = sum(len(w.rstrip("*")) for w in words if w != "...")
                        fut = future or any(form.endswith(x) and len(form) - len(x) >= 3 for x in self.future_suffixes)
                        found.append(Match(i, end, label, passive, fut, (end - i, letters)))
        found.sort(key=lambda m: (-m.score[0], -m.score[1], m.first, m.label))
        taken: set[int] = set()
        out = []
        for m in found:
            span = set(range(m.first, m.last))
            if span & taken:
                continue
            taken |= span
            out.append(m)
        return sorted(out, key=lambda m: m.first)


def _spec_ok(spec: str, form: str) -> bool:
    if spec.endswith("*") and len(spec) > 1:
        return form.startswith(spec[:-1])
    return form == spec


def _pattern_words(pattern: str) -> Iterable[str]:
    for part in str(pattern).split():
        if part == "...":
            yield part
            continue
        star = part.endswith("*") and len(part) > 1
        body = part[:-1] if star else part
        toks = [t.key for t in tokenize(body)]
        for n, t in enumerate(toks):
            yield t + "*" if star and n == len(toks) - 1 else t


@dataclass(slots=True)
class Lexicon:
    """Everything the extractor needs for one language."""

    lang: str
    triggers: Matcher
    modes: Matcher
    negation: Matcher
    reporting: Matcher
    location_prepositions: Matcher
    agent_markers: Matcher
    passive_auxiliaries: Matcher
    anaphora_before: Matcher
    anaphora_after: Matcher
    complementizers: Matcher
    of_words: Matcher
    outcome_triggers: Matcher
    disaster_words: Matcher
    subject_after_verb: bool
    location_clitics: tuple[str, ...]
    demonyms: dict[str, str]  # fold(word) -> ISO 3166 alpha-2
    boilerplate: list[Any]
    cue_window: int
    negation_window: int

    @property
    def empty(self) -> bool:
        return not (self.triggers.exact or self.triggers.prefix)


@cache
def lexicon(lang: str | None) -> Lexicon:
    """The compiled event words of a language (``_base`` only for one without a file)."""
    lang = lang if lang in languages() else None
    data = lang_resource(lang, "events")
    clitics = tuple(fold(c) for c in data.get("clitics", []))
    future = tuple(fold(c) for c in data.get("future_prefixes", []))
    endings = tuple(fold(c) for c in data.get("future_suffixes", []))

    def words(key: str, label: str = "") -> Matcher:
        m = Matcher(clitics=clitics, future_prefixes=future if key == "triggers" else ())
        for p in data.get(key, []):
            m.add(p, label or key)
        return m

    triggers = Matcher(clitics=clitics, future_prefixes=future, future_suffixes=endings)
    for typ, pats in (data.get("triggers") or {}).items():
        for p in pats:
            triggers.add(p, typ)
    for typ, pats in (data.get("passive_triggers") or {}).items():
        for p in pats:
            triggers.add(p, typ, passive=True)
    for p in data.get("ignore", []):
        triggers.add(p, "")
    modes = Matcher(clitics=clitics)
    for mode, pats in (data.get("modes") or {}).items():
        for p in pats:
            modes.add(p, mode)
    demonyms = {}
    for code, names in (data.get("demonyms") or {}).items():
        for n in names:
            demonyms[fold(n)] = str(code).upper()
    return Lexicon(
        lang=lang or "_base",
        triggers=triggers,
        modes=modes,
        negation=words("negation"),
        reporting=words("reporting"),
        location_prepositions=words("location_prepositions"),
        agent_markers=words("agent_markers"),
        passive_auxiliaries=words("passive_auxiliaries"),
        anaphora_before=words("anaphora_before"),
        anaphora_after=words("anaphora_after"),
        complementizers=words("complementizers"),
        of_words=words("of_words"),
        outcome_triggers=words("outcome_triggers"),
        disaster_words=words("disaster_words"),
        subject_after_verb=bool(data.get("subject_after_verb", False)),
        location_clitics=tuple(fold(c) for c in data.get("location_clitics", [])),
        demonyms=demonyms,
        boilerplate=[regex.compile(p, regex.IGNORECASE) for p in data.get("boilerplate", [])],
        cue_window=int(data.get("cue_window", 6)),
        negation_window=int(data.get("negation_window", 3)),
    )
