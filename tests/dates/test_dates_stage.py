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


# ---------------------------------------------------------------- publication dates far from the text's dates

FAR = "The bridge over the Veltra opened on 9 March 2007. Yesterday it closed for repairs."


@pytest.mark.parametrize(("published", "source", "kept"), [
    ("2020-01-01", "markup", False),  # a page date 13 years from every year the text writes
    ("2020-01-01", "text", False),
    ("2020-01-01", None, True),  # given by the input: trusted
    ("2008-03-12", "markup", True),  # within two years of 2007
    ("2004-06-01", "markup", False),  # before as well as after
])
def test_extracted_publication_date_far_from_the_text_abstains(config, published, source, kept):
    stage = DateExtractor(config)
    doc = _doc(FAR, "en", published)
    doc.published_from = source
    stage([doc])
    assert doc.published == (published if kept else None)
    assert doc.dates[0].value == "2007-03-09"
    if kept:
        assert [d.text for d in doc.dates] == ["9 March 2007", "Yesterday"] and doc.unresolved_dates == []
    else:  # "yesterday" is no longer counted from the dropped date
        assert [d.text for d in doc.unresolved_dates] == ["Yesterday"] and len(doc.dates) == 1
        assert doc.published_from is None and stage.stats["published_far_from_text"] == 1


def test_text_without_written_years_keeps_its_extracted_date(config):
    """Only years the text writes count: "last year" and "in May" are counted from publication."""
    doc = _doc("Exports fell last year and again in May, officials said yesterday.", "en", "2020-01-01")
    doc.published_from = "markup"
    DateExtractor(config)([doc])
    assert doc.published == "2020-01-01" and [d.value for d in doc.dates] == ["2019", "2019-05", "2019-12-31"]


def test_html_page_date_years_from_the_article_is_dropped(config):
    """End to end from HTML: the page's markup says 2020, the article is about March 2007 only."""
    from newsloom.ingest.html import HtmlExtract

    body = "".join(f"<p>{s}</p>" for s in [
        "The bridge over the Veltra river opened on 9 March 2007 after four years of building work.",
        "Engineers said on 12 March 2007 that the bridge had passed every load test so far this month.",
        "The town council will meet again in April 2007 to decide on the tolls for heavy lorries.",
    ])
    page = (f'<html><head><title>Veltra bridge opens</title><meta property="article:published_time" '
            f'content="2020-05-01T10:00:00+00:00"></head><body><article><h1>Veltra bridge opens</h1>{body}'
            '</article></body></html>')
    doc = Document(source="page.html", raw=page, format="html", lang="en")
    HtmlExtract(config)([doc])
    assert doc.published == "2020-05-01" and doc.published_from == "markup"
    DateExtractor(config)([doc])
    assert doc.published is None
    assert [d.value for d in doc.dates] == ["2007-03-09", "2007-03-12", "2007-04"]
