"""The pipeline on each engine (``store_location``: a DuckDB file, then a PostgreSQL database):
analyze the demo corpus twice, export, recluster, export again. Both engines give the same export,
ids and all, and ``newsloom migrate`` carries a whole store across and back without losing a value."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsloom.config import load_config
from newsloom.pipeline import analyze, embedding_available, recluster
from newsloom.store import open_store
from newsloom.store.schema import EXPORT_COLUMNS, TABLES

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
EXPORTS: dict[str, dict[str, dict[str, list[dict]]]] = {}  # engine -> stage -> table -> rows


def _config():
    return load_config(overrides={"runner": {"workers": 1}})


def _export(location: str, out: Path, check) -> dict[str, list[dict]]:
    with open_store(location, read_only=True) as store:
        store.export(out, "jsonl")
    return check(out)


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def demo(request, tmp_path_factory, check_export_dir):
    from pgstore import fresh_database

    tmp = tmp_path_factory.mktemp(f"demo-{request.param}")
    if request.param == "duckdb":
        yield _run_demo("duckdb", str(tmp / "demo.duckdb"), tmp, check_export_dir)
    else:
        with fresh_database() as url:
            yield _run_demo("postgres", url, tmp, check_export_dir)


def _run_demo(engine: str, location: str, tmp: Path, check) -> dict:
    cfg = _config()
    first = analyze([str(DEMO / "articles")], db=location, config=cfg)
    second = analyze([str(DEMO / "articles")], db=location, config=cfg)
    exports = {"analyzed": _export(location, tmp / "analyzed", check)}
    counts = recluster(location, cfg) if embedding_available(cfg) else None
    exports["reclustered"] = _export(location, tmp / "reclustered", check)
    EXPORTS[engine] = exports
    return {"engine": engine, "location": location, "first": first, "second": second, "recluster": counts,
            "exports": exports, "tmp": tmp}


def test_demo_is_analysed_once_and_the_rerun_adds_nothing(demo):
    first, second = demo["first"], demo["second"]
    assert first.rejects == [] and first.added >= 20
    assert second.added == 0 and second.already_stored == first.added
    with open_store(demo["location"], read_only=True) as store:
        assert store.count("documents") == first.added
        assert [r["run_id"] for r in store.runs()][-2:] == [second.run_id, first.run_id]  # then recluster's
        assert all(store.count_pass_pending(p) == 0 for p in ("copies", "similarity"))


def test_recluster_keeps_every_original_in_one_story(demo):
    if demo["recluster"] is None:
        pytest.skip("re-clustering needs the embedding extra")
    rows = demo["exports"]["reclustered"]
    originals = {d["doc_id"] for d in rows["documents"] if d["duplicate_of"] is None}
    assert demo["recluster"]["documents"] == len(originals)
    members = [i for c in rows["clusters"] if c["level"] == "story" for i in c["doc_ids"]]
    assert originals <= set(members) and len(members) == len(set(members))
    assert all(d["story_id"] for d in rows["documents"])


def test_both_engines_export_the_same_rows(demo, tmp_path, check_export_dir):
    """The same store exported twice gives the same rows; the PostgreSQL store gives the DuckDB store's."""
    again = _export(demo["location"], tmp_path / "again", check_export_dir)
    assert again == demo["exports"]["reclustered"]
    if demo["engine"] == "duckdb" or "duckdb" not in EXPORTS:  # the engines are compared in the postgres case
        return
    for stage in ("analyzed", "reclustered"):
        for table in EXPORT_COLUMNS:
            assert EXPORTS["postgres"][stage][table] == EXPORTS["duckdb"][stage][table], (stage, table)


def _table(location: str, table: str) -> list[dict]:
    with open_store(location, read_only=True) as store:
        return [r for chunk in store.table_rows(table) for r in chunk]


def _same(a, b) -> bool:
    if isinstance(a, list) and a and isinstance(a[0], float):  # vectors: equal as 32-bit floats
        return np.array_equal(np.asarray(a, dtype=np.float32), np.asarray(b, dtype=np.float32))
    return a == b


def test_migrate_round_trips_every_table_without_loss(demo, tmp_path):
    """demo store -> the other engine -> back to the first engine: every row of every table equal."""
    from pgstore import fresh_database
    from typer.testing import CliRunner

    from newsloom.cli import app
    from newsloom.store.migrate import copy_store

    src = demo["location"]
    back = str(tmp_path / "back.duckdb")
    with fresh_database() as pg:
        if demo["engine"] == "duckdb":
            hops = [(src, pg), (pg, back)]
        else:
            hops = [(src, back), (back, pg)]
        result = CliRunner().invoke(app, ["migrate", *hops[0]])  # the command
        assert result.exit_code == 0, result.output
        assert "copied" in result.output
        copy_store(*hops[1])  # and the function behind it
        final = hops[-1][1]
        for table in ["schema_version", *TABLES]:
            before, after = _table(src, table), _table(final, table)
            assert len(before) == len(after), table
            for x, y in zip(before, after):
                assert x.keys() == y.keys(), table
                assert all(_same(x[k], y[k]) for k in x), (table, {k: (x[k], y[k]) for k in x if not _same(x[k], y[k])})
        assert _table(src, "documents"), "the demo store has documents"
        again = CliRunner().invoke(app, ["migrate", src, final])
        assert again.exit_code == 2 and "empty store" in again.output

