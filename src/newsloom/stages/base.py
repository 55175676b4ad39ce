"""The stage protocol: batch in, batch out, declared contract, model loaded once."""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections import Counter
from typing import ClassVar

from newsloom.config import Config
from newsloom.models import Document


class DocStage(ABC):
    """A per-document stage.

    ``requires`` names the ``Document`` fields it reads, ``provides`` those it writes.
    ``setup()`` loads heavy models once per worker; ``process()`` works on a batch and
    must not depend on other documents, so any runner may call it anywhere. A stage that
    cannot handle one document sets ``doc.rejected`` with a reason and goes on.
    Counters in ``stats`` (``seen``, ``dropped_<reason>``, ...) become the run summary.
    """

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]] = ()
    provides: ClassVar[tuple[str, ...]] = ()

    def __init__(self, config: Config) -> None:
        self.config = config
        self.stats: Counter[str] = Counter()
        self._ready = False

    def setup(self) -> None:
        """Load models and data files. Called once per worker before the first batch."""

    def ensure_setup(self) -> None:
        if not self._ready:
            self.setup()
            self._ready = True

    @abstractmethod
    def process(self, docs: list[Document]) -> list[Document]:
        """Annotate a batch of documents and return it."""

    def __call__(self, docs: list[Document]) -> list[Document]:
        self.ensure_setup()
        live = [d for d in docs if d.rejected is None]
        self.stats["seen"] += len(live)
        self.process(live)
        return docs


def document_fields() -> frozenset[str]:
    """The names a stage may declare: ``Document``'s fields, and ``<field>.<attribute>`` for the
    attributes of the annotations a list field holds ("entities.entity_id")."""
    import typing

    from newsloom import models

    names = set()
    for name, hint in typing.get_type_hints(Document).items():
        names.add(name)
        for arg in typing.get_args(hint):
            if dataclasses.is_dataclass(arg) and arg.__module__ == models.__name__:
                names.update(f"{name}.{f.name}" for f in dataclasses.fields(arg))
    return frozenset(names)


def check_contracts(stages: list[DocStage], given: tuple[str, ...]) -> None:
    """Fail early when a stage declares a name ``Document`` does not have (see ``document_fields``),
    or requires a field no earlier stage (or reader) provides."""
    known = document_fields()
    have = set(given)
    for declared, where in ((given, "the readers"), *((st.requires + st.provides, f"stage {st.name!r}") for st in stages)):
        unknown = [f for f in declared if f not in known]
        if unknown:
            raise ValueError(f"{where} declare(s) {unknown}, which Document does not have")
    for stage in stages:
        missing = [f for f in stage.requires if f not in have]
        if missing:
            raise ValueError(f"stage {stage.name!r} requires {missing} which nothing before it provides")
        have.update(stage.provides)


class PerDocumentStage(DocStage):
    """A stage that works one document at a time: ``process_one`` annotates a document, and a
    document it fails on is rejected with the stage's name and the error (``dropped_<name>_error``)
    while the rest of the batch goes on."""

    def process(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            try:
                self.process_one(doc)
            except Exception as exc:  # noqa: BLE001 - a bad document must not stop the batch
                doc.rejected = f"{self.name}: {type(exc).__name__}: {exc}"
                self.stats[f"dropped_{self.name}_error"] += 1
        return docs

    @abstractmethod
    def process_one(self, doc: Document) -> None:
        """Annotate one document in place."""
