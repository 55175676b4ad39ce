"""Linking the mentions of one document to entity ids and canonical names.

Entity ids (stable: derived from canonical keys, never from a counter, so every document,
process and rerun agrees):

``kb:<id>``
    an entry of the alias knowledge base (``newsloom/resources/kb``, plus ``link.user_kb``):
    "UN", "PBB", "الأمم المتحدة" -> ``kb:united-nations``; "Jokowi", "جوكو ويدودو" -> ``kb:joko-widodo``.
``geo:<ISO2>`` / ``geo:US-<state>`` / ``geo:cont-<code>`` / ``geo:gn<GeoNames id>``
    a country, US state, continent or city of the gazetteer (:mod:`newsloom.link.places`):
    "Egypt", "Mesir", "مصر" -> ``geo:EG``.
``per:<skeleton>`` / ``org:<skeleton>`` / ``loc:<skeleton>`` / ``misc:<skeleton>``
    anything else: the NER type and the consonant skeleton of the (title-stripped) name
    (:func:`newsloom.link.translit.skeleton`), which is the same for "Ahmad Fauzi",
    "Ahmed Fawzi" and "أحمد فوزي", and different for "Ahmad Fauzan" or "Budi Fauzi".
    Its name is the longest Latin-script form in the document, else the transliteration.

Resolution, per document (pure: nothing is read from other documents):

1. Clean-up: titles and honorifics of people (``titles`` in ``resources/lang/*/link.yaml``,
   every language's: "Presiden", "الرئيس", "Datuk Seri"; never on organisations: "General
   Motors"), leading words such as "the" (``lead_words``) and possessive endings are stripped.
   Lookups try the mention as written first, then the clean name, then the clean name with an
   Arabic clitic taken off its first word (``clitics``: "و", "ب", "بال", "لل", ...; a clitic
   carrying the article leaves it on the stem, and the bare article is never taken off).
2. Exact alias lookup, constrained by the NER type:
   ``PER`` -> people of the knowledge base, then organisations when the name has several
   words or is an acronym (an NER error the KB makes unambiguous; a single word such as
   "Wagner" stays a person); never places, so a person called Jordan is not the country.
   ``ORG`` -> organisations, then regions of the KB, then countries by their main names
   (governments are often tagged ORG: "Indonesia menolak ...").
   ``LOC`` -> the gazetteer's curated short forms, KB regions, countries, continents and
   states, cities, then KB organisations (an organisation tagged LOC).
   ``MISC`` -> KB entries of any type but people, then countries; a person of the document
   whose full name contains it wins over a one-word alias (step 4: "the Jordan brand" after
   "Michael Jordan").
   Ties break on context: an entry or place in a country the document names wins; a US
   state beats a country of the same name when the document names the United States.
3. Arabic names glued to a clitic ("وأحمد فوزي") lose it when the document also has the name
   without it; otherwise they are left alone (وليد, بشار, فيصل begin with clitic letters).
4. Partial names: a ``PER`` (or ``MISC``) mention whose name parts (by skeleton) are a
   contiguous run of a longer person mention in the same document takes that person's id
   ("Widodo" after "Joko Widodo"). When several people share the part, the nearest mention
   before it wins (else the nearest after). In-document names beat a knowledge-base alias
   ("Biden" after "Hunter Biden" is Hunter), unless the alias names one of the candidates.
5. Acronyms: a mention in capitals whose letters are the initials of another mention of the
   document ("PBB" / "Perserikatan Bangsa-Bangsa", with or without function words) shares its
   id; the knowledge-base id wins when either side has one.
6. Everything else gets its ``<type>:<skeleton>`` id (a digest of the text when it has no
   letters at all).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from newsloom.link.kb import KBEntry, KnowledgeBase
from newsloom.link.places import Gazetteer, Place, PlaceMatch
from newsloom.link.translit import (
    fold,
    has_arabic,
    normalise_arabic,
    part_skeletons,
    skeleton,
    transliterate,
)
from newsloom.models import Document, EntityMention
from newsloom.resources import all_languages_resource

_KNOWN = ("kb", "place")
_ACRONYM = re.compile(r"^(?:[^\W\d_]\.?){2,10}$")
# A name of more parts than this is never taken for a part of a longer name (steps 3 and 4):
# each name is indexed by its runs of up to this many parts, so the work is linear in the
# document instead of comparing every name with every other one.
MAX_PARTIAL_PARTS = 8


@dataclass(slots=True)
class _M:
    """A mention being linked."""

    mention: EntityMention
    clean: str
    keys: list[str]  # lookup keys: the mention as written, then without its titles; Arabic clitic variants
    parts: list[str]
    forms: list[str] = field(default_factory=list)  # the texts the keys come from (for case-sensitive forms)
    kb_words: int = 0  # words of the alias a knowledge-base hit matched
    entity_id: str | None = None
    name: str | None = None
    how: str = ""
    kb_hint: list[KBEntry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LinkData:
    """Language data used by the linker, merged over every language."""

    titles: tuple[tuple[str, int], ...]  # (fold key, number of words), longest first
    lead_words: frozenset[str]
    suffixes: tuple[str, ...]
    clitics: tuple[str, ...]
    article_clitics: frozenset[str]
    article: str  # the Arabic-script article put back after an article clitic ("" when none)
    min_stem: int
    acronym_skip: frozenset[str]

    @classmethod
    def load(cls) -> LinkData:
        data = all_languages_resource("link")
        titles = {}
        for t in data.get("titles", []):
            k = fold(str(t))
            if k:
                titles[k] = len(str(t).split())
        return cls(
            titles=tuple(sorted(titles.items(), key=lambda kv: (-kv[1], -len(kv[0])))),
            lead_words=frozenset(fold(str(w)) for w in data.get("lead_words", [])),
            suffixes=tuple(sorted(data.get("strip_suffixes", []), key=len, reverse=True)),
            clitics=tuple(
                sorted((normalise_arabic(c) for c in data.get("clitics", [])), key=len, reverse=True)
            ),
            article_clitics=frozenset(normalise_arabic(c) for c in data.get("article_clitics", [])),
            article=next((normalise_arabic(a) for a in data.get("articles", []) if has_arabic(a)), ""),
            min_stem=int(data.get("min_stem", 2)),
            acronym_skip=frozenset(fold(w) for w in data.get("acronym_skip", [])),
        )


class Linker:
    """Sets ``entity_id`` and ``name`` on every mention of a document."""

    def __init__(self, kb: KnowledgeBase, places: Gazetteer, data: LinkData | None = None) -> None:
        self.kb = kb
        self.places = places
        self.data = data or LinkData.load()
        self._title_keys = {k for k, _ in self.data.titles}
        self._title_sizes = sorted({n for _, n in self.data.titles}, reverse=True)
        self._arabic_article = self.data.article
        # mentions repeat across documents: their text analysis is memoised (it is pure)
        self._analyse = lru_cache(maxsize=65536)(self._analyse_text)

    # -- preparing mentions ---------------------------------------------------------------
    def clean_name(self, text: str, person: bool = True) -> str:
        """The mention without leading titles (people only: "General Motors" keeps its word),
        leading articles ("the") and trailing possessives."""
        words = text.split()
        if words and len(words) > 1 and fold(words[0]) in self.data.lead_words:
            words = words[1:]
        for _ in range(4 if person else 0):
            for n in self._title_sizes:
                if len(words) > n and self._is_title(words[:n]):
                    words = words[n:]
                    break
            else:
                break
        out = " ".join(words).strip(" \t,;:.!?\"'“”‘’()[]«»")
        for suf in self.data.suffixes:
            if out.endswith(suf) and len(out) > len(suf) + 1:
                out = out[: -len(suf)]
                break
        return out or text.strip()

    def _is_title(self, words: list[str]) -> bool:
        key = fold(" ".join(words))
        if key in self._title_keys:
            return True
        return has_arabic(key) and any(v in self._title_keys for v in self._clitic_variants(key))

    def _clitic_variants(self, key: str) -> list[str]:
        """``key`` with Arabic clitics (up to two: "و" + "ب") taken off its first word. A clitic
        that carries the article ("بال", "لل") leaves the article on the stem ("للأمم" ->
        "الامم"); the bare article is never taken off, so "الرئيسي" (main) stays apart from
        the name "رئيسي"."""
        first, _, rest = key.partition(" ")
        if not has_arabic(first):
            return []
        art = self._arabic_article
        stems: list[str] = []
        frontier = [first]
        for _ in range(2):
            nxt = []
            for word in frontier:
                for c in self.data.clitics:
                    if c == art or not word.startswith(c) or len(word) - len(c) < self.data.min_stem:
                        continue
                    stem = word[len(c) :]
                    if c in self.data.article_clitics:
                        stem = art + stem
                    if stem not in stems:
                        stems.append(stem)
                        nxt.append(stem)
            frontier = nxt
        out = []
        for stem in stems:
            v = f"{stem} {rest}".strip()
            if v not in out and v != key:
                out.append(v)
        return out

    def _analyse_text(
        self, text: str, person: bool
    ) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """(clean name, lookup keys, the form of each key, name-part skeletons) of a mention text."""
        clean = self.clean_name(text, person)
        keys: list[str] = []
        forms: list[str] = []
        for form in dict.fromkeys((text.strip(), clean)):
            key = fold(form)
            for i, k in enumerate([key, *self._clitic_variants(key)] if key else []):
                if k not in keys:
                    keys.append(k)
                    forms.append(form if i == 0 else k)
        parts = part_skeletons(clean) or fold(clean).split()
        return clean, tuple(keys), tuple(forms), tuple(parts)

    def _prepare(self, mention: EntityMention) -> _M:
        clean, keys, forms, parts = self._analyse(mention.text, mention.type in ("PER", "MISC"))
        return _M(mention=mention, clean=clean, keys=list(keys), parts=list(parts), forms=list(forms))

    # -- lookups --------------------------------------------------------------------------
    def _kb(self, m: _M, types: tuple[str, ...]) -> list[KBEntry]:
        for form, key in zip(m.forms, m.keys):
            found = [e for e in self.kb.lookup(form, key=key) if e.type in types]
            if found:
                m.kb_words = len(key.split())
                return found
        return []

    def _places(self, m: _M, lang: str | None) -> list[PlaceMatch]:
        for form, key in zip(m.forms, m.keys):
            found = self.places.lookup(form, lang, key=key)
            if found:
                return found
        return []

    @staticmethod
    def _pick_entry(entries: list[KBEntry], ctx: Container[str]) -> KBEntry:
        for e in entries:
            if e.country and e.country in ctx:
                return e
        return entries[0]

    @staticmethod
    def _pick_place(matches: list[PlaceMatch], ctx: Container[str], kinds: tuple[str, ...]) -> Place | None:
        ms = [x for x in matches if x.place.kind in kinds]
        if not ms:
            return None
        top = ms[0]
        if top.source == "alias":
            return top.place
        if top.place.kind == "country":
            # a US state named like a country (Georgia) when the document is about the US
            for x in ms[1:]:
                if x.place.kind == "state" and x.place.country in ctx and top.place.country not in ctx:
                    return x.place
            return top.place
        same_kind = [x for x in ms if x.place.kind == top.place.kind]
        for x in same_kind:
            if x.place.country in ctx:
                return x.place
        return top.place

    def _direct(self, m: _M, lang: str | None, ctx: Container[str]) -> tuple[str, str, str] | None:
        t = m.mention.type
        if t == "PER":
            found = self._kb(m, ("PER",))
            if not found and (len(m.clean.split()) > 1 or _ACRONYM.match(m.clean) and m.clean.isupper()):
                found = self._kb(m, ("ORG",))  # a person-tagged organisation; single words stay people
            if found:
                e = self._pick_entry(found, ctx)
                return e.entity_id, e.name, "kb"
            return None
        if t == "ORG":
            found = self._kb(m, ("ORG",)) or self._kb(m, ("MISC", "LOC"))
            if found:
                e = self._pick_entry(found, ctx)
                return e.entity_id, e.name, "kb"
            matches = [x for x in self._places(m, lang) if x.source in ("alias", "name")]
            p = self._pick_place(matches, ctx, ("country",))
            return (p.id, p.name, "place") if p else None
        if t == "LOC":
            matches = self._places(m, lang)
            if matches and matches[0].source == "alias":
                return matches[0].place.id, matches[0].place.name, "place"
            found = self._kb(m, ("LOC",))
            if found:
                e = self._pick_entry(found, ctx)
                return e.entity_id, e.name, "kb"
            p = self._pick_place(matches, ctx, ("country", "continent", "state", "city"))
            if p:
                return p.id, p.name, "place"
            found = self._kb(m, ("ORG", "MISC"))
            if found:
                e = self._pick_entry(found, ctx)
                return e.entity_id, e.name, "kb"
            return None
        # MISC
        found = self._kb(m, ("MISC", "ORG", "LOC"))
        if found:
            e = self._pick_entry(found, ctx)
            return e.entity_id, e.name, "kb"
        p = self._pick_place(self._places(m, lang), ctx, ("country", "continent"))
        return (p.id, p.name, "place") if p else None

    def _context(self, ms: list[_M], lang: str | None) -> dict[str, set[str]]:
        """Countries the document names unambiguously (by its LOC mentions), each with the
        names that name it; a mention's own name does not count as its context."""
        ctx: dict[str, set[str]] = {}
        for m in ms:
            if m.mention.type != "LOC" or not m.keys:
                continue
            matches = self._places(m, lang)
            if (
                not matches
                or matches[0].place.kind not in ("country", "state")
                or not matches[0].place.country
            ):
                continue
            top = matches[0]
            if top.source == "alias" or sum(x.place.kind == top.place.kind for x in matches) == 1:
                ctx.setdefault(top.place.country, set()).add(m.keys[0])
        return ctx

    # -- the document ---------------------------------------------------------------------
    def link(self, doc: Document) -> None:
        ms = [self._prepare(e) for e in doc.entities]
        if not ms:
            return
        lang = doc.lang if doc.lang and doc.lang != "und" else None
        ctx = self._context(ms, lang)
        for m in ms:
            if m.keys:
                hit = self._direct(m, lang, _OtherContext(ctx, m.keys[0]))
                if hit:
                    m.entity_id, m.name, m.how = hit
        self._clitic_names(ms)
        self._partials(ms)
        self._acronyms(ms)
        self._unknowns(ms)
        for m in ms:
            m.mention.entity_id, m.mention.name = m.entity_id, m.name

    def _clitic_names(self, ms: list[_M]) -> None:
        """An unresolved Arabic name glued to a clitic ("وأحمد فوزي") is the name without it when
        the document also names it without ("أحمد فوزي"). Only then: many names begin with the
        same letters (وليد, فيصل, بشار, كريم)."""
        known = {tuple(m.parts) for m in ms if m.parts}
        within_longer = set(_shorter_runs(m.parts for m in ms if m.mention.type == "PER"))
        for m in ms:
            if m.entity_id is not None or not m.parts or not has_arabic(m.clean):
                continue
            first, _, rest = m.clean.partition(" ")
            first = normalise_arabic(first)
            for c in self.data.clitics:
                if c == self._arabic_article or not first.startswith(c):
                    continue
                stem = first[len(c) :]
                if len(stem) < self.data.min_stem:
                    continue
                clean = f"{stem} {rest}".strip()
                parts = part_skeletons(clean)
                if parts and (tuple(parts) in known or tuple(parts) in within_longer):
                    m.clean, m.parts = clean, parts
                    break

    def _partials(self, ms: list[_M]) -> None:
        people = [m for m in ms if m.mention.type == "PER"]
        # each shorter run of a person's name parts -> the mentions of that person (linear: at most
        # MAX_PARTIAL_PARTS runs start at each part). Candidates are in order of mention, ties by
        # the first mention of their full name.
        first_seen: dict[tuple[str, ...], int] = {}
        within: dict[tuple[str, ...], list[_M]] = {}
        for i, m in enumerate(people):
            first_seen.setdefault(tuple(m.parts), i)
            for run in dict.fromkeys(_shorter_runs([m.parts])):
                within.setdefault(run, []).append(m)
        rank = {id(m): (first_seen[tuple(m.parts)], i) for i, m in enumerate(people)}
        memo: dict[tuple[str, ...], list[_M]] = {}
        kb_ids: dict[tuple[str, ...], set[str | None]] = {}
        # longer names first, so that a partial resolves to an already final full name
        for m in sorted(
            (m for m in ms if m.mention.type in ("PER", "MISC") and m.parts), key=lambda m: -len(m.parts)
        ):
            short = tuple(m.parts)
            if short not in memo:
                memo[short] = sorted(within.get(short, ()), key=lambda c: (c.mention.start, rank[id(c)]))
            cands = memo[short]
            if not cands:
                continue
            if m.how == "kb":
                if short not in kb_ids:
                    # the candidates were linked before (longer names first); a candidate's id changes
                    # later only from None to an unknown id, never to a knowledge-base id
                    kb_ids[short] = {c.entity_id for c in cands}
                if m.kb_words > 1 or m.entity_id in kb_ids[short]:
                    continue  # a full alias ("King Salman"), or a surname alias naming one of the candidates
            full = _nearest(m, cands)
            if full.entity_id is None:
                full.entity_id, full.name, full.how = self._unknown_id(full), None, "unknown"
            m.entity_id, m.name, m.how = full.entity_id, full.name, "partial"

    def _acronyms(self, ms: list[_M]) -> None:
        acros = [
            m
            for m in ms
            if _ACRONYM.match(m.clean.replace(" ", ""))
            and m.clean.replace(".", "").isupper()
            and m.mention.type != "PER"
        ]
        if not acros:
            return
        # the first expansion (in document order) of each string of initials
        expansion: dict[str, _M] = {}
        for x in ms:
            if x.mention.type != "PER" and len(x.clean.split()) >= 2:
                for initials in self._initials(x.clean):
                    expansion.setdefault(initials, x)
        for a in acros:
            x = expansion.get(fold(a.clean).replace(" ", ""))
            if x is None:
                continue
            if a.how in _KNOWN and x.how not in _KNOWN:
                x.entity_id, x.name, x.how = a.entity_id, a.name, "acronym"
            elif a.how not in _KNOWN:
                if x.entity_id is None:
                    x.entity_id, x.name, x.how = self._unknown_id(x), None, "unknown"
                a.entity_id, a.name, a.how = x.entity_id, x.name, "acronym"

    def _initials(self, text: str) -> set[str]:
        words = [w for w in re.split(r"[\s\-‐–]+", fold(text.replace("-", " "))) if w]
        out = {"".join(w[0] for w in words)}
        kept = [w for w in words if w not in self.data.acronym_skip]
        if kept:
            out.add("".join(w[0] for w in kept))
        return out

    def _unknown_id(self, m: _M) -> str:
        key = skeleton(m.clean) if m.clean.strip() else ""
        if not key or not key.isprintable() or " " in key:
            # nothing name-like (punctuation, symbols): a digest of the text keeps the id stable
            key = "x" + hashlib.sha1(fold(m.clean).encode("utf-8")).hexdigest()[:12]
        return f"{m.mention.type.lower()}:{key}"

    def _unknowns(self, ms: list[_M]) -> None:
        for m in ms:
            if m.entity_id is None:
                m.entity_id, m.how = self._unknown_id(m), "unknown"
        # canonical name of ids outside the KB and gazetteer: the longest Latin form in the document
        best: dict[str, str] = {}
        for m in ms:
            if m.how in ("unknown", "partial", "acronym") and m.name is None:
                cur, cand = best.get(m.entity_id), m.clean
                better = (
                    not has_arabic(cand) and (has_arabic(cur) or len(cand.split()) > len(cur.split()))
                    if cur
                    else True
                )
                if better:
                    best[m.entity_id] = cand
        for m in ms:
            if m.name is None:
                n = best.get(m.entity_id, m.clean)
                m.name = transliterate(n) if has_arabic(n) else n


class _OtherContext:
    """The countries of the document's context that some mention other than one named ``own``
    names (``names - {own}`` is not empty), answered per country without copying the context."""

    __slots__ = ("names", "own")

    def __init__(self, names: dict[str, set[str]], own: str) -> None:
        self.names, self.own = names, own

    def __contains__(self, country: object) -> bool:
        names = self.names.get(country)  # type: ignore[call-overload]
        return bool(names) and (len(names) > 1 or self.own not in names)


def _shorter_runs(names: Iterable[list[str]]) -> Iterator[tuple[str, ...]]:
    """The contiguous runs of each name's parts that are shorter than the name, of at most
    ``MAX_PARTIAL_PARTS`` parts: what a partial mention of that name may be."""
    for parts in names:
        k = len(parts)
        for size in range(1, min(k - 1, MAX_PARTIAL_PARTS) + 1):
            for i in range(k - size + 1):
                yield tuple(parts[i : i + size])


def _nearest(m: _M, cands: list[_M]) -> _M:
    """The candidate mentioned last before ``m``, else the first after it (``cands`` sorted by start)."""
    i = bisect.bisect_left(cands, m.mention.start, key=lambda c: c.mention.start)
    return cands[i - 1] if i > 0 else cands[0]
