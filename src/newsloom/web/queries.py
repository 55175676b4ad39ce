"""The web server's queries: they live in ``newsloom.store.reads`` (all SQL stays behind the store).

This module keeps the names the views, the API and the tests use."""

from newsloom.store.reads import *
from newsloom.store.reads import (
    MAX_DOCS_PER_STORY,
    MAX_FILTER_HITS,
    MAX_LIMIT,
    MAX_SPANS,
    SORTS,
    DocFilter,
    bound,
)

__all__ = ["MAX_DOCS_PER_STORY", "MAX_FILTER_HITS", "MAX_LIMIT", "MAX_SPANS", "SORTS", "DocFilter", "bound"]
