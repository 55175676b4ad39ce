"""The reader protocol."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import ClassVar

from newsloom.config import Config
from newsloom.models import Document, Reject


class Reader(ABC):
    """Decodes one input (a file's bytes, or stdin) into documents.

    A reader does I/O and decoding only; analysis (HTML extraction, cleaning) happens in
    stages so that runners can spread it over workers. Anything wrong with an input, or
    with one record of it, is yielded as a ``Reject`` naming the source (and line) and the
    reason; a reader never raises for bad input.
    """

    name: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]

    def __init__(self, config: Config) -> None:
        self.config = config

    @abstractmethod
    def read(self, source: str, data: bytes) -> Iterator[Document | Reject]:
        """Yield the documents in ``data`` (which came from ``source``)."""
