"""Claims pass: the claims of every event and story the new documents belong to, and their outlets' framing.

Runs after the clusters pass. For the new documents of a chunk it recomputes the claims of each
event and story they are in (quantities, event facts, attributed statements; so the work is
bounded by those clusters' sizes, not the corpus), replacing the clusters' earlier claims (and
those of cluster ids renamed into them), and adds their loaded terms to their outlets' framing
rows. All reading and writing goes through the
store's methods; the comparison itself is ``newsloom.claims`` (pure, documents in, rows out).
"""

from __future__ import annotations

from newsloom.claims import all_claims, framing_rows
from newsloom.models import Document
from newsloom.passes.base import CorpusPass
from newsloom.store.claims_tables import attach_events
from newsloom.store.base import Store

CLUSTER_BATCH = 200  # clusters read into memory at a time


class ClaimsPass(CorpusPass):
    name = "claims"

    def run(self, store: Store, new_ids: list[str]) -> None:
        if not new_ids:
            return
        clusters = store.clusters_of(new_ids)
        for i in range(0, len(clusters), CLUSTER_BATCH):
            batch = clusters[i : i + CLUSTER_BATCH]
            members, docs = store.cluster_documents(batch)
            attach_events(store, docs)
            rows = []
            for cid in batch:
                claims = all_claims(cid, [docs[d] for d in members.get(cid, [])])
                rows += [c.row() for c in claims]
                for c in claims:
                    self.stats[f"claims_{c.status}"] += 1
                    self.stats[f"claims_{c.kind}"] += 1
            store.replace_claims(batch, rows)
            self.stats["clusters"] += len(batch)
        self._framing(store, new_ids)

    def _framing(self, store: Store, new_ids: list[str]) -> None:
        rows = store.documents_by_id(new_ids, ("doc_id", "title", "publisher", "published", "lang", "text"))
        docs = [Document(source="", raw="", **r) for r in rows]
        publishers = sorted({d.publisher for d in docs}, key=lambda p: (p is None, p or ""))
        if not docs:
            return
        framing = framing_rows(docs, store.framing_of(publishers))
        store.replace_framing(publishers, [f.row() for f in framing])
        self.stats["framing_rows"] += len(framing)
