"""Full-text search: an SQLite FTS5 side index built from the store, kept up to date by the server.

Why FTS5 (measured in benchmarks/web.py): it ships inside Python's sqlite3, works offline,
indexes 100k documents in under a minute and answers in milliseconds. DuckDB's ``fts``
extension needs a download (``INSTALL fts``), which fails offline, and would have to be built
by the store's writer; a DuckDB ``ILIKE`` scan is the fallback baseline and grows with the store.

The index lives beside the store (``<store>.search.sqlite``; in the temp folder when that
folder is not writable). It is a cache: delete it and the server rebuilds it. It is
contentless (the text stays in the store): one row per document (title, publisher, text)
and one per entity alias. The server syncs it in a background thread, run by run: a run
whose document count in the store exceeds the indexed count gets its new documents indexed,
in chunks, each read through a short read-only lease so `newsloom analyze` can write in between.

Tokenisation is FTS5's ``unicode61`` (diacritics folded): words in Latin, Arabic, Cyrillic and
other space-separated scripts; Chinese, Japanese and Thai runs are indexed as whole runs (a
known limit: search those with a run's exact text or a prefix, ``词*``). Arabic clitics
(``ال``, ``و``) stay attached: use a prefix query or the attached form.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsloom.web import queries
from newsloom.web.db import StoreReader

log = logging.getLogger(__name__)

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE IF NOT EXISTS runs (run_id INTEGER PRIMARY KEY, indexed INTEGER, last_doc TEXT)",
    "CREATE TABLE IF NOT EXISTS docs (rowid INTEGER PRIMARY KEY, doc_id TEXT UNIQUE, lang TEXT, published TEXT)",
    ("CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(title, publisher, text, content='',"
     " tokenize='unicode61 remove_diacritics 2')"),
    ("CREATE TABLE IF NOT EXISTS aliases (rowid INTEGER PRIMARY KEY, entity_id TEXT, alias TEXT,"
     " UNIQUE (entity_id, alias))"),
    ("CREATE VIRTUAL TABLE IF NOT EXISTS aliases_fts USING fts5(alias, content='',"
     " tokenize='unicode61 remove_diacritics 2')"),
]
INDEX_VERSION = "1"
MAX_QUERY_CHARS = 300
MAX_TOKENS = 16
_TOKEN = re.compile(r"\w+\*?", re.UNICODE)


def index_path_for(db_path: str | Path) -> Path:
    p = Path(str(db_path) + ".search.sqlite")
    if os.access(p.parent, os.W_OK):
        return p
    digest = hashlib.sha1(str(Path(db_path).resolve()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"newsloom-search-{digest}.sqlite"


def fts_query(q: str) -> str | None:
    """User text to a safe FTS5 query: each word quoted (no operators reach FTS5), all required."""
    tokens = _TOKEN.findall((q or "")[:MAX_QUERY_CHARS])[:MAX_TOKENS]
    parts = []
    for t in tokens:
        prefix = t.endswith("*")
        word = t.rstrip("*")
        if word:
            parts.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(parts) or None


def query_words(q: str) -> list[str]:
    return [t.rstrip("*") for t in _TOKEN.findall((q or "")[:MAX_QUERY_CHARS])[:MAX_TOKENS] if t.rstrip("*")]


def snippet(text: str, words: list[str], width: int = 220) -> list[tuple[str, bool]]:
    """A window of ``text`` around the first matching word, as (segment, is_match) pieces."""
    if not text:
        return []
    pattern = None
    if words:
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        pattern = re.compile(alternatives, re.IGNORECASE)
    first = pattern.search(text) if pattern else None
    lo = max(0, (first.start() if first else 0) - width // 3)
    hi = min(len(text), lo + width)
    pieces: list[tuple[str, bool]] = []
    if lo > 0:
        pieces.append(("…", False))
    pos = lo
    if pattern:
        for m in pattern.finditer(text, lo, hi):
            if m.start() > pos:
                pieces.append((text[pos:m.start()], False))
            pieces.append((m.group(0), True))
            pos = m.end()
    if pos < hi:
        pieces.append((text[pos:hi], False))
    if hi < len(text):
        pieces.append(("…", False))
    return pieces


@dataclass(slots=True)
class IndexStatus:
    indexed: int = 0
    in_store: int = 0
    building: bool = False
    error: str | None = None
    last_sync: float = 0.0
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return self.indexed >= self.in_store and not self.error


@dataclass(slots=True)
class SearchHit:
    doc_id: str
    rank: float
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    lang: str | None = None
    story_id: str | None = None
    snippet: list[tuple[str, bool]] = field(default_factory=list)


class SearchIndex:
    def __init__(self, reader: StoreReader, path: str | Path | None = None, chunk: int = 1000) -> None:
        self.reader = reader
        self.path = Path(path) if path else index_path_for(reader.path)
        self.chunk = chunk
        self.status = IndexStatus()
        self._lock = threading.Lock()  # one sync at a time
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._synced_signature: tuple = ()
        self._local = threading.local()  # one query connection per server thread, kept
        with self._connect() as con:
            self._init(con)

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        return con

    def _reader(self) -> sqlite3.Connection:
        """This thread's query connection (opening one costs more than an FTS5 query: kept)."""
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            con.execute("PRAGMA query_only=ON")
            self._local.con = con
        return con

    def _init(self, con: sqlite3.Connection) -> None:
        for sql in SCHEMA:
            con.execute(sql)
        row = con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if row and row[0] != INDEX_VERSION:
            self._reset(con)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", [INDEX_VERSION])
        con.commit()

    def _reset(self, con: sqlite3.Connection) -> None:
        for table in ("docs_fts", "aliases_fts", "docs", "aliases", "runs"):
            con.execute(f"DROP TABLE IF EXISTS {table}")  # fixed names
        for sql in SCHEMA:
            con.execute(sql)
        con.commit()

    # -- building ---------------------------------------------------------------------------
    def sync(self, max_seconds: float | None = None, block: bool = False) -> IndexStatus:
        """Index documents added to the store since the last sync; returns the status.

        With ``block=False`` (the background thread) a sync already running elsewhere is left
        to finish; with ``block=True`` this waits for it and then syncs again.
        """
        if not self._lock.acquire(blocking=block):
            return self.status
        started = time.perf_counter()
        try:
            self.status.building = True
            signature = self.reader.signature()
            with self.reader.cursor() as cur:
                counts = queries.run_document_counts(cur)
            con = self._connect()
            try:
                done = {r: (n, last) for r, n, last in con.execute("SELECT run_id, indexed, last_doc FROM runs")}
                if any(n > counts.get(r, 0) for r, (n, _) in done.items()):
                    log.info("search index %s is ahead of the store (store replaced?): rebuilding", self.path)
                    self._reset(con)
                    done = {}
                for run_id, total in sorted(counts.items()):
                    indexed, last = done.get(run_id, (0, ""))
                    while indexed < total:
                        if self._stop.is_set() or (max_seconds and time.perf_counter() - started > max_seconds):
                            return self.status
                        with self.reader.cursor() as cur:
                            rows = queries.documents_of_run(cur, run_id, last, self.chunk)
                            aliases = queries.entity_names_of_documents(cur, [r[0] for r in rows])
                        if not rows:
                            break
                        self._insert(con, rows, aliases)
                        indexed += len(rows)
                        last = rows[-1][0]
                        con.execute("INSERT OR REPLACE INTO runs VALUES (?, ?, ?)", [run_id, indexed, last])
                        con.commit()
                        self.status.indexed = con.execute("SELECT count(*) FROM docs").fetchone()[0]
                self.status.indexed = con.execute("SELECT count(*) FROM docs").fetchone()[0]
                self.status.in_store = sum(counts.values())
                self.status.error = None
                self._synced_signature = signature
            finally:
                con.close()
        except Exception as exc:  # the index is a cache: report, keep serving
            log.exception("search index sync failed")
            self.status.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.status.building = False
            self.status.last_sync = time.time()
            self.status.seconds = time.perf_counter() - started
            self._lock.release()
        return self.status

    def _insert(self, con: sqlite3.Connection, rows: list[tuple], aliases: list[tuple[str, str]]) -> None:
        for doc_id, title, publisher, lang, published, text in rows:
            cur = con.execute("INSERT OR IGNORE INTO docs (doc_id, lang, published) VALUES (?, ?, ?)",
                              [doc_id, lang, published])
            if cur.rowcount:
                con.execute("INSERT INTO docs_fts (rowid, title, publisher, text) VALUES (?, ?, ?, ?)",
                            [cur.lastrowid, title or "", publisher or "", text or ""])
        for entity_id, alias in aliases:
            cur = con.execute("INSERT OR IGNORE INTO aliases (entity_id, alias) VALUES (?, ?)", [entity_id, alias])
            if cur.rowcount:
                con.execute("INSERT INTO aliases_fts (rowid, alias) VALUES (?, ?)", [cur.lastrowid, alias])

    def start(self, interval: float = 3.0) -> None:
        """Sync now and whenever the store changes, in a daemon thread."""
        if self._thread is not None:
            return

        def loop() -> None:
            while not self._stop.is_set():
                if self.reader.signature() != self._synced_signature or self.status.error:
                    self.sync()
                self._stop.wait(interval)

        self._thread = threading.Thread(target=loop, name="newsloom-search-index", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    # -- querying ---------------------------------------------------------------------------
    def doc_ids(self, q: str, lang: str | None = None, limit: int = queries.MAX_FILTER_HITS) -> list[str] | None:
        """Ids of documents matching ``q`` (best first, bounded); None when q has no words."""
        match = fts_query(q)
        if match is None:
            return None
        sql = "SELECT d.doc_id FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid WHERE docs_fts MATCH ?"
        params: list[Any] = [match]
        if lang:
            sql += " AND d.lang = ?"
            params.append(lang)
        sql += " ORDER BY rank LIMIT ?"
        params.append(max(1, min(limit, queries.MAX_FILTER_HITS)))
        con = self._reader()
        return [r[0] for r in con.execute(sql, params)]

    def search(self, q: str, lang: str | None = None, limit: int = 20, offset: int = 0
               ) -> tuple[list[SearchHit], bool]:
        match = fts_query(q)
        if match is None:
            return [], False
        limit = queries.bound(limit, 100)
        sql = ("SELECT d.doc_id, bm25(docs_fts, 5.0, 1.0, 1.0) AS score FROM docs_fts"
               " JOIN docs d ON d.rowid = docs_fts.rowid WHERE docs_fts MATCH ?")
        params: list[Any] = [match]
        if lang:
            sql += " AND d.lang = ?"
            params.append(lang)
        sql += " ORDER BY score LIMIT ? OFFSET ?"
        params += [limit + 1, max(0, min(offset, 10000))]
        con = self._reader()
        rows = con.execute(sql, params).fetchall()
        more = len(rows) > limit
        return [SearchHit(doc_id=d, rank=float(s)) for d, s in rows[:limit]], more

    def entities(self, q: str, limit: int = 10) -> list[dict[str, str]]:
        """Entities with a name or alias matching ``q``: [{entity_id, name}] (the best-ranked alias)."""
        match = fts_query(q)
        if match is None:
            return []
        con = self._reader()
        rows = con.execute(
            "SELECT a.entity_id, a.alias FROM aliases_fts JOIN aliases a ON a.rowid = aliases_fts.rowid"
            " WHERE aliases_fts MATCH ? ORDER BY rank LIMIT ?",
            [match, 200],
        ).fetchall()
        out: dict[str, str] = {}
        for entity_id, alias in rows:
            out.setdefault(entity_id, alias)
        return [{"entity_id": e, "name": n} for e, n in list(out.items())[: max(1, min(limit, 50))]]

