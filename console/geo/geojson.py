"""GeoJSON overlays: load and validate a file into Mercator points and line arrays for drawing."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from console.geo.mercator import FloatArray, to_mercator
from console.geo.paths import LinePath, join_rings


class GeoJSONError(ValueError):
    """The file is not usable GeoJSON; the message names the feature and what is wrong."""


@dataclass
class OverlayFeature:
    index: int
    geometry_type: str
    properties: dict[str, Any]
    # Mercator positions of Point/MultiPoint members
    points: list[tuple[float, float]] = field(default_factory=list)
    # Mercator line strings and polygon rings (each an (n, 2) array)
    lines: list[FloatArray] = field(default_factory=list)

    @property
    def label(self) -> str:
        for key in ("name", "name_ko", "title", "label", "id"):
            value = self.properties.get(key)
            if value not in (None, ""):
                return str(value)
        return ""


@dataclass
class GeoJSONOverlay:
    name: str
    features: list[OverlayFeature]

    def point_arrays(self) -> tuple[FloatArray, FloatArray, list[int]]:
        """All point members as x, y arrays plus the index of the feature each belongs to."""
        xs: list[float] = []
        ys: list[float] = []
        owners: list[int] = []
        for f in self.features:
            for x, y in f.points:
                xs.append(x)
                ys.append(y)
                owners.append(f.index)
        return np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64), owners

    def line_path(self) -> LinePath:
        return join_rings([line for f in self.features for line in f.lines])

    def bounds(self) -> tuple[float, float, float, float] | None:
        xs, ys, _ = self.point_arrays()
        path = self.line_path()
        all_x = np.concatenate([xs, path.x])
        all_y = np.concatenate([ys, path.y])
        if not len(all_x):
            return None
        return float(all_x.min()), float(all_y.min()), float(all_x.max()), float(all_y.max())


GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                  "GeometryCollection")


def load_geojson(path: Path | str) -> GeoJSONOverlay:
    """Read and validate a GeoJSON file (FeatureCollection, Feature or bare geometry)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GeoJSONError(f"{path.name}: cannot read the file ({exc})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeoJSONError(f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}: "
                           f"{exc.msg})") from None
    try:
        return parse_geojson(doc, name=path.stem)
    except GeoJSONError as exc:
        raise GeoJSONError(f"{path.name}: {exc}") from None


def parse_geojson(doc: Any, name: str = "overlay") -> GeoJSONOverlay:
    if not isinstance(doc, dict):
        raise GeoJSONError(f"the top level must be an object, not {_type_name(doc)}")
    kind = doc.get("type")
    if kind == "FeatureCollection":
        raw = doc.get("features")
        if not isinstance(raw, list):
            raise GeoJSONError("a FeatureCollection needs a 'features' array")
        features = [_feature(i, f) for i, f in enumerate(raw)]
    elif kind == "Feature":
        features = [_feature(0, doc)]
    elif kind in GEOMETRY_TYPES:
        features = [_feature(0, {"type": "Feature", "geometry": doc, "properties": {}})]
    else:
        raise GeoJSONError(f"unknown top-level type {kind!r} (expected FeatureCollection, Feature "
                           "or a geometry)")
    return GeoJSONOverlay(name=name, features=features)


def _feature(index: int, raw: Any) -> OverlayFeature:
    where = f"feature {index}"
    if not isinstance(raw, dict):
        raise GeoJSONError(f"{where}: must be an object, not {_type_name(raw)}")
    if raw.get("type") != "Feature":
        raise GeoJSONError(f"{where}: type must be 'Feature', not {raw.get('type')!r}")
    props = raw.get("properties")
    if props is None:
        props = {}
    if not isinstance(props, dict):
        raise GeoJSONError(f"{where}: properties must be an object or null")
    geometry = raw.get("geometry")
    if geometry is None:  # allowed by RFC 7946: an unlocated feature
        return OverlayFeature(index, "None", props)
    feature = OverlayFeature(index, str(geometry.get("type")) if isinstance(geometry, dict) else "?",
                             props)
    _geometry(where, geometry, feature)
    return feature


def _geometry(where: str, geom: Any, out: OverlayFeature) -> None:
    if not isinstance(geom, dict):
        raise GeoJSONError(f"{where}: geometry must be an object or null, not {_type_name(geom)}")
    kind = geom.get("type")
    if kind not in GEOMETRY_TYPES:
        raise GeoJSONError(f"{where}: unknown geometry type {kind!r}")
    if kind == "GeometryCollection":
        members = geom.get("geometries")
        if not isinstance(members, list):
            raise GeoJSONError(f"{where}: a GeometryCollection needs a 'geometries' array")
        for member in members:
            _geometry(where, member, out)
        return
    if "coordinates" not in geom:
        raise GeoJSONError(f"{where}: {kind} has no coordinates")
    coords = geom["coordinates"]
    if kind == "Point":
        out.points.append(_project_one(_position(where, kind, coords)))
    elif kind == "MultiPoint":
        for c in _array(where, kind, coords):
            out.points.append(_project_one(_position(where, kind, c)))
    elif kind == "LineString":
        out.lines.append(_line(where, kind, coords))
    elif kind == "MultiLineString":
        for c in _array(where, kind, coords):
            out.lines.append(_line(where, kind, c))
    elif kind == "Polygon":
        out.lines.extend(_polygon(where, kind, coords))
    elif kind == "MultiPolygon":
        for c in _array(where, kind, coords):
            out.lines.extend(_polygon(where, kind, c))


def _array(where: str, kind: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise GeoJSONError(f"{where}: {kind} coordinates must be an array, not {_type_name(value)}")
    return value


def _position(where: str, kind: str, value: Any) -> tuple[float, float]:
    if (not isinstance(value, list) or len(value) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value[:3])):
        raise GeoJSONError(f"{where}: {kind} position {value!r} must be [longitude, latitude]")
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise GeoJSONError(f"{where}: {kind} position {value!r} is not finite")
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise GeoJSONError(f"{where}: {kind} position [{lon}, {lat}] is outside longitude -180..180 / "
                           "latitude -90..90 (are longitude and latitude swapped, or not WGS84?)")
    return lon, lat


def _project_one(lonlat: tuple[float, float]) -> tuple[float, float]:
    return to_mercator(lonlat[0], lonlat[1])


def _positions(where: str, kind: str, value: Any) -> FloatArray:
    pts = [_position(where, kind, c) for c in _array(where, kind, value)]
    arr = np.array(pts, dtype=np.float64).reshape(-1, 2)
    x, y = to_mercator(arr[:, 0], arr[:, 1])
    return np.column_stack([x, y])


def _line(where: str, kind: str, value: Any) -> FloatArray:
    line = _positions(where, kind, value)
    if len(line) < 2:
        raise GeoJSONError(f"{where}: {kind} has {len(line)} point{'s' if len(line) != 1 else ''}; "
                           "a line needs at least 2")
    return line


def _polygon(where: str, kind: str, value: Any) -> list[FloatArray]:
    rings = _array(where, kind, value)
    if not rings:
        raise GeoJSONError(f"{where}: {kind} has no rings")
    out = []
    for ring_raw in rings:
        raw = _array(where, kind, ring_raw)
        ring = _positions(where, kind, raw)
        if len(ring) < 4:
            raise GeoJSONError(f"{where}: {kind} ring has {len(ring)} point{'s' if len(ring) != 1 else ''}; "
                               "a ring needs at least 4")
        first, last = raw[0][:2], raw[-1][:2]
        if first != last:
            raise GeoJSONError(f"{where}: {kind} ring is not closed (first {first} != last {last})")
        out.append(ring)
    return out


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(value), "a number")
