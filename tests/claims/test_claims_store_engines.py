"""The claims pass and the indicators' reads on each store engine (DuckDB, and PostgreSQL where the
test server of ``NEWSLOOM_TEST_PG`` answers): events read back whole, claims of every kind written,
quantity claims with their clusters and the days of the documents they cite."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from test_claims_facts import shelling, withdrawal
from test_claims_golden import flood_story

from newsloom.claims.indicators import agreement, series
from newsloom.config import load_config
from newsloom.passes.claims import ClaimsPass
from newsloom.store import open_store
from newsloom.store.claims_tables import attach_events, claims_and_days
from pgstore import fresh_database


@pytest.fixture(params=["duckdb", "postgres"])
def location(request, tmp_path):
    if request.param == "duckdb":
        yield str(tmp_path / "c.duckdb")
    else:
        with fresh_database() as url:
            yield url


def test_claims_pass_and_indicator_reads(location):
    shell, leave, flood = list(shelling()), list(withdrawal()), list(flood_story())
    docs = shell + leave + flood
    member = {d.doc_id: ("ev-shell", "st-varnesia") for d in shell}
    member |= {d.doc_id: ("ev-leave", "st-varnesia") for d in leave}
    member |= {d.doc_id: ("ev-flood", "st-flood") for d in flood}
    clusters = [("ev-shell", "event", "st-varnesia"), ("ev-leave", "event", "st-varnesia"),
                ("st-varnesia", "story", None), ("ev-flood", "event", "st-flood"), ("st-flood", "story", None)]
    store = open_store(location)
    try:
        run = store.begin_run(["x"])
        store.add_documents(docs, run)
        store.update_documents("event_id", {d: ev for d, (ev, _) in member.items()})
        store.update_documents("story_id", {d: st for d, (_, st) in member.items()})
        store.update_documents("duplicate_of", {d.doc_id: d.duplicate_of for d in docs if d.duplicate_of})
        store.replace_clusters([
            {"cluster_id": c, "level": level, "parent": parent, "title": c, "size": 1,
             "doc_ids": [d for d, pair in member.items() if c in pair], "start_date": None, "end_date": None,
             "languages": [], "outlets": []} for c, level, parent in clusters])
        with store.transaction():
            ClaimsPass(load_config()).run(store, [d.doc_id for d in docs])

        # the events come back as the stages left them
        read = {d.doc_id: type(d)(source="", raw="", doc_id=d.doc_id, text=d.text) for d in shell}
        attach_events(store, read)
        for d in shell:
            got = [(e.type, e.mode, e.negated, e.actor, e.target, e.location, e.date, e.trigger_start, e.trigger_end,
                    d.text[e.start:e.end]) for e in read[d.doc_id].events]
            want = [(e.type, e.mode, e.negated, e.actor, e.target, e.location, e.date, e.trigger_start, e.trigger_end,
                     e.text) for e in d.events]
            assert got == want

        claims, days = claims_and_days(store)
    finally:
        store.close()
    by_cluster = {}
    for c in claims:
        by_cluster.setdefault(c["cluster_id"], []).append(c)
    assert {(c["kind"], c["statement"], c["status"]) for c in by_cluster["ev-shell"] if c["kind"] == "event"} == {
        ("event", "Kessa Front attacked in Kessa on 2031-05-08", "contradicted"),
        ("event", "Varnesia attacked Kessa on 2031-05-02", "contradicted"),
        ("event", "Varnesia attacked in Kessa on 2031-05-09", "contradicted"),
        ("event", "Varnesia did not attack in Kessa", "contradicted")}
    assert {c["status"] for c in by_cluster["ev-leave"] if c["kind"] == "statement"} == {"contradicted", "single-source"}
    assert all(c["level"] == "event" and c["parent"] == "st-varnesia" for c in by_cluster["ev-shell"])
    points = series(claims, days, kind="displaced")
    assert [(p.story_id, p.date, p.low, p.high, p.outlets) for p in points] == [
        ("st-flood", "2031-02-04", 12500.0, 12500.0, 2), ("st-flood", "2031-02-05", 12500.0, 14000.0, 2)]
    stories, _ = agreement(claims)
    assert {a.key for a in stories} == {"st-varnesia", "st-flood"}
