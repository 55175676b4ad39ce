"""Fixtures for the store tests: ``pg_url`` (a fresh PostgreSQL database) and ``store_location``
(each engine in turn: a DuckDB file, then a PostgreSQL database)."""

from __future__ import annotations

import pytest

from pgstore import fresh_database


@pytest.fixture
def pg_url():
    with fresh_database() as url:
        yield url


@pytest.fixture(params=["duckdb", "postgres"])
def store_location(request, tmp_path):
    if request.param == "duckdb":
        yield str(tmp_path / "store.duckdb")
    else:
        with fresh_database() as url:
            yield url
