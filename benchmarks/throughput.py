"""Throughput of ingest + clean + language id, on one and on both cores, with peak memory.

    .venv/bin/python benchmarks/throughput.py [--docs 600]

Builds a folder of NTREX-sized documents (one per article and language, from ../shared/data),
then runs `newsloom analyze` on it in a fresh process with --workers 1 and --workers 2 and
reports documents/second (including model loading) and peak resident memory (the main
process and the largest worker).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ntrex_corpus import NTREX, languages, write_folder  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NEWSLOOM = [sys.executable, "-m", "newsloom.cli"]


def run(folder: Path, workers: int, db: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MiB, largest process) of one analyze run, measured in a fresh wrapper."""
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    cmd = [*NEWSLOOM, "analyze", str(folder), "--db", str(db), "--workers", str(workers), "-q"]
    out = subprocess.run([sys.executable, "-c", probe, *cmd], check=True, cwd=ROOT, capture_output=True, text=True)
    seconds, rss_kib = out.stdout.split()
    return float(seconds), int(rss_kib) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=600, help="documents to analyse")
    args = ap.parse_args()
    if not NTREX.is_dir():
        sys.exit(f"NTREX not found at {NTREX}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ntrex"
        langs = languages()
        n = write_folder(folder, langs, limit=args.docs)
        chars = sum(p.stat().st_size for p in folder.rglob("*.txt"))
        print(f"{n} documents in {len(langs)} languages, mean {chars / n / 1024:.1f} KiB each")
        print(f"{'workers':>8} {'seconds':>8} {'docs/s':>8} {'peak MiB (largest process)':>28}")
        for workers in (1, 2):
            db = Path(tmp) / f"w{workers}.duckdb"
            seconds, peak = run(folder, workers, db)
            print(f"{workers:>8} {seconds:>8.1f} {n / seconds:>8.1f} {peak:>28.0f}")


if __name__ == "__main__":
    main()
