"""Claims and framing: what the sources of one event or story state, who says so, and in which words.

- ``mentions``: each figure (``models.Quantity``) with its interval, subject, period, outlet and source;
- ``attribution``: who is quoted or cited for it, from per-language cues (``attribution.yaml``);
- ``compare``: figures grouped by what they count and by agreeing values, with a status
  (corroborated, contradicted, single-source) per claim;
- ``framing``: loaded terms per outlet, from per-language lists (``framing.yaml``).

All of it is pure: documents in, rows out. ``newsloom.passes.claims`` reads and writes the store.
"""

from newsloom.claims.compare import Claim, cluster_claims
from newsloom.claims.framing import FramingRow, framing_rows

__all__ = ["Claim", "FramingRow", "cluster_claims", "framing_rows"]
