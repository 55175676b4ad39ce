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

from newsloom.store import reads_events
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
    "coded_events": "No coded events yet: the events stage has not run on these documents.",
    "coded_events_story": "The events stage found no event (who did what to whom) in this story's documents.",
    "framing": "No framing counts yet: the claims pass (framing) has not run on this store.",
    "framing_story": "None of the loaded terms listed for these languages appear in this story's documents.",
    "indicators": "No figures over time: the claims pass has not run on this story.",
    "indicators_story": "No figure (killed, injured, displaced, troops, ...) is stated as a claim in this story's events.",
}
EVENTS_SHOWN = 200  # event rows on the story page and in its API answer; /api/stories/{id}/events pages on


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
        clusters = [cluster_id] + [e["cluster_id"] for e in events]
        claims = queries.story_claims(cur, clusters)
        extra = reads_events.claim_fields(cur, [c["claim_id"] for c in claims])
        for c in claims:
            c.update(extra.get(c["claim_id"]) or dict.fromkeys(("kind", "quantity_kind", "date", "independent_sources")))
        coded = _coded_events(cur, doc_ids)
        framing = _framing(cur, doc_ids, docs)
        charts = _indicators(cur, cluster_id, clusters, docs)
        names = reads_events.entity_names(cur, sorted(
            {s["attributed_to"] for c in claims for k in ("sources", "contradicting") for s in c[k]
             if s.get("attributed_to") and ":" in s["attributed_to"]}))
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
                s["attributed_name"] = names.get(s.get("attributed_to") or "")
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
        "coded_events": coded["items"][:EVENTS_SHOWN],
        "coded_events_total": len(coded["items"]),
        "framing": framing["outlets"],
        "indicators": charts["charts"],
        "missing": {
            "events": None if events else MISSING["events"],
            "claims": None if claims else MISSING["claims"],
            "coded_events": coded["missing"],
            "framing": framing["missing"],
            "indicators": charts["missing"],
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


# -- events, framing and indicators of a story (issues 10 and 11) ------------------------------
MODES = {"asserted": "happened", "planned": "planned", "demanded": "demanded", "denied": "denied",
         "hypothetical": "if"}


def _coded_events(cur, doc_ids: list[str]) -> dict[str, Any]:
    """The story's event rows (who did what to whom, where, when), with names for the entity ids,
    the figures of each sentence, and the empty state naming what has not run."""
    rows = reads_events.story_event_rows(cur, doc_ids) if doc_ids else []
    if not rows:
        return {"items": [], "missing": MISSING["coded_events_story"] if reads_events.has_events(cur)
                else MISSING["coded_events"]}
    ids = sorted({r[k] for r in rows for k in ("actor", "target", "location") if r[k]})
    names = reads_events.entity_names(cur, ids)
    figures = reads_events.quantity_texts(cur, sorted({r["doc_id"] for r in rows if r["quantities"]}))
    for r in rows:
        for k in ("actor", "target", "location"):
            r[f"{k}_name"] = names.get(r[k]) if r[k] else None
        r["figures"] = [{k: q[k] for k in ("start", "end", "text", "value", "unit", "kind")}
                        for s, e in r["quantities"] if (q := figures.get((r["doc_id"], s, e)))]
        r["dir"] = text_direction(r.get("lang"))
    return {"items": rows, "missing": None}


def story_events(reader: StoreReader, cluster_id: str, limit: int, offset: int,
                 etype: str | None = None, mode: str | None = None) -> dict[str, Any] | None:
    """A page of a story's coded events (the story page's table), optionally of one type or mode."""
    limit = queries.bound(limit)
    with reader.cursor() as cur:
        head = queries.get_story(cur, cluster_id)
        if head is None:
            return None
        data = _coded_events(cur, list(head.get("doc_ids") or []))
    rows = [r for r in data["items"] if (not etype or r["type"] == etype) and (not mode or r["mode"] == mode)]
    page = rows[offset:offset + limit]
    return {"story_id": cluster_id, "items": page, "total": len(rows), "limit": limit, "offset": offset,
            "next_offset": offset + limit if offset + limit < len(rows) else None, "missing": data["missing"]}


def _framing(cur, doc_ids: list[str], docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Loaded terms per outlet in this story's documents (the framing table's rows that name them),
    each term linked to its first use in a document (found again with the claims pass's own
    ``claims.framing.term_finder``)."""
    from newsloom.claims.framing import term_finder

    rows = reads_events.framing_of_documents(cur, doc_ids) if doc_ids else []
    if not rows:
        return {"outlets": [], "missing": MISSING["framing_story"] if reads_events.has_framing(cur)
                else MISSING["framing"]}
    texts = reads_events.document_texts(cur, sorted({d for r in rows for d in r["story_doc_ids"]}))
    per_outlet: dict[tuple[str | None, str | None], dict[str, Any]] = {}
    for d in docs:
        key = (d.get("publisher"), d.get("lang"))
        per_outlet.setdefault(key, {"publisher": key[0], "lang": key[1], "documents": 0, "terms": []})
        per_outlet[key]["documents"] += 1
    for r in rows:
        key = (r["publisher"], r["lang"])
        group = per_outlet.setdefault(key, {"publisher": key[0], "lang": key[1], "documents": 0, "terms": []})
        uses = []
        for doc_id in r["story_doc_ids"]:
            doc = texts.get(doc_id)
            hit = next((h for h in term_finder(doc["lang"]).find(doc["text"] or "") if h.term == r["term"]),
                       None) if doc else None
            uses.append({"doc_id": doc_id, "start": hit.start if hit else None, "end": hit.end if hit else None,
                         "text": (doc["text"] or "")[hit.start:hit.end] if hit and doc else None})
        group["terms"].append({"term": r["term"], "neutral": r["neutral"], "documents": len(r["story_doc_ids"]),
                               "count_all": r["count"], "uses": uses})
    outlets = [g for g in per_outlet.values() if g["terms"]]
    outlets += [g for g in per_outlet.values() if not g["terms"]]  # outlets that used none: neutral wording
    for g in outlets:
        g["dir"] = text_direction(g["lang"])
        g["listed"] = term_finder(g["lang"]).pattern is not None  # the language has a list of loaded terms
        g["loaded_documents"] = len({u["doc_id"] for t in g["terms"] for u in t["uses"]})
    outlets.sort(key=lambda g: (not g["terms"], -g["loaded_documents"], g["publisher"] or "", g["lang"] or ""))
    return {"outlets": outlets, "missing": None}


CHART = {"width": 560, "height": 220, "left": 64, "right": 16, "top": 14, "bottom": 34}
MAX_CHARTS = 6
SHAPES = ("circle", "square", "diamond", "triangle")


def _ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    import math

    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step) * step
    out, v = [], first
    while not out or out[-1] < hi:  # the last tick at or above the highest value
        out.append(round(v, 10))
        v += step
    return out


def _chart(points: list[Any], sources: dict[tuple[str, str], dict[str, Any]], outlets: dict[str, int]
           ) -> dict[str, Any]:
    """Inline-SVG geometry of one series: days on x (by date), values on y from 0, one mark per
    outlet and value (shape and colour by outlet), the low-high range shaded."""
    from datetime import date

    w, h = CHART["width"], CHART["height"]
    x0, x1, y0, y1 = CHART["left"], w - CHART["right"], h - CHART["bottom"], CHART["top"]
    days = sorted({p.date for p in points})
    ordinals = {d: date.fromisoformat(d[:10]).toordinal() for d in days}
    lo_day, hi_day = min(ordinals.values()), max(ordinals.values())
    span = max(hi_day - lo_day, 1)

    def x(day: str) -> float:
        if hi_day == lo_day:
            return round((x0 + x1) / 2, 1)
        return round(x0 + 18 + (ordinals[day] - lo_day) / span * (x1 - x0 - 36), 1)

    ticks = _ticks(0, max(p.high for p in points))
    top = ticks[-1] or 1

    def y(v: float) -> float:
        return round(y0 - v / top * (y0 - y1), 1)

    band_w = 14
    if len(days) > 1:
        upper = " ".join(f"{x(p.date)},{y(p.high)}" for p in points)
        lower = " ".join(f"{x(p.date)},{y(p.low)}" for p in reversed(points))
        band = {"polygon": f"{upper} {lower}"}
    else:
        p = points[0]
        band = {"x": x(p.date) - band_w / 2, "y": y(p.high), "w": band_w, "h": max(y(p.low) - y(p.high), 1.5)}
    ranges = [{"x": x(p.date), "y_low": y(p.low), "y_high": y(p.high)} for p in points]
    marks = []
    for p in points:
        per_day = len(p.marks)
        for i, m in enumerate(p.marks):
            src = sources.get((m["claim_id"], m["doc_id"]), {})
            idx = outlets.setdefault(m["outlet"], len(outlets))
            marks.append({"x": round(x(p.date) + (i - (per_day - 1) / 2) * min(8, 40 / max(per_day, 1)), 1),
                          "y": y(m["value"]), "value": m["value"], "outlet": m["outlet"], "day": p.date,
                          "label": _outlet_label(m["outlet"]), "doc_id": m["doc_id"], "start": src.get("start"),
                          "end": src.get("end"), "text": src.get("text"), "status": m["status"],
                          "color": idx % 8, "shape": SHAPES[(idx // 8 + idx) % len(SHAPES)]})
    xticks = days if len(days) <= 6 else [days[round(i * (len(days) - 1) / 5)] for i in range(6)]
    return {"width": w, "height": h, "x0": x0, "x1": x1, "y0": y0, "y1": y1, "band": band, "ranges": ranges,
            "marks": marks, "yticks": [{"y": y(t), "label": f"{t:,.10g}"} for t in ticks],
            "xticks": [{"x": x(d), "label": d} for d in xticks]}


def _outlet_label(outlet: str) -> str:
    return f"unnamed outlet (document {outlet[4:14]})" if outlet.startswith("doc:") else outlet


def _indicators(cur, story_id: str, clusters: list[str], docs: list[dict[str, Any]]) -> dict[str, Any]:
    """The story's figures over time (``claims.indicators.series``: one point per kind, place and day,
    one mark per outlet and value), drawn one chart per kind and place with a dated point; undated
    points are listed beside."""
    from newsloom.claims.indicators import series

    claims = reads_events.quantity_claims_of(cur, clusters)
    if not claims:
        missing = MISSING["indicators_story"] if queries.has_table_rows(cur, "claims") else MISSING["indicators"]
        return {"charts": [], "missing": missing}
    outlet_of = {d["doc_id"]: d.get("publisher") for d in docs}
    for c in claims:  # a source item without its outlet (an older claims pass) takes its document's
        for s in c["sources"]:
            s["publisher"] = s.get("publisher") or outlet_of.get(s["doc_id"])
    cited = sorted({s["doc_id"] for c in claims for s in c["sources"]})
    published = {d["doc_id"]: d.get("published") for d in docs}
    published.update(reads_events.published_days(cur, [d for d in cited if d not in published]))
    points = series(claims, published, story=story_id)
    sources = {(c["claim_id"], s["doc_id"]): s for c in claims for s in c["sources"]}
    groups: dict[tuple[str, str | None], list[Any]] = {}
    for p in points:
        groups.setdefault((p.kind, p.place), []).append(p)
    names = reads_events.entity_names(cur, sorted({place for _, place in groups if place}))
    charts = []
    for (kind, place), pts in groups.items():
        dated = [p for p in pts if p.date and _iso_day(p.date)]
        marks = sum(len(p.marks) for p in pts)
        charts.append({"kind": kind, "place": place, "place_name": names.get(place or "") or place,
                       "marks": marks, "dated": dated, "undated": [p for p in pts if p not in dated]})
    charts.sort(key=lambda c: (not c["dated"], c["kind"] == "other", -c["marks"], c["kind"], c["place"] or ""))
    outlets: dict[str, int] = {}
    out = []
    for c in charts[:MAX_CHARTS]:
        rows = [{**{k: v for k, v in p.row().items() if k != "date"}, "day": p.date, "marks": [{**m, "label": _outlet_label(m["outlet"]),
                                       **{k: sources.get((m["claim_id"], m["doc_id"]), {}).get(k)
                                          for k in ("start", "end", "text")}} for m in p.marks]}
                for p in c["dated"] + c["undated"]]
        out.append({"kind": c["kind"], "place": c["place"], "place_name": c["place_name"], "points": rows,
                    "svg": _chart(c["dated"], sources, outlets) if c["dated"] else None})
    if not out:
        return {"charts": [], "missing": MISSING["indicators_story"]}
    return {"charts": out, "missing": None}


def _iso_day(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value[:10])
        return len(value) >= 10
    except ValueError:
        return False
