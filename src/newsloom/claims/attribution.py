"""Who is quoted or cited for a figure: "according to X", "X said", "kata X", "قال X", "selon X".

The cues are data (``resources/lang/<iso>/attribution.yaml``): ``before`` cues stand before the
source ("menurut BPBD"), ``after`` cues after it ("the ministry said"). A source is the linked
entity whose mention touches the cue (its ``entity_id``, or its words when it is not linked);
without one it is the words as written next to the cue (a few words, up to punctuation).
A pronoun ("he said", "ia mengatakan") or a cue glued to one (``pronoun_cues``: "ujarnya",
"katanya") stands for the person named last before it (within ``PRONOUN_REACH`` characters of
the document), else nobody: null.

Decisions (tested in tests/claims/test_claims_attribution.py):
- only cues inside the figure's own sentence count; the cue nearest to the figure wins;
- after a ``before`` cue the source runs to the next punctuation (or the figure): the first
  entity starting within ``max_words`` words of the cue is it, a person first ("according to
  Defence Minister Oren Talib"); before an ``after`` cue, the last entity ending within two words of it ("the
  health ministry said");
- a source written out stops at a word of ``name_ends`` ("kata Agus saat dihubungi": "Agus").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from newsloom.models import EntityMention
from newsloom.resources import lang_resource

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}'’.\-]*")
PRONOUN = "\0pronoun"  # a source that is a pronoun: the person named last before it
PRONOUN_REACH = 600  # characters back to look for that person
_STOP = regex.compile(r"[.,;:!?()\"“”«»\u060c\u061b\u061f]")


@dataclass(slots=True, kw_only=True)
class Cue:
    start: int  # document offsets of the cue words
    end: int
    side: str  # "before": the source follows the cue; "after": the source precedes it


@dataclass(slots=True, kw_only=True)
class Attribution:
    source: str | None  # entity id, else the name as written; None when nobody is named
    start: int  # the cue's document offsets
    end: int


class AttributionFinder:
    """One language's attribution cues, compiled once."""

    def __init__(self, lang: str | None) -> None:
        d = lang_resource(lang, "attribution")
        self.max_words = int(d.get("max_words", 4))
        self.pronouns = {str(p).casefold() for p in d.get("pronouns", [])}
        self.unnamed = {str(p).casefold() for p in d.get("unnamed", [])}
        self.lead_words = {str(p).casefold() for p in d.get("lead_words", [])}
        self.name_ends = {str(p).casefold() for p in d.get("name_ends", [])}
        clitics = [regex.escape(str(c)) for c in d.get("clitics", [])]
        pre = f"(?:{'|'.join(clitics)})?" if clitics else ""
        self.before = _cue_regex(d.get("before", []), pre)
        self.after = _cue_regex(d.get("after", []), pre)
        self.last_named = _cue_regex(d.get("pronoun_cues", []), pre)
        self.updates = _cue_regex(d.get("updates", []), pre)

    def cues(self, text: str, start: int, end: int) -> list[Cue]:
        """The attribution cues in ``text[start:end]`` (a sentence), in document offsets."""
        out = []
        for side, rx in (("before", self.before), ("after", self.after), ("last_named", self.last_named)):
            if rx is None:
                continue
            for m in rx.finditer(text, start, end):
                out.append(Cue(start=m.start("cue"), end=m.end("cue"), side=side))
        return sorted(out, key=lambda c: (c.start, c.side))

    def has_update(self, text: str, start: int, end: int) -> bool:
        """Whether the span (a sentence) says a figure is an update ("rose to", "bertambah menjadi")."""
        return self.updates is not None and self.updates.search(text, start, end) is not None

    def attribute(self, text: str, sent: tuple[int, int], at: tuple[int, int],
                  entities: list[EntityMention]) -> Attribution | None:
        """Who the figure at ``at`` (inside the sentence ``sent``) is attributed to, if anyone;
        ``entities`` are the document's (a pronoun source is the person last named before it)."""
        cues = self.cues(text, *sent)
        if not cues:
            return None
        cues.sort(key=lambda c: (_distance(c, at), c.start))
        inside = [e for e in entities if e.start >= sent[0] and e.end <= sent[1]]
        for cue in cues:
            if cue.start < at[1] and at[0] < cue.end:
                continue
            source = self._resolve(text, sent, cue, inside, at)
            if source is PRONOUN:
                source = _last_person(entities, cue.start, self.pronouns | self.unnamed)
            if source is not None:
                return Attribution(source=source, start=cue.start, end=cue.end)
        return None

    def _resolve(self, text: str, sent: tuple[int, int], cue: Cue, ents: list[EntityMention],
                 at: tuple[int, int]) -> str | None:
        if cue.side == "last_named":
            return PRONOUN
        if cue.side == "before":  # the source runs from the cue to punctuation or the figure
            end = sent[1] if at[0] < cue.end else min(sent[1], at[0])
            stop = _STOP.search(text, cue.end, end)
            end = stop.start() if stop else end
            near = [e for e in ents if cue.end <= e.start < end and _words(text, cue.end, e.start) <= self.max_words]
            if near:  # a person first: "according to Defence Minister Oren Talib"
                return self._entity(min(near, key=lambda e: (e.type != "PER", e.start)))
            return self._written_after(text, cue.end, end)
        start = sent[0] if at[1] > cue.start else max(sent[0], at[1])
        stops = list(_STOP.finditer(text, start, cue.start))
        start = stops[-1].end() if stops else start
        for e in sorted(ents, key=lambda e: -e.end):
            if start <= e.start and e.end <= cue.start and _words(text, e.end, cue.start) <= 2:
                return self._entity(e)
        return self._written_before(text, start, cue.start)

    def _entity(self, e: EntityMention) -> str | None:
        if e.text.casefold() in self.pronouns:
            return PRONOUN  # a tagger's "Beliau"
        if e.text.casefold() in self.unnamed:
            return None
        return e.entity_id or e.text

    def _written_after(self, text: str, start: int, end: int) -> str | None:
        words = [m.group() for m in _WORD.finditer(text, start, end)]
        return self._name(words[: self.max_words + 1], head=True)

    def _written_before(self, text: str, start: int, end: int) -> str | None:
        words = [m.group() for m in _WORD.finditer(text, start, end)]
        return self._name(words[-(self.max_words + 1) :], head=False)

    def _name(self, words: list[str], head: bool) -> str | None:
        while words and words[0].casefold() in self.lead_words:
            words = words[1:]
        if not words:
            return None
        cased = any(ch.isupper() for ch in "".join(words)) or any(ch.islower() for ch in "".join(words))
        if cased and head and words[0][:1].isupper():
            run = []
            for w in words:  # a run of capitalised words: "Agus Supriyadi", "Red Cross"
                if not w[:1].isupper():
                    break
                run.append(w)
            words = run
        for i, w in enumerate(words):
            if w.casefold() in self.name_ends:
                words = words[:i] if head else words[i + 1 :]
                break
        words = words[: self.max_words]
        name = " ".join(words).strip(".'’-")
        if name.casefold() in self.pronouns:
            return PRONOUN
        if not name or name.casefold() in self.unnamed or any(ch.isdigit() for ch in name):
            return None
        return name


def _last_person(entities: list[EntityMention], before: int, skip: set[str] = frozenset()) -> str | None:
    """The person named last before ``before`` (within ``PRONOUN_REACH`` characters), for "he said";
    a mention that is itself a pronoun (``skip``: a tagger's "Beliau") names nobody."""
    people = [e for e in entities if e.type == "PER" and e.end <= before and before - e.end <= PRONOUN_REACH
              and e.text.casefold() not in skip]
    if not people:
        return None
    e = max(people, key=lambda e: e.end)
    return e.entity_id or e.text


def _cue_regex(phrases: list[str], prefix: str) -> regex.Pattern | None:
    parts = sorted({str(p) for p in phrases if str(p).strip()}, key=len, reverse=True)
    if not parts:
        return None
    alts = "|".join(r"\s+".join(regex.escape(w) for w in p.split()) for p in parts)
    return regex.compile(rf"(?<![\p{{L}}\p{{M}}]){prefix}(?P<cue>{alts})(?![\p{{L}}\p{{M}}])", regex.IGNORECASE)


def _words(text: str, start: int, end: int) -> int:
    return sum(1 for _ in _WORD.finditer(text, start, end)) if end > start else 0


def _distance(cue: Cue, at: tuple[int, int]) -> int:
    if cue.end <= at[0]:
        return at[0] - cue.end
    if cue.start >= at[1]:
        return cue.start - at[1]
    return 0


@cache
def attribution_finder(lang: str | None) -> AttributionFinder:
    """The compiled cues of a language (None or a language without a file: no cues)."""
    return AttributionFinder(lang)
