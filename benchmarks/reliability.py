"""Reliability of runs with the real pipeline, through the `newsloom analyze` command (issue 13).

    .venv/bin/python benchmarks/reliability.py [--langs eng,ind,arb,msa,fra,spa] [--kills 4] [--seed 3]

NTREX-128 articles (../shared/data/ntrex, written to a temporary folder only) in several
languages, analysed three ways into three stores, side by side:
- **clean**: one uninterrupted run of everything;
- **halves**: the first half of the folders, then the other half, into one store (issue 13's
  "a normal second run crashes");
- **killed**: the whole input, SIGKILLed at random points ``--kills`` times, then run again.
For each: exit codes, documents stored, documents without an event or story, copies whose
clusters differ from their original's, pass backlog left, processes left behind after a kill,
and the pairwise B-cubed F1 of its event and story partitions against the clean run's.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from ntrex_corpus import write_folder  # noqa: E402

NEWSLOOM = str(Path(sys.executable).with_name("newsloom"))


def run(paths: list[str], db: Path, mark: str) -> subprocess.Popen:
    env = dict(os.environ, NEWSLOOM_RELIABILITY=mark)
    return subprocess.Popen([NEWSLOOM, "analyze", *paths, "--db", str(db), "-q"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def marked(mark: str) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if f"NEWSLOOM_RELIABILITY={mark}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                    pids.append(int(proc.name))
            except OSError:
                pass
    return pids


def state(db: Path) -> dict:
    from newsloom.store import open_store

    with open_store(db, read_only=True) as store:
        docs = store.rows("SELECT d.doc_id, d.duplicate_of, d.event_id, d.story_id, o.event_id AS oe,"
                          " o.story_id AS os FROM documents d LEFT JOIN documents o ON d.duplicate_of = o.doc_id")
        backlog = sum(store.count_pass_pending(p) for p in ("copies", "clusters", "similarity"))
        runs = [r["status"] for r in store.runs(100)]
    return {
        "docs": len(docs),
        "ungrouped": sum(1 for d in docs if not (d["event_id"] and d["story_id"])),
        "copies_astray": sum(1 for d in docs if d["duplicate_of"] and (d["event_id"], d["story_id"]) != (d["oe"], d["os"])),
        "backlog": backlog,
        "runs": runs,
        "events": {d["doc_id"]: d["event_id"] for d in docs},
        "stories": {d["doc_id"]: d["story_id"] for d in docs},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--langs", default="eng,ind,arb,msa,fra,spa")
    ap.add_argument("--kills", type=int, default=4)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    from newsloom.corpus.clusters import bcubed

    tmp = Path(tempfile.mkdtemp(prefix="newsloom-reliability-"))
    langs = args.langs.split(",")
    n = write_folder(tmp / "in", langs)
    folders = [str(tmp / "in" / lang) for lang in langs]
    print(f"{n} NTREX documents in {len(langs)} languages ({args.langs}); stores under {tmp}")
    mark = uuid.uuid4().hex
    rows = {}

    t0 = time.monotonic()
    proc = run(folders, tmp / "clean.duckdb", mark)
    codes = [proc.wait()]
    full = time.monotonic() - t0
    rows["clean"] = (codes, state(tmp / "clean.duckdb"), 0, 0)
    print(f"clean run: {full:.0f}s, exit {codes[0]}")

    half = len(folders) // 2
    codes = [run(folders[:half], tmp / "halves.duckdb", mark).wait(),
             run(folders[half:], tmp / "halves.duckdb", mark).wait()]
    rows["halves"] = (codes, state(tmp / "halves.duckdb"), 0, 0)

    rnd = random.Random(args.seed)
    codes, kills, leftover = [], 0, 0
    for attempt in range(args.kills * 3):
        if kills == args.kills:
            break
        proc = run(folders, tmp / "killed.duckdb", mark)
        time.sleep(rnd.uniform(1.0, max(2.0, full / (attempt + 1))))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        codes.append(proc.wait())
        deadline = time.monotonic() + 10
        while marked(mark) and time.monotonic() < deadline:
            time.sleep(0.2)
        leftover += len(marked(mark))
        for pid in marked(mark):  # clean up for the next round (counted above)
            os.kill(pid, signal.SIGKILL)
    codes.append(run(folders, tmp / "killed.duckdb", mark).wait())
    rows["killed"] = (codes, state(tmp / "killed.duckdb"), kills, leftover)

    clean = rows["clean"][1]
    print(f"\n{'store':8s} {'exit codes':24s} {'kills':>5s} {'left':>4s} {'docs':>5s} {'ungrouped':>9s} "
          f"{'copies astray':>13s} {'backlog':>7s} {'event F1':>8s} {'story F1':>8s}  runs")
    for name, (codes, st, k, left) in rows.items():
        ev = bcubed(st["events"], clean["events"])[2]
        sto = bcubed(st["stories"], clean["stories"])[2]
        print(f"{name:8s} {','.join(map(str, codes)):24s} {k:5d} {left:4d} {st['docs']:5d} {st['ungrouped']:9d} "
              f"{st['copies_astray']:13d} {st['backlog']:7d} {ev:8.3f} {sto:8.3f}  {','.join(reversed(st['runs']))}")
    bad = any(st["ungrouped"] or st["backlog"] or st["docs"] != clean["docs"] or st["copies_astray"]
              for _, st, _, _ in rows.values()) or rows["killed"][3]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
