"""The few places where DuckDB's and PostgreSQL's SQL differ, in one module.

Every query of the store is written once, in the SQL both engines accept (``unnest(?::VARCHAR[])``,
``= ANY(?::VARCHAR[])``, ``cardinality``, ``array_agg ... FILTER``, ``mode() WITHIN GROUP``,
``INSERT ... ON CONFLICT``, ``NOT EXISTS``), with ``?`` placeholders. What remains is here:

- placeholders: psycopg wants ``%s`` (``to_format``);
- column types: the schema's literal DuckDB DDL (``schema.MIGRATIONS``, never edited) is applied
  to PostgreSQL through ``pg_ddl``: ``STRUCT(...)[]`` and ``INTEGER[][]`` (ragged lists) become
  ``JSON`` (which keeps key order, unlike ``JSONB``), ``DOUBLE`` becomes ``DOUBLE PRECISION``,
  ``BLOB`` becomes ``BYTEA``, ``FLOAT[]`` becomes ``REAL[]``;
- one expression without a common spelling: a text to a date or NULL (``try_date``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# functions PostgreSQL needs to answer the shared queries; created (idempotently) on every migrate,
# since they are code, not schema: a step of ``MIGRATIONS`` never changes.
PG_FUNCTIONS = [
    "CREATE OR REPLACE FUNCTION newsloom_try_date(t text) RETURNS date LANGUAGE plpgsql IMMUTABLE AS $$"
    " BEGIN RETURN t::date; EXCEPTION WHEN others THEN RETURN NULL; END $$",
]


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str

    def try_date(self, expr: str) -> str:
        """``expr`` (text) as a DATE, NULL when it is not one."""
        if self.name == "postgres":
            return f"newsloom_try_date({expr})"
        return f"TRY_CAST({expr} AS DATE)"


DUCKDB = Dialect("duckdb")
POSTGRES = Dialect("postgres")


def is_url(location: object) -> bool:
    """Whether a ``--db`` value names a PostgreSQL server rather than a DuckDB file. A URL that went
    through ``pathlib.Path`` has lost one slash (``postgresql:/user@host/db``): that counts too."""
    text = str(location)
    return text.startswith(("postgresql:/", "postgres:/"))


def normal_url(location: object) -> str:
    """The URL as given, or back from a ``pathlib.Path`` that collapsed its ``//`` (a host is then
    assumed: ``postgresql:/db`` was ``postgresql://db``; give the CLI a host, ``localhost``, for a
    socket server)."""
    text = str(location)
    scheme, _, rest = text.partition(":")
    if rest.startswith("//"):
        return text
    return f"{scheme}://{rest.lstrip('/')}"


def to_format(sql: str) -> str:
    """``?`` placeholders to psycopg's ``%s`` (a literal ``%`` doubled); quoted text is left alone."""
    out: list[str] = []
    quote: str | None = None
    for ch in sql:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


_PG_TYPES = [
    (re.compile(r"STRUCT\([^()]*\)\[\]"), "JSON"),
    (re.compile(r"\bINTEGER\[\]\[\]"), "JSON"),
    (re.compile(r"\bDOUBLE\b(?! PRECISION)"), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b"), "BYTEA"),
    (re.compile(r"\bFLOAT\[\]"), "REAL[]"),
]


def pg_type(duck_type: str) -> str:
    for pattern, repl in _PG_TYPES:
        duck_type = pattern.sub(repl, duck_type)
    return duck_type


def pg_ddl(statement: str) -> str:
    """A step of ``schema.MIGRATIONS`` (DuckDB DDL) as PostgreSQL runs it: the types translated."""
    return pg_type(statement)


def json_column(duck_type: str) -> bool:
    """Whether PostgreSQL keeps this column as JSON (nested lists and structs)."""
    return pg_type(duck_type).startswith("JSON")


def shown_location(location: object) -> str:
    """A store location for messages and pages: a URL without its password."""
    if not is_url(location):
        return str(location)
    scheme, _, rest = normal_url(location).partition("://")
    cred, at, host = rest.rpartition("@")
    if at and ":" in cred:
        cred = cred.split(":", 1)[0] + ":***"
    return f"{scheme}://{cred}{at}{host}"
