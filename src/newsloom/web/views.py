"""What each page shows, as plain data: the HTML pages and the JSON API both call these.

Each function opens one short read-only lease on the store (``StoreReader.cursor``), runs its
bounded queries from ``queries`` and returns dicts. Sections whose tables are still empty
(clustering or claims not run yet) come back empty with a ``missing`` note naming what has
not run, never an error.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Any

from newsloom.web import places, queries
from newsloom.web.db import StoreReader
from newsloom.web.search import SearchIndex, query_words, snippet
from newsloom.web.textview import paragraphs, text_direction

MISSING = {
    "stories": "No stories yet: the story clustering pass has not run on this store.",
    "events": "No event clusters for this story yet: the event clustering pass has not run.",
    "claims": "No claims yet: the claim comparison pass has not run on this story.",
    "entities": "No entities yet: the entity recognition and linking stages have not run on these documents.",
    "places": "No places yet: no LOC entities in these documents.",
    "documents": "No documents yet: run `newsloom analyze` on some news files.",
}


def script_of(text: str) -> str:
    """The Unicode script of the first letter (LATIN, ARABIC, CYRILLIC, CJK, ...)."""
    for ch in text or "":
        if ch.isalpha():
            try:
                name = unicodedata.name(ch)
            except ValueError:
                return "UNKNOWN"
            return name.split(" ")[0]
    return "OTHER"


def status(reader: StoreReader, search: SearchIndex | None) -> dict[str, Any]:
    with reader.cursor() as cur:
        counts = queries.table_counts(cur)
    out: dict[str, Any] = {"store": reader.path, "counts": counts}
    if search is not None:
        st = search.status
        out["search_index"] = {"path": str(search.path), "indexed": st.indexed, "in_store": counts["documents"],
                               "building": st.building, "error": st.error}
    return out


def resolve_text_filter(search: SearchIndex | None, flt: queries.DocFilter, q: str | None) -> str | None:
    """Turn the text search box into a bounded doc_ids filter; returns a note when search is unavailable."""
    if not q:
        return None
    if search is None:
        flt.doc_ids = []
        return "Full-text search is disabled on this server."
    ids = search.doc_ids(q, lang=flt.lang)
    flt.doc_ids = ids if ids is not None else None
    st = search.status
    if not st.complete:
        return f"The search index covers {st.indexed} of {st.in_store or '?'} documents (still indexing)."
    return None


def stories(reader: StoreReader, search: SearchIndex | None, flt: queries.DocFilter, q: str | None,
            sort: str, limit: int, offset: int) -> dict[str, Any]:
    note = resolve_text_filter(search, flt, q)
    with reader.cursor() as cur:
        have = queries.has_table_rows(cur, "stories")
        have_docs = queries.has_table_rows(cur, "documents")
        rows, more = queries.list_stories(cur, flt, sort, limit, offset) if have else ([], False)
    missing = None
    if not have_docs:
        missing = MISSING["documents"]
    elif not have:
        missing = MISSING["stories"]
    return {"items": rows, "limit": limit, "offset": offset, "next_offset": offset + limit if more else None,
            "missing": missing, "note": note}


def documents(reader: StoreReader, search: SearchIndex | None, flt: queries.DocFilter, q: str | None,
              limit: int, offset: int) -> dict[str, Any]:
    note = resolve_text_filter(search, flt, q)
    with reader.cursor() as cur:
        rows, more = queries.list_documents(cur, flt, limit, offset)
        have_docs = bool(rows) or queries.has_table_rows(cur, "documents")
    return {"items": rows, "limit": limit, "offset": offset, "next_offset": offset + limit if more else None,
            "missing": None if have_docs else MISSING["documents"], "note": note}


def facets(reader: StoreReader) -> dict[str, Any]:
    with reader.cursor() as cur:
        return queries.facets(cur)


def story(reader: StoreReader, cluster_id: str) -> dict[str, Any] | None:
    with reader.cursor() as cur:
        head = queries.get_story(cur, cluster_id)
        if head is None:
            return None
        docs = queries.story_documents(cur, cluster_id)
        events = queries.story_events(cur, cluster_id)
        mentions = queries.story_event_mentions(cur, cluster_id)
        days = queries.story_days(cur, cluster_id) if not events else []
        cols = queries.entity_columns(cur)
        locs = queries.story_places(cur, cluster_id, cols)
        ents = queries.story_entities(cur, cluster_id)
        claims = queries.story_claims(cur, cluster_id)
    by_doc = {d["doc_id"]: d for d in docs}
    for d in docs:
        d["dir"] = text_direction(d.get("lang"))
    located, unlocated = [], []
    for p in locs:
        lat, lon = p.pop("lat", None), p.pop("lon", None)
        place = None
        if lat is not None and lon is not None:
            place = places.Place(lat=float(lat), lon=float(lon), country=None, precision="store")
        elif p["linked"]:
            place = places.resolve(p["entity_id"])
        if place is None:
            unlocated.append(p)
        else:
            located.append({**p, "lat": place.lat, "lon": place.lon, "country": place.country,
                            "precision": place.precision})
    for c in claims:
        for key in ("sources", "contradicting"):
            for s in c[key]:
                meta = by_doc.get(s.get("doc_id"), {})
                s["publisher"] = meta.get("publisher")
                s["lang"] = meta.get("lang")
                s["published"] = meta.get("published")
    status_counts = Counter(c["status"] for c in claims)
    return {
        "story": head,
        "documents": docs,
        "languages": sorted({d["lang"] for d in docs if d.get("lang")}),
        "outlets": sorted({d["publisher"] for d in docs if d.get("publisher")}),
        "timeline": {"events": events, "days": days, "event_mentions": mentions},
        "places": located,
        "unplaced": unlocated,
        "entities": ents,
        "claims": claims,
        "claim_counts": dict(status_counts),
        "missing": {
            "events": None if events else MISSING["events"],
            "claims": None if claims else MISSING["claims"],
            "places": None if (located or unlocated) else (MISSING["places"] if ents else MISSING["entities"]),
        },
    }


def document(reader: StoreReader, doc_id: str, highlight: tuple[int, int] | None = None) -> dict[str, Any] | None:
    with reader.cursor() as cur:
        doc = queries.get_document(cur, doc_id)
        if doc is None:
            return None
        spans = queries.document_spans(cur, doc_id)
        story_head = queries.get_story(cur, doc["story_id"]) if doc.get("story_id") else None
    return {"document": doc, "spans": spans, "story": story_head,
            "paragraphs": paragraphs(doc, spans, highlight), "dir": text_direction(doc.get("lang")),
            "missing": None if any(spans.values()) else MISSING["entities"]}


def context(reader: StoreReader, doc_id: str, start: int, end: int) -> dict[str, Any] | None:
    with reader.cursor() as cur:
        row = queries.document_context(cur, doc_id, start, end)
    if row is None:
        return None
    row["start"], row["end"] = start, end
    row["dir"] = text_direction(row.get("lang"))
    return row


def entities(reader: StoreReader, q: str | None, etype: str | None, limit: int, offset: int) -> dict[str, Any]:
    with reader.cursor() as cur:
        rows, more = queries.list_entities(cur, q, etype, limit, offset)
        have = bool(rows) or queries.has_table_rows(cur, "entities")
    return {"items": rows, "limit": limit, "offset": offset, "next_offset": offset + limit if more else None,
            "missing": None if have else MISSING["entities"]}


def entity(reader: StoreReader, entity_id: str) -> dict[str, Any] | None:
    with reader.cursor() as cur:
        head = queries.get_entity(cur, entity_id)
        if head is None:
            return None
        aliases = queries.entity_aliases(cur, entity_id)
        timeline = queries.entity_timeline(cur, entity_id)
        cooc = queries.entity_cooccurring(cur, entity_id)
        stories_ = queries.entity_stories(cur, entity_id)
        docs = queries.entity_documents(cur, entity_id)
    by_lang: dict[str, list[dict[str, Any]]] = {}
    for a in aliases:
        a["script"] = script_of(a["alias"])
        a["dir"] = text_direction(a["lang"])
        by_lang.setdefault(a["lang"], []).append(a)
    place = places.resolve(entity_id) if head.get("type") == "LOC" else None
    peak = max((t["mentions"] for t in timeline), default=0)
    return {"entity": head, "aliases": aliases, "aliases_by_lang": by_lang, "timeline": timeline,
            "timeline_peak": peak, "cooccurring": cooc, "stories": stories_, "documents": docs,
            "place": None if place is None else {"lat": place.lat, "lon": place.lon, "country": place.country},
            "missing": {"stories": None if stories_ else MISSING["stories"]}}


def search(reader: StoreReader, index: SearchIndex | None, q: str, lang: str | None, limit: int, offset: int
           ) -> dict[str, Any]:
    if index is None:
        return {"q": q, "items": [], "entities": [], "limit": limit, "offset": offset, "next_offset": None,
                "note": "Full-text search is disabled on this server.", "index": None}
    hits, more = index.search(q, lang, limit, offset) if q else ([], False)
    ent_ids = index.entities(q) if q else []
    words = query_words(q)
    ents: list[dict[str, Any]] = []
    if hits or ent_ids:
        with reader.cursor() as cur:
            meta = queries.document_meta(cur, [h.doc_id for h in hits]) if hits else {}
            texts = queries.document_texts(cur, [h.doc_id for h in hits]) if hits else {}
            for eid in ent_ids:
                e = queries.get_entity(cur, eid)
                if e:
                    ents.append(e)
        for h in hits:
            m = meta.get(h.doc_id, {})
            h.title, h.publisher, h.published = m.get("title"), m.get("publisher"), m.get("published")
            h.lang, h.story_id = m.get("lang"), m.get("story_id")
            h.snippet = snippet(texts.get(h.doc_id, ""), words)
    st = index.status
    note = None
    if not st.complete:
        note = (f"The search index covers {st.indexed} of {st.in_store or '?'} documents (still indexing)."
                if not st.error else f"The search index could not be updated: {st.error}")
    items = [{"doc_id": h.doc_id, "rank": h.rank, "title": h.title, "publisher": h.publisher,
              "published": h.published, "lang": h.lang, "dir": text_direction(h.lang), "story_id": h.story_id,
              "snippet": [{"text": t, "match": m} for t, m in h.snippet]} for h in hits]
    return {"q": q, "items": items, "entities": ents, "limit": limit, "offset": offset,
            "next_offset": offset + limit if more else None, "note": note,
            "index": {"indexed": st.indexed, "in_store": st.in_store, "building": st.building}}


def runs(reader: StoreReader, limit: int, offset: int) -> dict[str, Any]:
    with reader.cursor() as cur:
        rows, more = queries.list_runs(cur, limit, offset)
    return {"items": rows, "limit": limit, "offset": offset, "next_offset": offset + limit if more else None}


def run(reader: StoreReader, run_id: int, limit: int, offset: int) -> dict[str, Any] | None:
    with reader.cursor() as cur:
        head = queries.get_run(cur, run_id)
        if head is None:
            return None
        rejects, more = queries.run_rejects(cur, run_id, limit, offset)
        reasons = queries.reject_reasons(cur, run_id)
    return {"run": head, "rejects": rejects, "reasons": reasons, "limit": limit, "offset": offset,
            "next_offset": offset + limit if more else None}
