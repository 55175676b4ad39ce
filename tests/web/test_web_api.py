"""The JSON API and the server-rendered pages, through FastAPI's TestClient."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

STORY = "story-valdoria"  # the fixture store's story and first event (tests/web/conftest.py)
EVENT = "event-valdoria-1"


def test_story_list_api_gives_sizes_languages_outlets(client):
    r = client.get("/api/stories")
    assert r.status_code == 200
    data = r.json()
    assert data["missing"] is None
    (story,) = data["items"]
    assert story["cluster_id"] == STORY
    assert story["size"] == 4
    assert story["languages"] == ["ar", "en", "id"]
    assert "Daily Meridian" in story["outlets"] and "صحيفة الأفق" in story["outlets"]
    assert data["next_offset"] is None


@pytest.mark.parametrize("params, expected", [
    ({"lang": "ar"}, 1), ({"lang": "fr"}, 0), ({"outlet": "Warta Nusantara Fiksi"}, 1),
    ({"from": "2031-03-05", "to": "2031-03-05"}, 1), ({"from": "2032-01-01"}, 0),
    ({"entity": "kb:relief-agency-norland"}, 1), ({"entity": "kb:nobody"}, 0),
    ({"q": "Banjir"}, 1), ({"q": "nonexistentword"}, 0),
])
def test_story_filters(client, params, expected):
    data = client.get("/api/stories", params=params).json()
    assert len(data["items"]) == expected
    if expected:
        assert data["items"][0]["matched"] >= 1


def test_story_filter_rejects_bad_dates_and_oversized_pages(client):
    assert client.get("/api/stories", params={"from": "yesterday"}).status_code == 422
    assert client.get("/api/stories", params={"limit": 100000}).status_code == 422
    assert client.get("/api/documents", params={"limit": 0}).status_code == 422


def test_story_detail_has_timeline_places_claims(client):
    data = client.get(f"/api/stories/{STORY}").json()
    assert data["timeline"]["events"][0]["cluster_id"] == EVENT
    (place,) = data["places"]
    assert place["entity_id"] == "geo:EG" and place["documents"] == 3
    assert -90 <= place["lat"] <= 90 and place["country"] == "818"
    claims = {c["claim_id"]: c for c in data["claims"]}
    assert claims["c-displaced"]["status"] == "contradicted"
    src = claims["c-displaced"]["contradicting"][0]
    assert src["lang"] == "id" and src["publisher"] == "Warta Nusantara Fiksi"
    assert data["claim_counts"] == {"contradicted": 2, "corroborated": 1, "single-source": 1}
    assert client.get("/api/stories/no-such-story").status_code == 404


def test_claim_sources_are_the_documents_words(client):
    data = client.get(f"/api/stories/{STORY}").json()
    for claim in data["claims"]:
        for src in claim["sources"] + claim["contradicting"]:
            doc = client.get(f"/api/documents/{src['doc_id']}").json()["document"]
            assert doc["text"][src["start"]:src["end"]] == src["text"]


def test_document_api_has_spans_and_removed(client, web_store):
    _, docs = web_store
    en = docs["en"]
    data = client.get(f"/api/documents/{en.doc_id}").json()
    assert data["document"]["removed"] == [{"text": "Share on social media", "reason": "boilerplate"}]
    text = data["document"]["text"]
    for kind in ("entities", "dates", "quantities"):
        assert data["spans"][kind]
        for s in data["spans"][kind]:
            assert text[s["start"]:s["end"]] == s["text"]
    assert data["story"]["cluster_id"] == STORY


def test_document_page_marks_spans_and_highlight(client, web_store):
    _, docs = web_store
    en = docs["en"]
    q = en.quantities[0]
    html = client.get(f"/documents/{en.doc_id}", params={"start": q.start, "end": q.end}).text
    assert 'class="ann-quantity hl" title="quantity: 1200 people (displaced)" id="hl">1,200 people</span>' in html
    assert 'class="ann-entity ent-LOC"' in html and 'href="/entities/geo:EG"' in html
    assert 'class="ann-date"' in html
    assert "Share on social media" in html and "boilerplate" in html  # removed lines, with reasons


def test_arabic_paragraphs_are_right_to_left(client, web_store):
    _, docs = web_store
    html = client.get(f"/documents/{docs['ar'].doc_id}").text
    assert '<p dir="rtl" lang="ar">' in html
    assert '<p dir="ltr" lang="en">' in client.get(f"/documents/{docs['en'].doc_id}").text


def test_entity_page_aliases_per_language_and_script(client):
    data = client.get("/api/entities/kb:relief-agency-norland").json()
    assert data["entity"]["name"] == "Relief Agency of Norland"
    scripts = {(a["lang"], a["script"]) for a in data["aliases"]}
    assert {("en", "LATIN"), ("id", "LATIN"), ("ar", "ARABIC")} <= scripts
    assert [t["month"] for t in data["timeline"]] == ["2031-03"]
    assert data["cooccurring"][0]["entity_id"] == "geo:EG"
    assert data["stories"][0]["cluster_id"] == STORY
    html = client.get("/entities/kb:relief-agency-norland").text
    assert 'dir="rtl" lang="ar">وكالة الإغاثة في نورلاند</td>' in html


def test_entities_list_and_filter(client):
    data = client.get("/api/entities", params={"type": "LOC"}).json()
    assert [e["entity_id"] for e in data["items"]] == ["geo:EG"]
    assert client.get("/api/entities", params={"q": "relief"}).json()["items"][0]["entity_id"] == \
        "kb:relief-agency-norland"


@pytest.mark.parametrize("q, lang, expected", [
    ("floods", None, "en"), ("banjir", None, "id"), ("الفيضانات", None, "ar"), ("Valdoria", "id", "id"),
])
def test_search_finds_text_in_every_script(client, web_store, q, lang, expected):
    _, docs = web_store
    data = client.get("/api/search", params={"q": q, **({"lang": lang} if lang else {})}).json()
    ids = [h["doc_id"] for h in data["items"]]
    assert docs[expected].doc_id in ids
    hit = next(h for h in data["items"] if h["doc_id"] == docs[expected].doc_id)
    assert any(p["match"] for p in hit["snippet"])


def test_search_operators_are_words_not_syntax(client):
    for q in ['"unbalanced', "NEAR(a b)", "a OR", "title:x", "*", "-", "'; DROP TABLE documents; --"]:
        r = client.get("/api/search", params={"q": q})
        assert r.status_code == 200, q
    assert client.get("/api/status").json()["counts"]["documents"] == 5


def test_search_finds_entities_by_alias(client):
    data = client.get("/api/search", params={"q": "Norland"}).json()
    assert "kb:relief-agency-norland" in [e["entity_id"] for e in data["entities"]]


def test_runs_and_rejects(client, web_store):
    _, docs = web_store
    runs = client.get("/api/runs").json()["items"]
    assert runs[0]["run_id"] == docs["run_id"] and runs[0]["documents_added"] == 5
    run = client.get(f"/api/runs/{docs['run_id']}").json()
    assert run["reasons"] == [{"reason": "no text after cleaning", "n": 1}]
    html = client.get(f"/runs/{docs['run_id']}").text
    assert "no text after cleaning" in html
    assert client.get("/api/runs/999").status_code == 404


@pytest.mark.parametrize("path", ["/stories", "/documents", "/entities", "/search?q=floods", "/runs",
                                  f"/stories/{STORY}", "/entities/geo:EG", "/docs"])
def test_pages_render(client, path):
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in r.headers


def test_docs_are_served_offline(client):
    html = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/search", "/api/documents/{doc_id}"} <= set(spec["paths"])


def test_pages_reference_only_local_assets(client):
    import re

    for path in ["/stories", f"/stories/{STORY}", "/search", "/docs", "/entities/geo:EG"]:
        html = client.get(path).text
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not re.match(r"^(https?:)?//", url), (path, url)
            if url.startswith("/static/"):
                assert client.get(url).status_code == 200, url


def test_vendored_licences_sit_beside_the_code():
    from pathlib import Path

    import newsloom.web

    vendor = Path(newsloom.web.__file__).parent / "static" / "vendor"
    for lib in ("leaflet", "topojson-client", "world-atlas", "htmx", "swagger-ui"):
        assert (vendor / lib / "LICENSE").is_file(), lib


def test_empty_store_pages_say_what_is_missing(tmp_path):
    from fastapi.testclient import TestClient

    from newsloom.store.duckdb import open_store
    from newsloom.web.app import create_app

    db = tmp_path / "empty.duckdb"
    open_store(db).close()
    with TestClient(create_app(db, search=False)) as c:
        assert "No documents yet" in c.get("/stories").text
        assert c.get("/api/stories").json()["missing"].startswith("No documents yet")
        assert "No entities yet" in c.get("/entities").text
        assert "No runs yet" in c.get("/runs").text
        assert c.get("/api/stories/x").status_code == 404


def test_documents_without_clusters_are_listed_on_the_stories_page(tmp_path):
    from fastapi.testclient import TestClient

    from newsloom.models import Document
    from newsloom.store.duckdb import open_store
    from newsloom.web.app import create_app

    db = tmp_path / "noclusters.duckdb"
    d = Document(source="a.txt", raw="Quiet harbour news.", title="Harbour")
    d.text, d.lang = "Quiet harbour news.", "en"
    with open_store(db) as s:
        s.add_documents([d], s.begin_run(["a.txt"]))
    with TestClient(create_app(db, search=False)) as c:
        html = c.get("/stories").text
        assert "story clustering pass has not run" in html
        assert "Harbour" in html
        story = c.get("/api/stories").json()
        assert story["items"] == [] and "clustering" in story["missing"]


def test_missing_store_is_a_clear_503(tmp_path):
    from fastapi.testclient import TestClient

    from newsloom.web.app import create_app

    with TestClient(create_app(tmp_path / "nothing.duckdb", search=False)) as c:
        r = c.get("/api/stories")
        assert r.status_code == 503 and "newsloom analyze" in r.json()["detail"]
        assert c.get("/stories").status_code == 503


# -- serving while `newsloom analyze` writes -------------------------------------------------
WRITER = """
import sys, time
from newsloom.models import Document
from newsloom.store.duckdb import open_store
from newsloom.web.db import write_intent
path, rounds, announce = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "announce"
for i in range(rounds):
    d = Document(source=f"w{i}.txt", raw=f"Writer document {i} about harbour cranes.", title=f"Writer {i}")
    d.text, d.lang = d.raw, "en"
    opener = write_intent(path, wait=60) if announce else open_store(path, wait=60)
    with opener as s:  # the pipeline's pattern: open, one short transaction, close
        run = s.begin_run([f"w{i}.txt"])
        s.add_documents([d], run)
        s.finish_run(run, added=1, already_stored=0, rejects=[], stats={})
    print(i + 1, flush=True)
    time.sleep(0.3)  # the pipeline works on the next batch between writes
"""


@pytest.mark.parametrize("announce, rounds, reader_opts", [
    # a writer that announces its wait (write_intent) gets the file at once
    (True, 12, {}),
    # a writer that does not: the lease's max_age safety net lets it in (short here to keep the test fast)
    (False, 4, {"max_age": 1.0}),
], ids=["announcing-writer", "silent-writer"])
def test_server_keeps_serving_while_another_process_writes(tmp_path, store_builder, announce, rounds, reader_opts):
    from fastapi.testclient import TestClient

    from newsloom.web.app import create_app
    from newsloom.web.db import StoreReader

    db = tmp_path / "live.duckdb"
    store_builder(db)
    reader = StoreReader(db, wait=60, **reader_opts)
    app = create_app(db, reader=reader, sync_interval=0.2)
    statuses = []
    with TestClient(app) as c:
        mode = "announce" if announce else "plain"
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(rounds), mode],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            for path in ("/api/stories", f"/api/stories/{STORY}", "/api/documents?limit=5", "/stories",
                         "/api/search?q=harbour"):
                statuses.append(c.get(path).status_code)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        assert out.split()[-1] == str(rounds)
        assert statuses and set(statuses) == {200}, statuses
        assert len(statuses) >= 2 * rounds  # requests were served between the writes, not only after them
        data = c.get("/api/documents", params={"limit": 100}).json()
        assert sum(1 for d in data["items"] if (d["title"] or "").startswith("Writer ")) == rounds
        app.state.search.sync(block=True)
        assert len(c.get("/api/search", params={"q": "cranes", "limit": 50}).json()["items"]) == rounds
    assert reader.opens >= 2  # the lease was given up for the writer and reopened


def test_a_run_killed_mid_way_shows_as_died(tmp_path, store_builder):
    """No process holds the store's run lock: a run still marked 'running' died (SIGKILL, power cut)."""
    from fastapi.testclient import TestClient

    from newsloom.store.duckdb import open_store
    from newsloom.store.lock import run_lock
    from newsloom.web.app import create_app

    path = tmp_path / "s.duckdb"
    store_builder(path)
    with open_store(path) as store:
        run_id = store.begin_run(["crawl/"])
    with TestClient(create_app(path, search=False)) as c:
        assert c.get(f"/api/runs/{run_id}").json()["run"]["status"] == "died"
        assert c.get("/api/runs").json()["items"][0]["status"] == "died"
    with run_lock(path), TestClient(create_app(path, search=False)) as c:  # a run holds the lock: running
        assert c.get(f"/api/runs/{run_id}").json()["run"]["status"] == "running"


def test_a_renamed_story_redirects_to_its_new_id(tmp_path, store_builder):
    """An earlier report renamed the story (its id is its earliest member's): old links still work."""
    from fastapi.testclient import TestClient

    from newsloom.store.duckdb import open_store
    from newsloom.web.app import create_app

    path = tmp_path / "s.duckdb"
    store_builder(path)
    with open_store(path) as store:
        store.record_renames({"st-older": "st-old"})
        store.record_renames({"st-old": STORY})  # a chain: both earlier names lead to the story
    with TestClient(create_app(path, search=False)) as c:
        for old in ("st-older", "st-old"):
            r = c.get(f"/api/stories/{old}", follow_redirects=False)
            assert r.status_code == 308 and r.headers["location"] == f"/api/stories/{STORY}"
            r = c.get(f"/stories/{old}", follow_redirects=False)
            assert r.status_code == 308 and r.headers["location"] == f"/stories/{STORY}"
        assert c.get("/api/stories/st-older").json()["story"]["cluster_id"] == STORY
        assert c.get("/api/stories/st-never").status_code == 404


def test_story_sizes_count_each_copy_once_as_the_cli_does(tmp_path, store_builder):
    """One definition of a story's size everywhere: its original reports (clusters.size)."""
    from fastapi.testclient import TestClient

    from newsloom.models import Document
    from newsloom.store.duckdb import open_store
    from newsloom.web.app import create_app

    path = tmp_path / "s.duckdb"
    docs = store_builder(path)
    copy = Document(source="copy.txt", raw=docs["en"].text + " ", title=docs["en"].title, publisher="Wire",
                    published="2031-03-05")
    copy.text, copy.lang, copy.story_id, copy.duplicate_of = docs["en"].text, "en", STORY, docs["en"].doc_id
    with open_store(path) as store:
        store.add_documents([copy], store.begin_run(["copy"]))
        store.con.execute("UPDATE clusters SET doc_ids = list_append(doc_ids, ?), size = 4 WHERE cluster_id = ?",
                          [copy.doc_id, STORY])
        cli_size = {r["cluster_id"]: r["size"] for r in store.top_clusters("story")}[STORY]
    with TestClient(create_app(path, search=False)) as c:
        listed = {s["cluster_id"]: s["size"] for s in c.get("/api/stories").json()["items"]}
        story = c.get(f"/api/stories/{STORY}").json()
    assert listed[STORY] == cli_size == story["story"]["size"] == 4
