"""Web archives (``.warc``, ``.warc.gz``): every HTML page fetched with status 200.

warcio does not raise on a cut-off archive: it stops early (gzip) or hands back a short
record (plain WARC). Both are detected here, so a truncated crawl yields the pages read
so far plus one ``Reject`` saying where it broke.

Size caps apply after decompression: a ``.warc.gz`` is decompressed here, through a stream
that stops at ``ingest.max_file_bytes`` (warcio would otherwise inflate it without limit),
and each page's payload is read up to that size after its gzip/deflate Content-Encoding is
undone. A Content-Length that claims more than the file holds is a truncation; one that
claims less leaves warcio off the record boundary, which ends the archive with a reject.
"""

from __future__ import annotations

import contextlib
import io
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from newsloom.ingest.base import Reader, make_document
from newsloom.ingest.html import decode_html
from newsloom.ingest.safe import (
    GZIP_MAGIC,
    SIZE_KEY,
    Bomb,
    CappedGunzip,
    CappedStream,
    InputTooLarge,
    TruncatedGzip,
    mb,
)
from newsloom.models import Document, Reject

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# Past ingest.max_file_bytes of output, a .warc.gz that expands more than this many times its
# compressed size is a decompression bomb: crawled HTML compresses 3-10 times.
MAX_RATIO = 100.0


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _starts_like_warc(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 4096)
        except zlib.error:
            return False
    return head.lstrip(b"\r\n").startswith(b"WARC/")


def _short_by(record: ArcWarcRecord | None) -> int:
    """Bytes a record's Content-Length promised that the archive did not hold (after it was read)."""
    return getattr(record.raw_stream, "limit", 0) if record is not None else 0


class WarcReader(Reader):
    """HTTP responses with an HTML content type and status 200 become documents."""

    name = "warc"
    suffixes = (".warc", ".warc.gz")

    def read(self, source: str, data: bytes) -> Iterator[Document | Reject]:
        """A WARC held in memory (decompressed: at most ``ingest.max_file_bytes``)."""
        yield from self.read_stream(source, io.BytesIO(data), self.config.ingest.max_file_bytes)

    def read_stream(self, source: str, stream: BinaryIO, archive_limit: int) -> Iterator[Document | Reject]:
        """A WARC read from a seekable binary stream a record at a time: memory is bounded by one
        record (each page at most ``ingest.max_file_bytes``), the whole archive by ``archive_limit``
        bytes after decompression."""
        head = stream.read(4096)
        stream.seek(0)
        if not head:
            yield Reject(source=source, reason="empty file")
            return
        if not _starts_like_warc(head):
            yield Reject(source=source, reason="not a WARC file: it does not start with a WARC/1.x record")
            return
        limit = self.config.ingest.max_file_bytes
        if head.startswith(GZIP_MAGIC):
            capped = CappedGunzip(stream, archive_limit, max_ratio=MAX_RATIO, ratio_after=limit)
        else:
            capped = CappedStream(stream, archive_limit)
        iterator = ArchiveIterator(capped)  # unbuffered: every byte before a cut is read
        records = iter(iterator)
        count = pages = 0
        record: ArcWarcRecord | None = None
        # A record's page is held back until the next record is found where its Content-Length
        # said: warcio only notices a wrong length then (and counts it in err_count).
        held: Document | Reject | None = None
        while True:
            errors, before = iterator.err_count, record
            record, page, failure = None, None, None
            try:
                with contextlib.redirect_stderr(io.StringIO()):  # warcio prints its warnings there
                    record = next(records, None)
                    if record is not None:
                        page = self._page(source, count + 1, record, limit)
            except Bomb:
                failure = (f"decompressed WARC is over the {mb(limit)} limit ({SIZE_KEY}) and expands over "
                           f"{MAX_RATIO:g} times its compressed size: a decompression bomb; read {count} records")
            except InputTooLarge:
                what = SIZE_KEY if archive_limit == limit else "ingest.max_archive_bytes"
                failure = f"decompressed WARC is over the {mb(archive_limit)} limit ({what}); read {count} records"
            except (ArchiveLoadFailed, EOFError, TruncatedGzip, OSError, zlib.error, ValueError) as exc:
                failure = (
                    f"{'not a WARC file' if count == 0 else f'truncated WARC after {count} records'}: {exc}"
                )
            if iterator.err_count > errors and before is not None:  # its page is not to be trusted
                uri = before.rec_headers.get_header("WARC-Target-URI") or f"record-{count}"
                reason = f"WARC record {count} ({uri}) does not end where its Content-Length says"
                held = None
                if failure or record is None:
                    rest = f"; the rest cannot be read ({failure})" if failure else ""
                    yield Reject(source=source, reason=reason + rest)
                    return
                yield Reject(source=source, reason=reason)
            if held is not None:
                pages += isinstance(held, Document)
                yield held
            held = None
            if failure:
                yield Reject(source=source, reason=failure)
                return
            if record is None:
                break
            count += 1
            held = page
        total = capped.produced
        if _short_by(before):  # the last record, skipped unread, was cut off
            yield Reject(
                source=source,
                reason=f"truncated WARC after {count - 1} records: the last ends {_short_by(before)} bytes early",
            )
        elif iterator.offset < total:
            yield Reject(
                source=source,
                reason=f"truncated WARC after {count} records: "
                f"{total - iterator.offset} bytes at the end could not be read",
            )
        elif count == 0:
            yield Reject(source=source, reason="not a WARC file: no records found")
        elif pages == 0:
            yield Reject(source=source, reason=f"no HTML pages with status 200 in {count} WARC records")

    def _page(self, source: str, number: int, record: ArcWarcRecord, limit: int) -> Document | Reject | None:
        """The record's page, a reject for a page that cannot be read, or None for other records.

        Raises EOFError when the record is cut off (the archive ends inside it).
        """
        if record.rec_type != "response" or record.http_headers is None:
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
        status = record.http_headers.get_statuscode()
        if status != "200" or not content_type.lower().startswith(_HTML_TYPES):
            return None
        uri = record.rec_headers.get_header("WARC-Target-URI") or f"record-{number}"
        where = f"{source}#{uri}"
        try:
            payload = record.content_stream().read(limit + 1)
        except (zlib.error, OSError, ValueError) as exc:  # a damaged Content-Encoding or chunking
            return Reject(source=where, reason=f"page cannot be decoded: {type(exc).__name__}: {exc}")
        if len(payload) > limit:
            return Reject(
                source=where, reason=f"page is over the {mb(limit)} limit ({SIZE_KEY}) once decoded"
            )
        if _short_by(record):
            raise EOFError(f"record {uri} ends {_short_by(record)} bytes early")
        html, error = decode_html(payload, _charset(content_type))
        if html is None:
            return Reject(source=where, reason=error or "undecodable page")
        return make_document(source=where, url=uri, raw=html, format="html")
