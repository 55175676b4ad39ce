"""Store reads for the claims pass and ``newsloom indicators``: the events of documents, and the
claims with their clusters. The claims work's only SQL, written once for both engines (``?``
placeholders, ``unnest(?::VARCHAR[])``), run through ``SQLStore.rows``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsloom.models import Document, EventMention
from newsloom.store.sql import SQLStore

_EVENT_FIELDS = ("event_mention_id", "type", "actor", "target", "location", "date", "trigger_start", "trigger_end",
                 "mode", "negated", "actor_country", "target_country", "event_id", "story_id")


def attach_events(store: SQLStore, docs: dict[str, Document]) -> None:
    """Read the event mentions of these documents into their ``events`` lists."""
    if not docs:
        return
    rows = store.rows("SELECT * FROM events WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))"
                      " ORDER BY doc_id, start, trigger_start", [list(docs)])
    for r in rows:
        doc = docs[r["doc_id"]]
        fields = {k: r.get(k) for k in _EVENT_FIELDS}
        fields["mode"] = fields["mode"] or "asserted"
        fields["negated"] = bool(fields["negated"])
        fields["trigger_start"], fields["trigger_end"] = fields["trigger_start"] or 0, fields["trigger_end"] or 0
        doc.events.append(EventMention(start=r["start"], end=r["end"], text=doc.text[r["start"]:r["end"]],
                                       quantities=[tuple(q) for q in r.get("quantities") or []], **fields))


def claims_with_clusters(store: SQLStore, kinds: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Every claim (optionally of these claim kinds: quantity, event, statement) with its cluster's
    level ("event"/"story"), parent story and title, ordered by cluster and claim."""
    sql = ("SELECT c.*, k.level AS level, k.parent AS parent, k.title AS cluster_title FROM claims c"
           " LEFT JOIN clusters k ON k.cluster_id = c.cluster_id")
    params: list[Any] = []
    if kinds:
        sql += " WHERE c.kind IN (SELECT unnest(?::VARCHAR[]))"
        params.append(list(kinds))
    return store.rows(sql + " ORDER BY c.cluster_id, c.claim_id", params)


def claims_and_days(store: SQLStore) -> tuple[list[dict[str, Any]], dict[str, str | None]]:
    """Every claim with its cluster (``claims_with_clusters``) and the publication day of each document
    its sources cite (for ``newsloom indicators``)."""
    claims = claims_with_clusters(store)
    doc_ids = sorted({i["doc_id"] for c in claims for i in c.get("sources") or []})
    rows = store.documents_by_id(doc_ids, ("doc_id", "published")) if doc_ids else []
    return claims, {r["doc_id"]: r["published"] for r in rows}
