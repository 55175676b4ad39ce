"""Throughput of ingest + clean + language id (the foundation stages), on one and on both cores.

    .venv/bin/python benchmarks/throughput.py [--docs 1000] [--full]

Builds a folder of NTREX-sized documents (one per article and language, from ../shared/data),
then, in a fresh process per setting, reads it (ingest) and runs the foundation stages (HTML
extraction, plain-text cleaning, sentences, language id) with the LocalRunner on 1 and 2
worker processes. Reports documents/second (model loading included) and peak resident memory
(sampled from /proc: the largest process, and all processes of the run together). ``--full`` also times the whole per-document pipeline of
`newsloom analyze` (entities, links, dates, quantities, story vectors) the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ntrex_corpus import NTREX, languages, write_folder  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

PROBE = r"""
import json, os, sys, threading, time
from newsloom.config import load_config
from newsloom.ingest.discover import iter_inputs
from newsloom.models import Document
from newsloom.pipeline import default_stages, foundation_stages
from newsloom.runner.local import LocalRunner

def tree_rss():
    # RSS (MiB) of this process and every descendant (forkserver workers included), from /proc
    procs = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                fields = dict(l.split(":", 1) for l in open(f"/proc/{pid}/status") if ":" in l)
                procs[int(pid)] = (int(fields["PPid"]), int(fields.get("VmRSS", "0 kB").split()[0]) / 1024)
            except (OSError, KeyError, ValueError):
                pass
    mine, grew = {os.getpid()}, True
    while grew:
        grew = False
        for pid, (ppid, _) in procs.items():
            if ppid in mine and pid not in mine:
                mine.add(pid)
                grew = True
    sizes = [procs[p][1] for p in mine if p in procs]
    return sum(sizes), max(sizes)

peak = [0.0, 0.0]
def sample():
    while True:
        total, largest = tree_rss()
        peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
        time.sleep(0.2)
threading.Thread(target=sample, daemon=True).start()

folder, workers, which = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cfg = load_config(overrides={"runner": {"workers": workers, "inprocess_below": 2}})
t = time.perf_counter()
docs = [d for d in iter_inputs([folder], cfg) if isinstance(d, Document)]
factory = foundation_stages if which == "foundation" else default_stages
done = sum(len(b) for b in LocalRunner(factory, cfg).run(docs))
seconds = time.perf_counter() - t
print(json.dumps({"docs": done, "seconds": seconds, "peak_mib": peak[1], "total_mib": peak[0]}))
"""


def run(folder: Path, workers: int, which: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, str(folder), str(workers), which],
                         check=True, cwd=ROOT, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000, help="documents to analyse")
    ap.add_argument("--full", action="store_true", help="also time the whole per-document pipeline")
    args = ap.parse_args()
    if not NTREX.is_dir():
        sys.exit(f"NTREX not found at {NTREX}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ntrex"
        n = write_folder(folder, languages(), limit=args.docs)
        chars = sum(p.stat().st_size for p in folder.rglob("*.txt"))
        print(f"{n} documents in {len(languages())} languages, mean {chars / n / 1024:.1f} KiB each; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"{'stages':>12} {'workers':>8} {'seconds':>8} {'docs/s':>8} {'peak MiB largest process':>25} {'all processes':>14}")
        for which in ("foundation", "all") if args.full else ("foundation",):
            for workers in (1, 2):
                r = run(folder, workers, which)
                print(f"{which:>12} {workers:>8} {r['seconds']:>8.1f} {r['docs'] / r['seconds']:>8.1f} "
                      f"{r['peak_mib']:>25.0f} {r['total_mib']:>14.0f}")


if __name__ == "__main__":
    main()
