"""SimilarityStatsPass: corpus statistics for document similarity, incremental, copies left out."""

from __future__ import annotations

from newsloom.config import load_config
from newsloom.corpus.similarity import CorpusStats
from newsloom.models import Document
from newsloom.passes.similarity import STATE, SimilarityStatsPass
from newsloom.store import open_store
from pgstore import store_location  # noqa: F401  (each test runs on DuckDB and on PostgreSQL)


def _doc(source: str, text: str, lang: str, vec: list[float] | None) -> Document:
    d = Document(source=source, raw=text, title=text.split(".")[0], published="2031-01-01")
    d.text, d.lang = text, lang
    if vec is not None:
        d.embedding, d.embedding_key = vec, source
    return d


def test_statistics_grow_with_each_run_and_skip_copies(store_location):
    db = store_location
    a = _doc("a.txt", "Flood waters rose in the valley. Rescuers arrived.", "en", [1.0, 0.0, 0.0])
    b = _doc("b.txt", "Banjir melanda lembah. Tim penyelamat tiba.", "id", [0.0, 1.0, 0.0])
    c = _doc("c.txt", "Election results were delayed again.", "en", None)
    copy = _doc("d.txt", "Flood waters rose in the valley. Rescuers arrived. Share this.", "en", [1.0, 0.0, 0.0])
    p = SimilarityStatsPass(load_config())
    with open_store(db) as store:
        run = store.begin_run(["x"])
        store.add_documents([a, b], run)
        p.run(store, [a.doc_id, b.doc_id])
        first = CorpusStats.from_state(store.load_state(STATE))
        assert first.n_docs == 2 and dict(first.vec_n) == {"en": 1, "id": 1}
        store.add_documents([c, copy], run)
        store.update_documents("duplicate_of", {copy.doc_id: a.doc_id})
        p.run(store, [c.doc_id, copy.doc_id])
        second = CorpusStats.from_state(store.load_state(STATE))
    assert second.n_docs == 3  # c added (words, no vector); the copy counts once, as its original
    assert dict(second.vec_n) == {"en": 1, "id": 1}
    assert second.df["elec"] == 1 and second.df["floo"] == 1
    assert p.stats["added"] == 3


def test_statistics_from_an_older_word_scheme_are_rebuilt_from_the_store(store_location):
    db = store_location
    a = _doc("a.txt", "Flood waters rose in the valley.", "en", [1.0, 0.0, 0.0])
    b = _doc("b.txt", "Election results were delayed.", "en", [0.0, 1.0, 0.0])
    p = SimilarityStatsPass(load_config())
    with open_store(db) as store:
        run = store.begin_run(["x"])
        store.add_documents([a, b], run)
        p.run(store, [a.doc_id])
        old = store.load_state(STATE)
        old["df"] = {"electi": 1, "floodx": 1}  # saved by a version that cut stems at 6 letters
        old.pop("words", None)
        store.save_state(STATE, old)
        p.run(store, [b.doc_id])
        rebuilt = CorpusStats.from_state(store.load_state(STATE))
    assert rebuilt.n_docs == 2 and rebuilt.df["elec"] == 1 and rebuilt.df["floo"] == 1
    assert "electi" not in rebuilt.df
    assert sum(rebuilt.vec_n.values()) == 2  # rebuilt from scratch: a counted once, not twice
