"""The claims pass over a real store: claims of the touched events and stories, framing of their outlets."""

from __future__ import annotations

import sys
from pathlib import Path

from newsloom.config import load_config
from newsloom.passes.claims import ClaimsPass
from newsloom.store.duckdb import open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "claims"))
from test_claims_golden import flood_story, kessa_story


def _store(tmp_path, docs, clusters: dict[str, tuple[str, str]]):
    """A store holding ``docs`` with their (event, story) ids, as the clusters pass leaves them."""
    store = open_store(tmp_path / "c.duckdb")
    run = store.begin_run(["x"])
    store.add_documents(docs, run)
    store.update_documents("event_id", {d: ev for d, (ev, _) in clusters.items()})
    store.update_documents("story_id", {d: st for d, (_, st) in clusters.items()})
    store.update_documents("duplicate_of", {d.doc_id: d.duplicate_of for d in docs if d.duplicate_of})
    return store


def _claims(store) -> list[dict]:
    return store.rows("SELECT * FROM claims ORDER BY cluster_id, statement")


def test_pass_writes_claims_per_event_and_story_and_framing(tmp_path):
    docs = list(kessa_story())
    clusters = {d.doc_id: ("ev-kessa", "st-kessa") for d in docs}
    with _store(tmp_path, docs, clusters) as store:
        p = ClaimsPass(load_config())
        with store.transaction():
            p.run(store, [d.doc_id for d in docs])
        rows = _claims(store)
        assert {r["cluster_id"] for r in rows} == {"ev-kessa", "st-kessa"}
        event = {r["statement"]: r for r in rows if r["cluster_id"] == "ev-kessa"}
        assert {k: v["status"] for k, v in event.items()} == {
            "15 people (killed) in Kessa": "contradicted",
            "2 people (killed) in Kessa": "contradicted",
            "2,500 troops (personnel) in Varnesia, Kessa": "corroborated",
            "30 people (killed) in Kessa": "single-source",
        }
        troops = event["2,500 troops (personnel) in Varnesia, Kessa"]
        texts = {d.doc_id: d.text for d in docs}
        for item in troops["sources"]:  # the exact words, in the stored text
            assert texts[item["doc_id"]][item["start"]:item["end"]] == item["text"]
        assert {s["attributed_to"] for s in troops["sources"]} == {"per:oren-talib"}
        assert troops["independent_sources"] == 3 and troops["subject"] == ["loc:varnesia", "loc:kessa"]
        assert p.stats["clusters"] == 2

        # a rerun over the same documents replaces, never duplicates
        with store.transaction():
            p.run(store, [docs[0].doc_id])
        assert _claims(store) == rows


def test_a_new_document_recomputes_only_its_clusters(tmp_path):
    flood = list(flood_story())
    kessa = list(kessa_story())
    clusters = {d.doc_id: ("ev-flood", "st-flood") for d in flood[:3]}
    clusters |= {d.doc_id: ("ev-kessa", "st-kessa") for d in kessa}
    with _store(tmp_path, flood[:3] + kessa, clusters) as store:
        p = ClaimsPass(load_config())
        with store.transaction():
            p.run(store, [d.doc_id for d in flood[:3] + kessa])
        before = {r["claim_id"]: r for r in _claims(store)}
        flood_claims = [r for r in before.values() if r["cluster_id"] == "ev-flood"]
        assert [r["status"] for r in flood_claims] == ["corroborated"]
        # the volunteers' figure arrives in a later run
        run = store.begin_run(["y"])
        store.add_documents([flood[3]], run)
        store.update_documents("event_id", {flood[3].doc_id: "ev-flood"})
        store.update_documents("story_id", {flood[3].doc_id: "st-flood"})
        p = ClaimsPass(load_config())
        with store.transaction():
            p.run(store, [flood[3].doc_id])
        assert p.stats["clusters"] == 2  # the flood event and story, not the Kessa ones
        after = {r["claim_id"]: r for r in _claims(store)}
        assert {k: v for k, v in after.items() if v["cluster_id"].endswith("kessa")} == \
            {k: v for k, v in before.items() if v["cluster_id"].endswith("kessa")}
        statuses = sorted(r["status"] for r in after.values() if r["cluster_id"] == "ev-flood")
        assert statuses == ["contradicted", "contradicted"]


def test_claims_of_a_renamed_cluster_go_with_it(tmp_path):
    docs = list(flood_story())
    with _store(tmp_path, docs[:2], {d.doc_id: ("ev-old", "st-old") for d in docs[:2]}) as store:
        with store.transaction():
            ClaimsPass(load_config()).run(store, [d.doc_id for d in docs[:2]])
        assert {r["cluster_id"] for r in _claims(store)} == {"ev-old", "st-old"}
        # an earlier report arrives and founds the cluster anew: the clusters pass renames it
        store.rename_clusters("event_id", {"ev-old": "ev-new"})
        store.rename_clusters("story_id", {"st-old": "st-new"})
        store.record_renames({"ev-old": "ev-new", "st-old": "st-new"})
        with store.transaction():
            ClaimsPass(load_config()).run(store, [docs[0].doc_id])
        assert {r["cluster_id"] for r in _claims(store)} == {"ev-new", "st-new"}


def test_framing_rows_grow_with_each_run_and_count_each_document_once(tmp_path):
    from test_claims_golden import doc

    a = doc("f1", "Suara Perlawanan", "id", "2031-01-01", "Rezim menembaki warga, kata saksi.")
    b = doc("f2", "Suara Perlawanan", "id", "2031-01-02", "Rezim kembali membantah.")
    with _store(tmp_path, [a, b], {}) as store:
        with store.transaction():
            ClaimsPass(load_config()).run(store, [a.doc_id])
        with store.transaction():
            ClaimsPass(load_config()).run(store, [b.doc_id])
        with store.transaction():
            ClaimsPass(load_config()).run(store, [b.doc_id])  # taken in twice: counted once
        rows = store.rows("SELECT * FROM framing")
    assert rows == [{"publisher": "Suara Perlawanan", "lang": "id", "term": "rezim", "neutral": "government",
                     "count": 2, "doc_ids": [a.doc_id, b.doc_id]}]


def test_pass_reads_stored_events_into_event_and_statement_claims(tmp_path):
    from test_claims_facts import shelling, withdrawal

    docs = list(shelling()) + list(withdrawal())
    clusters = {d.doc_id: ("ev-shell", "st-varnesia") for d in docs[:6]}
    clusters |= {d.doc_id: ("ev-leave", "st-varnesia") for d in docs[6:]}
    with _store(tmp_path, docs, clusters) as store:
        p = ClaimsPass(load_config())
        with store.transaction():
            p.run(store, [d.doc_id for d in docs])
        rows = _claims(store)
    event = {r["statement"]: r["status"] for r in rows if r["cluster_id"] == "ev-shell" and r["kind"] == "event"}
    assert event == {"Kessa Front attacked in Kessa on 2031-05-08": "contradicted",
                     "Varnesia attacked Kessa on 2031-05-02": "contradicted",
                     "Varnesia attacked in Kessa on 2031-05-09": "contradicted",
                     "Varnesia did not attack in Kessa": "contradicted"}
    said = {r["statement"]: r["status"] for r in rows if r["cluster_id"] == "ev-leave" and r["kind"] == "statement"}
    assert said == {"Oren Talib said: Varnesia will withdraw in Kessa by 2031-06": "contradicted",
                    "Oren Talib said: Varnesia will withdraw in Kessa by 2031-07": "contradicted",
                    "Oren Talib said: Varnesia will withdraw in Kessa by 2031-08": "single-source"}
    # the story holds both events' claims; its stored sources are the exact words
    story = [r for r in rows if r["cluster_id"] == "st-varnesia"]
    assert {r["kind"] for r in story} == {"event", "statement"}
    texts = {d.doc_id: d.text for d in docs}
    for r in rows:
        for s in r["sources"] + r["contradicting"]:
            assert texts[s["doc_id"]][s["start"]:s["end"]] == s["text"]
    assert p.stats["claims_event"] > 0 and p.stats["claims_statement"] > 0
