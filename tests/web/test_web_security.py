"""Article text is hostile input: every page escapes it, SQL only sees bound parameters, the
server binds 127.0.0.1 by default and nothing can be written through it."""

from __future__ import annotations

import ast
import inspect
import json
import re
from pathlib import Path

import pytest

import newsloom.web
from newsloom.store import reads, reads_events

STORY = "story-valdoria"
WEB = Path(newsloom.web.__file__).parent
RAW = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


def _pages(docs) -> list[str]:
    bad = docs["bad"]
    return ["/stories", f"/stories/{STORY}", "/documents", f"/documents/{bad.doc_id}",
            f"/documents/{bad.doc_id}?start=10&end=40", "/entities",
            "/entities/per:" + '<script>alert("x")</script>" onmouseover="alert(1)',
            "/search?q=script+alert", f"/runs/{docs['run_id']}",
            f"/partials/source?doc_id={bad.doc_id}&start=10&end=40"]


def test_hostile_text_is_escaped_on_every_page(client, web_store):
    _, docs = web_store
    for path in _pages(docs):
        r = client.get(path)
        assert r.status_code == 200, path
        html = r.text
        assert RAW not in html, path
        assert 'onmouseover="alert(1)' not in html, path  # the quote cannot break out of an attribute
        assert "<script>alert" not in html, path


def test_hostile_text_is_shown_as_text(client, web_store):
    _, docs = web_store
    html = client.get(f"/documents/{docs['bad'].doc_id}").text
    assert ESCAPED in html
    story = client.get(f"/stories/{STORY}").text
    assert "Outlet " + ESCAPED in story or "Outlet &lt;script&gt;" in story


def test_json_in_script_tags_cannot_close_the_tag(client):
    html = client.get(f"/stories/{STORY}").text
    for block in re.findall(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.DOTALL):
        assert "<" not in block and ">" not in block
        json.loads(block)


def _event_attributes(html: str) -> list[str]:
    from html.parser import HTMLParser

    found: list[str] = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend(f"{tag} {k}" for k, _ in attrs if k.lower().startswith("on"))

    P().feed(html)
    return found


def test_every_inline_script_is_data_only(client, web_store):
    """No executable inline script on any page: the CSP allows only /static files."""
    _, docs = web_store
    for path in _pages(docs):
        html = client.get(path).text
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.DOTALL):
            assert 'type="application/json"' in attrs or (not body.strip() and "src=" in attrs), (path, attrs)
        assert _event_attributes(html) == [], path  # no inline event handlers


def test_security_headers(client):
    r = client.get("/stories")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("path", ["/stories", "/api/stories", f"/api/stories/{STORY}", "/api/search?q=x",
                                  "/static/css/app.css", "/docs", "/openapi.json", "/no/such/path", "/"])
def test_no_endpoint_writes(client, method, path):
    r = client.request(method, path)
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET, HEAD"


def test_store_is_unchanged_by_requests(client):
    before = client.get("/api/status").json()["counts"]
    for p in ["/api/stories?q=%27%3B%20DROP%20TABLE%20documents%3B--", "/api/documents?outlet=%27%20OR%201%3D1--",
              "/api/entities?q=%25%27%20OR%20%271%27%3D%271", "/api/stories?entity=x%27)%20OR%20(1=1"]:
        r = client.get(p)
        assert r.status_code == 200
        assert r.json()["items"] == [], p  # injection text matched literally, as data
    assert client.get("/api/status").json()["counts"] == before


def test_like_wildcards_are_literal(client):
    assert client.get("/api/entities", params={"q": "%"}).json()["items"] == []
    assert client.get("/api/entities", params={"q": "_"}).json()["items"] == []


@pytest.mark.parametrize("reads", [reads, reads_events], ids=["reads", "reads_events"])
def test_queries_module_builds_sql_from_fixed_strings_only(reads):
    """Every execute() in queries.py gets a parameter list; SQL text is built only from literals and
    fixed newsloom-chosen pieces (filter clauses, sort orders), never from function arguments."""
    src = inspect.getsource(reads)  # web.queries re-exports store.reads, where the SQL lives
    tree = ast.parse(src)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "execute"]
    assert calls
    for call in calls:
        assert len(call.args) == 2 or (len(call.args) == 1 and isinstance(call.args[0], ast.Constant)), \
            ast.unparse(call)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):  # f-strings only build aliases for the fixed filter clauses
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            # (and, in similar_candidates, the dialect's date expressions ``pub`` and ``day``)
            assert names <= {"alias", "pub", "day"}, ast.unparse(node)
    # every query is bounded
    for fn_name, fn in inspect.getmembers(reads, inspect.isfunction):
        text = inspect.getsource(fn)
        if "SELECT" in text and "count(*) FROM" not in text and "EXISTS" not in text and fn_name != "_rows" \
                and fn_name != "_one" and "column_name" not in text:
            assert "LIMIT" in text, fn_name


def test_templates_never_mark_data_safe():
    for tpl in (WEB / "templates").glob("*.html"):
        text = tpl.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", ""), tpl.name
        assert "autoescape false" not in text, tpl.name


def test_javascript_never_writes_html_from_data():
    for js in (WEB / "static" / "js").glob("*.js"):
        text = js.read_text(encoding="utf-8")
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text and "eval(" not in text, js.name


def test_serve_binds_localhost_by_default():
    from typer.main import get_command

    from newsloom.cli import app

    cmd = get_command(app).commands["serve"]
    host = next(p for p in cmd.params if p.name == "host")
    assert host.default == "127.0.0.1"
    from newsloom.web.app import serve

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"


def test_paths_cannot_escape_static(client):
    for p in ["/static/../app.py", "/static/%2e%2e/app.py", "/static/vendor/../../queries.py"]:
        r = client.get(p)
        assert r.status_code == 404, p
        assert "SELECT" not in r.text
