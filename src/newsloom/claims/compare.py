"""Align the figures the sources of one event or story state, and say which agree, which clash.

For one cluster (its documents, copies included):

1. Every figure becomes a ``FigureMention`` (mentions.py): an interval of the values its words
   allow, its subject, period, date, outlet and who it is attributed to.
2. Figures are compared only within a **comparison set**: the same kind (killed, personnel,
   money, ...), the same counted unit (troops, people, USD, tonnes) and the same period (a
   figure about "last year" never meets one about now).
3. Within a set, figures whose intervals overlap form one **value group**, the claim: exact
   figures first (sorted, each group keeping the intersection of its members' intervals), then
   approximations ("around 2,000"), then bounds ("at least 12"), each joining the overlapping
   group of the nearest value (a bound only within ``BOUND_REACH`` of it) or opening its own. So "some 2,000", "around 2,000" and "more than
   1,900" agree with 2,000, and "at least 12" joins 15 rather than contradict it.
4. Two value groups of a set **contradict** each other unless they are about different things
   or one updates the other:
   - different things: one document states a figure of one and the other's value (as any kind),
     attributed alike (a report that gives 18 killed in one town and 384 in all; the ministry's
     12 and the hospital's 15 in one report stay a dispute);
   - different happenings: in a story, the two come from different events and share no entity
     named by most of their outlets;
   - different things: each is placed (a linked LOC entity in the sentences of most of its outlets)
     and the places differ;
     for the loose kinds (``STRICT_KINDS``: money, other) the two must also share some entity and
     lie within ``STRICT_RATIO`` of each other (a ship's 42,000 tonnes is not a spill's 800);
   - an update: the later group (by publication day) has a figure whose sentence says so ("the
     toll rose to 30", a change "from 12 to 30") and a larger value: a sequence, both kept with
     their dates.
5. ``status``: ``contradicted`` when some group contradicts it, else ``corroborated`` when two
   or more independent outlets state it (copies and syndicated republications count once),
   else ``single-source``.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from newsloom.claims.mentions import FigureMention, claimable, figure_mentions
from newsloom.models import Document

STRICT_KINDS = ("money", "other")  # kinds that say little about what is counted: clash only on a shared entity
STRICT_RATIO = 3.0  # ... and only when the two values are within this factor of each other
DISPUTE_RATIO = 2.0  # one report citing two sources for figures further apart than this tells two things
BOUND_REACH = 1.5  # a bound ("at least 12") joins a group whose value is within this factor of it
MAX_SUBJECT = 4


@dataclass(slots=True, kw_only=True)
class Claim:
    """One row of the claims table (../shared/spec/EXPORT.md, claims.jsonl)."""

    claim_id: str
    cluster_id: str
    statement: str
    value: float | None
    status: str
    sources: list[dict[str, Any]]
    contradicting: list[dict[str, Any]]
    kind: str = "quantity"
    subject: list[str] = field(default_factory=list)
    quantity_kind: str | None = None
    date: str | None = None
    independent_sources: int = 0

    def row(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(slots=True)
class _Group:
    members: list[FigureMention]
    low: float
    high: float

    def fits(self, m: FigureMention) -> bool:
        return m.low <= self.high and self.low <= m.high

    def add(self, m: FigureMention) -> None:
        self.members.append(m)
        self.low, self.high = max(self.low, m.low), min(self.high, m.high)

    @property
    def value(self) -> float:
        """The figure the group states: the most common value of its most precise members."""
        for tier in ((None,), ("about",)):
            vals = [m.value for m in self.members if m.qualifier in tier]
            if vals:
                break
        else:
            vals = [m.value for m in self.members]
        counts = Counter(vals)
        return min(counts, key=lambda v: (-counts[v], v))

    @property
    def outlets(self) -> set[str]:
        return {m.outlet for m in self.members}

    @property
    def places(self) -> set[str]:
        """The places most of the group's outlets name beside the figure (one stray mention is not enough)."""
        named: dict[str, set[str]] = defaultdict(set)
        for m in self.members:
            for p in m.places:
                named[p].add(m.outlet)
        need = len(self.outlets) // 2 + 1
        return {p for p, outlets in named.items() if len(outlets) >= need}

    @property
    def entities(self) -> set[str]:
        return {e for m in self.members for e in m.subject}

    @property
    def first_date(self) -> str | None:
        dates = [m.date for m in self.members if m.date]
        return min(dates) if dates else None


def cluster_claims(cluster_id: str, docs: Iterable[Document]) -> list[Claim]:
    """The quantity claims of one cluster, from its documents (copies included, counted once)."""
    docs = list(docs)
    originals = {d.doc_id: d for d in docs}
    said: dict[str, list[FigureMention]] = {}  # every number of each report
    sets: dict[tuple[str, str, str | None], list[FigureMention]] = {}
    for d in docs:
        said[d.doc_id] = figure_mentions(d, originals, every=True)
        for m in said[d.doc_id]:
            if claimable(m):
                sets.setdefault((m.kind, m.unit or "", m.period), []).append(m)
    claims: list[Claim] = []
    used: set[str] = set()
    for (kind, unit, period), ms in sorted(sets.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "")):
        groups = value_groups(ms)
        for i, g in enumerate(groups):
            against = [h for j, h in enumerate(groups) if j != i and contradicts(g, h, kind, said)]
            claims.append(_claim(cluster_id, kind, unit, period, g, against, used))
    return claims


def value_groups(ms: list[FigureMention]) -> list[_Group]:
    """Figures of one comparison set, grouped by agreeing values (see the module docstring)."""
    groups: list[_Group] = []
    exact = sorted((m for m in ms if m.qualifier is None), key=_order)
    for m in exact:
        if groups and groups[-1].fits(m):
            groups[-1].add(m)
        else:
            groups.append(_Group([m], m.low, m.high))
    for tier in (("about",), None):
        rest = [m for m in ms if (m.qualifier in tier if tier else m.qualifier not in (None, "about"))]
        for m in sorted(rest, key=_order):
            fits = [g for g in groups if g.fits(m) and (m.qualifier == "about" or _near(g.value, m.value))]
            if fits:
                min(fits, key=lambda g: (abs(g.value - m.value), g.value)).add(m)
            else:
                groups.append(_Group([m], m.low, m.high))
    return groups


def _ratio(a: float, b: float) -> float:
    lo, hi = sorted((abs(a), abs(b)))
    return hi / lo if lo > 0 else math.inf


def _near(a: float, b: float) -> bool:
    return _ratio(a, b) <= BOUND_REACH


def contradicts(a: _Group, b: _Group, kind: str, said: dict[str, list[FigureMention]] | None = None) -> bool:
    """Whether two value groups of one comparison set clash (they never overlap by construction);
    ``said`` holds every number of each report (see ``stated_together``)."""
    if a.low <= b.high and b.low <= a.high:
        return False
    if stated_together(a, b, said or {}) or stated_together(b, a, said or {}):
        return False  # one report gives both figures on one account: they count different things
    pa, pb = a.places, b.places
    if pa and pb and not pa & pb:
        return False  # about different places
    ea, eb = {m.event_id for m in a.members}, {m.event_id for m in b.members}
    if None not in ea | eb and not ea & eb and not set(_subject(a.members)[0]) & set(_subject(b.members)[0]):
        return False  # figures of different events of a story, with nothing in common: different happenings
    if kind in STRICT_KINDS and (not a.entities & b.entities or _ratio(a.value, b.value) > STRICT_RATIO):
        return False  # nothing shows they count the same thing
    return not (updates(a, b) or updates(b, a))


def stated_together(a: _Group, b: _Group, said: dict[str, list[FigureMention]]) -> bool:
    """Whether a report stating a figure of ``a`` also states ``b``'s value (as any kind, the same unit
    or none: the kind a number gets varies with the wording), attributed alike (both to nobody, or to
    the same source) or, if to two sources, more than ``DISPUTE_RATIO`` apart.
    "18 died in Palu ... 384 in all" is two things; a report giving the ministry's 12 and the
    hospital's 15 reports a dispute."""
    for m in a.members:
        for n in said.get(m.doc_id, [m]):
            alike = n.attributed_to == m.attributed_to or _ratio(m.value, n.value) > DISPUTE_RATIO
            if (alike and n.period == m.period and b.low <= n.value <= b.high
                    and _near(n.value, b.value) and n.unit in (m.unit, None)
                    and (n.start, n.end) != (m.start, m.end)):
                return True
    return False


def updates(later: _Group, earlier: _Group) -> bool:
    """Whether ``later`` is an update of ``earlier`` (a larger figure, said to be one, reported later)."""
    first = earlier.first_date
    if first is None or later.value <= earlier.value:
        return False
    return any(m.update and m.date is not None and m.date > first for m in later.members)


def _order(m: FigureMention) -> tuple:
    return (m.value, m.date or "", m.doc_id, m.start)


def _claim(cluster_id: str, kind: str, unit: str, period: str | None, g: _Group,
           against: list[_Group], used: set[str]) -> Claim:
    subject, places = _subject(g.members)
    names = {k: v for m in g.members for k, v in m.names.items()}
    value = g.value
    key = "|".join([cluster_id, "quantity", kind, unit, period or "", ",".join(sorted(subject)), f"{value:g}"])
    claim_id = "cl-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    n = 1
    while claim_id in used:  # two groups with the same value and subject (bounds apart): keep ids unique
        n += 1
        claim_id = "cl-" + hashlib.sha1(f"{key}|{n}".encode()).hexdigest()[:16]
    used.add(claim_id)
    outlets = g.outlets
    if against:
        status = "contradicted"
    elif len(outlets) >= 2:
        status = "corroborated"
    else:
        status = "single-source"
    clash = sorted({id(m): m for h in against for m in h.members}.values(), key=_source_order)
    return Claim(
        claim_id=claim_id, cluster_id=cluster_id,
        statement=statement(value, unit, kind, [names[p] for p in places], [names[s] for s in subject if s not in places],
                            period),
        value=value, status=status,
        sources=[m.source_item() for m in sorted(g.members, key=_source_order)],
        contradicting=[m.source_item() for m in clash],
        subject=subject, quantity_kind=kind, date=g.first_date, independent_sources=len(outlets),
    )


def _source_order(m: FigureMention) -> tuple:
    return (m.date or "", m.doc_id, m.start)


def _subject(ms: list[FigureMention]) -> tuple[list[str], list[str]]:
    """The entities named beside the figure by most of its outlets (places first), leaving out who
    it is attributed to, and which of them are places."""
    sources = {m.attributed_to for m in ms}
    outlets: dict[str, set[str]] = {}
    first_seen: dict[str, int] = {}
    for m in ms:
        for e in m.subject:
            outlets.setdefault(e, set()).add(m.outlet)
            first_seen.setdefault(e, len(first_seen))
    places = {p for m in ms for p in m.places}
    need = len({m.outlet for m in ms}) // 2 + 1
    keep = [e for e in outlets if len(outlets[e]) >= need and e not in sources]
    keep.sort(key=lambda e: (e not in places, -len(outlets[e]), first_seen[e]))
    keep = keep[:MAX_SUBJECT]
    return keep, [e for e in keep if e in places]


_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def number(value: float) -> str:
    """A figure as an English reader writes it: 2,500; 1.2 billion; 5.6."""
    for scale, word in _SCALES:
        if abs(value) >= scale:
            return f"{value / scale:.3g} {word}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def statement(value: float, unit: str, kind: str, places: list[str], others: list[str], period: str | None) -> str:
    """A short English statement from the structured fields (never a translation of the text)."""
    if unit.isupper() and len(unit) == 3:  # a currency code
        base = f"{unit} {number(value)}"
    else:
        base = f"{number(value)} {unit}".strip()
    text = f"{base} ({kind})"
    if places:
        text += " in " + ", ".join(places)
    if others:
        text += "; " + ", ".join(others)
    if period:
        text += f" ({period})"
    return text
