"""The web server on a PostgreSQL store answers exactly as on the DuckDB file it was copied from
(``newsloom migrate``): every API page of the fixture store, and the HTML pages render."""

from __future__ import annotations

import pytest

from pgstore import fresh_database


@pytest.fixture(scope="module")
def both_clients(tmp_path_factory, store_builder):
    from fastapi.testclient import TestClient

    from newsloom.store.migrate import copy_store
    from newsloom.web.app import create_app

    path = tmp_path_factory.mktemp("webpg") / "web.duckdb"
    docs = store_builder(path)
    with fresh_database() as url:
        copy_store(path, url)
        duck = create_app(path, sync_interval=60, cache_entries=0)
        pg = create_app(url, sync_interval=60, cache_entries=0,
                        index_path=tmp_path_factory.mktemp("webpg-index") / "pg.search.sqlite")
        with TestClient(duck) as a, TestClient(pg) as b:
            duck.state.search.sync(block=True)
            pg.state.search.sync(block=True)
            yield a, b, docs


def _pages(client, docs) -> list[str]:
    """Every story and event cluster, document, filter and entity page of the fixture store."""
    ids = [d.doc_id for k, d in docs.items() if k != "run_id"]
    stories = [s["cluster_id"] for s in client.get("/api/stories").json()["items"]]
    assert stories
    clusters = list(stories)
    for story in stories:
        clusters += [e["cluster_id"] for e in client.get(f"/api/stories/{story}").json()["timeline"]["events"]]
    pages = ["/api/stories", "/api/stories?sort=size", "/api/stories?lang=id", "/api/documents", "/api/documents?outlet=Daily%20Meridian",
             "/api/documents?from=2031-03-05", "/api/entities", "/api/entities?q=relief",
             "/api/entities/kb:relief-agency-norland", "/api/entities/geo:EG", "/api/runs",
             f"/api/runs/{docs['run_id']}", "/api/search?q=Valdoria", "/api/search?q=Norland&lang=en",
             "/api/stories?q=flood"]
    pages += [f"/api/stories/{c}" for c in clusters] + [f"/api/stories/{s}/events?limit=200" for s in stories]
    for doc_id in ids:
        pages += [f"/api/documents/{doc_id}", f"/api/documents/{doc_id}/similar"]
    return pages


def test_every_api_page_answers_the_same_on_postgres(both_clients):
    duck, pg, docs = both_clients
    for page in _pages(duck, docs):
        a, b = duck.get(page), pg.get(page)
        assert a.status_code == b.status_code, page
        assert a.json() == b.json(), page
    status = pg.get("/api/status").json()
    assert status["counts"] == duck.get("/api/status").json()["counts"]
    assert status["counts"]["documents"] == 5


def test_html_pages_render_on_postgres(both_clients):
    _, pg, docs = both_clients
    story = pg.get("/api/stories").json()["items"][0]["cluster_id"]
    for page in ["/stories", f"/stories/{story}", "/documents", f"/documents/{docs['en'].doc_id}", "/entities",
                 "/entities/geo:EG", "/search?q=Valdoria", "/runs", f"/runs/{docs['run_id']}"]:
        r = pg.get(page)
        assert r.status_code == 200, page
        assert "Valdoria" in r.text or page.startswith("/runs"), page


def test_serve_answers_while_analyze_holds_a_write_transaction(tmp_path, store_builder):
    """No leases on PostgreSQL: a page is served from the committed state while a writer's
    transaction is open, and the next page after its commit shows the new rows (caches follow)."""
    from fastapi.testclient import TestClient

    from newsloom.models import Document
    from newsloom.store import open_store
    from newsloom.store.migrate import copy_store
    from newsloom.web.app import create_app

    path = tmp_path / "web.duckdb"
    store_builder(path)
    with fresh_database() as url:
        copy_store(path, url)
        app = create_app(url, search=False)
        with TestClient(app) as client, open_store(url) as writer:
            before = client.get("/api/status").json()["counts"]["documents"]
            run = writer.begin_run(["more/"])
            doc = Document(source="more.txt", raw="Alma port strike ends.", text="Alma port strike ends.", lang="en")
            with writer.transaction():
                assert writer.add_documents([doc], run) == 1
                during = client.get("/api/status")
                assert during.status_code == 200
                assert during.json()["counts"]["documents"] == before
            assert client.get("/api/status").json()["counts"]["documents"] == before + 1
            assert client.get(f"/api/documents/{doc.doc_id}").status_code == 200


def test_pages_and_messages_never_show_the_password():
    from newsloom.store.dialect import shown_location
    from newsloom.store.postgres import PgReader

    url = "postgresql://news:s3cret@db.example:5432/newsloom"
    assert shown_location(url) == "postgresql://news:***@db.example:5432/newsloom"
    assert shown_location("postgresql:/news:s3cret@db.example/newsloom") == "postgresql://news:***@db.example/newsloom"
    assert shown_location("/data/newsloom.duckdb") == "/data/newsloom.duckdb"
    reader = PgReader(url)  # connects on first use only
    assert "s3cret" not in reader.path  # /api/status shows reader.path
    reader.close()
