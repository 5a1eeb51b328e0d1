"""GeoJSON overlays: load and validate a file into Mercator points and line arrays for drawing."""

from __future__ import annotations

import json
import math
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from console.geo.load_control import LoadCancelled, LoadControl, LoadTimedOut
from console.geo.mercator import FloatArray, to_mercator
from console.geo.paths import LinePath, join_rings

LABEL_LIMIT = 200  # characters of a feature's name shown on the map


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
                return _short(value, LABEL_LIMIT, quote=False)
        return ""


@dataclass
class GeoJSONOverlay:
    name: str
    features: list[OverlayFeature]
    # the drawing arrays, built once (by `prepare`, on the loader's thread)
    _points: tuple[FloatArray, FloatArray, list[int]] | None = field(default=None, init=False, repr=False,
                                                                   compare=False)
    _path: LinePath | None = field(default=None, init=False, repr=False, compare=False)

    def prepare(self) -> None:
        """Build the arrays the map draws from now, so the GUI thread only hands them over."""
        self.point_arrays()
        self.line_path()

    def point_arrays(self) -> tuple[FloatArray, FloatArray, list[int]]:
        """All point members as x, y arrays plus the index of the feature each belongs to."""
        if self._points is None:
            xs: list[float] = []
            ys: list[float] = []
            owners: list[int] = []
            for f in self.features:
                for x, y in f.points:
                    xs.append(x)
                    ys.append(y)
                    owners.append(f.index)
            self._points = np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64), owners
        return self._points

    def line_path(self) -> LinePath:
        if self._path is None:
            self._path = join_rings([line for f in self.features for line in f.lines])
        return self._path

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

# Caps on what one overlay file may hold, checked before the JSON is parsed: a hostile or
# mistaken file (2 million point features took 2.5 GB and 30 s) is refused in a second. At the
# caps a file takes about 200 MB and 2 s to load.
MAX_FILE_BYTES = 50_000_000
MAX_POINTS = 500_000  # coordinate pairs: points, line vertices and ring vertices together
MAX_FEATURES = 100_000  # each costs ~2 KB once parsed and converted (370,000 took 770 MB, 7 s)
MAX_CONTAINERS = 1_000_000  # JSON objects and arrays: each costs ~100 bytes once parsed
MAX_NESTING = 64  # GeoJSON needs about 8 levels; Python's parser fails near 1,000
MAX_COLLECTION_NESTING = 16  # GeometryCollections inside GeometryCollections
GEOJSON_TIMEOUT = 30.0  # seconds for reading, checking and parsing one file
_READ_CHUNK = 1 << 20
_SCAN_CHUNK = 1 << 20
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


def load_geojson(path: Path | str, *, control: LoadControl | None = None, max_bytes: int = MAX_FILE_BYTES,
                 max_points: int = MAX_POINTS) -> GeoJSONOverlay:
    """Read and validate a GeoJSON file (FeatureCollection, Feature or bare geometry).

    Every failure is a GeoJSONError naming the file and what is wrong, except LoadCancelled when
    `control` was cancelled. The caps are checked before parsing; `control` is checked between steps.
    """
    path = Path(path)
    control = control if control is not None else LoadControl(GEOJSON_TIMEOUT)
    try:
        data = _read_capped(path, max_bytes, control)
        text = _decode(data)
        open_at_end = _prescan(data, max_points, control)
        del data
        control.check()
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            ends = open_at_end > 0 or exc.pos >= len(text.rstrip())
            raise GeoJSONError(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
                               + ("; the file ends early: is it complete?" if ends else "")) from None
        except ValueError:  # Python's cap on integer digits
            raise GeoJSONError("a number in the file has thousands of digits; it is no coordinate "
                               "(is the file damaged?)") from None
        del text
        control.check()
        overlay = parse_geojson(doc, name=path.stem, max_points=max_points, control=control)
        overlay.prepare()  # the drawing arrays are built here, not on the GUI thread
        return overlay
    except LoadCancelled:
        raise
    except GeoJSONError as exc:
        raise GeoJSONError(f"{path.name}: {exc}") from None
    except LoadTimedOut as exc:
        raise GeoJSONError(f"{path.name}: {exc}") from None
    except RecursionError:
        raise GeoJSONError(f"{path.name}: nested too deeply to read") from None
    except MemoryError:
        raise GeoJSONError(f"{path.name}: too large to load in this workstation's memory") from None
    except (ValueError, OverflowError, TypeError) as exc:  # none known: a last worded net
        reason = _short(str(exc), 200, quote=False)
        raise GeoJSONError(f"{path.name}: not usable GeoJSON ({reason})") from None


def _read_capped(path: Path, max_bytes: int, control: LoadControl) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
            raise GeoJSONError("not a regular file")
        if info.st_size > max_bytes:
            raise GeoJSONError(_too_big(info.st_size, max_bytes))
        parts: list[bytes] = []
        size = 0
        with path.open("rb") as f:
            while chunk := f.read(_READ_CHUNK):
                size += len(chunk)
                if size > max_bytes:  # the file grew while being read
                    raise GeoJSONError(_too_big(size, max_bytes))
                parts.append(chunk)
                control.check()
    except OSError as exc:
        raise GeoJSONError(f"cannot read the file ({exc.strerror or exc})") from None
    return b"".join(parts)


def _too_big(size: int, max_bytes: int) -> str:
    return (f"the file is {size / 1e6:,.1f} MB, more than the {max_bytes / 1e6:,.0f} MB an overlay may be; "
            "simplify it or split it into smaller files")


def _decode(data: bytes) -> str:
    if not data.strip():
        raise GeoJSONError("the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise GeoJSONError("the file is UTF-16 text; GeoJSON must be UTF-8 (save it as UTF-8)")
    if b"\x00" in data[:4096]:
        raise GeoJSONError("the file holds binary data, not GeoJSON text (is it another kind of file?)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            data.decode("cp949")
            hint = " It reads as Korean EUC-KR/CP949 text: save it as UTF-8."
        except UnicodeDecodeError:
            pass
        raise GeoJSONError(f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position "
                           f"{exc.start:,}); GeoJSON must be UTF-8.{hint}") from None


def _prescan(data: bytes, max_points: int, control: LoadControl) -> int:
    """Count nesting depth, objects and arrays, and coordinate arrays without parsing; return how
    many arrays and objects are still open at the end (a file cut short leaves some open).

    Strings are blanked first so brackets inside names do not count. Every position is an array
    whose first character starts a number, so the count of those is never below the file's points.
    """
    if data.count(b'"Feature"') > MAX_FEATURES:
        raise GeoJSONError(_too_many_features())
    bare = _JSON_STRING.sub(b'""', data).translate(None, b" \t\r\n")
    control.check()
    arr = np.frombuffer(bare, dtype=np.uint8)
    depth = deepest = containers = positions = 0
    for start in range(0, len(arr), _SCAN_CHUNK):
        c = arr[start:start + _SCAN_CHUNK]
        following = arr[start + 1:start + 1 + len(c)]
        if len(following) < len(c):
            following = np.concatenate([following, np.zeros(len(c) - len(following), dtype=np.uint8)])
        opens = (c == ord("[")) | (c == ord("{"))
        closes = (c == ord("]")) | (c == ord("}"))
        running = np.cumsum(opens.astype(np.int32) - closes.astype(np.int32)) + depth
        deepest = max(deepest, int(running.max()))
        depth = int(running[-1])
        containers += int(np.count_nonzero(opens))
        number_next = ((following >= ord("0")) & (following <= ord("9"))) | (following == ord("-"))
        positions += int(np.count_nonzero((c == ord("[")) & number_next))
        if deepest > MAX_NESTING:
            raise GeoJSONError(f"arrays and objects are nested more than {MAX_NESTING} levels deep "
                               "(GeoJSON needs about 8); the file is malformed")
        if positions > max_points:
            raise GeoJSONError(f"more than {max_points:,} points; simplify it or split it into smaller "
                               "files")
        if containers > MAX_CONTAINERS:
            raise GeoJSONError(f"more than {MAX_CONTAINERS:,} JSON objects and arrays; simplify it or "
                               "split it into smaller files")
        control.check()
    return depth


def parse_geojson(doc: Any, name: str = "overlay", *, max_points: int = MAX_POINTS,
                  control: LoadControl | None = None) -> GeoJSONOverlay:
    """Validate a parsed GeoJSON document into Mercator features; GeoJSONError says what is wrong."""
    budget = _Budget(max_points, control)
    if not isinstance(doc, dict):
        raise GeoJSONError(f"the top level must be an object, not {_type_name(doc)}")
    kind = doc.get("type")
    if kind == "FeatureCollection":
        raw = doc.get("features")
        if not isinstance(raw, list):
            raise GeoJSONError("a FeatureCollection needs a 'features' array")
        if len(raw) > MAX_FEATURES:
            raise GeoJSONError(_too_many_features())
        features = [_feature(i, f, budget) for i, f in enumerate(raw)]
    elif kind == "Feature":
        features = [_feature(0, doc, budget)]
    elif kind in GEOMETRY_TYPES:
        features = [_feature(0, {"type": "Feature", "geometry": doc, "properties": {}}, budget)]
    else:
        raise GeoJSONError(f"unknown top-level type {_short(kind)} (expected FeatureCollection, Feature "
                           "or a geometry)")
    return GeoJSONOverlay(name=name, features=features)


def _too_many_features() -> str:
    return f"more than {MAX_FEATURES:,} features; simplify it or split it into smaller files"


class _Budget:
    """Points counted as they are read, and the load's cancel switch and deadline."""

    def __init__(self, max_points: int, control: LoadControl | None) -> None:
        self.max_points = max_points
        self.points = 0
        self.control = control

    def take(self, where: str, n: int) -> None:
        self.points += n
        if self.points > self.max_points:
            raise GeoJSONError(f"{where}: more than {self.max_points:,} points; simplify the file or "
                               "split it into smaller files")

    def check(self) -> None:
        if self.control is not None:
            self.control.check()


def _feature(index: int, raw: Any, budget: _Budget) -> OverlayFeature:
    where = f"feature {index}"
    budget.check()
    if not isinstance(raw, dict):
        raise GeoJSONError(f"{where}: must be an object, not {_type_name(raw)}")
    if raw.get("type") != "Feature":
        raise GeoJSONError(f"{where}: type must be 'Feature', not {_short(raw.get('type'))}")
    props = raw.get("properties")
    if props is None:
        props = {}
    if not isinstance(props, dict):
        raise GeoJSONError(f"{where}: properties must be an object or null")
    geometry = raw.get("geometry")
    if geometry is None:  # allowed by RFC 7946: an unlocated feature
        return OverlayFeature(index, "None", props)
    feature = OverlayFeature(index, _short(geometry.get("type"), quote=False) if isinstance(geometry, dict)
                             else "?", props)
    _geometry(where, geometry, feature, budget, 0)
    return feature


def _geometry(where: str, geom: Any, out: OverlayFeature, budget: _Budget, depth: int) -> None:
    if not isinstance(geom, dict):
        raise GeoJSONError(f"{where}: geometry must be an object or null, not {_type_name(geom)}")
    kind = geom.get("type")
    if kind not in GEOMETRY_TYPES:
        raise GeoJSONError(f"{where}: unknown geometry type {_short(kind)}")
    if kind == "GeometryCollection":
        if depth >= MAX_COLLECTION_NESTING:
            raise GeoJSONError(f"{where}: GeometryCollections nested more than {MAX_COLLECTION_NESTING} "
                               "deep")
        members = geom.get("geometries")
        if not isinstance(members, list):
            raise GeoJSONError(f"{where}: a GeometryCollection needs a 'geometries' array")
        for member in members:
            _geometry(where, member, out, budget, depth + 1)
        return
    if "coordinates" not in geom:
        raise GeoJSONError(f"{where}: {kind} has no coordinates")
    coords = geom["coordinates"]
    if kind == "Point":
        budget.take(where, 1)
        out.points.append(_project_one(_position(where, kind, coords)))
    elif kind == "MultiPoint":
        members = _array(where, kind, coords)
        budget.take(where, len(members))
        for c in members:
            out.points.append(_project_one(_position(where, kind, c)))
    elif kind == "LineString":
        out.lines.append(_line(where, kind, coords, budget))
    elif kind == "MultiLineString":
        for c in _array(where, kind, coords):
            out.lines.append(_line(where, kind, c, budget))
    elif kind == "Polygon":
        out.lines.extend(_polygon(where, kind, coords, budget))
    elif kind == "MultiPolygon":
        for c in _array(where, kind, coords):
            out.lines.extend(_polygon(where, kind, c, budget))


def _array(where: str, kind: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise GeoJSONError(f"{where}: {kind} coordinates must be an array, not {_type_name(value)}")
    return value


def _position(where: str, kind: str, value: Any) -> tuple[float, float]:
    if (not isinstance(value, list) or len(value) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value[:3])):
        raise GeoJSONError(f"{where}: {kind} position {_short(value, quote=False)} must be "
                           "[longitude, latitude]")
    try:
        lon, lat = float(value[0]), float(value[1])
    except OverflowError:  # an integer beyond any float
        lon = lat = math.inf
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise GeoJSONError(f"{where}: {kind} position {_short(value, quote=False)} is not finite")
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise GeoJSONError(f"{where}: {kind} position [{lon}, {lat}] is outside longitude -180..180 / "
                           "latitude -90..90 (are longitude and latitude swapped, or not WGS84?)")
    return lon, lat


def _project_one(lonlat: tuple[float, float]) -> tuple[float, float]:
    return to_mercator(lonlat[0], lonlat[1])


def _positions(where: str, kind: str, value: Any, budget: _Budget) -> FloatArray:
    raw = _array(where, kind, value)
    budget.take(where, len(raw))
    pts = [_position(where, kind, c) for c in raw]
    arr = np.array(pts, dtype=np.float64).reshape(-1, 2)
    x, y = to_mercator(arr[:, 0], arr[:, 1])
    return np.column_stack([x, y])


def _line(where: str, kind: str, value: Any, budget: _Budget) -> FloatArray:
    line = _positions(where, kind, value, budget)
    if len(line) < 2:
        raise GeoJSONError(f"{where}: {kind} has {len(line)} point{'s' if len(line) != 1 else ''}; "
                           "a line needs at least 2")
    return line


def _polygon(where: str, kind: str, value: Any, budget: _Budget) -> list[FloatArray]:
    rings = _array(where, kind, value)
    if not rings:
        raise GeoJSONError(f"{where}: {kind} has no rings")
    out = []
    for ring_raw in rings:
        raw = _array(where, kind, ring_raw)
        ring = _positions(where, kind, raw, budget)
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


def _short(value: Any, limit: int = 60, *, quote: bool = True) -> str:
    """A value as it may appear in a message: a hostile file's 10 MB string is not repeated."""
    try:
        text = repr(value) if quote or not isinstance(value, str) else value
    except (RecursionError, ValueError):
        text = f"<{_type_name(value)}>"
    return text if len(text) <= limit else text[:limit - 1] + "…"
