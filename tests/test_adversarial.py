"""Adversarial texts through every per-document stage: nothing escapes, the work stays linear.

``CASES`` maps a name to a generator ``make(n_bytes) -> str`` of about ``n_bytes`` of UTF-8;
``benchmarks/adversarial.py`` runs the same generators at 0.1-2 MB and prints seconds per
stage. The tests here never time anything: they run small inputs through the whole stage
list, and count the work of the algorithms that were quadratic (glued-sentence repair,
sentence merging, entity linking, the regular expressions) on an input and on its double.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

NEWS = (
    "Presiden Joko Widodo bertemu Perdana Menteri Mesir Mostafa Madbouly di Kairo pada 3 Maret 2021. "
    "Menteri Luar Negeri Retno Marsudi mengatakan Indonesia dan Mesir sepakat memperluas kerja sama. "
    "President Abdel Fattah el-Sisi told Reuters in Cairo that the Suez Canal Authority expects 12.5 "
    "billion dollars. Prime Minister Boris Johnson of the United Kingdom and Chancellor Angela Merkel "
    "of Germany met Emmanuel Macron in Paris on Tuesday, March 9. "
    "قال الرئيس المصري عبد الفتاح السيسي في القاهرة إن مصر وإندونيسيا وقعتا اتفاقية تجارية بقيمة 500 مليون دولار. "
    "Le ministre français Jean-Yves Le Drian a rencontré Sameh Shoukry à Bruxelles le 12 mars 2021. "
)
CAPITALS = (
    "Joko Widodo Retno Marsudi Mostafa Madbouly Abdel Fattah Sisi Jakarta Kairo Surabaya Bandung "
    "Medan Boris Johnson Angela Merkel Emmanuel Macron Paris London Berlin United Kingdom New York "
    "Kuala Lumpur Anwar Ibrahim Mahathir Mohamad Sameh Shoukry Jean Yves Le Drian Bank Indonesia "
)
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def _fill(unit: str, n_bytes: int) -> str:
    """``unit`` repeated to about ``n_bytes`` of UTF-8 (at least once)."""
    return unit * max(1, n_bytes // len(unit.encode("utf-8")))


def _digit_scripts() -> str:
    """Every decimal digit of every script, as runs of ten with separators in between."""
    zeros = [cp for cp in range(0x110000) if unicodedata.decimal(chr(cp), None) == 0]
    runs = ["".join(chr(z + i) for i in range(10)) for z in zeros]
    return " ".join(f"{r} {r[1:4]},{r[5:8]}.{r[2]} {r[1]}%" for r in runs) + " "


DIGIT_SCRIPTS = _digit_scripts()


CASES: dict[str, Callable[[int], str]] = {
    "news": lambda n: _fill(NEWS, n),
    "A.": lambda n: _fill("A.", n),
    "A. ": lambda n: _fill("A. ", n),
    "Dr. ": lambda n: "Menteri " + _fill("Dr. ", n) + "Sudirman.",
    "Dr.": lambda n: _fill("Dr.", n),
    "a.B": lambda n: _fill("a.B", n),
    "no spaces": lambda n: _fill("thequickbrownfox.Jumps,over;the-lazy_dog!", n),
    "one word": lambda n: _fill("a", n),
    "capital word": lambda n: "The " + _fill("A", n),
    "1,1,1": lambda n: _fill("1,", n),
    "12.500.000": lambda n: "12" + _fill(".500", n),
    "digits": lambda n: _fill("1", n),
    "capitalised": lambda n: _fill(CAPITALS, n),
    "capitalised no spaces": lambda n: _fill(CAPITALS.replace(" ", ""), n),
    "arabic no spaces": lambda n: _fill(ARABIC_LETTERS, n),
    "mixed scripts": lambda n: _fill("Egypt مصر Mesir Египет 埃及 मिस्र Αίγυπτος", n),
    "mixed no spaces": lambda n: _fill("EgyptمصرMesirЕгипет埃及मिस्रΑίγυπτος", n),
    "rtl overrides": lambda n: _fill("\u202eJakarta\u202c \u202bمصر\u202c \u2067Kairo\u2069 \u200f", n),
    "digit scripts": lambda n: _fill(DIGIT_SCRIPTS, n),
    "brackets": lambda n: _fill("(", n // 2) + "x" + _fill(")", n // 2),
    "mixed brackets": lambda n: _fill("([{«“", n // 2) + "Jakarta" + _fill("”»}])", n // 2),
    "punctuation": lambda n: _fill("!?.,;:-—…", n),
    "dots": lambda n: "Jakarta" + _fill(".", n),
    "newlines": lambda n: _fill("Jakarta.\n", n),
    "blank lines": lambda n: "Menteri tiba di Jakarta pada pagi hari." + _fill("\n \n", n),
}


# --- the tests --------------------------------------------------------------------------------

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsloom.config import load_config
from newsloom.ingest.discover import iter_inputs
from newsloom.models import Document
from newsloom.pipeline import default_stages


@pytest.fixture(scope="module")
def stages():
    config = load_config()
    built = default_stages(config)
    for stage in built:
        stage.ensure_setup()
    return config, built


def read(text: str, folder: Path, config, *, may_reject: bool = False) -> Document | None:
    """The document a .txt file of ``text`` gives; with ``may_reject``, None when the reader
    judges it no text (random strings full of control characters read as binary: a clear reject)."""
    path = folder / "adversarial.txt"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    (item,) = list(iter_inputs([str(path)], config))
    if may_reject and not isinstance(item, Document):
        assert item.reason, item
        return None
    assert isinstance(item, Document), item
    return item


def run_all(doc: Document, stages: list, text: str) -> list[str]:
    """Every stage on ``doc`` in order; a reject by a stage that did not fail (the cleaner finding
    no text, mostly) is lifted so that later stages meet the text too. Returns the errors."""
    errors = []
    for stage in stages:
        stage([doc])
        if doc.rejected:
            if "Error" in doc.rejected or "error" in doc.rejected:
                errors.append(doc.rejected)
            doc.rejected = None
            if not doc.text:
                doc.text = text
    return errors


def count_calls(fn) -> int:
    """Python and C function calls made by ``fn()``: a measure of work that does not depend on
    the machine or its load (a loop that calls nothing, in Python or inside one C call, is not seen)."""
    calls = 0

    def profile(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return calls


SMALL = 3_000  # bytes: enough for a quadratic stage to show, small enough to count every call


@pytest.mark.parametrize("name", list(CASES))
def test_no_exception_escapes_any_stage(stages, tmp_path, name):
    config, built = stages
    text = CASES[name](4 * SMALL)
    doc = read(text, tmp_path, config)
    assert run_all(doc, built, text) == []
    for stage in built:
        assert not [k for k in stage.stats if k.endswith("_error") and stage.stats[k]], (stage.name, stage.stats)


# events/stage.py looks up each sentence's paragraph by scanning every paragraph (_sentence_lang):
# quadratic when every line is a paragraph and a sentence (0.1 MB: 2.7 s, 0.5 MB: 62 s).
_EVENTS_SCAN = pytest.mark.xfail(reason="events._sentence_lang scans all paragraphs per sentence", strict=False)
DOUBLING = [pytest.param(n, marks=_EVENTS_SCAN) if n in ("newlines", "blank lines") else n for n in CASES]


@pytest.mark.parametrize("name", DOUBLING)
def test_doubling_the_input_at_most_doubles_the_work(stages, tmp_path, name):
    config, built = stages
    make = CASES[name]
    run_all(read(make(SMALL // 2), tmp_path, config), built, make(SMALL // 2))  # warm caches and lazy loads
    work = []
    for size in (SMALL, 2 * SMALL):
        text = make(size)
        doc = read(text, tmp_path, config)
        work.append(count_calls(lambda: run_all(doc, built, text)))  # noqa: B023 - called at once
    assert work[1] <= 3 * work[0] + 5_000, work


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.lists(
        st.sampled_from([*NEWS.split(" "), *CAPITALS.split(" ")[:20], ".", "\n", "\n\n", "(", ")", "\u202e",
                         "١٢٣", "12.500", "1,5", "%", "Rp", "\u200f", "...", "A.", "U.S."])
        | st.text(max_size=12),
        min_size=5,
        max_size=80,
    ).map(" ".join)
)
def test_any_text_passes_every_stage_without_an_error(stages, tmp_path, text):
    config, built = stages
    text = "Menteri tiba di Jakarta pada pagi hari. " + text  # past the reader's minimum length
    doc = read(text, tmp_path, config, may_reject=True)
    if doc is None:
        return
    assert run_all(doc, built, text) == []
    for m in doc.entities:
        assert doc.text[m.start : m.end] == m.text
    for q in doc.quantities:
        assert 0 <= q.start < q.end <= len(doc.text)
