"""The command line: a thin face over ``newsloom.pipeline`` and the store."""

from __future__ import annotations

import logging
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsloom.config import Config, ConfigError, load_config
from newsloom.ingest.safe import printable
from newsloom.runner import RunnerError
from newsloom.store.dialect import is_url
from newsloom.store.duckdb import FORMATS, StoreError, open_store

app = typer.Typer(
    help="newsloom: raw multilingual news in; clean text, languages, entities and stories out. Offline.",
    no_args_is_help=True,
    add_completion=False,
)
# piped output (scripts, CI logs) gets room for the tables instead of rich's 80-column default;
# no :emoji: codes, so that a title with colons is printed as written
out = Console(emoji=False, width=None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 160)
err = Console(stderr=True, emoji=False)

def _visible(text: str) -> str:
    """``text`` with each character a terminal would act on written as its escape (``\\x1b``,
    ``\\u202e``): C0 and C1 controls, DEL, line separators, bidirectional embeddings, overrides and
    isolates, lone surrogates. Directional marks stay (Arabic titles carry them)."""
    return printable(text, keep_marks=True)


def shown(value: object) -> str:
    """Any value from an input or the store (file name, title, publisher, reject reason, error),
    ready to go into console markup: its own brackets are escaped, so ``[/x]`` prints as written
    instead of closing a tag, and terminal control codes print as visible escapes."""
    return escape(_visible(str(value)))


def _store_location(value: str | Path) -> Path | str:
    """A --db value: a file path, or a PostgreSQL URL kept as written (a Path would merge its //)."""
    return str(value) if is_url(value) else Path(value)


DbOption = Annotated[Path, typer.Option(
    "--db", help="The store: a DuckDB file, or postgresql://user@host/db (the postgres extra).",
    parser=_store_location)]
DEFAULT_DB = Path("newsloom.duckdb")


def _fail(message: str) -> None:
    """Stop with exit status 2 and ``message``, which is plain text (shown as written)."""
    err.print(f"[bold red]error:[/] {shown(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _note(message: str) -> None:
    """A notice on stderr, one line, ``message`` plain text (shown as written)."""
    err.print(f"[yellow]note:[/] {shown(message)}", highlight=False, soft_wrap=True)


class _VisibleFormatter(logging.Formatter):
    """Log lines name files and quote text: control codes in them are shown, not obeyed."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return _visible(super().formatMessage(record))


def _logging(quiet: bool, verbose: bool) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose else logging.INFO)
    handler = logging.StreamHandler()
    handler.setFormatter(_VisibleFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    for noisy in ("trafilatura", "htmldate", "charset_normalizer", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.ERROR if not verbose else logging.DEBUG)


class RunnerKind(str, Enum):
    local = "local"
    ray = "ray"


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive), globs, or - for JSONL on stdin.")],
    db: DbOption = DEFAULT_DB,
    config: Annotated[Optional[Path], typer.Option("--config", help="A TOML file overriding shipped defaults.")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", help="Worker processes (0 = all cores).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors and the summary line.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Stage counters and debug logs.")] = False,
    runner: Annotated[Optional[RunnerKind], typer.Option(
        "--runner", help="local: worker processes here; ray: Ray Data actors (the ray extra).")] = None,
    ray_address: Annotated[Optional[str], typer.Option(
        "--ray-address", help="With --runner ray: join this Ray cluster instead of starting a local Ray.")] = None,
) -> None:
    """Analyse news files into the store: clean, detect language, store. Idempotent and incremental."""
    from newsloom.pipeline import analyze as run_analyze

    _logging(quiet, verbose)
    try:
        kind = runner.value if runner else ("ray" if ray_address else None)  # an address means Ray
        chosen = {"workers": workers, "kind": kind, "ray_address": ray_address}
        overrides = {"runner": {k: v for k, v in chosen.items() if v is not None}}
        cfg = load_config(config, overrides)
    except ConfigError as exc:
        _fail(str(exc))
    skipped = _missing_extras_notice(cfg)
    if skipped:
        _note(skipped)
    progress = Progress(
        TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, disable=quiet, transient=False,
    )
    task = progress.add_task("docs", total=None)

    def hook(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    try:
        with progress:
            summary = run_analyze(paths, db, cfg, progress=hook, notice=_note)
    except (StoreError, RunnerError) as exc:
        _fail(str(exc))
    for reject in summary.rejects:
        err.print(f"[yellow]rejected[/] {shown(reject)}", highlight=False, soft_wrap=True)
    line = (
        f"{summary.added} documents added, {summary.already_stored} already stored or repeated, "
        f"{len(summary.rejects)} rejected in {summary.seconds:.1f}s; store has "
        f"{summary.documents_in_store} documents ({summary.duplicates_in_store} copies), "
        f"{summary.stories_in_store} stories"
    )
    if quiet:
        out.print(line, highlight=False)
        return
    table = Table(title=f"run {summary.run_id}", show_header=False)
    table.add_row("inputs read", str(summary.read))
    table.add_row("documents added", str(summary.added))
    table.add_row("already stored / repeated", str(summary.already_stored))
    table.add_row("rejected", str(len(summary.rejects)))
    table.add_row("documents in store", str(summary.documents_in_store))
    table.add_row("copies in store", str(summary.duplicates_in_store))
    table.add_row("stories in store", str(summary.stories_in_store))
    if verbose:
        for key, n in sorted(summary.stats.items()):
            table.add_row(shown(key), str(n))
    out.print(table)
    out.print(line, highlight=False)


def _missing_extras_notice(config: Config) -> str | None:
    """One line naming the passes an install without the ``embedding`` extra skips, or None."""
    from newsloom.pipeline import _has, embedding_available

    available = {"copies": _has("datasketch"), "events and stories": embedding_available(config)}
    skipped = [name for name, ok in available.items() if not ok]
    if not skipped:
        return None
    return f"{', '.join(skipped)} skipped: the embedding extra is not installed (pip install 'newsloom[embedding]')"


@app.command()
def export(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write one file per table into.")],
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, parquet or csv.")] = "jsonl",
) -> None:
    """Export the store's tables (documents, entities, dates, quantities, events, clusters, claims)."""
    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    try:
        with open_store(db, read_only=True) as store:
            written = store.export(out_dir, fmt)
            counts = {t: store.count(t) for t in written}
    except StoreError as exc:
        _fail(str(exc))
    for table, path in written.items():
        out.print(f"{shown(path)}  ({counts[table]} rows)", highlight=False, soft_wrap=True)


@app.command()
def stats(db: DbOption = DEFAULT_DB) -> None:
    """Document counts by language, publisher and month (copies counted once)."""
    try:
        with open_store(db, read_only=True) as store:
            data = store.stats()
            total = store.count("documents")
    except StoreError as exc:
        _fail(str(exc))
    out.print(f"{total} documents")
    for key, rows in data.items():
        table = Table(title=f"by {key}")
        table.add_column(key)
        table.add_column("documents", justify="right")
        for k, n in rows:
            table.add_row(shown(k), str(n))
        out.print(table)


@app.command()
def stories(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", help="How many stories to list.")] = 20,
    events: Annotated[bool, typer.Option("--events", help="List events instead of stories.")] = False,
) -> None:
    """The largest stories (or events), with their dates, languages and outlets; copies count once."""
    level = "event" if events else "story"
    try:
        with open_store(db, read_only=True) as store:
            rows = store.top_clusters(level, limit)
    except StoreError as exc:
        _fail(str(exc))
    if not rows:
        out.print(f"no {level} clusters yet (analyse some documents, with the embedding extra installed)")
        return
    table = Table(title=f"largest {'events' if events else 'stories'}")
    for col, kw in (("id", {"no_wrap": True}), ("title", {"overflow": "fold", "ratio": 3}),
                    ("docs", {"justify": "right"}), ("dates", {"no_wrap": True}),
                    ("languages", {"overflow": "fold"}), ("outlets", {"overflow": "fold", "ratio": 2})):
        table.add_column(col, **kw)
    for r in rows:
        first, last = (r["start_date"] or "")[:10], (r["end_date"] or "")[:10]
        dates = first if first == last else f"{first}..{last[5:] if last[:4] == first[:4] else last}"
        table.add_row(shown(r["cluster_id"]), shown(r["title"] or "(untitled)"), str(r["size"]),
                      shown(dates or "undated"), shown(" ".join(r["languages"] or [])),
                      shown(", ".join(r["outlets"] or [])))
    out.print(table)


@app.command()
def indicators(
    db: DbOption = DEFAULT_DB,
    kind: Annotated[Optional[str], typer.Option("--kind", help="A quantity kind: killed, injured, troops, ...")] = None,
    place: Annotated[Optional[str], typer.Option("--place", help="A place id, e.g. geo:EG.")] = None,
    country: Annotated[Optional[str], typer.Option("--country", help="ISO 3166 code (EG or EGY).")] = None,
    story: Annotated[Optional[str], typer.Option("--story", help="Only this story id.")] = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Also write indicators.jsonl, agreement.jsonl here.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Rows printed per table.")] = 30,
) -> None:
    """Figures over time per story, kind and place with their spread across sources; how often each
    story's and each outlet's claims are corroborated or contradicted by others."""
    from newsloom.claims.indicators import country_filter, render, report
    from newsloom.store.claims_tables import claims_and_days

    try:
        with open_store(db, read_only=True) as store:
            claims, days = claims_and_days(store)
        code, lookup = country_filter(country, load_config().link if country else None)
    except (StoreError, ConfigError, ValueError) as exc:
        _fail(str(exc))
    points, stories_, outlets = report(claims, days, kind=kind, place=place, country=code, story=story,
                                       country_lookup=lookup, out_dir=out_dir)
    for table in render(points, stories_, outlets, limit, shown):
        out.print(table)
    if out_dir is not None:
        out.print(f"{shown(out_dir / 'indicators.jsonl')} ({len(points)} points), "
                  f"{shown(out_dir / 'agreement.jsonl')} ({len(stories_) + len(outlets)} rows)", highlight=False)


@app.command()
def recluster(
    db: DbOption = DEFAULT_DB,
    config: Annotated[Optional[Path], typer.Option("--config", help="A TOML file overriding shipped defaults.")] = None,
) -> None:
    """Re-cluster the whole store into events and stories, whatever order documents arrived in."""
    from newsloom.pipeline import recluster as run_recluster

    try:
        cfg = load_config(config)
        counts = run_recluster(db, cfg, notice=_note)
    except (ConfigError, StoreError, RuntimeError) as exc:
        _fail(str(exc))
    out.print(
        f"{counts.get('documents', 0)} documents re-clustered into {counts.get('events', 0)} events and "
        f"{counts.get('stories', 0)} stories; {counts.get('renamed', 0)} cluster ids renamed (old links redirect)",
        highlight=False,
    )


@app.command()
def runs(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", help="How many recent runs to list.")] = 10,
) -> None:
    """Recent runs: when, inputs, counts, and each reject with its reason."""
    try:
        with open_store(db, read_only=True) as store:
            rows = store.runs(limit)
            rejects = {r["run_id"]: store.rejects(r["run_id"]) for r in rows}
    except StoreError as exc:
        _fail(str(exc))
    for r in rows:
        out.print(
            f"run {r['run_id']} {r['started_at']:%Y-%m-%d %H:%M:%S} {shown(r['status'])}: "
            f"{r['documents_added']} added, {r['already_stored']} already stored, {r['rejected']} rejected; "
            f"inputs: {', '.join(shown(i) for i in r['inputs'] or [])}",
            highlight=False, soft_wrap=True,
        )
        for rej in rejects[r["run_id"]]:
            out.print(f"    rejected {shown(rej)}", highlight=False, soft_wrap=True)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to bind; 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port to listen on.")] = 8000,
) -> None:
    """Browse the store in a web browser: stories, documents, entities, claims, search, runs; JSON API at /docs."""
    try:
        from newsloom.web.app import serve as run_server
    except ImportError as exc:
        _fail(f"the web extra is not installed (no module {exc.name!r}): pip install 'newsloom[web]'")
    if is_url(db):
        from newsloom.store.postgres import database_exists, safe_url

        if not database_exists(str(db)):
            _fail(f"no store at {safe_url(str(db))} (or the server does not answer): run `newsloom analyze` first")
    elif not db.exists():
        _fail(f"no store at {db}: run `newsloom analyze` first")
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/] serving on {shown(host)}: anyone who can reach this address can read the store")
    err.print(f"newsloom: serving {shown(db)} on http://{shown(host)}:{port}/ (Ctrl+C stops)", highlight=False)
    run_server(db, host=host, port=port)


@app.command()
def migrate(
    src: Annotated[str, typer.Argument(help="The store to copy: a DuckDB file or postgresql://user@host/db.")],
    dst: Annotated[str, typer.Argument(help="A new or empty store to copy it into (a file or a postgresql:// URL).")],
) -> None:
    """Copy a whole store between DuckDB and PostgreSQL, every table and row, in one transaction."""
    try:
        from newsloom.store.migrate import copy_store

        counts = copy_store(src, dst)
    except ImportError as exc:
        _fail(str(exc))
    except StoreError as exc:
        _fail(str(exc))
    copied = ", ".join(f"{table} {n}" for table, n in counts.items() if n)
    out.print(f"copied {sum(counts.values())} rows ({shown(copied or 'an empty store')})", highlight=False, soft_wrap=True)


train_app = typer.Typer(help="Train the models newsloom ships (reproduces the shipped weights).", no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("ner")
def train_ner(
    lang: Annotated[str, typer.Option("--lang", help="id, ar, or all (the shipped models).")] = "all",
    out: Annotated[Path, typer.Option("--out", help="Folder for <lang>.crfsuite and <lang>.json.")] = Path("ner-models"),
    data: Annotated[Optional[Path], typer.Option("--data", help="The NER data folder (default: ../shared/data/ner).")] = None,
    evaluate: Annotated[str, typer.Option("--eval", help="Splits to score after training, e.g. test.")] = "",
    model: Annotated[str, typer.Option("--model", help="crf (one per language) or e5 (one head on the e5 encoder, all corpora).")] = "crf",
) -> None:
    """Train the NER taggers from ../shared/data/ner: the Indonesian/Arabic CRFs (train+valid splits) or the e5 head (train; valid picks the epoch)."""
    from newsloom.ner.train import main as train_main

    argv = ["--lang", lang, "--out", str(out), "--model", model]
    if data is not None:
        argv += ["--data", str(data)]
    if evaluate:
        argv += ["--eval", evaluate]
    raise typer.Exit(train_main(argv))


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
