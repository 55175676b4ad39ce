"""Telling Indonesian and Malay apart.

General language identifiers call most Malay text Indonesian. This module decides between
the two with a log-odds score, positive for Malay and negative for Indonesian, summed from

* a naive Bayes log-count-ratio model over lower-cased words and character 3-5-grams,
  trained on parallel Indonesian/Malay news (``models/idms.tsv.gz``, reproduced by
  ``python -m newsloom.langid.train_idms``), and
* hand-written spelling and vocabulary markers kept as language data
  (``resources/lang/id/idms.yaml`` and ``resources/lang/ms/idms.yaml``).
"""

from __future__ import annotations

import gzip
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path

from newsloom.resources import lang_resource

MODEL_NAME = "idms.tsv.gz"
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
CHAR_ORDERS = (3, 5)
MARKER_WEIGHT = 3.0  # log-odds added per marker word; chosen by cross-validation on NTREX dev documents
# a raw log-odds sum is over-confident on long texts; the probability uses a tempered score
TEMPERATURE = 4.0


def tokens(text: str) -> list[str]:
    return WORD.findall(text.lower())


def features(words: list[str]) -> set[str]:
    """Binary features of a text: its words and the character n-grams of each word."""
    out: set[str] = set()
    lo, hi = CHAR_ORDERS
    for w in words:
        out.add("w:" + w)
        padded = f" {w} "
        for n in range(lo, hi + 1):
            for i in range(len(padded) - n + 1):
                out.add("c:" + padded[i : i + n])
    return out


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

    def count(self, words: list[str]) -> int:
        """Malay markers minus Indonesian markers."""
        total = 0
        for w in words:
            if w in self.words["ms"] or any(p.search(w) for p in self.patterns["ms"]):
                total += 1
            if w in self.words["id"] or any(p.search(w) for p in self.patterns["id"]):
                total -= 1
        return total


def _model_path() -> Path:
    return Path(str(importlib_resources.files("newsloom.langid").joinpath("models", MODEL_NAME)))


def read_weights(path: Path) -> dict[str, float]:
    weights: dict[str, float] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            feat, _, value = line.rstrip("\n").rpartition("\t")
            weights[feat] = float(value)
    return weights


class IdMsClassifier:
    """Indonesian vs Malay on any length of text, from a phrase to a whole article."""

    def __init__(self, weights: dict[str, float] | None = None, markers: Markers | None = None) -> None:
        self.weights = weights if weights is not None else read_weights(_model_path())
        self.markers = markers or Markers()

    def log_odds(self, text: str) -> float:
        words = tokens(text)
        w = self.weights
        score = sum(w.get(f, 0.0) for f in features(words))
        return score + MARKER_WEIGHT * self.markers.count(words)

    def decide(self, text: str) -> IdMsDecision:
        s = self.log_odds(text)
        p_ms = 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, s / TEMPERATURE))))
        if s > 0:
            return IdMsDecision("ms", p_ms, s)
        return IdMsDecision("id", 1.0 - p_ms, s)


@lru_cache(maxsize=1)
def default_classifier() -> IdMsClassifier:
    return IdMsClassifier()
