"""A calibrated pair score: the probability that two reports belong to one story.

What the clusterer (and anyone else) calls::

    from newsloom.corpus.pairscore import PairSide, CorpusCounts, load_story_model

    model = load_story_model()                     # story_model.json beside this module
    counts = CorpusCounts(model)                   # language centres and entity document frequencies
    counts.add(side)                               # once per document of the corpus (order does not matter)
    p = model.prob(model.features(doc, [member, ...], counts))   # P(same story) per member

**Sides.** A ``PairSide`` is what the score reads of one document: its story vector (e5,
L2-normalised), language, linked entity ids, figures (the numbers the clusterer compares),
title stems (``title_stems``) and a day number (publication date, else the working date the
document's own dates give, else None).

**Features** of a pair (``FEATURES``), every one computed the same way at fitting time and in
the clusterer:

- ``ccos``: cosine of the two vectors after subtracting, from each, the mean vector of its
  language (``CorpusCounts.centre``: the running corpus mean, shrunk towards the centre shipped
  in the model file, which was measured on the fitting data, by ``centre_prior`` documents; a
  language the model has never seen is shrunk towards the mean of all; vectors of another size
  than the shipped centres are shrunk towards zero, i.e. less centring while a language has few
  documents, so near-identical reports stay near cosine 1). e5 vectors of one
  language share a direction that puts unrelated same-language pairs near cosine 0.8 and
  cross-language pairs of one story lower; centring removes most of that bias. It enters as a
  piecewise-linear curve (knots at training quantiles, ``similarity.ramps``);
- ``cross`` (1 when the languages differ) and ``ccos_cross`` (``ccos`` for a cross-language
  pair, else 0): the per-language-pair bias that centring leaves;
- ``entities``: overlap of linked entity ids weighted by rarity: the summed IDF of the shared
  ids over the smaller side's summed IDF, IDF = log((N + 1) / (df + 1)) over the corpus
  (``CorpusCounts``); ``no_entities`` = 1 when a side has none (then ``entities`` = 0);
- ``figures``: Jaccard of the figures; ``no_figures`` when a side has none;
- ``title``: Jaccard of the title stems; ``no_title`` when a side has none;
- ``days``: log1p(|day difference|) / log1p(365) clipped to 1, ``undated`` when a side has no
  day (then ``days`` = 0);
- ``tfidf_same``, ``tfidf_cross``: cosine of the tf-idf vectors of content-word stems
  (``similarity.content_words`` of the title and the first 2,000 characters; document
  frequencies over the corpus, ``CorpusCounts``), for a same-language pair and for a
  cross-language pair (0 otherwise): the whole text, which the 400-character vector cannot see.
  A story member keeps its ``WORDS_KEPT`` stems of highest tf-idf (bounded state).

**Model.** Logistic regression (L2-penalised, fitted by ``benchmarks/fit_story_model.py`` on the
SemEval-2022 task 8 *training* file's pairs, as analysed by ``newsloom analyze``, plus NTREX dev
pairs; never on the testing file), optionally followed by an isotonic curve (``calibration``:
points of a non-decreasing map from the linear score to the probability, fitted on the same
pairs). The file ``story_model.json`` holds the feature list, the knots, the weights, the
intercept, the calibration, the language centres, the decision threshold, the cluster rules
below and the command and data it came from. ``prob`` returns calibrated probabilities.

**Cluster rules** (data in the model file, chosen with the model on the training file's dev
folds): a document's probability for a story is ``cluster_prob`` of its member probabilities,
the mean of the ``aggregate`` best (1 = the best member, single link; 0 = all members, average
link); after each batch, stories whose average-link probability (every member pair) reaches
``merge`` are merged (0 = no merge round); ``size_penalty`` x ln(kept members) is taken off a
story's probability (a story of many members has more chances of one high pair; 0 = none), see
``newsloom.corpus.clusters``.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from newsloom.corpus.similarity import ramps

STORY_MODEL_PATH = Path(__file__).with_name("story_model.json")
FEATURES = ("ccos", "cross", "ccos_cross", "entities", "no_entities", "figures", "no_figures",
            "title", "no_title", "days", "undated", "tfidf_same", "tfidf_cross")
VECTOR_FEATURES = frozenset({"ccos", "cross", "ccos_cross"})  # features read from the vectors and languages only
WORDS_KEPT = 64  # content-word stems a side keeps (the highest tf-idf when it is made): bounded state
_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)


def title_stems(title: str | None, prefix: int = 5) -> frozenset[str]:
    """Stems of a title for the ``title`` feature: letter runs of at least 3 letters cut to
    ``prefix``, and digit runs; NFKC, case-folded, accents removed (names and figures meet
    across languages)."""
    if not title:
        return frozenset()
    s = unicodedata.normalize("NFKC", title).casefold()
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return frozenset(w[:prefix] for w in _WORD.findall(s) if len(w) >= 3 or w.isdigit())


@dataclass(slots=True, kw_only=True)
class PairSide:
    """One document as the pair score reads it (see the module docstring)."""

    vector: np.ndarray
    lang: str | None = None
    entities: frozenset[str] = frozenset()
    figures: frozenset[str] = frozenset()
    title: frozenset[str] = frozenset()
    day: float | None = None
    words: Mapping[str, int] = field(default_factory=dict)  # ``similarity.content_words`` stems


@dataclass(frozen=True, slots=True)
class StoryModel:
    features: tuple[str, ...]
    knots: Mapping[str, tuple[float, ...]]
    weights: Mapping[str, tuple[float, ...]]  # one per basis column of the feature
    intercept: float
    threshold: float
    centres: Mapping[str, np.ndarray]  # shipped language centres ("*" = all languages)
    centre_prior: float
    aggregate: int  # a cluster's probability = mean of its ``aggregate`` best member probabilities (0 = all)
    meta: Mapping[str, Any] = field(default_factory=dict)
    # isotonic calibration: (linear scores, probabilities), both non-decreasing; () = the logistic curve
    calibration: tuple[tuple[float, ...], tuple[float, ...]] = ((), ())
    merge: float = 0.0  # average-link probability at which two stories merge after a batch (0 = never)
    size_penalty: float = 0.0  # a story's probability is lowered by this x ln(its kept members) (0 = none)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> StoryModel:
        feats = tuple(d["features"])
        unknown = set(feats) - set(FEATURES)
        if unknown:
            raise ValueError(f"story model names unknown features {sorted(unknown)}")
        knots = {f: tuple(float(k) for k in d.get("knots", {}).get(f, ())) for f in feats}
        weights = {f: tuple(float(w) for w in d["weights"][f]) for f in feats}
        for f in feats:
            if len(weights[f]) != (1 + len(knots[f]) if knots[f] else 1):
                raise ValueError(f"story model: feature {f!r} needs {1 + len(knots[f])} weights")
        centres = {k: np.asarray(v, dtype=np.float32) for k, v in d.get("centres", {}).items()}
        vals = [float(d["intercept"]), float(d["threshold"])] + [w for ws in weights.values() for w in ws]
        if not all(math.isfinite(x) for x in vals):
            raise ValueError("story model: non-finite value")
        cal = d.get("calibration") or {}
        cx = tuple(float(x) for x in cal.get("z", ()))
        cy = tuple(float(y) for y in cal.get("p", ()))
        if len(cx) != len(cy) or any(b < a for a, b in pairwise(cx)) or any(b < a for a, b in pairwise(cy)) \
                or not all(math.isfinite(x) for x in cx + cy) or not all(0.0 <= y <= 1.0 for y in cy):
            raise ValueError("story model: calibration needs as many non-decreasing finite 'z' as 'p' in [0, 1]")
        aggregate, merge, penalty = int(d.get("aggregate", 1)), float(d.get("merge", 0.0)), float(d.get("size_penalty", 0.0))
        if aggregate < 0 or not 0.0 <= merge <= 1.0 or not 0.0 <= penalty <= 1.0:
            raise ValueError("story model: 'aggregate' must be >= 0, 'merge' and 'size_penalty' within [0, 1]")
        return cls(feats, knots, weights, float(d["intercept"]), float(d["threshold"]), centres,
                   float(d.get("centre_prior", 20.0)), aggregate, d.get("meta", {}), (cx, cy), merge, penalty)

    def to_dict(self) -> dict[str, Any]:
        return {
            "meta": dict(self.meta), "features": list(self.features),
            "knots": {f: list(k) for f, k in self.knots.items() if k},
            "weights": {f: [round(w, 6) for w in ws] for f, ws in self.weights.items()},
            "intercept": round(self.intercept, 6),
            **({"calibration": {"z": [round(x, 6) for x in self.calibration[0]],
                                "p": [round(y, 6) for y in self.calibration[1]]}} if self.calibration[0] else {}),
            "threshold": self.threshold, "aggregate": self.aggregate, "merge": self.merge,
            **({"size_penalty": self.size_penalty} if self.size_penalty else {}),
            "centre_prior": self.centre_prior,
            "centres": {k: [round(float(x), 5) for x in v] for k, v in sorted(self.centres.items())},
        }

    # ---- features ---------------------------------------------------------------------
    def raw_features(self, doc: PairSide, members: Sequence[PairSide], counts: CorpusCounts,
                     need: Iterable[str] | None = None) -> dict[str, np.ndarray]:
        """The raw pair features of ``doc`` against each of ``members`` (columns by name); with
        ``need``, only those (the others are zeros: the model does not read them)."""
        n = len(members)
        need = set(FEATURES if need is None else need)
        if "ccos_cross" in need:
            need |= {"ccos", "cross"}
        cd = counts.centred(doc.vector, doc.lang)
        if n:
            langs = [m.lang or "und" for m in members]
            cm = np.stack([m.vector for m in members]) - np.stack([counts.centre(lang) for lang in langs])
            norms = np.linalg.norm(cm, axis=1)
            ccos = (cm @ cd) / np.where(norms > 0, norms, 1.0)
        else:
            ccos = np.zeros(0)
        cross = np.array([float(bool(doc.lang and m.lang and doc.lang != m.lang)) for m in members])
        ent = np.zeros(n)
        no_ent = np.zeros(n)
        fig = np.zeros(n)
        no_fig = np.zeros(n)
        tit = np.zeros(n)
        no_tit = np.zeros(n)
        days = np.zeros(n)
        undated = np.zeros(n)
        use_ent = "entities" in need or "no_entities" in need
        use_fig = "figures" in need or "no_figures" in need
        use_tit = "title" in need or "no_title" in need
        use_day = "days" in need or "undated" in need
        dw = counts.idf_sum(doc.entities) if doc.entities and use_ent else 0.0
        td = counts.tfidf(doc.words) if "tfidf_same" in need or "tfidf_cross" in need else {}
        tsame = np.zeros(n)
        tcross = np.zeros(n)
        for j, m in enumerate(members):
            if td and m.words:
                tm = counts.tfidf(m.words)
                t = sum(x * tm.get(w, 0.0) for w, x in td.items()) if tm else 0.0
                if cross[j]:
                    tcross[j] = t
                else:
                    tsame[j] = t
            if use_ent:
                if doc.entities and m.entities:
                    shared = doc.entities & m.entities
                    w = min(dw, counts.idf_sum(m.entities))
                    ent[j] = counts.idf_sum(shared) / w if w > 0 else 0.0
                else:
                    no_ent[j] = 1.0
            if use_fig:
                if doc.figures and m.figures:
                    fig[j] = len(doc.figures & m.figures) / len(doc.figures | m.figures)
                else:
                    no_fig[j] = 1.0
            if use_tit:
                if doc.title and m.title:
                    tit[j] = len(doc.title & m.title) / len(doc.title | m.title)
                else:
                    no_tit[j] = 1.0
            if use_day:
                if doc.day is not None and m.day is not None:
                    days[j] = min(1.0, math.log1p(abs(doc.day - m.day)) / math.log1p(365.0))
                else:
                    undated[j] = 1.0
        return {"ccos": ccos, "cross": cross, "ccos_cross": ccos * cross, "entities": ent,
                "no_entities": no_ent, "figures": fig, "no_figures": no_fig, "title": tit,
                "no_title": no_tit, "days": days, "undated": undated, "tfidf_same": tsame, "tfidf_cross": tcross}

    def design(self, cols: Mapping[str, np.ndarray]) -> np.ndarray:
        """The model's basis columns for raw feature columns."""
        parts = []
        for f in self.features:
            x = np.asarray(cols[f], dtype=np.float64)
            parts.append(ramps(x, self.knots[f]) if self.knots[f] else x[:, None])
        return np.hstack(parts) if parts else np.zeros((0, 0))

    def coef(self) -> np.ndarray:
        return np.asarray([w for f in self.features for w in self.weights[f]], dtype=np.float64)

    def score_cols(self, cols: Mapping[str, np.ndarray]) -> np.ndarray:
        """The linear score (log-odds of the logistic model) of raw feature columns."""
        return self.intercept + self.design(cols) @ self.coef()

    def calibrate(self, z: np.ndarray) -> np.ndarray:
        """Probabilities of linear scores: the isotonic curve when the model has one, else the logistic."""
        if self.calibration[0]:
            return np.interp(z, self.calibration[0], self.calibration[1])
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))

    def prob_cols(self, cols: Mapping[str, np.ndarray]) -> np.ndarray:
        return self.calibrate(self.score_cols(cols))

    def prob(self, doc: PairSide, members: Sequence[PairSide], counts: CorpusCounts) -> np.ndarray:
        """P(same story) of ``doc`` with each member."""
        if not members:
            return np.zeros(0)
        return self.prob_cols(self.raw_features(doc, members, counts, need=self.features))

    def link_prob(self, a: Sequence[PairSide], b: Sequence[PairSide], counts: CorpusCounts) -> float:
        """Average link: the mean P(same story) over every pair of a member of ``a`` and one of ``b``."""
        if not a or not b:
            return 0.0
        if set(self.features) <= VECTOR_FEATURES:  # every pair in one matrix product
            ca = np.stack([counts.centred(x.vector, x.lang) for x in a])
            cb = np.stack([counts.centred(x.vector, x.lang) for x in b])
            ccos = (ca @ cb.T).ravel()
            cross = np.array([float(bool(x.lang and y.lang and x.lang != y.lang)) for x in a for y in b])
            return float(np.mean(self.prob_cols({"ccos": ccos, "cross": cross, "ccos_cross": ccos * cross})))
        return float(np.mean(np.concatenate([self.prob(x, b, counts) for x in a])))

    def cluster_prob(self, probs: np.ndarray) -> float:
        """A cluster's probability from its members': the mean of the ``aggregate`` best (0: of all)."""
        if len(probs) == 0:
            return 0.0
        k = len(probs) if self.aggregate == 0 else max(1, min(self.aggregate, len(probs)))
        return float(np.sort(probs)[-k:].mean())


class CorpusCounts:
    """Corpus statistics of the pair score: per-language vector sums and entity document
    frequencies. ``add`` every document once; persisted with ``state_dict``/``from_state``."""

    def __init__(self, model: StoryModel) -> None:
        self.model = model
        self.vec_sum: dict[str, np.ndarray] = {}
        self.vec_n: Counter[str] = Counter()
        self.df: Counter[str] = Counter()
        self.wdf: Counter[str] = Counter()  # document frequency of content-word stems
        self.n_docs = 0
        self._centres: dict[str, np.ndarray] = {}

    def add(self, side: PairSide) -> None:
        lang = side.lang or "und"
        v = np.asarray(side.vector, dtype=np.float64)
        if lang in self.vec_sum:
            self.vec_sum[lang] += v
        else:
            self.vec_sum[lang] = v.copy()
        self.vec_n[lang] += 1
        self._centres.pop(lang, None)
        self.df.update(side.entities)
        self.wdf.update(side.words.keys())
        self.n_docs += 1

    def centre(self, lang: str | None) -> np.ndarray:
        lang = lang or "und"
        c = self._centres.get(lang)
        if c is None:
            prior = self.model.centres.get(lang)
            if prior is None:
                prior = self.model.centres.get("*")
            n = self.vec_n.get(lang, 0)
            k = self.model.centre_prior
            dim = len(next(iter(self.vec_sum.values()))) if self.vec_sum else (len(prior) if prior is not None else 0)
            if prior is None or len(prior) != dim:
                prior = np.zeros(dim)  # no shipped centre: shrink towards no centring
            total = self.vec_sum.get(lang, np.zeros(dim)) + k * prior
            c = (total / (n + k)).astype(np.float32) if n + k > 0 else np.zeros(dim, dtype=np.float32)
            self._centres[lang] = c
        return c

    def centred(self, vector: np.ndarray, lang: str | None) -> np.ndarray:
        v = np.asarray(vector, dtype=np.float32)
        c = self.centre(lang)
        u = v - c if len(c) == len(v) else v
        n = float(np.linalg.norm(u))
        return u / n if n > 0 else u

    def idf(self, entity: str) -> float:
        return math.log((self.n_docs + 1) / (self.df.get(entity, 0) + 1)) + 1.0

    def idf_sum(self, entities: Iterable[str]) -> float:
        return sum(self.idf(e) for e in entities)

    def word_idf(self, word: str) -> float:
        return math.log((self.n_docs + 1) / (self.wdf.get(word, 0) + 1))

    def tfidf(self, words: Mapping[str, int]) -> dict[str, float]:
        """The L2-normalised tf-idf vector of content-word stems ({} without words)."""
        v = {w: (1.0 + math.log(c)) * self.word_idf(w) for w, c in words.items() if c > 0}
        n = math.sqrt(sum(x * x for x in v.values()))
        return {w: x / n for w, x in v.items()} if n > 0 else {}

    def trim(self, side: PairSide, keep: int = WORDS_KEPT) -> PairSide:
        """``side`` with only its ``keep`` stems of highest tf-idf (what a story member keeps)."""
        if len(side.words) <= keep:
            return side
        top = sorted(side.words.items(), key=lambda wc: (-(1.0 + math.log(wc[1])) * self.word_idf(wc[0]), wc[0]))
        return PairSide(vector=side.vector, lang=side.lang, entities=side.entities, figures=side.figures,
                        title=side.title, day=side.day, words=dict(top[:keep]))

    def state_dict(self) -> dict[str, Any]:
        return {"n_docs": self.n_docs, "df": dict(self.df), "wdf": dict(self.wdf), "vec_n": dict(self.vec_n),
                "vec_sum": {k: v.astype("<f8").tobytes() for k, v in self.vec_sum.items()}}

    @classmethod
    def from_state(cls, model: StoryModel, d: Mapping[str, Any]) -> CorpusCounts:
        s = cls(model)
        s.n_docs = int(d["n_docs"])
        s.df = Counter(d["df"])
        s.wdf = Counter(d.get("wdf", {}))
        s.vec_n = Counter(d["vec_n"])
        s.vec_sum = {k: np.frombuffer(v, dtype="<f8").copy() for k, v in d["vec_sum"].items()}
        return s


@lru_cache(maxsize=4)
def load_story_model(path: str | None = None) -> StoryModel:
    """The fitted story model (``story_model.json`` beside this module unless ``path``)."""
    with open(path or STORY_MODEL_PATH, encoding="utf-8") as fh:
        return StoryModel.from_dict(json.load(fh))


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1.0, sample_weight: np.ndarray | None = None
                 ) -> tuple[np.ndarray, float]:
    """L2-penalised logistic regression (intercept not penalised) by L-BFGS; (coef, intercept)."""
    from scipy.optimize import minimize

    n, k = X.shape
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    w = w * (n / w.sum())

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        b, c = theta[0], theta[1:]
        z = b + X @ c
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))
        ll = np.sum(w * (np.logaddexp(0.0, z) - y * z)) + 0.5 * l2 * float(c @ c)
        g = w * (p - y)
        return ll, np.concatenate([[g.sum()], X.T @ g + l2 * c])

    res = minimize(loss, np.zeros(k + 1), jac=True, method="L-BFGS-B")
    return res.x[1:], float(res.x[0])
