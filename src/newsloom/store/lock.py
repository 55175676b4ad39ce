"""One writing run per store at a time: ``run_lock`` queues a second ``analyze`` behind the first.

The lock is an advisory ``flock`` on ``<store>.lock`` held for the whole run. The kernel drops it
when its process dies however it dies (SIGKILL, power loss of the process, ...), so holding it
also proves that no other run is alive: runs still marked 'running' then died
(``DuckDBStore.close_dead_runs``). Readers (``serve``, ``export``, ``runs``) never take it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_SUFFIX = ".lock"


def lock_path(store_path: str | Path) -> Path:
    return Path(str(store_path) + LOCK_SUFFIX)


def _holder(fh) -> str:
    fh.seek(0)
    pid = fh.read().strip()
    return f" (pid {pid})" if pid.isdigit() else ""


@contextmanager
def run_lock(store_path: str | Path, notice: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the store's run lock; while another process holds it, say so once and wait."""
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
