"""The ``quantities`` stage: every number in the text with what it counts (see extract.py)."""

from __future__ import annotations

from newsloom.models import Document, Quantity
from newsloom.quantities.extract import finder
from newsloom.stages.base import PerDocumentStage


class QuantityExtractor(PerDocumentStage):
    """Append a ``Quantity`` for each number expression, sentence by sentence.

    Runs after the ``dates`` stage: numbers inside the date expressions it found (``doc.dates``
    and ``doc.unresolved_dates``) are skipped. A document without sentences is read as one
    sentence. Documents in a language without data use the shared data and English words
    (``und`` falls back to English).
    """

    name = "quantities"
    requires = ("text", "lang", "sentences", "dates", "unresolved_dates")
    provides = ("quantities",)

    def process_one(self, doc: Document) -> None:
        text = doc.text or ""
        f = finder(_lang(doc.lang))
        masked = sorted((d.start, d.end) for d in (*doc.dates, *doc.unresolved_dates))
        sentences = [(s.start, s.end) for s in doc.sentences] or ([(0, len(text))] if text else [])
        for start, end in sentences:
            for q in f.find(text[start:end], start, masked):
                doc.quantities.append(Quantity(
                    start=q.start, end=q.end, text=text[q.start:q.end], value=q.value, unit=q.unit,
                    kind=q.kind, qualifier=q.qualifier, role=q.role,
                ))
                self.stats[f"kind_{q.kind}"] += 1
        self.stats["quantities"] += len(doc.quantities)


def _lang(lang: str | None) -> str:
    from newsloom.resources import languages

    return lang if lang in languages() else "en"
