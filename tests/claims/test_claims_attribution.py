"""Who a figure is attributed to, per language: cues from resources/lang/<iso>/attribution.yaml."""

from __future__ import annotations

import pytest

from newsloom.claims.attribution import attribution_finder
from newsloom.models import EntityMention


def attribute(lang: str, text: str, figure: str, entities: dict[str, str] | None = None) -> str | None:
    """The source of ``figure`` in the one-sentence ``text``; ``entities`` maps words to entity ids."""
    ents = []
    for words, entity_id in (entities or {}).items():
        s = text.index(words)
        ents.append(EntityMention(start=s, end=s + len(words), text=words, type="PER", entity_id=entity_id))
    at = text.index(figure)
    got = attribution_finder(lang).attribute(text, (0, len(text)), (at, at + len(figure)), ents)
    return got.source if got else None


@pytest.mark.parametrize(("lang", "text", "figure", "entities", "expected"), [
    ("en", "At least 12 people were killed, according to the Red Cross.", "12 people", {}, "Red Cross"),
    ("en", "Police chief Ann Kole said 40 people were arrested.", "40 people", {"Ann Kole": "per:ann-kole"},
     "per:ann-kole"),
    ("en", "Some 300 troops arrived, the ministry said.", "300 troops", {}, "ministry"),
    ("en", "Some 300 troops arrived, he said.", "300 troops", {}, None),
    ("en", "Some 300 troops arrived on Monday.", "300 troops", {}, None),
    ("id", "Sebanyak 12 orang tewas, kata Agus saat dihubungi.", "12 orang", {"Agus": "per:agus"}, "per:agus"),
    ("id", "Sebanyak 12 orang tewas, kata Agus saat dihubungi.", "12 orang", {}, "Agus"),
    ("id", "Menurut BPBD, 12.500 warga mengungsi.", "12.500 warga", {"BPBD": "org:bpbd"}, "org:bpbd"),
    ("id", "Sekitar 40 rumah rusak, ujar Kepala Desa Rahmat.", "40 rumah", {}, "Kepala Desa Rahmat"),
    ("id", "Sekitar 40 rumah rusak, ujarnya.", "40 rumah", {}, None),
    ("ms", "Seramai 14 orang terkorban, menurut pihak berkuasa.", "14 orang", {}, "pihak berkuasa"),
    ("ar", "قال يوسف بركات إن 12 شخصا قتلوا.", "12 شخصا", {"يوسف بركات": "per:yusuf-barakat"},
     "per:yusuf-barakat"),
    ("ar", "وقالت وزارة الصحة إن 12 شخصا قتلوا.", "12 شخصا", {}, "وزارة الصحة"),
    ("ar", "نقلت وكالة الأنباء عن مصادر أن 150 أسيرا سيطلق سراحهم.", "150 أسيرا", {}, "وكالة الأنباء"),
    ("ar", "صرّح المتحدث باسم الجيش بأن 300 جندي وصلوا.", "300 جندي", {}, "المتحدث باسم الجيش"),
    ("fr", "Au moins 12 morts, selon les autorités.", "12 morts", {}, "autorités"),
    ("es", "Unas 800 toneladas se vertieron, según la Capitanía Marítima.", "800 toneladas", {},
     "Capitanía Marítima"),
])
def test_attribution(lang, text, figure, entities, expected):
    assert attribute(lang, text, figure, entities) == expected


def test_the_nearest_cue_wins():
    text = "Officials said 12 died, but 15 died according to the hospital."
    assert attribute("en", text, "15 died") == "hospital"


def test_a_language_without_cues_attributes_nothing():
    assert attribute("xx", "According to Ann, 12 people died.", "12 people") is None


@pytest.mark.parametrize(("lang", "text", "figure"), [
    ("id", "Kepala BPBD Agus Supriyadi meninjau lokasi. Sekitar 40 rumah rusak, ujarnya.", "40 rumah"),
    ("en", "Agus Supriyadi visited the scene on Monday. Some 300 people were evacuated, he said.", "300 people"),
])
def test_a_pronoun_source_is_the_person_named_last(lang, text, figure):
    name = "Agus Supriyadi"
    s = text.index(name)
    ents = [EntityMention(start=s, end=s + len(name), text=name, type="PER", entity_id="per:agus")]
    sent_start = text.index(". ") + 2
    at = text.index(figure)
    got = attribution_finder(lang).attribute(text, (sent_start, len(text)), (at, at + len(figure)), ents)
    assert got is not None and got.source == "per:agus"


def test_unnamed_sources_stay_null():
    assert attribute("en", "Some 300 troops arrived, officials said.", "300 troops") is None
    assert attribute("en", "Some 300 troops arrived, they said.", "300 troops") is None


def test_a_pronoun_the_tagger_took_for_a_name_is_not_its_own_antecedent():
    text = "Menteri Ahmad Zaki melawat Kaherah. Beliau berkata Malaysia akan menyumbang USD500,000."
    ents = []
    for words, eid in (("Ahmad Zaki", "per:ahmad-zaki"), ("Beliau", "per:bl")):
        s = text.index(words)
        ents.append(EntityMention(start=s, end=s + len(words), text=words, type="PER", entity_id=eid))
    at = text.index("USD500,000")
    got = attribution_finder("ms").attribute(text, (text.index("Beliau"), len(text)), (at, at + 10), ents)
    assert got is not None and got.source == "per:ahmad-zaki"
