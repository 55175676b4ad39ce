"""The ``dates`` stage on fictional documents: exact spans, publication anchoring, bad input."""

from __future__ import annotations

import pytest

from newsloom.dates.stage import DateExtractor
from newsloom.models import Document


def _doc(text: str, lang: str | None, published: str | None) -> Document:
    return Document(source="t", raw=text, text=text, lang=lang, published=published)


@pytest.mark.parametrize(("lang", "published", "text", "values"), [
    ("en", "2021-03-10T09:00:00+00:00", "Talks resumed on Tuesday. Exports fell last month, after 9 March 2021.",
     ["2021-03-09", "2021-02", "2021-03-09"]),
    ("id", "2021-03-10", "Pada hari Selasa (9/3) banjir melanda. Kemarin air surut.", ["2021-03-09", "2021-03-09"]),
    ("ar", "2021-03-10", "استؤنفت المحادثات يوم الثلاثاء. وأمس وصل الوفد في 9 مارس/آذار 2021.",
     ["2021-03-09", "2021-03-09", "2021-03-09"]),
    ("ms", "2021-03-10", "Pada hari Selasa, hujan lebat bermula.", ["2021-03-09"]),
    ("und", "2021-03-10", "Talks resumed on Tuesday.", ["2021-03-09"]),
    ("en", None, "Talks resumed on Tuesday, 9 March 2021, and yesterday.", ["2021-03-09"]),
    ("en", "not a date", "Talks resumed on 9 March.", ["--03-09"]),
])
def test_stage_values_and_exact_spans(config, lang, published, text, values):
    stage = DateExtractor(config)
    doc = _doc(text, lang, published)
    stage([doc])
    assert doc.rejected is None
    for d in doc.dates:
        assert doc.text[d.start:d.end] == d.text
    assert [d.value for d in doc.dates] == values


def test_bad_documents_do_not_stop_the_batch(config):
    docs = [_doc("", "en", None), _doc("9" * 100_000, "en", "2021-03-10"), _doc("x\u0000y on Tuesday", "ar", "2021-03-10"),
            _doc("ok on 9 March 2021", "en", None)]
    stage = DateExtractor(config)
    stage(docs)
    assert all(d.rejected is None for d in docs)
    assert [d.value for d in docs[3].dates] == ["2021-03-09"]
    assert stage.stats["seen"] == 4
