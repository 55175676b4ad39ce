"""The character n-gram naive Bayes second opinion: hashing, training, scoring."""

from __future__ import annotations

import numpy as np
import pytest

from newsloom.langid.ngram import NgramCounts, NgramModel, hash_batch, normalise
from newsloom.langid.train_ngram import count

# Fictional training snippets written for these tests.
TOY = {
    "en": ["the cat sat on the mat", "the dog ran in the park", "this is the house that we built"],
    "de": ["der hund lief in den park", "die katze sitzt auf der matte", "das ist das haus das wir bauten"],
    "nl": ["de hond liep in het park", "de kat zit op de mat", "dit is het huis dat wij bouwden"],
}


@pytest.fixture(scope="module")
def toy() -> NgramModel:
    return NgramModel(count(TOY, min_total=1))


@pytest.fixture(scope="module")
def shipped() -> NgramModel:
    return NgramModel()


def test_normalise_keeps_letters_only() -> None:
    assert normalise("Hello, World! 123 x_y") == " hello world x y "


def test_hash_batch_matches_one_by_one() -> None:
    texts = ["Der Hund", "", "the cat sat", "Ωμέγα"]
    hashes, starts = hash_batch(texts)
    assert len(starts) == len(texts) + 1
    for i, t in enumerate(texts):
        alone, s = hash_batch([t])
        assert sorted(hashes[starts[i] : starts[i + 1]].tolist()) == sorted(alone.tolist())
        n = len(normalise(t))
        assert s[1] == sum(max(0, n - k + 1) for k in (1, 2, 3, 4))


def test_toy_model_prefers_the_right_language(toy: NgramModel) -> None:
    for lang, text in [
        ("en", "the park and the house"),
        ("de", "die katze und der hund"),
        ("nl", "het huis en de kat"),
    ]:
        scores = toy.scores(text, ["en", "de", "nl"])
        assert max(scores, key=scores.get) == lang, scores


def test_score_matrix_matches_scores_many(toy: NgramModel) -> None:
    texts = ["the dog", "", "de hond", "das haus"]
    matrix = toy.score_matrix(texts)
    many = toy.scores_many(texts, [toy.langs] * len(texts))
    for row, sc in zip(matrix, many):
        for lang, v in sc.items():
            assert row[toy.col[lang]] == pytest.approx(v, rel=1e-5)


def test_unknown_languages_are_ignored(toy: NgramModel) -> None:
    assert toy.scores("the cat", ["xx", "yy"]) == {}
    assert set(toy.scores("the cat", ["en", "xx"])) == {"en"}


def test_counts_round_trip(tmp_path) -> None:
    c = count(TOY, min_total=2)
    c.save(tmp_path / "m.npz")
    back = NgramCounts.load(tmp_path / "m.npz")
    assert back.langs == c.langs
    assert np.array_equal(back.vocab, c.vocab) and np.array_equal(back.counts, c.counts)
    assert np.all(np.diff(back.vocab.astype(np.int64)) > 0)  # sorted, unique


@pytest.mark.parametrize(
    ("group", "lang", "text"),
    [
        (["cs", "sk"], "sk", "Vláda schválila nový zákon o daniach, ktorý platí od budúceho roka."),
        (["cs", "sk"], "cs", "Vláda schválila nový zákon o daních, který platí od příštího roku."),
        (["da", "nb", "sv"], "sv", "Regeringen har beslutat att bygga en ny bro över älven."),
        (["zu", "xh", "en"], "en", "The government decided to build a new bridge over the river."),
    ],
)
def test_shipped_model_within_confusion_groups(shipped: NgramModel, group, lang, text) -> None:
    scores = shipped.scores(text, group)
    assert max(scores, key=scores.get) == lang, scores
    assert len(shipped.langs) == 75
