"""The ``dates`` stage: every date expression with its ISO 8601 value (see extract.py)."""

from __future__ import annotations

from newsloom.dates.extract import finder, parse_published
from newsloom.models import DateMention, Document, Span
from newsloom.stages.base import PerDocumentStage


class DateExtractor(PerDocumentStage):
    """Append a ``DateMention`` for each date expression whose value can be given.

    Relative expressions resolve against ``doc.published``; without it they go to
    ``doc.unresolved_dates`` (spans without a value, which the quantities stage skips) and
    absolute dates are kept. ``stats["unparsed_published"]`` counts publication dates that are
    not ISO. A language with no ``dates.yaml`` uses dateparser's month and weekday names; ``und``
    uses English.
    """

    name = "dates"
    requires = ("text", "lang", "published")
    provides = ("dates", "unresolved_dates")

    def process_one(self, doc: Document) -> None:
        text = doc.text or ""
        lang = doc.lang if doc.lang and doc.lang != "und" else "en"
        pub = parse_published(doc.published)
        if doc.published and pub is None:
            self.stats["unparsed_published"] += 1
        for d in finder(lang).find(text, pub):
            if d.value is None:
                doc.unresolved_dates.append(Span(start=d.start, end=d.end, text=text[d.start:d.end]))
                self.stats["dates_unresolved"] += 1
            else:
                doc.dates.append(DateMention(start=d.start, end=d.end, text=text[d.start:d.end], value=d.value))
                self.stats["dates"] += 1
