"""End to end: a few tiny fictional reports through ``newsloom.pipeline.analyze``, claims.jsonl read back."""

from __future__ import annotations

import json

import pytest

from newsloom.pipeline import analyze, embedding_available

REPORTS = [
    {"publisher": "Harbor Times", "lang": "en", "date": "2031-05-10", "url": "https://harbor.example/1",
     "title": "Varnesia to withdraw 2,500 troops from Kessa under ceasefire",
     "text": "Varnesia will withdraw 2,500 troops from the border town of Kessa under a ceasefire signed on "
             "Monday, according to Defence Minister Oren Talib.\n\nThe ceasefire follows weeks of shelling "
             "around Kessa. Talks between Varnesia and the rebels were held in the capital."},
    {"publisher": "Island Ledger", "lang": "en", "date": "2031-05-10", "url": "https://ledger.example/1",
     "title": "Ceasefire in Varnesia: 2,500 troops to leave Kessa",
     "text": "Varnesia's government will pull 2,500 troops out of Kessa after the ceasefire signed on Monday, "
             "Oren Talib said.\n\nThe rebels welcomed the ceasefire, which follows weeks of shelling around "
             "Kessa. Talks between Varnesia and the rebels were held in the capital."},
    {"publisher": "Coastal Wire", "lang": "en", "date": "2031-05-10", "url": "https://coastal.example/1",
     "title": "Varnesia ceasefire: 3,000 troops to withdraw from Kessa",
     "text": "Varnesia will withdraw 3,000 troops from Kessa under the ceasefire signed on Monday, the rebels "
             "said.\n\nThe ceasefire follows weeks of shelling around Kessa. Talks between Varnesia and the "
             "rebels were held in the capital."},
]


@pytest.mark.skipif(not embedding_available(__import__("newsloom.config").config.load_config()),
                    reason="the embedding extra is not installed: nothing is clustered, so no claims")
def test_claims_jsonl_from_analyze(tmp_path):
    feed = tmp_path / "in" / "feed.jsonl"
    feed.parent.mkdir()
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in REPORTS), encoding="utf-8")
    db = tmp_path / "c.duckdb"
    summary = analyze([str(feed.parent)], db=db)
    assert summary.added == 3 and not summary.rejects
    from newsloom.store.duckdb import open_store

    with open_store(db, read_only=True) as store:
        out = store.export(tmp_path / "out")
    docs = {json.loads(ln)["doc_id"]: json.loads(ln) for ln in out["documents"].read_text().splitlines()}
    assert len({d["event_id"] for d in docs.values()}) == 1, "the three reports are one event"
    claims = [json.loads(ln) for ln in out["claims"].read_text(encoding="utf-8").splitlines()]
    troops = [c for c in claims if c["quantity_kind"] == "personnel" and c["cluster_id"].startswith("ev-")]
    by_value = {c["value"]: c for c in troops}
    assert set(by_value) == {2500.0, 3000.0}
    agreed, other = by_value[2500.0], by_value[3000.0]
    assert (agreed["status"], agreed["independent_sources"]) == ("contradicted", 2)
    assert (other["status"], other["independent_sources"]) == ("contradicted", 1)
    assert agreed["statement"].startswith("2,500 troops (personnel)")
    assert {s["publisher"] for s in agreed["sources"]} == {"Harbor Times", "Island Ledger"}
    assert [s["publisher"] for s in agreed["contradicting"]] == ["Coastal Wire"]
    for c in claims:
        for item in c["sources"] + c["contradicting"]:
            assert docs[item["doc_id"]]["text"][item["start"]:item["end"]] == item["text"]
    who = {s["publisher"]: s["attributed_to"] for s in agreed["sources"]}
    assert all(who.values()), who  # "according to Defence Minister Oren Talib", "Oren Talib said"
    assert len(set(who.values())) == 1, "both resolve to the one linked entity"
    assert (tmp_path / "out" / "framing.jsonl").is_file()
