"""Store reads for the claims pass and ``newsloom indicators``: the events of documents, and the
quantity claims with their clusters. Kept apart from ``duckdb.py`` (the claims work's only SQL)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsloom.models import Document, EventMention

_EVENT_FIELDS = ("event_mention_id", "type", "actor", "target", "location", "date", "trigger_start", "trigger_end",
                 "mode", "negated", "actor_country", "target_country", "event_id", "story_id")


def attach_events(store: Any, docs: dict[str, Document]) -> None:
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


def quantity_claims(store: Any, kinds: Sequence[str] = (), level: str | None = None) -> list[dict[str, Any]]:
    """Quantity claims (optionally of these quantity kinds) with their cluster's level ("event"/"story")
    and title, ordered by cluster and date."""
    sql = ("SELECT c.*, k.level AS level, k.title AS cluster_title FROM claims c"
           " LEFT JOIN clusters k ON k.cluster_id = c.cluster_id WHERE c.kind = 'quantity'")
    params: list[Any] = []
    if kinds:
        sql += " AND c.quantity_kind IN (SELECT unnest(?::VARCHAR[]))"
        params.append(list(kinds))
    if level:
        sql += " AND k.level = ?"
        params.append(level)
    return store.rows(sql + " ORDER BY c.cluster_id, c.date NULLS LAST, c.claim_id", params)


def claim_status_rows(store: Any, level: str | None = None) -> list[dict[str, Any]]:
    """Every claim's cluster, kind, status and sources (for per-outlet agreement)."""
    sql = ("SELECT c.claim_id, c.cluster_id, c.kind, c.status, c.sources, c.contradicting, k.level AS level,"
           " k.title AS cluster_title FROM claims c LEFT JOIN clusters k ON k.cluster_id = c.cluster_id")
    params: list[Any] = []
    if level:
        sql += " WHERE k.level = ?"
        params.append(level)
    return store.rows(sql + " ORDER BY c.cluster_id, c.claim_id", params)
