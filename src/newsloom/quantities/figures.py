"""The figures a report states, for comparing reports (the clustering's quantity term).

The quantities stage has already read every number in its local format and script ("12,500",
"12.500", "12 500", "١٢٬٥٠٠" are all 12500; "1,2 miliar" and "1.2 billion" are both 1.2e9) and
has left out what is no amount: dates, clock times, ordinals, references ("Resolution 2231").
``figures`` turns a document's ``Document.quantities`` into the set the clusterer compares: the
distinct values, rounded to ``SIGNIFICANT`` digits so that one amount written two ways is one key.
"""

from __future__ import annotations

from collections.abc import Iterable

from newsloom.models import Quantity

SIGNIFICANT = 6  # "1.2 billion" and "1,200,000,000" agree; sums differing beyond this do not matter


def figures(quantities: Iterable[Quantity], max_chars: int | None = None) -> tuple[float, ...]:
    """The distinct values of ``quantities`` (of those starting in the first ``max_chars`` characters
    of the text when given), sorted; what ``corpus.clusters.number_values`` gives from digit runs."""
    return tuple(sorted({
        float(f"{q.value:.{SIGNIFICANT}g}") for q in quantities
        if max_chars is None or q.start < max_chars
    }))
