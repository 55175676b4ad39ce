"""Every SQL query the web server (and the search index feed) runs: read-only, parameterised, each
bounded by a LIMIT, written once for DuckDB and PostgreSQL (``newsloom.store.dialect``).

Functions take a read cursor (``newsloom.web.db.StoreReader.cursor``: a DuckDB cursor, or
``store.postgres.PgCursor``) and return plain dicts and lists.
User input only ever reaches SQL as a bound parameter; the few pieces of SQL text built here
(filter clauses) are fixed strings chosen by newsloom, never text from a request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from newsloom.store.dialect import DUCKDB, Dialect

MAX_LIMIT = 200
MAX_DOCS_PER_STORY = 500
MAX_SPANS = 5000
MAX_FILTER_HITS = 5000


def _rows(cur, sql: str, params: list | tuple = ()) -> list[dict[str, Any]]:
    res = cur.execute(sql, list(params))
    names = [c[0] for c in res.description]
    return [dict(zip(names, row)) for row in res.fetchall()]


def _one(cur, sql: str, params: list | tuple = ()) -> dict[str, Any] | None:
    rows = _rows(cur, sql, params)
    return rows[0] if rows else None


def _dialect(cur) -> Dialect:
    return getattr(cur, "dialect", DUCKDB)


def bound(limit: int, cap: int = MAX_LIMIT) -> int:
    return max(1, min(int(limit), cap))


# -- store status ------------------------------------------------------------------------
def table_counts(cur) -> dict[str, int]:
    sql = (
        "SELECT (SELECT count(*) FROM documents) AS documents,"
        " (SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL) AS copies,"
        " (SELECT count(*) FROM entities) AS entities,"
        " (SELECT count(*) FROM entities WHERE entity_id IS NOT NULL) AS linked_entities,"
        " (SELECT count(*) FROM dates) AS dates,"
        " (SELECT count(*) FROM quantities) AS quantities,"
        " (SELECT count(*) FROM events) AS events,"
        " (SELECT count(*) FROM clusters WHERE level = 'story') AS stories,"
        " (SELECT count(*) FROM clusters WHERE level = 'event') AS event_clusters,"
        " (SELECT count(*) FROM claims) AS claims,"
        " (SELECT count(*) FROM runs) AS runs"
    )
    return {k: int(v) for k, v in _one(cur, sql).items()}


def has_table_rows(cur, table: str) -> bool:
    """Whether a table (one of a fixed set) has any row: cheap, for empty states."""
    sql = {
        "stories": "SELECT EXISTS (SELECT 1 FROM clusters WHERE level = 'story')",
        "events": "SELECT EXISTS (SELECT 1 FROM clusters WHERE level = 'event')",
        "claims": "SELECT EXISTS (SELECT 1 FROM claims)",
        "entities": "SELECT EXISTS (SELECT 1 FROM entities)",
        "documents": "SELECT EXISTS (SELECT 1 FROM documents)",
    }[table]
    return bool(cur.execute(sql, []).fetchone()[0])


def entity_columns(cur) -> set[str]:
    rows = cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? LIMIT 100", ["entities"]
    ).fetchall()
    return {r[0] for r in rows}


def facets(cur) -> dict[str, list[tuple[str, int]]]:
    """Languages and outlets for the filter menus (bounded)."""
    langs = cur.execute(
        "SELECT lang, count(*) AS n FROM documents WHERE lang IS NOT NULL GROUP BY lang ORDER BY n DESC, lang LIMIT 100"
    ).fetchall()
    outlets = cur.execute(
        "SELECT publisher, count(*) AS n FROM documents WHERE publisher IS NOT NULL"
        " GROUP BY publisher ORDER BY n DESC, publisher LIMIT 300"
    ).fetchall()
    return {"languages": [(str(a), int(b)) for a, b in langs], "outlets": [(str(a), int(b)) for a, b in outlets]}


# -- document filters ----------------------------------------------------------------------
@dataclass(slots=True, kw_only=True)
class DocFilter:
    """Filters on documents, shared by the story and document lists."""

    lang: str | None = None
    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    entity: str | None = None
    doc_ids: list[str] | None = None  # from full-text search, already bounded

    def active(self) -> bool:
        return any(v not in (None, "") for v in (self.lang, self.outlet, self.date_from, self.date_to,
                                                 self.entity)) or self.doc_ids is not None

    def where(self, alias: str = "d") -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.lang:
            clauses.append(f"{alias}.lang = ?")
            params.append(self.lang)
        if self.outlet:
            clauses.append(f"{alias}.publisher = ?")
            params.append(self.outlet)
        if self.date_from:
            clauses.append(f"substr({alias}.published, 1, 10) >= ?")
            params.append(self.date_from)
        if self.date_to:
            clauses.append(f"substr({alias}.published, 1, 10) <= ?")
            params.append(self.date_to)
        if self.entity:
            clauses.append(f"{alias}.doc_id IN (SELECT doc_id FROM entities WHERE entity_id = ?)")
            params.append(self.entity)
        if self.doc_ids is not None:
            clauses.append(f"{alias}.doc_id IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(self.doc_ids))
        return (" AND ".join(clauses) or "TRUE"), params


# -- stories -------------------------------------------------------------------------------
SORTS = {
    "recent": "end_date DESC NULLS LAST, size DESC, cluster_id",
    "size": "size DESC, end_date DESC NULLS LAST, cluster_id",
}


def list_stories(cur, flt: DocFilter, sort: str = "recent", limit: int = 50, offset: int = 0
                 ) -> tuple[list[dict[str, Any]], bool]:
    """A page of stories (and whether there is a next page), each with size, languages, outlets."""
    limit = bound(limit)
    order = SORTS.get(sort, SORTS["recent"])
    if flt.active():
        where, params = flt.where("d")
        sql = (
            "WITH m AS (SELECT d.doc_id FROM documents d WHERE " + where + "),"
            " s AS (SELECT cluster_id, unnest(doc_ids) AS doc_id FROM clusters WHERE level = 'story'),"
            " hit AS (SELECT s.cluster_id, count(*) AS matched FROM s JOIN m USING (doc_id) GROUP BY s.cluster_id)"
            " SELECT c.cluster_id, c.title, c.start_date, c.end_date, coalesce(c.size, cardinality(c.doc_ids)) AS size, hit.matched"
            " FROM clusters c JOIN hit USING (cluster_id) ORDER BY " + order + " LIMIT ? OFFSET ?"
        )
        params = params + [limit + 1, max(0, offset)]
    else:
        sql = (
            "SELECT cluster_id, title, start_date, end_date, coalesce(size, cardinality(doc_ids)) AS size, NULL AS matched"
            " FROM clusters WHERE level = 'story' ORDER BY " + order + " LIMIT ? OFFSET ?"
        )
        params = [limit + 1, max(0, offset)]
    rows = _rows(cur, sql, params)
    more = len(rows) > limit
    rows = rows[:limit]
    if rows:
        ids = [r["cluster_id"] for r in rows]
        mix = _rows(
            cur,
            "WITH s AS (SELECT cluster_id, unnest(doc_ids) AS doc_id FROM clusters"
            " WHERE cluster_id IN (SELECT unnest(?::VARCHAR[])))"
            " SELECT s.cluster_id, array_agg(DISTINCT d.lang ORDER BY d.lang) FILTER (WHERE d.lang IS NOT NULL) AS languages,"
            " array_agg(DISTINCT d.publisher ORDER BY d.publisher) FILTER (WHERE d.publisher IS NOT NULL) AS outlets"
            " FROM s JOIN documents d USING (doc_id) GROUP BY s.cluster_id",
            [ids],
        )
        by_id = {m["cluster_id"]: m for m in mix}
        for r in rows:
            m = by_id.get(r["cluster_id"], {})
            r["languages"] = m.get("languages") or []
            outlets = m.get("outlets") or []
            r["outlets"] = outlets[:12]
            r["outlet_count"] = len(outlets)
    return rows, more


MAX_STORIES = 1_000_000


_COUNTS_SQL = {  # documents of each story per language and per outlet
    key: "WITH s AS (SELECT cluster_id, unnest(doc_ids) AS doc_id FROM clusters WHERE level = 'story')"
         " SELECT s.cluster_id, d." + column + ", count(*) FROM s JOIN documents d USING (doc_id)"
         " WHERE d." + column + " IS NOT NULL GROUP BY s.cluster_id, d." + column + " LIMIT ?"
    for key, column in (("lang_counts", "lang"), ("outlet_counts", "publisher"))
}


def story_summaries(cur) -> list[dict[str, Any]]:
    """Every story with its size, languages and outlets: one pass, cached by the caller per store version."""
    rows = _rows(
        cur,
        "WITH s AS (SELECT cluster_id, unnest(doc_ids) AS doc_id FROM clusters WHERE level = 'story'),"
        " mix AS (SELECT s.cluster_id,"
        " array_agg(DISTINCT d.lang ORDER BY d.lang) FILTER (WHERE d.lang IS NOT NULL) AS languages,"
        " array_agg(DISTINCT d.publisher ORDER BY d.publisher) FILTER (WHERE d.publisher IS NOT NULL) AS outlets"
        " FROM s JOIN documents d USING (doc_id) GROUP BY s.cluster_id)"
        " SELECT c.cluster_id, c.title, c.start_date, c.end_date, coalesce(c.size, cardinality(c.doc_ids)) AS size, mix.languages, mix.outlets"
        " FROM clusters c LEFT JOIN mix USING (cluster_id) WHERE c.level = 'story' LIMIT ?",
        [MAX_STORIES],
    )
    counts: dict[str, dict[str, dict[str, int]]] = {"lang_counts": {}, "outlet_counts": {}}
    for key, sql in _COUNTS_SQL.items():
        for cid, value, n in cur.execute(sql, [MAX_STORIES * 10]).fetchall():
            counts[key].setdefault(cid, {})[value] = int(n)
    for r in rows:  # how many of its documents are in each language and from each outlet
        r["lang_counts"] = counts["lang_counts"].get(r["cluster_id"]) or None
        r["outlet_counts"] = counts["outlet_counts"].get(r["cluster_id"]) or None
    return rows


def matching_stories(cur, flt: DocFilter) -> dict[str, int]:
    """story id -> how many of its documents match the filter (bounded)."""
    where, params = flt.where("d")
    rows = cur.execute(
        "WITH m AS (SELECT d.doc_id FROM documents d WHERE " + where + "),"
        " s AS (SELECT cluster_id, unnest(doc_ids) AS doc_id FROM clusters WHERE level = 'story')"
        " SELECT s.cluster_id, count(*) FROM s JOIN m USING (doc_id) GROUP BY s.cluster_id LIMIT ?",
        [*params, MAX_STORIES],
    ).fetchall()
    return {c: int(n) for c, n in rows}


def get_story(cur, cluster_id: str) -> dict[str, Any] | None:
    """The cluster row, with its first ``MAX_DOCS_PER_STORY`` document ids (passed on as a list:
    DuckDB looks a bound list up in the key indexes, a sub-select it scans)."""
    return _one(
        cur,
        "SELECT cluster_id, level, parent, title, start_date, end_date, coalesce(size, cardinality(doc_ids)) AS size,"
        " doc_ids[1:?] AS doc_ids FROM clusters WHERE cluster_id = ? LIMIT 1",
        [MAX_DOCS_PER_STORY, cluster_id],
    )


def renamed_to(cur, cluster_id: str) -> str | None:
    """The current id of a cluster that was renamed (None when it never was)."""
    row = _one(cur, "SELECT new FROM cluster_renames WHERE old = ? LIMIT 1", [cluster_id])
    return row["new"] if row else None


def story_documents(cur, doc_ids: list[str]) -> list[dict[str, Any]]:
    """The documents, oldest first (sorted here: an ORDER BY makes DuckDB scan instead of look up)."""
    rows = _rows(
        cur,
        "SELECT d.doc_id, d.title, d.publisher, d.published, d.lang, d.duplicate_of, d.event_id, d.source,"
        " substr(d.text, 1, 400) AS lead, length(d.text) AS length"
        " FROM documents d WHERE d.doc_id = ANY(?::VARCHAR[]) LIMIT ?",
        [doc_ids[:MAX_DOCS_PER_STORY], MAX_DOCS_PER_STORY],
    )
    rows.sort(key=lambda r: (r["published"] is None, r["published"] or "", r["doc_id"]))
    return rows


def story_events(cur, cluster_id: str, limit: int = 200) -> list[dict[str, Any]]:
    """The story's event clusters, in time order (filtered and sorted here: with only ``parent = ?``
    in SQL, DuckDB answers from the ``parent`` index)."""
    rows = _rows(
        cur,
        "SELECT cluster_id, title, start_date, end_date, coalesce(size, cardinality(doc_ids)) AS size, level FROM clusters"
        " WHERE parent = ? LIMIT ?",
        [cluster_id, 100_000],
    )
    rows = [r for r in rows if r.pop("level") == "event"]
    rows.sort(key=lambda r: (r["start_date"] is None, r["start_date"] or "", r["cluster_id"]))
    return rows[:bound(limit, 1000)]


def story_event_mentions(cur, doc_ids: list[str], limit: int = 200) -> list[dict[str, Any]]:
    """Coded event mentions (type, date) in the story's documents, grouped."""
    return _rows(
        cur,
        "SELECT e.type, e.date, count(*) AS mentions, count(DISTINCT e.doc_id) AS documents,"
        " min(e.doc_id) AS doc_id, min(e.start) AS start, min(e.\"end\") AS \"end\""
        " FROM events e WHERE e.doc_id = ANY(?::VARCHAR[])"
        " GROUP BY e.type, e.date ORDER BY e.date NULLS LAST, mentions DESC, e.type LIMIT ?",
        [doc_ids[:MAX_DOCS_PER_STORY], bound(limit, 1000)],
    )


def story_entity_rows(cur, doc_ids: list[str], extra_cols: set[str]) -> list[dict[str, Any]]:
    """Every entity mention of the story's documents (bounded), aggregated by the caller."""
    coords = ", lat, lon" if {"lat", "lon"} <= extra_cols else ""
    return _rows(
        cur,
        "SELECT doc_id, type, entity_id, coalesce(name, text) AS name, text" + coords +
        " FROM entities WHERE doc_id = ANY(?::VARCHAR[]) LIMIT ?",
        [doc_ids[:MAX_DOCS_PER_STORY], 50_000],
    )


def story_claims(cur, cluster_ids: list[str], limit: int = 500) -> list[dict[str, Any]]:
    """Claims of the story and of its event clusters."""
    rows = _rows(
        cur,
        "SELECT claim_id, cluster_id, statement, value, status, sources, contradicting FROM claims"
        " WHERE cluster_id = ANY(?::VARCHAR[])"
        " ORDER BY CASE status WHEN 'contradicted' THEN 0 WHEN 'corroborated' THEN 1 ELSE 2 END, claim_id LIMIT ?",
        [cluster_ids[:1001], bound(limit, 1000)],
    )
    for r in rows:
        r["sources"] = list(r["sources"] or [])
        r["contradicting"] = list(r["contradicting"] or [])
    return rows


# -- documents -------------------------------------------------------------------------------
def list_documents(cur, flt: DocFilter, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], bool]:
    limit = bound(limit)
    where, params = flt.where("d")
    rows = _rows(
        cur,
        "SELECT d.doc_id, d.title, d.publisher, d.published, d.lang, d.duplicate_of, d.story_id,"
        " length(d.text) AS length FROM documents d WHERE " + where +
        " ORDER BY d.published DESC NULLS LAST, d.doc_id LIMIT ? OFFSET ?",
        params + [limit + 1, max(0, offset)],
    )
    return rows[:limit], len(rows) > limit


def get_document(cur, doc_id: str) -> dict[str, Any] | None:
    row = _one(
        cur,
        "SELECT doc_id, source, title, publisher, published, lang, lang_score, text, removed, duplicate_of,"
        " event_id, story_id, url, author, format, mixed_lang, paragraphs, run_id FROM documents"
        " WHERE doc_id = ? LIMIT 1",
        [doc_id],
    )
    if row:
        row["removed"] = list(row["removed"] or [])
        row["paragraphs"] = list(row["paragraphs"] or [])
    return row


def document_spans(cur, doc_id: str) -> dict[str, list[dict[str, Any]]]:
    """Entity, date and quantity spans of one document, in text order (sorted here: with an
    ORDER BY, DuckDB scans the 1 M-row span tables instead of looking ``doc_id`` up in its index)."""
    cap = MAX_SPANS
    out = {
        "entities": _rows(cur, "SELECT start, \"end\", text, type, entity_id, name FROM entities"
                               " WHERE doc_id = ? LIMIT ?", [doc_id, cap]),
        "dates": _rows(cur, "SELECT start, \"end\", text, value FROM dates WHERE doc_id = ? LIMIT ?",
                       [doc_id, cap]),
        "quantities": _rows(cur, "SELECT start, \"end\", text, value, unit, kind FROM quantities"
                                 " WHERE doc_id = ? LIMIT ?", [doc_id, cap]),
    }
    for rows in out.values():
        rows.sort(key=lambda r: (r["start"], r["end"]))
    return out


def document_context(cur, doc_id: str, start: int, end: int, margin: int = 240) -> dict[str, Any] | None:
    """The words around [start, end) of a document's text, for the claim source panel."""
    lo = max(0, start - margin)
    return _one(
        cur,
        "SELECT doc_id, title, publisher, published, lang, length(text) AS length,"
        " substr(text, ? + 1, ?) AS before, substr(text, ? + 1, ?) AS span, substr(text, ? + 1, ?) AS after"
        " FROM documents WHERE doc_id = ? LIMIT 1",
        [lo, max(0, start - lo), start, max(0, end - start), end, margin, doc_id],
    )


# -- entities --------------------------------------------------------------------------------
def list_entities(cur, q: str | None, etype: str | None, limit: int = 50, offset: int = 0
                  ) -> tuple[list[dict[str, Any]], bool]:
    limit = bound(limit)
    clauses, params = ["entity_id IS NOT NULL"], []
    if etype:
        clauses.append("type = ?")
        params.append(etype)
    if q:
        clauses.append("(name ILIKE ? OR text ILIKE ?)")
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [like, like]
        clauses[-1] = "(name ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\')"
    rows = _rows(
        cur,
        "SELECT entity_id, mode() WITHIN GROUP (ORDER BY coalesce(name, text)) AS name, mode() WITHIN GROUP (ORDER BY type) AS type, count(*) AS mentions,"
        " count(DISTINCT doc_id) AS documents FROM entities WHERE " + " AND ".join(clauses) +
        " GROUP BY entity_id ORDER BY documents DESC, entity_id LIMIT ? OFFSET ?",
        params + [limit + 1, max(0, offset)],
    )
    return rows[:limit], len(rows) > limit


def get_entity(cur, entity_id: str) -> dict[str, Any] | None:
    row = _one(
        cur,
        "SELECT entity_id, mode() WITHIN GROUP (ORDER BY name) AS name, mode() WITHIN GROUP (ORDER BY type) AS type, count(*) AS mentions,"
        " count(DISTINCT doc_id) AS documents FROM entities WHERE entity_id = ? GROUP BY entity_id LIMIT 1",
        [entity_id],
    )
    return row


def entity_aliases(cur, entity_id: str, limit: int = 200) -> list[dict[str, Any]]:
    return _rows(
        cur,
        "SELECT e.text AS alias, coalesce(d.lang, 'und') AS lang, count(*) AS mentions"
        " FROM entities e JOIN documents d USING (doc_id) WHERE e.entity_id = ?"
        " GROUP BY e.text, d.lang ORDER BY mentions DESC, alias LIMIT ?",
        [entity_id, bound(limit, 1000)],
    )


def entity_timeline(cur, entity_id: str, limit: int = 240) -> list[dict[str, Any]]:
    return _rows(
        cur,
        "SELECT substr(d.published, 1, 7) AS month, count(*) AS mentions, count(DISTINCT d.doc_id) AS documents"
        " FROM entities e JOIN documents d USING (doc_id) WHERE e.entity_id = ? AND d.published IS NOT NULL"
        " GROUP BY month ORDER BY month LIMIT ?",
        [entity_id, bound(limit, 1000)],
    )


def entity_cooccurring(cur, entity_id: str, limit: int = 30) -> list[dict[str, Any]]:
    return _rows(
        cur,
        "WITH d AS (SELECT DISTINCT doc_id FROM entities WHERE entity_id = ? LIMIT ?)"
        " SELECT e.entity_id, mode() WITHIN GROUP (ORDER BY coalesce(e.name, e.text)) AS name, mode() WITHIN GROUP (ORDER BY e.type) AS type,"
        " count(DISTINCT e.doc_id) AS documents"
        " FROM entities e JOIN d USING (doc_id) WHERE e.entity_id IS NOT NULL AND e.entity_id <> ?"
        " GROUP BY e.entity_id ORDER BY documents DESC, e.entity_id LIMIT ?",
        [entity_id, MAX_FILTER_HITS, entity_id, bound(limit)],
    )


def entity_stories(cur, entity_id: str, limit: int = 50) -> list[dict[str, Any]]:
    return _rows(
        cur,
        "WITH d AS (SELECT DISTINCT doc_id FROM entities WHERE entity_id = ? LIMIT ?),"
        " s AS (SELECT cluster_id, unnest(doc_ids) AS doc_id FROM clusters WHERE level = 'story')"
        " SELECT c.cluster_id, c.title, c.start_date, c.end_date, coalesce(c.size, cardinality(c.doc_ids)) AS size, count(*) AS matched"
        " FROM s JOIN d USING (doc_id) JOIN clusters c USING (cluster_id)"
        " GROUP BY c.cluster_id, c.title, c.start_date, c.end_date, c.size, c.doc_ids"
        " ORDER BY matched DESC, c.end_date DESC NULLS LAST, c.cluster_id LIMIT ?",
        [entity_id, MAX_FILTER_HITS, bound(limit)],
    )


def entity_documents(cur, entity_id: str, limit: int = 20) -> list[dict[str, Any]]:
    return _rows(
        cur,
        "SELECT d.doc_id, d.title, d.publisher, d.published, d.lang FROM documents d"
        " WHERE d.doc_id IN (SELECT doc_id FROM entities WHERE entity_id = ?)"
        " ORDER BY d.published DESC NULLS LAST, d.doc_id LIMIT ?",
        [entity_id, bound(limit)],
    )


# -- runs -------------------------------------------------------------------------------------
def list_runs(cur, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], bool]:
    limit = bound(limit)
    rows = _rows(
        cur,
        "SELECT run_id, started_at, finished_at, inputs, documents_added, already_stored, rejected, status, stats"
        " FROM runs ORDER BY run_id DESC LIMIT ? OFFSET ?",
        [limit + 1, max(0, offset)],
    )
    for r in rows:
        _decode_run(r)
    _dead_runs(cur, rows)
    return rows[:limit], len(rows) > limit


def get_run(cur, run_id: int) -> dict[str, Any] | None:
    rows = _rows(
        cur,
        "SELECT run_id, started_at, finished_at, inputs, documents_added, already_stored, rejected, status, stats"
        " FROM runs WHERE run_id = ? LIMIT 1",
        [run_id],
    )
    if not rows:
        return None
    _dead_runs(cur, rows)
    return _decode_run(rows[0])


def _dead_runs(cur, rows: list[dict[str, Any]]) -> None:
    """Show a 'running' run as 'died' when no process holds the store's run lock (it was killed;
    the next ``analyze`` records that and finishes its work)."""
    if not any(r["status"] == "running" for r in rows):
        return
    from newsloom.store.lock import run_in_progress

    location = getattr(cur, "location", None)
    if location is None:  # a bare DuckDB cursor: the file it reads
        row = cur.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database() LIMIT 1",
                          []).fetchone()
        location = row[0] if row else None
    if location and not run_in_progress(location):
        for r in rows:
            if r["status"] == "running":
                r["status"] = "died"


def _decode_run(r: dict[str, Any]) -> dict[str, Any]:
    """``inputs`` as a list and ``stats`` as a dict (the API promises an object, whatever the store holds)."""
    r["inputs"] = list(r["inputs"] or [])
    try:
        stats = json.loads(r["stats"]) if r["stats"] else {}
    except ValueError:
        stats = None
    r["stats"] = stats if isinstance(stats, dict) else {"(unreadable)": r["stats"]}
    return r


def run_rejects(cur, run_id: int, limit: int = 200, offset: int = 0) -> tuple[list[dict[str, Any]], bool]:
    limit = bound(limit, 1000)
    rows = _rows(
        cur,
        "SELECT source, line, reason FROM rejects WHERE run_id = ? ORDER BY source, line LIMIT ? OFFSET ?",
        [run_id, limit + 1, max(0, offset)],
    )
    return rows[:limit], len(rows) > limit


def reject_reasons(cur, run_id: int, limit: int = 50) -> list[dict[str, Any]]:
    return _rows(
        cur,
        "SELECT reason, count(*) AS n FROM rejects WHERE run_id = ? GROUP BY reason ORDER BY n DESC, reason LIMIT ?",
        [run_id, bound(limit)],
    )


# -- search index feed -------------------------------------------------------------------------
def run_document_counts(cur) -> dict[int, int]:
    rows = cur.execute(
        "SELECT coalesce(run_id, 0), count(*) FROM documents GROUP BY 1 ORDER BY 1 LIMIT ?", [1_000_000]
    ).fetchall()
    return {int(a): int(b) for a, b in rows}


def documents_of_run(cur, run_id: int, after: str, limit: int) -> list[tuple]:
    """(doc_id, title, publisher, lang, published, text) of one run, in doc_id order, after a key."""
    return cur.execute(
        "SELECT doc_id, title, publisher, lang, published, text FROM documents"
        " WHERE coalesce(run_id, 0) = ? AND doc_id > ? ORDER BY doc_id LIMIT ?",
        [run_id, after, bound(limit, 10000)],
    ).fetchall()


def document_meta(cur, doc_ids: list[str], with_text: bool = False) -> dict[str, dict[str, Any]]:
    """title, publisher, published, lang, story_id (and the text, when asked) of documents by id."""
    sql = ("SELECT doc_id, title, publisher, published, lang, story_id, text FROM documents"
           " WHERE doc_id = ANY(?::VARCHAR[]) LIMIT ?") if with_text else (
        "SELECT doc_id, title, publisher, published, lang, story_id FROM documents"
        " WHERE doc_id = ANY(?::VARCHAR[]) LIMIT ?")
    rows = _rows(cur, sql, [doc_ids[:MAX_FILTER_HITS], MAX_FILTER_HITS])
    return {r["doc_id"]: r for r in rows}


# -- similar documents -------------------------------------------------------------------
MAX_SIMILAR_CANDIDATES = 5000
# no text here: candidates can be thousands; the shortlist's texts come from document_meta()
_SIMILAR_COLS = ("d.doc_id, d.title, d.lang, d.publisher, d.published, d.event_id, d.story_id,"
                 " d.duplicate_of, v.vector")


def pass_state(cur, name: str) -> dict[str, Any] | None:
    """A corpus pass's saved state (``pass_state`` table), decoded; None when absent."""
    from newsloom.store.state import loads

    if not _one(cur, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'pass_state' LIMIT 1")["n"]:
        return None  # a store from before migration 2
    row = _one(cur, "SELECT state FROM pass_state WHERE name = ? LIMIT 1", [name])
    return loads(bytes(row["state"])) if row else None


def similar_candidates(cur, doc_id: str, window_days: int = 30,
                       cap: int = MAX_SIMILAR_CANDIDATES) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """(the document, the originals with a story vector published within ``window_days`` of it).

    Undated documents compare with the most recent originals. At most ``cap`` candidates,
    nearest in time first, so the cost is bounded whatever the corpus size.
    """
    doc = _one(cur, "SELECT " + _SIMILAR_COLS + " FROM documents d LEFT JOIN vectors v USING (doc_id)"
               " WHERE d.doc_id = ? LIMIT 1", [doc_id])
    if doc is None:
        return None, []
    base = ("SELECT " + _SIMILAR_COLS + " FROM documents d JOIN vectors v USING (doc_id)"
            " WHERE d.duplicate_of IS NULL AND d.doc_id <> ? AND d.doc_id <> COALESCE(?, '')")
    params: list[Any] = [doc_id, doc["duplicate_of"]]
    if doc["published"]:
        day, pub = _dialect(cur).try_date("?"), _dialect(cur).try_date("d.published")
        rows = _rows(cur, base + f" AND {pub} BETWEEN {day} - ?::INTEGER AND {day} + ?::INTEGER"
                     f" ORDER BY abs({pub} - {day}), d.doc_id"
                     " LIMIT ?", params + [doc["published"][:10], window_days, doc["published"][:10], window_days,
                                           doc["published"][:10], cap])
    else:
        rows = _rows(cur, base + " ORDER BY d.published DESC NULLS LAST, d.doc_id LIMIT ?", params + [cap])
    return doc, rows



def entity_names_of_documents(cur, doc_ids: list[str]) -> list[tuple[str, str]]:
    """(entity id, alias) for the linked entities of these documents: each mention's text and
    each linked name (the search index's entity aliases)."""
    if not doc_ids:
        return []
    rows = cur.execute(
        "SELECT DISTINCT entity_id, text FROM entities WHERE entity_id IS NOT NULL"
        " AND doc_id IN (SELECT unnest(?::VARCHAR[])) LIMIT ?",
        [doc_ids, 200000],
    ).fetchall()
    names = cur.execute(
        "SELECT DISTINCT entity_id, name FROM entities WHERE entity_id IS NOT NULL AND name IS NOT NULL"
        " AND doc_id IN (SELECT unnest(?::VARCHAR[])) LIMIT ?",
        [doc_ids, 200000],
    ).fetchall()
    return [(e, t) for e, t in rows + names if t]
