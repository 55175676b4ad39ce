"""RSS and Atom feeds (``.rss``, ``.atom``, and ``.xml`` files that parse as a feed).

Each entry becomes a document: its full content when the feed carries it, else its
summary; the feed's own title is the publisher.

Declared entities: feeds written by older publishing systems declare a few of their own in
the DOCTYPE (``<!ENTITY nbsp "&#160;">``, ``<!ENTITY mdash "&#8212;">``). Those whose value is
plain text and character references are substituted once, never recursively, and the DOCTYPE
is dropped. A feed that declares an entity made of other entities ("billion laughs"
expansion), an external one (``SYSTEM``/``PUBLIC``: reading local files) or a parameter
entity is rejected, as defusedxml does by default. feedparser alone would be safe too (expat
through ``xml.sax`` neither fetches external entities nor expands declared ones, and its
lenient fallback leaves the references as text; both tested), but the entries would carry
``&lol9;`` noise. Numeric character
references to surrogates or past U+10FFFF, which crash that fallback parser, are replaced
with U+FFFD first.
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from newsloom.ingest.base import Reader, make_document
from newsloom.ingest.jsonl import has_tags, iso_date
from newsloom.ingest.text import too_little_text
from newsloom.models import Document, Reject

_ENTITY_DECLARATION = re.compile(rb"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY", re.IGNORECASE)
_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[([^\]]*)\]\s*>", re.IGNORECASE)
# <!ENTITY name "value"> or 'value': a general entity whose value is text and character refs only
_LITERAL_ENTITY = re.compile(
    rb"""<!ENTITY\s+([A-Za-z_][\w.-]{0,63})\s+(?:"([^"&<%]*(?:&\#[0-9a-fA-FxX]{1,8};[^"&<%]*)*)"|'([^'&<%]*(?:&\#[0-9a-fA-FxX]{1,8};[^'&<%]*)*)')\s*>"""
)
_DECLARATION = re.compile(rb"<!ENTITY\b[^>]*>", re.IGNORECASE)
_MAX_ENTITY_VALUE = 256  # bytes: a character or a short phrase, never a document
ENTITIES_REFUSED = (
    "feed declares its own XML entities (<!ENTITY in its DOCTYPE) built from other entities, "
    "external or parameter entities: refused, as entity expansion and external entities are "
    "attack vectors"
)
_CHARREF = re.compile(rb"&#([xX][0-9a-fA-F]{1,16}|[0-9]{1,16});")
_REPLACEMENT_REF = b"&#xFFFD;"


def _valid_charref(match: re.Match[bytes]) -> bytes:
    ref = match.group(1)
    code = int(ref[1:], 16) if ref[:1] in b"xX" else int(ref)
    return match.group() if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else _REPLACEMENT_REF


def _literal_entities(data: bytes) -> bytes | None:
    """The feed with its DOCTYPE dropped and its declared literal entities substituted once;
    None when any declaration is not a short literal (nested, external, parameter entity)."""
    doctype = _DOCTYPE_SUBSET.search(data)
    if doctype is None:
        return None
    subset = doctype.group(1)
    values: dict[bytes, bytes] = {}
    for declaration in _DECLARATION.finditer(subset):
        literal = _LITERAL_ENTITY.fullmatch(declaration.group())
        if literal is None:
            return None
        value = literal.group(2) if literal.group(2) is not None else literal.group(3)
        if len(value) > _MAX_ENTITY_VALUE:
            return None
        values[literal.group(1)] = value
    body = data[: doctype.start()] + data[doctype.end() :]
    if not values:
        return body
    names = b"|".join(re.escape(name) for name in sorted(values, key=len, reverse=True))
    # one pass over the body: a substituted value is never scanned again, so nothing nests
    return re.sub(rb"&(" + names + rb");", lambda m: values[m.group(1)], body)


def _iso(entry: Any, key: str) -> str | None:
    parsed: time.struct_time | None = entry.get(f"{key}_parsed")
    if parsed:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC).isoformat()
    raw = entry.get(key)
    return iso_date(raw) if isinstance(raw, str) else None


def _body(entry: Any) -> str:
    """The longest of the entry's content parts, else its summary."""
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    if contents:
        return max(contents, key=len)
    return entry.get("summary", "") or ""


class FeedReader(Reader):
    """Each entry of an RSS or Atom feed is one article."""

    name = "feed"
    suffixes = (".rss", ".atom", ".xml")

    def read(self, source: str, data: bytes) -> Iterator[Document | Reject]:
        if not data.strip():
            yield Reject(source=source, reason="empty file")
            return
        if _ENTITY_DECLARATION.search(data):
            literal = _literal_entities(data)
            if literal is None:
                yield Reject(source=source, reason=ENTITIES_REFUSED)
                return
            data = literal
        if b"&#" in data:
            data = _CHARREF.sub(_valid_charref, data)
        try:
            parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
        except Exception as exc:  # noqa: BLE001 - feedparser's lenient parser has crashed on odd input before
            yield Reject(source=source, reason=f"feed could not be parsed: {type(exc).__name__}: {exc}")
            return
        entries = parsed.get("entries", [])
        if not entries:
            if parsed.get("bozo"):
                problem = parsed.get("bozo_exception")
                yield Reject(source=source, reason=f"not a valid RSS or Atom feed: {problem}")
            elif parsed.get("version"):
                yield Reject(source=source, reason="feed has no entries")
            else:
                yield Reject(source=source, reason="not an RSS or Atom feed")
            return
        publisher = (parsed.feed.get("title") or "").strip() or None
        lang = (parsed.feed.get("language") or "").split("-")[0].lower() or None
        for number, entry in enumerate(entries, start=1):
            try:
                yield self._entry(source, number, entry, publisher, lang)
            except Exception as exc:  # noqa: BLE001 - one entry's failure must not hide the entries after it
                yield Reject(
                    source=f"{source}#entry-{number}",
                    reason=f"feed entry failed: {type(exc).__name__}: {exc}",
                )

    def _entry(
        self, source: str, number: int, entry: Any, publisher: str | None, lang: str | None
    ) -> Document | Reject:
        link = (entry.get("link") or "").strip() or None
        where = f"{source}#{link}" if link else f"{source}#entry-{number}"
        body = _body(entry).strip()
        if not body:
            return Reject(source=where, reason="feed entry has no content or summary")
        fmt = "html" if has_tags(body) else "text"
        short = too_little_text(body, self.config.ingest.min_text_chars) if fmt == "text" else None
        if short:
            return Reject(source=where, reason=short)
        return make_document(
            source=where,
            raw=body,
            format=fmt,
            title=(entry.get("title") or "").strip() or None,
            url=link,
            published=_iso(entry, "published") or _iso(entry, "updated"),
            publisher=publisher,
            author=(entry.get("author") or "").strip() or None,
            lang_hint=lang,
        )
