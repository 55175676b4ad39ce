"""Copies pass: exact and near-duplicate documents point at the earliest-published original.

Runs first, so copies count once in every later pass. The MinHash index lives in the store
(``pass_state``) and grows with each run; only the new documents are shingled.
"""

from __future__ import annotations

from newsloom.corpus.copies import CopyIndex, CopyInput, find_copies
from newsloom.passes.base import CorpusPass
from newsloom.store.base import Store

STATE = "copies"


class CopiesPass(CorpusPass):
    name = "copies"

    def run(self, store: Store, new_ids: list[str]) -> None:
        if not new_ids:
            return
        saved = store.load_state(STATE)
        index = CopyIndex.from_state(saved) if saved else CopyIndex()
        rows = store.documents_by_id(new_ids, ("doc_id", "text", "lang", "published", "publisher"))
        decisions = find_copies([CopyInput(**r) for r in rows], index)
        updates = {d.doc_id: d.duplicate_of for d in decisions}
        store.update_documents("duplicate_of", updates)
        store.save_state(STATE, index.state_dict())
        self.stats["seen"] += len(rows)
        self.stats["copies"] += sum(1 for d in decisions if d.duplicate_of and d.doc_id in set(new_ids))
        self.stats["syndicated"] += sum(1 for d in decisions if d.syndicated)
