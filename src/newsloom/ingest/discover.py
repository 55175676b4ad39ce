"""Finding inputs and handing each to its reader.

``iter_inputs`` expands files, folders (recursively, sorted), globs, and ``-`` (JSON Lines
on stdin); picks the reader by suffix (``READERS``), decompressing ``.gz`` first (nested
gzip too, the size cap applying after each layer); sniffs files with an unknown suffix.
Every problem becomes a ``Reject`` naming the input and the reason, and so does every
skip (hidden names; symlinks unless ``ingest.follow_symlinks``); nothing here raises for
bad input. Sources are made printable (``safe.printable``): a file name that is not UTF-8
or holds control characters is shown escaped, never raw.

A new input format is one ``Reader`` class plus one entry in ``_READER_CLASSES``.
"""

from __future__ import annotations

import glob
import json
import os
import stat
import sys
from collections.abc import Iterator
from typing import BinaryIO

from newsloom.config import Config
from newsloom.ingest.base import Reader
from newsloom.ingest.feed import FeedReader
from newsloom.ingest.html import HtmlReader
from newsloom.ingest.jsonl import JsonlReader
from newsloom.ingest.safe import (
    DAMAGED_GZIP,
    GZIP_MAGIC,
    SIZE_KEY,
    InputTooLarge,
    TruncatedGzip,
    gunzip,
    json_depth_over,
    mb,
    printable,
    scrub,
)
from newsloom.ingest.text import BINARY, TextReader, decode_bytes
from newsloom.ingest.warc import WarcReader
from newsloom.models import Document, Reject

_READER_CLASSES: tuple[type[Reader], ...] = (TextReader, JsonlReader, HtmlReader, WarcReader, FeedReader)

# suffix (lower case, with the dot) -> reader class; longest suffix wins (".warc.gz" before ".gz").
READERS: dict[str, type[Reader]] = {suffix: cls for cls in _READER_CLASSES for suffix in cls.suffixes}

STDIN = "-"
STDIN_SOURCE = "<stdin>"
_GLOB_CHARS = frozenset("*?[")
_SNIFF_DEPTH = 100
_NO_FOLLOW = "ingest.follow_symlinks = false"
# Layers of gzip inside a .gz file that are unpacked (each within the size cap) before giving up.
MAX_GZIP_LAYERS = 3
InputPath = str | bytes | os.PathLike[str] | os.PathLike[bytes]
# Document metadata a reader may set (raw and title cannot hold a surrogate: the content id hashes them).
_DOC_TEXT_FIELDS = ("title", "publisher", "published", "author", "url", "lang_hint")


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


def _safe(item: Document | Reject) -> Document | Reject:
    """The item with a printable source (and reason), and no lone surrogates in any text field.

    Readers build documents with ``base.make_document`` (which scrubs already); this is the
    last guard before anything reaches the store or the terminal.
    """
    item.source = printable(item.source)
    if isinstance(item, Reject):
        item.reason = printable(item.reason)
        return item
    for name in _DOC_TEXT_FIELDS:
        value = getattr(item, name)
        if isinstance(value, str):
            setattr(item, name, scrub(value))
    return item


def _over_limit(size: int, limit: int, what: str = "file", key: str = SIZE_KEY) -> str:
    return f"{what} is {mb(size)}, over the {mb(limit)} limit ({key})"


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
        if json_depth_over(first, _SNIFF_DEPTH):  # JSON Lines all the same: the reader says why it fails
            return JsonlReader
        try:
            if isinstance(json.loads(first), dict):
                return JsonlReader
        except (ValueError, RecursionError):
            pass
    return TextReader


class InputWalker:
    """Expands paths into inputs and reads each with its reader."""

    def __init__(self, config: Config, stdin: BinaryIO | None = None) -> None:
        self.config = config
        self.stdin = stdin
        self.readers: dict[type[Reader], Reader] = {}
        self._seen: set[tuple[int, int]] = set()  # (device, inode) of every file and folder read

    def reader(self, cls: type[Reader]) -> Reader:
        if cls not in self.readers:
            self.readers[cls] = cls(self.config)
        return self.readers[cls]

    # -- expanding paths -------------------------------------------------------------------
    def iter_inputs(self, paths: list[InputPath]) -> Iterator[Document | Reject]:
        for raw_path in paths:
            path = os.fsdecode(raw_path)
            try:
                for item in self._stdin() if path == STDIN else self._path(path):
                    yield _safe(item)
            except Exception as exc:  # noqa: BLE001 - a bug here must not stop the batch
                yield _safe(Reject(source=path, reason=f"reading inputs failed: {type(exc).__name__}: {exc}"))

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

    def _folder(self, root: str) -> Iterator[Document | Reject]:
        """Files under ``root`` in path order (names sorted at every level).

        Hidden names, and symlinks unless ``ingest.follow_symlinks``, are skipped with a
        notice (a ``Reject``) each; a symlink back to a folder already read is skipped with
        one too, so loops end. The walk keeps its own stack: deep trees cannot overflow
        Python's.
        """
        follow = self.config.ingest.follow_symlinks
        try:
            self._seen.add(_identity(os.stat(root)))
        except OSError:
            pass  # _entries says why it cannot be listed
        stack = [self._entries(root)]
        while stack:
            entry = next(stack[-1], None)
            if entry is None:
                stack.pop()
                continue
            if isinstance(entry, Reject):
                yield entry
                continue
            link = entry.is_symlink()
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            what = "folder" if is_dir else "file"
            if entry.name.startswith("."):
                yield Reject(source=entry.path, reason=f"hidden {what} skipped (its name starts with '.')")
            elif link and not follow:
                yield Reject(source=entry.path, reason=f"symlink skipped ({_NO_FOLLOW})")
            elif is_dir:
                key = _identity(entry.stat())
                if key in self._seen:  # a symlink loop, or a folder also given by itself
                    if link:
                        yield Reject(
                            source=entry.path, reason="symlink skipped: it leads to a folder already read"
                        )
                    continue
                self._seen.add(key)
                stack.append(self._entries(entry.path))
            else:
                yield from self._file(entry.path)

    @staticmethod
    def _entries(folder: str) -> Iterator[os.DirEntry[str] | Reject]:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield Reject(source=folder, reason=f"cannot list folder: {exc.strerror or exc}")
            return
        yield from entries

    # -- reading one input -----------------------------------------------------------------
    def _file(self, path: str) -> Iterator[Document | Reject]:
        """One file. A WARC crawl (``.warc``, ``.warc.gz``) is read from the file as a stream, a
        record at a time (crawls are large; ``ingest.max_archive_bytes`` caps the whole); any other
        input is read whole, up to ``ingest.max_file_bytes``."""
        archive = reader_for(os.path.basename(path))[0] is WarcReader
        limit, key = ((self.config.ingest.max_archive_bytes, "ingest.max_archive_bytes") if archive
                      else (self.config.ingest.max_file_bytes, SIZE_KEY))
        try:
            info = os.stat(path)
            if _identity(info) in self._seen:  # given twice (or a link to a file read already)
                return
            self._seen.add(_identity(info))
            if not stat.S_ISREG(info.st_mode):
                yield Reject(source=path, reason="not a regular file")
                return
            if info.st_size > limit:
                yield Reject(source=path, reason=_over_limit(info.st_size, limit, key=key))
                return
            if info.st_size == 0:
                yield Reject(source=path, reason="empty file")
                return
            with open(path, "rb") as fh:
                if archive:
                    yield from self._run_stream(self.reader(WarcReader), printable(path), fh, limit)
                    return
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
        yield from self.read_bytes(printable(path), os.path.basename(path), data)

    def _run_stream(self, reader: WarcReader, source: str, fh: BinaryIO, limit: int) -> Iterator[Document | Reject]:
        try:
            yield from reader.read_stream(source, fh, limit)
        except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the batch
            yield Reject(source=source, reason=f"{reader.name} reader failed: {type(exc).__name__}: {exc}")

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
                reason=f"standard input is over the {mb(limit)} limit ({SIZE_KEY})",
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
        """The decompressed bytes, or the reason they cannot be had.

        Gzip inside gzip (``.gz.gz``, or a ``.gz`` whose content is gzip again) is unpacked
        up to ``MAX_GZIP_LAYERS`` deep, each layer capped at ``ingest.max_file_bytes``.
        """
        limit = self.config.ingest.max_file_bytes
        for layer in range(1, MAX_GZIP_LAYERS + 1):
            where = "" if layer == 1 else f" (layer {layer})"
            try:
                data = gunzip(data, limit)
            except TruncatedGzip as exc:
                return f"truncated gzip{where}: {exc}"
            except InputTooLarge:
                return f"decompressed file{where} is over the {mb(limit)} limit ({SIZE_KEY})"
            except DAMAGED_GZIP as exc:
                kind = "not a gzip file" if layer == 1 and not data.startswith(GZIP_MAGIC) else "damaged gzip"
                return f"{kind}{where}: {exc}"
            if not data.startswith(GZIP_MAGIC):
                return data
        return f"more than {MAX_GZIP_LAYERS} layers of gzip"

    def _run(self, reader: Reader, source: str, data: bytes) -> Iterator[Document | Reject]:
        try:
            yield from reader.read(source, data)
        except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the batch
            yield Reject(source=source, reason=f"{reader.name} reader failed: {type(exc).__name__}: {exc}")


def iter_inputs(
    paths: list[InputPath], config: Config, stdin: BinaryIO | None = None
) -> Iterator[Document | Reject]:
    """Documents and rejects from files, folders, globs and ``-`` (JSON Lines on stdin), in order.

    Paths may be ``str``, ``bytes`` or path objects; a name that is not valid UTF-8 is read
    and shown escaped.
    """
    return InputWalker(config, stdin).iter_inputs(list(paths))
