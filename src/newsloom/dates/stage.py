"""The ``dates`` stage: every date expression with its ISO 8601 value (see extract.py)."""

from __future__ import annotations

from newsloom.dates.extract import finder, parse_published
from newsloom.models import DateMention, Document
from newsloom.stages.base import PerDocumentStage


class DateExtractor(PerDocumentStage):
    """Append a ``DateMention`` for each date expression whose value can be given.

    Relative expressions resolve against ``doc.published``; without it they are skipped
    (absolute dates are kept). ``stats["unparsed_published"]`` counts publication dates that
    are not ISO. A language with no
    ``dates.yaml`` uses dateparser's month and weekday names; ``und`` uses English.
    """

    name = "dates"
    requires = ("text", "lang", "published")
    provides = ("dates",)

    def process_one(self, doc: Document) -> None:
        text = doc.text or ""
        lang = doc.lang if doc.lang and doc.lang != "und" else "en"
        pub = parse_published(doc.published)
        if doc.published and pub is None:
            self.stats["unparsed_published"] += 1
        f = finder(lang)
        found = f.find(text, pub)
        for d in found:
            doc.dates.append(DateMention(start=d.start, end=d.end, text=text[d.start:d.end], value=d.value))
        self.stats["dates"] += len(found)
