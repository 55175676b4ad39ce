"""Where `analyze` spends its time on each store engine: one cProfile run of the demo corpus.

    .venv/bin/python benchmarks/store_engines.py --db /tmp/x.duckdb --db postgresql://user@host/emptydb

Each --db must be a new DuckDB file or an empty PostgreSQL database. A first, unprofiled run into a
temporary DuckDB file loads the models, so every engine is measured warm. Prints seconds for the
whole run, the stages (``_ingest``), the passes, the store opens, the bulk loads and the run lock.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
from pathlib import Path

from newsloom.config import load_config
from newsloom.pipeline import analyze
from newsloom.store import is_url, open_store

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo" / "articles"
PARTS = [("whole run", "pipeline.py", "analyze"), ("_ingest", "pipeline.py", "_ingest"),
         ("_passes", "pipeline.py", "_passes"), ("open_store", "store/__init__.py", "open_store"),
         ("bulk loads", "store/", "_bulk_insert"), ("run lock", "store/lock.py", "run_lock")]


def profile(location: str) -> dict[str, float]:
    if is_url(location):
        with open_store(location) as store:
            if not store.is_empty():
                raise SystemExit(f"{location} is not empty")
    elif Path(location).exists():
        raise SystemExit(f"{location} exists: give a new file")
    cfg = load_config(overrides={"runner": {"workers": 1}})
    prof = cProfile.Profile()
    prof.runcall(analyze, [str(DEMO)], db=location, config=cfg)
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    out = {}
    for label, file_part, func in PARTS:
        out[label] = sum(v[3] for k, v in stats.items() if file_part in k[0] and k[2] == func
                         and "newsloom" in k[0])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", action="append", required=True)
    args = ap.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:  # warm up: models load once per process, not per engine
        analyze([str(DEMO)], db=str(Path(tmp) / "warm.duckdb"), config=load_config(overrides={"runner": {"workers": 1}}))
    results = {db: profile(db) for db in args.db}
    print("| part | " + " | ".join("PostgreSQL" if is_url(d) else "DuckDB" for d in args.db) + " |")
    print("|---|" + "---|" * len(args.db))
    for label, _, _ in PARTS:
        print(f"| {label} | " + " | ".join(f"{results[d][label]:.2f}" for d in args.db) + " |")


if __name__ == "__main__":
    main()
