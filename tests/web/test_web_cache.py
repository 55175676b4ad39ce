"""The whole-response cache (src/newsloom/web/cache.py): hits, bounds, and invalidation by a new run."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from newsloom.web.cache import ResponseCache, uncacheable

STORY = "story-valdoria"  # the fixture store's story (tests/web/conftest.py)


def test_repeated_page_is_served_from_the_cache_with_the_same_bytes_and_headers(client):
    for path in (f"/stories/{STORY}", "/api/stories", "/search?q=Valdoria", "/stories?lang=ar"):
        first = client.get(path)
        second = client.get(path)
        assert first.status_code == second.status_code == 200
        assert second.headers["x-newsloom-cache"] == "hit", path
        assert second.content == first.content
        # the security headers are added outside the cache, to hits as well
        assert "default-src 'self'" in second.headers["content-security-policy"]
        assert second.headers["x-frame-options"] == "DENY"
        assert second.headers["content-type"] == first.headers["content-type"]


def test_errors_and_uncached_paths_are_not_kept(client):
    assert client.get("/stories/no-such-story").status_code == 404
    assert client.get("/stories/no-such-story").headers["x-newsloom-cache"] == "miss"
    assert "x-newsloom-cache" not in client.get("/api/status").headers  # live counts: never cached
    assert "x-newsloom-cache" not in client.get("/healthz").headers


def test_query_string_is_part_of_the_key(client):
    a = client.get("/api/stories", params={"lang": "ar"}).json()
    b = client.get("/api/stories", params={"lang": "en"}).json()
    assert a["items"] and b["items"]
    assert a != b


WRITER = """
import sys
from newsloom.models import Document
from newsloom.web.db import write_intent
path, title = sys.argv[1], sys.argv[2]
d = Document(source=title + ".txt", raw="Harbour cranes news.", title=title)
d.text, d.lang = d.raw, "en"
with write_intent(path, wait=60) as s:
    run = s.begin_run([title + ".txt"])
    s.add_documents([d], run)
    s.finish_run(run, added=1, already_stored=0, rejects=[], stats={})
"""


def test_a_new_run_invalidates_cached_pages(tmp_path, store_builder):
    from fastapi.testclient import TestClient

    from newsloom.web.app import create_app
    from newsloom.web.db import StoreReader

    db = tmp_path / "cache.duckdb"
    store_builder(db)
    reader = StoreReader(db, wait=60)
    app = create_app(db, reader=reader, search=False)
    with TestClient(app) as c:
        before = c.get("/api/documents", params={"limit": 100})
        assert c.get("/api/documents", params={"limit": 100}).headers["x-newsloom-cache"] == "hit"
        page = c.get("/documents")
        assert c.get("/documents").headers["x-newsloom-cache"] == "hit"
        assert "Cached-away title" not in page.text
        out = subprocess.run([sys.executable, "-c", WRITER, str(db), "Cached-away title"],
                             capture_output=True, text=True, timeout=120, check=False)
        assert out.returncode == 0, out.stderr
        after = c.get("/api/documents", params={"limit": 100})
        assert after.headers["x-newsloom-cache"] == "miss"
        titles = [d["title"] for d in after.json()["items"]]
        assert "Cached-away title" in titles and len(titles) == len(before.json()["items"]) + 1
        assert "Cached-away title" in c.get("/documents").text
        assert c.get("/documents").headers["x-newsloom-cache"] == "hit"  # cached again, for the new version
    assert app.state.response_cache.hits >= 3


# -- the cache on its own, around a tiny ASGI app ----------------------------------------------
def _app(body_of, calls: list):
    async def app(scope, receive, send):
        calls.append(scope["path"])
        status, body = body_of(scope)
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": body})
    return app


def _get(cache: ResponseCache, app, path: str, method: str = "GET") -> tuple[int, bytes, dict]:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "query_string": b""}
    asyncio.run(cache.handle(app, scope, receive, send))
    headers = dict(sent[0]["headers"])
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]), headers


def test_cache_is_bounded_least_recently_used_first():
    calls: list[str] = []
    app = _app(lambda scope: (200, scope["path"].encode() * 10), calls)
    cache = ResponseCache(version=lambda: 1, prefixes=("/p",), max_entries=2, max_bytes=1000)
    for path in ("/p1", "/p2", "/p1", "/p3"):  # /p2 is the least recently used when /p3 arrives
        _get(cache, app, path)
    assert len(cache) == 2
    assert _get(cache, app, "/p1")[2][b"x-newsloom-cache"] == b"hit"
    assert _get(cache, app, "/p2")[2][b"x-newsloom-cache"] == b"miss"
    big = ResponseCache(version=lambda: 1, prefixes=("/p",), max_entries=100, max_bytes=45)
    for path in ("/p1", "/p2", "/p3", "/p4"):  # 30 bytes each: only one fits in 45
        _get(big, app, path)
    assert len(big) == 1 and big.size_bytes <= 45
    small_items = ResponseCache(version=lambda: 1, prefixes=("/p",), max_item=5)
    _get(small_items, app, "/p1")
    assert len(small_items) == 0


def test_version_change_and_non_get_and_errors_are_not_kept():
    calls: list[str] = []
    state = {"v": 1}
    app = _app(lambda scope: (404 if scope["path"] == "/p404" else 200, b"x"), calls)
    cache = ResponseCache(version=lambda: state["v"], prefixes=("/p",))
    _get(cache, app, "/p1")
    assert _get(cache, app, "/p1")[2][b"x-newsloom-cache"] == b"hit"
    state["v"] = 2  # a run finished: the old response no longer matches
    assert _get(cache, app, "/p1")[2][b"x-newsloom-cache"] == b"miss"
    _get(cache, app, "/p404")
    assert _get(cache, app, "/p404")[2][b"x-newsloom-cache"] == b"miss"
    _get(cache, app, "/p1", method="HEAD")
    _get(cache, app, "/other")
    n = len(calls)
    _get(cache, app, "/other")
    assert len(calls) == n + 1  # outside the prefixes: always passed through


def test_response_computed_across_a_write_is_not_kept():
    state = {"v": 1}

    def body(scope):
        state["v"] += 1  # the store changed while this response was computed
        return 200, b"x"

    cache = ResponseCache(version=lambda: state["v"], prefixes=("/p",))
    _get(cache, _app(body, []), "/p1")
    assert len(cache) == 0


def test_a_view_serving_an_older_version_is_not_kept():
    def body(scope):
        uncacheable()
        return 200, b"stale"

    cache = ResponseCache(version=lambda: 1, prefixes=("/p",))
    _get(cache, _app(body, []), "/p1")
    assert len(cache) == 0


@pytest.mark.parametrize("entries", [0])
def test_cache_can_be_turned_off(tmp_path, store_builder, entries):
    from fastapi.testclient import TestClient

    from newsloom.web.app import create_app

    db = tmp_path / "nocache.duckdb"
    store_builder(db)
    with TestClient(create_app(db, search=False, cache_entries=entries)) as c:
        c.get("/api/stories")
        assert "x-newsloom-cache" not in c.get("/api/stories").headers
