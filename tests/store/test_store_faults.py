"""A PostgreSQL connection dropped mid-run (the server ends the backend): the run fails with a clear
message, and the next run completes with no document lost or stored twice and every pass caught up,
the same store an uninterrupted run leaves."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsloom.config import load_config
from newsloom.pipeline import analyze, foundation_stages
from newsloom.store import StoreError, open_store

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo" / "articles"
PASSES = ("copies", "similarity")


def _run(url: str):
    cfg = load_config(overrides={"runner": {"workers": 1}})
    return analyze([str(DEMO)], db=url, config=cfg, stages=foundation_stages)


def _state(url: str) -> dict:
    with open_store(url, read_only=True) as store:
        docs = [(r["doc_id"], r["duplicate_of"]) for rows in store.table_rows("documents") for r in rows]
        seen = sorted((r["pass"], r["doc_id"]) for rows in store.table_rows("pass_seen") for r in rows)
        return {"docs": docs, "seen": seen, "pending": {p: store.count_pass_pending(p) for p in PASSES},
                "children": {t: store.count(t) for t in ("entities", "dates", "quantities")}}


# where the connection drops: just before the n-th statement starting so (the first COMMIT ends the
# documents batch; pass state is saved inside the copies and similarity passes' transactions)
DROPS = [("COMMIT", 1), ("INSERT INTO pass_state", 1), ("SELECT * FROM framing", 1), ("INSERT INTO pass_state", 2)]


@pytest.mark.parametrize("drop_at", DROPS, ids=[f"{p.split()[0]}-{p.split()[-1]}-{n}" for p, n in DROPS])
def test_a_dropped_connection_fails_clearly_and_the_rerun_completes(drop_at, monkeypatch):
    import psycopg
    from pgstore import fresh_database

    from newsloom.store.postgres import PgCursor

    with fresh_database() as clean, fresh_database() as url:
        _run(clean)
        expected = _state(clean)
        assert expected["docs"] and all(n == 0 for n in expected["pending"].values())

        real = PgCursor.execute
        calls = {"n": 0, "dropped": 0}

        def dropping(self, sql, params=None):
            prefix, nth = drop_at
            if self.location == url and sql.startswith(prefix):
                calls["n"] += 1
                if calls["n"] == nth:  # the server ends this connection's backend, as on a restart
                    pid = self._cur.connection.info.backend_pid
                    with psycopg.connect(url, autocommit=True) as admin:
                        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
                    calls["dropped"] += 1
            return real(self, sql, params)

        monkeypatch.setattr(PgCursor, "execute", dropping)
        with pytest.raises(StoreError, match="lost the connection"):
            _run(url)
        assert calls["dropped"] == 1
        monkeypatch.setattr(PgCursor, "execute", real)

        again = _run(url)
        assert again.rejects == []
        got = _state(url)
        assert got == expected
        with open_store(url, read_only=True) as store:
            statuses = [r["status"] for r in store.runs()]
        assert statuses[0] == "done" and set(statuses[1:]) <= {"failed", "died"}
