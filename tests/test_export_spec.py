"""The export contract (../shared/spec/EXPORT.md): every table, every required field, right types."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from gates import unavailable

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
            # "in each source item `publisher` and `attributed_to`": fields of a nested item, not of the table
            flat = re.sub(r"in each \w+ item[^.]*", "", flat)
            fields = [f for f in re.findall(r"`(\w+)`", flat) if f.islower()]
        out[table] = fields
    return out


def test_schema_export_columns_cover_the_spec():
    if not SPEC.is_file():
        unavailable("shared", f"spec not found at {SPEC}")
    spec = spec_fields()
    assert set(spec) == set(EXPORT_COLUMNS)
    for table, fields in spec.items():
        missing = [f for f in fields if f not in EXPORT_COLUMNS[table]]
        assert not missing, f"{table}: spec fields missing from export: {missing}"


def test_claim_source_items_carry_the_spec_fields():
    """"in each source item `publisher` and `attributed_to`": fields of sources and contradicting."""
    from newsloom.store.schema import TABLES

    if not SPEC.is_file():
        unavailable("shared", f"spec not found at {SPEC}")
    m = re.search(r"in each source item([^.]*)", SPEC.read_text(encoding="utf-8"))
    assert m, "the spec no longer describes claim source items"
    nested = re.findall(r"`(\w+)`", m.group(1))
    types = dict(TABLES["claims"])
    for column in ("sources", "contradicting"):
        for name in nested + ["doc_id", "start", "end", "text"]:
            assert re.search(rf"\b{name}\b", types[column]), (column, name)
