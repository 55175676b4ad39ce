"""Read-only access to the store for the web server, shared fairly with `newsloom analyze`.

DuckDB lets one process write a file, and a writer's lock keeps other processes out while it
holds the file; a reader's lock keeps the writer out in turn. Opening a read-only connection
costs tens of milliseconds (the catalog is read each time), too much for every request, and
holding one for ever would starve the writer. So the server *leases* one read-only
connection: concurrent requests share it (a DuckDB cursor each), and it is given up

- as soon as it has been idle for ``idle`` seconds (a lightly used server leaves the file free);
- at once when a writer announces that it waits for the file: the writer touches
  ``<store>.write-wait`` while it retries its lock (``write_intent``); no lease opens while
  that file is fresh;
- after ``busy_max_age`` seconds while a writer is active (the store file or its WAL changed in
  the last ``active_window`` seconds), followed by a ``gap`` longer than the store's longest
  retry sleep (0.5 s), so the writer's next retry finds the file free;
- after ``max_age`` seconds in any case, if set (a safety net for writers that do not announce
  themselves), again followed by the ``gap``. The default is ``None``: every newsloom writer
  announces (``store.duckdb._connect`` touches the intent file whenever it waits, and a process
  that may not create a file in the store's folder cannot write the store either: DuckDB writes
  ``<store>.wal`` there), and other programs do not retry a lock, so the gap would rarely let
  them in. The net is not free: measured at 50 requests/s (benchmarks/web.py), every expiry
  stalled every uncached request for about a second (the gap, the reopen and the queue behind
  them), every 20 s with ``max_age=20``: 4 % of requests over 150 ms.

A request that arrives while the writer holds the file waits for it (the store's ``wait``).

A PostgreSQL store (``postgresql://...``) needs none of this: ``StoreReader(url)`` gives a
``store.postgres.PgReader`` (plain connections, one per server thread; MVCC lets ``analyze``
write meanwhile).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from newsloom.store.dialect import is_url
from newsloom.store.duckdb import StoreError, open_store, write_intent_path

INTENT_STALE = 30.0  # seconds after which an intent file left by a crashed writer is ignored


def write_intent(db_path: str | Path, wait: float = 30.0):
    """Open the store for writing; the store announces the wait itself (``<store>.write-wait``)."""
    return open_store(db_path, wait=wait)


class StoreReader:
    def __new__(cls, path: str | Path, **kw):
        if is_url(path):  # a PostgreSQL store: no leases
            from newsloom.store.postgres import PgReader

            return PgReader(path, **kw)
        return super().__new__(cls)

    def __init__(
        self,
        path: str | Path,
        *,
        idle: float = 0.5,
        max_age: float | None = None,
        busy_max_age: float = 1.0,
        gap: float = 0.6,
        active_window: float = 10.0,
        wait: float = 20.0,
    ) -> None:
        self.path = str(path)
        self.intent = write_intent_path(self.path)
        self.idle, self.max_age, self.busy_max_age = idle, max_age, busy_max_age
        self.gap, self.active_window, self.wait = gap, active_window, wait
        self._cond = threading.Condition()
        self._store = None
        self._opened_at = 0.0
        self._last_used = 0.0
        self._users = 0
        self._opening = False
        self._draining = False
        self._not_before = 0.0
        self._signature: tuple = ()
        self._changed_at = 0.0
        self.opens = 0  # how many connections were opened (tests, benchmark)
        self._stop = threading.Event()
        self._reaper = threading.Thread(target=self._reap, name="newsloom-store-reaper", daemon=True)
        self._reaper.start()

    # -- writer activity ---------------------------------------------------------------
    def signature(self) -> tuple:
        """(mtime, size) of the store file and its WAL: changes whenever a writer commits."""
        sig = []
        for p in (self.path, self.path + ".wal"):
            try:
                st = os.stat(p)
                sig.append((st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                sig.append(None)
        return tuple(sig)

    def writer_active(self) -> bool:
        sig = self.signature()
        now = time.monotonic()
        if sig != self._signature:
            if self._signature:
                self._changed_at = now
            self._signature = sig
        return now - self._changed_at < self.active_window

    def writer_waiting(self) -> bool:
        """A writer announced (``write_intent``) that it waits for the file."""
        try:
            return time.time() - os.stat(self.intent).st_mtime < INTENT_STALE
        except FileNotFoundError:
            return False

    # -- leasing -----------------------------------------------------------------------
    def _expired(self, now: float) -> bool:
        if self.writer_waiting():
            return True
        limit = self.busy_max_age if self.writer_active() else self.max_age
        return limit is not None and now - self._opened_at >= limit

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        store = self._acquire()
        try:
            cur = store.con.cursor()
            try:
                yield cur
            finally:
                cur.close()
        finally:
            self._release()

    def _acquire(self):
        with self._cond:
            while True:
                now = time.monotonic()
                if self._store is not None and not self._draining and not self._expired(now):
                    self._users += 1
                    self._last_used = now
                    return self._store
                if self._store is not None:
                    self._draining = True
                    if self._users == 0:
                        self._close_locked(writer_gap=True)
                        continue
                    self._cond.wait(0.05)
                    continue
                if self._opening:
                    self._cond.wait(0.05)
                    continue
                if now < self._not_before:
                    self._cond.wait(self._not_before - now)
                    continue
                if self.writer_waiting():
                    self._cond.wait(0.02)
                    continue
                self._opening = True
                break
        try:
            store = open_store(self.path, read_only=True, wait=self.wait)
        except BaseException:
            with self._cond:
                self._opening = False
                self._cond.notify_all()
            raise
        with self._cond:
            self._opening = False
            self._store = store
            self.opens += 1
            self._opened_at = self._last_used = time.monotonic()
            self._draining = False
            self._users += 1
            self._cond.notify_all()
            return store

    def _release(self) -> None:
        with self._cond:
            self._users -= 1
            self._last_used = time.monotonic()
            if self._users == 0 and self._draining:
                self._close_locked(writer_gap=True)
            self._cond.notify_all()

    def _close_locked(self, writer_gap: bool) -> None:
        store, self._store = self._store, None
        self._draining = False
        if store is not None:
            store.close()
        if writer_gap and not self.writer_waiting():  # an announced writer needs no gap: it is let in
            self._not_before = time.monotonic() + self.gap
        self._cond.notify_all()

    def _reap(self) -> None:
        while not self._stop.wait(min(self.idle, 0.1)):
            with self._cond:
                if self._store is not None and self._users == 0:
                    now = time.monotonic()
                    expired = self._expired(now)
                    if expired or now - self._last_used >= self.idle:
                        self._close_locked(writer_gap=expired)

    def close(self) -> None:
        self._stop.set()
        with self._cond:
            while self._users:
                self._cond.wait(0.05)
            self._close_locked(writer_gap=False)


__all__ = ["StoreError", "StoreReader"]
