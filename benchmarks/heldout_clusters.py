"""Held-out check of the shipped clustering defaults on the fictional corpora (issue 9).

    .venv/bin/python benchmarks/heldout_clusters.py [--corpus heldout|demo|both]

Each corpus is analysed with `newsloom.pipeline.analyze` and the shipped configuration into a
temporary store, then its events and stories are scored (B-cubed precision, recall, F1) against
the corpus's GOLD.tsv. ``examples/heldout`` was written before any tuning and is never used to
choose a parameter (examples/heldout/README.md): this script only reports. The demo corpus was a
constraint of earlier parameter searches, so its numbers are not a held-out measure.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def gold_rows(corpus: Path) -> list[dict[str, str]]:
    with open(corpus / "GOLD.tsv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def gold_row(doc: dict, by_item: dict[str, dict], by_title: dict[str, dict]) -> dict | None:
    """The gold row of a stored document: by file name, ``file#line`` for JSONL, else by title."""
    name = Path(doc["source"]).name
    if ":" in name and name.rsplit(":", 1)[1].isdigit():
        name = "#".join(name.rsplit(":", 1))
    return by_item.get(name) or by_title.get((doc["title"] or "").strip())


def score(corpus: Path) -> dict[str, float]:
    from newsloom.config import load_config
    from newsloom.corpus.clusters import bcubed
    from newsloom.pipeline import analyze
    from newsloom.store import open_store

    rows = gold_rows(corpus)
    by_item = {r["item"]: r for r in rows}
    by_title = {r["title"].strip(): r for r in rows}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.duckdb"
        analyze([str(corpus / "articles")], db=db, config=load_config(overrides={"runner": {"workers": 1}}))
        with open_store(db, read_only=True) as store:
            docs = store.rows("SELECT doc_id, source, title, event_id, story_id FROM documents")
    pred_ev, pred_st, gold_ev, gold_st = {}, {}, {}, {}
    for d in docs:
        row = gold_row(d, by_item, by_title)
        if row is None:
            print(f"  not in gold: {d['source']}", file=sys.stderr)
            continue
        pred_ev[d["doc_id"]], pred_st[d["doc_id"]] = d["event_id"], d["story_id"]
        gold_ev[d["doc_id"]], gold_st[d["doc_id"]] = row["event"], row["story"]
    (ep, er, ef), (sp, sr, sf) = bcubed(pred_ev, gold_ev), bcubed(pred_st, gold_st)
    return {"docs": len(gold_ev), "gold": len(rows), "events": len(set(pred_ev.values())),
            "gold_events": len(set(gold_ev.values())), "stories": len(set(pred_st.values())),
            "gold_stories": len(set(gold_st.values())), "eP": ep, "eR": er, "eF1": ef, "sP": sp, "sR": sr, "sF1": sf}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", choices=("heldout", "demo", "both"), default="both")
    args = ap.parse_args()
    names = ["heldout", "demo"] if args.corpus == "both" else [args.corpus]
    print(f"{'corpus':8s} {'docs':>9s} {'events':>9s} {'stories':>9s}  {'event P/R/F1':>20s}  {'story P/R/F1':>20s}")
    for name in names:
        m = score(ROOT / "examples" / name)
        print(f"{name:8s} {m['docs']:4d}/{m['gold']:<4d} {m['events']:4d}/{m['gold_events']:<4d} "
              f"{m['stories']:4d}/{m['gold_stories']:<4d}  {m['eP']:.3f} {m['eR']:.3f} {m['eF1']:.3f}  "
              f"{m['sP']:.3f} {m['sR']:.3f} {m['sF1']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
