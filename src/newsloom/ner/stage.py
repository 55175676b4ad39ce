"""The ``ner`` stage: PER/ORG/LOC/MISC mentions in every sentence of a document."""

from __future__ import annotations

import bisect

from newsloom.models import Document, EntityMention, Span
from newsloom.ner.model import Found, Tagger, find_many, load_tagger
from newsloom.resources import lang_resource
from newsloom.stages.base import PerDocumentStage

TYPES = frozenset({"PER", "ORG", "LOC", "MISC"})


class EntityRecognizer(PerDocumentStage):
    """Tag each sentence with the tagger of its language and append ``EntityMention``\\ s.

    A sentence's language is that of the paragraph holding it when the paragraph has its
    own label (documents in two languages), else the document's. The tagger comes from
    ``resources/lang/<lang>/ner.yaml`` (``model:``); Malay uses the Indonesian CRF, languages
    without a file get the capitalisation fallback (``_base``), and a tagger that cannot be
    loaded (spaCy not installed) falls back to it too, counted in ``stats``.
    """

    name = "ner"
    requires = ("text", "sentences", "lang")
    provides = ("entities",)

    def setup(self) -> None:
        self.max_tokens = self.config.ner.max_tokens
        self._taggers: dict[str, Tagger] = {}
        self.fallback_reason = ""

    def tagger_for(self, lang: str | None) -> Tagger:
        key = lang or "und"
        t = self._taggers.get(key)
        if t is None:
            spec = str(lang_resource(lang if lang and lang != "und" else None, "ner").get("model", "caps"))
            try:
                t = load_tagger(spec, key, self.max_tokens)
            except (ImportError, OSError) as exc:
                self.stats[f"ner_fallback_{key}"] += 1
                self.fallback_reason = f"{spec}: {type(exc).__name__}: {exc}"
                t = load_tagger("caps", key, self.max_tokens)
            self._taggers[key] = t
        return t

    def process_one(self, doc: Document) -> None:
        text = doc.text or ""
        sents = doc.sentences or ([Span(start=0, end=len(text), text=text)] if text.strip() else [])
        starts = [p.start for p in doc.paragraphs]
        groups: dict[str | None, tuple[list[str], list[int]]] = {}
        for s in sents:
            piece = text[s.start : s.end]
            if not piece.strip():
                continue
            lang = doc.lang
            i = bisect.bisect_right(starts, s.start) - 1
            if i >= 0 and doc.paragraphs[i].lang and s.start < doc.paragraphs[i].end:
                lang = doc.paragraphs[i].lang
            texts, offsets = groups.setdefault(lang, ([], []))
            texts.append(piece)
            offsets.append(s.start)
            self.stats["ner_sentences"] += 1
        found: list[Found] = []
        for lang, (texts, offsets) in groups.items():
            found.extend(find_many(self.tagger_for(lang), texts, offsets))
        found.sort(key=lambda f: (f.start, f.end))
        for f in found:
            if f.type not in TYPES or f.end <= f.start:
                continue
            doc.entities.append(
                EntityMention(start=f.start, end=f.end, text=text[f.start : f.end], type=f.type)
            )
            self.stats["ner_mentions"] += 1
