"""Telling Indonesian and Malay apart.

General language identifiers call most Malay text Indonesian. This module decides between
the two with a log-odds score, positive for Malay and negative for Indonesian: a logistic
regression (``models/idms.tsv.gz``, reproduced by ``python -m newsloom.langid.train_idms``)
over two blocks of features of the text, each feature's sublinear count scaled by its idf and
by its naive Bayes log-count ratio (NBSVM, Wang and Manning 2012), each block L2-normalised:

* character 1-5-grams of the lower-cased words, the text's words joined by single spaces
  (so n-grams cross word boundaries: " ke ", "an di"),
* words, word pairs, and the hand-written spelling and vocabulary markers kept as language
  data (``resources/lang/id/idms.yaml`` and ``resources/lang/ms/idms.yaml``), counted as
  the pseudo-words ``m:ms`` and ``m:id`` whose weights the regression learns.

Placeholders that corpora put for names and numbers ("#NE#", "<NUM>", "[NAME]") and URLs are
removed before any feature is taken, and capitalised words inside a sentence (names of
people, places, outlets) give no features: the decision rests on how the text is written,
not on whom or where it is about.
"""

from __future__ import annotations

import gzip
import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path

from newsloom.resources import lang_resource

MODEL_NAME = "idms.tsv.gz"
BIAS = "__bias__"
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
CHAR_ORDERS = (1, 5)
# a placeholder a corpus put where a name or number was: a short word wrapped in #, <>, [], {},
# _, @, $ or % on both sides ("#NE#", "<NE>", "[NAME]", "__PERSON__", "@USER@", "$NUM$")
PLACEHOLDER = re.compile(
    r"(?<!\w)(?:[#@$%_]{1,2}|[<\[{])[A-Za-z][A-Za-z_-]{0,14}(?:[#@$%_]{1,2}|[>\]}])(?!\w)"
)
# bounded parts keep every search linear in the text's length (no run is retried at each of its characters)
URL = re.compile(
    r"(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+", re.IGNORECASE
)
# the regression's log-odds are fitted on single sentences; a long text sums many more features
TEMPERATURE = 1.0


def neutralise(text: str) -> str:
    """The text without placeholders and URLs (they say nothing about the language)."""
    return URL.sub(" ", PLACEHOLDER.sub(" ", text))


def tokens(text: str) -> list[str]:
    """Lower-cased words of a text, placeholders and URLs left out."""
    return WORD.findall(neutralise(text).lower())


_WORD_OR_STOP = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|[.!?]")
KEEP_NAMES = False  # chosen by cross-validation (train_idms --cv): names left out cost nothing


def content_tokens(text: str, keep_names: bool = KEEP_NAMES) -> list[str]:
    """Lower-cased words without names: a capitalised word that does not open a sentence is
    left out (a lower-case or sentence-opening word stays)."""
    out: list[str] = []
    start = True
    for m in _WORD_OR_STOP.finditer(neutralise(text)):
        w = m.group()
        if w in ".!?":
            start = True
            continue
        if keep_names or start or not w[:1].isupper():
            out.append(w.lower())
        start = False
    return out


def features(words: list[str]) -> tuple[Counter[str], Counter[str]]:
    """Counts of a text's features given its words: (character 1-5-grams of the words joined
    by spaces, words and word pairs)."""
    chars: Counter[str] = Counter()
    lo, hi = CHAR_ORDERS
    joined = " " + " ".join(words) + " "
    for n in range(lo, hi + 1):
        chars.update("c:" + joined[i : i + n] for i in range(len(joined) - n + 1))
    lexical: Counter[str] = Counter("w:" + w for w in words)
    lexical.update("b:" + a + " " + b for a, b in itertools.pairwise(words))
    return chars, lexical


@dataclass(slots=True, frozen=True)
class IdMsDecision:
    lang: str  # "id" or "ms"
    prob: float  # probability of that label, 0.5..1
    log_odds: float  # > 0 favours Malay


class Markers:
    """Marker words and patterns of both languages, read from the language data files."""

    def __init__(self) -> None:
        self.words: dict[str, dict[str, None]] = {}
        self.patterns: dict[str, list[re.Pattern[str]]] = {}
        for lang in ("id", "ms"):
            data = lang_resource(lang, "idms")
            self.words[lang] = dict.fromkeys(w.lower() for w in data.get("markers", []))
            self.patterns[lang] = [re.compile(p) for p in data.get("patterns", [])]

    def counts(self, words: list[str]) -> tuple[int, int]:
        """(Malay markers, Indonesian markers) among the words."""
        ms = idn = 0
        for w in words:
            if w in self.words["ms"] or any(p.search(w) for p in self.patterns["ms"]):
                ms += 1
            if w in self.words["id"] or any(p.search(w) for p in self.patterns["id"]):
                idn += 1
        return ms, idn

    def count(self, words: list[str]) -> int:
        """Malay markers minus Indonesian markers."""
        ms, idn = self.counts(words)
        return ms - idn


def text_features(text: str, markers: Markers) -> tuple[Counter[str], Counter[str]]:
    """The feature blocks of a text: character n-gram counts, and word, word-pair and marker
    counts (``m:ms`` / ``m:id`` once per marker word of that language)."""
    words = content_tokens(text)
    chars, lexical = features(words)
    ms, idn = markers.counts(words)
    if ms:
        lexical["m:ms"] = ms
    if idn:
        lexical["m:id"] = idn
    return chars, lexical


def block_vector(counts: Counter[str], scale: dict[str, float]) -> dict[str, float]:
    """One block as the model sees it: (1 + log count) x the feature's scale, over the model's
    features, L2-normalised."""
    vec = {f: (1.0 + math.log(n)) * scale[f] for f, n in counts.items() if f in scale}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {f: v / norm for f, v in vec.items()} if norm else {}


@dataclass(slots=True)
class Model:
    """Weights (> 0 = Malay), the scale of every model feature (idf x |NB log-count ratio|), intercept."""

    weights: dict[str, float]
    scale: dict[str, float]
    bias: float = 0.0


def _model_path() -> Path:
    return Path(str(importlib_resources.files("newsloom.langid").joinpath("models", MODEL_NAME)))


def read_model(path: Path) -> Model:
    """The model file: ``feature<TAB>weight<TAB>scale`` lines and one ``__bias__<TAB>value`` line."""
    model = Model({}, {})
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            feat, weight, *scale = line.rstrip("\n").split("\t")
            if feat == BIAS:
                model.bias = float(weight)
                continue
            if float(weight):
                model.weights[feat] = float(weight)
            model.scale[feat] = float(scale[0])
    return model


class IdMsClassifier:
    """Indonesian vs Malay on any length of text, from a phrase to a whole article."""

    def __init__(self, model: Model | None = None, markers: Markers | None = None) -> None:
        self.model = model if model is not None else read_model(_model_path())
        self.markers = markers or Markers()

    def log_odds(self, text: str) -> float:
        w = self.model.weights
        score = self.model.bias
        for block in text_features(text, self.markers):
            for f, v in block_vector(block, self.model.scale).items():
                score += v * w.get(f, 0.0)
        return score

    def decide(self, text: str) -> IdMsDecision:
        s = self.log_odds(text)
        p_ms = 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, s / TEMPERATURE))))
        if s > 0:
            return IdMsDecision("ms", p_ms, s)
        return IdMsDecision("id", 1.0 - p_ms, s)


@lru_cache(maxsize=1)
def default_classifier() -> IdMsClassifier:
    return IdMsClassifier()
