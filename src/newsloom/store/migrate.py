"""``newsloom migrate SRC DST``: copy a whole store between DuckDB and PostgreSQL, without loss.

Every table of ``schema.TABLES`` is read in chunks from the source and bulk-loaded into the target
inside one transaction, so an interrupted copy leaves the target empty (and a rerun starts over).
The target must be empty: merging two stores would need their runs renumbered, which no copy
should do silently. Values keep their types both ways (lists, structs, vectors as 32-bit floats,
pass state as bytes, timestamps).
"""

from __future__ import annotations

from pathlib import Path

from newsloom.store.base import Store
from newsloom.store.dialect import shown_location
from newsloom.store.schema import TABLES
from newsloom.store.sql import StoreError


def copy_tables(src: Store, dst: Store, tables: list[str], chunk: int = 5000) -> dict[str, int]:
    """Append every row of ``tables`` from ``src`` to ``dst`` in one transaction; rows per table."""
    counts: dict[str, int] = {}
    with dst.transaction():
        for table in tables:
            counts[table] = 0
            for rows in src.table_rows(table, chunk):
                dst.load_table(table, rows)
                counts[table] += len(rows)
    return counts


def copy_store(src_location: str | Path, dst_location: str | Path, chunk: int = 5000) -> dict[str, int]:
    """Copy the store at ``src_location`` into a new or empty store at ``dst_location``."""
    from newsloom.store import open_store

    if str(src_location) == str(dst_location):
        raise StoreError("source and target are the same store")
    with open_store(src_location, read_only=True) as src, open_store(dst_location) as dst:
        if src.schema_version() != dst.schema_version():
            raise StoreError(f"source schema {src.schema_version()} != target schema {dst.schema_version()}:"
                             " upgrade the source first (any `newsloom analyze --db SRC` does)")
        if not dst.is_empty():
            raise StoreError(f"target {shown_location(dst.location)} already holds documents or runs:"
                             " migrate into an empty store")
        with dst.transaction():
            counts = copy_tables(src, dst, list(TABLES), chunk)
            dst.set_schema_history([r for rows in src.table_rows("schema_version") for r in rows])
        return counts
