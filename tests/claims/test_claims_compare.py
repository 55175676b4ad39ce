"""Tolerances: approximations and bounds agree when they overlap; values beyond tolerance contradict."""

from __future__ import annotations

import math

import pytest

from newsloom.claims.compare import cluster_claims, number, statement
from newsloom.claims.mentions import interval
from newsloom.models import Document, Quantity


def figures(*stated: tuple[str, float, str | None], kind: str = "killed", unit: str = "people") -> list[Document]:
    """One document per (outlet, value, qualifier), each stating one figure."""
    docs = []
    for outlet, value, qualifier in stated:
        text = f"{outlet} reports {value:g} {unit}."
        d = Document(source=outlet, raw=text, publisher=outlet, published="2031-01-01")
        d.text, d.lang = text, "en"
        s = text.index(f"{value:g}")
        d.quantities.append(Quantity(start=s, end=s + len(f"{value:g} {unit}"), text=f"{value:g} {unit}",
                                     value=value, unit=unit, kind=kind, qualifier=qualifier))
        docs.append(d)
    return docs


def statuses(docs: list[Document]) -> dict[float, str]:
    return {c.value: c.status for c in cluster_claims("ev", docs)}


def test_intervals():
    assert interval(2000, "about") == pytest.approx((1800, 2200))
    assert interval(12, "at_least") == (12, math.inf)
    assert interval(800, "up_to") == (0, 800)
    lo, hi = interval(2500, None)
    assert lo < 2500 < hi and hi - lo < 60


@pytest.mark.parametrize("qualifier, value", [("about", 2000), ("more_than", 1900), ("about", 2100),
                                              ("at_least", 2000), (None, 2010)])
def test_approximations_and_bounds_agree_with_the_figure(qualifier, value):
    docs = figures(("A", 2000, None), ("B", value, qualifier))
    assert statuses(docs) == {2000: "corroborated"}


def test_at_least_12_does_not_contradict_15():
    assert statuses(figures(("A", 12, "at_least"), ("B", 15, None))) == {15: "corroborated"}


def test_at_least_12_contradicts_two():
    assert statuses(figures(("A", 12, "at_least"), ("B", 2, None))) == {12: "contradicted", 2: "contradicted"}


def test_values_beyond_tolerance_contradict():
    assert statuses(figures(("A", 2500, None), ("B", 3000, None), kind="personnel", unit="troops")) == {
        2500: "contradicted", 3000: "contradicted"}
    assert statuses(figures(("A", 2000, "about"), ("B", 2500, None), kind="personnel", unit="troops")) == {
        2000: "contradicted", 2500: "contradicted"}


def test_different_kinds_and_units_never_meet():
    docs = figures(("A", 12, None)) + figures(("B", 15, None), kind="injured")
    docs += figures(("C", 40, None), kind="personnel", unit="troops")
    assert sorted(statuses(docs).values()) == ["single-source"] * 3


def test_loose_kinds_clash_only_on_a_shared_subject():
    # two tonnages in one event with nothing tying them together are two claims, not a clash
    docs = figures(("A", 800, None), ("B", 1200, None), kind="other", unit="tonnes")
    assert statuses(docs) == {800: "single-source", 1200: "single-source"}


def test_statement_and_numbers():
    assert number(2500) == "2,500" and number(1.2e9) == "1.2 billion" and number(5.6) == "5.6"
    assert statement(2500, "troops", "personnel", ["Tamaran"], [], None) == "2,500 troops (personnel) in Tamaran"
    assert statement(1.5e9, "USD", "money", [], ["Statistics Indonesia"], "2020") == \
        "USD 1.5 billion (money); Statistics Indonesia (2020)"
