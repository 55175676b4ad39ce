"""The store: an embedded DuckDB file by default, or a PostgreSQL database (``--db postgresql://...``).

Both speak ``newsloom.store.base.Store``; every SQL statement of newsloom lives in this package.
"""

from __future__ import annotations

from pathlib import Path

from newsloom.store.base import Store
from newsloom.store.dialect import is_url
from newsloom.store.duckdb import DuckDBStore
from newsloom.store.sql import FORMATS, SQLStore, StoreError

__all__ = ["FORMATS", "DuckDBStore", "SQLStore", "Store", "StoreError", "is_url", "open_store"]


def open_store(location: str | Path, read_only: bool = False, wait: float = 30.0) -> SQLStore:
    """The store at ``location``: a DuckDB file path, or a ``postgresql://user@host/db`` URL (the
    ``postgres`` extra). Writers migrate the schema; readers check it is not newer than this newsloom."""
    if is_url(location):
        from newsloom.store.postgres import PostgresStore

        return PostgresStore(location, read_only=read_only, wait=wait)
    return DuckDBStore(location, read_only=read_only, wait=wait)
