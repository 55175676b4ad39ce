"""The reader protocol."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any, ClassVar

from newsloom.config import Config
from newsloom.ingest.safe import scrub
from newsloom.models import Document, Reject


def make_document(**fields: Any) -> Document:
    """A ``Document`` from a reader's fields, each text with its lone surrogates replaced by U+FFFD.

    A lone surrogate (a JSON ``"\\ud800"`` escape, an ``&#xD800;`` reference) cannot be
    encoded as UTF-8: it would fail the content hash and the store. Readers that would
    rather reject such a record check with ``safe.first_surrogate`` first.
    """
    return Document(**{k: scrub(v) if isinstance(v, str) else v for k, v in fields.items()})


class Reader(ABC):
    """Decodes one input (a file's bytes, or stdin) into documents.

    A reader does I/O and decoding only; analysis (HTML extraction, cleaning) happens in
    stages so that runners can spread it over workers. Anything wrong with an input, or
    with one record of it, is yielded as a ``Reject`` naming the source (and line) and the
    reason; a reader never raises for bad input, and one bad record never hides the
    records after it. Documents are built with ``make_document``.
    """

    name: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]

    def __init__(self, config: Config) -> None:
        self.config = config

    @abstractmethod
    def read(self, source: str, data: bytes) -> Iterator[Document | Reject]:
        """Yield the documents in ``data`` (which came from ``source``)."""
