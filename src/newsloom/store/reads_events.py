"""Read queries of the story page's events, framing and indicators sections (issues 10 and 11), in the
same conventions as ``store.reads``: read-only, parameterised, each bounded by a LIMIT, written once
for DuckDB and PostgreSQL (``?`` placeholders, ``= ANY(?::VARCHAR[])``), taking a read cursor
(``web.db.StoreReader.cursor``) and returning plain dicts.
"""

from __future__ import annotations

from typing import Any

from newsloom.store.reads import MAX_DOCS_PER_STORY, MAX_FILTER_HITS, _rows, bound

MAX_EVENTS = 5000  # event rows read per story (pages are cut from them)
SENTENCE_CHARS = 400  # the sentence text shown with an event, at most


def has_events(cur) -> bool:
    return bool(cur.execute("SELECT EXISTS (SELECT 1 FROM events)", []).fetchone()[0])


def has_framing(cur) -> bool:
    return bool(cur.execute("SELECT EXISTS (SELECT 1 FROM framing)", []).fetchone()[0])


def story_event_rows(cur, doc_ids: list[str]) -> list[dict[str, Any]]:
    """The coded events of these documents (copies left out: a republication says nothing new), each
    with its trigger words, its sentence (cut at ``SENTENCE_CHARS``) and its document's outlet,
    language and day; the event and story ids are the document's when the row has none (as the
    export gives them). In date order (undated last), then document and offset: sorted here, an
    ORDER BY would make DuckDB scan the events table instead of looking ``doc_id`` up."""
    rows = _rows(
        cur,
        "SELECT e.event_mention_id, e.doc_id, e.start, e.\"end\", e.type, e.mode, e.negated, e.actor, e.target,"
        " e.location, e.date, e.quantities, e.trigger_start, e.trigger_end, e.actor_country, e.target_country,"
        " coalesce(e.event_id, d.event_id) AS event_id, coalesce(e.story_id, d.story_id) AS story_id,"
        " substr(d.text, e.trigger_start + 1, greatest(e.trigger_end - e.trigger_start, 0)) AS trigger,"
        " substr(d.text, e.start + 1, least(greatest(e.\"end\" - e.start, 0), ?)) AS sentence,"
        " e.\"end\" - e.start > ? AS sentence_cut,"
        " d.publisher, d.lang, d.published"
        " FROM events e JOIN documents d ON d.doc_id = e.doc_id"
        " WHERE e.doc_id = ANY(?::VARCHAR[]) AND d.duplicate_of IS NULL LIMIT ?",
        [SENTENCE_CHARS, SENTENCE_CHARS, doc_ids[:MAX_DOCS_PER_STORY], MAX_EVENTS],
    )
    for r in rows:
        r["negated"] = bool(r["negated"])
        r["quantities"] = [list(q) for q in r["quantities"] or []]
    rows.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["published"] or "", r["doc_id"], r["start"],
                             r["trigger_start"] or 0, r["event_mention_id"]))
    return rows


def quantity_texts(cur, doc_ids: list[str]) -> dict[tuple[str, int, int], dict[str, Any]]:
    """(doc_id, start, end) -> the quantity mention there (text, value, unit, kind), for events' quantities."""
    rows = _rows(cur, "SELECT doc_id, start, \"end\", text, value, unit, kind FROM quantities"
                      " WHERE doc_id = ANY(?::VARCHAR[]) LIMIT ?", [doc_ids[:MAX_DOCS_PER_STORY], 50_000])
    return {(r["doc_id"], r["start"], r["end"]): r for r in rows}


def entity_names(cur, entity_ids: list[str]) -> dict[str, str]:
    """entity id -> its most frequent name (the linked name, else the words)."""
    if not entity_ids:
        return {}
    rows = cur.execute(
        "SELECT entity_id, mode() WITHIN GROUP (ORDER BY coalesce(name, text)) FROM entities"
        " WHERE entity_id = ANY(?::VARCHAR[]) GROUP BY entity_id LIMIT ?",
        [entity_ids[:MAX_FILTER_HITS], MAX_FILTER_HITS],
    ).fetchall()
    return {e: n for e, n in rows if n}


def framing_of_documents(cur, doc_ids: list[str], limit: int = 2000) -> list[dict[str, Any]]:
    """The framing rows (outlet, language, loaded term, neutral counterpart) that name any of these
    documents, with the named documents among them (``story_doc_ids``)."""
    rows = _rows(
        cur,
        "SELECT publisher, lang, term, neutral, count, doc_ids FROM framing"
        " WHERE EXISTS (SELECT 1 FROM unnest(doc_ids) AS u(doc_id) WHERE u.doc_id = ANY(?::VARCHAR[])) LIMIT ?",
        [doc_ids[:MAX_DOCS_PER_STORY], bound(limit, 10_000)],
    )
    mine = set(doc_ids)
    for r in rows:
        r["doc_ids"] = list(r["doc_ids"] or [])
        r["story_doc_ids"] = [d for d in r["doc_ids"] if d in mine]
    rows.sort(key=lambda r: (r["publisher"] or "", r["lang"] or "", r["term"]))
    return rows


def document_texts(cur, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
    """doc_id -> (text, lang) of a few documents (the callers bound the list)."""
    rows = _rows(cur, "SELECT doc_id, lang, text FROM documents WHERE doc_id = ANY(?::VARCHAR[]) LIMIT ?",
                 [doc_ids[:200], 200])
    return {r["doc_id"]: r for r in rows}


def quantity_claims_of(cur, cluster_ids: list[str], limit: int = 5000) -> list[dict[str, Any]]:
    """The quantity claims of these clusters with their cluster's level, parent story and title: the
    rows ``claims.indicators.series`` takes (as ``store.claims_tables.claims_with_clusters`` gives them)."""
    rows = _rows(
        cur,
        "SELECT c.claim_id, c.cluster_id, c.statement, c.value, c.status, c.sources, c.contradicting, c.kind,"
        " c.subject, c.quantity_kind, c.date, c.independent_sources,"
        " k.level AS level, k.parent AS parent, k.title AS cluster_title"
        " FROM claims c LEFT JOIN clusters k ON k.cluster_id = c.cluster_id"
        " WHERE c.cluster_id = ANY(?::VARCHAR[]) AND c.kind = 'quantity' LIMIT ?",
        [cluster_ids[:1001], bound(limit, 20_000)],
    )
    for r in rows:
        r["sources"] = list(r["sources"] or [])
        r["contradicting"] = list(r["contradicting"] or [])
        r["subject"] = list(r["subject"] or [])
    rows.sort(key=lambda r: (r["cluster_id"], r["claim_id"]))
    return rows


def published_days(cur, doc_ids: list[str]) -> dict[str, str | None]:
    """doc_id -> its ``published`` value, for the documents claims cite."""
    rows = cur.execute("SELECT doc_id, published FROM documents WHERE doc_id = ANY(?::VARCHAR[]) LIMIT ?",
                       [doc_ids[:MAX_FILTER_HITS], MAX_FILTER_HITS]).fetchall()
    return {d: p for d, p in rows}


def claim_fields(cur, claim_ids: list[str]) -> dict[str, dict[str, Any]]:
    """claim id -> its kind (quantity, event, statement), quantity kind, date and number of
    independent outlets: the claims columns the story's claims table shows beside the statement."""
    if not claim_ids:
        return {}
    rows = _rows(cur, "SELECT claim_id, kind, quantity_kind, date, independent_sources FROM claims"
                      " WHERE claim_id = ANY(?::VARCHAR[]) LIMIT ?", [claim_ids[:5000], 5000])
    return {r.pop("claim_id"): r for r in rows}
