"""RayRunner: the same stage objects as Ray Data actors, on a local Ray or a cluster.

The per-document stages run as one Ray Data ``map_batches`` over an actor pool: each actor
builds the stages once with the same factory the local runner uses (models load once per
actor) and runs batches through ``run_stages``, so rejects, the per-document time budget and
the stage counters behave as with the local runner. Whole-corpus passes stay on the driver
(``pipeline._passes``): they read and write the store, which the driver owns.

Streaming: the driver reads the inputs lazily, as with the local runner. A feeder thread
cuts them into ``runner.batch_size`` batches and puts them on a bounded Ray queue; the
dataset's one read task takes them off it as blocks, so the dataset never holds the input,
only the batches in flight. Results come back in input order (``preserve_order``) and are
yielded batch by batch for the pipeline to commit.

The store is read by the input generator (which ids are known) on the feeder thread and
written by the pipeline on the main thread between batches: a lock keeps the two apart.

A killed actor is restarted by Ray Data and its batch retried (Ray Data's defaults,
``max_restarts=-1``, ``max_task_retries=-1``); any failure Ray cannot recover from ends the
run with a ``RunnerError`` naming the cause, with every batch committed before it kept.

Stage code never imports Ray; this module imports it only when a run starts.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import pickle
import re
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from newsloom.config import Config
from newsloom.models import Document
from newsloom.runner import RunnerError
from newsloom.runner.local import StageFactory, _batches, _collect_stats, run_stages

# The local Ray's shared-memory object store: batches in flight are small (the input is never
# put there whole); Ray spills to disk past this.
LOCAL_OBJECT_STORE_BYTES = 512 * 1024 * 1024
_END = "__newsloom_end__"
_QUIET_LOGGERS = ("ray", "ray.data", "ray.util", "ray._private")


def _ray():
    try:
        import ray
    except ImportError as exc:  # the CLI names the extra; this is the library's message
        raise RunnerError("runner.kind = 'ray' needs the ray extra: pip install 'newsloom[ray]'") from exc
    return ray


def start_local_ray(cpus: int) -> None:
    """Start a quiet local Ray with ``cpus`` CPUs: no dashboard, no usage report, workers see
    this process's import path (so stage factories of this program import there too)."""
    ray = _ray()
    _quiet()
    path = os.pathsep.join(p for p in sys.path if p and os.path.isdir(p))
    ray.init(
        address="local",  # a new one even when `ray start` left a cluster on this machine
        num_cpus=max(1, cpus), include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR,
        object_store_memory=LOCAL_OBJECT_STORE_BYTES, configure_logging=True,
        runtime_env={"env_vars": {"PYTHONPATH": path, "RAY_USAGE_STATS_ENABLED": "0"}},
    )


def _quiet() -> None:
    """No usage report (offline), Ray's own notices at error level only."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    # the driver's core worker prints notices about Ray Data's own actors (constructor arguments
    # in the object store) at error level; errors that end a run still raise in Python
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


def _token_auth_if_available() -> None:
    """Use this user's Ray token (~/.ray/auth_token, RAY_AUTH_TOKEN) when joining a cluster by address.

    Ray looks the token up by itself for ``address="auto"`` but not for an explicit address unless
    RAY_AUTH_MODE is set, and a cluster started with ``ray start`` wants it; an explicit
    RAY_AUTH_MODE is respected."""
    with contextlib.suppress(ImportError):
        from ray._private.authentication.authentication_token_setup import (
            maybe_enable_token_auth_if_token_available,
        )

        maybe_enable_token_auth_if_token_available(warn_if_disabled=False)


def _quiet_data_context() -> Any:
    from ray.data import DataContext

    ctx = DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.enable_operator_progress_bars = False
    ctx.print_on_execution_start = False
    ctx.execution_options.preserve_order = True  # results in input order, as the local runner
    _quiet()  # again: importing ray.data configures its loggers
    return ctx


class _StageActor:
    """One Ray Data actor: the stages, built and set up once; a batch of pickled documents in and out.

    ``factory`` and ``config`` are class attributes of a subclass made per run (``_actor_class``),
    so they travel with the class: a restarted actor needs no constructor arguments kept alive.
    """

    factory: StageFactory
    config: Config

    def __init__(self) -> None:
        self.stages = self.factory(self.config)
        for stage in self.stages:
            stage.ensure_setup()

    def __call__(self, batch):
        import pyarrow as pa

        docs = [pickle.loads(b) for b in batch.column("doc").to_pylist()]
        docs = run_stages(self.stages, docs, self.config.runner.doc_seconds)
        stats = json.dumps(_collect_stats(self.stages))
        return pa.table({
            "doc": pa.array([pickle.dumps(d, protocol=5) for d in docs], pa.large_binary()),
            "stats": pa.array([stats] + [""] * (len(docs) - 1), pa.string()),
        })


def _actor_class(factory: StageFactory, config: Config) -> type:
    return type("NewsloomStages", (_StageActor,), {"factory": staticmethod(factory), "config": config})


def _queue_datasource(queue):
    """A Ray Data source with one read task that takes batches off ``queue`` until the end mark."""
    from ray.data.block import BlockMetadata
    from ray.data.datasource import Datasource, ReadTask

    def read():
        import pyarrow as pa

        while True:
            item = queue.get(block=True)
            if item == _END:
                return
            yield pa.table({"doc": pa.array(item, pa.large_binary())})

    class QueueSource(Datasource):
        def estimate_inmemory_data_size(self):
            return None

        def get_read_tasks(self, parallelism, **kwargs):
            meta = BlockMetadata(num_rows=None, size_bytes=None, input_files=None, exec_stats=None)
            return [ReadTask(read, meta)]

        def get_name(self):
            return "newsloom_inputs"

    return QueueSource()


class RayRunner:
    """Same interface as ``LocalRunner``: ``run(docs)`` yields processed batches in input order."""

    def __init__(self, factory: StageFactory, config: Config) -> None:
        self.factory = factory
        self.config = config
        self.stats: Counter[str] = Counter()
        self.store_lock = threading.Lock()

    def actors(self) -> int:
        ray = _ray()
        if self.config.runner.ray_actors > 0:
            return self.config.runner.ray_actors
        if not self.config.runner.ray_address and self.config.runner.workers > 0:
            return self.config.runner.workers
        return max(1, int(ray.cluster_resources().get("CPU", 1)))

    def run(self, docs: Iterable[Document]) -> Iterator[list[Document]]:
        docs = iter(docs)
        first = next(docs, None)  # nothing new (a rerun): no Ray started
        if first is None:
            return
        docs = itertools.chain([first], docs)
        ray = _ray()
        started = False
        if not ray.is_initialized():
            address = self.config.runner.ray_address
            try:
                if address:
                    _quiet()
                    _token_auth_if_available()
                    ray.init(address=address, log_to_driver=False, logging_level=logging.ERROR)
                else:
                    start_local_ray(self.config.runner.workers or os.cpu_count() or 1)
            except Exception as exc:
                where = f"the Ray cluster at {address}" if address else "a local Ray"
                raise RunnerError(f"could not start {where}: {type(exc).__name__}: {exc}") from exc
            started = True
        try:
            yield from self._run(ray, docs)
        finally:
            if started:
                ray.shutdown()

    def _run(self, ray, docs: Iterator[Document]) -> Iterator[list[Document]]:
        from ray.util.queue import Queue

        _quiet_data_context()
        size = max(1, self.config.runner.batch_size)
        actors = self.actors()
        queue = Queue(maxsize=2 * actors, actor_options={"num_cpus": 0})
        feeder = _Feeder(docs, size, queue, self.store_lock)
        dataset = ray.data.read_datasource(_queue_datasource(queue), num_cpus=0).map_batches(
            _actor_class(self.factory, self.config), batch_size=size,
            batch_format="pyarrow", compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1,
            zero_copy_batch=True,
        )
        feeder.start()
        try:
            for table in dataset.iter_batches(batch_size=size, batch_format="pyarrow", prefetch_batches=1):
                for stats in table.column("stats").to_pylist():
                    if stats:
                        self.stats.update(json.loads(stats))
                batch = [pickle.loads(b) for b in table.column("doc").to_pylist()]
                with self.store_lock:  # held while the pipeline commits this batch
                    yield batch
        except (ray.exceptions.RayError, RuntimeError) as exc:
            if isinstance(exc, RunnerError):
                raise
            raise RunnerError(_explain(exc)) from exc
        finally:
            feeder.stop()
            with contextlib.suppress(Exception):  # the queue actor may be gone with the cluster
                queue.shutdown()
        if feeder.error is not None:
            raise feeder.error


def _explain(exc: BaseException) -> str:
    """One line: the innermost error (the last line of Ray's remote traceback) and what to do."""
    lines = [ln.strip() for ln in re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).splitlines() if ln.strip()]
    cause = lines[-1][:300] if lines else type(exc).__name__
    return (f"the Ray run failed: {cause} ({type(exc).__name__}); the batches committed before it "
            "are kept: run analyze again to finish")


class _Feeder(threading.Thread):
    """Reads the input generator (under the store lock) and puts batches of pickled documents on the queue."""

    def __init__(self, docs: Iterator[Document], size: int, queue, lock: threading.Lock) -> None:
        super().__init__(name="newsloom-ray-feeder", daemon=True)
        self.docs, self.size, self.queue, self.lock = docs, size, queue, lock
        self.error: BaseException | None = None
        self.stopping = threading.Event()

    def _locked(self) -> Iterator[Document]:
        while True:
            with self.lock:
                doc = next(self.docs, None)
            if doc is None:
                return
            yield doc

    def _put(self, item) -> bool:
        from ray.util.queue import Full

        while not self.stopping.is_set():
            try:
                self.queue.put(item, timeout=0.5)
                return True
            except Full:
                continue
        return False

    def run(self) -> None:
        try:
            for batch in _batches(self._locked(), self.size):
                if not self._put([pickle.dumps(d, protocol=5) for d in batch]):
                    return
        except BaseException as exc:  # noqa: BLE001 - re-raised on the driver's thread
            self.error = exc
        self._put(_END)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)
