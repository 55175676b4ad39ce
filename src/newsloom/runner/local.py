"""LocalRunner: the same stage objects, on both cores (multiprocessing) or in-process.

Each worker process builds the stages once from the config and calls ``setup()`` once, so
models load once per worker. Batches go out in order and come back in order. A stage that
raises on a batch does not lose the batch: the runner retries its documents one by one and
marks only the document that fails, with the stage's name and the error.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from newsloom.config import Config
from newsloom.models import Document
from newsloom.stages.base import DocStage

StageFactory = Callable[[Config], list[DocStage]]

_WORKER_STAGES: list[DocStage] | None = None
_WORKER_CONFIG: Config | None = None


class TimeBudgetExceeded(Exception):
    """A stage ran past its time budget (runner.doc_seconds per document)."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise ``TimeBudgetExceeded`` in this thread after ``seconds`` (0 = no budget).

    In a process's main thread (worker processes, ``analyze`` called from a program's main
    thread) by SIGALRM; in any other thread (Ray runs actor calls in one) by a timer that raises
    the exception asynchronously in the thread. Either way Python code is interrupted between
    bytecodes: a single call into C that never returns is not.
    """
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        with _thread_budget(seconds):
            yield
        return

    def expire(signum, frame):  # noqa: ARG001 - signal handler signature
        raise TimeBudgetExceeded

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _thread_budget(seconds: float) -> Iterator[None]:
    import ctypes

    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    over = False

    def expire() -> None:
        with lock:
            if not over:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(TimeBudgetExceeded))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            over = True
            timer.cancel()
            ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)  # one set just now is dropped


def run_stages(stages: list[DocStage], docs: list[Document], doc_seconds: float = 0.0) -> list[Document]:
    """Run a batch through every stage; a failure rejects single documents, not the batch.

    With ``doc_seconds`` > 0, a stage gets that many seconds per document of the batch; on an
    overrun (or any error) it is retried one document at a time, each with ``doc_seconds``, and
    only the document that fails or overruns is rejected, with the reason.
    """
    for stage in stages:
        try:
            with time_budget(doc_seconds * len(docs)):
                docs = stage(docs)
        except Exception:  # noqa: BLE001 - isolate the failing document below
            for doc in docs:
                if doc.rejected is not None:
                    continue
                try:
                    with time_budget(doc_seconds):
                        stage([doc])
                except TimeBudgetExceeded:
                    doc.rejected = (f"stage {stage.name} took over {doc_seconds:g}s for this document"
                                    " (runner.doc_seconds)")
                    stage.stats["failed_time_budget"] += 1
                except Exception as exc:  # noqa: BLE001 - the reason goes to the run summary
                    doc.rejected = f"stage {stage.name} failed: {type(exc).__name__}: {exc}"
                    stage.stats[f"failed_{type(exc).__name__}"] += 1
    return docs


def _collect_stats(stages: list[DocStage]) -> Counter[str]:
    total: Counter[str] = Counter()
    for stage in stages:
        for key, n in stage.stats.items():
            total[f"{stage.name}.{key}"] += n
        stage.stats.clear()
    return total


def _die_with(parent: int) -> None:
    """End this worker when the process that started the run dies (even by SIGKILL).

    Linux's parent-death signal covers the forkserver dying; the watch thread covers the run's
    process itself, which is not the worker's parent under forkserver.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the watch thread alone
        pass

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # the pid was reused by another user's process: ours is gone
                os._exit(1)

    threading.Thread(target=watch, name="newsloom-parent-watch", daemon=True).start()


def _init_worker(factory: StageFactory, config: Config, parent: int) -> None:
    global _WORKER_STAGES, _WORKER_CONFIG
    _die_with(parent)
    _WORKER_CONFIG = config
    _WORKER_STAGES = factory(config)
    for stage in _WORKER_STAGES:
        stage.ensure_setup()


def _work(batch: list[Document]) -> tuple[list[Document], Counter[str]]:
    assert _WORKER_STAGES is not None and _WORKER_CONFIG is not None, "worker was not initialised"
    docs = run_stages(_WORKER_STAGES, batch, _WORKER_CONFIG.runner.doc_seconds)
    return docs, _collect_stats(_WORKER_STAGES)


def _batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class LocalRunner:
    def __init__(self, factory: StageFactory, config: Config) -> None:
        self.factory = factory
        self.config = config
        self.stats: Counter[str] = Counter()
        self._local: list[DocStage] | None = None

    @property
    def workers(self) -> int:
        return self.config.runner.workers or os.cpu_count() or 1

    def run(self, docs: Iterable[Document]) -> Iterator[list[Document]]:
        """Yield processed batches in input order; ``docs`` is read lazily (it may be a stream)."""
        size = max(1, self.config.runner.batch_size)
        docs = iter(docs)
        head = list(itertools.islice(docs, self.config.runner.inprocess_below))
        if self.workers <= 1 or len(head) < self.config.runner.inprocess_below:
            yield from self._run_inprocess(itertools.chain(head, docs), size)
            return
        docs = itertools.chain(head, docs)
        ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
        # ProcessPoolExecutor (not Pool): a worker whose set-up fails breaks the pool with an
        # error instead of being respawned forever.
        with ProcessPoolExecutor(
            self.workers, mp_context=ctx, initializer=_init_worker, initargs=(self.factory, self.config, os.getpid())
        ) as pool:
            pending = []
            batches = _batches(docs, size)
            # keep a bounded number of batches in flight, results in input order
            for batch in batches:
                pending.append(pool.submit(_work, batch))
                if len(pending) >= 2 * self.workers:
                    yield self._take(pending.pop(0))
            for fut in pending:
                yield self._take(fut)

    def _take(self, fut) -> list[Document]:
        batch, stats = fut.result()
        self.stats.update(stats)
        return batch

    def _run_inprocess(self, docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
        if self._local is None:
            self._local = self.factory(self.config)
        for batch in _batches(docs, size):
            batch = run_stages(self._local, batch, self.config.runner.doc_seconds)
            self.stats.update(_collect_stats(self._local))
            yield batch
