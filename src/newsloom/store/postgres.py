"""The PostgreSQL store for teams (``--db postgresql://user@host/db``, the ``postgres`` extra).

The same schema (``schema.MIGRATIONS``, types translated by ``dialect.pg_ddl``) and the same
queries (``sql.SQLStore``, ``reads``) as the DuckDB file, through psycopg 3 with a thin adapter
(``PgConnection``/``PgCursor``: ``?`` placeholders, DuckDB's ``execute(...).fetchall()`` style).
Nested columns (lists of structs) are JSON; vectors are ``REAL[]`` read in bulk by the passes
(no pgvector: Debian's PostgreSQL 15 does not package it, and similarity search runs in numpy
over a bounded candidate set, never inside the database).

PostgreSQL lets many processes read and write at once (MVCC), so ``serve`` holds plain
connections (``PgReader``, one per server thread) while ``analyze`` writes: no read leases.
Writers still take the store's run lock (``lock.run_lock``: ``pg_advisory_lock``), one run at
a time, as on DuckDB.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

try:
    import psycopg
    from psycopg.types.json import Json
except ImportError as exc:  # pragma: no cover - the extra is missing
    raise ImportError("a postgresql:// store needs the postgres extra: pip install 'newsloom[postgres]'") from exc

from newsloom.store.dialect import PG_FUNCTIONS, POSTGRES, json_column, normal_url, pg_ddl, shown_location, to_format
from newsloom.store.schema import MIGRATIONS, TABLES
from newsloom.store.sql import FORMATS, SQLStore, StoreError

MIGRATE_LOCK = 0x6E6C6D67  # pg_advisory_lock key while a process migrates the schema ("nlmg")


class PgCursor:
    """A psycopg cursor that answers like DuckDB's: ``execute(sql, params)`` with ``?`` placeholders
    returns the cursor; ``fetchall``, ``fetchone``, ``fetchmany`` and ``description`` as usual."""

    dialect = POSTGRES

    def __init__(self, cur: psycopg.Cursor, location: str) -> None:
        self._cur = cur
        self.location = location

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        try:
            if params:
                self._cur.execute(to_format(sql), list(params))
            else:  # without parameters psycopg leaves % alone
                self._cur.execute(sql)
        except psycopg.OperationalError as exc:  # the server went away or dropped this connection
            raise StoreError(f"lost the connection to the store {safe_url(self.location)}: {str(exc).strip()}"
                             " (nothing of the open transaction was kept; run again to finish)") from exc
        return self

    @property
    def description(self):
        return [(c.name,) for c in self._cur.description or []]

    def fetchall(self) -> list[tuple]:
        return self._cur.fetchall()

    def fetchone(self) -> tuple | None:
        return self._cur.fetchone()

    def fetchmany(self, size: int) -> list[tuple]:
        return self._cur.fetchmany(size)

    def close(self) -> None:
        self._cur.close()


class PgConnection:
    """One autocommit psycopg connection (transactions are explicit ``BEGIN``/``COMMIT``, as on DuckDB)."""

    def __init__(self, con: psycopg.Connection, location: str) -> None:
        self.raw = con
        self.location = location

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        return self.cursor().execute(sql, params)

    def cursor(self) -> PgCursor:
        try:
            return PgCursor(self.raw.cursor(), self.location)
        except psycopg.OperationalError as exc:  # closed after the server dropped it
            raise StoreError(f"lost the connection to the store {safe_url(self.location)}: {exc}") from exc

    def close(self) -> None:
        self.raw.close()


def connect(url: str, *, read_only: bool = False, wait: float = 30.0, application: str = "newsloom") -> psycopg.Connection:
    """An autocommit connection, retried while the server refuses (starting up) for ``wait`` seconds."""
    deadline = time.monotonic() + wait
    delay = 0.1
    while True:
        try:
            con = psycopg.connect(normal_url(url), autocommit=True, connect_timeout=max(1, int(min(wait, 10))),
                                  application_name=application)
            break
        except psycopg.OperationalError as exc:
            if time.monotonic() >= deadline:
                raise StoreError(f"cannot connect to {safe_url(url)}: {str(exc).strip()}") from exc
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    if read_only:
        con.execute("SET default_transaction_read_only = on")
    return con


def safe_url(url: str) -> str:
    """The URL without a password, for messages."""
    return shown_location(url)


class PostgresStore(SQLStore):
    """One connection to a newsloom schema in a PostgreSQL database."""

    dialect = POSTGRES
    driver_errors = (psycopg.Error,)

    def __init__(self, url: str | Path, read_only: bool = False, wait: float = 30.0) -> None:
        self.location = self.path = normal_url(url)
        self.read_only = read_only
        self._in_transaction = False
        self.con = PgConnection(connect(self.location, read_only=read_only, wait=wait), self.location)
        try:
            if read_only:
                row = self.con.execute("SELECT to_regclass('schema_version')").fetchone()
                if row is None or row[0] is None:
                    raise StoreError(f"no store at {safe_url(self.location)}: run `newsloom analyze` first")
                self._check_version()
            else:
                self.migrate()
        except BaseException:
            self.con.close()
            raise

    def migrate(self) -> None:
        """Apply the pending steps; one process at a time (two first runs against an empty database).
        An up-to-date store (every open but the first) costs one query and takes no lock."""
        row = self.con.execute(
            "SELECT to_regclass('schema_version') IS NOT NULL AND to_regprocedure('newsloom_try_date(text)') IS NOT NULL"
        ).fetchone()
        if row[0]:
            applied = {r[0] for r in self.con.execute("SELECT version FROM schema_version").fetchall()}
            if {v for v, _ in MIGRATIONS} <= applied:
                self._check_version(applied)
                return
        self.con.execute("SELECT pg_advisory_lock(?)", [MIGRATE_LOCK])
        try:
            super().migrate()
        finally:
            self.con.execute("SELECT pg_advisory_unlock(?)", [MIGRATE_LOCK])

    def _ddl(self, statement: str) -> str:
        return pg_ddl(statement)

    def _support(self) -> None:
        row = self.con.execute("SELECT to_regprocedure('newsloom_try_date(text)')").fetchone()
        if row is None or row[0] is None:
            for sql in PG_FUNCTIONS:
                self.con.execute(sql)

    def _bulk_insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        """``COPY ... FROM STDIN``: one round trip per table and batch."""
        if not rows:
            return
        cols = [name for name, _ in TABLES[table]]
        nested = {name for name, typ in TABLES[table] if json_column(typ)}
        quoted = ", ".join(f'"{c}"' for c in cols)
        with self.con.raw.cursor() as cur, cur.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([
                    Json(row.get(c)) if c in nested and row.get(c) is not None else row.get(c) for c in cols
                ])

    def export(self, out_dir: str | Path, fmt: str = "jsonl") -> dict[str, Path]:
        """The export tables, written exactly as from a DuckDB store: the rows are copied into a
        temporary DuckDB file first (``store.migrate.copy_store``), which writes them."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
        from newsloom.store.duckdb import DuckDBStore
        from newsloom.store.migrate import copy_tables
        from newsloom.store.schema import EXPORT_COLUMNS

        with tempfile.TemporaryDirectory(prefix="newsloom-export-") as tmp:
            with DuckDBStore(Path(tmp) / "export.duckdb") as local:
                copy_tables(self, local, list(EXPORT_COLUMNS))
                return local.export(out_dir, fmt)


class PgReader:
    """What ``serve`` reads a PostgreSQL store through: one connection per server thread, kept
    (MVCC: ``analyze`` writes meanwhile; no lease to give up). ``signature`` changes whenever
    any write transaction commits (``pg_current_snapshot``'s xmax), for the response caches."""

    def __init__(self, location: str | Path, *, wait: float = 20.0, **_: Any) -> None:
        self._url = normal_url(location)
        self.path = safe_url(self._url)  # what pages show (/api/status): never the password
        self.wait = wait
        self._local = threading.local()
        self._all: list[psycopg.Connection] = []
        self._guard = threading.Lock()
        self.opens = 0

    def _connection(self) -> psycopg.Connection:
        con = getattr(self._local, "con", None)
        if con is None or con.closed:
            con = connect(self._url, read_only=True, wait=self.wait, application="newsloom serve")
            self._local.con = con
            with self._guard:
                self._all.append(con)
                self.opens += 1
        return con

    @contextmanager
    def cursor(self) -> Iterator[PgCursor]:
        con = self._connection()
        cur = PgCursor(con.cursor(), self._url)
        try:
            yield cur
        except (psycopg.OperationalError, StoreError):  # the server went away: the next request reconnects
            con.close()
            raise
        finally:
            cur.close()

    def signature(self) -> tuple:
        try:
            with self.cursor() as cur:
                row = cur.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text").fetchone()
            return (row[0],)
        except psycopg.Error:
            return (None,)

    def writer_active(self) -> bool:
        return False

    def writer_waiting(self) -> bool:
        return False

    def close(self) -> None:
        with self._guard:
            for con in self._all:
                con.close()
            self._all.clear()


def database_exists(url: str) -> bool:
    """Whether the server answers and holds a newsloom store at ``url``."""
    try:
        with connect(url, read_only=True, wait=2.0) as con:
            row = con.execute("SELECT to_regclass('schema_version')").fetchone()
            return bool(row and row[0])
    except (StoreError, psycopg.Error):
        return False

