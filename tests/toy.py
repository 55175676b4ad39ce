"""A toy per-document pipeline for tests of runs, stores and runners (fast: no models).

``toy_stages`` sets text = raw and a hashed bag-of-words story vector, so similar texts get
similar vectors and the shipped passes (copies, clusters, similarity) work on real signals.
``corpus`` writes reports of a few happenings over a month, with copies dated before and after
their originals (which renames clusters when the earlier copy arrives later).
"""

from __future__ import annotations

import hashlib
import random

import numpy as np

from newsloom.stages.base import DocStage

DIM = 64


class Toy(DocStage):
    """text = raw; language 'en'; a hashed bag-of-words vector (similar texts, similar vectors)."""

    name = "toy"
    requires = ("raw",)
    provides = ("text", "lang", "embedding")

    def process(self, docs):
        for d in docs:
            d.text, d.lang, d.lang_score = d.raw, "en", 1.0
            v = np.zeros(DIM, dtype=np.float32)
            for w in d.raw.lower().split():
                v[int(hashlib.md5(w.encode()).hexdigest(), 16) % DIM] += 1.0
            d.embedding = v / max(float(np.linalg.norm(v)), 1e-9)
            d.embedding_key = d.doc_id
        return docs


def toy_stages(config):
    return [Toy(config)]


TOPICS = [
    "harbour strike dock workers wages port authority talks",
    "flood river town evacuated rain army rescue boats",
    "election count ballots commission results turnout",
    "wildfire forest hills firefighters wind homes",
    "vaccine clinic doses health ministry campaign",
    "earthquake magnitude coast tsunami warning damage",
]


def corpus(n_per_topic: int = 6, seed: int = 0) -> list[dict]:
    """Reports on a few happenings over a month, with exact copies dated before and after."""
    rnd = random.Random(seed)
    items = []
    for t, words in enumerate(TOPICS):
        base = words.split()
        for k in range(n_per_topic):
            day = 1 + (t * 4 + k) % 27
            text = " ".join(rnd.sample(base, len(base)) + [f"report{t}x{k}", "said", "officials"]) + "."
            items.append({"text": text, "title": f"{base[0]} {base[1]} {k}", "date": f"2031-03-{day:02d}",
                          "publisher": f"outlet{k % 3}"})
            if k % 3 == 0:  # a syndicated copy, sometimes dated before its original
                items.append({"text": text, "title": f"{base[0]} {base[1]} {k} (wire)",
                              "date": f"2031-03-{max(1, day - 1 + 2 * (k % 2)):02d}", "publisher": "wire"})
    return items


