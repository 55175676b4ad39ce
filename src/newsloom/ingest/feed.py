"""RSS and Atom feeds (``.rss``, ``.atom``, and ``.xml`` files that parse as a feed).

Each entry becomes a document: its full content when the feed carries it, else its
summary; the feed's own title is the publisher.
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from newsloom.ingest.base import Reader
from newsloom.ingest.jsonl import has_tags, iso_date
from newsloom.ingest.text import too_little_text
from newsloom.models import Document, Reject


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
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
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
        for number, entry in enumerate(entries, start=1):
            link = (entry.get("link") or "").strip() or None
            where = f"{source}#{link}" if link else f"{source}#entry-{number}"
            body = _body(entry).strip()
            if not body:
                yield Reject(source=where, reason="feed entry has no content or summary")
                continue
            fmt = "html" if has_tags(body) else "text"
            short = too_little_text(body, self.config.ingest.min_text_chars) if fmt == "text" else None
            if short:
                yield Reject(source=where, reason=short)
                continue
            yield Document(
                source=where,
                raw=body,
                format=fmt,
                title=(entry.get("title") or "").strip() or None,
                url=link,
                published=_iso(entry, "published") or _iso(entry, "updated"),
                publisher=publisher,
                author=(entry.get("author") or "").strip() or None,
                lang_hint=(parsed.feed.get("language") or "").split("-")[0].lower() or None,
            )
