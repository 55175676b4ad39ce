"""SentenceSplit: glued-sentence repair, paragraphs and sentences, span invariants."""

from __future__ import annotations

import pytest

from newsloom.clean.sentences import SentenceSplit, paragraph_spans, repair_glued, rules_for
from newsloom.config import load_config
from newsloom.models import Document
from newsloom.resources import languages, raw_file, validate


@pytest.fixture(scope="module")
def stage():
    s = SentenceSplit(load_config())
    s.ensure_setup()
    return s


def run(stage: SentenceSplit, text: str, lang: str | None = None) -> Document:
    doc = Document(source="t", raw=text, text=text, lang_hint=lang)
    stage([doc])
    return doc


GLUED = [
    ("en", "The bridge reopened in Veltria.The minister said it was safe.", "in Veltria. The minister"),
    ("en", "Was it safe?The engineers said yes.", "safe? The engineers"),
    ("en", "Stop the works!Residents shouted.", "works! Residents"),
    ("en", "It opened in 2021.A year later it closed.", "2021. A year"),
    ("en", "He said it was over.\u201cWe are done,\u201d he added.", "over. \u201cWe are"),
    ("en", "\u201cWe are done.\u201dThe crowd left.", "done.\u201d The crowd"),
    ("en", "The council met (in private).Nobody spoke.", "private). Nobody"),
    ("id", "Menteri tiba di Jakarta.Ia langsung menuju istana.", "Jakarta. Ia langsung"),
    ("id", "Rapat itu ditunda.KPK juga memeriksa saksi.", "ditunda. KPK juga"),
    ("id", "Apakah jembatan aman?Para insinyur menjawab ya.", "aman? Para insinyur"),
    ("ar", "قال الوزير إن الاجتماع كان ناجحا.وأضاف أن الوفد سيعود غدا.", "ناجحا. وأضاف"),
    ("ar", "هل انتهت الأزمة؟وقال المتحدث إن المحادثات مستمرة.", "الأزمة؟ وقال"),
    ("ar", "انتهى الاجتماع في المساء۔وغادر الوفد المدينة.", "المساء۔ وغادر"),
]

NOT_GLUED = [
    ("en", "Officials in the U.S.The envoy"),  # initials: ambiguous, never split
    ("en", "Dr.Smith opened the bridge."),
    ("en", "Mr.Kroy and Mrs.Tolland attended."),
    ("en", "Costs rose 3.5 percent, or 4.25 million."),
    ("en", "Read it at example.com/a.html or in report.pdf today."),
    ("en", "See e.g.The Ledger archive."),
    ("en", "Author J.K.Rowling was not there."),
    ("en", "Write to press.Office@ledger.example for details."),
    ("en", "Open https://ledger.example/News.Today now."),
    ("en", "The code was written in ASP.NET last year."),
    ("id", "Berita ini dilaporkan Kompas.com dan detik.com pagi ini."),
    ("id", "TEMPO.CO, Jakarta - Menteri itu tiba."),
    ("id", "Tempo.Co, Jakarta - Menteri itu tiba."),
    ("id", "Ia tinggal di Jl.Sudirman sejak lama."),
    ("id", "Buah, sayur, dll.Semua dijual di pasar."),
    ("id", "Drs.Ahmad membuka acara itu."),
    ("id", "Harga naik Rp.5000 per kilo."),
    ("ar", "حضر أ.د.محمد الاجتماع أمس."),
    ("ar", "ارتفع السعر بنسبة 3.5 في المئة."),
]


@pytest.mark.parametrize(
    ("lang", "text", "expected"), GLUED, ids=[f"{g[0]}-{i}" for i, g in enumerate(GLUED)]
)
def test_glued_sentences_are_repaired(stage, lang, text, expected):
    before = stage.stats["glued_repaired"]
    doc = run(stage, text, lang)
    assert expected in doc.text
    assert stage.stats["glued_repaired"] == before + 1
    assert len(doc.sentences) == 2, [s.text for s in doc.sentences]


@pytest.mark.parametrize(("lang", "text"), NOT_GLUED, ids=[f"{g[0]}-{i}" for i, g in enumerate(NOT_GLUED)])
def test_words_with_stops_are_left_alone(stage, lang, text):
    doc = run(stage, text, lang)
    assert doc.text == text


@pytest.mark.parametrize("lang", [None, "en", "id", "ar"])
def test_unknown_language_uses_the_union_of_all_lists(lang):
    rules = rules_for(lang)
    assert repair_glued("Dr.Smith came.Then he left.", rules)[0] == "Dr.Smith came. Then he left."
    if lang in (None, "id"):
        assert repair_glued("di Jl.Sudirman", rules)[1] == 0


def test_region_subtags_are_ignored(stage):
    doc = run(stage, "Ia tinggal di Jl. Sudirman sejak lama. Ia senang.", "id-ID")
    assert [s.text for s in doc.sentences] == ["Ia tinggal di Jl. Sudirman sejak lama.", "Ia senang."]


def test_repair_can_be_turned_off():
    stage = SentenceSplit(load_config(overrides={"clean": {"split_glued_sentences": False}}))
    doc = Document(source="t", raw="", text="It was late.The end came.")
    stage([doc])
    assert doc.text == "It was late.The end came."
    assert stage.stats["glued_repaired"] == 0


def test_paragraphs_and_sentences(stage):
    text = (
        "The ferry to Orsk resumed on Tuesday. Tickets cost 4 crowns.\n\n"
        "Mayor Kroy said: \u201cWe are glad.\u201d Others agreed.\n\n\n"
        "  A last short line  "
    )
    doc = run(stage, text, "en")
    assert [p.text for p in doc.paragraphs] == [
        "The ferry to Orsk resumed on Tuesday. Tickets cost 4 crowns.",
        "Mayor Kroy said: \u201cWe are glad.\u201d Others agreed.",
        "A last short line",
    ]
    assert [s.text for s in doc.sentences] == [
        "The ferry to Orsk resumed on Tuesday.",
        "Tickets cost 4 crowns.",
        "Mayor Kroy said: \u201cWe are glad.\u201d",
        "Others agreed.",
        "A last short line",
    ]


def test_single_newlines_are_paragraphs_when_there_are_no_blank_lines():
    text = "Headline here\nFirst paragraph text.\n  \nnot blank? it is blank"
    lines = "a\nb\nc"
    assert [lines[s:e] for s, e in paragraph_spans(lines)] == ["a", "b", "c"]
    assert len(paragraph_spans(text)) == 2


def test_break_after_a_title_is_undone(stage):
    doc = run(stage, "Drs. Ahmad tiba di Jl. Sudirman No. 5 pukul 10.30 WIB. Ia disambut warga.", "id")
    assert [s.text for s in doc.sentences] == [
        "Drs. Ahmad tiba di Jl. Sudirman No. 5 pukul 10.30 WIB.",
        "Ia disambut warga.",
    ]


SPAN_TEXTS = [
    ("en", "First line of the story.The second sentence follows!\n\nA new paragraph? Yes. It is.\n"),
    ("id", "Presiden tiba di Jakarta.Ia disambut.\n\nMenurut Kompas.com, acara berlangsung meriah."),
    ("ar", "قال الوزير إن الاجتماع كان ناجحا.وأضاف أن الوفد سيعود؟ نعم.\n\nوقال آخرون إنهم راضون."),
    (None, "  Mixed 😀 emoji text.Then more.\r\n\r\nTabs\tand\u00a0spaces.  "),
    (None, ""),
]


@pytest.mark.parametrize(("lang", "text"), SPAN_TEXTS)
def test_span_invariants(stage, lang, text):
    doc = run(stage, text, lang)
    for span in [*doc.paragraphs, *doc.sentences]:
        assert doc.text[span.start : span.end] == span.text
        assert span.text == span.text.strip() and span.text
    starts = [s.start for s in doc.sentences]
    assert starts == sorted(starts)
    for sent in doc.sentences:  # every sentence lies inside one paragraph
        assert any(p.start <= sent.start and sent.end <= p.end for p in doc.paragraphs)
    assert "".join(doc.text.split()) == "".join(text.split())  # repair only adds spaces


@pytest.mark.parametrize("lang", [x for x in ["_base", *languages()] if raw_file(x, "abbreviations")])
def test_abbreviation_files_are_valid(lang):
    assert validate(lang, "abbreviations") == []
    for key, values in raw_file(lang, "abbreviations").items():
        bad = [v for v in values if not isinstance(v, str)]
        assert not bad, f"{lang}/abbreviations.yaml {key}: non-string entries {bad} (quote them in YAML)"
