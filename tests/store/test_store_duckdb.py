from __future__ import annotations

import json

import duckdb
import pytest

from newsloom.models import DateMention, Document, EntityMention, Quantity, Reject, Removed
from newsloom.store.duckdb import StoreError, open_store
from newsloom.store.schema import EXPORT_COLUMNS, MIGRATIONS, SCHEMA_VERSION

# tests taking ``store_location`` run on a DuckDB file and on a PostgreSQL database (tests/store/conftest.py)


def _doc(body: str, **kw) -> Document:
    d = Document(source=kw.pop("source", "a.txt"), raw=body, **kw)
    d.text = body
    d.lang, d.lang_score = "en", 0.99
    return d


def test_migrations_apply_once_and_record_version(store_location, tmp_path):
    db = store_location
    with open_store(db) as s:
        assert s.schema_version() == SCHEMA_VERSION
    with open_store(db) as s:  # reopening applies nothing twice
        n = s.con.execute("SELECT count(*) FROM schema_version").fetchone()[0]
        assert n == len(MIGRATIONS)


def test_newer_schema_is_refused(store_location, tmp_path):
    db = store_location
    with open_store(db) as s:
        s.con.execute("INSERT INTO schema_version VALUES (999, now())")
    with pytest.raises(StoreError, match="newer"):
        open_store(db)


def test_read_only_open_of_missing_store_is_clear(tmp_path):
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "missing.duckdb", read_only=True)


def test_not_a_store(tmp_path):
    db = tmp_path / "other.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE x (a INT)")
    con.close()
    with pytest.raises(StoreError, match="not a newsloom store"):
        open_store(db, read_only=True)


def test_add_is_idempotent_and_keeps_annotations(store_location, tmp_path):
    with open_store(store_location) as s:
        run = s.begin_run(["x"])
        d = _doc("Jakarta flooded on Tuesday, 12.500 people fled.")
        d.removed = [Removed(text="Baca juga: banjir", reason="read-also")]
        d.entities = [EntityMention(start=0, end=7, text="Jakarta", type="LOC", entity_id="loc:jkt", name="Jakarta")]
        d.dates = [DateMention(start=20, end=27, text="Tuesday", value="2021-03-09")]
        d.quantities = [Quantity(start=29, end=35, text="12.500", value=12500.0, unit="people", kind="displaced")]
        assert s.add_documents([d, d], run) == 1
        assert s.add_documents([d], run) == 0
        assert s.count("documents") == 1
        assert s.count("entities") == 1 and s.count("dates") == 1 and s.count("quantities") == 1


def test_rejected_documents_are_not_stored(store_location, tmp_path):
    with open_store(store_location) as s:
        d = _doc("some text of an article")
        d.rejected = "no main text"
        assert s.add_documents([d], s.begin_run([])) == 0


def test_runs_and_rejects_are_recorded(store_location, tmp_path):
    with open_store(store_location) as s:
        run = s.begin_run(["folder/"])
        s.finish_run(run, added=3, already_stored=1,
                     rejects=[Reject(source="bad.jsonl", line=4, reason="invalid JSON")], stats={"clean.seen": 3})
        [r] = s.runs()
        assert (r["documents_added"], r["already_stored"], r["rejected"], r["status"]) == (3, 1, 1, "done")
        assert [str(x) for x in s.rejects(run)] == ["bad.jsonl:4: invalid JSON"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_writes_every_spec_table(store_location, tmp_path, fmt):
    with open_store(store_location) as s:
        d = _doc('Text with "quotes", commas\nand a newline — and العربية.')
        d.removed = [Removed(text="Share Facebook Twitter", reason="share-buttons")]
        s.add_documents([d], s.begin_run([]))
        written = s.export(tmp_path / "out", fmt)
    assert set(written) == set(EXPORT_COLUMNS)
    for table, path in written.items():
        assert path.exists(), table
    if fmt == "jsonl":
        row = json.loads((tmp_path / "out" / "documents.jsonl").read_text().splitlines()[0])
        assert list(row) == EXPORT_COLUMNS["documents"]
        assert row["text"] == d.text
        assert row["removed"] == [{"text": "Share Facebook Twitter", "reason": "share-buttons"}]
    if fmt == "parquet":
        con = duckdb.connect()
        cols = [c[0] for c in con.execute(f"DESCRIBE SELECT * FROM '{written['entities']}'").fetchall()]
        assert cols == EXPORT_COLUMNS["entities"]


def test_stats_count_copies_once(store_location, tmp_path):
    with open_store(store_location) as s:
        a = _doc("first article text here", publisher="Kabar", published="2021-03-09")
        b = _doc("second article text here", publisher="Kabar", published="2021-03-10T10:00:00")
        b.duplicate_of = a.doc_id
        s.add_documents([a, b], s.begin_run([]))
        st = s.stats()
    assert st["language"] == [("en", 1)]
    assert st["publisher"] == [("Kabar", 1)]
    assert st["month"] == [("2021-03", 1)]


def test_a_failed_export_leaves_earlier_files_whole_and_no_partial_ones(tmp_path, monkeypatch):
    """Exports are written under temporary names and renamed when every table is complete."""
    from newsloom.store.duckdb import DuckDBStore

    db = tmp_path / "s.duckdb"
    with open_store(db) as store:
        run = store.begin_run(["x"])
        store.add_documents([Document(source="a.txt", raw="Alma port strike.", text="Alma port strike.", lang="en")], run)
    out = tmp_path / "out"
    with open_store(db, read_only=True) as store:
        store.export(out, "jsonl")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = DuckDBStore._export_table

    def failing(self, table, fmt, path):
        if table == "clusters":
            raise OSError(28, "No space left on device")
        return real(self, table, fmt, path)

    monkeypatch.setattr(DuckDBStore, "_export_table", failing)
    with open_store(db, read_only=True) as store, pytest.raises(OSError):
        store.export(out, "jsonl")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # untouched, no temporary files


def test_exported_event_mentions_carry_their_documents_clusters(store_location, tmp_path):
    from newsloom.models import EventMention

    d = Document(source="a.txt", raw="Troops withdrew from Alma.", text="Troops withdrew from Alma.", lang="en")
    d.events = [EventMention(start=0, end=len(d.text), text=d.text, event_mention_id="m1", type="RETREAT")]
    db = store_location
    with open_store(db) as store:
        store.add_documents([d], store.begin_run(["x"]))
        store.update_documents("event_id", {d.doc_id: "ev-x"})
        store.update_documents("story_id", {d.doc_id: "st-x"})
        store.export(tmp_path / "out", "jsonl")
    (row,) = [json.loads(x) for x in (tmp_path / "out" / "events.jsonl").read_text().splitlines()]
    assert (row["event_id"], row["story_id"]) == ("ev-x", "st-x")
