"""PostgreSQL for the tests: a fresh database per test on the server named by ``NEWSLOOM_TEST_PG``.

``.ci/run`` starts one (``scripts/pg-test-server.sh``) and sets ``NEWSLOOM_TEST_PG``; elsewhere a test
that needs it is skipped with the reason printed, or fails where ``NEWSLOOM_REQUIRE`` lists
``postgres`` (``gates.unavailable``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from gates import unavailable

ENV = "NEWSLOOM_TEST_PG"


def server_url() -> str:
    """The test server's URL, or skip (fail where required) saying why there is none."""
    url = os.environ.get(ENV, "").strip()
    if not url:
        unavailable("postgres", f"no PostgreSQL server for the tests: set {ENV}=postgresql://user@host/db"
                                " (`bash scripts/pg-test-server.sh` starts one and prints its URL)")
    try:
        import psycopg
    except ImportError:
        unavailable("postgres", "psycopg is not installed: pip install -e '.[postgres]'")
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=5):
            pass
    except psycopg.Error as exc:
        unavailable("postgres", f"the PostgreSQL server at {ENV} does not answer: {str(exc).strip()}")
    return url


def with_database(url: str, name: str) -> str:
    base, _, query = url.partition("?")
    head = base.rsplit("/", 1)[0]
    return f"{head}/{name}" + (f"?{query}" if query else "")


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty database on the test server (dropped afterwards); yields its URL."""
    import psycopg

    url = server_url()
    name = f"newsloom_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL database's URL (skipped, or failed where required, without a server)."""
    with fresh_database() as url:
        yield url


@pytest.fixture(params=["duckdb", "postgres"])
def store_location(request, tmp_path):
    """Each engine in turn: a new DuckDB file, then a fresh PostgreSQL database. Use it in a module
    with ``from pgstore import store_location  # noqa: F401`` (or through a conftest)."""
    if request.param == "duckdb":
        yield str(tmp_path / "store.duckdb")
    else:
        with fresh_database() as url:
            yield url
