"""The JSON Lines reader: fields, broken lines with their numbers, field names from config."""

from __future__ import annotations

import json

import pytest

from newsloom.config import load_config
from newsloom.ingest.jsonl import JsonlReader, iso_date, looks_like_html
from newsloom.models import Document, Reject

BODY = "The harbour council of Veltria met on Monday and agreed a new plan for the old bridge."


def lines(*objs) -> bytes:
    return "\n".join(o if isinstance(o, str) else json.dumps(o, ensure_ascii=False) for o in objs).encode()


def test_reads_fields(config):
    data = lines(
        {
            "text": BODY,
            "title": "Bridge plan agreed",
            "url": "https://ledger.example/bridge",
            "date": "2024-03-18T09:30:00Z",
            "lang": "en",
            "publisher": "The Coastal Ledger",
        }
    )
    (doc,) = JsonlReader(config).read("news.jsonl", data)
    assert isinstance(doc, Document)
    assert doc.raw == BODY
    assert doc.format == "text"
    assert doc.title == "Bridge plan agreed"
    assert doc.url == "https://ledger.example/bridge"
    assert doc.published == "2024-03-18T09:30:00+00:00"
    assert doc.lang_hint == "en"
    assert doc.publisher == "The Coastal Ledger"
    assert doc.source == "news.jsonl:1"


def test_broken_lines_are_rejected_with_their_numbers_and_the_rest_goes_on(config):
    data = lines(
        {"text": BODY},  # 1 ok
        '{"text": "unterminated',  # 2 bad JSON
        "[1, 2, 3]",  # 3 not an object
        {"title": "no text here"},  # 4 missing text
        {"text": "   "},  # 5 empty text
        {"text": 42},  # 6 wrong type
        {"text": BODY, "title": ["a", "list"]},  # 7 wrong type of an optional field
        "",  # 8 blank: skipped
        {"text": "Too short."},  # 9 too little text
        {"text": BODY + " Second."},  # 10 ok
    )
    out = list(JsonlReader(config).read("feed.jsonl", data))
    docs = [x for x in out if isinstance(x, Document)]
    rejects = {r.line: r for r in out if isinstance(r, Reject)}
    assert [d.source for d in docs] == ["feed.jsonl:1", "feed.jsonl:10"]
    assert sorted(rejects) == [2, 3, 4, 5, 6, 7, 9]
    assert all(r.source == "feed.jsonl" for r in rejects.values())
    assert rejects[2].reason.startswith("bad JSON")
    assert rejects[3].reason == "line is not a JSON object (got list)"
    assert rejects[4].reason == "missing 'text' field"
    assert rejects[5].reason == "empty 'text' field"
    assert rejects[6].reason == "field 'text' must be a string, got int"
    assert rejects[7].reason == "field 'title' must be a string, got list"
    assert rejects[9].reason == "too little text (9 chars)"
    assert str(rejects[2]).startswith("feed.jsonl:2: bad JSON")


def test_damaged_utf8_line_is_rejected(config):
    """A line that is UTF-8 with a foreign byte in it: any guess would garble it."""
    damaged = lines({"text": BODY + " São Tomé"}).replace(b"Veltria", b"Velt\xe9ria")
    out = list(JsonlReader(config).read("x.jsonl", damaged + b"\n" + lines({"text": BODY})))
    assert isinstance(out[0], Reject) and out[0].line == 1 and "UTF-8" in out[0].reason
    assert "mixes encodings" in out[0].reason
    assert isinstance(out[1], Document)


def test_a_line_in_a_legacy_encoding_is_decoded_as_such(config):
    """Files appended to by several tools mix encodings line by line; no article is lost."""
    legacy = json.dumps({"text": "Le café de São Paulo a rouvert après les travaux, a annoncé la mairie."},
                        ensure_ascii=False).encode("cp1252")
    out = list(JsonlReader(config).read("x.jsonl", lines({"text": BODY}) + b"\n" + legacy))
    assert [type(o) for o in out] == [Document, Document]
    assert out[1].raw.startswith("Le café de São Paulo")


def test_field_names_come_from_config():
    config = load_config(overrides={"ingest": {"jsonl": {"text": "body", "title": "headline"}}})
    data = lines({"body": BODY, "headline": "Renamed fields"})
    (doc,) = JsonlReader(config).read("x.jsonl", data)
    assert doc.raw == BODY and doc.title == "Renamed fields"


def test_html_text_is_marked_html(config):
    html = "<article><h1>Bridge</h1><p>" + BODY + "</p></article>"
    (doc,) = JsonlReader(config).read("x.jsonl", lines({"text": html}))
    assert doc.format == "html"
    assert looks_like_html(html)
    assert not looks_like_html("1 < 2 and 3 > 2 in this sentence")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2024-03-18", "2024-03-18"),
        ("2024-03-18T09:30:00+07:00", "2024-03-18T09:30:00+07:00"),
        ("2024-03-18 09:30:00", "2024-03-18T09:30:00"),
        ("Mon, 18 Mar 2024 09:30:00 +0000", "2024-03-18T09:30:00+00:00"),
        (1710754200, "2024-03-18T09:30:00+00:00"),
        ("last Tuesday", None),  # ISO 8601 or null, never the text as given
        ("03-02-2009", None),  # 3 February or 2 March: abstain
        ("18-03-2024", "2024-03-18"),
        ("03/18/2024", "2024-03-18"),
        ("1 settembre 2007", "2007-09-01"),
        ("18 Maret 2024", "2024-03-18"),
        ("lundi 18 mars 2024", "2024-03-18"),
        ("Copyright 2020", None),
        (True, None),
        ("", None),
        (None, None),
    ],
)
def test_iso_date(given, expected):
    assert iso_date(given) == expected


def test_empty_file(config):
    (rej,) = JsonlReader(config).read("x.jsonl", b"\n\n  \n")
    assert rej.reason == "empty file"
