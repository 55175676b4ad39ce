"""Golden event cases written for newsloom (fictional sentences), run through the real pipeline.

Each case: (lang, sentence, expected first event) with expected = (type, trigger text, actor,
target, mode, negated); actor and target are entity ids of the linked mentions (None: none).
"""

from __future__ import annotations

import pytest

from newsloom.models import Document

GOLDEN = [
    # English
    ("en", "Egypt condemned Israel on Tuesday.", ("DISAPPROVE", "condemned", "geo:EG", "geo:IL", "asserted", False)),
    ("en", "Russia accused Ukraine of shelling the dam.", ("ACCUSE", "accused", "geo:RU", "geo:UA", "asserted", False)),
    ("en", "Turkey will not send troops to Syria.", ("MOBILIZE", "send troops", "geo:TR", None, "planned", True)),
    ("en", "Indonesia rejected the proposal from Malaysia.", ("REJECT", "rejected", "geo:ID", None, "asserted", False)),
    ("en", "Hamas fighters attacked Israeli positions near Rafah.",  # an attack on armed forces is a FIGHT
     ("FIGHT", "attacked Israeli positions", "kb:hamas", "geo:IL", "asserted", False)),
    ("en", "Hamas fighters attacked a village near Rafah.", ("ASSAULT", "attacked", "kb:hamas", None, "asserted", False)),
    ("en", "France threatened to impose sanctions on Iran.",
     ("THREATEN", "threatened", "geo:FR", "geo:IR", "asserted", False)),
    ("en", "Three soldiers were killed by Hamas near Rafah.", ("ASSAULT", "killed", "kb:hamas", None, "asserted", False)),
    # Indonesian
    ("id", "Mesir mengecam Israel pada hari Selasa.", ("DISAPPROVE", "mengecam", "geo:EG", "geo:IL", "asserted", False)),
    ("id", "Indonesia menolak usulan Malaysia.", ("REJECT", "menolak", "geo:ID", "geo:MY", "asserted", False)),
    ("id", "Israel membantah telah menyerang Gaza.",
     ("ASSAULT", "menyerang", "geo:IL", "kb:gaza-strip", "denied", False)),
    ("id", "Joko Widodo bertemu Anwar Ibrahim di Jakarta pada hari Senin.",
     ("CONSULT", "bertemu", "kb:joko-widodo", "kb:anwar-ibrahim", "asserted", False)),
    ("id", "Pemerintah Indonesia tidak akan mengirim pasukan ke Myanmar.",
     ("MOBILIZE", "mengirim pasukan", "geo:ID", None, "planned", True)),
    # Arabic
    ("ar", "أدانت مصر إسرائيل يوم الثلاثاء.", ("DISAPPROVE", "أدانت", "geo:EG", "geo:IL", "asserted", False)),
    ("ar", "رفضت إندونيسيا اقتراح ماليزيا.", ("REJECT", "رفضت", "geo:ID", "geo:MY", "asserted", False)),
    ("ar", "ستنسحب إسرائيل من غزة.", ("RETREAT", "ستنسحب", "geo:IL", None, "planned", False)),
    ("ar", "لم تهاجم روسيا أوكرانيا.", ("ASSAULT", "تهاجم", "geo:RU", "geo:UA", "asserted", True)),
    ("ar", "نفت إسرائيل قصف غزة.", ("FIGHT", "قصف", "geo:IL", "kb:gaza-strip", "denied", False)),
]

# The modality examples: five different records for the same withdrawal.
MODALITY = [
    ("en", "Israel agreed to withdraw its troops from Gaza.", [("AGREE", "asserted"), ("RETREAT", "planned")]),
    ("en", "Israel will withdraw its troops from Gaza.", [("RETREAT", "planned")]),
    ("en", "Egypt demanded a withdrawal of Israeli troops from Gaza.", [("DEMAND", "asserted"), ("RETREAT", "demanded")]),
    ("en", "Israel denied withdrawing its troops from Gaza.", [("RETREAT", "denied")]),
    ("en", "If they withdraw from Gaza, Hamas will release the prisoners.",
     [("RETREAT", "hypothetical"), ("CONCEDE", "planned")]),
    ("id", "Israel sepakat untuk menarik pasukannya dari Gaza.", [("AGREE", "asserted"), ("RETREAT", "planned")]),
    ("id", "Israel akan menarik pasukannya dari Gaza.", [("RETREAT", "planned")]),
    ("id", "Mesir menuntut penarikan pasukan Israel dari Gaza.", [("DEMAND", "asserted"), ("RETREAT", "demanded")]),
    ("id", "Israel membantah menarik pasukannya dari Gaza.", [("RETREAT", "denied")]),
    ("id", "Jika Israel menarik pasukannya dari Gaza, Hamas akan berunding.",
     [("RETREAT", "hypothetical"), ("CONSULT", "planned")]),
    ("ar", "وافقت إسرائيل على الانسحاب من غزة.", [("AGREE", "asserted"), ("RETREAT", "planned")]),
    ("ar", "سوف تنسحب إسرائيل من غزة.", [("RETREAT", "planned")]),
    ("ar", "طالبت مصر إسرائيل بالانسحاب من غزة.", [("DEMAND", "asserted"), ("RETREAT", "demanded")]),
    ("ar", "نفت إسرائيل الانسحاب من غزة.", [("RETREAT", "denied")]),
    ("ar", "إذا انسحبت إسرائيل من غزة، ستفرج حماس عن الأسرى.", [("RETREAT", "hypothetical"), ("CONCEDE", "planned")]),
]


@pytest.fixture(scope="session")
def analyse(config):
    from newsloom.pipeline import default_stages

    stages = [s for s in default_stages(config) if s.name != "embed"]

    def run(lang: str, text: str, published: str | None = "2024-03-01") -> Document:
        docs = [Document(source="golden", raw=text, lang_hint=lang, published=published)]
        for stage in stages:
            docs = stage(docs)
        return docs[0]

    return run


@pytest.mark.parametrize(("lang", "text", "expected"), GOLDEN, ids=[f"{c[0]}-{i}" for i, c in enumerate(GOLDEN)])
def test_golden_first_event(analyse, lang, text, expected):
    doc = analyse(lang, text)
    assert doc.rejected is None
    assert doc.events, f"no event in {text!r}"
    e = doc.events[0]
    got = (e.type, doc.text[e.trigger_start:e.trigger_end], e.actor, e.target, e.mode, e.negated)
    assert got == expected
    assert doc.text[e.start:e.end] == e.text  # the span is the sentence


@pytest.mark.parametrize(("lang", "text", "expected"), MODALITY, ids=[f"{c[0]}-{i}" for i, c in enumerate(MODALITY)])
def test_modality_records(analyse, lang, text, expected):
    doc = analyse(lang, text)
    assert [(e.type, e.mode) for e in doc.events] == expected


@pytest.mark.parametrize("lang", ["en", "id", "ar"])
def test_modality_examples_are_different_records(analyse, lang):
    records = [tuple((e.type, e.mode) for e in analyse(lg, text).events) for lg, text, _ in MODALITY if lg == lang]
    assert len(set(records)) == len(records) == 5


def test_event_fields(analyse):
    doc = analyse("en", "Police arrested 35 protesters in Jakarta on Friday, officials said.", published="2024-03-01")
    e = doc.events[0]
    assert (e.type, doc.text[e.trigger_start:e.trigger_end]) == ("COERCE", "arrested")
    assert e.location == "geo:gn1642911"  # Jakarta: a place after "in" is where, not whom
    assert e.date == "2024-03-01"  # the Friday before publication (a Friday): dates of the sentence first
    assert [doc.text[s:t] for s, t in e.quantities] == ["35 protesters"]
    assert e.event_id is None and e.story_id is None  # clusters come from the whole-corpus passes
    assert len(e.event_mention_id) == 20


def test_countries_are_alpha3(analyse):
    doc = analyse("en", "The Egyptian foreign minister met his Jordanian counterpart on Sunday.")
    e = doc.events[0]
    assert (e.actor_country, e.target_country) == ("EGY", "JOR")  # from nationality words


def test_publication_date_only_for_asserted_events(analyse):
    doc = analyse("en", "Turkey will send troops to Syria.", published="2024-03-01")
    assert doc.events[0].mode == "planned" and doc.events[0].date is None
    doc = analyse("en", "Turkey sent troops to Syria.", published="2024-03-01T10:00:00")
    assert doc.events[0].date == "2024-03-01"


@pytest.mark.parametrize(("lang", "text", "countries"), [
    ("en", "Egyptian President Samir Haddad condemned Israel on Tuesday.", ("EGY", "ISR")),
    ("en", "King Hassan of Morocco condemned Israel on Tuesday.", ("MAR", "ISR")),
    ("en", "Serb forces shelled the village on Tuesday.", ("SRB", None)),
    ("id", "Perdana Menteri Malaysia Ahmad Fauzi mengecam Israel.", ("MYS", "ISR")),
    ("ar", "أدان الرئيس المصري سمير حداد إسرائيل يوم الثلاثاء.", ("EGY", "ISR")),
])
def test_country_of_a_person_from_the_words_around_the_name(analyse, lang, text, countries):
    e = analyse(lang, text).events[0]
    assert (e.actor_country, e.target_country) == countries


def test_nationality_words_in_a_verb_first_sentence(analyse):
    e = analyse("ar", "اعتقلت الشرطة الإسرائيلية ثلاثة فلسطينيين في القدس.").events[0]
    assert (e.type, e.actor, e.target, e.actor_country, e.target_country) == ("COERCE", None, None, "ISR", "PSE")
