"""Train the Indonesian/Malay model shipped in ``models/idms.tsv.gz``.

    python -m newsloom.langid.train_idms [--shared ../shared/data] [--out PATH]
    python -m newsloom.langid.train_idms --cv      # the cross-validation the settings were chosen by

Learns from

* the two DSLCC files of ``langid/dslcc-id-ms`` (DSL shared tasks 2014 and 2015: 1,000
  Indonesian and 1,000 Malay news sentences each, labelled by the outlet's country), and
* the NTREX-128 documents marked ``dev`` in ``ntrex/SPLIT.tsv``: the Indonesian (``ind``) and
  Malay (``msa``) translations of the same sentences (the ``test`` documents stay out: the
  language benchmark scores them).

Model: L2-regularised logistic regression over the blocks of ``idms.text_features``
(character 1-5-grams; words, word pairs and marker counts), each feature scaled by its idf
and by the absolute naive Bayes log-count ratio of the training sentences (NBSVM, Wang and
Manning 2012: +1 to +1.5 points per label over plain tf-idf in the cross-file runs), fitted
by full-batch gradient descent (Adam); features seen in fewer than ``MIN_COUNT`` training
sentences are dropped. Deterministic: the same data gives the same file. NTREX-128 is CC BY-SA 4.0 (Microsoft); the DSLCC sentences were released by the DSL
organisers for research; the weights are a derived work of both (see models/README.md).
"""

from __future__ import annotations

import argparse
import gzip
import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from newsloom.langid.idms import BIAS, MODEL_NAME, IdMsClassifier, Markers, Model, block_vector, text_features

L2 = 2e-5  # L2 penalty on the mean log-loss; chosen by --cv
MIN_COUNT = 2
NB_ALPHA = 0.5  # smoothing of the log-count ratios; chosen by --cv (0.5 and 1 within 0.3 points)
STEPS = 400
LEARNING_RATE = 0.05
DSLCC_FILES = ("dslcc-v1.0-test-gold.id-my.tsv", "dslcc-v2.0-testA-gold.id-my.tsv")

Item = tuple[str, str]  # (text, "id" | "ms")


def load_pairs(ntrex: Path, split: str) -> list[tuple[str, str, str]]:
    """(doc_id, indonesian, malay) sentence triples of the NTREX documents in ``split``."""
    doc_ids = (ntrex / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    splits = {}
    for line in (ntrex / "SPLIT.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        doc, _, which = line.partition("\t")
        splits[doc.strip()] = which.strip()
    ind = (ntrex / "NTREX-128" / "newstest2019-ref.ind.txt").read_text(encoding="utf-8").splitlines()
    msa = (ntrex / "NTREX-128" / "newstest2019-ref.msa.txt").read_text(encoding="utf-8").splitlines()
    if not (len(doc_ids) == len(ind) == len(msa)):
        raise ValueError(f"{ntrex}: ind, msa and DOCUMENT_IDS.tsv are not line-aligned")
    return [(d.strip(), i, m) for d, i, m in zip(doc_ids, ind, msa) if splits.get(d.strip()) == split]


def load_dslcc(path: Path) -> list[Item]:
    """(sentence, "id" | "ms") rows of one DSLCC file (its Malay label is "my")."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text, _, label = line.rpartition("\t")
        if text and label in ("id", "my"):
            out.append((text, "ms" if label == "my" else "id"))
    return out


def ntrex_items(ntrex: Path, split: str = "dev") -> list[Item]:
    return [x for _, i, m in load_pairs(ntrex, split) for x in ((i, "id"), (m, "ms"))]


def mask_names(text: str) -> str:
    """The text as the DSL 2015 test B gave it: capitalised words inside a sentence -> "#NE#"."""
    words = text.split(" ")
    return " ".join("#NE#" if i and w[:1].isupper() else w for i, w in enumerate(words))


class Design:
    """Training texts as a sparse matrix over the model's features (scipy CSR: the trainer runs
    with the dev extra installed, as ``newsloom train ner`` does)."""

    def __init__(self, rows: list[dict[str, float]], names: list[str]) -> None:
        from scipy.sparse import csr_matrix

        index = {f: j for j, f in enumerate(names)}
        cols, vals, indptr = [], [], [0]
        for r in rows:
            for f, v in sorted(r.items()):
                cols.append(index[f])
                vals.append(v)
            indptr.append(len(cols))
        self.X = csr_matrix(
            (np.asarray(vals), np.asarray(cols), np.asarray(indptr)), shape=(len(rows), len(names))
        )
        self.XT = self.X.T.tocsr()
        self.n, self.d = len(rows), len(names)

    def dot(self, w: np.ndarray) -> np.ndarray:
        return self.X @ w

    def tdot(self, g: np.ndarray) -> np.ndarray:
        return self.XT @ g


class FeatureCache:
    """Feature blocks of each text, computed once (cross-validation refits many times)."""

    def __init__(self, markers: Markers) -> None:
        self.markers = markers
        self.seen: dict[str, tuple[Counter[str], Counter[str]]] = {}

    def __call__(self, text: str) -> tuple[Counter[str], Counter[str]]:
        blocks = self.seen.get(text)
        if blocks is None:
            blocks = self.seen[text] = text_features(text, self.markers)
        return blocks


def fit(items: Sequence[Item], cache: FeatureCache, l2: float = L2, steps: int = STEPS) -> Model:
    """Logistic regression (> 0 = Malay) over the scaled feature blocks of the training texts."""
    blocks = [cache(t) for t, _ in items]
    df: Counter[str] = Counter(f for bs in blocks for b in bs for f in b)
    n = len(items)
    # smoothed idf, as scikit-learn's TfidfVectorizer computes it
    idf = {f: math.log((1 + n) / (1 + k)) + 1.0 for f, k in sorted(df.items()) if k >= MIN_COUNT}
    # naive Bayes log-count ratio of each feature's presence in Malay vs Indonesian sentences
    in_ms: Counter[str] = Counter()
    in_id: Counter[str] = Counter()
    for bs, (_, gold) in zip(blocks, items):
        for b in bs:
            (in_ms if gold == "ms" else in_id).update(f for f in b if f in idf)
    n_ms = sum(1 for _, g in items if g == "ms")
    n_id = n - n_ms
    a = NB_ALPHA
    scale = {}
    for f, weight in idf.items():
        r = math.log((in_ms[f] + a) / (n_ms + 2 * a)) - math.log((in_id[f] + a) / (n_id + 2 * a))
        s = round(weight * abs(r), 3)
        if s:  # a feature as frequent in both languages weighs nothing
            scale[f] = s
    names = sorted(scale)
    rows = [{f: v for b in bs for f, v in block_vector(b, scale).items()} for bs in blocks]
    X = Design(rows, names)
    y = np.asarray([1.0 if g == "ms" else 0.0 for _, g in items])
    d = X.d
    w, b = np.zeros(d), 0.0
    m, v = np.zeros(d + 1), np.zeros(d + 1)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for t in range(1, steps + 1):
        z = X.dot(w) + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        g = (p - y) / X.n
        grad = np.concatenate([X.tdot(g) + l2 * w, [g.sum()]])
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad * grad
        step = LEARNING_RATE * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
        w -= step[:d]
        b -= float(step[d])
    weights = {f: round(float(x), 4) for f, x in zip(names, w)}
    return Model({f: x for f, x in weights.items() if x}, scale, round(b, 4))


def accuracy(
    clf: IdMsClassifier, items: Sequence[Item], transform: Callable[[str], str] = str
) -> dict[str, float]:
    """Accuracy per label (%)."""
    ok: Counter[str] = Counter()
    n: Counter[str] = Counter()
    for text, gold in items:
        n[gold] += 1
        ok[gold] += clf.decide(transform(text)).lang == gold
    return {g: 100.0 * ok[g] / n[g] for g in sorted(n)}


def folds(items: Sequence[Item], k: int, seed: int = 0) -> list[list[Item]]:
    order = list(items)
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]


def cross_validate(shared: Path, l2: float = L2, with_ntrex: bool = True) -> list[str]:
    """Rows of the cross-validation table: 5-fold inside each DSLCC file and inside both,
    then train on one file and test on the other; every test also with names masked."""
    markers = Markers()
    cache = FeatureCache(markers)
    files = [load_dslcc(shared / "langid" / "dslcc-id-ms" / f) for f in DSLCC_FILES]
    extra = ntrex_items(shared / "ntrex") if with_ntrex else []
    rows = []

    def score(name: str, train: list[Item], test: list[Item]) -> tuple[dict[str, float], dict[str, float]]:
        clf = IdMsClassifier(fit(train + extra, cache, l2=l2), markers)
        return accuracy(clf, test), accuracy(clf, test, mask_names)

    setups: list[tuple[str, list[tuple[list[Item], list[Item]]]]] = []
    for name, data in (
        ("v1.0 (5-fold)", files[0]),
        ("v2.0 (5-fold)", files[1]),
        ("both (5-fold)", files[0] + files[1]),
    ):
        parts = folds(data, 5)
        setups.append(
            (name, [([x for j, p in enumerate(parts) if j != i for x in p], parts[i]) for i in range(5)])
        )
    setups.append(("train v1.0, test v2.0", [(files[0], files[1])]))
    setups.append(("train v2.0, test v1.0", [(files[1], files[0])]))
    for name, runs in setups:
        raw: Counter[str] = Counter()
        masked: Counter[str] = Counter()
        for train, test in runs:
            a, b = score(name, train, test)
            for g in a:
                raw[g] += a[g] * sum(1 for _, x in test if x == g)
                masked[g] += b[g] * sum(1 for _, x in test if x == g)
        tests = [x for _, test in runs for x in test]
        n = Counter(g for _, g in tests)
        r = {g: raw[g] / n[g] for g in n}
        mk = {g: masked[g] / n[g] for g in n}
        rows.append(
            f"| {name} | {r['id']:.1f} | {r['ms']:.1f} | {mk['id']:.1f} | {mk['ms']:.1f} | {len(tests)} |"
        )
    return rows


def write_model(model: Model, out: Path, sources: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the file byte-identical across reruns
    with open(out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(
            (
                "# newsloom Indonesian/Malay logistic regression over scaled features of\n"
                "# newsloom.langid.idms.text_features: feature, weight (> 0 = Malay), scale (idf x |NB ratio|);\n"
                "# __bias__ = intercept.\n"
                f"# Trained on {sources}.\n"
                "# Derived from NTREX-128 (c) Microsoft, CC BY-SA 4.0, and from the DSLCC (DSL shared tasks\n"
                "# 2014/2015, released for research; cite Zampieri et al. 2014, 2015). See models/README.md.\n"
                f"{BIAS}\t{model.bias:.4f}\n"
            ).encode()
        )
        for f in sorted(model.scale):
            gz.write(f"{f}\t{model.weights.get(f, 0.0):.4f}\t{model.scale[f]:.3f}\n".encode())


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared/data"), help="shared data folder")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "models" / MODEL_NAME)
    ap.add_argument("--cv", action="store_true", help="print the cross-validation table instead of training")
    ap.add_argument("--l2", type=float, default=L2, help="L2 penalty (for --cv sweeps)")
    ap.add_argument("--no-ntrex", action="store_true", help="leave the NTREX dev sentences out (for --cv)")
    args = ap.parse_args(argv)
    if args.cv:
        print(f"l2={args.l2} ntrex_dev_in_training={not args.no_ntrex}")
        print("| setup | id | ms | id, names masked | ms, names masked | test sentences |")
        print("|---|---|---|---|---|---|")
        for row in cross_validate(args.shared, args.l2, not args.no_ntrex):
            print(row, flush=True)
        return
    cache = FeatureCache(Markers())
    items = [x for f in DSLCC_FILES for x in load_dslcc(args.shared / "langid" / "dslcc-id-ms" / f)]
    n_dsl = len(items)
    items += ntrex_items(args.shared / "ntrex")
    model = fit(items, cache)
    sources = (
        f"{n_dsl} DSLCC v1.0/v2.0 test sentences and {len(items) - n_dsl} NTREX-128 dev sentences (ind, msa)"
    )
    write_model(model, args.out, sources)
    print(
        f"wrote {len(model.scale)} features ({len(model.weights)} weighted) from {len(items)} sentences to {args.out}"
    )


if __name__ == "__main__":
    main()
