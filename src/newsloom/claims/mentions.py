"""Quantity mentions as claim material: each figure with its sentence, subject, date, outlet and source.

A ``FigureMention`` is one ``models.Quantity`` of one document, seen the way the comparer needs it:

- **interval**: the values the words allow, from the qualifier (``TOLERANCES``): "12" is 12 (within
  ``EXACT`` relative rounding), "around 2,000" is 2,000 +/- ``ABOUT``, "at least 12" / "more than
  1,900" is [v, inf), "up to 800" / "less than 20" is [0, v]; the two ends of a range
  ("between 10 and 20") are bounds, and the first number of a change ("from 120 to 1,500") is the
  old state, left out;
- **subject**: the linked entities of its sentence (``places`` are its linked LOC entities);
- **period**: the year of a date in its sentence that is not the publication year ("last year's
  trade"), so figures about another period never meet; ``date`` is the day the figure is stated for
  (the publication day, so a later report's figure comes later; undated documents take a
  day-precision date of the sentence);
- **outlet**: the publisher (case-folded), copies and syndicated republications taking their
  original's, so one article counts once; an unknown publisher counts as its own outlet;
- **attributed_to**: who is quoted or cited for it (``attribution.py``); **update**: its sentence
  says it is an update ("the toll rose to 30").
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

from newsloom.claims.attribution import attribution_finder
from newsloom.models import Document, EntityMention

EXACT = 0.01  # relative rounding allowed between two exact figures
ABOUT = 0.10  # "around", "some", "nearly": +/- this share of the value
BOUNDS = {"at_least": "low", "more_than": "low", "min": "low", "less_than": "high", "up_to": "high", "max": "high"}
# kinds compared as figures; "other" only with a counted unit, never a bare number or a multiplier
SKIP_UNITS = {None, "multiplier", "percent", "days", "hours", "weeks", "months", "years", "minutes", "metres",
              "kilometres", "centimetres", "times"}  # durations, shares and lengths describe, they are rarely claims
_SENT_END = re.compile(r"[.!?\u061f\u06d4]+(?=\s|$)|\n+")  # not inside "2.500"


@dataclass(slots=True, kw_only=True)
class FigureMention:
    doc_id: str
    start: int
    end: int
    text: str
    value: float
    low: float
    high: float
    kind: str
    unit: str | None
    qualifier: str | None
    role: str | None = None
    publisher: str | None
    outlet: str
    lang: str | None
    date: str | None
    period: str | None
    subject: list[str] = field(default_factory=list)  # linked entity ids of the sentence, in order
    places: frozenset[str] = frozenset()
    names: dict[str, str] = field(default_factory=dict)  # entity id -> display name
    attributed_to: str | None = None
    update: bool = False
    event_id: str | None = None  # the event of its document (a story holds several)

    @property
    def point(self) -> bool:
        """An exact or approximate figure, not a bound ("at least 12", "up to 800")."""
        return self.qualifier not in BOUNDS

    def source_item(self) -> dict[str, object]:
        return {"doc_id": self.doc_id, "start": self.start, "end": self.end, "text": self.text,
                "publisher": self.publisher, "attributed_to": self.attributed_to}


def interval(value: float, qualifier: str | None) -> tuple[float, float]:
    """The values a figure's words allow."""
    side = BOUNDS.get(qualifier or "")
    if side == "low":
        return value, math.inf
    if side == "high":
        return 0.0, value
    tol = ABOUT if qualifier == "about" else EXACT
    return value * (1 - tol), value * (1 + tol)


def outlet_key(doc: Document, originals: dict[str, Document]) -> str:
    """One key per independent outlet: a copy counts as its original's outlet."""
    seen = set()
    while doc.duplicate_of and doc.duplicate_of in originals and doc.doc_id not in seen:
        seen.add(doc.doc_id)
        doc = originals[doc.duplicate_of]
    if doc.duplicate_of and doc.duplicate_of not in originals:
        return "doc:" + doc.duplicate_of
    pub = (doc.publisher or "").strip().casefold()
    return "pub:" + pub if pub else "doc:" + doc.doc_id


def sentences_of(doc: Document) -> list[tuple[int, int]]:
    """The document's sentences as (start, end), or a split at sentence punctuation when it has none."""
    if doc.sentences:
        return sorted((s.start, s.end) for s in doc.sentences)
    out, pos = [], 0
    for m in _SENT_END.finditer(doc.text):
        out.append((pos, m.end()))
        pos = m.end()
    if pos < len(doc.text):
        out.append((pos, len(doc.text)))
    return out


def claimable(m: FigureMention) -> bool:
    """A figure that can be a claim: a counted unit, not the old side of a change."""
    return m.unit not in SKIP_UNITS and m.role != "from"


def figure_mentions(doc: Document, originals: dict[str, Document], every: bool = False) -> list[FigureMention]:
    """The figures of one document that can be claims (``claimable``), or with ``every`` all its numbers
    (what else the report states, for telling two things from a dispute)."""
    qs = [q for q in doc.quantities if q.value is not None
          and (every or (q.unit not in SKIP_UNITS and q.role != "from"))]
    if not qs:
        return []
    sents = sentences_of(doc)
    starts = [s[0] for s in sents]
    finder = attribution_finder(doc.lang)
    outlet = outlet_key(doc, originals)
    pub_day = (doc.published or "")[:10] or None
    pub_year = pub_day[:4] if pub_day else None
    ents = sorted(doc.entities, key=lambda e: e.start)
    out = []
    for q in qs:
        k = bisect.bisect_right(starts, q.start) - 1
        sent = sents[k] if k >= 0 and sents[k][1] >= q.end else (q.start, q.end)
        inside = [e for e in ents if e.start >= sent[0] and e.end <= sent[1]]
        subject, names, places = _subject(inside)
        date, period = pub_day, None
        for dm in doc.dates:
            if dm.start >= sent[0] and dm.end <= sent[1] and dm.value[:4].isdigit():
                if pub_year and dm.value[:4] != pub_year:
                    period = dm.value[:4]
                elif date is None and len(dm.value) >= 10:
                    date = dm.value[:10]
        low, high = interval(float(q.value), q.qualifier or _role_bound(q.role))
        who = finder.attribute(doc.text, sent, (q.start, q.end), ents)
        out.append(FigureMention(
            doc_id=doc.doc_id, start=q.start, end=q.end, text=doc.text[q.start:q.end], value=float(q.value),
            low=low, high=high, kind=q.kind or "other", unit=q.unit, qualifier=q.qualifier or _role_bound(q.role),
            role=q.role,
            publisher=doc.publisher, outlet=outlet, lang=doc.lang, date=date, period=period,
            subject=subject, names=names, places=places, attributed_to=who.source if who else None,
            update=q.role == "to" or finder.has_update(doc.text, *sent), event_id=doc.event_id,
        ))
    return out


def _role_bound(role: str | None) -> str | None:
    return role if role in ("min", "max") else None


def _subject(ents: list[EntityMention]) -> tuple[list[str], dict[str, str], frozenset[str]]:
    ids: list[str] = []
    names: dict[str, str] = {}
    places = set()
    for e in ents:
        if not e.entity_id:
            continue
        if e.entity_id not in names:
            ids.append(e.entity_id)
            names[e.entity_id] = e.name or e.text
        if e.type == "LOC":
            places.add(e.entity_id)
    return ids, names, frozenset(places)
