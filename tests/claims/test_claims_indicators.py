"""Indicators: figures over time with their spread across sources, and agreement per story and outlet;
the pure functions on hand-written claim rows, and ``newsloom indicators`` over a real store."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from typer.testing import CliRunner

from newsloom.claims.indicators import agreement, country_code, country_filter, series


def item(doc_id: str, publisher: str | None) -> dict:
    return {"doc_id": doc_id, "start": 0, "end": 1, "text": "x", "publisher": publisher, "attributed_to": None}


def claim(claim_id, cluster, value, status, sources, *, kind="killed", subject=("geo:EG",), level="event",
          parent="st-1", claim_kind="quantity"):
    return {"claim_id": claim_id, "cluster_id": cluster, "value": value, "status": status, "sources": sources,
            "contradicting": [], "kind": claim_kind, "quantity_kind": kind if claim_kind == "quantity" else None,
            "subject": list(subject), "date": None, "level": level, "parent": parent, "cluster_title": None}


DAYS = {"a": "2031-03-09T08:00:00", "b": "2031-03-09", "b-copy": "2031-03-09", "c": "2031-03-09",
        "d": "2031-03-10", "e": "2031-03-10"}
CLAIMS = [
    # day one: two outlets say 12 (one of them also through a syndicated copy), one says 15
    claim("k12", "ev-1", 12.0, "contradicted", [item("a", "Harbor Times"), item("b", "Kabar Timur"),
                                                item("b-copy", "Kabar Timur")]),
    claim("k15", "ev-1", 15.0, "contradicted", [item("c", "الساحل")]),
    # day two: the toll rose to 30 (an update: a later point, not a dispute)
    claim("k30", "ev-1", 30.0, "single-source", [item("d", "Harbor Times")]),
    # another kind, another place; and an event claim (counted for agreement, never a figure)
    claim("inj", "ev-1", 40.0, "corroborated", [item("d", "Harbor Times"), item("e", None)], kind="injured",
          subject=("geo:gn360630", "per:x")),
    claim("ev", "ev-1", None, "corroborated", [item("a", "Harbor Times"), item("c", "الساحل")], claim_kind="event"),
    # the same figures at story level are not counted twice
    claim("s12", "st-1", 12.0, "contradicted", [item("a", "Harbor Times")], level="story", parent=None),
]


def test_series_points_spread_and_filters():
    killed = series(CLAIMS, DAYS, kind="killed")
    assert [(p.date, p.low, p.high, p.median, p.outlets, p.spread) for p in killed] == [
        ("2031-03-09", 12.0, 15.0, 12.0, 3, 0.25),
        ("2031-03-10", 30.0, 30.0, 30.0, 1, 0.0),
    ]
    first = killed[0]
    assert (first.story_id, first.place, first.country) == ("st-1", "geo:EG", "EG")
    assert [(m["outlet"], m["value"]) for m in first.marks] == [("Harbor Times", 12.0), ("Kabar Timur", 12.0),
                                                                ("الساحل", 15.0)], "the copy counts once"
    assert series(CLAIMS, DAYS, kind="killed", place="geo:IQ") == []
    assert len(series(CLAIMS, DAYS, country="EG")) == 2
    # a gazetteer city's country comes through the lookup
    cairo = series(CLAIMS, DAYS, country="EG", kind="injured", country_lookup={"geo:gn360630": "EG"}.get)
    assert [(p.place, p.outlets, [m["outlet"] for m in p.marks]) for p in cairo] == [
        ("geo:gn360630", 2, ["Harbor Times", "doc:e"])]


def test_agreement_per_story_and_outlet():
    stories, outlets = agreement(CLAIMS)
    assert [a.row() for a in stories] == [{"scope": "story", "key": "st-1", "title": None, "claims": 5,
                                           "corroborated": 2, "contradicted": 2, "single_source": 1,
                                           "agreement": 0.5}]
    rows = {a.key: (a.claims, a.corroborated, a.contradicted, a.single_source, a.agreement) for a in outlets}
    assert rows == {"Harbor Times": (4, 2, 1, 1, 0.667), "Kabar Timur": (1, 0, 1, 0, 0.0),
                    "الساحل": (2, 1, 1, 0, 0.5), "doc:e": (1, 1, 0, 0, 1.0)}


def test_country_codes():
    assert country_code("geo:US-CA") == "US" and country_code("loc:kessa") is None
    assert country_filter("egy") == ("EG", None) and country_filter("EG") == ("EG", None)
    for bad in ("XYZ", "E1"):
        try:
            country_filter(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_indicators_command_over_a_store(tmp_path, monkeypatch):
    here = Path(__file__).resolve()
    sys.path[:0] = [str(here.parent), str(here.parents[1] / "passes")]
    from test_claims_golden import flood_story
    from test_passes_claims import _store

    from newsloom.cli import app
    from newsloom.config import load_config
    from newsloom.passes.claims import ClaimsPass

    docs = list(flood_story())
    with _store(tmp_path, docs, {d.doc_id: ("ev-flood", "st-flood") for d in docs}) as store:
        store.replace_clusters([
            {"cluster_id": "ev-flood", "level": "event", "parent": "st-flood", "doc_ids": [d.doc_id for d in docs],
             "title": "flood", "start_date": "2031-02-04", "end_date": "2031-02-05", "languages": ["id"],
             "outlets": [], "size": 4},
            {"cluster_id": "st-flood", "level": "story", "parent": None, "doc_ids": [d.doc_id for d in docs],
             "title": "Lembah Hijau flood", "start_date": "2031-02-04", "end_date": "2031-02-05", "languages": ["id"],
             "outlets": [], "size": 4}])
        with store.transaction():
            ClaimsPass(load_config()).run(store, [d.doc_id for d in docs])
    out = tmp_path / "ind"
    from newsloom import cli

    monkeypatch.setattr(cli.out, "width", 400)  # the table's cells are asserted whole, not as wrapped by a narrow terminal
    res = CliRunner().invoke(app, ["indicators", "--db", str(tmp_path / "c.duckdb"), "--kind", "displaced",
                                   "--out", str(out)])
    assert res.exit_code == 0, res.output
    points = [json.loads(x) for x in (out / "indicators.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(p["date"], p["low"], p["high"], p["outlets"]) for p in points] == [
        ("2031-02-04", 12500.0, 12500.0, 2), ("2031-02-05", 12500.0, 14000.0, 2)]
    assert all(p["story_id"] == "st-flood" and p["place"] == "loc:lembah-hijau" for p in points)
    rows = [json.loads(x) for x in (out / "agreement.jsonl").read_text(encoding="utf-8").splitlines()]
    story = rows[0]
    assert (story["scope"], story["key"], story["title"], story["contradicted"]) == (
        "story", "st-flood", "Lembah Hijau flood", 2)
    assert {r["key"] for r in rows[1:]} == {"Warta Pagi", "أفق", "Island Ledger", "Suara Rakyat"}
    assert "Lembah Hijau flood" in res.output and "Suara Rakyat" in res.output
    bad = CliRunner().invoke(app, ["indicators", "--db", str(tmp_path / "c.duckdb"), "--country", "XYZ"])
    assert bad.exit_code == 2 and "unknown country code" in bad.output
