"""Documents to store rows (plain dicts keyed by column), one function per table."""

from __future__ import annotations

from typing import Any

from newsloom.models import Document


def document_row(doc: Document, run_id: int) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id,
        "source": doc.source,
        "title": doc.title,
        "publisher": doc.publisher,
        "published": doc.published,
        "lang": doc.lang or "und",
        "lang_score": float(doc.lang_score),
        "text": doc.text,
        "removed": [{"text": r.text, "reason": r.reason} for r in doc.removed],
        "duplicate_of": doc.duplicate_of,
        "event_id": doc.event_id,
        "story_id": doc.story_id,
        "working_date": None,  # set by the clusters pass
        "working_date_source": None,
        "url": doc.url,
        "author": doc.author,
        "format": doc.format,
        "mixed_lang": doc.mixed_lang,
        "paragraphs": [
            {"start": p.start, "end": p.end, "lang": p.lang, "lang_score": float(p.lang_score)}
            for p in doc.paragraphs
        ],
        "sentences": [{"start": s.start, "end": s.end} for s in doc.sentences],
        "raw": doc.raw,
        "run_id": run_id,
    }


def child_rows(doc: Document) -> dict[str, list[dict[str, Any]]]:
    """Rows of the per-document annotation tables."""
    d = doc.doc_id
    return {
        "entities": [
            {"doc_id": d, "start": m.start, "end": m.end, "text": m.text, "type": m.type,
             "entity_id": m.entity_id, "name": m.name}
            for m in doc.entities
        ],
        "dates": [
            {"doc_id": d, "start": m.start, "end": m.end, "text": m.text, "value": m.value}
            for m in doc.dates
        ],
        "quantities": [
            {"doc_id": d, "start": q.start, "end": q.end, "text": q.text, "value": q.value,
             "unit": q.unit, "kind": q.kind, "qualifier": q.qualifier, "role": q.role}
            for q in doc.quantities
        ],
        "events": [
            {"event_mention_id": e.event_mention_id, "doc_id": d, "start": e.start, "end": e.end,
             "type": e.type, "actor": e.actor, "target": e.target, "location": e.location,
             "date": e.date, "quantities": [list(q) for q in e.quantities],
             "trigger_start": e.trigger_start, "trigger_end": e.trigger_end, "mode": e.mode,
             "negated": e.negated, "actor_country": e.actor_country, "target_country": e.target_country,
             "event_id": e.event_id, "story_id": e.story_id}
            for e in doc.events
        ],
    }
