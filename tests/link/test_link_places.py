"""The gazetteer: countries in every language, short forms, cities, states, continents, cache."""

from __future__ import annotations

import pytest

from newsloom.link.places import Gazetteer, _cache_file, exact_form, is_case_sensitive


@pytest.mark.parametrize(
    ("name", "lang"),
    [("Egypt", "en"), ("Mesir", "id"), ("مصر", "ar"), ("Égypte", "fr"), ("Ägypten", "de"), ("Egipto", "es")],
)
def test_egypt_in_every_language_is_one_country(places, name, lang):
    top = places.lookup(name, lang)[0].place
    assert top.id == "geo:EG"
    assert top.name == "Egypt"
    assert top.kind == "country" and top.country == "EG"
    # coordinates are the capital's (Cairo)
    assert top.lat == pytest.approx(30.06, abs=0.2) and top.lon == pytest.approx(31.25, abs=0.2)


@pytest.mark.parametrize(
    ("name", "lang", "code"),
    [
        ("AS", "id", "US"),
        ("U.S.", "en", "US"),
        ("USA", "en", "US"),
        ("UK", "en", "GB"),
        ("Inggris", "id", "GB"),
        ("UAE", "en", "AE"),
        ("UEA", "id", "AE"),
        ("Palestina", "id", "PS"),
        ("فلسطين", "ar", "PS"),
        ("Turki", "ms", "TR"),
    ],
)
def test_short_forms_newspapers_use(places, name, lang, code):
    m = places.lookup(name, lang)[0]
    assert m.place.id == f"geo:{code}"
    assert m.source == "alias"


def test_capital_short_forms_match_only_as_written(places):
    assert places.lookup("as", "id") == []
    assert places.lookup("us", "en") == []
    assert is_case_sensitive("AS") and is_case_sensitive("U.S.") and not is_case_sensitive("Mesir")
    assert exact_form("U.S.A.") == "USA"


def test_arabic_spelling_variants_fold_together(places):
    for form in ("الأردن", "الاردن", "الأُردن"):
        assert places.lookup(form, "ar")[0].place.id == "geo:JO"


def test_display_name_overrides_cldr(places):
    assert places.get("geo:PS").name == "Palestine"
    assert places.get("geo:MM").name == "Myanmar"


def test_parenthesised_cldr_names_are_split(places):
    # CLDR English "Myanmar (Burma)"
    assert places.lookup("Myanmar", "en")[0].place.id == "geo:MM"


@pytest.mark.parametrize(
    ("name", "lang"), [("Cairo", "en"), ("القاهرة", "ar"), ("Kairo", "id"), ("Le Caire", "fr")]
)
def test_cities_by_alternate_names(places, name, lang):
    top = places.lookup(name, lang)[0].place
    assert top.id == "geo:gn360630"
    assert top.kind == "city" and top.country == "EG" and top.population > 1_000_000


def test_country_ranks_before_a_city_of_the_same_name(places):
    kinds = [m.place.kind for m in places.lookup("Jordan", "en")]
    assert kinds[0] == "country"
    assert "city" in kinds


def test_states_and_continents(places):
    assert places.lookup("Virginia", "en")[0].place.id == "geo:US-VA"
    assert places.lookup("Afrika", "id")[0].place.id == "geo:cont-AF"


def test_machine_romanisations_and_airport_codes_are_not_names(places):
    # Cairo's GeoNames alternate names include "CAI" and lower-case "qahrh"
    assert all(m.place.id != "geo:gn360630" for m in places.lookup("CAI", "en"))
    assert all(m.place.id != "geo:gn360630" for m in places.lookup("qahrh", "en"))


def test_unknown_name_gives_nothing(places):
    assert places.lookup("Zzyzxqvland", "en") == []
    assert places.lookup("", "en") == []


def test_cache_file_depends_on_settings(tmp_path):
    a = _cache_file(15000, str(tmp_path))
    assert a.parent == tmp_path
    assert a != _cache_file(50000, str(tmp_path))
    assert a == _cache_file(15000, str(tmp_path))


@pytest.mark.slow
def test_gazetteer_cache_round_trip(tmp_path):
    from newsloom.link.places import gazetteer

    built = gazetteer(100000, str(tmp_path))
    assert list(tmp_path.glob("gazetteer-*.pickle"))
    gazetteer.cache_clear()
    loaded = gazetteer(100000, str(tmp_path))
    assert loaded is not built
    assert loaded.lookup("Mesir", "id")[0].place == built.lookup("Mesir", "id")[0].place
    assert isinstance(loaded, Gazetteer)
    # the population threshold holds
    assert all(p.population >= 100000 for p in loaded.places.values() if p.kind == "city")
