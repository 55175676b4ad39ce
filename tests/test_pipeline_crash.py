"""Crash safety: a run killed with SIGKILL at random points, several times, then run again,
leaves the same store as one uninterrupted run: nothing lost or duplicated, every document in
its event and story, no half-written clusters, no worker process left behind."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytest.importorskip("datasketch")

TESTS = Path(__file__).resolve().parent
DRIVER = """
import sys
sys.path.insert(0, {tests!r})
from toy import toy_stages
from newsloom.config import load_config
from newsloom.pipeline import analyze
analyze({paths!r}, db={db!r}, config=load_config({config!r}), stages=toy_stages)
"""


def _inputs(folder: Path) -> list[str]:
    from toy import corpus

    folder.mkdir()
    items = corpus(n_per_topic=60, seed=7)
    random.Random(7).shuffle(items)
    paths = []
    for i in range(6):
        p = folder / f"part{i}.jsonl"
        p.write_text("".join(json.dumps(x) + "\n" for x in items[i::6]), encoding="utf-8")
        paths.append(str(p))
    return paths


def _start(paths, db, config, mark) -> subprocess.Popen:
    code = DRIVER.format(tests=str(TESTS), paths=paths, db=str(db), config=str(config))
    env = dict(os.environ, NEWSLOOM_CRASH_TEST=mark)
    return subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE)


def _marked(mark: str) -> list[int]:
    """Processes that inherited this test's marker (the run and its workers)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if f"NEWSLOOM_CRASH_TEST={mark}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def _snapshot(db) -> dict:
    from newsloom.store import open_store

    with open_store(db, read_only=True) as store:
        docs = store.rows("SELECT doc_id, duplicate_of, event_id, story_id FROM documents ORDER BY doc_id")
        clusters = store.rows("SELECT cluster_id, level, parent, list_sort(doc_ids) AS d FROM clusters ORDER BY 1")
        pending = sum(store.count_pass_pending(p) for p in ("copies", "clusters", "similarity"))
        runs = [r["status"] for r in store.runs(100)]
    return {"docs": docs, "clusters": clusters, "pending": pending, "runs": runs}


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_sigkill_at_random_points_then_rerun_equals_an_uninterrupted_run(tmp_path):
    paths = _inputs(tmp_path / "in")
    config = tmp_path / "c.toml"
    config.write_text("[runner]\nworkers = 2\nbatch_size = 8\ninprocess_below = 16\npass_chunk = 150\n")
    mark = uuid.uuid4().hex

    clean = tmp_path / "clean.duckdb"
    started = time.monotonic()
    proc = _start(paths, clean, config, mark)
    assert proc.wait(300) == 0, proc.stderr.read().decode()
    full = time.monotonic() - started
    expected = _snapshot(clean)
    assert expected["pending"] == 0 and len(expected["docs"]) > 300

    db = tmp_path / "killed.duckdb"
    rnd = random.Random(11)
    kills = 0
    for attempt in range(8):
        proc = _start(paths, db, config, mark)
        # a random point of a run, earlier each time: each rerun has less left to do
        time.sleep(rnd.uniform(0.3, max(0.6, full / (attempt + 1))))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(60)
        deadline = time.monotonic() + 10
        while _marked(mark) and time.monotonic() < deadline:  # workers follow their parent
            time.sleep(0.2)
        assert _marked(mark) == [], "worker processes outlived the killed run"
        if kills == 5:
            break
    assert kills >= 4
    proc = _start(paths, db, config, mark)
    assert proc.wait(300) == 0, proc.stderr.read().decode()
    got = _snapshot(db)
    assert got["pending"] == 0
    assert got["docs"] == expected["docs"]  # none lost or duplicated, the same groupings
    assert got["clusters"] == expected["clusters"]  # no half-written or stale clusters
    assert got["runs"][0] == "done" and "running" not in got["runs"]


def test_disk_full_mid_run_is_a_clear_error_and_the_store_recovers(tmp_path):
    """A file-size limit (RLIMIT_FSIZE) stands in for a full disk: the run stops with an error
    naming the cause, the store still opens, and a run with room finishes the work."""
    import resource

    paths = _inputs(tmp_path / "in")
    config = tmp_path / "c.toml"
    config.write_text("[runner]\nworkers = 1\npass_chunk = 150\n")
    mark = uuid.uuid4().hex
    db = tmp_path / "full.duckdb"

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_500_000, 1_500_000))

    code = DRIVER.format(tests=str(TESTS), paths=paths, db=str(db), config=str(config))
    proc = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, NEWSLOOM_CRASH_TEST=mark),
                          capture_output=True, preexec_fn=small_disk, timeout=300)
    assert proc.returncode != 0
    err = proc.stderr.decode(errors="replace")
    assert "File too large" in err or "No space" in err, err[-2000:]
    proc = _start(paths, db, config, mark)
    assert proc.wait(300) == 0, proc.stderr.read().decode()
    got = _snapshot(db)
    assert got["pending"] == 0 and len(got["docs"]) > 300
    assert all(d["event_id"] and d["story_id"] for d in got["docs"])
