"""Header patterns rewritten for linear matching (issue 13) match exactly what they matched before.

``_AUTHOR_END`` and ``_SEPARATORS`` opened with ``\\s*``, retried at every space of a run of
spaces (quadratic); they now start a match at the first space of a run only. Hypothesis
compares them with the old patterns on any mix of spaces, separators and digits.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsloom.clean import header

OLD_AUTHOR_END = re.compile(r"\s*(?:[|•·,;]|\s[-–—]\s|\d).*$")
OLD_SEPARATORS = re.compile(r"\s*[|•·/]\s*(?=\d)|\s+[|•·]\s*")

PIECES = [" ", "  ", "\t", "\n", "\u00a0", "|", "•", "·", "/", ",", ";", "-", "–", "—", "1", "2021", "a", "Jane", ":"]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(max_examples=1000, deadline=None)
@given(text=texts | st.text(max_size=30))
def test_author_end_matches_as_before(text: str) -> None:
    assert header._AUTHOR_END.sub("", text) == OLD_AUTHOR_END.sub("", text)


@settings(max_examples=1000, deadline=None)
@given(text=texts | st.text(max_size=30))
def test_separators_match_as_before(text: str) -> None:
    assert header._SEPARATORS.sub(" ", text) == OLD_SEPARATORS.sub(" ", text)


def test_a_match_right_after_a_match_is_kept() -> None:
    # "a | |5": the first match ends at the second bar, which opens the next match at once
    assert header._SEPARATORS.sub(" ", "a | |5") == OLD_SEPARATORS.sub(" ", "a | |5") == "a  5"
