"""Titles, outlets, file names and reject reasons carrying template syntax, console markup,
terminal escape codes and bidirectional overrides are data on every page and in the API:
templates never evaluate them, pages still render, JSON keeps them exactly."""

from __future__ import annotations

import pytest

from newsloom.models import Document, Reject
from newsloom.store.duckdb import open_store

TEMPLATE = "{{ 'TEMPLATE-' ~ 'RAN' }}{% if true %}IF-RAN{% endif %}${7*7}"
PAYLOAD = f"[/x][bold]\x1b[31m\u202eexe.txt\nline {TEMPLATE} <img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from newsloom.web.app import create_app

    db = tmp_path_factory.mktemp("hostile-names") / "store.duckdb"
    d = Document(source=f"in/{PAYLOAD}.txt", raw="Harbour news.", title=f"Title {PAYLOAD}",
                 publisher=f"Outlet {PAYLOAD}", published="2031-03-04")
    d.text, d.lang = f"Harbour news {PAYLOAD} end.", "en"
    with open_store(db) as s:
        run_id = s.begin_run([f"in/{PAYLOAD}"])
        s.add_documents([d], run_id)
        s.finish_run(run_id, added=1, already_stored=0, stats={},
                     rejects=[Reject(source=f"in/{PAYLOAD}.html", reason=f"bad {PAYLOAD}")])
    with TestClient(create_app(db, search=False)) as c:
        yield c, d.doc_id, run_id


def test_hostile_names_render_as_text_on_every_page(hostile_client):
    c, doc_id, run_id = hostile_client
    for path in ("/stories", "/documents", f"/documents/{doc_id}", "/runs", f"/runs/{run_id}"):
        r = c.get(path)
        assert r.status_code == 200, path
        assert "TEMPLATE-RAN" not in r.text, path
        assert "{% if true %}IF-RAN{% endif %}" in r.text, path  # shown as written, not run
        assert "<img src=x" not in r.text, path
        assert "[/x][bold]" in r.text, path


def test_hostile_names_are_exact_in_the_api(hostile_client):
    c, doc_id, run_id = hostile_client
    doc = c.get(f"/api/documents/{doc_id}").json()["document"]
    assert doc["title"] == f"Title {PAYLOAD}" and doc["publisher"] == f"Outlet {PAYLOAD}"
    run = c.get(f"/api/runs/{run_id}")
    assert run.status_code == 200
    assert f"bad {PAYLOAD}" in [r["reason"] for r in run.json()["rejects"]]
