"""What each page shows, as plain data: the HTML pages and the JSON API both call these.

Each function opens one short read-only lease on the store (``StoreReader.cursor``), runs its
bounded queries from ``queries`` and returns dicts. Sections whose tables are still empty
(clustering or claims not run yet) come back empty with a ``missing`` note naming what has
not run, never an error.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import Counter
from typing import Any

from newsloom.web import places, queries
from newsloom.web.cache import uncacheable
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
    out: dict[str, Any] = {"store": reader.path, "counts": counts, "search_index": None}
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


class VersionCache:
    """Values computed from the whole store, kept until the store changes (its file signature).

    The story list needs every story's size, languages and outlets; computing them costs a pass
    over the documents, so it is done once per store version, not once per request. While
    `newsloom analyze` writes, the previous version's value is served until the new one is ready.
    """

    def __init__(self, reader: StoreReader) -> None:
        self.reader = reader
        self._values: dict[str, tuple[tuple, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str, compute) -> Any:
        sig = self.reader.signature()
        hit = self._values.get(key)
        if hit and hit[0] == sig:
            return hit[1]
        if hit and not self._lock.acquire(blocking=False):
            uncacheable()  # the response shows the previous version: not to be kept as this one's
            return hit[1]  # another request is recomputing: serve the previous version meanwhile
        if not hit:
            self._lock.acquire()
        try:
            hit = self._values.get(key)
            if hit and hit[0] == sig:
                return hit[1]
            with self.reader.cursor() as cur:
                value = compute(cur)
            self._values[key] = (sig, value)
            return value
        finally:
            self._lock.release()


def _sort_key(sort: str):
    if sort == "size":
        return lambda s: (-s["size"], _neg(s["end_date"]), s["cluster_id"])
    return lambda s: (s["end_date"] is None, _neg(s["end_date"]), -s["size"], s["cluster_id"])


def _neg(value: str | None) -> tuple:
    """Sort ISO strings descending inside an ascending key."""
    return tuple(-ord(ch) for ch in (value or ""))


def _story_index(cur) -> dict[str, Any]:
    rows = queries.story_summaries(cur)
    for r in rows:
        r["languages"] = r["languages"] or []
        r["outlets"] = r["outlets"] or []
        r["lang_counts"] = dict(r["lang_counts"] or {})
        r["outlet_counts"] = dict(r["outlet_counts"] or {})
    return {"rows": rows, "sorted": {k: sorted(rows, key=_sort_key(k)) for k in queries.SORTS}}


def stories(reader: StoreReader, search: SearchIndex | None, flt: queries.DocFilter, q: str | None,
            sort: str, limit: int, offset: int, cache: VersionCache | None = None) -> dict[str, Any]:
    note = resolve_text_filter(search, flt, q)
    limit = queries.bound(limit)
    sort = sort if sort in queries.SORTS else "recent"
    if cache is None:
        with reader.cursor() as cur:
            have = queries.has_table_rows(cur, "stories")
            have_docs = queries.has_table_rows(cur, "documents")
            rows, more = queries.list_stories(cur, flt, sort, limit, offset) if have else ([], False)
    else:
        index = cache.get("stories", _story_index)
        have = bool(index["rows"])
        have_docs = have or cache.get("has_documents", lambda cur: queries.has_table_rows(cur, "documents"))
        ordered = index["sorted"][sort]
        simple = not (flt.date_from or flt.date_to or flt.entity or flt.doc_ids is not None)
        if flt.active() and have and simple and not (flt.lang and flt.outlet):
            # one language or one outlet: answered from the cached per-story counts
            key, value = ("lang_counts", flt.lang) if flt.lang else ("outlet_counts", flt.outlet)
            ordered = [{**s, "matched": s[key][value]} for s in ordered if s[key].get(value)]
        elif flt.active() and have:
            with reader.cursor() as cur:
                matched = queries.matching_stories(cur, flt)
            ordered = [{**s, "matched": matched[s["cluster_id"]]} for s in ordered if s["cluster_id"] in matched]
        page = ordered[offset:offset + limit + 1]
        more = len(page) > limit
        rows = []
        for s in page[:limit]:
            row = {k: v for k, v in s.items() if k not in ("lang_counts", "outlet_counts")}
            rows.append({**row, "matched": s.get("matched"), "outlets": s["outlets"][:12],
                         "outlet_count": len(s["outlets"])})
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


def facets(reader: StoreReader, cache: VersionCache | None = None) -> dict[str, Any]:
    if cache is not None:
        return cache.get("facets", queries.facets)
    with reader.cursor() as cur:
        return queries.facets(cur)


def _aggregate_entities(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(places, linked entities) of a story from its mention rows, most documents first."""
    groups: dict[tuple[str, bool], dict[str, Any]] = {}
    for r in rows:
        linked = r["entity_id"] is not None
        key = r["entity_id"] if linked else "text:" + (r["text"] or "").lower()
        g = groups.setdefault((key, linked), {"entity_id": key, "linked": linked, "names": Counter(),
                                              "types": Counter(), "docs": set(), "mentions": 0,
                                              "lat": None, "lon": None})
        g["names"][r["name"]] += 1
        g["types"][r["type"]] += 1
        g["docs"].add(r["doc_id"])
        g["mentions"] += 1
        if r.get("lat") is not None and r.get("lon") is not None:
            g["lat"], g["lon"] = r["lat"], r["lon"]
    out = []
    for g in groups.values():
        out.append({"entity_id": g["entity_id"], "linked": g["linked"], "name": g["names"].most_common(1)[0][0],
                    "type": g["types"].most_common(1)[0][0], "mentions": g["mentions"], "documents": len(g["docs"]),
                    "lat": g["lat"], "lon": g["lon"]})
    out.sort(key=lambda g: (-g["documents"], -g["mentions"], g["entity_id"]))
    places_ = [g for g in out if g["type"] == "LOC"][:200]
    linked = [{k: g[k] for k in ("entity_id", "name", "type", "documents")} for g in out if g["linked"]][:40]
    return places_, linked


_COLUMNS: dict[str, tuple[tuple, set[str]]] = {}


def _entity_columns(reader: StoreReader, cur) -> set[str]:
    """The entities table's columns, read once per store version (the schema changes only by migration)."""
    sig = reader.signature()
    hit = _COLUMNS.get(reader.path)
    if hit is None or hit[0] != sig:
        hit = _COLUMNS[reader.path] = (sig, queries.entity_columns(cur))
    return hit[1]


def renamed_story(reader: StoreReader, cluster_id: str) -> str | None:
    """Where a story or event id that no longer exists went (an earlier report renamed it)."""
    with reader.cursor() as cur:
        return queries.renamed_to(cur, cluster_id)


def story(reader: StoreReader, cluster_id: str) -> dict[str, Any] | None:
    with reader.cursor() as cur:
        head = queries.get_story(cur, cluster_id)
        if head is None:
            return None
        doc_ids = list(head.pop("doc_ids") or [])
        docs = queries.story_documents(cur, doc_ids)
        events = queries.story_events(cur, cluster_id)
        mentions = queries.story_event_mentions(cur, doc_ids)
        ent_rows = queries.story_entity_rows(cur, doc_ids, _entity_columns(reader, cur))
        claims = queries.story_claims(cur, [cluster_id] + [e["cluster_id"] for e in events])
    days: list[dict[str, Any]] = []
    if not events:
        per_day: dict[str, dict[str, Any]] = {}
        for d in docs:
            if d.get("published") and not d.get("duplicate_of"):  # a copy counts once, as everywhere
                g = per_day.setdefault(d["published"][:10], {"day": d["published"][:10], "size": 0, "outlets": []})
                g["size"] += 1
                if d.get("publisher") and d["publisher"] not in g["outlets"]:
                    g["outlets"].append(d["publisher"])
        days = [per_day[k] for k in sorted(per_day)]
    locs, ents = _aggregate_entities(ent_rows)
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
        if story_head:
            story_head.pop("doc_ids", None)
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
    ents = index.entities(q) if q else []
    words = query_words(q)
    if hits:
        with reader.cursor() as cur:
            meta = queries.document_meta(cur, [h.doc_id for h in hits], with_text=True)  # one query
        for h in hits:
            m = meta.get(h.doc_id, {})
            h.title, h.publisher, h.published = m.get("title"), m.get("publisher"), m.get("published")
            h.lang, h.story_id = m.get("lang"), m.get("story_id")
            h.snippet = snippet(m.get("text") or "", words)
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


_STATS_MEMO: dict[str, tuple[Any, Any]] = {}
_STATS_LOCK = threading.Lock()


def _similarity_stats(reader: StoreReader, cur):
    """The similarity pass's corpus statistics, decoded once per store version (they can be MBs)."""
    from newsloom.corpus.similarity import CorpusStats

    version = reader.signature()
    with _STATS_LOCK:
        hit = _STATS_MEMO.get(str(reader.path))
        if hit is not None and hit[0] == version:
            return hit[1]
    saved = queries.pass_state(cur, "similarity")
    stats = CorpusStats.from_state(saved) if saved else None
    with _STATS_LOCK:
        _STATS_MEMO[str(reader.path)] = (version, stats)
    return stats


def similar(reader: StoreReader, doc_id: str, limit: int = 10, shortlist: int = 50) -> dict[str, Any] | None:
    """Documents that tell the same story as ``doc_id``, most similar first.

    Candidates are the originals published within 30 days (``queries.similar_candidates``);
    the ``shortlist`` nearest by story-vector cosine are scored with
    ``newsloom.corpus.similarity.document_similarity`` (centred cosine + tf-idf of content
    words, with the corpus statistics the similarity pass keeps) - the same score that
    ``benchmarks/semeval_similarity.py`` measures against human judgements.
    """
    import numpy as np

    from newsloom.corpus.similarity import SimFeatures, content_words, similarity_matrix

    with reader.cursor() as cur:
        doc, cands = queries.similar_candidates(cur, doc_id)
        if doc is None:
            return None
        short: list[dict[str, Any]] = []
        if cands and doc.get("vector") is not None:
            me = np.asarray(doc["vector"], dtype=np.float32)
            mat = np.asarray([c["vector"] for c in cands], dtype=np.float32)
            short = [cands[i] for i in np.argsort(-(mat @ me), kind="stable")[:shortlist]]
        meta = queries.document_meta(cur, [doc_id] + [c["doc_id"] for c in short], with_text=True) if short else {}
        stats = _similarity_stats(reader, cur) if short else None

    def feats(r: dict[str, Any]) -> SimFeatures:
        vec = np.asarray(r["vector"], dtype=np.float32) if r.get("vector") is not None else None
        return SimFeatures(vector=vec, lang=r["lang"], words=content_words(r["title"], meta.get(r["doc_id"], {}).get("text")))

    items: list[dict[str, Any]] = []
    if short:
        scores = similarity_matrix([feats(doc)], [feats(c) for c in short], stats)[0]
        for c, s in sorted(zip(short, scores), key=lambda cs: (-cs[1], cs[0]["doc_id"]))[: queries.bound(limit)]:
            items.append({k: c[k] for k in ("doc_id", "title", "lang", "publisher", "published", "event_id", "story_id")}
                         | {"similarity": round(float(s), 3), "same_event": c["event_id"] == doc["event_id"],
                            "same_story": c["story_id"] == doc["story_id"]})
    return {"doc_id": doc_id, "items": items, "statistics": stats is not None,
            "note": None if doc.get("vector") is not None else "this document has no story vector"}
