"""Shared fixtures. ``SHARED`` is the public evaluation data beside the project (never copied in)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gates import load_floors, unavailable
from newsloom.store.schema import EXPORT_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
DEMO = ROOT / "examples" / "demo"


@pytest.fixture(scope="session")
def floor():
    """``floor("section.name")``: a score gate's floor, from benchmarks/floors.toml (floors only go up)."""
    return load_floors().floor


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        unavailable("shared", f"public evaluation data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def config():
    from newsloom.config import load_config

    return load_config()


TYPES = {
    "documents": {"doc_id": str, "source": str, "title": (str, type(None)), "publisher": (str, type(None)),
                  "published": (str, type(None)), "lang": str, "lang_score": (float, int), "text": str,
                  "removed": list, "duplicate_of": (str, type(None)), "event_id": (str, type(None)),
                  "story_id": (str, type(None))},
}


def _check_export_dir(out: Path) -> dict[str, list[dict]]:
    """Assert an export folder meets the contract; return its rows. Used by end-to-end tests too."""
    tables = {}
    for table, cols in EXPORT_COLUMNS.items():
        path = out / f"{table}.jsonl"
        assert path.is_file(), f"missing {path.name}"
        rows = [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        for row in rows:
            assert list(row) == cols, f"{table}: columns {list(row)} != {cols}"
        tables[table] = rows
    texts = {d["doc_id"]: d["text"] for d in tables["documents"]}
    for d in tables["documents"]:
        for field, typ in TYPES["documents"].items():
            assert isinstance(d[field], typ), f"documents.{field} of {d['doc_id']}: {type(d[field]).__name__}"
        assert 0.0 <= d["lang_score"] <= 1.0
        assert re.fullmatch(r"[a-z]{2,3}", d["lang"]), d["lang"]
        for r in d["removed"]:
            assert set(r) == {"text", "reason"} and r["reason"]
        if d["published"]:
            assert re.fullmatch(r"-?-?\d{2,4}(-\d{2}(-\d{2}(T[\d:.]+([+-]\d{2}:?\d{2}|Z)?)?)?)?", d["published"]), d["published"]
    for table in ("entities", "dates", "quantities"):
        for row in tables[table]:
            assert texts[row["doc_id"]][row["start"]:row["end"]] == row["text"], (table, row)
    ids = set(texts)
    for d in tables["documents"]:
        assert d["duplicate_of"] is None or d["duplicate_of"] in ids
    return tables


@pytest.fixture(scope="session")
def check_export_dir():
    """Assert an export folder meets ../shared/spec/EXPORT.md; returns its rows per table."""
    return _check_export_dir
