"""Exact and near-duplicate copies, within one language, with an incremental MinHash LSH index.

What the rest of newsloom calls::

    from newsloom.corpus.copies import CopyIndex, CopyInput, find_copies

    index = CopyIndex.from_state(saved) if saved else CopyIndex()
    decisions = find_copies([CopyInput(doc_id=d.doc_id, text=d.text, lang=d.lang,
                                       published=d.published, publisher=d.publisher) for d in docs],
                            index)
    for dec in decisions:             # one per new doc, plus older docs whose original changed
        store.set_duplicate_of(dec.doc_id, dec.duplicate_of)   # None = an original
    saved = index.state_dict()        # plain dict: params + one row per doc (signature as bytes)

A copy group is every document whose normalised text is identical (exact) or whose MinHash
Jaccard estimate over normalised shingles reaches ``threshold`` with a member of the group
(near: syndicated copies with extra clutter, small edits), in the same language. Every member
but one points (``duplicate_of``) at the group's original: the earliest-published member, ties
and unknown dates broken by doc id, so the answer does not depend on the order documents
arrived in. When a later batch brings an earlier copy, ``find_copies`` also returns decisions
re-pointing the older members at it.

Shingles are word ``shingle_size``-grams of the normalised text (NFKC, case-folded, punctuation
dropped); texts written without spaces between words (Chinese, Japanese, Thai) use character
n-grams instead, decided from the text itself, so no language list is needed. A text with fewer
than ``min_shingles`` shingles is too short for a near-duplicate call and only gets exact matching.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

if TYPE_CHECKING:
    from datasketch import MinHash, MinHashLSH


def _datasketch() -> tuple[type[MinHash], type[MinHashLSH]]:
    """datasketch's classes, imported when the first index is built: the rest of this module
    (``date_key``, ``shingles``) serves installs without the ``embedding`` extra."""
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError as exc:
        raise ImportError("copy detection needs datasketch: pip install 'newsloom[embedding]'",
                          name="datasketch") from exc
    return MinHash, MinHashLSH


STATE_VERSION = 1
_SCHEME = "affine32"
_WORD = re.compile(r"\w+")
# mean word length above which a text is taken to be written without spaces (zh, ja, th)
_NO_SPACE_MEAN_WORD = 12.0


@dataclass(slots=True, kw_only=True)
class CopyInput:
    """What copy detection needs of a document."""

    doc_id: str
    text: str
    lang: str | None = None
    published: str | None = None
    publisher: str | None = None


@dataclass(slots=True, kw_only=True)
class CopyDecision:
    """``duplicate_of`` for one document (None: it is an original or has no copy)."""

    doc_id: str
    duplicate_of: str | None
    kind: Literal["exact", "near"] | None = None
    similarity: float = 0.0
    syndicated: bool = False  # the original comes from another (known) publisher
    reason: str | None = None  # why no decision could be made (e.g. "empty_text")


def normalise_text(text: str) -> str:
    """NFKC, case-folded, punctuation dropped, whitespace collapsed."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text or "").casefold()))


def shingles(normalised: str, size: int = 5) -> set[str]:
    """Word ``size``-grams, or character ``size``-grams for text written without spaces."""
    words = normalised.split()
    if not words:
        return set()
    if sum(map(len, words)) / len(words) > _NO_SPACE_MEAN_WORD:
        chars = normalised.replace(" ", "")
        if len(chars) <= size:
            return {chars}
        return {chars[i : i + size] for i in range(len(chars) - size + 1)}
    if len(words) <= size:
        return {" ".join(words)}
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def date_key(published: str | None) -> float:
    """Sort key of a publication date: POSIX seconds (UTC), +inf when unknown or unparsable."""
    if not published:
        return math.inf
    try:
        dt = datetime.fromisoformat(published.strip())
    except ValueError:
        return math.inf
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


@dataclass(slots=True)
class _Entry:
    lang: str
    published: str | None
    publisher: str | None
    exact: str
    signature: bytes | None  # None: too short for near-duplicate matching
    original: str  # group root (itself when an original)
    size: int = 0  # number of shingles (for containment)


@dataclass
class CopyIndex:
    """Signatures of every document seen so far, per language LSH, and the copy groups.

    ``state_dict()`` / ``from_state()`` persist it: parameters plus one row per document
    (signature as ``bytes``, uint32 little-endian); the LSH tables are rebuilt on load.
    """

    num_perm: int = 64
    threshold: float = 0.7
    # a republication trimmed by a paragraph or two is mostly contained in its original even
    # when their Jaccard similarity is lower: containment (overlap / smaller set, estimated
    # from Jaccard and the set sizes) at or above this also makes a near copy, for texts of
    # at least containment_min_shingles shingles
    containment: float = 0.85
    containment_min_shingles: int = 60
    lsh_threshold: float = 0.5
    shingle_size: int = 5
    min_shingles: int = 3
    seed: int = 1
    entries: dict[str, _Entry] = field(default_factory=dict, repr=False)
    stats: Counter = field(default_factory=Counter, repr=False)

    def __post_init__(self) -> None:
        self._minhash_type, self._lsh_type = _datasketch()
        self._perms = self._minhash_type(num_perm=self.num_perm, seed=self.seed, scheme=_SCHEME).permutations
        self._lsh: dict[str, MinHashLSH] = {}
        self._exact: dict[tuple[str, str], str] = {}  # (lang, exact key) -> a member doc id
        self._members: dict[str, list[str]] = {}  # group root -> members (root included)
        for doc_id, e in self.entries.items():
            self._index(doc_id, e)

    # ---- signatures -------------------------------------------------------------------
    def minhash(self, shingle_set: set[str]) -> MinHash:
        m = self._minhash_type(num_perm=self.num_perm, seed=self.seed, scheme=_SCHEME, permutations=self._perms)
        m.update_batch([s.encode("utf-8") for s in shingle_set])
        return m

    def _from_bytes(self, sig: bytes) -> MinHash:
        values = np.frombuffer(sig, dtype="<u4")
        return self._minhash_type(seed=self.seed, scheme=_SCHEME, hashvalues=values, permutations=self._perms)

    def _lsh_for(self, lang: str) -> MinHashLSH:
        lsh = self._lsh.get(lang)
        if lsh is None:
            lsh = self._lsh[lang] = self._lsh_type(threshold=self.lsh_threshold, num_perm=self.num_perm)
        return lsh

    def _index(self, doc_id: str, e: _Entry) -> None:
        self._exact.setdefault((e.lang, e.exact), doc_id)
        if e.signature is not None:
            self._lsh_for(e.lang).insert(doc_id, self._from_bytes(e.signature))
        self._members.setdefault(e.original, []).append(doc_id)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self.entries

    def original_of(self, doc_id: str) -> str | None:
        """The group's original for a known document (None if it is the original itself)."""
        root = self.entries[doc_id].original
        return None if root == doc_id else root

    def _sort_key(self, doc_id: str) -> tuple[float, str]:
        return (date_key(self.entries[doc_id].published), doc_id)

    # ---- persistence ------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "params": {
                "num_perm": self.num_perm,
                "threshold": self.threshold,
                "containment": self.containment,
                "containment_min_shingles": self.containment_min_shingles,
                "lsh_threshold": self.lsh_threshold,
                "shingle_size": self.shingle_size,
                "min_shingles": self.min_shingles,
                "seed": self.seed,
            },
            "docs": [
                {
                    "doc_id": doc_id,
                    "lang": e.lang,
                    "published": e.published,
                    "publisher": e.publisher,
                    "exact": e.exact,
                    "signature": e.signature,
                    "original": e.original,
                    "size": e.size,
                }
                for doc_id, e in self.entries.items()
            ],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> CopyIndex:
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"copy index state version {state.get('version')!r}, expected {STATE_VERSION}")
        entries = {
            row["doc_id"]: _Entry(
                lang=row["lang"],
                published=row["published"],
                publisher=row.get("publisher"),
                exact=row["exact"],
                signature=bytes(row["signature"]) if row["signature"] is not None else None,
                original=row["original"],
                size=row.get("size", 0),
            )
            for row in state["docs"]
        }
        return cls(**state["params"], entries=entries)

    # ---- adding documents -------------------------------------------------------------
    def add(self, doc: CopyInput) -> list[CopyDecision]:
        """Add one document; return its decision and those of older members whose original changed."""
        if doc.doc_id in self.entries:
            e = self.entries[doc.doc_id]
            root = e.original
            return [CopyDecision(doc_id=doc.doc_id, duplicate_of=None if root == doc.doc_id else root,
                                 reason="already_indexed")]
        norm = normalise_text(doc.text)
        if not norm:
            self.stats["empty_text"] += 1
            return [CopyDecision(doc_id=doc.doc_id, duplicate_of=None, reason="empty_text")]
        lang = doc.lang or "und"
        exact = hashlib.sha1(norm.encode("utf-8")).hexdigest()
        sh = shingles(norm, self.shingle_size)
        mh = self.minhash(sh) if len(sh) >= self.min_shingles else None

        # groups this document belongs to, with the best similarity to each
        matched: dict[str, tuple[float, str]] = {}
        twin = self._exact.get((lang, exact))
        if twin is not None:
            matched[self.entries[twin].original] = (1.0, "exact")
        if mh is not None and lang in self._lsh:
            for cand in self._lsh[lang].query(mh):
                self.stats["candidates"] += 1
                ce = self.entries[cand]
                sim = mh.jaccard(self._from_bytes(ce.signature))
                if sim >= self.threshold or self._contained(sim, len(sh), ce.size):
                    best = matched.get(ce.original)
                    if best is None or sim > best[0]:
                        matched[ce.original] = (sim, "exact" if ce.exact == exact else "near")

        entry = _Entry(lang=lang, published=doc.published, publisher=doc.publisher, exact=exact,
                       signature=mh.hashvalues.astype("<u4").tobytes() if mh is not None else None,
                       original=doc.doc_id, size=len(sh))
        self.entries[doc.doc_id] = entry
        if not matched:
            self._index(doc.doc_id, entry)
            self.stats["originals"] += 1
            return [CopyDecision(doc_id=doc.doc_id, duplicate_of=None)]

        # merge the matched groups and this document; the earliest member is the original
        roots = sorted(matched)
        members = [doc.doc_id] + [m for r in roots for m in self._members.get(r, [])]
        new_root = min(members, key=self._sort_key)
        out: list[CopyDecision] = []
        for r in roots:
            for m in self._members.pop(r, []):
                if self.entries[m].original != new_root:
                    self.entries[m].original = new_root
                    out.append(self._decision(m, new_root, kind="near", sim=0.0, reoriented=True))
        entry.original = new_root
        self._index(doc.doc_id, entry)
        self._members[new_root] = members
        sim, kind = max(matched.values())
        self.stats[f"copies_{kind}"] += 1
        out.insert(0, self._decision(doc.doc_id, new_root, kind=kind, sim=sim))
        return out

    def _contained(self, jaccard: float, size_a: int, size_b: int) -> bool:
        """Whether the smaller text is (estimated) mostly contained in the larger one."""
        small = min(size_a, size_b)
        if small < self.containment_min_shingles:
            return False
        overlap = jaccard * (size_a + size_b) / (1.0 + jaccard)
        return overlap / small >= self.containment

    def _decision(self, doc_id: str, root: str, *, kind: str, sim: float, reoriented: bool = False) -> CopyDecision:
        if root == doc_id:
            return CopyDecision(doc_id=doc_id, duplicate_of=None, reason="became_original" if reoriented else None)
        e, o = self.entries[doc_id], self.entries[root]
        syndicated = bool(e.publisher and o.publisher and e.publisher != o.publisher)
        if reoriented:
            kind = "exact" if e.exact == o.exact else "near"
            sim = 1.0 if kind == "exact" else self._from_bytes(e.signature).jaccard(self._from_bytes(o.signature)) \
                if e.signature is not None and o.signature is not None else 0.0
        return CopyDecision(doc_id=doc_id, duplicate_of=root, kind=kind, similarity=float(sim),
                            syndicated=syndicated)


def find_copies(docs: list[CopyInput], index: CopyIndex) -> list[CopyDecision]:
    """Add new documents to ``index`` and return their ``duplicate_of`` decisions.

    The batch is processed in (published, doc_id) order, so a shuffled batch gives the same
    answer. The result has one decision per new document (in that order), then, at the end,
    a decision for every previously indexed document whose original changed (last one wins
    if a document appears twice).
    """
    order = sorted(docs, key=lambda d: (date_key(d.published), d.doc_id))
    own: dict[str, CopyDecision] = {}
    changed: dict[str, CopyDecision] = {}
    new_ids = {d.doc_id for d in docs}
    for d in order:
        for dec in index.add(d):
            if dec.doc_id in new_ids:
                # a member of this batch re-pointed later in the batch: its latest decision wins
                if dec.doc_id in own and dec.doc_id != d.doc_id:
                    prev = own[dec.doc_id]
                    dec.kind = dec.kind or prev.kind
                own[dec.doc_id] = dec
            else:
                changed[dec.doc_id] = dec
    return [own[d.doc_id] for d in order if d.doc_id in own] + list(changed.values())
