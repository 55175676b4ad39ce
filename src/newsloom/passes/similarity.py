"""Similarity statistics pass: the corpus statistics ``document_similarity`` needs.

``newsloom.corpus.similarity`` scores how much two documents tell the same story from their
story vectors, centred on their language's mean vector, and the tf-idf cosine of their
content words. Both need corpus statistics (each language's mean vector, each word's
document frequency); this pass adds every new original document to them once and keeps
them in the store (``pass_state``), so the web view and the API score pairs without reading
the corpus. Copies are left out: they count once, as everywhere.
"""

from __future__ import annotations

import numpy as np

from newsloom.corpus.similarity import WORDS_MAX_CHARS, CorpusStats, SimFeatures, content_words
from newsloom.passes.base import CorpusPass
from newsloom.store.base import Store

STATE = "similarity"
CHUNK = 2000


class SimilarityStatsPass(CorpusPass):
    name = "similarity"

    def run(self, store: Store, new_ids: list[str]) -> None:
        if not new_ids:
            return
        saved = store.load_state(STATE)
        stats = CorpusStats.from_state(saved) if saved else CorpusStats()
        ids = new_ids
        if getattr(stats, "df_dropped", False):
            # saved by a version that counted words differently: rebuild from every stored original
            stats = CorpusStats()
            ids = store.original_ids()
            self.stats["rebuilt"] += 1
        for start in range(0, len(ids), CHUNK):  # bounded memory: texts are read a chunk at a time
            rows = store.similarity_inputs(ids[start : start + CHUNK], WORDS_MAX_CHARS)
            for r in rows:
                vec = np.asarray(r["vector"], dtype=np.float32) if r["vector"] is not None else None
                stats.add(SimFeatures(vector=vec, lang=r["lang"], words=content_words(r["title"], r["text"])))
            self.stats["added"] += len(rows)
        store.save_state(STATE, stats.state_dict())
