"""The ``dates`` stage: every date expression with its ISO 8601 value (see extract.py)."""

from __future__ import annotations

from newsloom.dates.extract import finder, parse_published, stated_years
from newsloom.models import DateMention, Document, Span
from newsloom.stages.base import PerDocumentStage

# An extracted publication date more than this many years away from every year the text writes is
# dropped (a page's "modified" or copyright date, a dateline of another article): abstain, not guess.
PUBLISHED_MAX_YEARS_FROM_TEXT = 2


class DateExtractor(PerDocumentStage):
    """Append a ``DateMention`` for each date expression whose value can be given.

    Relative expressions resolve against ``doc.published``; without it they go to
    ``doc.unresolved_dates`` (spans without a value, which the quantities stage skips) and
    absolute dates are kept. ``stats["unparsed_published"]`` counts publication dates that are
    not ISO. A language with no ``dates.yaml`` uses dateparser's month and weekday names; ``und``
    uses English.

    A publication date that a stage extracted (``doc.published_from``: from HTML markup or a
    dateline in the text, not one the input gave) is set to None when the text writes years and
    all of them lie more than ``PUBLISHED_MAX_YEARS_FROM_TEXT`` years away from it
    (``stats["published_far_from_text"]``); the text's dates are then read without it.
    """

    name = "dates"
    requires = ("text", "lang", "published", "published_from")
    provides = ("dates", "unresolved_dates", "published", "published_from")

    def process_one(self, doc: Document) -> None:
        text = doc.text or ""
        lang = doc.lang if doc.lang and doc.lang != "und" else "en"
        pub = parse_published(doc.published)
        if doc.published and pub is None:
            self.stats["unparsed_published"] += 1
        f = finder(lang)
        found = f.find(text, pub)
        years = stated_years(found) if pub is not None and doc.published_from else []
        if years and min(abs(y - pub.year) for y in years) > PUBLISHED_MAX_YEARS_FROM_TEXT:
            doc.published = doc.published_from = None
            self.stats["published_far_from_text"] += 1
            found = f.find(text, None)  # relative dates counted from the dropped date would be wrong
        for d in found:
            if d.value is None:
                doc.unresolved_dates.append(Span(start=d.start, end=d.end, text=text[d.start:d.end]))
                self.stats["dates_unresolved"] += 1
            else:
                doc.dates.append(DateMention(start=d.start, end=d.end, text=text[d.start:d.end], value=d.value))
                self.stats["dates"] += 1
