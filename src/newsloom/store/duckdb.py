"""The embedded DuckDB store (the default): the SQL is ``store.sql.SQLStore``'s; this adds the file.

Writes are bulk loads: rows are written to a temporary newline-delimited JSON file and
inserted with ``read_json`` in one statement per table inside one transaction, so a crash
mid-batch leaves the store as it was. Ids are content-derived, so re-adding a document is a
no-op (idempotent runs).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from newsloom.store.dialect import DUCKDB
from newsloom.store.schema import EXPORT_COLUMNS, TABLES, load_type
from newsloom.store.sql import FORMATS, SQLStore, StoreError

__all__ = ["FORMATS", "DuckDBStore", "StoreError", "open_store", "write_intent_path"]


INTENT_SUFFIX = ".write-wait"  # a writer waiting for the lock announces itself; `serve` lets go


def write_intent_path(path: str | Path) -> Path:
    return Path(str(path) + INTENT_SUFFIX)


def _connect(path: str, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting while another process holds DuckDB's single-writer lock.

    A writer touches ``<store>.write-wait`` while it waits, so that a serving reader
    (newsloom.web.db.StoreReader) releases its read-only connection at once.
    """
    if read_only:
        return _retry(path, read_only, wait)
    intent = write_intent_path(path)
    try:
        intent.touch()
    except OSError:  # a read-only folder: wait without announcing
        pass
    try:
        return _retry(path, read_only, wait)
    finally:
        intent.unlink(missing_ok=True)


def _retry(path: str, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    delay = 0.02
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                raise StoreError(f"cannot open store {path}: {exc}") from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {path}: {exc}") from exc


def _json_value(value: Any) -> Any:
    """Values JSON has no type for, as DuckDB's ``read_json`` reads them back (timestamps of runs)."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    raise TypeError(f"cannot store {type(value).__name__} in a bulk load")


class DuckDBStore(SQLStore):
    """One connection to the store file.

    DuckDB lets one process write a file at a time, and a writer's lock keeps readers of
    other processes out. So writers hold a connection only for short transactions (the
    pipeline opens the store per committed batch), and readers (serve, export) open
    read-only connections that wait for the lock (``wait`` seconds) instead of failing.
    """

    dialect = DUCKDB
    driver_errors = (duckdb.Error,)

    def __init__(self, path: str | Path, read_only: bool = False, wait: float = 30.0) -> None:
        self.path = self.location = str(path)
        self.read_only = read_only
        self._in_transaction = False
        if read_only and not Path(self.path).exists():
            raise StoreError(f"no store at {self.path}: run `newsloom analyze` first")
        self.con = _connect(self.path, read_only, wait)
        if not read_only:
            self.migrate()
        else:
            self._check_version()

    def _bulk_insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        cols = [name for name, _ in TABLES[table]]
        if any(typ == "BLOB" for _, typ in TABLES[table]):  # bytes do not go through JSON (pass state: few rows)
            marks = ", ".join("?" for _ in cols)
            quoted = ", ".join(f'"{c}"' for c in cols)
            self.con.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})',
                                 [[row.get(c) for c in cols] for row in rows])
            return
        types = ", ".join(f"'{name}': '{load_type(typ)}'" for name, typ in TABLES[table])
        fd, tmp = tempfile.mkstemp(suffix=".jsonl", prefix=f"newsloom-{table}-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                for row in rows:
                    fh.write(json.dumps({c: row.get(c) for c in cols}, ensure_ascii=False, default=_json_value))
                    fh.write("\n")
            quoted = ", ".join(f'"{c}"' for c in cols)
            self.con.execute(
                f'INSERT INTO "{table}" ({quoted}) SELECT {quoted} FROM read_json(?, '
                f"format='newline_delimited', columns={{{types}}}, maximum_object_size=268435456)",
                [tmp],
            )
        finally:
            os.unlink(tmp)

    def export(self, out_dir: str | Path, fmt: str = "jsonl") -> dict[str, Path]:
        """Write every export table of the spec to ``out_dir/<table>.<fmt>``.

        Atomic per file: every table is written under a temporary name in ``out_dir`` first and
        renamed into place only when all of them are complete, so a killed or failed export
        never leaves an empty or truncated file under a final name (earlier exports stay whole).
        """
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        partial: dict[str, Path] = {}
        try:
            for table in EXPORT_COLUMNS:
                partial[table] = out / f".{table}.{fmt}.partial-{os.getpid()}"
                self._export_table(table, fmt, partial[table])
                with open(partial[table], "rb") as fh:  # on disk before it takes the final name
                    os.fsync(fh.fileno())
            written = {}
            for table, tmp in partial.items():
                written[table] = out / f"{table}.{fmt}"
                os.replace(tmp, written[table])
            return written
        finally:
            for tmp in partial.values():
                tmp.unlink(missing_ok=True)

    def _export_table(self, table: str, fmt: str, path: Path) -> None:
        cols = EXPORT_COLUMNS[table]
        types = dict(TABLES[table])
        select = []
        for c in cols:
            nested = "[]" in types[c]
            select.append(f'to_json("{c}") AS "{c}"' if (fmt == "csv" and nested) else f'"{c}"')
        order = "doc_id, start" if "start" in cols and "doc_id" in cols else cols[0]
        if table == "documents":
            order = "published NULLS LAST, doc_id"
        # then, without a key, every other plain column: one order whatever order rows were stored in
        keyed = any("PRIMARY KEY" in typ for _, typ in TABLES[table])
        order += "" if keyed else "".join(f', "{c}" NULLS LAST' for c in cols if "[]" not in types[c] and f'"{c}"' not in order
                         and c not in order.replace('"', "").replace(" NULLS LAST", "").split(", "))
        options = {"jsonl": "FORMAT JSON", "parquet": "FORMAT PARQUET", "csv": "FORMAT CSV, HEADER"}[fmt]
        source = f'"{table}"'
        if table == "events":  # an event mention's clusters are its document's (the clusters pass sets those)
            source = ('(SELECT e.* REPLACE (coalesce(e.event_id, d.event_id) AS event_id,'
                      ' coalesce(e.story_id, d.story_id) AS story_id)'
                      ' FROM events e LEFT JOIN documents d USING (doc_id))')
        sql = f'COPY (SELECT {", ".join(select)} FROM {source} ORDER BY {order}) TO ? ({options})'
        self.con.execute(sql, [str(path)])

    def close(self) -> None:
        self.con.close()


def open_store(path: str | Path, read_only: bool = False, wait: float = 30.0) -> SQLStore:
    """The store at ``path``: a DuckDB file, or a PostgreSQL database for a ``postgresql://`` URL."""
    from newsloom.store import open_store as open_any

    return open_any(path, read_only=read_only, wait=wait)
