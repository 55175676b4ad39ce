"""Train the character n-gram naive Bayes model: ``models/ngram.npz``.

    python -m newsloom.langid.train_ngram [--sentences ../shared/data/langid/sentences]
    python -m newsloom.langid.train_ngram --cv     # dev-slice cross-validation of the cascade

Reads only the DEV slice of the lingua-py test sentences (lines whose 0-based index is a
multiple of 5, as ``train_cascade``); benchmarks/langid.py scores the other lines. Keeps
the n-grams seen at least ``MIN_TOTAL`` times over all languages. Deterministic: the same
input gives the same file. The sentences are Apache-2.0 (pemistahl/lingua-py testdata).

``--cv`` is how the detector's second-opinion defaults (``ngram_scale``, ``fasttext_weight``,
``ngram_top``, ``lingua_margin``) were chosen: the dev slice is cut in 5 folds, a model is
trained on 4 and the whole cascade is run on the 5th, so no sentence is scored by a model
that saw it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from newsloom.langid.ngram import MODEL_NAME, ORDERS, NgramCounts, _hash_orders, normalise
from newsloom.langid.train_cascade import read_dev

MIN_TOTAL = 3


def text_ngrams(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(hash, order) of every n-gram of every text, with repeats."""
    hs, os_ = [], []
    for t in texts:
        cps = np.frombuffer(normalise(t).encode("utf-32-le"), dtype=np.uint32)
        for n, h in zip(range(1, max(ORDERS) + 1), _hash_orders(cps)):
            if n in ORDERS:
                hs.append(h)
                os_.append(np.full(len(h), n, dtype=np.uint8))
    return np.concatenate(hs), np.concatenate(os_)


def count(texts: dict[str, list[str]], min_total: int = MIN_TOTAL) -> NgramCounts:
    langs = sorted(texts)
    totals = np.zeros((max(ORDERS) + 1, len(langs)), dtype=np.int64)
    keys, cols, ns = [], [], []
    order_of: dict[int, int] = {}
    for j, lang in enumerate(langs):
        h, o = text_ngrams(texts[lang])
        totals[:, j] = np.bincount(o, minlength=max(ORDERS) + 1)
        u, first, n = np.unique(h, return_index=True, return_counts=True)
        order_of.update(zip(u.tolist(), o[first].tolist()))
        keys.append(u)
        cols.append(np.full(len(u), j, dtype=np.int64))
        ns.append(n)
    key, col, n = np.concatenate(keys), np.concatenate(cols), np.concatenate(ns)
    vocab_all, inv = np.unique(key, return_inverse=True)
    total = np.bincount(inv, weights=n)
    keep = total >= min_total
    sel = keep[inv]
    key, col, n, inv = key[sel], col[sel], n[sel], inv[sel]
    order = np.lexsort((col, key))
    key, col, n = key[order], col[order], n[order]
    vocab = vocab_all[keep]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(np.searchsorted(vocab, key), minlength=len(vocab)))])
    return NgramCounts(
        langs=langs,
        vocab=vocab.astype(np.uint32),
        orders=np.array([order_of[int(v)] for v in vocab], dtype=np.uint8),
        indptr=indptr.astype(np.int64),
        indices=col.astype(np.uint8),
        counts=np.minimum(n, 65535).astype(np.uint16),
        totals=totals,
    )


def cross_validate(
    dev: dict[str, list[str]], margins: tuple[float, ...] = (0.0, 0.2, 0.3), folds: int = 5
) -> None:
    """Print the cascade's mean per-language dev accuracy, out of fold, for each lingua_margin."""
    from newsloom.langid.detector import LanguageDetector
    from newsloom.langid.ngram import NgramModel

    ok = {m: {lang: 0 for lang in dev} for m in margins}
    lingua = dict.fromkeys(margins, 0)
    for fold in range(folds):
        model = NgramModel(
            count({g: [t for k, t in enumerate(ts) if k % folds != fold] for g, ts in dev.items()})
        )
        for m in margins:
            det = LanguageDetector(ngram=model, lingua_margin=m)
            for lang, ts in dev.items():
                held = [t for k, t in enumerate(ts) if k % folds == fold]
                for d in det.detect_many(held):
                    ok[m][lang] += d.lang == lang
                    lingua[m] += d.lingua
    n = sum(len(ts) for ts in dev.values())
    for m in margins:
        acc = sum(ok[m][g] / len(dev[g]) for g in dev) / len(dev) * 100
        print(f"lingua_margin={m}: mean dev accuracy {acc:.2f}, Lingua asked for {lingua[m] / n:.1%}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=Path, default=Path("../shared/data/langid/sentences"))
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "models" / MODEL_NAME)
    ap.add_argument(
        "--cv", action="store_true", help="cross-validate the cascade on the dev slice, write nothing"
    )
    args = ap.parse_args(argv)
    if args.cv:
        cross_validate(read_dev(args.sentences))
        return
    c = count(read_dev(args.sentences))
    c.save(args.out)
    print(f"wrote {args.out}: {len(c.langs)} languages, {len(c.vocab)} n-grams, {len(c.counts)} counts")


if __name__ == "__main__":
    main()
