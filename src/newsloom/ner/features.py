"""Tokens with offsets, and the per-token features the CRF taggers read.

Everything a feature needs to know about a language comes from a ``FeatureSpec``: the
cue word lists of ``resources/lang/<iso>/ner.yaml`` (titles before names, words that open
or close organisation and place names, clitic prefixes to strip) and optional word
clusters. A trained model stores the spec it was trained with, so editing a data file
later never shifts the features a shipped model sees.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from newsloom.resources import lang_resource

# A token: a run of word characters (letters, digits, marks) with inner hyphens,
# apostrophes or dots ("Al-Azhar", "O'Neil", "U.S", "12.500"), or one other visible character.
_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]", re.UNICODE)


@dataclass(slots=True, frozen=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of ``text`` with their offsets (``offset`` is added: offsets into the whole document)."""
    return [Token(m.start() + offset, m.end() + offset, m.group()) for m in _TOKEN.finditer(text)]


@dataclass(slots=True)
class FeatureSpec:
    """What the feature function needs to know about one language (stored with a model)."""

    lang: str = "_base"
    titles: list[str] = field(default_factory=list)
    org_cues: list[str] = field(default_factory=list)
    loc_cues: list[str] = field(default_factory=list)
    per_cues: list[str] = field(default_factory=list)
    clitics: list[str] = field(default_factory=list)
    min_stem: int = 2
    clusters: dict[str, str] = field(default_factory=dict)
    # known names: phrase (word keys joined by one space) -> type ("LOC", "ORG", "PER", or
    # several joined by "/"); matched longest first over a sentence into BIO-style features
    gazetteer: dict[str, str] = field(default_factory=dict)
    # features of the run of capitalised words a word stands in (its place in the run, cue words
    # anywhere in the run, a title just before it): a name's head word reaches all its words
    runs: bool = False
    # derived lookups, built once
    _titles: frozenset[str] = field(default=frozenset(), repr=False)
    _org: frozenset[str] = field(default=frozenset(), repr=False)
    _loc: frozenset[str] = field(default=frozenset(), repr=False)
    _per: frozenset[str] = field(default=frozenset(), repr=False)
    _clitics: tuple[str, ...] = field(default=(), repr=False)
    _gz_len: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        self._titles = frozenset(_key(w) for w in self.titles)
        self._org = frozenset(_key(w) for w in self.org_cues)
        self._loc = frozenset(_key(w) for w in self.loc_cues)
        self._per = frozenset(_key(w) for w in self.per_cues)
        # longest first, so "وال" is tried before "و"
        self._clitics = tuple(sorted({_key(c) for c in self.clitics}, key=len, reverse=True))
        self._gz_len = max((k.count(" ") + 1 for k in self.gazetteer), default=0)

    @classmethod
    def for_lang(
        cls, lang: str, clusters: dict[str, str] | None = None, gazetteer: dict[str, str] | None = None
    ) -> FeatureSpec:
        data = lang_resource(lang, "ner")
        return cls(
            lang=lang,
            titles=list(data.get("titles", [])),
            org_cues=list(data.get("org_cues", [])),
            loc_cues=list(data.get("loc_cues", [])),
            per_cues=list(data.get("per_cues", [])),
            clitics=list(data.get("clitics", [])),
            min_stem=int(data.get("min_stem", 2)),
            clusters=dict(clusters or {}),
            gazetteer=dict(gazetteer or {}),
        )

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in _SPEC_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureSpec:
        return cls(**{k: v for k, v in data.items() if k in _SPEC_FIELDS})

    def stem(self, key: str) -> str:
        """The word without one leading clitic (Arabic و ب ل ك ف and the article ال)."""
        for c in self._clitics:
            if key.startswith(c) and len(key) - len(c) >= self.min_stem:
                return key[len(c) :]
        return key


_SPEC_FIELDS = (
    "lang",
    "titles",
    "org_cues",
    "loc_cues",
    "per_cues",
    "clitics",
    "min_stem",
    "clusters",
    "gazetteer",
    "runs",
)

_ARABIC_DIACRITICS = re.compile(r"[\u064B-\u065F\u0670\u0640]")  # harakat, dagger alif, tatweel


def _key(word: str) -> str:
    """Case- and diacritic-insensitive form of a word (NFKC, casefold, Arabic marks and tatweel removed)."""
    w = unicodedata.normalize("NFKC", word).casefold()
    return _ARABIC_DIACRITICS.sub("", w)


def shape(word: str) -> str:
    """Condensed word shape: 'Jakarta' -> 'Xx', 'PT' -> 'X', 'G-20' -> 'X-d', Arabic -> 'a'."""
    out = []
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.islower():
            c = "x"
        elif ch.isdigit():
            c = "d"
        elif ch.isalpha():
            c = "a"  # letters of caseless scripts
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:6]


def _word_feats(word: str, spec: FeatureSpec) -> dict[str, Any]:
    """Features of one word on its own (cached per word type by ``sentence_features``)."""
    k = _key(word)
    f: dict[str, Any] = {
        "w": k,
        "sh": shape(word),
        "p2": k[:2],
        "p3": k[:3],
        "s2": k[-2:],
        "s3": k[-3:],
        "s4": k[-4:],
        "len": min(len(word), 8),
    }
    if word[:1].isupper():
        f["title"] = 1
        if word.isupper() and len(word) > 1:
            f["upper"] = 1
    if any(ch.isdigit() for ch in word):
        f["digit"] = 1
    st = spec.stem(k)
    if st != k:
        f["stem"] = st
        f["clitic"] = k[: len(k) - len(st)]
        f["stem_s3"] = st[-3:]
        f["stem_p3"] = st[:3]
    if k in spec._titles or st in spec._titles:
        f["cue_title"] = 1
    if k in spec._org or st in spec._org:
        f["cue_org"] = 1
    if k in spec._loc or st in spec._loc:
        f["cue_loc"] = 1
    if k in spec._per or st in spec._per:
        f["cue_per"] = 1
    if spec.clusters:
        c = spec.clusters.get(k) or spec.clusters.get(st)
        if c is not None:
            f["cl"] = c  # "coarse-fine" cluster ids
            f["clc"] = c.split("-", 1)[0]
    return f


_NEIGHBOUR_KEYS = (
    "w",
    "sh",
    "title",
    "stem",
    "cue_title",
    "cue_org",
    "cue_loc",
    "cue_per",
    "cl",
    "clc",
    "s3",
    "gz",
    "run",
    "run_org",
    "run_loc",
)


def sentence_features(words: list[str], spec: FeatureSpec) -> list[dict[str, Any]]:
    """One feature dict per word: its own features, and its neighbours' within two words."""
    cache: dict[str, dict[str, Any]] = {}
    own = []
    for w in words:
        f = cache.get(w)
        if f is None:
            f = cache[w] = _word_feats(w, spec)
        own.append(f)
    n = len(words)
    if spec._gz_len:
        own = _gazetteer_tags(words, own, spec)
    if spec.runs:
        own = _run_feats(words, own)
    out: list[dict[str, Any]] = []
    for i in range(n):
        f = dict(own[i])
        f["bias"] = 1
        if i == 0:
            f["BOS"] = 1
        if i == n - 1:
            f["EOS"] = 1
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                o = own[j]
                for key in _NEIGHBOUR_KEYS if abs(d) == 1 else ("w", "title", "cue_title", "cue_org", "cl"):
                    v = o.get(key)
                    if v is not None:
                        f[f"{d}:{key}"] = v
        if i > 0:
            f["-1w|w"] = own[i - 1]["w"] + "|" + own[i]["w"]
            f["-1sh|sh"] = own[i - 1]["sh"] + "|" + own[i]["sh"]
        if i < n - 1:
            f["w|+1w"] = own[i]["w"] + "|" + own[i + 1]["w"]
            f["sh|+1sh"] = own[i]["sh"] + "|" + own[i + 1]["sh"]
        out.append(f)
    if n and _lower_cased(words):
        # A sentence in a cased script with no capital letter at all (lower-cased data such as
        # NERP, or text typed without capitals): shape features get their own weights, so that lower-cased training text does not
        # teach the tagger that a lower-case shape is no evidence against a name in cased text.
        out = [{("u" + k if "sh" in k else k): v for k, v in f.items()} for f in out]
    return out


def gazetteer_matches(keys: list[str], gazetteer: dict[str, str], max_len: int) -> list[tuple[int, int, str]]:
    """(first, last + 1, type) of known names in a sentence of word keys, longest match first, left to right."""
    out = []
    i, n = 0, len(keys)
    while i < n:
        for m in range(min(max_len, n - i), 0, -1):
            t = gazetteer.get(" ".join(keys[i : i + m]))
            if t is not None:
                out.append((i, i + m, t))
                i += m
                break
        else:
            i += 1
    return out


def _gazetteer_tags(words: list[str], own: list[dict[str, Any]], spec: FeatureSpec) -> list[dict[str, Any]]:
    """Add ``gz`` = "B-<type>" / "I-<type>" to the words inside a known name (copies the cached dicts)."""
    keys = [f["w"] for f in own]
    hits = gazetteer_matches(keys, spec.gazetteer, spec._gz_len)
    if not hits:
        return own
    own = list(own)
    for a, b, t in hits:
        for j in range(a, b):
            f = dict(own[j])
            f["gz"] = ("B-" if j == a else "I-") + t
            own[j] = f
    return own


def _run_feats(words: list[str], own: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add run features to each word of a run of capitalised words (copies the cached dicts).

    A capitalised title followed by a capitalised word ("Menurut Gubernur Dewi", "Wakil Presiden
    Rina") is not part of any run: it ends the run before it, and the run after it is titled.
    """
    own = list(own)
    n = len(words)

    def title_before_name(k: int) -> bool:
        return "cue_title" in own[k] and k + 1 < n and words[k + 1][:1].isupper()

    i = 0
    while i < n:
        if not words[i][:1].isupper() or title_before_name(i):
            i += 1
            continue
        j = i + 1
        while j < n and words[j][:1].isupper() and not title_before_name(j):
            j += 1
        run = own[i:j]
        extra: dict[str, Any] = {}
        for key in ("cue_org", "cue_loc", "cue_per"):
            if any(key in f for f in run):
                extra["run_" + key[4:]] = 1
        if i > 0 and "cue_title" in own[i - 1]:
            extra["run_title"] = 1
        length = min(j - i, 4)
        for k in range(i, j):
            f = dict(own[k])
            f.update(extra)
            f["run"] = "S" if j - i == 1 else "B" if k == i else "E" if k == j - 1 else "I"
            f["runlen"] = length
            own[k] = f
        i = j
    return own


def _lower_cased(words: list[str]) -> bool:
    lower = False
    for w in words:
        for ch in w:
            if ch.isupper():
                return False
            lower = lower or ch.islower()
    return lower
