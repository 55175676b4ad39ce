"""The ``events`` stage: PLOVER-typed events, sentence by sentence, from the original language."""

from __future__ import annotations

import bisect
import logging

from newsloom.events.countries import CountryResolver
from newsloom.events.extract import SentenceContext, find_events
from newsloom.events.lexicon import lexicon
from newsloom.models import Document
from newsloom.stages.base import PerDocumentStage

MAX_EVENTS_PER_DOCUMENT = 300
log = logging.getLogger(__name__)


class EventExtractor(PerDocumentStage):
    """Append an ``EventMention`` for each trigger of each sentence (see :mod:`newsloom.events.extract`).

    A sentence is read with the language of its paragraph when one is labelled, else the
    document's. ``event_id``/``story_id`` stay None here: they are the clusters of the
    document, which the whole-corpus passes decide later (the export joins them). A sentence the
    extractor fails on is skipped and counted (``skipped_error``): events never cost a document.
    """

    name = "events"
    requires = ("text", "lang", "sentences", "entities", "entities.entity_id", "dates", "quantities")
    provides = ("events",)

    def setup(self) -> None:
        from newsloom.link.kb import KnowledgeBase
        from newsloom.link.places import gazetteer

        cfg = self.config.link
        self.countries = CountryResolver(KnowledgeBase.load(cfg.user_kb or None),
                                         gazetteer(cfg.min_city_population, cfg.cache_dir))

    def process_one(self, doc: Document) -> None:
        text = doc.text if isinstance(doc.text, str) else ""
        if not text:
            return
        ents, dates, qs = (_Sorted(doc.entities), _Sorted(doc.dates), _Sorted(doc.quantities))
        paragraphs = _Paragraphs(doc)
        sentences = [(s.start, s.end) for s in doc.sentences] or [(0, len(text))]
        for start, end in sentences:
            ctx = SentenceContext(doc_id=doc.doc_id, text=text, entities=ents.within(start, end),
                                  dates=dates.within(start, end), quantities=qs.within(start, end),
                                  published=doc.published)
            try:
                lex = lexicon(paragraphs.lang_at(start))
                found, skipped = find_events(ctx, start, end, lex, self.countries)
            except Exception:  # one odd sentence costs its events, never the document
                log.exception("events: sentence %d-%d of %s skipped", start, end, doc.source)
                self.stats["skipped_error"] += 1
                continue
            if skipped:
                self.stats[f"skipped_{skipped}"] += 1
            for e in found:
                if len(doc.events) >= MAX_EVENTS_PER_DOCUMENT:
                    self.stats["dropped_events_over_limit"] += 1
                    return
                doc.events.append(e)
                self.stats[f"type_{e.type}"] += 1
        self.stats["events"] += len(doc.events)


class _Sorted:
    """Annotations sorted by start, cut by sentence with a binary search (linear in the document)."""

    def __init__(self, items) -> None:
        self.items = sorted(items, key=lambda x: x.start)
        self.starts = [x.start for x in self.items]

    def within(self, start: int, end: int) -> list:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [x for x in self.items[lo:hi] if x.end <= end]


class _Paragraphs:
    """The language at an offset: its paragraph's label, else the document's (a binary search over the
    paragraph starts, so a text of many one-line paragraphs stays linear)."""

    def __init__(self, doc: Document) -> None:
        self.items = sorted(doc.paragraphs, key=lambda p: p.start)
        self.starts = [p.start for p in self.items]
        self.default = doc.lang

    def lang_at(self, offset: int) -> str | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0:
            p = self.items[i]
            if p.start <= offset < p.end and p.lang:
                return p.lang
        return self.default
