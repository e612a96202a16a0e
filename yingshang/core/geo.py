"""The zone's map: its areas as polygons (GeoJSON, WGS 84 longitude/latitude) shipped with the platform or
named by ``ZONE_MAP_FILE``, and which area a point lies in. No Django beyond reading the setting."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DEFAULT_MAP = Path(__file__).resolve().parent / "static" / "yingshang" / "zone-map.json"
# Coordinates a point in China may have (the forms refuse others).
LNG_RANGE, LAT_RANGE = (73.0, 136.0), (3.0, 54.0)


def map_path() -> Path:
    from django.conf import settings

    return Path(getattr(settings, "ZONE_MAP_FILE", "") or DEFAULT_MAP)


@lru_cache(maxsize=4)
def _load(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def zone_map() -> dict:
    return _load(str(map_path()))


def rings(feature: dict) -> list[list[list[float]]]:
    """The outer rings of a feature's polygons (holes are not drawn on a zone's map)."""
    g = feature["geometry"]
    if g["type"] == "Polygon":
        return [g["coordinates"][0]]
    if g["type"] == "MultiPolygon":
        return [poly[0] for poly in g["coordinates"]]
    return []


def inside(lng: float, lat: float, ring: list[list[float]]) -> bool:
    """Ray casting: whether the point lies inside the ring (a point on an edge may fall either way)."""
    hit = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            hit = not hit
        j = i
    return hit


def area_of(lng: float, lat: float, features: list[dict]) -> str | None:
    """The name of the area the point lies in, or None outside every area."""
    for f in features:
        if any(inside(lng, lat, r) for r in rings(f)):
            return f["properties"].get("name")
    return None


def bounds(features: list[dict]) -> tuple[float, float, float, float]:
    xs = [p[0] for f in features for r in rings(f) for p in r]
    ys = [p[1] for f in features for r in rings(f) for p in r]
    return min(xs), min(ys), max(xs), max(ys)


def coordinate_errors(lng, lat) -> dict[str, str]:
    """What is wrong with a place's longitude and latitude (parsed numbers or None): each within China, and
    both given or neither. Empty when nothing is."""
    from django.utils.translation import gettext as _

    errors = {}
    for name, value, (low, high) in (("lng", lng, LNG_RANGE), ("lat", lat, LAT_RANGE)):
        if value is not None and not low <= float(value) <= high:
            errors[name] = _("This coordinate is not in China: set the place on the map.")
    if (lng is None) != (lat is None):
        errors.setdefault("lat" if lat is None else "lng", _("Give both coordinates, or neither."))
    return errors
