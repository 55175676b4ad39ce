"""Tokens with offsets and the CRF features (newsloom.ner.features)."""

from __future__ import annotations

import pytest

from newsloom.ner.features import FeatureSpec, sentence_features, shape, tokenize


@pytest.mark.parametrize(
    "text, words",
    [
        (
            "Presiden Budi Santoso tiba di Kota Bandung.",
            ["Presiden", "Budi", "Santoso", "tiba", "di", "Kota", "Bandung", "."],
        ),
        (
            "Al-Hakim (PT Sinar) rugi Rp12.500!",
            ["Al-Hakim", "(", "PT", "Sinar", ")", "rugi", "Rp12.500", "!"],
        ),
        (
            "وصل الرئيس سليم الهادي إلى القاهرة، أمس.",
            ["وصل", "الرئيس", "سليم", "الهادي", "إلى", "القاهرة", "،", "أمس", "."],
        ),
        ("O'Neil met U.S officials", ["O'Neil", "met", "U.S", "officials"]),
        ("", []),
        ("   \n\t ", []),
    ],
)
def test_tokenize_words_and_offsets(text, words):
    toks = tokenize(text)
    assert [t.text for t in toks] == words
    for t in toks:
        assert text[t.start : t.end] == t.text


def test_tokenize_offset_is_added():
    toks = tokenize("Kota Bandung", offset=100)
    assert [(t.start, t.end) for t in toks] == [(100, 104), (105, 112)]


@pytest.mark.parametrize(
    "word, expected",
    [("Jakarta", "Xx"), ("PT", "X"), ("G-20", "X-d"), ("12.500", "d.d"), ("القاهرة", "a"), ("iPhone", "xXx")],
)
def test_shape(word, expected):
    assert shape(word) == expected


def test_arabic_clitics_are_stripped_once_longest_first():
    spec = FeatureSpec.for_lang("ar")
    assert spec.stem("والقاهرة") == "قاهرة"  # و + ال, one clitic entry "وال"
    assert spec.stem("بغداد") == "غداد"  # the features carry both forms; the CRF weighs them
    assert spec.stem("لن") == "لن"  # too short to strip
    feats = sentence_features(["والرئيس", "سليم"], spec)
    assert feats[0]["stem"] == "رئيس"
    assert feats[0]["cue_title"] == 1  # "رئيس" is a title cue after stripping
    assert feats[1]["-1:cue_title"] == 1  # the name sees the title before it


def test_indonesian_cues_and_neighbours():
    spec = FeatureSpec.for_lang("id")
    feats = sentence_features(["Gubernur", "Rina", "Wulandari", "dari", "Kabupaten", "Sukamaju"], spec)
    assert feats[0]["cue_title"] == 1 and feats[0]["BOS"] == 1
    assert feats[1]["-1:cue_title"] == 1 and feats[1]["title"] == 1
    assert feats[5]["-1:cue_loc"] == 1 and feats[5]["EOS"] == 1
    assert feats[2]["-1w|w"] == "rina|wulandari"
    assert "stem" not in feats[0]  # no clitics in Indonesian


def test_spec_round_trip_keeps_lists_and_clusters():
    spec = FeatureSpec.for_lang("ar", clusters={"قاهرة": "0110"})
    again = FeatureSpec.from_dict(spec.to_dict())
    assert again.to_dict() == spec.to_dict()
    assert sentence_features(["القاهرة"], again)[0]["cl"] == "0110"


def test_features_of_empty_sentence():
    assert sentence_features([], FeatureSpec()) == []


def test_gazetteer_longest_match_gives_bio_features():
    from newsloom.ner.features import gazetteer_matches

    gaz = {"sukamaju": "LOC", "bank sukamaju": "ORG", "rina wulandari": "PER"}
    keys = ["bank", "sukamaju", "dan", "sukamaju", "rina", "wulandari"]
    assert gazetteer_matches(keys, gaz, 2) == [(0, 2, "ORG"), (3, 4, "LOC"), (4, 6, "PER")]
    spec = FeatureSpec.for_lang("id", gazetteer=gaz)
    feats = sentence_features(["Bank", "Sukamaju", "dan", "Sukamaju", "Rina", "Wulandari"], spec)
    assert [f.get("gz") for f in feats] == ["B-ORG", "I-ORG", None, "B-LOC", "B-PER", "I-PER"]
    assert feats[2]["-1:gz"] == "I-ORG" and feats[2]["1:gz"] == "B-LOC"
    # a word met twice keeps its own tag each time (the per-type cache is not written to)
    assert "gz" not in sentence_features(["Sukamaju", "raya"], FeatureSpec.for_lang("id"))[0]


def test_run_features_carry_cues_over_the_whole_name():
    spec = FeatureSpec.for_lang("id")
    spec.runs = True
    words = ["kata", "Wakil", "Presiden", "Rina", "Wulandari", "di", "Universitas", "Negeri", "Sukamaju"]
    feats = sentence_features(words, spec)
    assert [f.get("run") for f in feats] == [None, None, None, "B", "E", None, "B", "I", "E"]
    assert feats[3]["run_title"] == 1 and feats[4]["run_title"] == 1  # titles stay out of the run
    assert feats[8]["run_org"] == 1 and feats[8]["runlen"] == 3  # "Universitas" reaches "Sukamaju"
    assert "run_org" not in feats[3] and "run_title" not in feats[7]
    # a title inside a capitalised stretch ends the run before it: "Menurut" stays apart from the name
    feats = sentence_features(["Menurut", "Gubernur", "Dewi", "Anggraini", ",", "proyek"], spec)
    assert [f.get("run") for f in feats] == ["S", None, "B", "E", None, None]
    assert feats[2]["run_title"] == 1 and "run_title" not in feats[0]
    assert FeatureSpec.from_dict(spec.to_dict()).runs is True
    assert FeatureSpec.from_dict({"lang": "id"}).runs is False  # models saved before the flag
