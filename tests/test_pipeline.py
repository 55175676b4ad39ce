"""End to end: analyze() on the demo corpus and on bad inputs, export, rerun."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsloom.cli import app
from newsloom.config import load_config
from newsloom.pipeline import analyze
from newsloom.store import open_store

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    cfg = load_config(overrides={"runner": {"workers": 1}})
    summary = analyze([str(DEMO / "articles")], db=db, config=cfg)
    return db, summary


def _gold():
    with open(DEMO / "GOLD.tsv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_demo_corpus_is_analysed_without_rejects(demo_store):
    db, summary = demo_store
    assert summary.rejects == []
    assert summary.added == len(_gold())
    assert summary.stats["langid.seen"] == summary.added


def test_demo_export_meets_the_spec_and_languages_match_gold(demo_store, tmp_path, check_export_dir):
    db, _ = demo_store
    with open_store(db, read_only=True) as store:
        store.export(tmp_path, "jsonl")
    tables = check_export_dir(tmp_path)
    by_file = {Path(d["source"]).name: d for d in tables["documents"]}
    checked = 0
    for row in _gold():
        doc = by_file.get(row["item"])
        if doc is None:  # jsonl / rss entries are named by line or url
            continue
        assert doc["lang"] == row["lang"], row["item"]
        assert doc["text"].strip()
        checked += 1
    assert checked >= 15


def test_rerun_adds_nothing(demo_store):
    db, first = demo_store
    cfg = load_config(overrides={"runner": {"workers": 1}})
    again = analyze([str(DEMO / "articles")], db=db, config=cfg)
    assert again.added == 0
    assert again.already_stored == first.added
    with open_store(db, read_only=True) as store:
        assert store.count("documents") == first.added
        assert [r["run_id"] for r in store.runs()] == [again.run_id, first.run_id]


def _bad_batch(folder: Path) -> None:
    folder.mkdir()
    (folder / "good.txt").write_text(
        "Harbour workers strike in Port Alma\n\nDock workers in the fictional port of Alma walked out on "
        "Monday, demanding higher wages after a year of rising prices. The port authority said talks "
        "would resume on Thursday.\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (folder / "broken.jsonl").write_text(
        json.dumps({"text": "Flood waters rose again in the fictional town of Lerin, officials said on Sunday."})
        + "\n{not json\n" + json.dumps({"title": "no text field"}) + "\n",
        encoding="utf-8",
    )
    (folder / "cut.txt.gz").write_bytes(gzip.compress(b"Some article text that goes on. " * 200)[:60])
    (folder / "nothing.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")


def test_bad_inputs_are_rejected_with_reasons_and_the_rest_is_kept(demo_store, tmp_path):
    db, _ = demo_store
    with open_store(db, read_only=True) as store:
        before = store.count("documents")
    _bad_batch(tmp_path / "batch")
    result = CliRunner().invoke(app, ["analyze", str(tmp_path / "batch"), "--db", str(db), "--workers", "1", "-q"])
    assert result.exit_code == 0, result.output
    with open_store(db, read_only=True) as store:
        run = store.runs(1)[0]
        rejects = {Path(r.source).name + (f":{r.line}" if r.line else ""): r.reason for r in store.rejects(run["run_id"])}
        assert store.count("documents") == before + 2  # good.txt and one good JSONL line; nothing lost
    assert set(rejects) == {"empty.txt", "image.png", "broken.jsonl:2", "broken.jsonl:3", "cut.txt.gz", "nothing.html"}
    assert all(reason for reason in rejects.values())
    assert "rejected" in result.output or "rejected" in (result.stderr if hasattr(result, "stderr") else "")
