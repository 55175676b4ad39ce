"""Whole-corpus passes that do not depend on the store: copies (``copies``) and event/story
clusters (``clusters``). Each keeps a persistable state (``state_dict()`` / ``from_state()``)
that the store saves between runs; see each module's docstring for the calls.

The names below are loaded on first use, so that importing one submodule (``similarity``,
or ``clusters`` for its parameters) does not import the others' optional dependencies
(datasketch for ``copies``, the ``embedding`` extra).
"""

from importlib import import_module

_SOURCES = {
    "Assignment": "clusters",
    "AssignResult": "clusters",
    "Clusterer": "clusters",
    "ClusterParams": "clusters",
    "ClusterSummary": "clusters",
    "DocFeatures": "clusters",
    "CopyDecision": "copies",
    "CopyIndex": "copies",
    "CopyInput": "copies",
    "find_copies": "copies",
}

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


def __getattr__(name: str):
    module = _SOURCES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SOURCES))
