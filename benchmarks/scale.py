"""Scale: documents/s and peak memory of `analyze` with the local runner and with Ray, by input size,
and the cost of an incremental run into a large store.

    .venv/bin/python benchmarks/scale.py [--sizes 1000,10000] [--stages toy,full] [--runners local,ray]
                                         [--incremental 10000] [--out FILE]

Inputs are NTREX-128 documents (../shared/data/ntrex: one per article and language, headline
as title; 3,075 of them), then recombined halves of articles of one language (``ntrex_items``),
written as JSONL to a temporary folder (never into the repo). Each setting runs in a
fresh process on a fresh DuckDB store, through ``newsloom.pipeline.analyze`` (reading, the
per-document stages, commits, then every whole-corpus pass), with:

- ``toy`` stages (tests/toy.py: text = raw, a hashed bag-of-words story vector): no models, so
  the numbers are the cost of the runner, the store and the real passes (copies, clusters,
  claims, similarity) per document;
- ``full``: the shipped per-document pipeline (HTML/text cleaning, language, entities, links,
  dates, quantities, events, e5 story vectors).

Peak resident memory is sampled from /proc every 0.2 s over the run's process tree: the driver
(the process running ``analyze``), the largest worker (a forkserver worker or a Ray actor,
``ray::`` in its command line), and everything together (Ray's own raylet/GCS included).
``--incremental N`` also times 1,000 new documents into a store already holding N (built with
the same stages and the local runner) against the same 1,000 into an empty store.
The 1-minute load average (``/proc/loadavg``) before each run is printed beside it: the machine
is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ntrex_corpus import documents, languages

ROOT = Path(__file__).resolve().parents[1]

PROBE = r"""
import json, os, sys, threading, time
sys.path.insert(0, os.path.join(os.getcwd(), "tests"))

def procs():
    out = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                fields = dict(l.split(":", 1) for l in open(f"/proc/{pid}/status") if ":" in l)
                cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
                stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
                cpu[int(pid)] = max(cpu.get(int(pid), 0.0), (int(stat[11]) + int(stat[12])) / TICK)
                out[int(pid)] = (int(fields["PPid"]), int(fields.get("VmRSS", "0 kB").split()[0]) / 1024, cmd)
            except (OSError, KeyError, ValueError):
                pass
    return out

me = os.getpid()
TICK = os.sysconf("SC_CLK_TCK")
cpu = {}  # pid -> CPU seconds (user + system), the largest value sampled
tree = {me}
peak = {"driver": 0.0, "worker": 0.0, "total": 0.0}
def sample():
    while True:
        table = procs()
        grew = True
        while grew:
            grew = False
            for pid, (ppid, _, _) in table.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        sizes = {p: table[p] for p in tree if p in table}
        workers = [rss for p, (_, rss, cmd) in sizes.items() if p != me and ("ray::" in cmd or "multiprocessing" in cmd)]
        peak["driver"] = max(peak["driver"], sizes.get(me, (0, 0.0, ""))[1])
        peak["worker"] = max([peak["worker"], *workers])
        peak["total"] = max(peak["total"], sum(rss for _, rss, _ in sizes.values()))
        time.sleep(0.2)
threading.Thread(target=sample, daemon=True).start()

from newsloom.config import load_config
from newsloom.pipeline import analyze, default_stages
from toy import toy_stages

path, db, runner, stages, with_passes = sys.argv[1:6]
cfg = load_config(overrides={"runner": {"kind": runner, "workers": 2}})
factory = toy_stages if stages == "toy" else default_stages
t = time.perf_counter()
s = analyze([path], db, cfg, stages=factory, **({} if with_passes == "yes" else {"passes": lambda c: []}))
seconds = time.perf_counter() - t
time.sleep(0.3)
folder, name = os.path.split(os.path.abspath(db))
size = 0
for root, _, files in os.walk(folder):  # the store and anything kept beside it (WAL, vector files)
    for f in files:
        full = os.path.join(root, f)
        if os.path.relpath(full, folder).startswith(name):
            size += os.path.getsize(full)
procs()
cpu_s = sum(v for p, v in cpu.items() if p in tree)  # every process of the run, ended ones at their last sample
print(json.dumps({"store_bytes": size, "cpu_s": cpu_s, "added": s.added, "rejected": len(s.rejects), "seconds": seconds, "stories": s.stories_in_store,
                  "store_docs": s.documents_in_store, **{f"{k}_mib": v for k, v in peak.items()}}))
"""


def ntrex_items(n: int, skip: int = 0) -> list[dict]:
    """Documents ``skip`` .. ``skip + n`` of a stream built from NTREX: first every (article, language)
    as it is, then recombined rounds. In round r >= 1 a document is the headline and first half of
    article a followed by the second half of article (a + 7r) of the same language, so it is new
    content (a new id), shares at most half its sentences with any other document, and reads as
    news in one language."""
    corpus = [(lang, list(documents(lang).values())) for lang in languages()]
    items: list[dict] = []
    rounds = 0
    while len(items) < skip + n:
        for lang, arts in corpus:
            for a, sents in enumerate(arts):
                if rounds:
                    other = arts[(a + 7 * rounds) % len(arts)]
                    body = sents[1:1 + len(sents) // 2] + other[1 + len(other) // 2:]
                else:
                    body = sents[1:]
                items.append({"title": sents[0], "text": "\n\n".join(body), "url": f"ntrex://{lang}/{a}/{rounds}"})
        rounds += 1
        if rounds > 40:
            raise SystemExit("NTREX recombined 40 times is still too small for this size")
    return items[skip:skip + n]


def write(items: list[dict], folder: Path) -> str:
    """A folder of JSONL files of 1,000 documents each (a file stays far below ingest.max_file_bytes)."""
    folder.mkdir(parents=True)
    for k in range(0, len(items), 1000):
        lines = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items[k:k + 1000])
        (folder / f"part-{k // 1000:05d}.jsonl").write_text(lines, encoding="utf-8")
    return str(folder)


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def run(path: str, db: Path, runner: str, stages: str, passes: bool = True) -> dict:
    load = loadavg()
    done = subprocess.run([sys.executable, "-c", PROBE, path, str(db), runner, stages, "yes" if passes else "no"],
                          cwd=ROOT, check=False,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{runner}/{stages} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["load"] = load
    result["docs_per_s"] = result["added"] / result["seconds"]
    return result


def row(label: str, r: dict) -> str:
    return (f"| {label} | {r['added']:,} | {r['seconds']:.1f} | {r['docs_per_s']:.1f} | {r['driver_mib']:.0f} | "
            f"{r['worker_mib']:.0f} | {r['total_mib']:.0f} | {r['store_bytes'] / r['store_docs']:,.0f} | "
            f"{1000 * r['cpu_s'] / max(1, r['added']):.1f} | {r['load']:.1f} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--stages", default="toy")
    ap.add_argument("--runners", default="local,ray")
    ap.add_argument("--incremental", type=int, default=0, help="also: 1,000 new documents into a store of this many")
    ap.add_argument("--out", type=Path, help="append the table rows to this file")
    ap.add_argument("--no-passes", action="store_true", help="per-document stages and commits only (no corpus passes)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    lines = [("| setting | docs | seconds | docs/s | driver MiB | largest worker MiB | all MiB | store bytes/doc "
              "| CPU ms/doc | load (1 min) |"), "|---|---|---|---|---|---|---|---|---|---|"]
    print("\n".join(lines), flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="newsloom-scale-"))
    try:
        for stages in args.stages.split(","):
            for n in sizes:
                path = write(ntrex_items(n), tmp / f"in-{n}")
                for runner in args.runners.split(","):
                    db = tmp / f"{stages}-{runner}-{n}.duckdb"
                    label = f"{stages} stages{', no passes' if args.no_passes else ''}, {runner}, {n:,} docs"
                    lines.append(row(label, run(path, db, runner, stages, not args.no_passes)))
                    print(lines[-1], flush=True)
            if args.incremental:
                big = args.incremental
                base = write(ntrex_items(big), tmp / f"base-{big}")
                new = write(ntrex_items(1000, skip=big), tmp / "new-1000")
                store = tmp / f"{stages}-base-{big}.duckdb"
                built = tmp / f"{stages}-local-{big}.duckdb"  # the same documents, if measured above
                if built.exists():
                    shutil.copy(built, store)
                else:
                    lines.append(row(f"{stages} stages, local, {big:,} docs (the base store)",
                                     run(base, store, "local", stages)))
                    print(lines[-1], flush=True)
                lines.append(row(f"{stages} stages, local, 1,000 new into {big:,}", run(new, store, "local", stages)))
                print(lines[-1], flush=True)
                empty = tmp / f"{stages}-empty.duckdb"
                lines.append(row(f"{stages} stages, local, 1,000 new into empty", run(new, empty, "local", stages)))
                print(lines[-1], flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.out:
        with args.out.open("a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    main()
