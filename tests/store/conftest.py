"""Fixtures for the store tests: ``pg_url`` (a fresh PostgreSQL database) and ``store_location``
(each engine in turn: a DuckDB file, then a PostgreSQL database), from tests/pgstore.py."""

from pgstore import pg_url, store_location  # noqa: F401
