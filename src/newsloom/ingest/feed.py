"""RSS and Atom feeds (``.rss``, ``.atom``, and ``.xml`` files that parse as a feed).

Each entry becomes a document: its full content when the feed carries it, else its
summary; the feed's own title is the publisher.

Hostile feeds: a feed that declares its own entities (``<!ENTITY`` in its DOCTYPE: "billion
laughs" expansion, external entities reading local files) is rejected, as defusedxml does by
default. feedparser alone would be safe too (expat through ``xml.sax`` neither fetches
external entities nor expands declared ones, and its lenient fallback leaves the references
as text; both tested), but the entries would carry ``&lol9;`` noise. Numeric character
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
ENTITIES_REFUSED = (
    "feed declares its own XML entities (<!ENTITY in its DOCTYPE): refused, "
    "as entity expansion and external entities are attack vectors"
)
_CHARREF = re.compile(rb"&#([xX][0-9a-fA-F]{1,16}|[0-9]{1,16});")
_REPLACEMENT_REF = b"&#xFFFD;"


def _valid_charref(match: re.Match[bytes]) -> bytes:
    ref = match.group(1)
    code = int(ref[1:], 16) if ref[:1] in b"xX" else int(ref)
    return match.group() if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else _REPLACEMENT_REF


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
            yield Reject(source=source, reason=ENTITIES_REFUSED)
            return
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
