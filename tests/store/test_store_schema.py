"""The schema: migrations (literal steps, never edited) build exactly the tables ``TABLES`` describes."""

from __future__ import annotations

import duckdb

from newsloom.store import open_store
from newsloom.store.schema import MIGRATIONS, TABLES, load_type


def _columns(con, table: str) -> list[tuple[str, str]]:
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [(n, t) for n, t in rows]


def _declared(con, table: str) -> list[tuple[str, str]]:
    """The column types DuckDB gives the declarations in ``TABLES`` (as it spells them)."""
    con.execute("DROP TABLE IF EXISTS _probe")
    cols = ", ".join(f'"{n}" {load_type(t)}' for n, t in TABLES[table])
    con.execute(f"CREATE TEMP TABLE _probe ({cols})")
    return _columns(con, "_probe")


def test_migrations_build_the_declared_tables(tmp_path):
    with open_store(tmp_path / "s.duckdb") as store:
        tables = {r[0] for r in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert set(TABLES) <= tables
        for table in TABLES:
            assert _columns(store.con, table) == _declared(store.con, table), table


def test_steps_are_literal_sql():
    """A step generated from TABLES would change when a column is added: every step is plain text."""
    for version, statements in MIGRATIONS:
        assert all(isinstance(s, str) and s.strip() for s in statements), version
    assert [v for v, _ in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


def test_upgrade_from_v2_keeps_documents_and_finds_ungrouped_ones(tmp_path):
    """A store written before pass progress was recorded: grouped documents count as seen, the
    ones an interrupted run left ungrouped are pending for every pass."""
    path = str(tmp_path / "old.duckdb")
    con = duckdb.connect(path)
    con.execute("CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP)")
    for version, statements in MIGRATIONS[:2]:
        for sql in statements:
            con.execute(sql)
        con.execute("INSERT INTO schema_version VALUES (?, now())", [version])
    con.execute("INSERT INTO documents (doc_id, event_id, story_id, run_id) VALUES ('a', 'ev-a', 'st-a', 1)")
    con.execute("INSERT INTO documents (doc_id, duplicate_of, run_id) VALUES ('b', 'a', 1)")
    con.execute("INSERT INTO documents (doc_id, run_id) VALUES ('c', 1)")
    con.close()
    with open_store(path) as store:
        assert store.schema_version() == MIGRATIONS[-1][0]
        assert store.count("documents") == 3
        assert store.pass_pending("copies", 10) == ["c"]
        assert store.pass_pending("clusters", 10) == ["b", "c"]
        assert store.pass_pending("similarity", 10) == ["b", "c"]
