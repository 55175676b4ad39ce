"""Finding inputs and handing each to its reader.

``iter_inputs`` expands files, folders (recursively, sorted, hidden names skipped), globs,
and ``-`` (JSON Lines on stdin); picks the reader by suffix (``READERS``), decompressing
``.gz`` first; sniffs files with an unknown suffix. Every problem becomes a ``Reject``
naming the input and the reason; nothing here raises for bad input.

A new input format is one ``Reader`` class plus one entry in ``_READER_CLASSES``.
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import os
import sys
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from newsloom.config import Config
from newsloom.ingest.base import Reader
from newsloom.ingest.feed import FeedReader
from newsloom.ingest.html import HtmlReader
from newsloom.ingest.jsonl import JsonlReader
from newsloom.ingest.text import BINARY, TextReader, decode_bytes
from newsloom.ingest.warc import WarcReader
from newsloom.models import Document, Reject

_READER_CLASSES: tuple[type[Reader], ...] = (TextReader, JsonlReader, HtmlReader, WarcReader, FeedReader)

# suffix (lower case, with the dot) -> reader class; longest suffix wins (".warc.gz" before ".gz").
READERS: dict[str, type[Reader]] = {suffix: cls for cls in _READER_CLASSES for suffix in cls.suffixes}

STDIN = "-"
STDIN_SOURCE = "<stdin>"
_GLOB_CHARS = frozenset("*?[")


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def _over_limit(size: int, limit: int, what: str = "file") -> str:
    return f"{what} is {_mb(size)}, over the {_mb(limit)} limit (ingest.max_file_bytes)"


def reader_for(name: str) -> tuple[type[Reader] | None, bool]:
    """(reader class or None when the suffix is unknown, whether to gunzip first) for a file name."""
    lower = name.lower()
    for suffix in sorted(READERS, key=len, reverse=True):
        if lower.endswith(suffix):
            return READERS[suffix], False
    if lower.endswith(".gz"):
        inner, _ = reader_for(lower[:-3])
        return inner, True
    return None, False


def sniff_reader(text_head: str) -> type[Reader]:
    """The reader for a file with an unknown suffix, judged from its first characters."""
    head = text_head.lstrip("\ufeff \t\r\n")[:512].lower()
    if head.startswith(("<!doctype html", "<html")):
        return HtmlReader
    if head.startswith(("<?xml", "<rss", "<feed", "<rdf:rdf")):
        return FeedReader
    if head.startswith("{"):
        first = text_head.lstrip("\ufeff \t\r\n").split("\n", 1)[0]
        try:
            if isinstance(json.loads(first), dict):
                return JsonlReader
        except ValueError:
            pass
    return TextReader


class InputWalker:
    """Expands paths into inputs and reads each with its reader."""

    def __init__(self, config: Config, stdin: BinaryIO | None = None) -> None:
        self.config = config
        self.stdin = stdin
        self.readers: dict[type[Reader], Reader] = {}
        self._seen: set[str] = set()

    def reader(self, cls: type[Reader]) -> Reader:
        if cls not in self.readers:
            self.readers[cls] = cls(self.config)
        return self.readers[cls]

    # -- expanding paths -------------------------------------------------------------------
    def iter_inputs(self, paths: list[str]) -> Iterator[Document | Reject]:
        for path in paths:
            if path == STDIN:
                yield from self._stdin()
                continue
            yield from self._path(path)

    def _path(self, path: str) -> Iterator[Document | Reject]:
        if os.path.isdir(path):
            yield from self._folder(path)
        elif os.path.lexists(path):
            yield from self._file(path)
        elif _GLOB_CHARS & set(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                yield Reject(source=path, reason="no files match this pattern")
            for match in matches:
                if os.path.isdir(match):
                    yield from self._folder(match)
                else:
                    yield from self._file(match)
        else:
            yield Reject(source=path, reason="no such file or directory")

    def _folder(self, folder: str) -> Iterator[Document | Reject]:
        """Files under ``folder`` in path order (names sorted at every level), hidden names skipped."""
        follow = self.config.ingest.follow_symlinks
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield Reject(source=folder, reason=f"cannot list folder: {exc.strerror or exc}")
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_symlink() and not follow:
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                key = os.path.realpath(entry.path)
                if key in self._seen:  # a symlink loop or a folder given twice
                    continue
                self._seen.add(key)
                yield from self._folder(entry.path)
            else:
                yield from self._file(entry.path)

    # -- reading one input -----------------------------------------------------------------
    def _file(self, path: str) -> Iterator[Document | Reject]:
        key = os.path.realpath(path)
        if key in self._seen:
            return
        self._seen.add(key)
        limit = self.config.ingest.max_file_bytes
        try:
            size = os.stat(path).st_size
            if not os.path.isfile(path):
                yield Reject(source=path, reason="not a regular file")
                return
            if size > limit:
                yield Reject(source=path, reason=_over_limit(size, limit))
                return
            if size == 0:
                yield Reject(source=path, reason="empty file")
                return
            with open(path, "rb") as fh:
                data = fh.read(limit + 1)
        except FileNotFoundError:
            yield Reject(source=path, reason="no such file or directory")
            return
        except OSError as exc:
            yield Reject(source=path, reason=f"cannot read file: {exc.strerror or exc}")
            return
        if len(data) > limit:  # grew while we looked
            yield Reject(source=path, reason=_over_limit(len(data), limit))
            return
        yield from self.read_bytes(path, os.path.basename(path), data)

    def _stdin(self) -> Iterator[Document | Reject]:
        stream = self.stdin if self.stdin is not None else sys.stdin.buffer
        limit = self.config.ingest.max_file_bytes
        try:
            data = stream.read(limit + 1)
        except OSError as exc:
            yield Reject(source=STDIN_SOURCE, reason=f"cannot read standard input: {exc.strerror or exc}")
            return
        if len(data) > limit:
            yield Reject(
                source=STDIN_SOURCE,
                reason=f"standard input is over the {_mb(limit)} limit (ingest.max_file_bytes)",
            )
            return
        if not data.strip():
            yield Reject(source=STDIN_SOURCE, reason="empty standard input")
            return
        yield from self._run(self.reader(JsonlReader), STDIN_SOURCE, data)

    def read_bytes(self, source: str, name: str, data: bytes) -> Iterator[Document | Reject]:
        """Dispatch an input's bytes to its reader (by the suffix of ``name``, else by sniffing)."""
        cls, gzipped = reader_for(name)
        if gzipped:
            data_or_reason = self._gunzip(data)
            if isinstance(data_or_reason, str):
                yield Reject(source=source, reason=data_or_reason)
                return
            data = data_or_reason
            if not data.strip():
                yield Reject(source=source, reason="empty file")
                return
        if cls is None:
            decoded = decode_bytes(data[:65536])
            if decoded.text is None:
                yield Reject(source=source, reason=decoded.error or BINARY)
                return
            cls = sniff_reader(decoded.text)
        yield from self._run(self.reader(cls), source, data)

    def _gunzip(self, data: bytes) -> bytes | str:
        limit = self.config.ingest.max_file_bytes
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
                out = fh.read(limit + 1)
        except EOFError as exc:
            return f"truncated gzip: {exc}"
        except gzip.BadGzipFile as exc:
            return f"not a gzip file: {exc}"
        except (zlib.error, OSError) as exc:
            return f"damaged gzip: {exc}"
        if len(out) > limit:
            return f"decompressed file is over the {_mb(limit)} limit (ingest.max_file_bytes)"
        return out

    def _run(self, reader: Reader, source: str, data: bytes) -> Iterator[Document | Reject]:
        try:
            yield from reader.read(source, data)
        except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the batch
            yield Reject(source=source, reason=f"{reader.name} reader failed: {type(exc).__name__}: {exc}")


def iter_inputs(
    paths: list[str], config: Config, stdin: BinaryIO | None = None
) -> Iterator[Document | Reject]:
    """Documents and rejects from files, folders, globs and ``-`` (JSON Lines on stdin), in order."""
    return InputWalker(config, stdin).iter_inputs(list(paths))
