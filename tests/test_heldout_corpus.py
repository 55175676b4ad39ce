"""The held-out corpus (examples/heldout) is intact and matches its gold file.

Structural checks only, on purpose: the corpus is a held-out check of the shipped clustering
defaults (issue 9), so no clustering score is asserted here or anywhere else. Standard library
only, like tests/test_demo_corpus.py.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

HELDOUT = Path(__file__).resolve().parents[1] / "examples" / "heldout"
ARTICLES = HELDOUT / "articles"
DATA_SUFFIXES = {".txt": "txt", ".html": "html", ".jsonl": "jsonl", ".rss": "rss"}
DEMO_GOLD = HELDOUT.parent / "demo" / "GOLD.tsv"
# the same columns as examples/demo/GOLD.tsv, so the same scoring code reads both
GOLD_COLUMNS = DEMO_GOLD.read_text(encoding="utf-8").split("\n", 1)[0].split("\t")
MAIN_STORY = "khor-zimmar-fire"
DATE_IN_NAME = re.compile(r"(19|20)\d\d-\d\d-\d\d")
YEAR = re.compile(r"\b(19|20)\d\d\b|[١٢][٠٩][٠-٩][٠-٩]")  # Western or Arabic-Indic digits


def read_gold() -> list[dict[str, str]]:
    with open(HELDOUT / "GOLD.tsv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


GOLD = read_gold()


def raw(row: dict[str, str]) -> str:
    return (ARTICLES / row["item"].partition("#")[0]).read_bytes().decode(row["encoding"])


def jsonl_record(row: dict[str, str]) -> dict:
    return json.loads(raw(row).splitlines()[int(row["item"].partition("#")[2]) - 1])


def article_text(row: dict[str, str]) -> str:
    if row["format"] == "jsonl":
        return jsonl_record(row)["text"]
    if row["format"] == "html":
        markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", raw(row))
        return re.sub(r"<[^>]+>", " ", markup)
    return raw(row)


def header_and_footer(text: str) -> list[str]:
    """The short lines before the first paragraph of prose and after the last one."""
    lines = [line for line in text.splitlines() if line.strip()]
    prose = [i for i, line in enumerate(lines) if len(line.split()) >= 25]
    return lines[: prose[0]] + lines[prose[-1] + 1 :]


def test_gold_columns_and_unique_items():
    with open(HELDOUT / "GOLD.tsv", encoding="utf-8") as f:
        assert f.readline().rstrip("\n").split("\t") == GOLD_COLUMNS
    items = [r["item"] for r in GOLD]
    assert len(items) == len(set(items))
    for row in GOLD:
        assert None not in row and all(row[c] is not None for c in GOLD_COLUMNS), row
        assert row["format"] == DATA_SUFFIXES[Path(row["item"].partition("#")[0]).suffix], row["item"]
        assert row["story"] and row["event"] and row["outlet"] and row["title"], row["item"]
        assert not row["copy_of"] and not row["copy_kind"], row["item"]  # no copies in this corpus


def test_every_gold_item_exists_and_every_file_is_listed():
    listed = defaultdict(set)
    for row in GOLD:
        name, _, frag = row["item"].partition("#")
        assert (ARTICLES / name).is_file(), f"{name} is listed in GOLD.tsv but missing"
        text = raw(row)  # decodes strictly in the declared encoding
        if row["format"] == "jsonl":
            lines = text.splitlines()
            assert frag.isdigit() and 1 <= int(frag) <= len(lines), row["item"]
            listed[name].add(int(frag))
        else:
            assert not frag, row["item"]
    on_disk = {p.name for p in ARTICLES.iterdir() if p.is_file()}
    assert on_disk == set(listed) | {r["item"] for r in GOLD if "#" not in r["item"]}
    for name, lines in listed.items():  # every JSONL line is an article in the gold
        n = len((ARTICLES / name).read_text(encoding="utf-8").splitlines())
        assert lines == set(range(1, n + 1)), name


def test_sizes_and_languages():
    assert 30 <= len(GOLD) <= 45
    langs = {r["lang"] for r in GOLD}
    assert {"en", "id", "ar"} <= langs and len(langs) >= 4, langs
    main = [r for r in GOLD if r["story"] == MAIN_STORY]
    assert len({r["lang"] for r in main}) >= 4
    assert len({r["outlet"] for r in main}) >= 8
    assert 5 <= len({r["event"] for r in main}) <= 7
    distractors = [r for r in GOLD if r["story"] != MAIN_STORY]
    assert 6 <= len(distractors) <= 10
    assert not {r["event"] for r in distractors} & {r["event"] for r in main}
    for row in GOLD:
        words = len(article_text(row).split())
        assert 150 <= words <= 600, (row["item"], words)  # 150-500 words of article plus clutter


def test_main_story_spans_weeks():
    dated = sorted(r["published"] for r in GOLD if r["story"] == MAIN_STORY and r["published"])
    from datetime import date

    span = date.fromisoformat(dated[-1]) - date.fromisoformat(dated[0])
    assert 28 <= span.days <= 56, span


def test_at_least_half_undated_and_undated_means_no_date():
    undated = [r for r in GOLD if not r["published"]]
    assert 2 * len(undated) >= len(GOLD), (len(undated), len(GOLD))
    main = [r for r in GOLD if r["story"] == MAIN_STORY]
    assert 2 * sum(1 for r in main if not r["published"]) >= len(main) - 1  # about half there too
    for row in GOLD:
        name = row["item"].partition("#")[0]
        if row["published"]:
            assert re.fullmatch(r"\d{4}-\d\d-\d\d", row["published"]), row["item"]
            if row["format"] == "jsonl":
                assert jsonl_record(row)["date"].startswith(row["published"]), row["item"]
            else:
                assert row["published"] in name, row["item"]
            continue
        if row["format"] == "jsonl":
            assert jsonl_record(row).get("date") in (None, ""), row["item"]
            assert not re.search(r"\b20\d\d\b", article_text(row)), row["item"]
        else:
            assert not DATE_IN_NAME.search(name), row["item"]
            text = raw(row)
            assert "published_time" not in text and "datetime=" not in text, row["item"]
            for line in header_and_footer(text):  # no timestamp line, no copyright year
                assert not YEAR.search(line), (row["item"], line)


def test_every_main_event_has_several_outlets_and_languages():
    by_event = defaultdict(list)
    for row in GOLD:
        if row["story"] == MAIN_STORY:
            by_event[row["event"]].append(row)
    for event, rows in by_event.items():
        assert 2 <= len(rows) <= 5, event
        assert len({r["outlet"] for r in rows}) == len(rows), event  # independent outlets
        assert len({r["lang"] for r in rows}) >= 2, event


def test_each_event_belongs_to_one_story():
    story_of = {}
    for row in GOLD:
        assert story_of.setdefault(row["event"], row["story"]) == row["story"], row["event"]


def test_readme_says_held_out():
    text = (HELDOUT / "README.md").read_text(encoding="utf-8")
    assert "held-out" in text.lower() and "fictional" in text.lower()
