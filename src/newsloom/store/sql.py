"""The store's SQL, written once for DuckDB and PostgreSQL (``newsloom.store.dialect``).

``SQLStore`` holds every query of the stages, the passes and the CLI; ``DuckDBStore``
(``store.duckdb``) and ``PostgresStore`` (``store.postgres``) add how to connect, bulk-load and
export. Both implement ``newsloom.store.base.Store``. Ids are content-derived, so re-adding a
document is a no-op (idempotent runs).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, ClassVar

from newsloom.models import Document, Reject
from newsloom.store.dialect import DUCKDB, Dialect
from newsloom.store.lock import run_in_progress
from newsloom.store.rows import child_rows, document_row
from newsloom.store.schema import DOC_CHILD_TABLES, MIGRATIONS, TABLES
from newsloom.store.state import dumps as state_dumps
from newsloom.store.state import loads as state_loads

FORMATS = ("jsonl", "parquet", "csv")


class StoreError(RuntimeError):
    """The store cannot be opened or is of a newer schema than this newsloom."""


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class SQLStore:
    """One connection to a store; subclasses set ``con`` (``execute(sql, params)`` with ``?``
    placeholders, ``cursor()``), ``location`` and ``dialect``, and bulk-load in ``_bulk_insert``."""

    dialect: ClassVar[Dialect] = DUCKDB
    driver_errors: ClassVar[tuple[type[BaseException], ...]] = (Exception,)
    location: str
    read_only: bool
    _in_transaction: bool = False

    def _ddl(self, statement: str) -> str:
        """A migration step's statement as this engine runs it."""
        return statement

    def _support(self) -> None:
        """Create what this engine needs beside the schema (functions): idempotent."""

    def _rollback_failed(self) -> None:
        """After a failed statement outside a transaction (PostgreSQL needs nothing either: autocommit)."""

    def _bulk_insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.con.close()

    # -- schema -------------------------------------------------------------------------
    def migrate(self) -> None:
        self.con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, applied_at TIMESTAMP)")
        self._support()
        applied = {r[0] for r in self.con.execute("SELECT version FROM schema_version").fetchall()}
        self._check_version(applied)
        for version, statements in MIGRATIONS:
            if version in applied:
                continue
            self.con.execute("BEGIN TRANSACTION")
            for sql in statements:
                self.con.execute(self._ddl(sql))
            self.con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, _now()])
            self.con.execute("COMMIT")

    def _check_version(self, applied: set[int] | None = None) -> None:
        if applied is None:
            try:
                applied = {r[0] for r in self.con.execute("SELECT version FROM schema_version").fetchall()}
            except self.driver_errors as exc:
                self._rollback_failed()
                raise StoreError(f"{self.location} is not a newsloom store") from exc
        newest = MIGRATIONS[-1][0]
        if applied and max(applied) > newest:
            raise StoreError(
                f"store {self.location} has schema version {max(applied)}, newer than this newsloom's {newest}"
            )

    def schema_version(self) -> int:
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    # -- writing ------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[SQLStore]:
        """All writes inside happen together or not at all (nested uses join the outer one)."""
        if self._in_transaction:
            yield self
            return
        self.con.execute("BEGIN TRANSACTION")
        self._in_transaction = True
        try:
            yield self
        except BaseException:
            self._in_transaction = False
            try:
                self.con.execute("ROLLBACK")
            except (StoreError, *self.driver_errors):
                pass  # the connection is gone (the server rolled back): the first error is the one to report
            raise
        self._in_transaction = False
        self.con.execute("COMMIT")

    def known_ids(self, doc_ids: Iterable[str]) -> set[str]:
        ids = list(set(doc_ids))
        if not ids:
            return set()
        rows = self.con.execute(
            "SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
        ).fetchall()
        return {r[0] for r in rows}

    def add_documents(self, docs: Sequence[Document], run_id: int) -> int:
        """Store new documents with their annotations in one transaction; returns how many were new."""
        known = self.known_ids(d.doc_id for d in docs)
        seen: set[str] = set()
        fresh = []
        for d in docs:
            if d.doc_id in known or d.doc_id in seen or d.rejected is not None:
                continue
            seen.add(d.doc_id)
            fresh.append(d)
        if not fresh:
            return 0
        children: dict[str, list[dict[str, Any]]] = {t: [] for t in DOC_CHILD_TABLES}
        for d in fresh:
            for table, rows in child_rows(d).items():
                children[table].extend(rows)
        vectors = [
            {"doc_id": d.doc_id, "embedding_key": d.embedding_key, "vector": [float(x) for x in d.embedding]}
            for d in fresh if d.embedding is not None
        ]
        with self.transaction():
            self._bulk_insert("documents", [document_row(d, run_id) for d in fresh])
            self._bulk_insert("vectors", vectors)
            for table, rows in children.items():
                self._bulk_insert(table, rows)
        return len(fresh)

    def begin_run(self, inputs: Sequence[str]) -> int:
        row = self.con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()
        run_id = int(row[0])
        self.con.execute(
            "INSERT INTO runs (run_id, started_at, inputs, documents_added, already_stored, rejected, status)"
            " VALUES (?, ?, ?, 0, 0, 0, 'running')",
            [run_id, _now(), list(inputs)],
        )
        return run_id

    def close_dead_runs(self) -> int:
        """Mark runs still 'running' as 'died'. Call only while holding the store's run lock
        (``newsloom.store.lock.run_lock``): then no other process can be running one."""
        n = self.con.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0]
        if n:
            self.con.execute("UPDATE runs SET status = 'died' WHERE status = 'running'")
        return int(n)

    def finish_run(
        self, run_id: int, *, added: int, already_stored: int, rejects: Sequence[Reject],
        stats: dict[str, int], status: str = "done",
    ) -> None:
        self._bulk_insert(
            "rejects",
            [{"run_id": run_id, "source": r.source, "line": r.line, "reason": r.reason} for r in rejects],
        )
        self.con.execute(
            "UPDATE runs SET finished_at = ?, documents_added = ?, already_stored = ?, rejected = ?,"
            " status = ?, stats = ? WHERE run_id = ?",
            [_now(), added, already_stored, len(rejects), status, json.dumps(stats, sort_keys=True), run_id],
        )

    # -- pass state and pass inputs ----------------------------------------------------
    def pass_pending(self, name: str, limit: int) -> list[str]:
        """Up to ``limit`` stored documents the pass ``name`` has not taken in yet, oldest first
        (publication date, then id), whichever run stored them."""
        rows = self.con.execute(
            "SELECT d.doc_id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM pass_seen s WHERE s.pass = ?"
            " AND s.doc_id = d.doc_id) ORDER BY d.published NULLS LAST, d.doc_id LIMIT ?",
            [name, int(limit)],
        ).fetchall()
        return [r[0] for r in rows]

    def count_pass_pending(self, name: str) -> int:
        row = self.con.execute(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM pass_seen s WHERE s.pass = ?"
            " AND s.doc_id = d.doc_id)", [name],
        ).fetchone()
        return int(row[0])

    def mark_seen(self, name: str, doc_ids: Sequence[str], run_id: int) -> None:
        """Record that pass ``name`` has taken in these documents (with its writes, in one transaction)."""
        self._bulk_insert("pass_seen", [{"pass": name, "doc_id": d, "run_id": run_id} for d in doc_ids])

    def load_state(self, name: str) -> dict[str, Any] | None:
        row = self.con.execute("SELECT state FROM pass_state WHERE name = ?", [name]).fetchone()
        return state_loads(bytes(row[0])) if row else None

    def save_state(self, name: str, state: dict[str, Any]) -> None:
        self.con.execute(
            "INSERT INTO pass_state VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET state = excluded.state,"
            " updated_at = excluded.updated_at", [name, state_dumps(state), _now()]
        )

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows of a query written by newsloom (parameters bound, never interpolated) as dicts."""
        cur = self.con.execute(sql, list(params))
        names = [c[0] for c in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def documents_by_id(self, doc_ids: Sequence[str], columns: Sequence[str]) -> list[dict[str, Any]]:
        known = {name for name, _ in TABLES["documents"]}
        bad = [c for c in columns if c not in known]
        if bad:
            raise KeyError(f"unknown document columns {bad}")
        cols = ", ".join(f'"{c}"' for c in columns)
        return self.rows(
            f"SELECT {cols} FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY doc_id",
            [list(doc_ids)],
        )

    def update_documents(self, column: str, values: dict[str, str | None]) -> None:
        """Set one column (duplicate_of, event_id, story_id, working_date, working_date_source)
        for many documents at once."""
        if column not in ("duplicate_of", "event_id", "story_id", "working_date", "working_date_source"):
            raise KeyError(column)
        if not values:
            return
        ids, vals = list(values), [values[k] for k in values]
        self.con.execute(
            f'UPDATE documents SET "{column}" = u.v FROM (SELECT unnest(?::VARCHAR[]) AS id, '
            f"unnest(?::VARCHAR[]) AS v) AS u WHERE documents.doc_id = u.id",
            [ids, vals],
        )

    def rename_clusters(self, column: str, renamed: dict[str, str]) -> list[str]:
        """Move every document of each old cluster id to its new id; return the moved doc ids."""
        if column not in ("event_id", "story_id"):
            raise KeyError(column)
        if not renamed:
            return []
        rows = self.con.execute(
            f'UPDATE documents SET "{column}" = u.new FROM (SELECT unnest(?::VARCHAR[]) AS old, '
            f'unnest(?::VARCHAR[]) AS new) AS u WHERE documents."{column}" = u.old RETURNING doc_id',
            [list(renamed), list(renamed.values())],
        ).fetchall()
        if column == "story_id":  # events of a renamed story point at its new id
            self.con.execute(
                "UPDATE clusters SET parent = u.new FROM (SELECT unnest(?::VARCHAR[]) AS old, "
                "unnest(?::VARCHAR[]) AS new) AS u WHERE clusters.parent = u.old",
                [list(renamed), list(renamed.values())],
            )
        return [r[0] for r in rows]

    def record_renames(self, renamed: dict[str, str]) -> None:
        """Remember where renamed cluster ids went; earlier names of a renamed id follow it."""
        for old, new in renamed.items():
            if old == new:
                continue
            self.con.execute("UPDATE cluster_renames SET new = ? WHERE new = ?", [new, old])
            # an id that is live again (renamed back) is no longer a rename
            self.con.execute("DELETE FROM cluster_renames WHERE old = ? OR old = new", [new])
            self.con.execute("INSERT INTO cluster_renames VALUES (?, ?, ?) ON CONFLICT (old) DO UPDATE"
                             " SET new = excluded.new, renamed_at = excluded.renamed_at", [old, new, _now()])

    def renamed_to(self, cluster_id: str) -> str | None:
        row = self.con.execute("SELECT new FROM cluster_renames WHERE old = ?", [cluster_id]).fetchone()
        return row[0] if row else None

    def copies_follow_originals(self, doc_ids: Sequence[str]) -> set[str]:
        """Give copies their original's event and story, for copies among ``doc_ids`` and copies
        of originals among them; return the cluster ids they left and joined."""
        if not doc_ids:
            return set()
        where = (
            " FROM documents c JOIN documents o ON c.duplicate_of = o.doc_id"
            " WHERE (c.doc_id IN (SELECT unnest(?::VARCHAR[])) OR o.doc_id IN (SELECT unnest(?::VARCHAR[])))"
            " AND (c.event_id IS DISTINCT FROM o.event_id OR c.story_id IS DISTINCT FROM o.story_id)"
        )
        rows = self.con.execute(
            f"SELECT c.doc_id, c.event_id, c.story_id, o.event_id, o.story_id {where}", [list(doc_ids)] * 2
        ).fetchall()
        if not rows:
            return set()
        self.update_documents("event_id", {r[0]: r[3] for r in rows})
        self.update_documents("story_id", {r[0]: r[4] for r in rows})
        return {c for r in rows for c in r[1:] if c}

    def replace_clusters(self, rows: list[dict[str, Any]], drop: Sequence[str] = ()) -> None:
        """Write cluster rows (replacing rows with the same id) and delete the ``drop`` ids."""
        gone = list(set(drop) | {r["cluster_id"] for r in rows})
        if gone:
            self.con.execute("DELETE FROM clusters WHERE cluster_id IN (SELECT unnest(?::VARCHAR[]))", [gone])
        self._bulk_insert("clusters", rows)

    # -- reading ------------------------------------------------------------------------
    def count(self, table: str) -> int:
        if table not in TABLES:
            raise KeyError(table)
        return int(self.con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])

    def count_where(self, table: str, condition: str) -> int:
        """Rows of ``table`` matching a fixed SQL condition written by newsloom (never user input)."""
        if table not in TABLES:
            raise KeyError(table)
        return int(self.con.execute(f'SELECT count(*) FROM "{table}" WHERE {condition}').fetchone()[0])

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        cur = self.con.execute(
            "SELECT run_id, started_at, finished_at, inputs, documents_added, already_stored, rejected, status"
            " FROM runs ORDER BY run_id DESC LIMIT ?",
            [limit],
        )
        names = [c[0] for c in cur.description]
        runs = [dict(zip(names, row)) for row in cur.fetchall()]
        if any(r["status"] == "running" for r in runs) and not run_in_progress(self.location):
            for r in runs:  # no process holds the run lock: those runs died (the next run records it)
                if r["status"] == "running":
                    r["status"] = "died"
        return runs

    def rejects(self, run_id: int) -> list[Reject]:
        rows = self.con.execute(
            "SELECT source, line, reason FROM rejects WHERE run_id = ? ORDER BY source, line", [run_id]
        ).fetchall()
        return [Reject(source=s, line=ln, reason=r) for s, ln, r in rows]

    def stats(self) -> dict[str, list[tuple[str, int]]]:
        """Document counts by language, publisher and month (copies counted once)."""
        base = "FROM documents WHERE duplicate_of IS NULL"
        out = {}
        for key, expr in (
            ("language", "lang"),
            ("publisher", "coalesce(publisher, '(unknown)')"),
            ("month", "coalesce(substr(published, 1, 7), '(undated)')"),
        ):
            rows = self.con.execute(f"SELECT {expr} AS k, count(*) AS n {base} GROUP BY k ORDER BY n DESC, k").fetchall()
            out[key] = [(str(k), int(n)) for k, n in rows]
        return out

    def top_clusters(self, level: str = "story", limit: int = 20) -> list[dict[str, Any]]:
        """The largest clusters (copies counted once), newest first among equals."""
        return self.rows(
            "SELECT cluster_id, title, size, start_date, end_date, languages, outlets, cardinality(doc_ids) AS documents"
            " FROM clusters WHERE level = ? ORDER BY size DESC, end_date DESC NULLS LAST, cluster_id LIMIT ?",
            [level, limit],
        )

    def __enter__(self) -> SQLStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- claims and framing (newsloom.passes.claims) ---------------------------------------
    def clusters_of(self, doc_ids: Sequence[str]) -> list[str]:
        """The event and story ids of these documents (the clusters whose claims they change)."""
        rows = self.con.execute(
            "SELECT DISTINCT c FROM (SELECT event_id AS c FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))"
            " UNION ALL SELECT story_id FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))) AS u WHERE c IS NOT NULL"
            " ORDER BY c", [list(doc_ids)] * 2,
        ).fetchall()
        return [r[0] for r in rows]

    def cluster_documents(self, cluster_ids: Sequence[str]) -> tuple[dict[str, list[str]], dict[str, Document]]:
        """Members of each event or story (copies included) and those documents with their sentences,
        entities, dates and quantities, as ``Document`` records."""
        from newsloom.models import DateMention, EntityMention, Quantity, Span

        ids = list(cluster_ids)
        members: dict[str, list[str]] = {c: [] for c in ids}
        rows = self.rows(
            "SELECT doc_id, title, publisher, published, lang, text, duplicate_of, event_id, story_id, sentences"
            " FROM documents WHERE event_id IN (SELECT unnest(?::VARCHAR[])) OR story_id IN (SELECT unnest(?::VARCHAR[]))"
            " ORDER BY published NULLS LAST, doc_id", [ids, ids],
        )
        docs: dict[str, Document] = {}
        for r in rows:
            text = r["text"] or ""
            doc = Document(source="", raw="", doc_id=r["doc_id"], title=r["title"], publisher=r["publisher"],
                           published=r["published"], lang=r["lang"], text=text, duplicate_of=r["duplicate_of"],
                           event_id=r["event_id"], story_id=r["story_id"])
            doc.sentences = [Span(start=s["start"], end=s["end"], text=text[s["start"]:s["end"]])
                             for s in r["sentences"] or []]
            docs[doc.doc_id] = doc
            for c in (r["event_id"], r["story_id"]):
                if c in members:
                    members[c].append(doc.doc_id)
        doc_ids = list(docs)
        for r in self.rows("SELECT * FROM entities WHERE doc_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY doc_id, start",
                           [doc_ids]):
            docs[r["doc_id"]].entities.append(EntityMention(start=r["start"], end=r["end"], text=r["text"],
                                                            type=r["type"], entity_id=r["entity_id"], name=r["name"]))
        for r in self.rows("SELECT * FROM dates WHERE doc_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY doc_id, start",
                           [doc_ids]):
            docs[r["doc_id"]].dates.append(DateMention(start=r["start"], end=r["end"], text=r["text"], value=r["value"]))
        for r in self.rows("SELECT * FROM quantities WHERE doc_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY doc_id, start",
                           [doc_ids]):
            docs[r["doc_id"]].quantities.append(Quantity(
                start=r["start"], end=r["end"], text=r["text"], value=r["value"], unit=r["unit"], kind=r["kind"],
                qualifier=r["qualifier"], role=r["role"]))
        return members, docs

    def replace_claims(self, cluster_ids: Sequence[str], rows: list[dict[str, Any]]) -> None:
        """Replace the claims of these clusters (and of the ids renamed into them) with ``rows``."""
        ids = list(cluster_ids)
        if ids:
            self.con.execute(
                "DELETE FROM claims WHERE cluster_id IN (SELECT unnest(?::VARCHAR[]))"
                " OR cluster_id IN (SELECT old FROM cluster_renames WHERE new IN (SELECT unnest(?::VARCHAR[])))",
                [ids, ids],
            )
        self._bulk_insert("claims", rows)

    def framing_of(self, publishers: Sequence[str | None]) -> list[dict[str, Any]]:
        """The framing rows of these outlets (None: documents without a publisher)."""
        named = [p for p in publishers if p is not None]
        return self.rows(
            "SELECT * FROM framing WHERE publisher IN (SELECT unnest(?::VARCHAR[])) OR (? AND publisher IS NULL)"
            " ORDER BY publisher, lang, term", [named, any(p is None for p in publishers)],
        )

    def replace_framing(self, publishers: Sequence[str | None], rows: list[dict[str, Any]]) -> None:
        """Replace the framing rows of these outlets with ``rows``."""
        named = [p for p in publishers if p is not None]
        self.con.execute(
            "DELETE FROM framing WHERE publisher IN (SELECT unnest(?::VARCHAR[])) OR (? AND publisher IS NULL)",
            [named, any(p is None for p in publishers)],
        )
        self._bulk_insert("framing", rows)

    # -- inputs of the clusters and similarity passes ------------------------------------
    def original_ids(self) -> list[str]:
        """Every stored original (not a copy), by id."""
        rows = self.con.execute("SELECT doc_id FROM documents WHERE duplicate_of IS NULL ORDER BY doc_id").fetchall()
        return [r[0] for r in rows]

    def cluster_inputs(self, doc_ids: Sequence[str], chars: int) -> list[dict[str, Any]]:
        """The originals among ``doc_ids`` that have a story vector: id, language, date, outlet,
        title, the first ``chars`` characters of the text and the vector, by id."""
        return self.rows(
            "SELECT d.doc_id, d.lang, d.published, d.publisher, d.title, substr(d.text, 1, ?) AS text, v.vector"
            " FROM documents d JOIN vectors v USING (doc_id) WHERE d.duplicate_of IS NULL"
            " AND d.doc_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY d.doc_id",
            [int(chars), list(doc_ids)],
        )

    def similarity_inputs(self, doc_ids: Sequence[str], chars: int) -> list[dict[str, Any]]:
        """The originals among ``doc_ids`` (with their vector, None when they have none): id,
        language, title and the first ``chars`` characters of the text, by id."""
        return self.rows(
            "SELECT d.doc_id, d.lang, d.title, substr(d.text, 1, ?) AS text, v.vector FROM documents d"
            " LEFT JOIN vectors v USING (doc_id) WHERE d.duplicate_of IS NULL"
            " AND d.doc_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY d.doc_id",
            [int(chars), list(doc_ids)],
        )

    def _grouped(self, sql: str, doc_ids: Sequence[str]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = defaultdict(list)
        for doc_id, value in self.con.execute(sql, [list(doc_ids)]).fetchall():
            out[doc_id].append(value)
        return out

    def linked_entities(self, doc_ids: Sequence[str]) -> dict[str, list[str]]:
        """doc id -> the distinct knowledge-base ids of its linked entities."""
        return self._grouped(
            "SELECT DISTINCT doc_id, entity_id FROM entities WHERE entity_id IS NOT NULL"
            " AND doc_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY doc_id, entity_id", doc_ids)

    def date_values(self, doc_ids: Sequence[str]) -> dict[str, list[str]]:
        """doc id -> the resolved values of its date mentions."""
        return self._grouped(
            "SELECT doc_id, value FROM dates WHERE value IS NOT NULL AND doc_id IN (SELECT unnest(?::VARCHAR[]))"
            ' ORDER BY doc_id, start, "end"', doc_ids)

    def quantity_values(self, doc_ids: Sequence[str]) -> dict[str, list[float]]:
        """doc id -> the values of its quantity mentions."""
        return self._grouped(
            "SELECT doc_id, value FROM quantities WHERE value IS NOT NULL AND doc_id IN (SELECT unnest(?::VARCHAR[]))"
            ' ORDER BY doc_id, start, "end"', doc_ids)

    def cluster_members(self, column: str, cluster_ids: Sequence[str]) -> dict[str, list[str]]:
        """cluster id -> its documents (``column`` is event_id or story_id), oldest first."""
        if column not in ("event_id", "story_id"):
            raise KeyError(column)
        members: dict[str, list[str]] = defaultdict(list)
        for doc_id, cid in self.con.execute(
            f'SELECT doc_id, "{column}" AS c FROM documents WHERE "{column}" IN (SELECT unnest(?::VARCHAR[]))'
            " ORDER BY published NULLS LAST, doc_id", [list(cluster_ids)],
        ).fetchall():
            members[cid].append(doc_id)
        return members

    def cluster_assignments(self, doc_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """doc id -> (event id, story id) of the documents among ``doc_ids`` that have both."""
        rows = self.con.execute(
            "SELECT doc_id, event_id, story_id FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
            [list(doc_ids)],
        ).fetchall()
        return {d: (e, s) for d, e, s in rows if e and s}

    # -- copying a whole store (``newsloom migrate``) ------------------------------------
    def table_rows(self, table: str, chunk: int = 5000) -> Iterator[list[dict[str, Any]]]:
        """Every row of ``table`` (all columns, in a stable order), ``chunk`` rows at a time."""
        if table not in TABLES and table != "schema_version":
            raise KeyError(table)
        decl = TABLES.get(table, [("version", "INTEGER PRIMARY KEY"), ("applied_at", "TIMESTAMP")])
        cols = [n for n, _ in decl]
        quoted = ", ".join(f'"{c}"' for c in cols)
        keys = [n for n, typ in decl if "PRIMARY KEY" in typ] or [n for n, typ in decl if "[]" not in typ]
        order = ", ".join(f'"{c}" NULLS LAST' for c in keys)
        cur = self.con.cursor()
        try:
            res = cur.execute(f'SELECT {quoted} FROM "{table}" ORDER BY {order}')
            while True:
                batch = res.fetchmany(chunk)
                if not batch:
                    return
                yield [dict(zip(cols, r)) for r in batch]
        finally:
            cur.close()

    def load_table(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Append rows read by ``table_rows`` of another store (``newsloom migrate``)."""
        self._bulk_insert(table, rows)

    def set_schema_history(self, rows: list[dict[str, Any]]) -> None:
        """Replace the record of applied migrations with another store's (same versions: ``newsloom
        migrate`` keeps when each step was first applied)."""
        if sorted(r["version"] for r in rows) != sorted(r[0] for r in self.con.execute(
                "SELECT version FROM schema_version").fetchall()):
            raise StoreError("the two stores have applied different schema steps")
        self.con.execute("DELETE FROM schema_version")
        for r in rows:
            self.con.execute("INSERT INTO schema_version VALUES (?, ?)", [r["version"], r["applied_at"]])

    def is_empty(self) -> bool:
        """Whether no table of the store has a row (a fresh target for ``newsloom migrate``)."""
        return all(self.count(t) == 0 for t in TABLES)
