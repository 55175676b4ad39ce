"""Guards against hostile input shared by the readers and input discovery.

- ``printable``: a file name or reason as text that is valid UTF-8 (DuckDB's VARCHAR needs it)
  and harmless on a terminal: control characters, line separators, bidirectional overrides
  and lone surrogates become backslash escapes (a byte of a name that is not UTF-8, kept by
  Python as a surrogate escape, shows as ``\\xNN``).
- ``scrub`` and ``first_surrogate``: lone surrogates (from JSON ``"\\ud800"`` escapes or
  numeric character references) cannot be encoded, stored or hashed.
- ``json_depth_over``: nesting checked before ``json.loads``, which recurses once a level.
- ``gunzip``, ``CappedGunzip``: decompression with the size cap applied to the output.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from typing import Any, BinaryIO

import numpy as np

_SURROGATE = re.compile("[\ud800-\udfff]")
# Escaped in names and reasons: C0/C1 controls and DEL, line/paragraph separators,
# bidirectional marks and overrides (which reorder what a terminal shows), lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
# The same without the left-to-right, right-to-left and Arabic letter marks, for text shown to a
# reader (titles, publishers): Arabic titles carry them and they reorder nothing after them.
_UNSAFE_KEEP_MARKS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
GZIP_MAGIC = b"\x1f\x8b"
SIZE_KEY = "ingest.max_file_bytes"


def mb(n: int) -> str:
    """A byte count for a reason: "52.4 MB", or "500 bytes" when small."""
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


class InputTooLarge(Exception):
    """Decompressed data went over the size cap."""


class Bomb(InputTooLarge):
    """Compressed data expands far more than real text does (a decompression bomb)."""


class TruncatedGzip(Exception):
    """Compressed data ended before its end-of-stream marker (not an EOFError on purpose:
    warcio reads an EOFError as the normal end of an archive)."""


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(text: str, *, keep_marks: bool = False) -> str:
    """``text`` with unsafe characters escaped; unchanged when it has none (the usual case).

    ``keep_marks`` leaves the directional marks (U+200E, U+200F, U+061C) as they are. Backslashes
    are left alone, so the result is idempotent: ``printable(printable(x))`` equals ``printable(x)``.
    """
    if text.isprintable():
        return text
    return (_UNSAFE_KEEP_MARKS if keep_marks else _UNSAFE).sub(_escape, text)


def first_surrogate(text: str) -> int | None:
    """Index of the first lone surrogate in ``text``, or None."""
    match = _SURROGATE.search(text)
    return match.start() if match else None


def scrub(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth_over(line: str, limit: int) -> bool:
    """True when the JSON in ``line`` nests arrays and objects deeper than ``limit``.

    Linear and cheap: most lines have fewer brackets than the limit in all; otherwise strings
    are blanked out and the running depth is a cumulative sum.
    """
    if line.count("[") + line.count("{") <= limit:
        return False
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", line)).encode("ascii")
    codes = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1)
    return bool(steps.size) and int(np.cumsum(steps).max()) > limit


def gunzip(data: bytes, limit: int) -> bytes:
    """Decompress all gzip members of ``data``, reading at most ``limit`` bytes of output.

    Raises ``InputTooLarge`` past the limit, ``TruncatedGzip`` for cut-off data, and
    ``gzip.BadGzipFile`` / ``zlib.error`` / ``OSError`` for damaged data.
    """
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(limit + 1)
    except EOFError as exc:
        raise TruncatedGzip(str(exc)) from exc
    if len(out) > limit:
        raise InputTooLarge(f"over {limit} bytes")
    return out


class CappedStream(io.RawIOBase):
    """The bytes of a binary stream, raising ``InputTooLarge`` once more than ``limit`` were read."""

    def __init__(self, raw: BinaryIO, limit: int) -> None:
        super().__init__()
        self._raw, self._limit = raw, limit
        self.produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._raw.read(len(buffer))
        self.produced += len(chunk)
        if self.produced > self._limit:
            raise InputTooLarge(f"over {self._limit} bytes")
        buffer[: len(chunk)] = chunk
        return len(chunk)


class CappedGunzip(io.RawIOBase):
    """A stream of the decompressed bytes of ``data`` (gzip, any number of members; bytes or a
    binary stream read a block at a time) that raises ``InputTooLarge`` once it has produced more
    than ``limit`` bytes, so that a small archive cannot expand without end.

    Unlike ``gzip.GzipFile``, which raises at a cut-off end without handing over what it had
    decompressed, every byte before the cut is delivered first; the next read raises
    ``TruncatedGzip``. Output is made in pieces of at most the size asked for.
    """

    _BLOCK = 1 << 16

    def __init__(self, data: bytes | BinaryIO, limit: int, *, max_ratio: float = 0.0, ratio_after: int = 0) -> None:
        """``max_ratio`` > 0: past ``ratio_after`` bytes of output, more than ``max_ratio`` bytes out
        per compressed byte in raises ``Bomb`` (text and HTML compress 3-10 times, bombs 1,000)."""
        super().__init__()
        self._raw = io.BytesIO(data) if isinstance(data, (bytes, bytearray, memoryview)) else data
        self._max_ratio, self._ratio_after = max_ratio, ratio_after
        self.consumed = 0
        self._tail = b""  # compressed input given to the decompressor and not yet used
        self._member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._fresh = True  # nothing of the current member read yet
        self._limit = limit
        self.produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._chunk(len(buffer))
        self.produced += len(chunk)
        if self.produced > self._limit:
            raise InputTooLarge(f"over {self._limit} bytes")
        if self._max_ratio and self.produced > self._ratio_after and self.produced > self._max_ratio * self.consumed:
            raise Bomb(f"{self.produced} bytes from {self.consumed} compressed")
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def _chunk(self, size: int) -> bytes:
        while True:
            if self._member.eof:  # the next member starts in what the last one left over
                self._tail = self._member.unused_data
                self._member = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self._fresh = True
            if self._fresh:
                self._tail = self._tail.lstrip(b"\x00")  # zero padding after the last member is allowed
            if not self._tail:
                self._tail = self._raw.read(self._BLOCK)
                self.consumed += len(self._tail)
                if not self._tail:
                    if self._fresh:
                        return b""
                    raise TruncatedGzip("compressed data ended before the end-of-stream marker")
                continue
            self._fresh = False
            out = self._member.decompress(self._tail, size)
            self._tail = self._member.unconsumed_tail
            if out:
                return out


DAMAGED_GZIP = (gzip.BadGzipFile, zlib.error, OSError)
