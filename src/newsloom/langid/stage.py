"""The ``langid`` stage: a language for every paragraph and for the document."""

from __future__ import annotations

from collections import Counter

from newsloom.langid.detector import IDMS, UNDETERMINED, LanguageDetector
from newsloom.models import Document, Paragraph
from newsloom.stages.base import DocStage


class LanguageId(DocStage):
    """Label paragraphs and documents with a language; flag documents written in two.

    Paragraphs of at least ``langid.paragraph_min_chars`` characters are identified on
    their own; shorter ones inherit the document's language. The document's language is
    the one covering most characters of its identified paragraphs (the whole text when none
    is long enough). Indonesian and Malay are decided over all of the document's id/ms
    paragraphs together, which is far more reliable than paragraph by paragraph; a
    paragraph keeps its own id/ms label only when its own evidence is strong. A document is
    ``mixed_lang`` when a second language covers more than ``langid.mixed_min_share`` of
    its characters. ``doc.lang_hint`` only breaks near ties.
    """

    name = "langid"
    requires = ("text", "paragraphs")
    provides = ("lang", "lang_score", "mixed_lang")

    # a paragraph's own Indonesian/Malay call overrides the document's from this probability
    OWN_IDMS_PROB = 0.99

    def setup(self) -> None:
        cfg = self.config.langid
        self.detector = LanguageDetector(
            second_opinion=cfg.second_opinion,
            confusion_min_count=cfg.confusion_min_count,
            lingua_margin=cfg.lingua_margin,
        )

    def process(self, docs: list[Document]) -> list[Document]:
        # the paragraphs of the whole batch go through the detector together (its n-gram
        # second opinion is vectorised over a batch); a failure falls back to one document
        # at a time, so that only the bad document is rejected
        try:
            self._label_paragraphs(docs)
        except Exception:  # noqa: BLE001 - retried document by document below, where the bad one is rejected
            self.stats["batch_retried"] += 1
        for doc in docs:
            try:
                if any(p.lang is None for p in self._long(doc)):
                    self._label_paragraphs([doc])
                self._one(doc)
            except Exception as exc:  # noqa: BLE001 - a bad document must not stop the batch
                doc.rejected = f"langid: {type(exc).__name__}: {exc}"
                self.stats["dropped_langid_error"] += 1
        return docs

    def _long(self, doc: Document) -> list[Paragraph]:
        text = doc.text or ""
        if not doc.paragraphs:
            doc.paragraphs = [Paragraph(start=0, end=len(text), text=text)] if text else []
        return [p for p in doc.paragraphs if len(p.text.strip()) >= self.config.langid.paragraph_min_chars]

    def _label_paragraphs(self, docs: list[Document]) -> None:
        paras, hints = [], []
        for doc in docs:
            long_ = self._long(doc)
            paras += long_
            hints += [doc.lang_hint] * len(long_)
        for p, d in zip(paras, self.detector.detect_many([p.text for p in paras], hints)):
            p.lang, p.lang_score = d.lang, d.score
            self.stats["second_opinion"] += d.second_opinion
            self.stats["lingua"] += d.lingua
            self.stats["hint_used"] += d.hint_used

    def _one(self, doc: Document) -> None:
        cfg = self.config.langid
        text = doc.text or ""
        paras = doc.paragraphs
        long_ = self._long(doc)
        det = self.detector
        chars, weighted = self._coverage(long_)
        if chars:
            # Indonesian and Malay count as one language until decided over the whole group
            grouped = Counter({k: v for k, v in chars.items() if k not in IDMS})
            idms_chars = sum(v for k, v in chars.items() if k in IDMS)
            if idms_chars:
                grouped["id|ms"] = idms_chars
            best = grouped.most_common(1)[0][0]
            if best == "id|ms":
                self._decide_idms(doc, [p for p in long_ if p.lang in IDMS])  # sets doc.lang
                chars, weighted = self._coverage(long_)
            else:
                doc.lang = best
            doc.lang_score = weighted[doc.lang] / max(1, chars[doc.lang])
        else:
            d = det.detect(text, doc.lang_hint)
            doc.lang, doc.lang_score = d.lang, d.score
            self.stats["hint_used"] += d.hint_used
        for p in paras:
            if p.lang is None:
                p.lang, p.lang_score = doc.lang, doc.lang_score
        total = sum(len(p.text) for p in paras)
        share: Counter[str] = Counter()
        for p in paras:
            share[p.lang or UNDETERMINED] += len(p.text)
        second = [n for lang, n in share.items() if lang not in (doc.lang, UNDETERMINED)]
        doc.mixed_lang = bool(total) and max(second, default=0) / total > cfg.mixed_min_share
        self.stats[f"lang_{doc.lang}"] += 1
        self.stats["mixed_lang"] += doc.mixed_lang

    @staticmethod
    def _coverage(paras: list[Paragraph]) -> tuple[Counter[str], Counter[str]]:
        """Characters per language, and the same weighted by each paragraph's score."""
        chars: Counter[str] = Counter()
        weighted: Counter[str] = Counter()
        for p in paras:
            if p.lang and p.lang != UNDETERMINED:
                chars[p.lang] += len(p.text)
                weighted[p.lang] += len(p.text) * p.lang_score
        return chars, weighted

    def _decide_idms(self, doc: Document, paras: list[Paragraph]) -> None:
        """One Indonesian/Malay decision over all id/ms paragraphs; strong own calls stay."""
        idms = self.detector.idms
        whole = idms.decide("\n".join(p.text for p in paras))
        lang = whole.lang
        hint = (doc.lang_hint or "").lower()[:2]
        if hint in IDMS and hint != lang and whole.prob < 0.75:
            lang = hint
            self.stats["hint_used"] += 1
        doc.lang = lang
        for p in paras:
            own = idms.decide(p.text)
            if own.lang != lang and own.prob >= self.OWN_IDMS_PROB:
                p.lang = own.lang
            else:
                p.lang = lang
