"""The store: an embedded DuckDB file by default. It owns ids, runs and the export tables."""

from newsloom.store.duckdb import DuckDBStore, open_store

__all__ = ["DuckDBStore", "open_store"]
