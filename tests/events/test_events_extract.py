"""The event extractor's parts: the phrase matcher, the data files, and bad input."""

from __future__ import annotations

import time

import pytest

from newsloom import resources
from newsloom.events.coding import plover_code
from newsloom.events.countries import CountryResolver, alpha3
from newsloom.events.extract import MAX_SENTENCE_CHARS, SentenceContext, find_events
from newsloom.events.lexicon import MODES, PLOVER_TYPES, Matcher, fold, lexicon, tokenize
from newsloom.events.stage import EventExtractor
from newsloom.models import Document, EntityMention, EventMention, Span

EVENT_LANGS = [lang for lang in resources.languages() if resources.raw_file(lang, "events")]


def _keys(text):
    return tokenize(text)


def test_matcher_prefix_gap_and_longest():
    m = Matcher()
    for pat, label in [("strike*", "PROTEST"), ("air strike*", "FIGHT"), ("call* ... to", "X"), ("heart attack", "")]:
        m.add(pat, label)
    toks = _keys("An air strikes hit; they called the army to act after a heart attack.")
    got = [(m_.label, " ".join(t.key for t in toks[m_.first:m_.last])) for m_ in m.find(toks)]
    assert got == [("FIGHT", "air strikes"), ("X", "called the army to"), ("", "heart attack")]


def test_matcher_arabic_clitics_and_future():
    m = Matcher(clitics=("و", "ب", "ال", "بال"), future_prefixes=("س", "وس"))
    m.add("انسحاب*", "RETREAT")
    m.add("تنسحب", "RETREAT")
    found = m.find(_keys("وستنسحب القوات بعد بالانسحاب"))
    assert [(f.label, f.future) for f in found] == [("RETREAT", True), ("RETREAT", False)]


def test_fold_arabic_and_case():
    assert fold("أدانَت") == fold("ادانت")
    assert fold("Condemned") == "condemned"


@pytest.mark.parametrize("lang", EVENT_LANGS)
def test_event_files_use_known_types_and_modes(lang):
    data = resources.raw_file(lang, "events")
    for key in ("triggers", "passive_triggers"):
        unknown = set(data.get(key) or {}) - set(PLOVER_TYPES)
        assert not unknown, f"{lang}/events.yaml {key}: not PLOVER types: {unknown}"
    assert set(data.get("modes") or {}) <= set(MODES) - {"asserted"}
    for code in data.get("demonyms") or {}:
        assert alpha3(code), f"{lang}/events.yaml demonyms: unknown country code {code}"


@pytest.mark.parametrize("lang", ["en", "id", "ar"])
def test_core_languages_have_every_type(lang):
    data = resources.lang_resource(lang, "events")
    missing = set(PLOVER_TYPES) - set(data["triggers"])
    assert not missing, f"{lang}: no triggers for {missing}"


def test_alpha3():
    assert (alpha3("EG"), alpha3("ID"), alpha3("PS"), alpha3("zz")) == ("EGY", "IDN", "PSE", None)


def _ctx(text, entities=()):
    return SentenceContext(doc_id="d", text=text, entities=list(entities), dates=[], quantities=[], published=None)


def test_resolver_reads_geo_ids_and_demonyms():
    lex = lexicon("en")
    r = CountryResolver()
    assert r.of(EntityMention(start=0, end=5, text="Egypt", type="LOC", entity_id="geo:EG"), lex) == "EGY"
    assert r.of(EntityMention(start=0, end=8, text="Hungarian", type="MISC", entity_id="misc:hnjrn"), lex) == "HUN"
    assert r.of(EntityMention(start=0, end=12, text="North Korean", type="MISC", entity_id="misc:x"), lex) == "PRK"
    ar = lexicon("ar")
    assert r.of(EntityMention(start=0, end=10, text="الفلسطينية", type="MISC", entity_id="misc:y"), ar) == "PSE"


def test_trigger_inside_an_entity_is_no_event():
    text = "Amnesty International demanded the release of the prisoners."
    ents = [EntityMention(start=0, end=21, text="Amnesty International", type="ORG", entity_id="kb:amnesty")]
    events, _ = find_events(_ctx(text, ents), 0, len(text), lexicon("en"))
    assert [e.type for e in events][:1] == ["DEMAND"]
    assert events[0].actor == "kb:amnesty"


def test_hyphenated_modifier_is_no_event():
    text = "Russian-backed separatists held a meeting."
    events, _ = find_events(_ctx(text), 0, len(text), lexicon("en"))
    assert [e.type for e in events] == ["CONSULT"]


def test_plover_code_reads_statements():
    def ev(typ, mode="asserted", negated=False):
        return EventMention(start=0, end=1, text="x", event_mention_id="e", type=typ, mode=mode, negated=negated)

    assert plover_code(ev("RETREAT", "planned")) == "AGREE"
    assert plover_code(ev("ASSAULT", "planned")) == "THREATEN"
    assert plover_code(ev("RETREAT", "demanded")) == "DEMAND"
    assert plover_code(ev("AGREE", negated=True)) == "REJECT"
    assert plover_code(ev("ASSAULT", "denied")) == "ASSAULT"


# -- bad input: no crash, bounded time, no invented event ------------------------------------

def _stage_doc(text, lang="en", sentences=None, entities=()):
    doc = Document(source="bad", raw=text if isinstance(text, str) else "x", lang_hint=lang)
    doc.text = text
    doc.lang = lang
    doc.sentences = sentences if sentences is not None else ([Span(start=0, end=len(text), text=text)]
                                                              if isinstance(text, str) else [])
    doc.entities = list(entities)
    return doc


@pytest.fixture(scope="module")
def stage(config):
    s = EventExtractor(config)
    s.ensure_setup()
    return s


def test_ten_thousand_word_sentence(stage):
    text = " ".join(["Police arrested protesters and attacked the crowd"] * 1430)  # 10,010 words, one "sentence"
    doc = _stage_doc(text)
    t0 = time.perf_counter()
    stage([doc])
    assert time.perf_counter() - t0 < 2.0
    assert doc.rejected is None and doc.events == []
    assert stage.stats["skipped_long"] >= 1
    assert len(text) > MAX_SENTENCE_CHARS


def test_a_list_and_a_table(stage):
    text = "Latest:\n- Protest in Jakarta\n- Attack in Gaza\n- Talks in Cairo\n| killed | 12 |\n| injured | 40 |"
    doc = _stage_doc(text)
    stage([doc])
    assert doc.rejected is None and doc.events == []


def test_text_that_is_a_list_object(stage):
    doc = _stage_doc(["Police", "arrested", "protesters"])
    stage([doc])
    assert doc.rejected is None and doc.events == []
    events, _ = find_events(_ctx(["Police arrested protesters"]), 0, 5, lexicon("en"))
    assert events == []


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Sports roundup: weather, markets and more"),
    ("id", "Kabar Pagi: Cuaca, Harga Cabai dan Jadwal Kereta"),
    ("ar", "نشرة الصباح: الطقس وأسعار الذهب"),
    ("en", "Click here to subscribe to our newsletter and share this story"),
    ("en", "Copyright 2024 Daily Planet. All rights reserved."),
])
def test_headlines_and_boilerplate_give_no_event(stage, lang, text):
    doc = _stage_doc(text, lang)
    stage([doc])
    assert doc.rejected is None and doc.events == []


def test_quotes_inside_quotes(stage):
    text = 'He said: "They told us \'we will attack\' and then they left," adding nothing.'
    doc = _stage_doc(text)
    stage([doc])
    assert doc.rejected is None
    assert all(doc.text[e.start:e.end] == e.text for e in doc.events)


def test_language_without_a_file_gives_no_event(stage):
    doc = _stage_doc("Der Präsident verurteilte den Angriff scharf.", "de")
    stage([doc])
    assert doc.rejected is None and doc.events == []


def test_sentence_offsets_hold(stage):
    text = "Intro line here. Egypt condemned Israel on Tuesday. More text follows."
    s1 = Span(start=17, end=51, text=text[17:51])
    ents = [EntityMention(start=17, end=22, text="Egypt", type="LOC", entity_id="geo:EG"),
            EntityMention(start=33, end=39, text="Israel", type="LOC", entity_id="geo:IL")]
    doc = _stage_doc(text, sentences=[Span(start=0, end=16, text=text[:16]), s1,
                                      Span(start=52, end=len(text), text=text[52:])], entities=ents)
    stage([doc])
    (e,) = doc.events
    assert (e.start, e.end, doc.text[e.start:e.end]) == (17, 51, "Egypt condemned Israel on Tuesday.")
    assert doc.text[e.trigger_start:e.trigger_end] == "condemned"
    assert (e.actor, e.target, e.actor_country, e.target_country) == ("geo:EG", "geo:IL", "EGY", "ISR")


def test_the_speaker_is_not_the_doer():
    text = "قالت مصر إن المفاوضات ستستأنف يوم الثلاثاء."
    ents = [EntityMention(start=5, end=8, text="مصر", type="LOC", entity_id="geo:EG")]
    events, _ = find_events(_ctx(text, ents), 0, len(text), lexicon("ar"))
    assert [(e.type, e.mode, e.actor) for e in events] == [("CONSULT", "asserted", None)]
    text = "Egypt said that the meeting would take place on Tuesday."
    ents = [EntityMention(start=0, end=5, text="Egypt", type="LOC", entity_id="geo:EG")]
    events, _ = find_events(_ctx(text, ents), 0, len(text), lexicon("en"))
    assert [(e.type, e.actor) for e in events] == [("CONSULT", None)]


@pytest.mark.parametrize(("lang", "text", "types"), [
    ("en", "Flash floods killed at least 12 people in the province on Thursday.", []),
    ("en", "Gunmen killed at least 12 people in the province on Thursday.", ["ASSAULT"]),
    ("id", "Banjir bandang menewaskan 12 orang di kabupaten itu.", []),
    ("id", "Kelompok bersenjata menembak mati 12 orang di kabupaten itu.", ["ASSAULT"]),
    ("ar", "أدت الفيضانات إلى مقتل 12 شخصا في المحافظة.", []),
    ("ar", "أدى الهجوم إلى مقتل 12 شخصا في المحافظة.", ["ASSAULT", "ASSAULT"]),
])
def test_deaths_from_a_disaster_are_no_assault(lang, text, types):
    events, _ = find_events(_ctx(text), 0, len(text), lexicon(lang))
    assert [e.type for e in events] == types


def test_a_place_with_a_locative_clitic_is_the_location():
    text = "وقعت الحكومة والحركة اتفاقا بالقاهرة يوم الثلاثاء."
    ents = [EntityMention(start=28, end=36, text="بالقاهرة", type="LOC", entity_id="geo:gn360630")]
    assert text[28:36] == "بالقاهرة"
    events, _ = find_events(_ctx(text, ents), 0, len(text), lexicon("ar"))
    assert [(e.type, e.actor, e.location) for e in events] == [("AGREE", None, "geo:gn360630")]


@pytest.mark.parametrize("text", [
    "Egypt\u200f condemned\u202e Israel\u0000 on Tuesday \ud800 after the attack.",  # marks, controls, a lone surrogate
    "\u0640\u0640\u0640 أدانــت مصر إسرائيل \u064b\u064b بشدة",  # tatweel and stray diacritics
    "«Egypt «condemned» “Israel” 'on' (Tuesday» [after] the attack",  # quotes inside quotes, unbalanced
    "a" * 999 + " attacked",  # one 999-letter word
])
def test_hostile_characters(stage, text):
    doc = _stage_doc(text, "ar" if "مصر" in text else "en")
    stage([doc])
    assert doc.rejected is None
    assert all(doc.text[e.start:e.end] == e.text and e.start <= e.trigger_start < e.trigger_end <= e.end
               for e in doc.events)


def test_a_failing_sentence_costs_its_events_not_the_document(stage, monkeypatch):
    import newsloom.events.stage as st

    calls = []

    def boom(ctx, start, end, lex, countries=None):
        calls.append(start)
        if len(calls) == 1:
            raise RuntimeError("odd sentence")
        return find_events(ctx, start, end, lex, countries)

    monkeypatch.setattr(st, "find_events", boom)
    text = "Egypt condemned Israel. Egypt condemned Israel again."
    doc = _stage_doc(text, sentences=[Span(start=0, end=23, text=text[:23]), Span(start=24, end=len(text), text=text[24:])])
    before = stage.stats["skipped_error"]
    stage([doc])
    assert doc.rejected is None and stage.stats["skipped_error"] == before + 1
    assert [e.start for e in doc.events] == [24]


def test_many_one_line_paragraphs_stay_linear(stage):
    from newsloom.models import Paragraph

    def doc_of(n):  # "Jakarta.\n" * n: every line a paragraph and a sentence (the adversarial suite's case)
        text = "Jakarta.\n" * n
        sents = [Span(start=i * 9, end=i * 9 + 8, text="Jakarta.") for i in range(n)]
        d = _stage_doc(text, "id", sentences=sents)
        d.paragraphs = [Paragraph(start=s.start, end=s.end, text=s.text, lang="id") for s in sents]
        return d

    def seconds(n):
        d = doc_of(n)
        t0 = time.perf_counter()
        stage([d])
        assert d.rejected is None and d.events == []
        return time.perf_counter() - t0

    seconds(500)  # warm up
    small, large = seconds(5000), seconds(20000)
    assert large < 8 * small + 0.5  # 4x the input: about 4x the time (quadratic was 16x: 62 s at 0.5 MB)
