"""Whole-corpus passes that do not depend on the store: copies (``copies``) and event/story
clusters (``clusters``). Each keeps a persistable state (``state_dict()`` / ``from_state()``)
that the store saves between runs; see each module's docstring for the calls.
"""

from newsloom.corpus.clusters import (
    Assignment,
    AssignResult,
    Clusterer,
    ClusterParams,
    ClusterSummary,
    DocFeatures,
)
from newsloom.corpus.copies import CopyDecision, CopyIndex, CopyInput, find_copies

__all__ = [
    "AssignResult",
    "Assignment",
    "ClusterParams",
    "ClusterSummary",
    "Clusterer",
    "CopyDecision",
    "CopyIndex",
    "CopyInput",
    "DocFeatures",
    "find_copies",
]
