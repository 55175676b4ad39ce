"""HTML pages: the ``.html``/``.htm`` reader and the ``HtmlExtract`` stage.

The reader only decodes bytes (BOM, then strict UTF-8, then the page's own meta charset,
then a guess). The stage finds the main text and the metadata with trafilatura, keeping
one paragraph per block (paragraph, heading, list item, table) separated by blank lines,
so that later stages see the page's own paragraph structure.

libxml2 (under lxml and trafilatura) stops descending at 256 nested elements and drops
what lies deeper; such a page is rejected with that reason rather than read in part.
A few stray NUL bytes in a page are dropped by ``decode_bytes``; binary stays rejected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.xml import xmltotxt

from newsloom.ingest.base import Reader, make_document
from newsloom.ingest.jsonl import iso_date
from newsloom.ingest.safe import scrub
from newsloom.ingest.text import BINARY, decode_bytes
from newsloom.models import Document, Reject
from newsloom.stages.base import DocStage

NO_MAIN_TEXT = "HTML page has no main text"
# libxml2's nesting limit without XML_PARSE_HUGE (which neither lxml's HTML parser here nor trafilatura sets).
LIBXML_MAX_DEPTH = 256
TOO_DEEP = (
    f"HTML nested deeper than {LIBXML_MAX_DEPTH} elements (libxml2's limit): the page cannot be read whole"
)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_PAGE = re.compile(r"<(?:html|body)[\s>]", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
# Elements whose text is never article text, removed before reading a fragment.
_NOT_TEXT = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "template")
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th", "dd", "dt")


def meta_charset(data: bytes) -> str | None:
    """The encoding a page declares in a ``<meta charset>`` or ``http-equiv`` tag."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def decode_html(data: bytes, declared: str | None = None) -> tuple[str | None, str | None]:
    """(html, None) or (None, reason). ``declared`` is e.g. the HTTP Content-Type charset."""
    decoded = decode_bytes(data, declared or meta_charset(data))
    return decoded.text, decoded.error


class HtmlReader(Reader):
    """A saved web page holds one article."""

    name = "html"
    suffixes = (".html", ".htm", ".xhtml")

    def read(self, source: str, data: bytes) -> Iterator[Document | Reject]:
        if not data.strip():
            yield Reject(source=source, reason="empty file")
            return
        html, error = decode_html(data)
        if html is None:
            yield Reject(source=source, reason=error or BINARY)
            return
        yield make_document(source=source, raw=html, format="html")


def too_deep(html: str) -> bool:
    """True when libxml2 gives up on the page's nesting (cheap: needs that many tags to be possible)."""
    if html.count("<") <= LIBXML_MAX_DEPTH:
        return False
    parser = lxml.html.HTMLParser(collect_ids=False)
    try:
        lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return False
    return any(e.type_name == "ERR_RESOURCE_LIMIT" and "depth" in e.message for e in parser.error_log)


def _clean_block(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _body_blocks(body: etree._Element) -> list[str]:
    """One block of text per top-level element of trafilatura's output (list items apart)."""
    blocks: list[str] = []
    for child in body:
        parts = [item for item in child if item.tag == "item"] if child.tag == "list" else [child]
        for part in parts or [child]:
            text = _clean_block(xmltotxt(part, include_formatting=False))
            if text:
                blocks.append(text)
    return blocks


def _fragment_blocks(html: str) -> list[str]:
    """Text blocks of an HTML fragment (a feed entry or a JSONL body), which trafilatura skips."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    for bad in root.xpath("|".join(f"//{tag}" for tag in _NOT_TEXT)):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    blocks = []
    found = [el for el in root.iter(*_BLOCKS) if not any(a.tag in _BLOCKS for a in el.iterancestors())]
    for el in found or [root]:
        text = _clean_block(el.text_content())
        if text:
            blocks.append(text)
    return blocks


# Publication dates from the page's markup and dated elements only, original before updated:
# htmldate's extensive search reads bare years anywhere ("Copyright 2020" became 2020-01-01).
DATE_PARAMS = {"extensive_search": False, "original_date": True}


class HtmlExtract(DocStage):
    """Main text and metadata of HTML documents (``format == "html"``); other documents pass."""

    name = "html"
    requires = ("raw",)
    provides = ("text", "title", "published", "published_from", "publisher", "author")

    def process(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            if doc.format != "html":
                continue
            try:
                self._extract(doc)
            except Exception as exc:  # noqa: BLE001 - a broken page must not stop the batch
                doc.rejected = f"HTML extraction failed: {type(exc).__name__}: {exc}"
                self.stats["dropped_extraction_error"] += 1
        return docs

    def _extract(self, doc: Document) -> None:
        if too_deep(doc.raw):
            doc.rejected = TOO_DEEP
            self.stats["dropped_too_deep"] += 1
            return
        result = trafilatura.bare_extraction(
            doc.raw, url=doc.url, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params=DATE_PARAMS,
        )
        blocks: list[str] = []
        if result is not None:
            if result.body is not None:
                blocks = _body_blocks(result.body)
            if not blocks and result.text:
                blocks = [b for b in (_clean_block(x) for x in result.text.split("\n")) if b]
        if not blocks and not _PAGE.search(doc.raw[:5000]):
            blocks = _fragment_blocks(doc.raw)
            self.stats["fragments"] += 1 if blocks else 0
        if len("".join("".join(blocks).split())) < self.config.ingest.min_text_chars:
            doc.rejected = NO_MAIN_TEXT
            self.stats["dropped_no_main_text"] += 1
            return
        doc.text = "\n\n".join(blocks)
        self.stats["extracted"] += 1
        if result is None:
            return
        # scrub: trafilatura reads metadata from JSON-LD too, whose "\\ud800" escapes become lone surrogates
        if doc.title is None and result.title:
            doc.title = scrub(result.title.strip()) or None
        if doc.published is None and result.date:
            doc.published = iso_date(result.date)
            doc.published_from = "markup" if doc.published else None
        if doc.publisher is None and result.sitename:
            doc.publisher = scrub(result.sitename.strip()) or None
        if doc.author is None and result.author:
            doc.author = scrub(result.author.strip()) or None
