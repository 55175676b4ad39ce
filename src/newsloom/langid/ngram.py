"""A compact character n-gram naive Bayes model: the cascade's fast second opinion.

fastText lid.176 confuses a few groups of close languages ({bs, hr, sr}, {da, nb, nn},
{cs, sk}, ...) and cannot output some languages at all (Zulu, Maori, Tswana, ...). Among
the candidate languages a multinomial naive Bayes over lower-cased character 1-4-grams
decides in tens of microseconds where Lingua takes milliseconds.

N-grams are hashed with numpy, vectorised over a whole batch of texts: the text's code
points are rolled into a 64-bit polynomial hash per order, mixed down to 32 bits, and
looked up by binary search in the model's sorted hash vocabulary (no strings are stored;
with ~150k n-grams a 32-bit collision is a rare, harmless event). The model
(``models/ngram.npz``, reproduced by ``python -m newsloom.langid.train_ngram``) holds the
count of every kept n-gram in each language's training text as a sparse matrix;
log-probabilities with Lidstone smoothing are computed at load. Only the candidate
languages' rows are summed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path

import numpy as np

MODEL_NAME = "ngram.npz"
ORDERS = (1, 2, 3, 4)
TABLE_BITS = 21  # 2M-slot lookup table (8 MB); ~3% of the vocabulary shares a slot
WORD = re.compile(r"[^\W\d_]+")
_P = np.uint64(0x100000001B3)  # FNV-1 64-bit prime: the polynomial base
_MIX = np.uint64(0xFF51AFD7ED558CCD)  # murmur3 finaliser constant
_ORDER_SALT = np.array(
    [0, 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5], dtype=np.uint64
)


def normalise(text: str) -> str:
    """Lower-cased letters only, words joined by single spaces, padded with a space."""
    return " " + " ".join(WORD.findall(text.lower())) + " "


def _hash_orders(cps: np.ndarray) -> list[np.ndarray]:
    """For each order n, the 32-bit hash of every n-gram starting at each position."""
    out = []
    h = cps.astype(np.uint64)
    with np.errstate(over="ignore"):
        for n in range(1, max(ORDERS) + 1):
            if n > 1:
                h = h[:-1] * _P + cps[n - 1 :]
            if n in ORDERS:
                x = h ^ _ORDER_SALT[n]
                x ^= x >> np.uint64(33)
                x *= _MIX
                x ^= x >> np.uint64(33)
                out.append((x & np.uint64(0xFFFFFFFF)).astype(np.uint32))
            else:
                out.append(np.empty(0, dtype=np.uint32))
    return out


def hash_batch(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hashed n-grams of every text, concatenated, and each text's start offset in them.

    Texts are normalised and joined with a separator code point (0), so n-grams that span
    two texts are dropped; returns ``(hashes, starts)`` with ``len(starts) == len(texts) + 1``.
    """
    norm = [normalise(t) for t in texts]
    joined = "\0".join(norm)
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    # which text each code point belongs to (-1 for separators)
    lens = np.array([len(t) for t in norm], dtype=np.int64)
    owner = np.repeat(np.arange(len(norm)), lens + 1)[: len(cps)]
    owner[np.cumsum(lens + 1)[:-1] - 1] = -1
    parts_h, parts_o = [], []
    for n, hashes in zip(range(1, max(ORDERS) + 1), _hash_orders(cps)):
        if n not in ORDERS or not len(hashes):
            continue
        # an n-gram is kept when its first and last code points belong to the same text
        # and it contains no separator (texts are >= 2 chars, so checking ends suffices
        # only when n <= 2; check every position for safety)
        ok = owner[: len(hashes)] >= 0
        for j in range(1, n):
            ok &= owner[j : j + len(hashes)] == owner[: len(hashes)]
        parts_h.append(hashes[ok])
        parts_o.append(owner[: len(hashes)][ok])
    h = np.concatenate(parts_h) if parts_h else np.empty(0, dtype=np.uint32)
    o = np.concatenate(parts_o) if parts_o else np.empty(0, dtype=np.int64)
    order = np.argsort(o, kind="stable")
    starts = np.searchsorted(o[order], np.arange(len(texts) + 1))
    return h[order], starts


@dataclass(slots=True)
class NgramCounts:
    """Training counts: n-gram hash ``vocab[i]`` occurs ``counts[j]`` times in ``langs[indices[j]]``
    for ``j`` in ``indptr[i]:indptr[i+1]``; ``orders[i]`` is the n-gram's length."""

    langs: list[str]
    vocab: np.ndarray  # uint32, sorted
    orders: np.ndarray  # uint8
    indptr: np.ndarray  # int64, len(vocab) + 1
    indices: np.ndarray  # uint8 language column per entry
    counts: np.ndarray  # uint16 count per entry
    totals: np.ndarray  # int64 (order, language) total n-gram counts before pruning

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            langs=np.frombuffer("\n".join(self.langs).encode("utf-8"), dtype=np.uint8),
            vocab=self.vocab.astype(np.uint32),
            orders=self.orders.astype(np.uint8),
            indptr=self.indptr.astype(np.int64),
            indices=self.indices.astype(np.uint8),
            counts=self.counts.astype(np.uint16),
            totals=self.totals.astype(np.int64),
        )

    @classmethod
    def load(cls, path: Path) -> NgramCounts:
        with np.load(path) as z:
            return cls(
                langs=z["langs"].tobytes().decode("utf-8").split("\n"),
                vocab=z["vocab"],
                orders=z["orders"],
                indptr=z["indptr"],
                indices=z["indices"],
                counts=z["counts"],
                totals=z["totals"],
            )


class NgramModel:
    """Naive Bayes scores (mean log-likelihood per n-gram) for any subset of its languages."""

    def __init__(self, counts: NgramCounts | None = None, alpha: float = 0.5) -> None:
        c = counts if counts is not None else NgramCounts.load(_model_path())
        self.langs = c.langs
        self.col = {lang: i for i, lang in enumerate(c.langs)}
        self.vocab = c.vocab
        n_lang, n_vocab = len(c.langs), len(c.vocab)
        rows = np.repeat(np.arange(n_vocab), np.diff(c.indptr))
        dense = np.zeros((n_lang, n_vocab + 1), dtype=np.float32)
        dense[c.indices.astype(np.int64), rows] = c.counts
        # one denominator per (order, language); an n-gram outside the vocabulary (column
        # n_vocab) gets the smoothed probability of a count of zero at the mean order
        logp = np.empty_like(dense)
        kept = np.bincount(c.orders, minlength=max(ORDERS) + 1)
        unseen = np.zeros(n_lang, dtype=np.float64)
        for n in ORDERS:
            sel = np.flatnonzero(c.orders == n)
            total = c.totals[n].astype(np.float64) + alpha * max(1, int(kept[n]))
            logp[:, sel] = np.log(dense[:, sel] + alpha) - np.log(total)[:, None]
            unseen += (np.log(alpha) - np.log(total)) / len(ORDERS)
        logp[:, n_vocab] = unseen
        # n-gram-major: the rows of a text's n-grams are gathered as contiguous blocks
        self.logp = np.ascontiguousarray(logp.T)
        self._build_table()

    def _build_table(self) -> None:
        """A direct-address table on the top ``TABLE_BITS`` bits of a hash: the row of the
        one vocabulary hash in that slot, ``-1`` when several share it (binary search)."""
        n_vocab = len(self.vocab)
        slot = (self.vocab >> np.uint32(32 - TABLE_BITS)).astype(np.int64)
        table = np.full(1 << TABLE_BITS, n_vocab, dtype=np.int32)
        table[slot] = np.arange(n_vocab, dtype=np.int32)
        table[np.bincount(slot, minlength=1 << TABLE_BITS) > 1] = -1
        self._table = table

    def _rows(self, hashes: np.ndarray) -> np.ndarray:
        """Each hash's row in the model (the "unseen" row when absent)."""
        n_vocab = len(self.vocab)
        rows = self._table[(hashes >> np.uint32(32 - TABLE_BITS)).astype(np.int64)].astype(np.int64)
        shared = rows < 0
        if shared.any():
            rows[shared] = self._search(hashes[shared])
        hit = rows < n_vocab
        hit[hit] = self.vocab[rows[hit]] == hashes[hit]
        rows[~hit] = n_vocab
        return rows

    def _search(self, hashes: np.ndarray) -> np.ndarray:
        """Binary search of the sorted vocabulary (sorted queries are cache-friendly)."""
        order = np.argsort(hashes)
        pos = np.empty(len(hashes), dtype=np.int64)
        pos[order] = np.searchsorted(self.vocab, hashes[order])
        pos[pos >= len(self.vocab)] = len(self.vocab)
        hit = pos < len(self.vocab)
        hit[hit] = self.vocab[pos[hit]] == hashes[hit]
        pos[~hit] = len(self.vocab)
        return pos

    def score_matrix(self, texts: Sequence[str]) -> np.ndarray:
        """(texts x languages) mean log-likelihood per n-gram, one vectorised pass."""
        hashes, starts = hash_batch(texts)
        out = np.zeros((len(texts), len(self.langs)), dtype=np.float32)
        if not len(hashes):
            return out
        rows = self._rows(hashes)
        counts = np.diff(starts)
        has = np.flatnonzero(counts > 0)
        sums = np.add.reduceat(self.logp[rows], starts[has], axis=0)
        out[has] = sums / counts[has][:, None]
        return out

    def scores_many(self, texts: Sequence[str], langs: Sequence[Sequence[str]]) -> list[dict[str, float]]:
        """For each text, its mean log-likelihood per n-gram in each of its candidate languages."""
        hashes, starts = hash_batch(texts)
        rows = self._rows(hashes)
        out = []
        for i, cands in enumerate(langs):
            cols = [self.col[lang] for lang in cands if lang in self.col]
            lo, hi = starts[i], starts[i + 1]
            if not cols or hi <= lo:
                out.append({})
                continue
            r = rows[lo:hi]
            vals = self.logp[np.ix_(r, cols)].sum(axis=0) / (hi - lo)
            out.append({self.langs[c]: float(v) for c, v in zip(cols, vals)})
        return out

    def scores(self, text: str, langs: Sequence[str]) -> dict[str, float]:
        return self.scores_many([text], [langs])[0]


def _model_path() -> Path:
    return Path(str(importlib_resources.files("newsloom.langid").joinpath("models", MODEL_NAME)))


@lru_cache(maxsize=1)
def default_model() -> NgramModel:
    return NgramModel()
