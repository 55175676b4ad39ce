"""The ``quantities`` stage on fictional documents: exact spans, bad input, linear work, demo claims."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from newsloom.dates.stage import DateExtractor
from newsloom.models import Document, Span
from newsloom.quantities import extract
from newsloom.quantities.stage import QuantityExtractor

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def _doc(text: str, lang: str, sentences: bool = True) -> Document:
    doc = Document(source="t", raw=text, text=text, lang=lang)
    if sentences:
        doc.sentences = [Span(start=m.start(), end=m.end(), text=m.group()) for m in re.finditer(r"\S.*?(?:[.!?](?=\s|$)|$)", text)]
    return doc


def _run(config, docs: list[Document]) -> QuantityExtractor:
    """The dates stage, then the quantities stage (which skips the numbers of the dates found)."""
    DateExtractor(config)(docs)
    stage = QuantityExtractor(config)
    stage(docs)
    return stage


def _check_spans(doc: Document) -> None:
    for q in doc.quantities:
        assert doc.text[q.start:q.end] == q.text and q.text.strip() == q.text, q


@pytest.mark.parametrize(("lang", "text", "values"), [
    ("en", "On 9 March 2021 the shelling killed 12 people. Around 12,500 fled. In 2020 trade was USD 1.5 billion.",
     [12, 12500, 1.5e9]),
    ("id", "Pada Selasa (9/3) sebanyak 12 orang tewas. Sekitar 12.500 warga mengungsi pukul 10.30 WIB.", [12, 12500]),
    ("ar", "في 9 مارس 2021 لقي ١٢ شخصا حتفهم. ونزح نحو ١٢٥٠٠ شخص منذ عام 2019.", [12, 12500]),
    ("und", "Il y a 12 morts.", [12]),
])
def test_stage_finds_values_with_exact_spans(config, lang, text, values):
    doc = _doc(text, lang)
    stage = _run(config, [doc])
    _check_spans(doc)
    assert [q.value for q in doc.quantities] == [float(v) for v in values]
    assert doc.rejected is None and stage.stats["seen"] == 1


def test_document_without_sentences_is_one_sentence(config):
    doc = _doc("Sekitar 12.500 warga mengungsi.", "id", sentences=False)
    _run(config, [doc])
    assert [(q.text, q.unit, q.kind, q.qualifier) for q in doc.quantities] == [
        ("12.500 warga", "people", "displaced", "about")]


def test_text_without_numbers_and_empty_text(config):
    docs = [_doc("No figures here at all.", "en"), _doc("", "en", sentences=False)]
    _run(config, docs)
    assert [d.quantities for d in docs] == [[], []]


def test_long_sentence_work_is_linear():
    unit = "Around 12,500 people fled and 3 troops were killed on 9 March 2021 in G20-land ١٢ زz "
    f = extract.finder("en")
    f.steps = 0
    found_small = f.find(unit * 600)
    small = f.steps
    f.steps = 0
    found = f.find(unit * 1200)
    assert len(unit * 1200) > 100_000
    assert f.steps <= 2 * small + 10
    assert len(found) == 2 * len(found_small)


@pytest.mark.parametrize("text", [
    "1" * 100_000, "1." * 15_000, "1 " * 15_000, "١٬" * 15_000, "a1b2c3" * 5_000, "dua " * 7_500,
    "12abc٣٤ قتيلاtroops", "١٢troops", "𝟏𝟐 people", "１２ people", "٣٫٥٫٦ شخص", "\u200f12\u200e people",
])
def test_bad_input_does_not_crash(config, text):
    doc = _doc(text, "en", sentences=False)
    _run(config, [doc])
    assert doc.rejected is None
    _check_spans(doc)


def test_unusual_digit_scripts_count():
    got = [(q.value, q.unit) for q in extract.find_quantities("১২ people and ۱۲ people and １２ people", "en")]
    assert got == [(12.0, "people")] * 3


def _demo_docs(config):
    from newsloom.ingest.discover import iter_inputs
    from newsloom.models import Reject
    from newsloom.pipeline import default_stages

    stages = default_stages(config)
    docs = [d for d in iter_inputs([str(DEMO)], config) if not isinstance(d, Reject)]
    for stage in stages:
        docs = stage(docs)
    return docs


@pytest.mark.slow
def test_demo_corpus_claims_are_found(config):
    """Every figure in examples/demo/CLAIMS.tsv written as a number is a quantity of its article."""
    docs = _demo_docs(config)
    by_item: dict[str, list[Document]] = {}
    rss: list[Document] = []
    for d in docs:
        _check_spans(d)
        name = Path(d.source).name
        m = re.match(r"(.*):(\d+)$", name)
        key = f"{m.group(1)}#{m.group(2)}" if m else name
        by_item.setdefault(key, []).append(d)
        if not m and not Path(d.source).exists():
            rss.append(d)  # feed entries carry their link as source
    rows = list(csv.DictReader((DEMO / "CLAIMS.tsv").open(encoding="utf-8"), delimiter="\t"))
    missed = []
    checked = 0
    for row in rows:
        if not re.search(r"\d|\b(two|three|tres|dos|deux)\b", row["as_written"], re.IGNORECASE):
            continue  # "son second": not written as a number
        checked += 1
        item = row["item"]
        pool = by_item.get(item) or (rss if ".rss#" in item else [])
        if not any(abs(q.value - float(row["value"])) < 1e-6 for d in pool for q in d.quantities):
            missed.append((item, row["as_written"]))
    assert checked >= 60
    assert missed == []


def test_numbers_of_dates_without_a_value_are_not_quantities(config):
    """No publication date: "dua hari lalu" has no value but is a date, so "dua" counts nothing."""
    doc = _doc("Dua hari lalu 12 orang tewas.", "id")
    _run(config, [doc])
    assert [d.text for d in doc.unresolved_dates] == ["Dua hari lalu"]
    assert [(q.text, q.value) for q in doc.quantities] == [("12 orang", 12.0)]


def test_quantities_read_the_dates_stage_instead_of_running_the_date_grammar(config, monkeypatch):
    """The date grammar runs once per document, in the dates stage: the quantities stage masks the
    spans in ``doc.dates`` (here one the grammar would never find) and never calls the grammar."""
    from newsloom.dates.extract import DateFinder
    from newsloom.models import DateMention

    doc = _doc("In 2021 about 40 people left.", "en")
    doc.dates = [DateMention(start=14, end=16, text="40", value="2021")]

    def no_grammar(*args, **kwargs):
        raise AssertionError("the quantities stage ran the date grammar")

    monkeypatch.setattr(DateFinder, "find", no_grammar)
    QuantityExtractor(config)([doc])
    assert doc.rejected is None and doc.quantities == []


def test_dates_and_quantities_do_not_import_each_other():
    """One direction: the quantities stage reads what the dates stage wrote; neither imports the other."""
    import subprocess
    import sys

    code = (
        "import sys, newsloom.quantities.stage, newsloom.quantities.extract\n"
        "assert not [m for m in sys.modules if m.startswith('newsloom.dates')], 'quantities imports dates'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    code = (
        "import sys, newsloom.dates.stage, newsloom.dates.extract\n"
        "assert not [m for m in sys.modules if m.startswith('newsloom.quantities')], 'dates imports quantities'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
