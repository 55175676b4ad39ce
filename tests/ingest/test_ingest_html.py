"""The HTML reader (decoding) and the HtmlExtract stage (main text and metadata)."""

from __future__ import annotations

import pytest

from newsloom.ingest.html import NO_MAIN_TEXT, HtmlExtract, HtmlReader, meta_charset
from newsloom.models import Document, Reject

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour bridge in Veltria reopens | The Coastal Ledger</title>
<meta property="og:site_name" content="The Coastal Ledger">
<meta name="author" content="Mira Tolland">
<meta property="article:published_time" content="2024-03-18T09:30:00+00:00">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Harbour bridge in Veltria reopens after two years</h1>
<p>The harbour bridge in the fictional city of Veltria reopened on Monday after two years of repairs,
the city council said in a statement.</p>
<p>Mayor Anselm Kroy said the works had cost 48 million crowns, slightly more than the 45 million
first planned. "We kept the old stones where we could," he told reporters.</p>
<p>About 12,000 vehicles are expected to cross the bridge every day, according to the transport
office. Cyclists get a separate lane for the first time.</p>
</article>
<footer><p>Copyright 2024 The Coastal Ledger. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>
"""


@pytest.fixture(scope="module")
def extract(request):
    from newsloom.config import load_config

    stage = HtmlExtract(load_config())
    stage.ensure_setup()
    return stage


def run(stage: HtmlExtract, doc: Document) -> Document:
    stage([doc])
    return doc


def test_extracts_main_text_paragraphs_and_metadata(extract):
    doc = run(extract, Document(source="page.html", raw=PAGE, format="html"))
    assert doc.rejected is None
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Harbour bridge in Veltria reopens after two years"
    assert any(p.startswith("The harbour bridge in the fictional city") for p in paragraphs)
    assert paragraphs[-1].endswith("a separate lane for the first time.")
    assert "Home" not in doc.text and "Privacy" not in doc.text and "All rights reserved" not in doc.text
    assert doc.title == "Harbour bridge in Veltria reopens after two years"
    assert doc.published == "2024-03-18"
    assert doc.publisher == "The Coastal Ledger"
    assert doc.author == "Mira Tolland"


def test_keeps_metadata_the_input_already_gave(extract):
    doc = Document(source="x", raw=PAGE, format="html", title="Given title", publisher="Given Press")
    run(extract, doc)
    assert doc.title == "Given title" and doc.publisher == "Given Press"
    assert doc.published == "2024-03-18"


def test_page_without_main_text_is_rejected(extract):
    raw = "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav><footer></footer></body></html>"
    doc = run(extract, Document(source="empty.html", raw=raw, format="html"))
    assert doc.rejected == NO_MAIN_TEXT


def test_fragment_from_a_feed_is_read(extract):
    raw = "<p>The ferry to the island of Orsk resumed service on Tuesday.</p><p>Tickets cost 4 crowns.</p>"
    doc = run(extract, Document(source="feed#1", raw=raw, format="html"))
    assert doc.text == "The ferry to the island of Orsk resumed service on Tuesday.\n\nTickets cost 4 crowns."


def test_text_documents_pass_untouched(extract):
    doc = run(extract, Document(source="a.txt", raw="plain words", format="text"))
    assert doc.text == "" and doc.rejected is None


def test_reader_uses_meta_charset(config):
    html = PAGE.replace('charset="utf-8"', 'charset="windows-1252"').replace("Kroy", "Kröy “quoted”")
    data = html.encode("cp1252")
    assert meta_charset(data) == "windows-1252"
    (doc,) = HtmlReader(config).read("page.html", data)
    assert isinstance(doc, Document)
    assert doc.format == "html"
    assert "Kröy “quoted”" in doc.raw


def test_reader_rejects_binary_and_empty(config):
    (rej,) = HtmlReader(config).read("x.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert isinstance(rej, Reject) and rej.reason == "binary file, not text" and rej.source == "x.html"
    (rej,) = HtmlReader(config).read("x.html", b"  ")
    assert rej.reason == "empty file"


def test_a_copyright_year_is_no_publication_date(config):
    """Abstain rather than guess: a page with no date but a copyright line gets none."""
    from newsloom.ingest.html import HtmlExtract
    from newsloom.models import Document

    para = "Flood waters rose again in the town of Lerin on Sunday, officials said, and families left. " * 5
    undated = (f"<html><head><title>Flood in Lerin</title></head><body><article><h1>Flood in Lerin</h1>"
               f"<p>{para}</p></article><footer>Copyright 2020 Lerin Daily</footer></body></html>")
    dated = undated.replace("<head>", '<head><meta property="article:published_time" content="2021-03-09">')
    docs = [Document(source=f"{n}.html", raw=html, format="html") for n, html in (("u", undated), ("d", dated))]
    HtmlExtract(config).process(docs)
    assert [d.published for d in docs] == [None, "2021-03-09"]
