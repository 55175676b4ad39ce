"""Scripts that name their language, read from resources/lang/_base/scripts.yaml."""

from __future__ import annotations

import pytest

from newsloom.langid.scripts import UniqueScripts
from newsloom.resources import lang_resource, validate


@pytest.fixture(scope="module")
def scripts() -> UniqueScripts:
    return UniqueScripts()


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("서울에서 회의가 열렸다.", "ko"),
        ("การประชุมจัดขึ้นที่กรุงเทพฯ", "th"),
        ("2024: შეხვედრა თბილისში გაიმართა.", "ka"),
        ("Η συνεδρίαση έγινε στην Αθήνα.", "el"),
        ("Հանդիպումը տեղի ունեցավ Երևանում։", "hy"),
    ],
)
def test_one_language_scripts(scripts: UniqueScripts, text: str, lang: str) -> None:
    assert scripts.lang_of(text) == lang


@pytest.mark.parametrize(
    "text",
    [
        "The meeting was held in Seoul.",  # Latin is shared by many languages
        "Встреча прошла в Москве.",  # so is Cyrillic
        "Η συνεδρίαση (meeting) έγινε.",  # two scripts
        "会议在北京举行。",  # Han: Chinese or Japanese
        "12345 !!!",  # no letters
    ],
)
def test_shared_or_mixed_scripts_are_left_to_the_classifier(scripts: UniqueScripts, text: str) -> None:
    assert scripts.lang_of(text) is None


def test_table_is_language_data() -> None:
    assert validate("_base", "scripts") == []
    table = lang_resource(None, "scripts")["unique"]
    assert table["hangul"]["lang"] == "ko"
    custom = UniqueScripts({"runic": {"lang": "non", "ranges": [[0x16A0, 0x16FF]]}})
    assert custom.lang_of("ᚠᚢᚦᚨᚱᚲ") == "non" and custom.lang_of("서울") is None


def test_required_letters(scripts: UniqueScripts) -> None:
    assert scripts.possible("ja", "会議は東京で開かれた。")  # kana present
    assert not scripts.possible("ja", "会议在北京举行。")
    assert scripts.possible("zh", "会议在北京举行。")  # no requirement
