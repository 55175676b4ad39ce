"""Glued-sentence repair and sentence merging: linear work, and the same output as before.

Work is counted, never timed: ``CountingStr`` adds up the characters that indexing and
slicing hand out, which is where the quadratic versions spent their time (rescanning the
token of every stop, copying a sentence that grows with every merge). The reference below
is the quadratic repair as it was before issue 13; hypothesis checks that the linear one
gives the same text on any mix of words, stops, quotes, URL marks and spaces.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloom.clean import sentences
from newsloom.clean.sentences import AbbreviationRules, repair_glued, rules_for, sentence_spans


class CountingStr(str):
    """A str that counts the characters read through ``s[i]`` and ``s[i:j]``."""

    read = 0

    def __getitem__(self, key):
        out = str.__getitem__(self, key)
        CountingStr.read += max(1, len(out))
        return out


def chars_read(fn, text: str) -> int:
    CountingStr.read = 0
    fn(CountingStr(text))
    return CountingStr.read


# --- the repair as it was before issue 13 (quadratic on long tokens), kept as the reference ---


def _ref_token_before(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip(sentences._OPENERS)


def _ref_token_after(text: str, start: int) -> str:
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


def _ref_leading_word(token: str) -> str:
    end = 0
    while end < len(token) and token[end].isalpha():
        end += 1
    return token[:end]


def _ref_glued_at(text: str, stop_start: int, stop_end: int, rules: AbbreviationRules) -> int | None:
    closers, openers, uncased = sentences._CLOSERS, sentences._OPENERS, sentences._is_uncased_letter
    if stop_start == 0:
        return None
    left = text[stop_start - 1]
    if not (left.isalnum() or left in closers):
        return None
    cut = stop_end
    while cut < len(text) and text[cut] in closers:
        cut += 1
    start = cut
    if start < len(text) and text[start] in openers:
        start += 1
    if start >= len(text) or not text[start].isalpha():
        return None
    right_token = _ref_token_after(text, start)
    left_token = _ref_token_before(text, stop_start)
    if any(mark in right_token or mark in left_token for mark in sentences._URL_MARKS):
        return None
    if left_token.lower().startswith("www"):
        return None
    right_word = _ref_leading_word(right_token)
    first = text[start]
    if first.isupper():
        after_word = text[start + len(right_word) : start + len(right_word) + 1]
        if len(right_word) >= 2 and right_word[1].islower() or len(right_word) == 1 and (not after_word or after_word.isspace()) or right_word.isupper() and after_word.isspace() and len(left_token) >= 3 and left_token[-1].islower():
            pass
        else:
            return None
    elif uncased(first):
        if not (uncased(left) or left.isdigit() or left in closers):
            return None
    else:
        return None
    if text[stop_start:stop_end] == ".":
        word = left_token.rstrip(closers)
        if sentences._INITIALS.fullmatch(word) or rules.is_abbreviation(word):
            return None
        after_word = text[start + len(right_word) : start + len(right_word) + 1]
        if right_word.casefold() in rules.domain_suffixes and not after_word.isalpha() and not after_word.isspace():
            return None
    return cut


def reference_repair(text: str, rules: AbbreviationRules) -> tuple[str, int]:
    cuts = [c for m in sentences._STOPS.finditer(text) if (c := _ref_glued_at(text, m.start(), m.end(), rules)) is not None]
    parts, last = [], 0
    for c in cuts:
        parts.append(text[last:c])
        last = c
    parts.append(text[last:])
    return " ".join(parts), len(cuts)


def reference_merge_check(text: str, start: int, end: int, rules: AbbreviationRules) -> bool:
    prev = text[start:end]
    return prev.endswith(".") and rules.is_name_prefix(_ref_token_before(prev, len(prev) - 1))


# --- same output ---

PIECES = [
    "a", "B", "Jakarta", "The", "KPK", "U.S.", "e.g.", "Dr", "Jl", "Co", "com", "www", "I", "A",
    ".", ".", ".", "!", "?", "\u061f", "\u06d4", "...", " ", " ", "\n", "\u00a0", "3", "2021",
    "\"", "'", "\u201c", "\u201d", "\u00ab", "\u00bb", "(", ")", "[", "]",
    "/", "@", "://", "=", "&", "\u0645\u0635\u0631", "\u4e2d", "\u0130", "\u00df", "\u00bd", "_",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
LANGS = [None, "en", "id", "ar", "fr"]


@settings(max_examples=600, deadline=None)
@given(text=texts, lang=st.sampled_from(LANGS))
def test_repair_matches_the_reference(text: str, lang: str | None) -> None:
    rules = rules_for(lang)
    assert repair_glued(text, rules) == reference_repair(text, rules)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60), lang=st.sampled_from(LANGS))
def test_repair_matches_the_reference_on_any_text(text: str, lang: str | None) -> None:
    rules = rules_for(lang)
    assert repair_glued(text, rules) == reference_repair(text, rules)


@settings(max_examples=400, deadline=None)
@given(text=texts, lang=st.sampled_from(["id", "en", "ms"]))
def test_merge_check_matches_the_reference(text: str, lang: str) -> None:
    rules = rules_for(lang)
    for end in range(len(text) + 1):
        for start in (0, end // 2):
            assert sentences._ends_with_name_prefix(text, start, end, rules) == reference_merge_check(
                text, start, end, rules
            )


def test_repair_on_the_demo_corpus_matches_the_reference(demo_texts) -> None:
    rules = rules_for(None)
    for text in demo_texts:
        assert repair_glued(text, rules) == reference_repair(text, rules)


@pytest.fixture(scope="module")
def demo_texts() -> list[str]:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "examples" / "demo" / "articles"
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.iterdir())]


# --- linear work ---

GLUED_RUNS = ["A.", "a.B", "Dr.", "U.S.Army", "x/A.", "((((Dr.", "Jakarta.The", "\u0645\u0635\u0631.\u0645"]


@pytest.mark.parametrize("unit", GLUED_RUNS)
def test_repair_reads_each_character_a_bounded_number_of_times(unit: str) -> None:
    rules = rules_for(None)
    text = unit * 2000
    small = chars_read(lambda t: repair_glued(t, rules), text)
    double = chars_read(lambda t: repair_glued(t, rules), text + text)
    assert double <= 2.2 * small + 100, (small, double)
    assert small <= 20 * len(text)


def test_reference_repair_was_quadratic() -> None:
    """The counter sees the old behaviour: doubling "A." * n quadruples the reads."""
    rules = rules_for(None)
    text = "A." * 300
    small = chars_read(lambda t: reference_repair(t, rules), text)
    double = chars_read(lambda t: reference_repair(t, rules), text + text)
    assert double > 3.5 * small


@pytest.mark.parametrize("unit", ["Jl. ", "(((Jl. ", "Jl.", "Kab. Jl. "])
def test_sentence_merging_reads_each_character_a_bounded_number_of_times(unit: str) -> None:
    rules = rules_for("id")

    def split(t: str) -> None:
        sentence_spans(t, 0, len(t), "id", rules)

    text = "Ada " + unit * 2000
    small = chars_read(split, text + "Sudirman.")
    double = chars_read(split, text + unit * 2000 + "Sudirman.")
    assert double <= 2.2 * small + 100, (small, double)


def test_long_glued_runs_are_repaired_like_short_ones() -> None:
    rules = rules_for("en")
    text, n = repair_glued("in Veltria.The minister " * 1000, rules)
    assert n == 1000
    assert not re.search(r"\.The", text)


# --- sentencex sees bounded windows ---

NEWS_PARAGRAPH = (
    "The minister arrived in Cairo on Tuesday. \u201cWe signed the agreement,\u201d she said (in Arabic). "
    "Dr. Ahmad Fauzi of the U.S. office said talks would go on! Would they? Nobody knew. "
) * 400  # about 70,000 characters without a line break


def test_sentencex_never_sees_more_than_a_window(monkeypatch):
    lengths = []
    real = sentences.sentencex.get_sentence_boundaries

    def recording(lang, text):
        lengths.append(len(text))
        return real(lang, text)

    monkeypatch.setattr(sentences.sentencex, "get_sentence_boundaries", recording)
    rules = rules_for("en")
    for text in ("([{\u00ab\u201c" * 20_000 + "x" + "\u201d\u00bb}])" * 20_000, NEWS_PARAGRAPH, "a" * 50_001):
        spans = sentence_spans(text, 0, len(text), "en", rules)
        assert spans and spans[0][0] == 0 and spans[-1][1] == len(text.rstrip())
        assert max(lengths) <= sentences.SEGMENT_MAX_CHARS
        lengths.clear()


def test_windows_cut_where_sentencex_would(monkeypatch):
    rules = rules_for("en")
    windowed = sentence_spans(NEWS_PARAGRAPH, 0, len(NEWS_PARAGRAPH), "en", rules)
    monkeypatch.setattr(sentences, "SEGMENT_MAX_CHARS", 10**9)
    whole = sentence_spans(NEWS_PARAGRAPH, 0, len(NEWS_PARAGRAPH), "en", rules)
    assert windowed == whole
