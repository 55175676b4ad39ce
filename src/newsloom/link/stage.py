"""The ``link`` stage: an entity id and a canonical name for every entity mention.

See :mod:`newsloom.link.linker` for the id scheme and the resolution steps. The knowledge
base (shipped data plus ``link.user_kb``) and the gazetteer load once per worker in
``setup()``; a bad user knowledge base fails there with a ``KBError`` naming the line.
"""

from __future__ import annotations

from newsloom.link.kb import KnowledgeBase
from newsloom.link.linker import Linker
from newsloom.link.places import gazetteer
from newsloom.models import Document
from newsloom.stages.base import PerDocumentStage


class EntityLinker(PerDocumentStage):
    """Link each ``doc.entities`` mention to a stable, cross-document ``entity_id`` and a ``name``."""

    name = "link"
    requires = ("entities", "lang")
    provides = ("entities.entity_id", "entities.name")

    def setup(self) -> None:
        cfg = self.config.link
        self.kb = KnowledgeBase.load(cfg.user_kb or None)
        self.places = gazetteer(cfg.min_city_population, cfg.cache_dir)
        self.linker = Linker(self.kb, self.places)

    def process_one(self, doc: Document) -> None:
        self.linker.link(doc)
        self.stats["mentions"] += len(doc.entities)
        for m in doc.entities:
            self.stats["linked_" + (m.entity_id or "none:").split(":", 1)[0]] += 1
