"""Clusters pass: new documents join existing events and stories online, or open new ones.

Originals are clustered on their story vectors, linked entities and numbers (the digit runs of
title and text, ``number_values``; or the quantities stage's values with ``[cluster]
number_chars = 0``), content words (``similarity.content_words``) and, for an undated document,
the working date of its own resolved dates (``working_date``: stories only); copies take their
original's event and story (they count once). The clusterer's state lives in the store, so a run
touches only the new documents and the clusters they join.

``recluster_store(store, params)`` re-clusters every stored original from scratch with stable ids
(``newsloom.corpus.clusters.recluster``), for a back-filled archive or after a model change.
"""

from __future__ import annotations

import numpy as np

from newsloom.corpus.clusters import Assignment, Clusterer, ClusterParams, DocFeatures, number_values, working_date
from newsloom.corpus.similarity import WORDS_MAX_CHARS, content_words
from newsloom.passes.base import CorpusPass
from newsloom.store.base import Store

STATE = "clusters"


class ClustersPass(CorpusPass):
    name = "clusters"

    def params(self) -> ClusterParams:
        """The clusterer's parameters: the [cluster] configuration is a ``ClusterParams``."""
        return self.config.cluster

    def run(self, store: Store, new_ids: list[str]) -> None:
        if not new_ids:
            return
        saved = store.load_state(STATE)
        clusterer = Clusterer.from_state(saved, self.params()) if saved else Clusterer(self.params())
        feats = self._features(store, new_ids, clusterer.params.number_chars)
        result = clusterer.assign(feats)
        events = {a.doc_id: a.event_id for a in result.assignments}
        stories = {a.doc_id: a.story_id for a in result.assignments}
        store.update_documents("event_id", events)
        store.update_documents("story_id", stories)
        _store_working_dates(store, result.assignments)
        # renamed clusters (an earlier founder arrived): move every member, then copies follow
        # their originals (new copies, and copies of every original whose clusters changed)
        moved = store.rename_clusters("event_id", result.renamed_events)
        moved += store.rename_clusters("story_id", result.renamed_stories)
        store.record_renames({**result.renamed_events, **result.renamed_stories})
        touched = store.copies_follow_originals(sorted(set(new_ids) | set(events) | set(moved)))
        touched |= set(events.values()) | set(stories.values())
        touched |= set(result.renamed_events.values()) | set(result.renamed_stories.values())
        touched -= set(result.renamed_events) | set(result.renamed_stories)
        rows, empty = self._cluster_rows(store, clusterer, touched)
        dropped = set(result.renamed_events) | set(result.renamed_stories) | empty
        store.replace_clusters(rows, drop=sorted(dropped))
        store.save_state(STATE, clusterer.state_dict())
        self.stats["clustered"] += len(feats)
        self.stats["new_events"] += sum(1 for a in result.assignments if a.new_event)
        self.stats["new_stories"] += sum(1 for a in result.assignments if a.new_story)

    def _features(self, store: Store, new_ids: list[str], number_chars: int = 0) -> list[DocFeatures]:
        """Vectors, linked entity ids and numbers of the new originals. The numbers are the digit
        runs of the title and the first ``number_chars`` characters of the text
        (``number_values``), or with ``number_chars = 0`` the values of the quantities stage."""
        chars = max(int(number_chars), WORDS_MAX_CHARS)  # numbers, and the content words of the story score
        docs = store.cluster_inputs(new_ids, chars)
        ids = [d["doc_id"] for d in docs]
        ents = store.linked_entities(ids)
        # undated documents: a working date from their own resolved dates (story level only)
        undated = [d["doc_id"] for d in docs if not d["published"]]
        values = store.date_values(undated) if undated else {}
        qty: dict[str, list[float]] = {}
        if number_chars > 0:
            for d in docs:
                qty[d["doc_id"]] = list(number_values(d["title"], d["text"], number_chars))
        else:
            qty = {k: [float(v) for v in vs] for k, vs in store.quantity_values(ids).items()}
        return [
            DocFeatures(
                doc_id=d["doc_id"], vector=np.asarray(d["vector"], dtype=np.float32), lang=d["lang"],
                published=d["published"], publisher=d["publisher"], title=d["title"],
                entity_ids=tuple(sorted(ents.get(d["doc_id"], ()))), quantities=tuple(qty.get(d["doc_id"], ())),
                working_date=None if d["published"] else working_date(values.get(d["doc_id"], [])),
                words=content_words(d["title"], d["text"]),
            )
            for d in docs
        ]

    def _cluster_rows(self, store: Store, clusterer: Clusterer,
                      touched: set[str]) -> tuple[list[dict], set[str]]:
        """Rows of the touched clusters, and the ids of touched clusters left without documents
        (their members all became copies of documents in other clusters)."""
        rows, empty = [], set()
        for level, column in (("event", "event_id"), ("story", "story_id")):
            summaries = {s.cluster_id: s for s in clusterer.summaries(level) if s.cluster_id in touched}
            if not summaries:
                continue
            members = store.cluster_members(column, list(summaries))
            for cid, s in summaries.items():
                if not members.get(cid):
                    empty.add(cid)
                    continue
                rows.append({
                    "cluster_id": cid, "level": level, "parent": s.story_id if level == "event" else None,
                    "doc_ids": members.get(cid, []), "title": s.title,
                    "start_date": s.first_published, "end_date": s.last_published,
                    "languages": s.languages, "outlets": s.publishers, "size": s.size,
                })
        return rows, empty


def _store_working_dates(store: Store, assignments: list[Assignment]) -> None:
    """Each clustered document's working date (a day) and where it came from ("published" or
    "text"), exported with the document so a reader sees which day placed an undated report."""
    store.update_documents("working_date", {a.doc_id: a.working_date[:10] if a.working_date else None
                                            for a in assignments})
    store.update_documents("working_date_source", {a.doc_id: a.date_source for a in assignments})


def recluster_store(store: Store, params: ClusterParams) -> dict[str, int]:
    """Re-cluster the stored originals from scratch (``newsloom.corpus.clusters.recluster``): the
    partition no longer depends on the order or the runs the documents came in, and clusters may
    merge and split. Ids stay stable: a new cluster keeps the id of the old cluster holding most
    of its members; every old id that did not survive is recorded as renamed to the cluster now
    holding most of its old members (``store.record_renames``), and cluster rows are rewritten.

    The window is the whole store (one pass of the online clusterer: bounded work per document,
    linear in the store); the new clusterer's state replaces the saved one, so the next ``analyze``
    continues from the re-clustered groups. Run it inside one transaction (``store.transaction()``)
    with the store's run lock held, as ``analyze`` runs its passes. Returns counts for a summary.
    """
    ids = store.original_ids()
    if not ids:
        return {"documents": 0, "events": 0, "stories": 0, "renamed": 0}
    from newsloom.config import load_config
    from newsloom.corpus.clusters import recluster

    cp = ClustersPass(load_config())
    feats = cp._features(store, ids, params.number_chars)
    previous = store.cluster_assignments(ids)
    result = recluster(feats, params, previous)
    events = {a.doc_id: a.event_id for a in result.assignments}
    stories = {a.doc_id: a.story_id for a in result.assignments}
    store.update_documents("event_id", events)
    store.update_documents("story_id", stories)
    _store_working_dates(store, result.assignments)
    store.copies_follow_originals(sorted(events))
    renamed = {**result.renamed_events, **result.renamed_stories}
    store.record_renames(renamed)
    old_ids = {e for e, _ in previous.values()} | {s for _, s in previous.values()}
    touched = set(events.values()) | set(stories.values())
    rows, empty = cp._cluster_rows(store, result.clusterer, touched)
    store.replace_clusters(rows, drop=sorted((old_ids - touched) | empty))
    store.save_state(STATE, result.clusterer.state_dict())
    return {"documents": len(events), "events": len(set(events.values())),
            "stories": len(set(stories.values())), "renamed": len(renamed)}
