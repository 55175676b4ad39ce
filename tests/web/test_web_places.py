"""Map coordinates for every place id the linker gives (countries, cities, continents)."""

from __future__ import annotations

import pytest

from newsloom.web.places import resolve


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory):
    from newsloom.link.places import gazetteer

    return gazetteer(cache_dir=str(tmp_path_factory.mktemp("gaz")))


def test_every_linked_city_and_continent_gets_the_linkers_coordinates(gazetteer):
    placed = 0
    for pid, place in gazetteer.places.items():
        if place.kind not in ("city", "continent") or place.lat is None:
            continue
        got = resolve(pid)
        assert got is not None, pid
        assert (round(got.lat, 3), round(got.lon, 3)) == (round(place.lat, 3), round(place.lon, 3)), pid
        placed += 1
    assert placed > 1000


@pytest.mark.parametrize("pid", ["geo:EG", "geo:ID"])
def test_countries_get_an_outline_and_a_marker(pid):
    place = resolve(pid)
    assert place is not None and place.precision == "country" and place.country


def test_unknown_ids_are_not_placed():
    assert resolve("geo:gn0") is None and resolve("kb:someone") is None and resolve(None) is None
