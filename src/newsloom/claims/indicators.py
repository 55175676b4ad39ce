"""Indicators from the claims table: figures over time with their spread across sources, and how
often each story's and each outlet's claims are backed or disputed by others.

Pure: claim rows (as the store holds them, with their cluster's level and parent story) and the
publication days of the documents they cite in, indicator rows out. ``newsloom indicators`` reads
the store (``store/claims_tables.py``) and prints or exports these.

**Series** (issue 11, item 5). Every source item of an event-level quantity claim is one *mark*:
the value the claim states, the outlet that states it (its publisher; a document without one is
its own outlet), and the day it was published. Marks fall into a series by (story, quantity kind,
place): the place is the first place in the claim's subject (``geo:`` and ``loc:`` ids: the
claims stage puts places first), else none. A series has one *point* per publication day: its
marks (one per outlet and value), the lowest and highest value, the median, how many outlets,
and ``spread`` = (high - low) / median. A toll that rises over days is several points, not a
dispute (updates are sequences in the claims table too).

**Agreement** (per story and per outlet), over the event-level claims of every kind (quantity,
event, statement): ``corroborated``, ``contradicted`` and ``single-source`` counts, and
``agreement`` = corroborated / (corroborated + contradicted), the share of an outlet's (a
story's) claims that others checked and found alike; None when none was checked. An outlet
counts a claim when one of its documents is among the claim's sources; a story counts the
claims of its events.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PLACE_PREFIXES = ("geo:", "loc:")


@dataclass(slots=True)
class Point:
    story_id: str
    kind: str
    place: str | None
    country: str | None
    date: str | None
    low: float
    high: float
    median: float
    spread: float
    outlets: int
    marks: list[dict[str, Any]] = field(default_factory=list)  # {outlet, value, doc_id, claim_id, status}

    def row(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Agreement:
    scope: str  # "story" or "outlet"
    key: str  # story id or outlet name
    claims: int = 0
    corroborated: int = 0
    contradicted: int = 0
    single_source: int = 0
    title: str | None = None

    @property
    def agreement(self) -> float | None:
        checked = self.corroborated + self.contradicted
        return round(self.corroborated / checked, 3) if checked else None

    def add(self, status: str) -> None:
        self.claims += 1
        if status == "corroborated":
            self.corroborated += 1
        elif status == "contradicted":
            self.contradicted += 1
        else:
            self.single_source += 1

    def row(self) -> dict[str, Any]:
        return {"scope": self.scope, "key": self.key, "title": self.title, "claims": self.claims,
                "corroborated": self.corroborated, "contradicted": self.contradicted,
                "single_source": self.single_source, "agreement": self.agreement}


def place_of(subject: Iterable[str] | None) -> str | None:
    return next((s for s in subject or [] if s.startswith(PLACE_PREFIXES)), None)


def country_code(entity_id: str | None, lookup: Callable[[str], str | None] | None = None) -> str | None:
    """ISO alpha-2 of a place id: ``geo:EG`` -> EG, ``geo:US-CA`` -> US, a gazetteer city through ``lookup``."""
    if not entity_id or not entity_id.startswith("geo:"):
        return None
    key = entity_id[4:]
    if len(key) == 2 and key.isalpha():
        return key.upper()
    if len(key) > 3 and key[2] == "-" and key[:2].isalpha():
        return key[:2].upper()
    return lookup(entity_id) if lookup else None


def _story(row: dict[str, Any]) -> str:
    return row.get("parent") or row["cluster_id"]


def _outlet(item: dict[str, Any]) -> str:
    return (item.get("publisher") or "").strip() or f"doc:{item['doc_id']}"


def series(claims: list[dict[str, Any]], published: dict[str, str | None], *, kind: str | None = None,
           place: str | None = None, country: str | None = None, story: str | None = None,
           country_lookup: Callable[[str], str | None] | None = None) -> list[Point]:
    """Time series points of the event-level quantity claims (module docstring), filtered by quantity
    kind, place id, country (alpha-2) and story; ``published`` maps doc ids to publication days."""
    marks: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for c in claims:
        if c.get("kind") != "quantity" or c.get("level") != "event" or c.get("value") is None:
            continue
        k = c.get("quantity_kind") or "other"
        where = place_of(c.get("subject"))
        code = country_code(where, country_lookup)
        if (kind and k != kind) or (place and where != place) or (country and code != country.upper()) or (
                story and _story(c) != story):
            continue
        for item in c.get("sources") or []:
            day = (published.get(item["doc_id"]) or "")[:10] or c.get("date")
            marks[(_story(c), k, where, code, day)].append(
                {"outlet": _outlet(item), "value": c["value"], "doc_id": item["doc_id"], "claim_id": c["claim_id"],
                 "status": c["status"]})
    points = []
    for (sid, k, where, code, day), ms in marks.items():
        seen: dict[tuple[str, float], dict[str, Any]] = {}
        for m in ms:  # one mark per outlet and value: copies and repeats count once
            seen.setdefault((m["outlet"], m["value"]), m)
        uniq = sorted(seen.values(), key=lambda m: (m["value"], m["outlet"]))
        values = [m["value"] for m in uniq]
        med = statistics.median(values)
        lo, hi = min(values), max(values)
        points.append(Point(story_id=sid, kind=k, place=where, country=code, date=day, low=lo, high=hi, median=med,
                            spread=round((hi - lo) / med, 3) if med else 0.0,
                            outlets=len({m["outlet"] for m in uniq}), marks=uniq))
    points.sort(key=lambda p: (p.story_id, p.kind, p.place or "", p.date or ""))
    return points


def agreement(claims: list[dict[str, Any]], *, story: str | None = None) -> tuple[list[Agreement], list[Agreement]]:
    """Per-story and per-outlet agreement over the event-level claims (module docstring)."""
    stories: dict[str, Agreement] = {}
    outlets: dict[str, Agreement] = {}
    titles: dict[str, str | None] = {c["cluster_id"]: c.get("cluster_title") for c in claims if c.get("level") == "story"}
    for c in claims:
        if c.get("level") != "event" or (story and _story(c) != story):
            continue
        sid = _story(c)
        stories.setdefault(sid, Agreement("story", sid, title=titles.get(sid) or c.get("cluster_title"))).add(c["status"])
        for name in sorted({_outlet(i) for i in c.get("sources") or []}):
            outlets.setdefault(name, Agreement("outlet", name)).add(c["status"])
    return sorted(stories.values(), key=_by_size), sorted(outlets.values(), key=_by_size)


def _by_size(a: Agreement) -> tuple:
    return (-a.claims, a.key)


def country_filter(country: str | None, link_config: Any = None) -> tuple[str | None, Callable[[str], str | None] | None]:
    """The alpha-2 code of ``--country`` (alpha-2 or alpha-3) and, for it, a lookup of a gazetteer
    city's country (``link_config``: the linker's settings, for the same gazetteer it links with)."""
    if not country:
        return None, None
    code = country.strip().upper()
    if len(code) == 3:
        from newsloom.events.countries import alpha3_table

        back = {a3: a2 for a2, a3 in alpha3_table().items()}
        if code not in back:
            raise ValueError(f"unknown country code {country!r}")
        code = back[code]
    elif len(code) != 2 or not code.isalpha():
        raise ValueError(f"a country is an ISO 3166 code such as EG or EGY, not {country!r}")
    if link_config is None:
        return code, None
    from newsloom.link.places import gazetteer

    places = gazetteer(link_config.min_city_population, link_config.cache_dir)

    def lookup(entity_id: str) -> str | None:
        place = places.get(entity_id)
        return place.country if place is not None else None

    return code, lookup


def report(claims: list[dict[str, Any]], published: dict[str, str | None], *, kind: str | None = None,
           place: str | None = None, country: str | None = None, story: str | None = None,
           country_lookup: Callable[[str], str | None] | None = None, out_dir: Path | None = None,
           ) -> tuple[list[Point], list[Agreement], list[Agreement]]:
    """Series and agreement (filtered as ``series`` and ``agreement``), written as ``indicators.jsonl``
    (one point a line) and ``agreement.jsonl`` (stories, then outlets) into ``out_dir`` when given."""
    points = series(claims, published, kind=kind, place=place, country=country, story=story,
                    country_lookup=country_lookup)
    stories, outlets = agreement(claims, story=story)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        _jsonl(out_dir / "indicators.jsonl", [p.row() for p in points])
        _jsonl(out_dir / "agreement.jsonl", [a.row() for a in stories + outlets])
    return points, stories, outlets


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    tmp.replace(path)


def render(points: list[Point], stories: list[Agreement], outlets: list[Agreement], limit: int,
           shown: Callable[[object], str]) -> list[Any]:
    """Rich tables of the three (``shown`` makes store text safe to print)."""
    from rich.table import Table

    t = Table(title="figures over time (one row a story, kind, place and day; values by outlet)")
    for col in ("story", "kind", "place", "day", "low", "high", "median", "spread", "outlets", "values"):
        t.add_column(col, overflow="fold")
    for p in points[:limit]:
        vals = "; ".join(f"{m['outlet']} {m['value']:g}" for m in p.marks)
        t.add_row(shown(p.story_id), shown(p.kind), shown(p.place or "-"), shown(p.date or "undated"),
                  f"{p.low:g}", f"{p.high:g}", f"{p.median:g}", f"{p.spread:.2f}", str(p.outlets), shown(vals))
    tables = [t]
    for title, rows in (("agreement per story", stories), ("agreement per outlet", outlets)):
        a = Table(title=f"{title} (event-level claims)")
        for col in ("key", "claims", "corroborated", "contradicted", "single-source", "agreement"):
            a.add_column(col, overflow="fold")
        for r in rows[:limit]:
            key = f"{r.key} {r.title}" if r.title else r.key
            a.add_row(shown(key), str(r.claims), str(r.corroborated), str(r.contradicted), str(r.single_source),
                      "-" if r.agreement is None else f"{r.agreement:.2f}")
        tables.append(a)
    return tables
