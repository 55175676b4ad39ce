"""API fuzzing: schemathesis over every operation of the JSON API, in-process (ASGI, no server).

Every case must pass every check schemathesis has: no 5xx; every status code, content type and
header declared; every body matching its declared schema; bad input rejected, good input
accepted. Each operation is fuzzed against three stores: the fixture store (tests/web/conftest.py)
with its search index, an empty store with search turned off, and a missing store (503).
Examples are bounded and derandomized, so CI sends the same cases on every run."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the dev extra: pip install -e '.[dev]'")
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from newsloom.web.app import create_app

MAX_EXAMPLES = 30  # per operation and store, besides schemathesis's own boundary cases
CASES: dict[tuple[str, str], int] = {}  # (store, operation) -> cases sent, printed at the end (-s)


def _schema_app():
    """An app over no store: only its OpenAPI document is read (it does not depend on the store).
    ``schemathesis.pytest.from_fixture`` would let the schema come from the fixture app, but it
    fails on pytest 9 (``Function._nodeid``), so cases are sent to ``fuzz_app`` with ``app=``."""
    return create_app("/nonexistent/newsloom-schema-only.duckdb", search=False, cache_entries=0)


schema = schemathesis.openapi.from_asgi("/openapi.json", _schema_app())


@pytest.fixture(scope="module", params=["fixture", "empty", "missing"])
def fuzz_app(request, store_builder, tmp_path_factory):
    path = tmp_path_factory.mktemp(f"fuzz-{request.param}") / "web.duckdb"
    if request.param == "fixture":
        docs = store_builder(path)
        app = create_app(path, sync_interval=0.2)
        app.state.search.sync(block=True)  # the index is complete before the first case
    elif request.param == "empty":
        from newsloom.store.duckdb import open_store

        with open_store(path):
            pass
        docs, app = {}, create_app(path, search=False)
    else:
        docs, app = {}, create_app(path)
    app.state.fuzz_store, app.state.fuzz_docs = request.param, docs
    return app


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    ops = {op for _, op in CASES}
    print(f"\nschemathesis: {len(ops)} operations, {sum(CASES.values())} cases")
    for (store, op), n in sorted(CASES.items()):
        print(f"  {store:8} {op:40} {n}")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, fuzz_app):
    key = (fuzz_app.state.fuzz_store, case.operation.label)
    CASES[key] = CASES.get(key, 0) + 1
    if fuzz_app.state.fuzz_store == "missing":  # 503 is the documented answer there: every other check holds
        response = case.call_and_validate(app=fuzz_app, excluded_checks=[not_a_server_error])
        assert response.status_code in (200, 405, 422, 503), response.text  # 405: other methods
    else:
        case.call_and_validate(app=fuzz_app)


def _known_ids(docs) -> list[tuple[str, dict]]:
    """Path parameters that exist in the fixture store: random ones almost never hit a 200."""
    doc = docs["en"].doc_id
    return [("/api/stories/{cluster_id}", {"cluster_id": "story-valdoria"}),
            ("/api/stories/{cluster_id}/events", {"cluster_id": "story-valdoria"}),
            ("/api/documents/{doc_id}", {"doc_id": doc}),
            ("/api/documents/{doc_id}", {"doc_id": docs["bad"].doc_id}),
            ("/api/documents/{doc_id}/similar", {"doc_id": doc}),
            ("/api/entities/{entity_id}", {"entity_id": "geo:EG"}),
            ("/api/entities/{entity_id}", {"entity_id": "kb:relief-agency-norland"}),
            ("/api/runs/{run_id}", {"run_id": docs["run_id"]})]


def test_stored_ids_answer_200_matching_the_schema(store_builder, tmp_path):
    docs = store_builder(tmp_path / "web.duckdb")
    app = create_app(tmp_path / "web.duckdb", sync_interval=0.2)
    app.state.search.sync(block=True)
    checked = 0
    for path, params in _known_ids(docs):
        case = schema[path]["GET"].Case(path_parameters=params)
        response = case.call_and_validate(app=app)
        assert response.status_code == 200, (path, params, response.text)
        checked += 1
    for q in ("Valdoria", "Banjir", "فالدوريا", "nonexistentword"):
        case = schema["/api/search"]["GET"].Case(query={"q": q})
        response = case.call_and_validate(app=app)
        assert response.status_code == 200 and bool(response.json()["items"]) == (q != "nonexistentword")
    assert checked == len(_known_ids(docs))


def test_every_json_route_is_in_the_schema():
    """The fuzz test covers the schema's operations; here: no API route is left out of it."""
    routes = {f"GET {r.path.replace(':path}', '}')}" for r in _schema_app().routes
              if getattr(r, "path", "").startswith("/api/")}
    operations = {op.ok().label for op in schema.get_all_operations()}
    assert len(routes) == 12 and routes == operations
