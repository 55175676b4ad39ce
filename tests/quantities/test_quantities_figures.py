"""``quantities.figures``: the numbers clustering compares, from the quantities stage."""

from __future__ import annotations

import pytest

from newsloom.dates.stage import DateExtractor
from newsloom.models import Document, Quantity, Span
from newsloom.quantities.figures import figures
from newsloom.quantities.stage import QuantityExtractor

# One fictional report, written in three local number formats.
REPORTS = [
    ("en", "Floods on 9 March 2021 displaced 12,500 people. Aid worth $1.2 billion arrived."),
    ("de", "Die Flut im März 2021 vertrieb 12.500 Menschen. Hilfe von 1,2 Milliarden Dollar kam an."),
    ("ar", "شردت الفيضانات في 9 مارس 2021 نحو ١٢٬٥٠٠ شخص. ووصلت مساعدات بقيمة 1٫2 مليار دولار."),
]


@pytest.mark.parametrize(("lang", "text"), REPORTS)
def test_one_amount_is_one_figure_in_every_local_format(config, lang, text):
    doc = Document(source="t", raw=text, text=text, lang=lang)
    cut = text.index(". ", text.index("2021")) + 1
    doc.sentences = [Span(start=0, end=cut, text=text[:cut]), Span(start=cut + 1, end=len(text), text=text[cut + 1:])]
    DateExtractor(config)([doc])
    QuantityExtractor(config)([doc])
    # 12,500 is one figure (digit runs gave {12, 500}); the date's 9 and 2021 are no figures
    assert figures(doc.quantities) == (12500.0, 1.2e9)


def _q(start: int, value: float) -> Quantity:
    return Quantity(start=start, end=start + 1, text="x", value=value)


def test_figures_are_distinct_rounded_and_bounded_to_the_head():
    qs = [_q(0, 1_200_000_000.0), _q(5, 1.2e9 + 0.4), _q(10, 40.0), _q(5000, 7.0)]
    assert figures(qs) == (7.0, 40.0, 1.2e9)
    assert figures(qs, max_chars=4000) == (40.0, 1.2e9)
    assert figures([]) == ()
