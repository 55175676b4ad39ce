"""The demo corpus (examples/demo) is intact and matches its gold files.

Stands alone on purpose: it reads the corpus with the standard library only, so it guards the
fixture whatever state the readers and stages of newsloom are in.
"""

from __future__ import annotations

import csv
import html
import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"
ARTICLES = DEMO / "articles"  # what `newsloom analyze` reads; gold and docs stay beside it
DATA_SUFFIXES = {".txt": "txt", ".html": "html", ".jsonl": "jsonl", ".rss": "rss"}
RSS_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
GOLD_COLUMNS = [
    "item",
    "format",
    "encoding",
    "lang",
    "outlet",
    "story",
    "event",
    "published",
    "copy_of",
    "copy_kind",
    "title",
]
JSONL_FIELDS = {"text", "title", "url", "date", "publisher", "lang"}


def read_tsv(name: str) -> list[dict[str, str]]:
    with open(DEMO / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


GOLD = read_tsv("GOLD.tsv")
BY_ITEM = {row["item"]: row for row in GOLD}
CLUTTER = read_tsv("CLUTTER.tsv")
CLAIMS = read_tsv("CLAIMS.tsv")


def visible(markup: str) -> str:
    """The text a reader sees in an HTML page or fragment (tags, scripts and head removed)."""
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", markup)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def decode(row: dict[str, str]) -> str:
    name = row["item"].partition("#")[0]
    return (ARTICLES / name).read_bytes().decode(row["encoding"])  # strict: raises on a bad byte


def rss_items(raw: str) -> list[ET.Element]:
    return list(ET.fromstring(raw.encode("utf-8")).iter("item"))


def article_text(row: dict[str, str]) -> str:
    """The article as stored: whole file, one JSONL record's text, or one feed item's content."""
    raw = decode(row)
    frag = row["item"].partition("#")[2]
    if row["format"] == "jsonl":
        return json.loads(raw.splitlines()[int(frag) - 1])["text"]
    if row["format"] == "rss":
        return visible(rss_items(raw)[int(frag.removeprefix("entry-")) - 1].findtext(RSS_CONTENT))
    if row["format"] == "html":
        return visible(raw)
    return raw


def body_words(row: dict[str, str]) -> int:
    if row["format"] == "html":  # count the paragraphs, not the page furniture
        paragraphs = re.findall(r"(?is)<p\b[^>]*>(.*?)</p>", decode(row))
        return len(visible(" ".join(paragraphs)).split())
    return len(article_text(row).split())


def test_gold_has_the_documented_columns():
    with open(DEMO / "GOLD.tsv", encoding="utf-8") as f:
        assert f.readline().rstrip("\n").split("\t") == GOLD_COLUMNS


@pytest.mark.parametrize("row", GOLD, ids=[r["item"] for r in GOLD])
def test_item_exists_decodes_and_is_well_formed(row):
    name, _, frag = row["item"].partition("#")
    path = ARTICLES / name
    assert path.is_file(), f"{name} is listed in GOLD.tsv but missing"
    assert DATA_SUFFIXES[path.suffix] == row["format"]
    raw = decode(row)
    assert "\ufffd" not in raw
    assert row["lang"] in {"en", "id", "ar", "ms", "fr", "es"}
    date.fromisoformat(row["published"])
    assert row["title"] and row["outlet"] and row["story"] and row["event"]
    if row["format"] == "jsonl":
        assert frag.isdigit()
        record = json.loads(raw.splitlines()[int(frag) - 1])
        assert set(record) == JSONL_FIELDS
        assert record["lang"] == row["lang"] and record["title"] == row["title"]
        assert record["date"].startswith(row["published"])
    elif row["format"] == "rss":
        item = rss_items(raw)[int(frag.removeprefix("entry-")) - 1]
        assert item.findtext("title") == row["title"]
        assert item.findtext("pubDate") and item.findtext(RSS_CONTENT)
    else:
        assert frag == ""
        assert row["title"] in collapse(article_text(row))
    if row["format"] == "html":
        assert 'property="og:site_name"' in raw and 'property="article:published_time"' in raw


@pytest.mark.parametrize("row", GOLD, ids=[r["item"] for r in GOLD])
def test_article_length(row):
    assert 150 <= body_words(row) <= 450


def test_declared_encodings_really_differ_from_utf8():
    encodings = {row["encoding"]: row["item"] for row in GOLD}
    assert {"utf-8", "cp1256", "utf-16"} <= set(encodings)
    cp1256 = (ARTICLES / encodings["cp1256"]).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        cp1256.decode("utf-8")
    assert (ARTICLES / encodings["utf-16"]).read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")


def test_every_data_file_and_entry_is_listed():
    listed = defaultdict(set)
    for row in GOLD:
        name, _, frag = row["item"].partition("#")
        listed[name].add(frag)
    on_disk = {p.name for p in ARTICLES.iterdir() if p.suffix in DATA_SUFFIXES}
    assert on_disk == set(listed)
    for name, frags in listed.items():
        raw = (ARTICLES / name).read_text(encoding="utf-8") if name.endswith((".jsonl", ".rss")) else None
        if name.endswith(".jsonl"):
            assert frags == {str(i) for i in range(1, len(raw.splitlines()) + 1)}
        elif name.endswith(".rss"):
            assert frags == {f"entry-{i}" for i in range(1, len(rss_items(raw)) + 1)}
        else:
            assert frags == {""}


def test_corpus_size_languages_and_stories():
    assert len(GOLD) >= 20
    assert len({row["lang"] for row in GOLD}) >= 5
    outlets = defaultdict(set)
    for row in GOLD:
        outlets[row["story"]].add(row["outlet"])
    assert len(outlets) >= 4
    assert all(len(o) >= 3 for o in outlets.values()), outlets


def test_a_story_has_events_on_different_days():
    days = defaultdict(lambda: defaultdict(set))
    for row in GOLD:
        days[row["story"]][row["event"]].add(row["published"])
    multi = [s for s, events in days.items() if len(events) >= 2]
    assert multi
    for story in multi:
        # a story runs over days; two events may start on one day (two governments' reactions)
        first_days = {min(d) for d in days[story].values()}
        assert len(first_days) >= 2, f"{story}: all its events start on the same day"
    event_story = {}
    for row in GOLD:
        assert event_story.setdefault(row["event"], row["story"]) == row["story"]


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.casefold())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def body_lines(row: dict[str, str]) -> list[str]:
    """The lines of an article that are neither its title nor clutter to drop (per CLUTTER.tsv)."""
    dropped = {c["text"] for c in CLUTTER if c["item"] == row["item"] and c["action"] == "drop"}
    lines = (line.strip() for line in article_text(row).splitlines())
    return [line for line in lines if line and line not in dropped and line != row["title"]]


def test_declared_copies():
    kinds = defaultdict(list)
    for row in GOLD:
        assert row["copy_kind"] in {"", "near", "syndicated"}
        assert bool(row["copy_of"]) == bool(row["copy_kind"])
        if row["copy_of"]:
            kinds[row["copy_kind"]].append(row)
    assert kinds["near"] and kinds["syndicated"]
    for rows in kinds.values():
        for row in rows:
            source = BY_ITEM[row["copy_of"]]
            assert (source["story"], source["event"]) == (row["story"], row["event"])
            assert source["outlet"] != row["outlet"] and source["title"] != row["title"]
    for row in kinds["syndicated"]:  # the same wire text, paragraph for paragraph
        assert body_lines(row) == body_lines(BY_ITEM[row["copy_of"]])
    for row in kinds["near"]:  # once cleaned, mostly shared but edited
        a = shingles(" ".join(body_lines(row)))
        b = shingles(" ".join(body_lines(BY_ITEM[row["copy_of"]])))
        assert 0.5 <= len(a & b) / len(a | b) < 0.95
        assert body_lines(row) != body_lines(BY_ITEM[row["copy_of"]])


def test_no_undeclared_copies():
    """Articles not declared as copies share little text, so the copy gold is complete."""
    texts = {row["item"]: shingles(article_text(row)) for row in GOLD}
    declared = {frozenset((r["item"], r["copy_of"])) for r in GOLD if r["copy_of"]}
    items = sorted(texts)
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if frozenset((a, b)) in declared:
                continue
            overlap = len(texts[a] & texts[b]) / len(texts[a] | texts[b])
            assert overlap < 0.2, (a, b, overlap)


@pytest.mark.parametrize("row", CLUTTER, ids=[f"{r['item']}:{r['kind']}" for r in CLUTTER])
def test_clutter_is_where_the_gold_says(row):
    gold = BY_ITEM[row["item"]]
    text = article_text(gold)
    assert row["action"] in {"drop", "strip", "dedupe", "split"}
    assert row["text"] == row["text"].strip() and row["text"]
    if gold["format"] in {"html", "rss"}:
        assert collapse(row["text"]) in collapse(text)
    elif row["action"] == "drop":
        assert row["text"] in [line.rstrip("\r") for line in text.split("\n")]
    else:
        assert row["text"] in text
    if row["action"] == "split":
        assert re.search(r"\w[.]\w", row["text"])


def test_clutter_covers_the_promised_kinds():
    kinds = {row["kind"] for row in CLUTTER}
    promised = {
        "share",
        "read_also",
        "comments",
        "comment_form",
        "newsletter",
        "follow_us",
        "spam",
        "image_file",
        "photo_credit",
        "title_repeat",
        "author_box",
        "tags",
        "menu",
        "timestamp",
        "dateline",
        "glued_sentence",
    }
    assert promised <= kinds
    assert len({row["item"] for row in CLUTTER}) < len(GOLD)  # some items stay clean


@pytest.mark.parametrize("row", CLAIMS, ids=[f"{r['claim']}:{r['item']}" for r in CLAIMS])
def test_claim_is_written_where_the_gold_says(row):
    text = article_text(BY_ITEM[row["item"]])
    assert row["as_written"] in text or collapse(row["as_written"]) in collapse(text)
    float(row["value"])


def test_claims_disagree_across_outlets():
    values = defaultdict(set)
    outlets = defaultdict(set)
    for row in CLAIMS:
        values[row["claim"]].add(float(row["value"]))
        outlets[row["claim"]].add(BY_ITEM[row["item"]]["outlet"])
    disputed = [claim for claim, v in values.items() if len(v) >= 2]
    assert len(disputed) >= 5
    assert all(len(outlets[claim]) >= 2 for claim in values)


def test_readme_states_fiction_and_licence():
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    assert "fictional" in readme and "Apache-2.0" in readme
    for story in {row["story"] for row in GOLD}:
        assert story in readme
