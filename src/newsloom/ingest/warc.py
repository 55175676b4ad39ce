"""Web archives (``.warc``, ``.warc.gz``): every HTML page fetched with status 200.

warcio does not raise on a cut-off archive: it stops early (gzip) or hands back a short
record (plain WARC). Both are detected here, so a truncated crawl yields the pages read
so far plus one ``Reject`` saying where it broke.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsloom.ingest.base import Reader
from newsloom.ingest.html import decode_html
from newsloom.models import Document, Reject

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _starts_like_warc(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head)
        except zlib.error:
            return False
    return head.lstrip(b"\r\n").startswith(b"WARC/")


class WarcReader(Reader):
    """HTTP responses with an HTML content type and status 200 become documents."""

    name = "warc"
    suffixes = (".warc", ".warc.gz")

    def read(self, source: str, data: bytes) -> Iterator[Document | Reject]:
        if not data:
            yield Reject(source=source, reason="empty file")
            return
        if not _starts_like_warc(data):
            yield Reject(source=source, reason="not a WARC file: it does not start with a WARC/1.x record")
            return
        iterator = ArchiveIterator(io.BytesIO(data))
        records = pages = complete = 0
        try:
            for record in iterator:
                complete = records
                records += 1
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                status = record.http_headers.get_statuscode()
                if status != "200" or not content_type.lower().startswith(_HTML_TYPES):
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or f"record-{records}"
                payload = record.content_stream().read()
                if getattr(record.raw_stream, "limit", 0) > 0:
                    raise EOFError(f"record {uri} ends {record.raw_stream.limit} bytes early")
                html, error = decode_html(payload, _charset(content_type))
                where = f"{source}#{uri}"
                if html is None:
                    yield Reject(source=where, reason=error or "undecodable page")
                    continue
                pages += 1
                yield Document(source=where, url=uri, raw=html, format="html")
        except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as exc:
            if records == 0:
                yield Reject(source=source, reason=f"not a WARC file: {exc}")
            else:
                yield Reject(source=source, reason=f"truncated WARC after {complete} records: {exc}")
            return
        if iterator.offset < len(data):
            yield Reject(
                source=source,
                reason=(
                    f"truncated WARC after {records} records: "
                    f"{len(data) - iterator.offset} bytes at the end could not be read"
                ),
            )
            return
        if records == 0:
            yield Reject(source=source, reason="not a WARC file: no records found")
        elif pages == 0:
            yield Reject(source=source, reason=f"no HTML pages with status 200 in {records} WARC records")
