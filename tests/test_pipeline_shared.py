"""End to end on a folder made from ../shared/data: NTREX articles in several languages and
real web pages from the boilerplate set. Skips when the shared data is missing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsloom.config import load_config
from newsloom.corpus.clusters import bcubed
from newsloom.pipeline import analyze
from newsloom.store import open_store

ROOT = Path(__file__).resolve().parents[1]
# 6 NTREX dev articles x 6 languages with the shipped defaults: measured 0.93 on 2026-11-25; only goes up


@pytest.mark.shared
def test_analyze_a_folder_made_from_shared_data(shared_data, tmp_path, check_export_dir, floor):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from ntrex_corpus import write_folder
    finally:
        sys.path.pop(0)
    folder = tmp_path / "corpus"
    n = 0
    for lang in ("eng", "ind", "msa", "arb", "fra", "zho-CN"):
        n += write_folder(folder / "ntrex", [lang], split="dev", limit=6)
    pages = sorted((shared_data / "boilerplate" / "html").glob("*.html"))[:10]
    for page in pages:
        (folder / "web").mkdir(parents=True, exist_ok=True)
        (folder / "web" / page.name).write_bytes(page.read_bytes())
    db = tmp_path / "shared.duckdb"
    summary = analyze([str(folder)], db=db, config=load_config(overrides={"runner": {"workers": 2, "inprocess_below": 8}}))
    assert summary.added + len(summary.rejects) == n + len(pages)
    assert summary.added >= n  # every NTREX article is kept; a web page without main text may be rejected
    for reject in summary.rejects:
        assert reject.source.endswith(".html") and reject.reason
    with open_store(db, read_only=True) as store:
        store.export(tmp_path / "out", "jsonl")
    tables = check_export_dir(tmp_path / "out")
    langs: dict[str, set[str]] = {}
    for d in tables["documents"]:
        if "/ntrex/" in d["source"]:
            langs.setdefault(Path(d["source"]).parent.name, set()).add(d["lang"])
    assert langs == {"eng": {"en"}, "ind": {"id"}, "msa": {"ms"}, "arb": {"ar"}, "fra": {"fr"}, "zho-CN": {"zh"}}
    # clusters are filled for the shared data too: every document has an event and a story, and
    # the six translations of each NTREX article mostly land in one event (gold: the file name)
    assert all(d["event_id"] and d["story_id"] for d in tables["documents"])
    levels = {c["level"] for c in tables["clusters"]}
    assert levels == {"event", "story"}
    ntrex = [d for d in tables["documents"] if "/ntrex/" in d["source"]]
    pred = {d["doc_id"]: d["event_id"] for d in ntrex}
    gold = {d["doc_id"]: Path(d["source"]).stem for d in ntrex}
    p, r, f1 = bcubed(pred, gold)
    assert f1 >= floor("clusters.ntrex_event_f1"), (p, r, f1)
    again = analyze([str(folder)], db=db, config=load_config(overrides={"runner": {"workers": 1}}))
    assert again.added == 0
