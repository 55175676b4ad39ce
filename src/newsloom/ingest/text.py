"""Plain-text inputs (``.txt``, ``.text``, ``.md``) and the byte-decoding helpers other readers share.

Decoding order: a byte-order mark wins (UTF-8, UTF-16, UTF-32); then binary sniffing (a few
stray NUL bytes in otherwise plain text are dropped, not taken for binary); then strict UTF-8
(the common case, and never worse than a guess); then charset-normalizer's
best guess (Windows-1252, Windows-1256, ISO-8859-x, ...). Text that is mostly UTF-8 but has
undecodable bytes in it is rejected rather than guessed at, since any guess garbles it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass

from charset_normalizer import from_bytes

from newsloom.ingest.base import Reader
from newsloom.models import Document, Reject

BINARY = "binary file, not text"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Signatures of common binary formats that could otherwise pass for (odd) text.
_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",  # JPEG
    b"%PDF-",
    b"PK\x03\x04",  # ZIP, DOCX, XLSX, EPUB
    b"\x1f\x8b",  # gzip (when not named .gz)
    b"BZh",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"\x7fELF",
    b"RIFF",
    b"OggS",
    b"\x00\x00\x00\x18ftyp",
    b"\x00\x00\x00\x20ftyp",
    b"SQLite format 3\x00",
    b"\xd0\xcf\x11\xe0",  # old MS Office
)

# C0 control bytes that do not occur in text (tab, LF, FF, CR and ESC are allowed).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_SNIFF_BYTES = 8192
_CHAOS_TIE = 0.01
# Single-byte encodings in order of how common they are in web and news text.
_PREFERRED = (
    "cp1252",
    "cp1256",
    "cp1251",
    "cp1250",
    "iso8859_1",
    "iso8859_15",
    "iso8859_6",
    "iso8859_2",
    "iso8859_5",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1257",
    "koi8_r",
)
_MAX_CONTROL_SHARE = 0.05
# Up to this share of NUL bytes (at least one) in text that is not UTF-16 is dropped as stray.
_MAX_STRAY_NUL_SHARE = 0.01


@dataclass(slots=True, frozen=True)
class Decoded:
    """The outcome of decoding bytes: the text and its encoding, or why there is none."""

    text: str | None
    encoding: str | None = None
    error: str | None = None


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text in any single-byte or UTF-8 encoding.

    UTF-16/32 text without a byte-order mark has NUL bytes too; callers try those first.
    """
    head = data[:_SNIFF_BYTES]
    if not head:
        return False
    if head.startswith(_MAGIC):
        return True
    if b"\x00" in head:
        return True
    controls = sum(head.count(bytes([b])) for b in _CONTROL)
    return controls / len(head) > _MAX_CONTROL_SHARE


def without_stray_nuls(data: bytes) -> bytes:
    """``data`` without its NUL bytes when there are only a few (a damaged copy, a C string's
    terminator) and it has no binary signature; otherwise unchanged, for ``looks_binary`` to judge."""
    nuls = data.count(0)
    if not nuls or data.startswith(_MAGIC) or nuls > max(1, int(len(data) * _MAX_STRAY_NUL_SHARE)):
        return data
    return data.replace(b"\x00", b"")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: ASCII-range text leaves NULs in every other byte."""
    head = data[:_SNIFF_BYTES]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    share_even, share_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if share_odd > 0.3 and share_even < 0.05:
        enc = "utf-16-le"
    elif share_even > 0.3 and share_odd < 0.05:
        enc = "utf-16-be"
    else:
        return None
    try:
        text = data[: len(data) - len(data) % 2].decode(enc)
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text[:2000]):
        return None
    return text


def _strict_utf8(data: bytes) -> str | None:
    """UTF-8, tolerating only a multi-byte character cut off at the very end (a truncated file)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data) and len(data) - exc.start < 4:
            return data[: exc.start].decode("utf-8", errors="strict")
        return None


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _mostly_utf8_error(data: bytes) -> str | None:
    """Why data that is UTF-8 in most places is not valid UTF-8, or None when it is not UTF-8-like."""
    head = data[:200_000]
    covered = sum(len(m) for m in _UTF8_MULTIBYTE.findall(head))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.end]
        non_ascii = sum(1 for b in head if b >= 0x80)
        # Real UTF-8 with damage: most non-ASCII bytes belong to valid multi-byte sequences.
        if covered and covered > non_ascii / 2:
            return (
                f"invalid UTF-8 at byte {exc.start} (0x{bad.hex()}): the file mixes encodings or is damaged"
            )
    return None


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Decode input bytes to text.

    ``declared`` is an encoding stated by the input itself (an HTML meta tag, an HTTP header);
    it is tried after a BOM and before guessing.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                return Decoded(
                    None, error=f"invalid {encoding.upper()} text after its byte-order mark: {exc.reason}"
                )
            return Decoded(text.lstrip("\ufeff"), encoding)
    if b"\x00" in data[:_SNIFF_BYTES]:
        text = _utf16_without_bom(data)
        if text is not None:
            return Decoded(text, "utf-16")
    data = without_stray_nuls(data)
    if looks_binary(data):
        return Decoded(None, error=BINARY)
    text = _strict_utf8(data)
    if text is not None:
        return Decoded(text, "utf-8")
    if declared:
        try:
            codec = codecs.lookup(declared).name
            if codec != "utf-8":
                return Decoded(data.decode(codec), codec)
        except (LookupError, UnicodeDecodeError):
            pass
    damaged = _mostly_utf8_error(data)
    if damaged:
        return Decoded(None, error=damaged)
    matches = list(from_bytes(data))
    if not matches:
        return Decoded(None, error=BINARY)
    # Legacy encodings often decode the same bytes equally cleanly (cp1250 and cp1252 share
    # most letters); among the cleanest, prefer the encodings news sites actually used.
    least = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= least + _CHAOS_TIE]
    best = min(
        tied, key=lambda m: _PREFERRED.index(m.encoding) if m.encoding in _PREFERRED else len(_PREFERRED)
    )
    return Decoded(str(best), best.encoding)


def too_little_text(text: str, min_chars: int) -> str | None:
    """The reject reason for a text shorter than ``min_chars`` (ignoring whitespace), else None."""
    n = len("".join(text.split()))
    if n < min_chars:
        return f"too little text ({n} chars)"
    return None


class TextReader(Reader):
    """A plain-text file holds one article."""

    name = "text"
    suffixes = (".txt", ".text", ".md")

    def read(self, source: str, data: bytes) -> Iterator[Document | Reject]:
        if not data:
            yield Reject(source=source, reason="empty file")
            return
        decoded = decode_bytes(data)
        if decoded.text is None:
            yield Reject(source=source, reason=decoded.error or BINARY)
            return
        text = decoded.text
        short = too_little_text(text, self.config.ingest.min_text_chars)
        if short:
            yield Reject(source=source, reason=short)
            return
        yield Document(source=source, raw=text, format="text")
