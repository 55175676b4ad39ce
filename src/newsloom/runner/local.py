"""LocalRunner: the same stage objects, on both cores (multiprocessing) or in-process.

Each worker process builds the stages once from the config and calls ``setup()`` once, so
models load once per worker. Batches go out in order and come back in order. A stage that
raises on a batch does not lose the batch: the runner retries its documents one by one and
marks only the document that fails, with the stage's name and the error.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from newsloom.config import Config
from newsloom.models import Document
from newsloom.stages.base import DocStage

StageFactory = Callable[[Config], list[DocStage]]

_WORKER_STAGES: list[DocStage] | None = None


def run_stages(stages: list[DocStage], docs: list[Document]) -> list[Document]:
    """Run a batch through every stage; a failure rejects single documents, not the batch."""
    for stage in stages:
        try:
            docs = stage(docs)
        except Exception:  # noqa: BLE001 - isolate the failing document below
            for doc in docs:
                if doc.rejected is not None:
                    continue
                try:
                    stage([doc])
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


def _init_worker(factory: StageFactory, config: Config) -> None:
    global _WORKER_STAGES
    _WORKER_STAGES = factory(config)
    for stage in _WORKER_STAGES:
        stage.ensure_setup()


def _work(batch: list[Document]) -> tuple[list[Document], Counter[str]]:
    assert _WORKER_STAGES is not None, "worker was not initialised"
    docs = run_stages(_WORKER_STAGES, batch)
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

    def run(self, docs: list[Document]) -> Iterator[list[Document]]:
        """Yield processed batches in input order."""
        size = max(1, self.config.runner.batch_size)
        if self.workers <= 1 or len(docs) < self.config.runner.inprocess_below:
            yield from self._run_inprocess(docs, size)
            return
        ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
        # ProcessPoolExecutor (not Pool): a worker whose set-up fails breaks the pool with an
        # error instead of being respawned forever.
        with ProcessPoolExecutor(
            self.workers, mp_context=ctx, initializer=_init_worker, initargs=(self.factory, self.config)
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

    def _run_inprocess(self, docs: list[Document], size: int) -> Iterator[list[Document]]:
        if self._local is None:
            self._local = self.factory(self.config)
        for batch in _batches(docs, size):
            batch = run_stages(self._local, batch)
            self.stats.update(_collect_stats(self._local))
            yield batch
