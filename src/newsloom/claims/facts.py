"""Event-fact and attributed-statement claims: who did what to whom, when and where, and who says so.

Material: the ``events`` stage's mentions of the cluster's documents (copies included, counted once).

**Event facts** (``kind`` "event"). Each event mention that is not hypothetical and names an actor,
a target or a place is a ``FactMention``: its PLOVER type, its *class* (``MODE_CLASS``: what is
asserted or denied to have happened is a "fact", an announced action a "plan", a demanded one a
"demand"), its polarity (denied or negated: negative), its actor, target and place, its date
when the sentence states one (the publication day otherwise stands in only as ``when``), its
outlet and who it is attributed to.

1. Mentions of one type and class tell the **same happening** when their anchors (target and
   place) share an entity (``entity_key``: a name outside the knowledge base is one entity whatever
   type each language's tagger gave it); mentions with no anchor join the one happening of their actor, if
   there is exactly one, else stand alone.
2. Within a happening the sources' versions are split by **actor** (two actors agree when they
   are the same entity or name, or one is a country ``geo:XX`` and the other's country is that one: the
   army of X and X), by **polarity**, and by stated **date** (``dates_agree``: a month or a year
   agrees with the days inside it; two days agree within ``DATE_TOLERANCE_DAYS``). A mention
   without a stated date supports the version of its actor with the most outlets. Each version
   is one claim.
3. Two versions of one happening **contradict** when
   - one says it happened and the other that it did not (same actor, opposite polarity);
   - both say an attack (``BLAME_TYPES``) happened, to the same target or place, on days that
     agree, by different actors (**different actors blamed**); actors named by neither side are
     no clash, and acts with several doers at once (agreements, talks, fighting, sanctions,
     arrests) have several actors without a dispute;
   - both say it happened by the same actor on stated dates that disagree (**different dates**;
     for what is told as done, both dates must be days: a month in the sentence is too often the
     date of something else, "the tariff falls from July"), except for plans and demands
     reported on different days: a plan moved ("by July", later "by August") is a **sequence**,
     both kept with their dates;
   - and in every case only across outlets: two versions that only one outlet tells (two events
     of one report, a report and its copy) are two things it says, not a dispute.

A date is *stated* for an event when the date mention the events stage took for it stands within
``DATE_REACH`` words of the trigger (a date further away in a long sentence is mostly another
thing's: "a week after the talks of 10 March").

**Attributed statements** (``kind`` "statement"): an event mention in a sentence that names who
says it ("X said the troops will leave by July": ``attribution.py``'s cues) is also a statement
of that source, when the source is a linked entity that can speak (a person, an organisation, a
country; not a city named beside the cue). Statements of one source, type and class about the same happening align across
outlets and languages the same way; two versions with stated dates that disagree, or opposite
polarity, contradict when they were reported on the same day, and are a sequence (the source
said one, then the other) when all of one's reports come later than all of the other's.

``status`` as for quantities: ``contradicted``, else ``corroborated`` by two or more independent
outlets (a copy or syndicated republication counts as its original's outlet), else
``single-source``. Statements are short English built from the fields ("Varnesia attacked Kessa
on 2031-05-09"), never a translation of the text.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date as Date

import regex

from newsloom.claims.attribution import attribution_finder
from newsloom.claims.compare import Claim
from newsloom.claims.mentions import outlet_key
from newsloom.events.countries import alpha3
from newsloom.models import Document, EventMention

MODE_CLASS = {"asserted": "fact", "denied": "fact", "planned": "plan", "demanded": "demand"}  # hypothetical: none
DATE_TOLERANCE_DAYS = 1  # two stated days this close agree (time zones, "overnight", late-night reports)
DATE_REACH = 8  # words between a trigger and the date stated for it
BLAME_TYPES = frozenset({"ASSAULT"})  # acts whose doer is disputed, not shared (sanctions, arrests, threats often
# have several doers at once: the Security Council and Washington both sanction)
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")

# English wording of a PLOVER type in a claim's statement: (past tense, base form)
VERBS = {
    "AGREE": ("agreed with", "agree with"), "CONSULT": ("met", "meet"), "SUPPORT": ("supported", "support"),
    "CONCEDE": ("made concessions to", "make concessions to"), "COOPERATE": ("cooperated with", "cooperate with"),
    "AID": ("gave aid to", "give aid to"), "RETREAT": ("withdrew from", "withdraw from"),
    "REQUEST": ("asked", "ask"), "ACCUSE": ("accused", "accuse"), "REJECT": ("rejected", "reject"),
    "THREATEN": ("threatened", "threaten"), "PROTEST": ("protested against", "protest against"),
    "SANCTION": ("sanctioned", "sanction"), "MOBILIZE": ("mobilised against", "mobilise against"),
    "COERCE": ("coerced", "coerce"), "ASSAULT": ("attacked", "attack"), "FIGHT": ("fought", "fight"),
    "DEMAND": ("demanded of", "demand of"), "DISAPPROVE": ("criticised", "criticise"),
    "INVESTIGATE": ("investigated", "investigate"),
}


@dataclass(slots=True, kw_only=True)
class FactMention:
    doc_id: str
    start: int  # the sentence
    end: int
    text: str
    type: str
    cls: str  # fact, plan, demand
    positive: bool
    actor: str | None
    target: str | None
    location: str | None
    actor_country: str | None
    date: str | None  # stated in the sentence (YYYY, YYYY-MM or YYYY-MM-DD), else None
    published: str | None  # the report's day
    outlet: str
    publisher: str | None
    attributed_to: str | None
    names: dict[str, str] = field(default_factory=dict)

    @property
    def anchors(self) -> set[str]:
        return {entity_key(e) for e in (self.target, self.location) if e}

    @property
    def when(self) -> str | None:
        return self.date or self.published

    def source_item(self) -> dict[str, object]:
        return {"doc_id": self.doc_id, "start": self.start, "end": self.end, "text": self.text,
                "publisher": self.publisher, "attributed_to": self.attributed_to}


def fact_mentions(doc: Document, originals: dict[str, Document]) -> list[FactMention]:
    """The claimable event mentions of one document (see the module docstring)."""
    if not doc.events:
        return []
    outlet = outlet_key(doc, originals)
    finder = attribution_finder(doc.lang)
    ents = sorted(doc.entities, key=lambda e: e.start)
    names = {e.entity_id: e.name or e.text for e in ents if e.entity_id}
    published = (doc.published or "")[:10] or None
    out = []
    for e in doc.events:
        cls = MODE_CLASS.get(e.mode)
        if cls is None or not (e.actor or e.target or e.location) or not (0 <= e.start < e.end <= len(doc.text)):
            continue
        who = finder.attribute(doc.text, (e.start, e.end), (e.trigger_start, e.trigger_end), ents)
        speaker = who.source if who else None
        out.append(FactMention(
            doc_id=doc.doc_id, start=e.start, end=e.end, text=doc.text[e.start:e.end], type=e.type, cls=cls,
            positive=e.mode != "denied" and not e.negated, actor=e.actor, target=e.target, location=e.location,
            actor_country=e.actor_country, date=stated_date(doc, e), published=published, outlet=outlet,
            publisher=doc.publisher, attributed_to=speaker,
            names={k: names[k] for k in (e.actor, e.target, e.location, speaker) if k in names},
        ))
    return out


def stated_date(doc: Document, e: EventMention) -> str | None:
    """The event's date when a date mention of its sentence says it (not the publication-day default)."""
    if not e.date:
        return None
    for d in doc.dates:
        if e.start <= d.start and d.end <= e.end and d.value == e.date:
            lo, hi = (d.end, e.trigger_start) if d.end <= e.trigger_start else (e.trigger_end, d.start)
            if len(_WORD.findall(doc.text, lo, max(lo, hi))) <= DATE_REACH:
                return _day(e.date)
    return None


def _day(value: str) -> str | None:
    v = value[:10]
    return v if len(v) in (4, 7, 10) and v[:4].isdigit() else None


def dates_agree(a: str | None, b: str | None) -> bool:
    """Two stated dates agree: either is unknown, the coarser contains the finer, or two days lie within
    ``DATE_TOLERANCE_DAYS``."""
    if not a or not b:
        return True
    if len(a) != len(b):
        short, long_ = sorted((a, b), key=len)
        return long_.startswith(short)
    if len(a) == 10:
        try:
            return abs((Date.fromisoformat(a) - Date.fromisoformat(b)).days) <= DATE_TOLERANCE_DAYS
        except ValueError:
            return a == b
    return a == b


LOCAL_PREFIXES = ("per:", "org:", "loc:", "misc:")  # linker ids of names not in the knowledge base


def entity_key(entity_id: str) -> str:
    """An id without the tagger's type for names outside the knowledge base ("org:bnj" and "misc:bnj" are
    one name, typed ORG by one language's tagger and MISC by another's); ``geo:``/``kb:`` ids stay whole."""
    for p in LOCAL_PREFIXES:
        if entity_id.startswith(p):
            return "name:" + entity_id[len(p):]
    return entity_id


def actors_agree(a: FactMention, b: FactMention) -> bool:
    if a.actor == b.actor:
        return True
    if not a.actor or not b.actor:
        return False
    if entity_key(a.actor) == entity_key(b.actor):
        return True
    ca, cb = _country_of(a.actor), _country_of(b.actor)
    return bool(ca and ca == b.actor_country or cb and cb == a.actor_country)


def _country_of(entity_id: str) -> str | None:
    """alpha-3 of a country entity ``geo:XX`` (not of places inside one)."""
    code = entity_id[4:] if entity_id.startswith("geo:") else ""
    return alpha3(code) if len(code) == 2 else None


# ------------------------------------------------------------------ grouping
@dataclass(slots=True)
class _Version:
    members: list[FactMention]
    positive: bool
    actor: str | None

    @property
    def outlets(self) -> set[str]:
        return {m.outlet for m in self.members}

    @property
    def dates(self) -> list[str]:
        return sorted({m.date for m in self.members if m.date})

    @property
    def date(self) -> str | None:
        """The most precise date its members state (the most common of those), else None."""
        ds = [m.date for m in self.members if m.date]
        if not ds:
            return None
        counts = Counter(ds)
        return min(counts, key=lambda d: (-len(d), -counts[d], d))

    @property
    def days(self) -> list[str]:
        return sorted({m.published for m in self.members if m.published})


def happenings(ms: list[FactMention], link_actor: bool = True) -> list[list[FactMention]]:
    """Mentions of one type and class grouped by shared anchors; anchorless ones join their actor's
    only happening (``link_actor``), else stand alone."""
    parent = list(range(len(ms)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_anchor: dict[str, int] = {}
    for i, m in enumerate(ms):
        for a in sorted(m.anchors):
            if a in by_anchor:
                parent[find(i)] = find(by_anchor[a])
            else:
                by_anchor[a] = i
    anchored = [i for i, m in enumerate(ms) if m.anchors]
    loose: dict[str | None, list[int]] = {}
    for i, m in enumerate(ms):
        if m.anchors:
            continue
        roots = {find(j) for j in anchored if actors_agree(ms[j], m)} if link_actor else set()
        if len(roots) == 1:
            parent[i] = roots.pop()
        else:
            loose.setdefault(entity_key(m.actor) if m.actor else None, []).append(i)
    for idx in loose.values():  # anchorless mentions of one actor with no (or several) happenings: one
        for i in idx[1:]:
            parent[find(i)] = find(idx[0])
    groups: dict[int, list[FactMention]] = {}
    for i, m in enumerate(ms):
        groups.setdefault(find(i), []).append(m)
    return list(groups.values())


def versions(ms: list[FactMention]) -> list[_Version]:
    """One happening's mentions split by polarity, actor and stated date (module docstring, 2)."""
    out: list[_Version] = []
    for positive in (True, False):
        side = [m for m in ms if m.positive == positive]
        actor_groups: list[list[FactMention]] = []
        for m in sorted(side, key=_order):
            for g in actor_groups:
                if g[0].actor and m.actor and actors_agree(g[0], m) or g[0].actor is None and m.actor is None:
                    g.append(m)
                    break
            else:
                actor_groups.append([m])
        for g in actor_groups:
            out += _by_date(g, positive)
    return out


def _by_date(ms: list[FactMention], positive: bool) -> list[_Version]:
    dated: list[_Version] = []
    for m in sorted((m for m in ms if m.date), key=_order):
        for v in dated:
            if all(dates_agree(d, m.date) for d in v.dates):
                v.members.append(m)
                break
        else:
            dated.append(_Version([m], positive, ms[0].actor))
    undated = [m for m in ms if not m.date]
    if undated:
        if dated:
            max(dated, key=lambda v: (len(v.outlets), -dated.index(v))).members.extend(undated)
        else:
            dated.append(_Version(undated, positive, ms[0].actor))
    for v in dated:
        v.members.sort(key=_order)
    return dated


def _order(m: FactMention) -> tuple:
    return (m.published or "", m.doc_id, m.start)


def fact_clash(a: _Version, b: _Version, cls: str) -> bool:
    """Whether two versions of one happening contradict each other (module docstring, 3)."""
    same_actor = a.actor is not None and b.actor is not None and actors_agree(a.members[0], b.members[0])
    if a.positive != b.positive:
        return same_actor
    if not a.positive:
        return False
    if same_actor or (a.actor is None and b.actor is None):
        if cls == "fact":
            return not all(dates_agree(x, y) for x in a.dates for y in b.dates if len(x) == len(y) == 10)
        return not all(dates_agree(x, y) for x in a.dates for y in b.dates) and not _apart(a, b)
    if a.actor is None or b.actor is None or a.members[0].type not in BLAME_TYPES:
        return False
    return any(dates_agree(x.when, y.when) for x in a.members for y in b.members)


def statement_clash(a: _Version, b: _Version) -> bool:
    """Two versions of what one source said: opposite polarity or disagreeing dates, reported on the same day."""
    differ = a.positive != b.positive or not all(dates_agree(x, y) for x in a.dates for y in b.dates)
    return differ and not _apart(a, b)


def _apart(a: _Version, b: _Version) -> bool:
    """All of one's reports come on days after all of the other's: a sequence."""
    da, db = a.days, b.days
    return bool(da and db) and (da[-1] < db[0] or db[-1] < da[0])


# ------------------------------------------------------------------ claims
def event_claims(cluster_id: str, docs: Iterable[Document], used: set[str] | None = None) -> list[Claim]:
    """The event-fact claims of one cluster."""
    docs = list(docs)
    originals = {d.doc_id: d for d in docs}
    sets: dict[tuple[str, str], list[FactMention]] = {}
    for d in docs:
        for m in fact_mentions(d, originals):
            sets.setdefault((m.type, m.cls), []).append(m)
    return _claims(cluster_id, "event", sets, used if used is not None else set(), display_names(docs))


def statement_claims(cluster_id: str, docs: Iterable[Document], used: set[str] | None = None) -> list[Claim]:
    """The attributed-statement claims of one cluster: event mentions a named source is cited for."""
    docs = list(docs)
    originals = {d.doc_id: d for d in docs}
    sets: dict[tuple[str, str], list[FactMention]] = {}
    for d in docs:
        # a named, linked source (words as written are too loose to align) that can speak: a person, an
        # organisation, a country's government; a city or region named next to the cue ("a court source
        # in Girona said") is where the speaker is, not who
        linked = {e.entity_id for e in d.entities if e.entity_id and (e.type != "LOC" or _country_of(e.entity_id))}
        for m in fact_mentions(d, originals):
            if m.attributed_to in linked:
                sets.setdefault((entity_key(m.attributed_to), m.type, m.cls), []).append(m)
    return _claims(cluster_id, "statement", sets, used if used is not None else set(), display_names(docs))


def display_names(docs: Iterable[Document]) -> dict[str, str]:
    """One English-reader name per entity id of the cluster: the most common Latin-script name its
    mentions carry, else the most common name."""
    seen: dict[str, Counter] = {}
    for d in docs:
        for e in d.entities:
            if e.entity_id:
                seen.setdefault(e.entity_id, Counter())[e.name or e.text] += 1
    out = {}
    for eid, counts in seen.items():
        latin = [n for n in counts if _LATIN.search(n) and not _NON_LATIN.search(n)]
        pool = latin or list(counts)
        out[eid] = min(pool, key=lambda n: (-counts[n], n))
    return out


_LATIN = regex.compile(r"\p{Latin}")
_NON_LATIN = regex.compile(r"[^\p{Latin}\p{M}\P{L}]")


def _claims(cluster_id: str, kind: str, sets: dict[tuple, list[FactMention]], used: set[str],
            names: dict[str, str]) -> list[Claim]:
    claims: list[Claim] = []
    for key in sorted(sets):
        cls = key[-1]
        for happening in happenings(sets[key]):
            vs = versions(happening)
            for i, v in enumerate(vs):
                against = [w for j, w in enumerate(vs) if j != i and len(v.outlets | w.outlets) > 1
                           and (fact_clash(v, w, cls) if kind == "event" else statement_clash(v, w))]
                claims.append(_claim(cluster_id, kind, key, cls, v, against, used, names))
    return claims


def _claim(cluster_id: str, kind: str, key: tuple, cls: str, v: _Version, against: list[_Version],
           used: set[str], cluster_names: dict[str, str]) -> Claim:
    ms = v.members
    typ = ms[0].type
    names = {k: n for m in ms for k, n in m.names.items()} | cluster_names
    target = _most(m.target for m in ms)
    location = _most(m.location for m in ms if m.location != target)
    speaker = ms[0].attributed_to if kind == "statement" else None
    subject = [e for e in dict.fromkeys((v.actor, target, location)) if e]
    ident = "|".join([cluster_id, kind, *key, str(v.positive), v.actor or "", target or "", location or "",
                      v.date or ""])
    claim_id = "cl-" + hashlib.sha1(ident.encode("utf-8")).hexdigest()[:16]
    n = 1
    while claim_id in used:
        n += 1
        claim_id = "cl-" + hashlib.sha1(f"{ident}|{n}".encode()).hexdigest()[:16]
    used.add(claim_id)
    outlets = v.outlets
    status = "contradicted" if against else "corroborated" if len(outlets) >= 2 else "single-source"
    clash = sorted({id(m): m for w in against for m in w.members}.values(), key=_order)
    text = describe(typ, cls, v.positive, names.get(v.actor or "", v.actor), names.get(target or "", target),
                    names.get(location or "", location), v.date)
    if speaker:
        text = f"{names.get(speaker, speaker)} said: {text}"
    return Claim(claim_id=claim_id, cluster_id=cluster_id, statement=text, value=None, status=status,
                 sources=[m.source_item() for m in ms], contradicting=[m.source_item() for m in clash],
                 kind=kind, subject=subject, quantity_kind=None, date=v.date or (v.days[0] if v.days else None),
                 independent_sources=len(outlets))


def _most(values: Iterable[str | None]) -> str | None:
    counts = Counter(x for x in values if x)
    return min(counts, key=lambda x: (-counts[x], x)) if counts else None


def describe(typ: str, cls: str, positive: bool, actor: str | None, target: str | None, location: str | None,
             when: str | None) -> str:
    """A short English statement from the fields: "Varnesia attacked Kessa in Kessa on 2031-05-09"."""
    past, base = VERBS.get(typ, (typ.lower(), typ.lower()))
    who = actor or "someone"
    obj = f" {target}" if target else ""
    if not target:  # "withdrew from", "gave aid to" need an object: keep the verb alone
        past, base = past.split(" ")[0], base.split(" ")[0]
    if cls == "plan":
        text = f"{who} will {'not ' if not positive else ''}{base}{obj}"
    elif cls == "demand":
        text = f"demand that {who} {'not ' if not positive else ''}{base}{obj}"
    elif positive:
        text = f"{who} {past}{obj}"
    else:
        text = f"{who} did not {base}{obj}"
    if location:
        text += f" in {location}"
    if when:
        text += f" {'by' if cls != 'fact' else 'on'} {when}"
    return text[0].upper() + text[1:]
