"""Runs into one store: successive runs in any order, failed and interrupted runs, one writer at a time.

The stages here are a toy (text = raw, a bag-of-words vector) so that many runs stay fast; the
passes are the shipped ones (copies, clusters, similarity statistics).
"""

from __future__ import annotations

import json
import os
import random
import threading
import time

import pytest

from newsloom.config import load_config
from newsloom.models import Document
from newsloom.pipeline import analyze, default_passes
from newsloom.runner.local import run_stages
from newsloom.stages.base import DocStage
from newsloom.store import open_store
from newsloom.store.lock import run_in_progress, run_lock
from toy import corpus as _corpus
from toy import toy_stages

pytest.importorskip("datasketch")

def _write(folder, name, items):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return str(path)


def _config():
    return load_config(overrides={"runner": {"workers": 1}})


def _check_store(db, expected: int) -> dict[str, tuple[str, str]]:
    """Every document has an event and a story, copies share their original's, cluster rows agree."""
    with open_store(db, read_only=True) as store:
        docs = store.rows("SELECT doc_id, duplicate_of, event_id, story_id FROM documents")
        clusters = {r["cluster_id"]: r for r in store.rows("SELECT * FROM clusters")}
        pending = {p: store.count_pass_pending(p) for p in ("copies", "clusters", "similarity")}
    assert len(docs) == expected
    assert pending == {"copies": 0, "clusters": 0, "similarity": 0}
    by_id = {d["doc_id"]: d for d in docs}
    for d in docs:
        assert d["event_id"] and d["story_id"], d
        if d["duplicate_of"]:
            orig = by_id[d["duplicate_of"]]
            assert (d["event_id"], d["story_id"]) == (orig["event_id"], orig["story_id"])
        event, story = clusters[d["event_id"]], clusters[d["story_id"]]
        assert event["level"] == "event" and story["level"] == "story"
        assert d["doc_id"] in event["doc_ids"] and d["doc_id"] in story["doc_ids"]
        assert event["parent"] == d["story_id"]
    for c in clusters.values():  # no cluster row left behind by a rename
        assert c["doc_ids"], c["cluster_id"]
    return {d["doc_id"]: (d["event_id"], d["story_id"]) for d in docs}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_successive_runs_of_disjoint_inputs_in_any_order(tmp_path, seed):
    """Adding files to a store is the main use: many runs, shuffled, later-dated reports first."""
    items = _corpus(seed=seed)
    rnd = random.Random(seed)
    rnd.shuffle(items)
    parts = [items[i::5] for i in range(5)]
    db = tmp_path / "s.duckdb"
    added = 0
    for i, part in enumerate(parts):
        s = analyze([_write(tmp_path / "in", f"part{i}.jsonl", part)], db=db, config=_config(), stages=toy_stages)
        added += s.added
        assert s.rejects == []
    _check_store(db, added)


def _failing_passes(after: int):
    """The shipped passes, but the clusters pass dies on its first chunk (a crash mid-pass)."""

    def make(config):
        passes = default_passes(config)
        for p in passes:
            if p.name == "clusters":
                original = p.run

                def run(store, ids, original=original):
                    original(store, ids)  # writes happen, then the process "dies" before commit
                    raise KeyboardInterrupt

                p.run = run
        return passes

    return make


def test_an_interrupted_run_is_finished_by_the_next_one(tmp_path):
    items = _corpus()
    path = _write(tmp_path / "in", "all.jsonl", items)
    db = tmp_path / "s.duckdb"
    with pytest.raises(KeyboardInterrupt):
        analyze([path], db=db, config=_config(), stages=toy_stages, passes=_failing_passes(0))
    with open_store(db, read_only=True) as store:
        # nothing of the interrupted chunk was kept: no half-written clusters
        assert store.count("clusters") == 0
        assert store.count_where("documents", "event_id IS NOT NULL") == 0
        assert store.count_pass_pending("clusters") == store.count("documents") > 0
        assert store.count_pass_pending("copies") == 0  # the pass before it committed
        assert store.runs()[0]["status"] == "interrupted"
        n = store.count("documents")
    again = analyze([path], db=db, config=_config(), stages=toy_stages)
    assert again.added == 0 and again.already_stored == len(items)
    assert again.stats["clusters.taken_in"] == n
    groups = _check_store(db, n)
    # the same groupings as one uninterrupted run
    fresh = tmp_path / "fresh.duckdb"
    analyze([path], db=fresh, config=_config(), stages=toy_stages)
    assert _check_store(fresh, n) == groups


def test_a_run_that_died_is_marked_and_its_work_completed(tmp_path):
    items = _corpus()[:12]
    path = _write(tmp_path / "in", "a.jsonl", items)
    db = tmp_path / "s.duckdb"
    # a run that stored its documents and died before any pass (as after SIGKILL)
    from newsloom.pipeline import RunSummary, _ingest

    with open_store(db) as store:
        run_id = store.begin_run([path])
    first = RunSummary(run_id=run_id, inputs=[path])
    _ingest(str(db), [path], _config(), first, None, toy_stages)
    assert first.added > 0
    with open_store(db, read_only=True) as store:
        assert store.runs()[0]["status"] == "died"  # nobody holds the run lock: shown as died
    messages = []
    s = analyze([path], db=db, config=_config(), stages=toy_stages, notice=messages.append)
    assert s.added == 0
    assert any("died" in m for m in messages)
    with open_store(db, read_only=True) as store:
        statuses = {r["run_id"]: r["status"] for r in store.runs()}
    assert statuses == {run_id: "died", s.run_id: "done"}
    _check_store(db, first.added)


def test_a_second_run_waits_for_the_first(tmp_path):
    path = _write(tmp_path / "in", "a.jsonl", _corpus()[:4])
    db = tmp_path / "s.duckdb"
    messages: list[str] = []
    result = {}
    with run_lock(db):
        assert run_in_progress(db)
        worker = threading.Thread(target=lambda: result.setdefault(
            "s", analyze([path], db=db, config=_config(), stages=toy_stages, notice=messages.append)))
        worker.start()
        deadline = time.monotonic() + 30
        while not messages and time.monotonic() < deadline:
            time.sleep(0.05)
        assert messages and "waiting" in messages[0]
        assert "s" not in result  # still queued behind the lock
    worker.join(60)
    assert result["s"].added == 4
    assert not run_in_progress(db)


class Slow(DocStage):
    name = "slow"
    requires = ("text",)

    def process(self, docs):
        for d in docs:
            if "stall" in d.text:
                time.sleep(30)
        return docs


def test_a_document_over_its_time_budget_is_rejected_alone(config):
    cfg = load_config(overrides={"runner": {"workers": 1, "doc_seconds": 0.3}})
    docs = [Document(source=f"d{i}", raw="stall here" if i == 1 else f"fine {i}") for i in range(3)]
    for d in docs:
        d.text = d.raw
    out = run_stages([Slow(cfg)], docs, cfg.runner.doc_seconds)
    assert [d.rejected is None for d in out] == [True, False, True]
    assert "took over 0.3s" in out[1].rejected and "runner.doc_seconds" in out[1].rejected


def test_input_names_that_are_not_utf8_are_recorded_escaped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    good = folder / "good.jsonl"
    good.write_text(json.dumps(_corpus()[0]) + "\n", encoding="utf-8")
    odd = os.fsdecode(bytes(folder) + b"/bad-\xff-\x1b[31m.jsonl")
    db = tmp_path / "s.duckdb"
    s = analyze([str(good), odd], db=db, config=_config(), stages=toy_stages)
    assert s.added == 1 and len(s.rejects) == 1
    with open_store(db, read_only=True) as store:
        inputs = store.runs()[0]["inputs"]
    assert inputs[0] == str(good) and "\\xff" in inputs[1] and "\x1b" not in inputs[1]


def test_recluster_makes_the_grouping_independent_of_arrival_order(tmp_path):
    """The same corpus in date order, shuffled, and in 10 shuffled batches: after `recluster`
    the partitions agree (pairwise B-cubed >= 0.95), and the store stays consistent."""
    from newsloom.corpus.clusters import bcubed
    from newsloom.pipeline import recluster

    items = _corpus(n_per_topic=8, seed=5)
    dated = sorted(items, key=lambda i: i["date"])
    shuffled = list(items)
    random.Random(5).shuffle(shuffled)
    partitions = []
    for name, batches in (("dated", [dated]), ("shuffled", [shuffled]),
                          ("batches", [shuffled[i::10] for i in range(10)])):
        db = tmp_path / f"{name}.duckdb"
        for i, batch in enumerate(batches):
            analyze([_write(tmp_path / name, f"b{i}.jsonl", batch)], db=db, config=_config(), stages=toy_stages)
        counts = recluster(db, _config())
        with open_store(db, read_only=True) as store:
            n = store.count("documents")
            assert store.runs()[0]["status"] == "done"
        assert counts["documents"] > 0
        groups = _check_store(db, n)
        partitions.append(({d: e for d, (e, _) in groups.items()}, {d: s for d, (_, s) in groups.items()}))
    for events, stories in partitions[1:]:
        assert bcubed(events, partitions[0][0])[2] >= 0.95
        assert bcubed(stories, partitions[0][1])[2] >= 0.95


def test_recluster_command(tmp_path):
    from typer.testing import CliRunner

    from newsloom.cli import app

    db = tmp_path / "s.duckdb"
    analyze([_write(tmp_path / "in", "a.jsonl", _corpus()[:10])], db=db, config=_config(), stages=toy_stages)
    result = CliRunner().invoke(app, ["recluster", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "re-clustered into" in result.output
