"""The embedding stage: one story vector per document (title and lead), computed in the workers."""

from __future__ import annotations

from newsloom.embed.encoder import Encoder, embed_text, get_encoder, text_hash
from newsloom.models import Document
from newsloom.stages.base import DocStage


class Embed(DocStage):
    name = "embed"
    requires = ("text", "title")
    provides = ("embedding",)

    def setup(self) -> None:
        self.encoder: Encoder = get_encoder(self.config.embed.encoder, max_chars=self.config.embed.max_chars)

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
