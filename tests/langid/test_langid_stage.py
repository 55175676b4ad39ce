"""The langid stage: paragraph labels, document language, mixed documents, counters."""

from __future__ import annotations

import pytest

from newsloom.config import load_config
from newsloom.langid.stage import LanguageId
from newsloom.models import Document, Paragraph


@pytest.fixture(scope="module")
def stage() -> LanguageId:
    s = LanguageId(load_config())
    s.ensure_setup()
    return s


def make_doc(paragraphs: list[str], lang_hint: str | None = None) -> Document:
    text = "\n\n".join(paragraphs)
    paras, pos = [], 0
    for p in paragraphs:
        paras.append(Paragraph(start=pos, end=pos + len(p), text=p))
        pos += len(p) + 2
    doc = Document(source="test", raw=text, text=text, lang_hint=lang_hint)
    doc.paragraphs = paras
    return doc


# Fictional two-language article written for this test.
ENGLISH = [
    "The harbour authority announced on Monday that the old ferry terminal will close next spring.",
    "Officials said the new terminal would handle twice as many passengers and reduce waiting times.",
    "Local shop owners worry that the move will take customers away from the town centre.",
]
FRENCH = [
    "Le maire a déclaré que la ville allait construire un nouveau parking près du port.",
    "Les habitants du quartier craignent que les travaux durent plus longtemps que prévu.",
]


def test_paragraph_labels_and_mixed_document(stage: LanguageId) -> None:
    doc = make_doc(ENGLISH + ["Photo: AFP"] + FRENCH)
    stage([doc])
    assert doc.lang == "en"
    assert 0.0 < doc.lang_score <= 1.0
    assert [p.lang for p in doc.paragraphs] == ["en", "en", "en", "en", "fr", "fr"]
    assert doc.paragraphs[3].lang_score == doc.lang_score  # short paragraph inherits
    assert doc.mixed_lang is True
    for p in doc.paragraphs:
        assert doc.text[p.start : p.end] == p.text


def test_single_language_document_is_not_mixed(stage: LanguageId) -> None:
    doc = make_doc(ENGLISH)
    stage([doc])
    assert (doc.lang, doc.mixed_lang) == ("en", False)


def test_without_paragraphs_whole_text_is_one(stage: LanguageId) -> None:
    doc = Document(source="t", raw="x", text=" ".join(FRENCH))
    stage([doc])
    assert doc.lang == "fr"
    assert len(doc.paragraphs) == 1 and doc.paragraphs[0].lang == "fr"


def test_indonesian_and_malay_documents(stage: LanguageId) -> None:
    ind = make_doc(
        [
            "Pemerintah daerah mengatakan bahwa harga beras naik karena panen gagal tahun ini.",
            "Warga bisa membeli beras murah di kantor kecamatan mulai minggu depan.",
        ]
    )
    msa = make_doc(
        [
            "Kerajaan negeri berkata bahawa harga beras naik kerana tuaian gagal tahun ini.",
            "Penduduk boleh membeli beras murah di pejabat daerah mulai minggu hadapan.",
        ]
    )
    stage([ind, msa])
    assert ind.lang == "id" and msa.lang == "ms"
    assert {p.lang for p in ind.paragraphs} == {"id"}
    assert {p.lang for p in msa.paragraphs} == {"ms"}
    assert not ind.mixed_lang and not msa.mixed_lang


@pytest.mark.parametrize("text", ["", "2024 100 200 300 400 500 600 700 800 900 1000 1100"])
def test_empty_and_digits_only(stage: LanguageId, text: str) -> None:
    doc = Document(source="t", raw=text or "x", text=text)
    stage([doc])
    assert (doc.lang, doc.lang_score, doc.mixed_lang) == ("und", 0.0, False)
    assert doc.rejected is None


def test_short_document_uses_whole_text(stage: LanguageId) -> None:
    doc = make_doc(["Guten Morgen, liebe Leute."])
    stage([doc])
    assert doc.lang == "de"
    assert doc.paragraphs[0].lang == "de"


def test_counters() -> None:
    s = LanguageId(load_config())
    docs = [make_doc(ENGLISH), make_doc(ENGLISH + FRENCH), Document(source="t", raw="x", text="")]
    docs.append(Document(source="t", raw="y", text="skipped"))
    docs[-1].rejected = "earlier stage"
    s(docs)
    assert s.stats["seen"] == 3
    assert s.stats["lang_en"] == 2
    assert s.stats["lang_und"] == 1
    assert s.stats["mixed_lang"] == 1
    assert docs[-1].lang is None  # rejected documents are left alone


def test_contract() -> None:
    assert LanguageId.name == "langid"
    assert LanguageId.requires == ("text", "paragraphs")
    assert LanguageId.provides == ("lang", "lang_score", "mixed_lang")


def test_a_failing_document_is_rejected_alone(monkeypatch) -> None:
    s = LanguageId(load_config())
    s.ensure_setup()
    real = s.detector.detect_many

    def flaky(texts, hints=None):
        if any("BOOM" in t for t in texts):
            raise ValueError("bad text")
        return real(texts, hints)

    monkeypatch.setattr(s.detector, "detect_many", flaky)
    good, bad = make_doc(ENGLISH), make_doc(["BOOM " + ENGLISH[0]])
    s([good, bad])
    assert good.lang == "en" and good.rejected is None
    assert bad.rejected == "langid: ValueError: bad text"
    assert s.stats["dropped_langid_error"] == 1
