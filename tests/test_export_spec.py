"""The export contract (../shared/spec/EXPORT.md): every table, every required field, right types."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsloom.store.schema import EXPORT_COLUMNS

SPEC = Path(__file__).resolve().parents[1].parent / "shared" / "spec" / "EXPORT.md"


def spec_fields() -> dict[str, list[str]]:
    """Field names per table, read from the spec's markdown."""
    text = SPEC.read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    for m in re.finditer(r"^### (\w+)\.jsonl.*?\n(.*?)(?=^### |\Z)", text, re.S | re.M):
        table, body = m.group(1), m.group(2)
        rows = [ln for ln in body.splitlines() if ln.startswith("| `")]
        if rows:
            fields = [re.match(r"\| `(\w+)`", ln).group(1) for ln in rows]
        else:
            flat = body
            while re.search(r"\([^()]*\)", flat):
                flat = re.sub(r"\([^()]*\)", "", flat)
            fields = [f for f in re.findall(r"`(\w+)`", flat) if f.islower()]
        out[table] = fields
    return out


def test_schema_export_columns_cover_the_spec():
    if not SPEC.is_file():
        pytest.skip(f"spec not found at {SPEC}")
    spec = spec_fields()
    assert set(spec) == set(EXPORT_COLUMNS)
    for table, fields in spec.items():
        missing = [f for f in fields if f not in EXPORT_COLUMNS[table]]
        assert not missing, f"{table}: spec fields missing from export: {missing}"


TYPES = {
    "documents": {"doc_id": str, "source": str, "title": (str, type(None)), "publisher": (str, type(None)),
                  "published": (str, type(None)), "lang": str, "lang_score": (float, int), "text": str,
                  "removed": list, "duplicate_of": (str, type(None)), "event_id": (str, type(None)),
                  "story_id": (str, type(None))},
}


def check_export_dir(out: Path) -> dict[str, list[dict]]:
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
