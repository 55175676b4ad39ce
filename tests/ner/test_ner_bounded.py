"""The spaCy tagger's pieces: long runs without whitespace never reach spaCy's tokenizer whole.

spaCy takes prefixes and suffixes off a token one at a time (quadratic in the token's
length): "((((...x))))" of 50 KB took 39 s in one piece. Checked on the piece bounds, without
loading spaCy.
"""

from __future__ import annotations

import itertools

import pytest

from newsloom.ner.model import LONG_RUN_CHARS, SpacyTagger


@pytest.fixture()
def tagger() -> SpacyTagger:
    t = SpacyTagger.__new__(SpacyTagger)  # the bounds need no pipeline
    t.max_chars = 5000
    return t


def _check_cover(bounds: list[tuple[int, int]], n: int) -> None:
    assert bounds[0][0] == 0 and bounds[-1][1] == n
    assert all(a < b for a, b in bounds)
    assert all(b == a2 for (_, b), (a2, _) in itertools.pairwise(bounds))


@pytest.mark.parametrize(
    "text",
    [
        "(" * 20_000 + "x" + ")" * 20_000,
        "Menteri " + "a" * 12_345 + " tiba di Jakarta.",
        "thequickbrownfox.Jumps,over;the-lazy_dog!" * 500,
        ("word " * 3000).strip(),
        "x" * (LONG_RUN_CHARS + 1),
    ],
)
def test_pieces_cover_the_text_and_no_run_is_longer_than_the_limit(tagger, text):
    bounds = tagger._piece_bounds(text)
    _check_cover(bounds, len(text))
    for a, b in bounds:
        longest = max((len(w) for w in text[a:b].split()), default=0)
        assert longest <= LONG_RUN_CHARS
        assert b - a <= tagger.max_chars


def test_ordinary_text_is_cut_as_before(tagger):
    text = "Presiden Joko Widodo bertemu Perdana Menteri Mesir di Kairo. " * 200
    assert tagger._piece_bounds(text) == tagger._spaced_bounds(text, 0, len(text))
    assert tagger._piece_bounds("Short text.") == [(0, 11)]


def test_pieces_without_a_letter_never_reach_spacy(tagger):
    seen = []

    class Pipeline:
        def pipe(self, texts, batch_size):
            seen.extend(texts)
            return iter(())

    tagger.nlp, tagger.calls = Pipeline(), 0
    tagger.find_many(["(" * 500 + "Jakarta" + ")" * 500, "1,1,1,1 ... !!!"], [0, 2000])
    assert seen and all(any(c.isalpha() for c in piece) for piece in seen)
    assert sum(map(len, seen)) <= 2 * 100 + len("Jakarta")
