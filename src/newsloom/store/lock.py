"""One writing run per store at a time: ``run_lock`` queues a second ``analyze`` behind the first.

The lock is an advisory ``flock`` on ``<store>.lock`` held for the whole run. The kernel drops it
when its process dies however it dies (SIGKILL, power loss of the process, ...), so holding it
also proves that no other run is alive: runs still marked 'running' then died
(``DuckDBStore.close_dead_runs``). Readers (``serve``, ``export``, ``runs``) never take it.

On PostgreSQL (``postgresql://`` stores) the lock is a session ``pg_advisory_lock`` of the store's
database, held by a connection of its own for the whole run: the server drops it when that
connection ends, however the process died.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_SUFFIX = ".lock"
RUN_LOCK_KEY = 0x6E6C726E  # the PostgreSQL advisory lock key of a store's run lock ("nlrn")


def lock_path(store_path: str | Path) -> Path:
    return Path(str(store_path) + LOCK_SUFFIX)


def _holder(fh) -> str:
    fh.seek(0)
    pid = fh.read().strip()
    return f" (pid {pid})" if pid.isdigit() else ""


@contextmanager
def run_lock(store_path: str | Path, notice: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the store's run lock; while another process holds it, say so once and wait."""
    from newsloom.store.dialect import is_url

    if is_url(store_path):
        with _pg_run_lock(str(store_path), notice):
            yield
        return
    path = lock_path(store_path)
    fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the whole run
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if notice:
                notice(f"another newsloom run is writing to {store_path}{_holder(fh)}; waiting for it to finish")
            fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        fh.close()  # closing the file releases the lock


def run_in_progress(store_path: str | Path) -> bool:
    """Whether some process holds the store's run lock now (a read-only check, never waits)."""
    from newsloom.store.dialect import is_url

    if is_url(store_path):
        return _pg_run_in_progress(str(store_path))
    path = lock_path(store_path)
    if not path.exists():
        return False
    with open(path, encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
        return False


_HOLDER_SQL = ("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
               " WHERE l.locktype = 'advisory' AND l.granted AND l.objid::bigint = ? AND l.database ="
               " (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1")


@contextmanager
def _pg_run_lock(url: str, notice: Callable[[str], None] | None) -> Iterator[None]:
    from newsloom.store.postgres import PgConnection, connect, safe_url

    con = PgConnection(connect(url, application=f"newsloom run pid {os.getpid()}"), url)
    try:
        if not con.execute("SELECT pg_try_advisory_lock(?)", [RUN_LOCK_KEY]).fetchone()[0]:
            if notice:
                row = con.execute(_HOLDER_SQL, [RUN_LOCK_KEY]).fetchone()
                holder = f" ({row[0]})" if row and row[0] else ""
                notice(f"another newsloom run is writing to {safe_url(url)}{holder}; waiting for it to finish")
            con.execute("SELECT pg_advisory_lock(?)", [RUN_LOCK_KEY])
        yield
    finally:
        con.close()  # ending the session releases the lock


def _pg_run_in_progress(url: str) -> bool:
    from newsloom.store.postgres import PgConnection, connect

    con = PgConnection(connect(url, wait=5.0), url)
    try:
        if con.execute("SELECT pg_try_advisory_lock(?)", [RUN_LOCK_KEY]).fetchone()[0]:
            con.execute("SELECT pg_advisory_unlock(?)", [RUN_LOCK_KEY])
            return False
        return True
    finally:
        con.close()
