"""Similar reports: /api/documents/{id}/similar and the document page's partial (web.views.similar)."""

from __future__ import annotations

import numpy as np
import pytest

from newsloom.passes.similarity import STATE, SimilarityStatsPass
from newsloom.store.duckdb import open_store


@pytest.fixture(scope="module")
def similar_client(tmp_path_factory, store_builder):
    """The web fixture store with story vectors: the three flood reports share a direction,
    the hostile one is a little off it, the market note points elsewhere."""
    from fastapi.testclient import TestClient

    from newsloom.config import load_config
    from newsloom.web.app import create_app

    path = tmp_path_factory.mktemp("similar") / "web.duckdb"
    docs = store_builder(path)
    rng = np.random.default_rng(7)
    flood, other = rng.normal(size=384), rng.normal(size=384)
    vecs = {"en": flood + 0.3 * rng.normal(size=384), "id": flood + 0.3 * rng.normal(size=384),
            "ar": flood + 0.3 * rng.normal(size=384), "bad": flood + 1.5 * rng.normal(size=384), "loose": other}
    with open_store(path) as store:
        store._bulk_insert("vectors", [
            {"doc_id": docs[k].doc_id, "embedding_key": k, "vector": [float(x) for x in v / np.linalg.norm(v)]}
            for k, v in vecs.items()
        ])
        SimilarityStatsPass(load_config()).run(store, [d.doc_id for k, d in docs.items() if k != "run_id"])
    app = create_app(path, search=False)
    with TestClient(app) as c:
        yield c, docs, path


def test_similar_api_ranks_the_same_story_first(similar_client):
    client, docs, _ = similar_client
    r = client.get(f"/api/documents/{docs['en'].doc_id}/similar")
    assert r.status_code == 200
    data = r.json()
    ids = [it["doc_id"] for it in data["items"]]
    assert docs["en"].doc_id not in ids
    assert set(ids[:2]) == {docs["id"].doc_id, docs["ar"].doc_id}
    scores = [it["similarity"] for it in data["items"]]
    assert scores == sorted(scores, reverse=True) and all(0.0 <= s <= 1.0 for s in scores)
    first = data["items"][0]
    assert first["same_event"] and first["same_story"]
    # the market note is a month earlier: outside the 30-day window or scored lowest
    assert docs["loose"].doc_id not in ids[:3]
    assert client.get(f"/api/documents/{docs['en'].doc_id}/similar?limit=1").json()["items"][0]["doc_id"] == ids[0]


def test_similar_for_unknown_document_is_404_and_limit_is_bounded(similar_client):
    client, docs, _ = similar_client
    assert client.get("/api/documents/nope/similar").status_code == 404
    assert client.get(f"/api/documents/{docs['en'].doc_id}/similar?limit=5000").status_code == 422


def test_document_page_loads_similar_reports_partial(similar_client):
    client, docs, _ = similar_client
    page = client.get(f"/documents/{docs['en'].doc_id}").text
    assert 'hx-get="/partials/similar?doc_id=' in page
    part = client.get("/partials/similar", params={"doc_id": docs["en"].doc_id}).text
    assert "Floods" in part or "Banjir" in part
    assert "same event" in part
    # hostile titles are escaped in the partial too
    part_bad = client.get("/partials/similar", params={"doc_id": docs["id"].doc_id}).text
    assert "<script>alert" not in part_bad


def test_similarity_pass_keeps_statistics_in_the_store(similar_client):
    path = similar_client[2]
    with open_store(path, read_only=True) as store:
        state = store.load_state(STATE)
    assert state["n_docs"] == 5 and state["df"]
    assert sum(state["vec_n"].values()) == 5
