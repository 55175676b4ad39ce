from __future__ import annotations

from dataclasses import fields

from newsloom.config import ClusterConfig, load_config
from newsloom.corpus.clusters import ClusterParams
from newsloom.passes.clusters import ClustersPass
from pgstore import store_location  # noqa: F401  (store tests run on DuckDB and on PostgreSQL)


def test_shipped_cluster_config_and_library_defaults_agree():
    """The [cluster] defaults and ClusterParams() are the same numbers: neither may drift."""
    shipped = load_config().cluster
    library = ClusterParams()
    for f in fields(ClusterConfig):
        assert getattr(shipped, f.name) == getattr(library, f.name), f.name


def test_user_config_reaches_the_clusterer():
    cfg = load_config(overrides={"cluster": {"event_threshold": 0.9, "quantity_min": 10}})
    params = ClustersPass(cfg).params()
    assert (params.event_threshold, params.quantity_min) == (0.9, 10.0)


def _doc(source: str, title: str, text: str, lang: str, vec: list[float]):
    from newsloom.models import Document

    d = Document(source=source, raw=text, title=title, published="2031-01-01")
    d.text, d.lang = text, lang
    d.embedding, d.embedding_key = vec, source
    return d


def test_numbers_come_from_the_text_in_any_local_format(store_location):
    """With number_chars > 0 the pass compares digit runs of title + text, not the quantities stage."""
    from newsloom.store import open_store

    en = _doc("en.txt", "Floods kill 12", "About 12,500 people fled on Monday.", "en", [1.0, 0.0, 0.0])
    ar = _doc("ar.txt", "الفيضانات تقتل ١٢", "فر ١٢٬٥٠٠ شخص يوم الاثنين.", "ar", [0.9, 0.1, 0.0])
    digits = ClustersPass(load_config())
    stage = ClustersPass(load_config(overrides={"cluster": {"number_chars": 0}}))
    with open_store(store_location) as store:
        run = store.begin_run(["x"])
        store.add_documents([en, ar], run)
        ids = [en.doc_id, ar.doc_id]
        feats = {f.doc_id: f for f in digits._features(store, ids, digits.params().number_chars)}
        assert feats[en.doc_id].quantities == feats[ar.doc_id].quantities == (12.0, 500.0)
        # the quantities stage did not run here: its table is empty
        assert all(f.quantities == () for f in stage._features(store, ids, 0))
        digits.run(store, ids)
        rows = store.rows("SELECT doc_id, event_id, story_id FROM documents ORDER BY doc_id")
    assert all(r["event_id"] and r["story_id"] for r in rows)


def test_recluster_store_keeps_ids_and_records_renames(store_location):
    """``recluster_store`` rewrites every original's clusters from scratch, keeps the ids of the
    clusters holding most old members and records the others as renamed."""
    import numpy as np

    from newsloom.corpus.clusters import ClusterParams
    from newsloom.passes.clusters import recluster_store
    from newsloom.store import open_store

    db = store_location
    rng = np.random.default_rng(0)
    with open_store(db) as store:
        topic = rng.normal(size=384)
        docs = []
        for i in range(4):
            v = topic + 0.1 * rng.normal(size=384)
            docs.append((f"d{i}", (v / np.linalg.norm(v)).astype(np.float32).tolist()))
        store.con.execute("DELETE FROM documents")
        for i, (d, v) in enumerate(docs):
            store.con.execute(
                "INSERT INTO documents (doc_id, lang, title, text, published, event_id, story_id) VALUES (?, 'en', ?, ?, ?, ?, ?)",
                [d, f"Title {d}", "Some text about it.", f"2024-01-0{i + 1}", f"ev-{d}", "st-d0" if i < 3 else "st-d3"])
            store.con.execute("INSERT INTO vectors VALUES (?, 'k', ?)", [d, v])
        with store.transaction():
            counts = recluster_store(store, ClusterParams())
        rows = {r["doc_id"]: r for r in store.rows("SELECT doc_id, event_id, story_id FROM documents")}
        assert counts["documents"] == 4
        assert {r["story_id"] for r in rows.values()} == {"st-d0"}  # one story: the old majority id
        assert store.renamed_to("st-d3") == "st-d0"
        assert store.load_state("clusters")["version"] >= 2


def test_working_date_and_its_source_are_stored_with_each_document(store_location):
    """A dated report is placed by its publication day; an undated one by a day its own text
    states, and the document row (exported) says which."""
    from newsloom.models import DateMention
    from newsloom.store import open_store

    dated = _doc("a.txt", "Floods in Lembah", "Floods hit Lembah on 3 January 2031.", "en", [1.0, 0.0, 0.0])
    dated.published = "2031-01-04T08:00:00+07:00"
    undated = _doc("b.txt", "Banjir di Lembah", "Banjir melanda Lembah pada 3 Januari 2031.", "id", [0.9, 0.1, 0.0])
    undated.published = None
    at = undated.text.index("3 Januari 2031")
    undated.dates = [DateMention(start=at, end=at + len("3 Januari 2031"), text="3 Januari 2031", value="2031-01-03")]
    plain = _doc("c.txt", "Banjir", "Banjir melanda Lembah lagi.", "id", [0.0, 1.0, 0.0])
    plain.published = None
    with open_store(store_location) as store:
        store.add_documents([dated, undated, plain], store.begin_run(["x"]))
        ClustersPass(load_config()).run(store, [dated.doc_id, undated.doc_id, plain.doc_id])
        rows = {r["doc_id"]: r for r in store.rows(
            "SELECT doc_id, working_date, working_date_source FROM documents")}
    assert (rows[dated.doc_id]["working_date"], rows[dated.doc_id]["working_date_source"]) == ("2031-01-04", "published")
    assert (rows[undated.doc_id]["working_date"], rows[undated.doc_id]["working_date_source"]) == ("2031-01-03", "text")
    assert (rows[plain.doc_id]["working_date"], rows[plain.doc_id]["working_date_source"]) == (None, None)
