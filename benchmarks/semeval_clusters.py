"""Events and stories on real, independently written reports: SemEval-2022 Task 8 (issue 9).

    .venv/bin/python benchmarks/semeval_clusters.py                      # testing file: before / after
    .venv/bin/python benchmarks/semeval_clusters.py --file training      # the same on the training file
    .venv/bin/python benchmarks/semeval_clusters.py --fit                # refit story_model.json (benchmarks/fit_story_model.py)
    .venv/bin/python benchmarks/semeval_clusters.py --rebuild            # re-run analyze into the cached stores

**The run.** Every distinct article text of one SemEval file (title and body run together, as in
the CSV) becomes one JSONL line ``{"text": ...}``: no title, date, language or pair information.
They are analysed as one corpus by ``newsloom.pipeline.analyze`` into a store cached under
``--cache`` (default /tmp/nl-semclu/<file>.duckdb; ``--rebuild`` redoes it). That store holds what
the per-document stages and the copies pass computed (vectors, linked entities, dates, numbers);
the clusters pass itself is then re-run in memory from those stored features, once per setting,
in ``[runner] pass_chunk`` batches exactly as ``analyze`` feeds it (``ClustersPass.cluster_all``),
so the shipped defaults of today and of before are measured side by side in one run. Copies take
their original's clusters.

**Scores.** For the human pairs of the file (every row: original and machine-translated
ones, as issue 9 measured), the share of pairs rated the same story (``Overall`` <= 1.5) that
end up in one story and in one event, and of pairs rated different (>= 3.5) that share a
story; overall, within one language, across languages, and per language pair. Pairs whose two
texts are the same text (one document) are left out. Targets (issue 9): same-story pairs together
>= 0.85 (>= 0.80 across languages); different pairs together <= 0.05.

Parameters are never chosen on the testing file: the story model is fitted with ``--fit`` on the
training file's pairs (plus NTREX dev) and its rules chosen on dev folds of the training file, see
``benchmarks/fit_story_model.py`` and ``newsloom.corpus.pairscore``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "similarity" / "semeval2022-task8-sample"
SAME, DIFFERENT = 1.5, 3.5


def load_rows(file: str) -> list[dict]:
    with open(DATA / f"{file}_set.csv", encoding="utf-8", newline="") as fh:
        return [
            {"pair_id": r["pair_id"], "lang1": r["lang1"], "lang2": r["lang2"], "text1": r["text1"],
             "text2": r["text2"], "overall": float(r["Overall"]),
             "sub": {k: float(r[k]) for k in ("Geography", "Entities", "Time", "Narrative")}}
            for r in csv.DictReader(fh)
        ]


def build_store(file: str, cache: Path, rebuild: bool = False) -> tuple[Path, list[str]]:
    """Analyse every distinct text of ``file`` into ``<cache>/<file>.duckdb``; (db, texts in line order)."""
    rows = load_rows(file)
    texts = list(dict.fromkeys(t for r in rows for t in (r["text1"], r["text2"])))
    cache.mkdir(parents=True, exist_ok=True)
    jsonl = cache / f"{file}.jsonl"
    db = cache / f"{file}.duckdb"
    if rebuild or not db.exists():
        from newsloom.pipeline import analyze

        for p in (db, Path(str(db) + ".wal"), Path(str(db) + ".lock")):
            p.unlink(missing_ok=True)
        jsonl.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8")
        t0 = time.perf_counter()
        summary = analyze([str(jsonl)], db=db)
        print(f"  analysed {summary.added} of {len(texts)} texts of the {file} file in "
              f"{time.perf_counter() - t0:.0f}s ({len(summary.rejects)} rejected)", file=sys.stderr, flush=True)
    return db, texts


@dataclass
class Corpus:
    """One analysed file: every stored original's clusterer features, and where each text went."""

    file: str
    feats: list  # DocFeatures of the originals, in the order the clusters pass takes them in
    doc_of: dict[str, str]  # text -> stored doc id (its original when it is a copy)
    rows: list[dict]
    chunk: int


def load_corpus(file: str, cache: Path, rebuild: bool = False) -> Corpus:
    from newsloom.config import load_config
    from newsloom.passes.clusters import ClustersPass
    from newsloom.store.duckdb import open_store

    db, texts = build_store(file, cache, rebuild)
    config = load_config()
    cp = ClustersPass(config)
    with open_store(db, read_only=True) as store:
        docs = store.rows("SELECT doc_id, source, duplicate_of, published FROM documents")
        doc_of = {}
        for d in docs:
            line = int(d["source"].rsplit(":", 1)[1])
            doc_of[texts[line - 1]] = d["duplicate_of"] or d["doc_id"]
        ids = [d["doc_id"] for d in sorted(docs, key=lambda d: (d["published"] is None, d["published"] or "", d["doc_id"]))]
        feats = cp._features(store, ids, config.cluster.number_chars)
    return Corpus(file=file, feats=feats, doc_of=doc_of, rows=load_rows(file), chunk=max(1, config.runner.pass_chunk))


def cluster(corpus: Corpus, params) -> dict[str, tuple[str, str]]:
    """{doc id: (event id, story id)} from a fresh clusterer fed as the clusters pass is fed."""
    from newsloom.corpus.clusters import Clusterer

    clusterer = Clusterer(params)
    out: dict[str, tuple[str, str]] = {}
    for start in range(0, len(corpus.feats), corpus.chunk):
        result = clusterer.assign(corpus.feats[start : start + corpus.chunk])
        for a in result.assignments:
            out[a.doc_id] = (a.event_id, a.story_id)
        for old, new in result.renamed_events.items():
            out = {d: (new if e == old else e, s) for d, (e, s) in out.items()}
        for old, new in result.renamed_stories.items():
            out = {d: (e, new if s == old else s) for d, (e, s) in out.items()}
    return out


def shares(corpus: Corpus, assigned: dict[str, tuple[str, str]]) -> dict[str, dict[str, list[int]]]:
    """{group: {"same_story": [together, n], "same_event": [...], "diff_story": [...]}} for the
    groups all / within / across / each language pair."""
    out: dict[str, dict[str, list[int]]] = defaultdict(lambda: {k: [0, 0] for k in ("same_story", "same_event", "diff_story")})
    for r in corpus.rows:
        a, b = corpus.doc_of.get(r["text1"]), corpus.doc_of.get(r["text2"])
        if a is None or b is None or a == b or a not in assigned or b not in assigned:
            continue
        (ea, sa), (eb, sb) = assigned[a], assigned[b]
        pair = "-".join(sorted((r["lang1"], r["lang2"])))
        groups = ("all", "within" if r["lang1"] == r["lang2"] else "across", pair)
        for g in groups:
            if r["overall"] <= SAME:
                out[g]["same_story"][0] += sa == sb
                out[g]["same_story"][1] += 1
                out[g]["same_event"][0] += ea == eb
                out[g]["same_event"][1] += 1
            elif r["overall"] >= DIFFERENT:
                out[g]["diff_story"][0] += sa == sb
                out[g]["diff_story"][1] += 1
    return out


def _fmt(x: list[int]) -> str:
    return f"{x[0] / x[1]:.2f} ({x[0]}/{x[1]})" if x[1] else "-"


def table(corpus: Corpus, systems: dict[str, dict]) -> str:
    """Markdown: one row per group and system."""
    first = next(iter(systems.values()))
    groups = ["all", "within", "across"] + sorted(g for g in first if g not in ("all", "within", "across"))
    lines = ["| pairs | system | same story (<= 1.5) in one story | ... in one event | different (>= 3.5) in one story |",
             "|---|---|---|---|---|"]
    for g in groups:
        for name, sh in systems.items():
            s = sh.get(g)
            if s is None:
                continue
            lines.append(f"| {g} | {name} | {_fmt(s['same_story'])} | {_fmt(s['same_event'])} | {_fmt(s['diff_story'])} |")
    return "\n".join(lines)


def previous_params():
    """The shipped defaults before issue 9 (the centroid-cosine story score, 30-day windows)."""
    from newsloom.corpus.clusters import ClusterParams

    return ClusterParams(story_probability=0.0, story_window_days=30.0)


# ---- fitting the story model (training file + NTREX dev; never the testing file) ------------------

NTREX_LANGS = ("eng", "arb", "ind", "msa", "fra", "spa", "deu", "pol", "tur", "rus", "ita", "por", "zho-CN")


def _sides(corpus: Corpus, params):
    from newsloom.corpus.clusters import doc_side

    return {f.doc_id: doc_side(f, params) for f in corpus.feats}


def semeval_pairs(corpus: Corpus, sides: dict) -> list[tuple]:
    """(side a, side b, Overall, doc a, doc b) of the file's pairs whose two texts are stored originals."""
    out = []
    for r in corpus.rows:
        a, b = corpus.doc_of.get(r["text1"]), corpus.doc_of.get(r["text2"])
        if a and b and a != b and a in sides and b in sides:
            out.append((sides[a], sides[b], r["overall"], a, b))
    return out


def ntrex_dev_pairs(params, seed: int = 0):
    """NTREX dev documents in ``NTREX_LANGS`` as the pipeline sees them, and pairs: translations of
    one document and documents of one same-happening group are the same story, others not."""
    import random

    sys.path.insert(0, str(Path(__file__).parent))
    import ntrex_clusters as nc

    from newsloom.corpus.clusters import DocFeatures, doc_side
    from newsloom.corpus.similarity import content_words
    from newsloom.embed import DEFAULT_ENCODER, get_encoder

    docs, split = nc.load_ntrex()
    groups = nc.load_groups()
    dev = sorted(d for d, s in split.items() if s == "dev")
    items = []
    for d in dev:
        for lang in NTREX_LANGS:
            sents = docs[d].get(lang)
            if sents:
                items.append({"uid": f"{d}|{lang}", "doc": d, "lang": lang, "title": sents[0], "text": " ".join(sents[1:])})
    emb = nc.Embedder(get_encoder(DEFAULT_ENCODER), Path("/tmp/nl-semclu/ntrex-vec"))
    vecs = emb.vectors(items, 400)
    sig = nc.pipeline_signals(items)
    sides = {}
    for it, v in zip(items, vecs):
        f = DocFeatures(doc_id=it["uid"], vector=v, lang=nc.LANG3[it["lang"]], title=it["title"],
                        quantities=sig[it["uid"]][0], entity_ids=sig[it["uid"]][1],
                        words=content_words(it["title"], it["text"]))
        sides[it["uid"]] = doc_side(f, params)
    rng = random.Random(seed)
    pairs = []
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            same = a["doc"] == b["doc"] or (a["doc"] in groups and groups[a["doc"]] == groups.get(b["doc"]))
            if same or rng.random() < 0.02:
                pairs.append((sides[a["uid"]], sides[b["uid"]], 1.0 if same else 4.0, a["uid"], b["uid"]))
    return sides, pairs


def pair_matrix(model, pairs, counts) -> dict[str, np.ndarray]:
    cols: dict[str, list] = defaultdict(list)
    for a, b, *_ in pairs:
        raw = model.raw_features(a, [b], counts)
        for k, v in raw.items():
            cols[k].append(float(v[0]))
    return {k: np.asarray(v) for k, v in cols.items()}


def ntrex_check(seeds: int = 3) -> str:
    """NTREX test event B-cubed and wrong same-happening merges (``benchmarks/ntrex_clusters.py``'s
    pools, signals and scoring) for the previous and the shipped defaults, side by side."""
    sys.path.insert(0, str(Path(__file__).parent))
    import ntrex_clusters as nc

    from newsloom.config import load_config
    from newsloom.embed import DEFAULT_ENCODER, get_encoder

    docs, split = nc.load_ntrex()
    groups = nc.load_groups()
    test_ids = [d for d, s in split.items() if s == "test"]
    pools = [nc.build_pool(docs, test_ids, seed=s) for s in range(seeds)]
    items = {it["uid"]: it for p in pools for it in p}
    nc.Scored.signals = nc.pipeline_signals(list(items.values()))
    emb = nc.Embedder(get_encoder(DEFAULT_ENCODER), Path("/tmp/nl-semclu/ntrex-vec"))
    scored = [nc.Scored(p, emb.vectors(p, 400), groups) for p in pools]
    lines = ["| system | event P | event R | event F1 | wrong same-happening merges | story P | story R | story F1 |",
             "|---|---|---|---|---|---|---|---|"]
    for name, params in (("previous defaults", previous_params()), ("shipped defaults", load_config().cluster)):
        m = nc.mean_scores([sc.run(params) for sc in scored])
        lines.append(f"| {name} | {m['P']:.3f} | {m['R']:.3f} | {m['F1']:.3f} | {m['wrong']:.1f} / {m['hard_pairs']:.0f} "
                     f"({m['wrong_pct']:.1f}%) | {m['story_P']:.3f} | {m['story_R']:.3f} | {m['story_F1']:.3f} |")
    return "\n".join(lines)


def demo_check() -> str:
    """The demo corpus (examples/demo, through ``newsloom analyze``) against its gold events and
    stories, previous and shipped defaults (``benchmarks/ntrex_clusters.py``'s helpers)."""
    sys.path.insert(0, str(Path(__file__).parent))
    import ntrex_clusters as nc

    from newsloom.config import load_config

    demo = nc.demo_features()
    lines = ["| system | event P | event R | event F1 | story P | story R | story F1 |", "|---|---|---|---|---|---|---|"]
    for name, params in (("previous defaults", previous_params()), ("shipped defaults", load_config().cluster)):
        m = nc.demo_scores(params, demo)
        lines.append(f"| {name} | {m['eP']:.3f} | {m['eR']:.3f} | {m['eF1']:.3f} | {m['sP']:.3f} | {m['sR']:.3f} | {m['sF1']:.3f} |")
    return "\n".join(lines)


def order_check(corpus: Corpus, seed: int = 0) -> str:
    """Arrival order: the corpus fed online in (date, id) order, as one shuffled batch, and as 10
    shuffled batches; pairwise B-cubed F1 of the story and event partitions against the first,
    online and after ``recluster`` (which re-assigns the whole window as one batch)."""
    import random

    from newsloom.config import load_config
    from newsloom.corpus.clusters import Clusterer, bcubed, recluster

    params = load_config().cluster
    rng = random.Random(seed)
    shuffled = corpus.feats[:]
    rng.shuffle(shuffled)
    feeds = {"date order, one batch": [corpus.feats], "shuffled, one batch": [shuffled],
             "shuffled, 10 batches": [shuffled[i::10] for i in range(10)]}
    runs = {}
    for name, batches in feeds.items():
        c = Clusterer(params)
        got: dict[str, tuple[str, str]] = {}
        for b in batches:
            res = c.assign(b)
            got.update({a.doc_id: (a.event_id, a.story_id) for a in res.assignments})
            for old, new in res.renamed_events.items():
                got = {d: (new if e == old else e, s) for d, (e, s) in got.items()}
            for old, new in res.renamed_stories.items():
                got = {d: (e, new if s == old else s) for d, (e, s) in got.items()}
        t0 = time.perf_counter()
        rc = recluster(corpus.feats, params, previous=got)
        dt = time.perf_counter() - t0
        runs[name] = (got, {a.doc_id: (a.event_id, a.story_id) for a in rc.assignments}, dt)
    ref_on, ref_rc, _ = runs["date order, one batch"]
    lines = ["| feed | online: story F1 / event F1 vs date order | after recluster | recluster seconds |", "|---|---|---|---|"]
    for name, (on, rc, dt) in runs.items():
        def f1(a, b, k):
            return bcubed({d: v[k] for d, v in a.items()}, {d: v[k] for d, v in b.items()})[2]
        lines.append(f"| {name} | {f1(on, ref_on, 1):.3f} / {f1(on, ref_on, 0):.3f} | "
                     f"{f1(rc, ref_rc, 1):.3f} / {f1(rc, ref_rc, 0):.3f} | {dt:.1f} |")
    return "\n".join(lines)


def scale_check(sizes: list[int], seed: int = 0) -> str:
    """Clustering cost per document at growing corpus sizes, and ``recluster`` time, on synthetic
    stories (5 reports each within 60 days, language-centred vectors of the shipped model's en/de/fr
    centres, 10 reports a day: a longer span for a larger corpus, as a growing archive; 20%
    undated, taken in last as ``pass_pending`` orders them): work per dated document must stay
    flat; an undated one compares with up to ``max_candidates`` stories."""
    from datetime import date, timedelta

    from newsloom.config import load_config
    from newsloom.corpus.clusters import Clusterer, DocFeatures, recluster
    from newsloom.corpus.pairscore import load_story_model

    params = load_config().cluster
    centres = load_story_model().centres
    rng = np.random.default_rng(seed)
    lines = ["| documents | clustering ms/doc (online, chunks of 5,000) | dated | undated | recluster s | stories |",
             "|---|---|---|---|---|---|"]
    for n in sizes:
        dim = len(centres["*"])
        feats = []
        for s in range(n // 5):
            start = date(1990, 1, 1) + timedelta(days=int(rng.integers(0, n // 10)))  # 10 reports a day
            topic = rng.normal(size=dim) / np.sqrt(dim)
            for k in range(5):
                lang = ("en", "de", "fr")[int(rng.integers(0, 3))]
                v = centres.get(lang, centres["*"]) + 1.5 * topic + 0.5 * rng.normal(size=dim) / np.sqrt(dim)
                day = start + timedelta(days=int(rng.integers(0, 60)))
                feats.append(DocFeatures(doc_id=f"s{s}-{k}", vector=(v / np.linalg.norm(v)).astype(np.float32),
                                         lang=lang, published=None if rng.random() < 0.2 else day.isoformat()))
        feats.sort(key=lambda f: (f.published is None, f.published or "", f.doc_id))
        c = Clusterer(params)
        t0 = time.perf_counter()
        spent = {True: 0.0, False: 0.0}
        for i in range(0, len(feats), 5000):
            part = feats[i : i + 5000]
            for dated in (True, False):
                sub = [f for f in part if (f.published is not None) == dated]
                if sub:
                    t1 = time.perf_counter()
                    c.assign(sub)
                    spent[dated] += time.perf_counter() - t1
        dt = time.perf_counter() - t0
        n_dated = sum(f.published is not None for f in feats)
        t0 = time.perf_counter()
        r = recluster(feats, params)
        rdt = time.perf_counter() - t0
        lines.append(f"| {n:,} | {1000 * dt / n:.2f} | {1000 * spent[True] / n_dated:.2f} | "
                     f"{1000 * spent[False] / max(1, n - n_dated):.2f} | {rdt:.0f} | "
                     f"{len({a.story_id for a in r.assignments}):,} |")
        print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join(lines)


def main(argv=None) -> int:
    from newsloom.config import load_config

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--file", default="testing", choices=("testing", "training"))
    ap.add_argument("--cache", type=Path, default=Path("/tmp/nl-semclu"))
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--fit", action="store_true", help="refit src/newsloom/corpus/story_model.json")
    ap.add_argument("--ntrex", action="store_true", help="also NTREX test events (3 pools), previous vs shipped")
    ap.add_argument("--demo", action="store_true", help="also the demo corpus against its gold, previous vs shipped")
    ap.add_argument("--order", action="store_true", help="only the arrival-order check (on --file), online and reclustered")
    ap.add_argument("--scale", default="", help="only the cost check on synthetic corpora of these sizes, e.g. 10000,50000")
    a = ap.parse_args(argv)
    if a.fit:
        import fit_story_model

        return fit_story_model.main(["--cache", str(a.cache)])
    if a.scale:
        print(scale_check([int(x) for x in a.scale.split(",")]))
        return 0
    corpus = load_corpus(a.file, a.cache, a.rebuild)
    if a.order:
        print(f"Arrival order, SemEval {a.file} file ({len(corpus.feats)} originals), shipped defaults:")
        print(order_check(corpus))
        return 0
    systems = {}
    for name, params in (("previous defaults", previous_params()), ("shipped defaults", load_config().cluster)):
        t0 = time.perf_counter()
        assigned = cluster(corpus, params)
        dt = time.perf_counter() - t0
        systems[name] = shares(corpus, assigned)
        print(f"  {name}: {len(assigned)} documents clustered in {dt:.1f}s, "
              f"{len({s for _, s in assigned.values()})} stories, {len({e for e, _ in assigned.values()})} events",
              file=sys.stderr, flush=True)
    print(f"SemEval-2022 task 8, {a.file} file: {len(corpus.feats)} originals of {len(corpus.doc_of)} texts stored")
    print(table(corpus, systems))
    if a.demo:
        print("\nDemo corpus (examples/demo/GOLD.tsv), B-cubed:")
        print(demo_check())
    if a.ntrex:
        print("\nNTREX-128 test split, mean of 3 pools (benchmarks/ntrex_clusters.py's pools and signals):")
        print(ntrex_check())
    return 0


if __name__ == "__main__":
    sys.exit(main())
