"""The plain-text cleaner on the demo corpus: the clutter CLUTTER.tsv plants is gone, the body stays.

Every plain-text document of ``examples/demo/articles`` (the .txt files and the JSON Lines
records) goes through the reader and ``PlainTextClean``; every ``drop`` row of CLUTTER.tsv
for it must be absent from ``doc.text``, and the article's first body paragraph (its first
line that is neither the title nor planted clutter) must be kept.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from newsloom.clean import PlainTextClean
from newsloom.config import load_config
from newsloom.ingest.discover import iter_inputs
from newsloom.models import Document

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def _tsv(name: str) -> list[dict[str, str]]:
    with (DEMO / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def item_of(source: str) -> str:
    """CLUTTER.tsv's item name of a document: the file name, ``file#N`` for a JSONL record."""
    name = Path(source).name
    base, sep, num = name.rpartition(":")
    return f"{base}#{num}" if sep and num.isdigit() else name


@pytest.fixture(scope="module")
def cleaned() -> dict[str, Document]:
    config = load_config()
    docs = [d for d in iter_inputs([str(DEMO / "articles")], config) if isinstance(d, Document)]
    texts = [d for d in docs if d.format == "text"]
    stage = PlainTextClean(config)
    stage.ensure_setup()
    stage(texts)
    return {item_of(d.source): d for d in texts}


CLUTTER = _tsv("CLUTTER.tsv")
GOLD = {row["item"]: row for row in _tsv("GOLD.tsv")}


def test_every_plain_text_article_is_cleaned(cleaned):
    plain = {item for item, row in GOLD.items() if row["format"] in {"txt", "jsonl"}}
    assert plain <= set(cleaned), sorted(plain - set(cleaned))
    for item in plain:
        assert cleaned[item].rejected is None, (item, cleaned[item].rejected)


DROP_ROWS = [r for r in CLUTTER if r["action"] == "drop" and GOLD[r["item"]]["format"] in {"txt", "jsonl"}]


@pytest.mark.parametrize("row", DROP_ROWS, ids=[f"{r['item']}:{r['kind']}" for r in DROP_ROWS])
def test_planted_clutter_is_dropped(cleaned, row):
    doc = cleaned[row["item"]]
    paragraphs = [collapse(p) for p in doc.text.split("\n\n")]
    clutter = collapse(row["text"])
    assert clutter not in paragraphs
    if len(clutter) >= 25:  # long enough not to occur inside a sentence of the article
        assert clutter not in collapse(doc.text)


@pytest.mark.parametrize("item", sorted(i for i, r in GOLD.items() if r["format"] in {"txt", "jsonl"}))
def test_first_body_paragraph_is_kept(cleaned, item):
    doc = cleaned[item]
    raw = doc.raw
    gold = GOLD[item]
    planted = {
        collapse(r["text"]) for r in CLUTTER if r["item"] == item and r["action"] in {"drop", "dedupe"}
    }
    strips = [collapse(r["text"]) for r in CLUTTER if r["item"] == item and r["action"] == "strip"]
    body = [
        collapse(line)
        for line in raw.splitlines()
        if collapse(line) and collapse(line) not in planted and collapse(line) != collapse(gold["title"])
    ]
    assert body, item
    lead = body[0]
    for prefix in strips:  # a dateline a later step may strip: the rest of the paragraph must stay
        if lead.startswith(prefix):
            lead = lead[len(prefix) :].strip()
    assert lead in collapse(doc.text)
