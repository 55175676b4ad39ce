"""The Ray runner: the local runner's contract (order, rejects, time budget, models set up once
per worker) on Ray Data actors, and a worker killed mid-run loses and duplicates nothing.

Skipped with the reason when ray is not installed; failed instead when NEWSLOOM_REQUIRE has ``ray``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gates import unavailable
from newsloom.config import load_config
from newsloom.models import Document

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory):
    """A local Ray of 2 CPUs, started the way the runner starts one; workers see tests/runner."""
    if importlib.util.find_spec("ray") is None:
        unavailable("ray", "ray is not installed (pip install 'newsloom[ray]'): the Ray runner is not tested")
    import ray

    from newsloom.runner.ray import start_local_ray

    pids = tmp_path_factory.mktemp("pids")
    os.environ["NEWSLOOM_TEST_PIDS"] = str(pids)  # inherited by the workers Ray starts
    sys.path.insert(0, str(HERE))
    if ray.is_initialized():
        ray.shutdown()
    start_local_ray(2)
    yield pids
    ray.shutdown()
    sys.path.remove(str(HERE))
    del os.environ["NEWSLOOM_TEST_PIDS"]


def _config(**runner):
    return load_config(overrides={"runner": {"kind": "ray", "workers": 2, **runner}})


def test_ray_runner_keeps_order_rejects_and_sets_up_once_per_actor(local_ray):
    from raystages import upper_stages

    from newsloom.runner import make_runner
    from newsloom.runner.ray import RayRunner

    runner = make_runner(upper_stages, _config(batch_size=4, doc_seconds=0.5))
    assert isinstance(runner, RayRunner)
    docs = [Document(source=f"d{i}", raw=("boom " if i == 5 else "stall " if i == 11 else "") + f"text {i}")
            for i in range(30)]
    batches = list(runner.run(docs))
    out = [d for b in batches for d in b]
    assert [d.source for d in out] == [f"d{i}" for i in range(30)]
    assert all(len(b) <= 4 for b in batches)  # bounded batches, committed one at a time
    assert out[5].rejected == "stage upper failed: ValueError: cannot handle boom"
    assert "took over 0.5s" in out[11].rejected and "runner.doc_seconds" in out[11].rejected
    assert all(d.text == d.raw.upper() for i, d in enumerate(out) if i not in (5, 11))
    assert runner.stats["upper.failed_ValueError"] == 1 and runner.stats["upper.failed_time_budget"] == 1
    assert runner.stats["upper.seen"] >= 28
    where = [d.author.split(":") for d in out if d.author]
    assert str(os.getpid()) not in {pid for pid, _ in where}, "ran on Ray's workers, not the driver"
    assert {setups for _, setups in where} == {"1"}  # stages set up once per actor, not per batch


def test_nothing_new_starts_no_ray_work(local_ray):
    from raystages import broken_stages

    from newsloom.runner.ray import RayRunner

    assert list(RayRunner(broken_stages, _config()).run([])) == []


def test_a_stage_factory_that_fails_ends_the_run_with_its_reason(local_ray):
    from raystages import broken_stages

    from newsloom.runner import RunnerError
    from newsloom.runner.ray import RayRunner

    with pytest.raises(RunnerError, match="model file missing"):
        list(RayRunner(broken_stages, _config()).run([Document(source="a", raw="some text here")]))


def _export(db: Path, out: Path) -> dict[str, list[dict]]:
    from newsloom.cli import app

    result = CliRunner().invoke(app, ["export", "--db", str(db), "--out", str(out), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return {p.stem: [json.loads(ln) for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]
            for p in out.glob("*.jsonl")}


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(local_ray, tmp_path):
    pytest.importorskip("datasketch")
    from raystages import slow_toy_stages

    from newsloom.ingest.discover import iter_inputs
    from newsloom.pipeline import analyze
    from newsloom.runner import RunnerError
    from toy import corpus

    items = corpus(n_per_topic=12, seed=3)
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    db = tmp_path / "s.duckdb"
    cfg = _config(batch_size=4)
    for old in local_ray.iterdir():
        old.unlink()
    killed: list[int] = []
    finished = threading.Event()

    def kill_one_worker() -> None:
        # wait until a worker has processed a few batches, then SIGKILL its process
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not finished.is_set():
            for f in local_ray.iterdir():
                if len(f.read_text().split()) >= 2:
                    os.kill(int(f.name), signal.SIGKILL)
                    killed.append(int(f.name))
                    return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_one_worker)
    killer.start()
    try:
        first = analyze([str(path)], db=db, config=cfg, stages=slow_toy_stages)
        outcome = f"finished: {first.added} added"
    except RunnerError as exc:  # allowed: a clear message, and the rerun below finishes
        outcome = f"failed: {exc}"
        assert "run analyze again" in str(exc)
    finally:
        finished.set()
        killer.join()
    assert killed, f"no worker was killed before the run ended ({outcome})"
    print(f"worker {killed[0]} killed mid-run; first run {outcome}")

    again = analyze([str(path)], db=db, config=cfg, stages=slow_toy_stages)
    assert not again.rejects
    tables = _export(db, tmp_path / "out")
    docs = tables["documents"]
    ids = [d["doc_id"] for d in docs]
    expected = {d.doc_id for d in iter_inputs([str(path)], cfg) if isinstance(d, Document)}
    assert len(ids) == len(set(ids)), "a document was stored twice"
    assert set(ids) == expected, "a document was lost"
    clusters = {c["cluster_id"]: c for c in tables["clusters"]}
    for d in docs:
        assert d["event_id"] and d["story_id"], f"{d['doc_id']} was not clustered"
        assert d["doc_id"] in clusters[d["event_id"]]["doc_ids"]
        assert d["doc_id"] in clusters[d["story_id"]]["doc_ids"]
