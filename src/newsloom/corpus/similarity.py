"""How much two documents tell the same story: one score from features the pipeline stores.

What the rest of newsloom calls::

    from newsloom.corpus.similarity import CorpusStats, SimFeatures, content_words, document_similarity

    feats = SimFeatures(vector=doc.embedding, lang=doc.lang,
                        entity_ids=tuple(m.entity_id for m in doc.entities if m.entity_id),
                        quantities=tuple(q.value for q in doc.quantities),
                        words=content_words(doc.title, doc.text))
    stats = CorpusStats.from_state(saved) if saved else CorpusStats()
    stats.add(feats)                             # once per stored document
    s = document_similarity(a, b, stats)         # float in [0, 1]; 1 = same story
    S = similarity_matrix(xs, ys, stats)         # many pairs at once
    saved = stats.state_dict()                   # plain dict (JSON-able)

**Pair features** (all symmetric in a, b; ``None`` when a side lacks the signal):

- ``cos``: cosine of the story vectors (title + lead at ``[embed] max_chars``, 400);
- ``ccos``: the same cosine after subtracting, from each vector, the mean story vector of its
  language in the corpus (``CorpusStats.centre``). Every language's vectors share a common
  direction (e5's anisotropy), which puts unrelated same-language pairs at cosine ~0.8;
  removing it spreads the scale and lets cross-language pairs meet on content;
- ``tfidf``: cosine of the tf-idf vectors of ``content_words`` (the whole text, not just the
  lead: the signal the 400-char vector cannot see), idf from the corpus document frequencies;
- ``tfidf_same``, ``tfidf_cross``: ``tfidf`` where the pair shares its language (0 for a
  cross-language pair), and ``tfidf`` where it does not (0 for a same-language pair), so the
  fit gives each its own curve: across languages the shared stems are names and numbers, a
  rarer and stronger sign of the same story than the same share of words within a language;
- ``same_lang``: 1.0 when both languages are known and equal, else 0.0;
- ``entities``: Jaccard of linked entity ids (ner + link stages); the fit gave it weight 0
  wherever a vector or words are present (it only counts in the last-resort part);
- ``quantities``, ``title_cos``: computed when present, but the shipped model gives them no
  weight (they did not help on SemEval; see ``benchmarks/RESULTS_similarity.md``).

**Score.** Each used feature x enters as a piecewise-linear function with knots at its
training quartiles and a fitted slope per segment (``ramps``; the human scale is not linear
in the cosine: low cosines are all "unrelated", higher up each step counts more); the terms
and an intercept are summed, and the prediction p on the
human scale (5 - Overall: 4 = same story ... 1 = unrelated) becomes (p - 1) / 3, clipped to
[0, 1]. The weights (``similarity_weights.json`` beside this module) were fitted by bounded
least squares on the ``training`` file of SemEval-2022 Task 8 (original pairs only), with the
corpus statistics (language centres, document frequencies) taken from the training file's
texts, by ``benchmarks/semeval_similarity.py --fit``; the file records the command.

**Missing features.** The model has *parts*, tried in order; a pair is scored by the first
part whose ``requires`` features it has: (1) ``ccos`` + ``cos`` + ``tfidf_same`` +
``tfidf_cross`` + ``same_lang`` + ``entities`` when both the centred cosine and tf-idf exist; (2) ``cos`` + ``same_lang`` +
``entities`` (no corpus statistics: ``stats=None``, or a language with fewer than
``CorpusStats.min_docs`` documents); (3) ``tfidf`` + ``same_lang`` + ``entities`` (no
vectors); (4) ``same_lang`` + ``entities``. Each part was fitted on its own, on the same
training pairs. Inside a part, a feature one side lacks (no linked entities, unknown
language) takes its training mean (``fill``), so it neither helps nor hurts.

**Monotone.** Every segment slope is >= 0 except ``same_lang``'s (a calibration offset), so
the score never falls as a similarity signal rises; identical documents score 1.0 when they
have vectors and corpus statistics (and >= 0.9 from the vector alone).

**Not used:** the publication date. The SemEval sample carries no dates, so a date weight
could not be fitted; callers that need a time window apply it outside this score (the
clusterer does).
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
from pathlib import Path
from typing import Any

import numpy as np

WEIGHTS_PATH = Path(__file__).with_name("similarity_weights.json")
FEATURES = (
    "cos",
    "ccos",
    "tfidf",
    "tfidf_same",
    "tfidf_cross",
    "same_lang",
    "entities",
    "quantities",
    "title_cos",
)

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
WORDS_MIN_LEN, WORDS_PREFIX = 3, 4  # ``content_words`` defaults
WORDS_MAX_CHARS = 2000  # how much of the text ``content_words`` reads (callers may fetch no more)
# names the stems ``CorpusStats.df`` counts; a saved state with other stems drops its df
WORDS_KEY = f"min{WORDS_MIN_LEN}-prefix{WORDS_PREFIX}"


@dataclass(slots=True, kw_only=True)
class SimFeatures:
    """What ``document_similarity`` reads of one document; every field may be missing."""

    vector: np.ndarray | None = None  # story vector, L2-normalised (embed stage)
    lang: str | None = None
    entity_ids: tuple[str, ...] = ()  # linked entity ids (ner + link stages)
    quantities: tuple[float, ...] = ()  # quantity values (quantities stage)
    words: Mapping[str, int] = field(default_factory=dict)  # ``content_words(title, text)``
    title_vector: np.ndarray | None = None  # optional title-only vector (not weighted)
    published: str | None = None  # not used by the score (see the module docstring)


def content_words(
    title: str | None,
    text: str | None,
    max_chars: int = WORDS_MAX_CHARS,
    min_len: int = WORDS_MIN_LEN,
    prefix: int = WORDS_PREFIX,
) -> dict[str, int]:
    """{word stem: count} of a document, for the lexical (tf-idf) signal; cheap, language-free.

    Letter runs of the title and the first ``max_chars`` characters of the text, NFKC and
    case-folded with accents removed, kept when at least ``min_len`` letters long and cut to
    their first ``prefix`` letters (a crude stem: ``elections``/``election`` meet; 4 letters
    also join the case and suffix forms of tr/pl/de words, and was chosen over 3, 5 and 6 by
    cross-validation on the SemEval training file, see ``RESULTS_similarity.md``). No stop
    list: the idf weight makes function words count for nearly nothing. Scripts without
    spaces between words (CJK, Thai) give long runs, cut to their first letters: there the
    signal is weak, and the vector carries the score.
    """
    s = unicodedata.normalize("NFKC", f"{title or ''} {(text or '')[:max_chars]}").casefold()
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return dict(Counter(w[:prefix] for w in _WORD.findall(s) if len(w) >= min_len))


class CorpusStats:
    """Corpus statistics the score needs: each language's mean story vector and the document
    frequency of each content word. ``add`` every stored document once (order does not
    matter); ``state_dict``/``from_state`` persist them as a plain dict."""

    def __init__(self, min_docs: int = 20) -> None:
        self.min_docs = min_docs  # a language's centre is used from this many vectors on
        self.vec_sum: dict[str, np.ndarray] = {}
        self.vec_n: Counter[str] = Counter()
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        self.df_dropped = False  # set by ``from_state`` when the saved df used other stems
        self._centres: dict[str, np.ndarray | None] = {}

    def add(self, f: SimFeatures) -> None:
        if f.vector is not None and f.lang:
            v = np.asarray(f.vector, dtype=np.float64)
            if f.lang in self.vec_sum:
                self.vec_sum[f.lang] += v
            else:
                self.vec_sum[f.lang] = v.copy()
            self.vec_n[f.lang] += 1
            self._centres.pop(f.lang, None)
        if f.words:
            self.df.update(f.words.keys())
            self.n_docs += 1

    def centre(self, lang: str | None) -> np.ndarray | None:
        """The mean story vector of ``lang``, or None below ``min_docs`` documents."""
        if not lang:
            return None
        if lang not in self._centres:
            n = self.vec_n.get(lang, 0)
            self._centres[lang] = (self.vec_sum[lang] / n).astype(np.float32) if n >= self.min_docs else None
        return self._centres[lang]

    def idf(self, word: str) -> float:
        return math.log((self.n_docs + 1) / (self.df.get(word, 0) + 1))

    def tfidf(self, words: Mapping[str, int]) -> dict[str, float] | None:
        """The L2-normalised tf-idf vector of ``words`` (None without words or statistics)."""
        if not words or self.n_docs < self.min_docs:
            return None
        v = {w: (1.0 + math.log(c)) * self.idf(w) for w, c in words.items()}
        n = math.sqrt(sum(x * x for x in v.values()))
        return {w: x / n for w, x in v.items()} if n > 0 else None

    def state_dict(self) -> dict[str, Any]:
        return {
            "min_docs": self.min_docs,
            "words": WORDS_KEY,
            "n_docs": self.n_docs,
            "df": dict(self.df),
            "vec_n": dict(self.vec_n),
            "vec_sum": {k: v.tolist() for k, v in self.vec_sum.items()},
        }

    @classmethod
    def from_state(cls, d: Mapping[str, Any]) -> CorpusStats:
        s = cls(int(d.get("min_docs", 20)))
        # document frequencies of other stems (a state saved before ``content_words`` changed
        # its stems; no "words" key = the first version's 6-letter stems) cannot be looked up
        # with today's stems: drop them (tf-idf is off until ``min_docs`` documents are added
        # again; ``df_dropped`` tells the owner to rebuild); the language centres stay valid
        s.df_dropped = d.get("words", "min3-prefix6") != WORDS_KEY
        if not s.df_dropped:
            s.n_docs = int(d["n_docs"])
            s.df = Counter({k: int(v) for k, v in d["df"].items()})
        s.vec_n = Counter({k: int(v) for k, v in d["vec_n"].items()})
        s.vec_sum = {k: np.asarray(v, dtype=np.float64) for k, v in d["vec_sum"].items()}
        return s


def _norm(v: np.ndarray | None) -> np.ndarray | None:
    if v is None:
        return None
    v = np.asarray(v, dtype=np.float64)
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else None


def _cos(u: np.ndarray | None, v: np.ndarray | None) -> float | None:
    u, v = _norm(u), _norm(v)
    return None if u is None or v is None else float(u @ v)


def _jaccard(a: Iterable, b: Iterable) -> float | None:
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return None
    return len(sa & sb) / len(sa | sb)


def _centred(f: SimFeatures, stats: CorpusStats | None) -> np.ndarray | None:
    v = _norm(f.vector)
    c = stats.centre(f.lang) if stats is not None and v is not None else None
    return None if c is None else _norm(v - c)


def _sparse_dot(a: Mapping[str, float] | None, b: Mapping[str, float] | None) -> float | None:
    if a is None or b is None:
        return None
    if len(a) > len(b):
        a, b = b, a
    return float(sum(x * b.get(w, 0.0) for w, x in a.items()))


def _split_lang(tfidf: float | None, same_lang: float | None) -> tuple[float | None, float | None]:
    """(tfidf_same, tfidf_cross): the tf-idf cosine where the pair shares its language (else
    0), and where it does not (else 0); both None without tf-idf or a known language pair."""
    if tfidf is None or same_lang is None:
        return None, None
    return (tfidf, 0.0) if same_lang else (0.0, tfidf)


def pair_features(
    a: SimFeatures, b: SimFeatures, stats: CorpusStats | None = None
) -> dict[str, float | None]:
    """The raw pair features of the module docstring (``None`` where a side lacks the signal)."""
    tfidf = _sparse_dot(stats.tfidf(a.words), stats.tfidf(b.words)) if stats is not None else None
    same_lang = float(a.lang == b.lang) if a.lang and b.lang else None
    tfidf_same, tfidf_cross = _split_lang(tfidf, same_lang)
    return {
        "cos": _cos(a.vector, b.vector),
        "ccos": _cos(_centred(a, stats), _centred(b, stats)),
        "tfidf": tfidf,
        "tfidf_same": tfidf_same,
        "tfidf_cross": tfidf_cross,
        "same_lang": same_lang,
        "entities": _jaccard(a.entity_ids, b.entity_ids),
        "quantities": _jaccard(a.quantities, b.quantities),
        "title_cos": _cos(a.title_vector, b.title_vector),
    }


def ramps(x: np.ndarray, knots: Sequence[float]) -> np.ndarray:
    """The piecewise-linear basis of one feature: one column per segment between the knots
    (``min(x, k1)``, ``clip(x - k1, 0, k2 - k1)``, ..., ``max(0, x - km)``), so the fitted
    coefficient of a column is the slope on that segment."""
    x = np.asarray(x, dtype=np.float64)
    if not knots:
        return x[:, None]
    cols = [np.minimum(x, knots[0])]
    for lo, hi in zip(knots, list(knots[1:]) + [math.inf]):
        cols.append(np.clip(x - lo, 0.0, hi - lo))
    return np.column_stack(cols)


@dataclass(frozen=True, slots=True)
class LinearPart:
    """One fitted model: per feature its knots, segment slopes (1 + len(knots)) and fill
    value; ``requires`` = the features that must be present for this model to be used."""

    features: tuple[str, ...]
    knots: tuple[tuple[float, ...], ...]
    slopes: tuple[tuple[float, ...], ...]
    fill: tuple[float, ...]
    intercept: float
    requires: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LinearPart:
        feats = tuple(d["features"])
        unknown = (set(feats) | set(d.get("requires", ()))) - set(FEATURES)
        if unknown:
            raise ValueError(f"similarity weights name unknown features {sorted(unknown)}")
        knots = tuple(tuple(float(k) for k in ks) for ks in d["knots"])
        slopes = tuple(tuple(float(c) for c in cs) for cs in d["slopes"])
        fill = tuple(float(x) for x in d["fill"])
        if not (len(knots) == len(slopes) == len(fill) == len(feats)):
            raise ValueError("similarity weights: features, knots, slopes and fill differ in length")
        if any(len(c) != 1 + len(k) for c, k in zip(slopes, knots)):
            raise ValueError("similarity weights: each feature needs 1 + len(knots) slopes")
        values = (
            [*fill, float(d["intercept"])]
            + [x for cs in slopes for x in cs]
            + [x for ks in knots for x in ks]
        )
        if not all(math.isfinite(x) for x in values):
            raise ValueError("similarity weights: non-finite value")
        return cls(feats, knots, slopes, fill, float(d["intercept"]), tuple(d.get("requires", ())))

    def raw(self, cols: Mapping[str, np.ndarray], n: int) -> np.ndarray:
        out = np.full(n, self.intercept)
        for f, ks, cs, fill in zip(self.features, self.knots, self.slopes, self.fill):
            x = cols.get(f)
            x = np.full(n, fill) if x is None else np.where(np.isnan(x), fill, x)
            out += ramps(x, ks) @ np.asarray(cs)
        return out


@dataclass(frozen=True, slots=True)
class SimilarityModel:
    """The fitted score: ``parts`` in order of preference; a pair is scored by the first part
    whose ``requires`` features it has (the last part requires nothing). Predictions on the
    human scale map ``low`` -> 0 and ``high`` -> 1, clipped."""

    parts: tuple[LinearPart, ...]
    low: float = 1.0  # prediction scale (5 - Overall): low -> 0, high -> 1
    high: float = 4.0

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SimilarityModel:
        parts = tuple(LinearPart.from_dict(p) for p in d["parts"])
        if not parts or parts[-1].requires:
            raise ValueError("similarity weights: the last part must require nothing")
        low, high = float(d.get("low", 1.0)), float(d.get("high", 4.0))
        if not high > low:
            raise ValueError("similarity weights: high must exceed low")
        return cls(parts, low, high)

    @property
    def features(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for p in self.parts for f in (*p.features, *p.requires)))

    def raw(self, cols: Mapping[str, np.ndarray]) -> np.ndarray:
        """Predictions on the human scale for feature columns {name: values, NaN = missing}."""
        n = len(next(iter(cols.values()))) if cols else 0
        out = np.full(n, np.nan)
        todo = np.ones(n, dtype=bool)
        for p in self.parts:
            use = todo.copy()
            for f in p.requires:
                x = cols.get(f)
                use &= False if x is None else ~np.isnan(x)
            if use.any():
                out[use] = p.raw({f: v[use] for f, v in cols.items()}, int(use.sum()))
                todo &= ~use
        return out

    def score_cols(self, cols: Mapping[str, np.ndarray]) -> np.ndarray:
        """Scores in [0, 1] for feature columns {name: values, NaN = missing}."""
        return np.clip((self.raw(cols) - self.low) / (self.high - self.low), 0.0, 1.0)


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> SimilarityModel:
    """The fitted model (``similarity_weights.json`` beside this module unless ``path``)."""
    with open(path or WEIGHTS_PATH, encoding="utf-8") as fh:
        return SimilarityModel.from_dict(json.load(fh))


def document_similarity(
    a: SimFeatures, b: SimFeatures, stats: CorpusStats | None = None, model: SimilarityModel | None = None
) -> float:
    """How much ``a`` and ``b`` tell the same story, in [0, 1] (1 = same story); symmetric.

    ``stats`` (the corpus's ``CorpusStats``) enables the centred cosine and the tf-idf
    signal; without it the score uses the plain cosine, language and entities only.
    """
    model = model or load_model()
    cols = {f: np.array([np.nan if v is None else v]) for f, v in pair_features(a, b, stats).items()}
    return float(model.score_cols(cols)[0])


def _unit_rows(vs: Sequence[np.ndarray | None]) -> tuple[np.ndarray, np.ndarray]:
    dim = next((len(v) for v in vs if v is not None), 1)
    m = np.zeros((len(vs), dim), dtype=np.float64)
    ok = np.zeros(len(vs), dtype=bool)
    for i, v in enumerate(vs):
        u = _norm(v)
        if u is not None:
            m[i], ok[i] = u, True
    return m, ok


def _cos_matrix(xs: Sequence[np.ndarray | None], ys: Sequence[np.ndarray | None]) -> np.ndarray:
    a, oka = _unit_rows(xs)
    b, okb = _unit_rows(ys)
    if a.shape[1] != b.shape[1]:
        return np.full((len(xs), len(ys)), np.nan)
    out = a @ b.T
    out[~(oka[:, None] & okb[None, :])] = np.nan
    return out


def similarity_matrix(
    xs: Sequence[SimFeatures],
    ys: Sequence[SimFeatures] | None = None,
    stats: CorpusStats | None = None,
    model: SimilarityModel | None = None,
) -> np.ndarray:
    """``document_similarity`` of every (x, y) pair as an array [len(xs), len(ys)].

    The cosines are matrix products; the tf-idf and set overlaps are computed per pair.
    """
    model = model or load_model()
    ys = xs if ys is None else ys
    nx, ny = len(xs), len(ys)
    cols: dict[str, np.ndarray] = {}
    tx = ty = None
    for f in model.features:
        if f == "cos":
            cols[f] = _cos_matrix([x.vector for x in xs], [y.vector for y in ys]).ravel()
        elif f == "ccos":
            cols[f] = _cos_matrix([_centred(x, stats) for x in xs], [_centred(y, stats) for y in ys]).ravel()
        elif f == "title_cos":
            cols[f] = _cos_matrix([x.title_vector for x in xs], [y.title_vector for y in ys]).ravel()
        else:
            m = np.full((nx, ny), np.nan)
            if f in ("tfidf", "tfidf_same", "tfidf_cross") and stats is not None:
                tx = tx or [stats.tfidf(x.words) for x in xs]
                ty = ty or [stats.tfidf(y.words) for y in ys]
            for i, x in enumerate(xs):
                for j, y in enumerate(ys):
                    if f in ("tfidf", "tfidf_same", "tfidf_cross"):
                        v = _sparse_dot(tx[i], ty[j]) if stats is not None else None
                        if f != "tfidf":
                            sl = float(x.lang == y.lang) if x.lang and y.lang else None
                            v = _split_lang(v, sl)[f == "tfidf_cross"]
                    elif f == "same_lang":
                        v = float(x.lang == y.lang) if x.lang and y.lang else None
                    elif f == "entities":
                        v = _jaccard(x.entity_ids, y.entity_ids)
                    else:  # quantities
                        v = _jaccard(x.quantities, y.quantities)
                    if v is not None:
                        m[i, j] = v
            cols[f] = m.ravel()
    return model.score_cols(cols).reshape(nx, ny)
