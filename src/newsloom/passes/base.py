"""The corpus-pass protocol."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from typing import ClassVar

from newsloom.config import Config
from newsloom.store.base import Store


class CorpusPass(ABC):
    """A whole-corpus step run after the per-document stages, in a fixed order.

    Passes are incremental: ``run`` gets the ids of the documents this run added and
    touches only what they change. Intermediates live in the store, so any runner can
    chain passes. They reach the store only through the ``Store`` protocol (any engine).
    """

    name: ClassVar[str]

    def __init__(self, config: Config) -> None:
        self.config = config
        self.stats: Counter[str] = Counter()

    @abstractmethod
    def run(self, store: Store, new_ids: list[str]) -> None:
        """Update the store for the newly added documents."""
