"""Claims and framing: what the sources of one event or story state, who says so, and in which words.

- ``mentions``: each figure (``models.Quantity``) with its interval, subject, period, outlet and source;
- ``attribution``: who is quoted or cited for it, from per-language cues (``attribution.yaml``);
- ``compare``: figures grouped by what they count and by agreeing values, with a status
  (corroborated, contradicted, single-source) per claim;
- ``facts``: event facts (who did what to whom, when, where, from the events stage) and attributed
  statements ("X said the troops will leave by July"), with different dates and different actors
  blamed as contradictions, and moved plans as sequences;
- ``indicators``: time series of quantity claims per place and kind with their spread across
  sources, and per-outlet agreement;
- ``framing``: loaded terms per outlet, from per-language lists (``framing.yaml``).

All of it is pure: documents in, rows out. ``newsloom.passes.claims`` reads and writes the store.
"""

from collections.abc import Iterable

from newsloom.claims.compare import Claim, cluster_claims
from newsloom.claims.facts import event_claims, statement_claims
from newsloom.claims.framing import FramingRow, framing_rows
from newsloom.models import Document


def all_claims(cluster_id: str, docs: Iterable[Document]) -> list[Claim]:
    """Every claim of one cluster: quantities, event facts, attributed statements (in that order)."""
    docs = list(docs)
    used: set[str] = set()
    return cluster_claims(cluster_id, docs) + event_claims(cluster_id, docs, used) + statement_claims(
        cluster_id, docs, used)


__all__ = ["Claim", "FramingRow", "all_claims", "cluster_claims", "event_claims", "framing_rows",
           "statement_claims"]
