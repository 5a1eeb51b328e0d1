"""GeoJSON out: the operational picture validates as RFC 7946 (the `geojson` package and the RFC's
own rules: lon/lat order, right-hand winding, no crs) and loads back through the map's own
overlay loader."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geojson
import pytest
import shapely
from shapely.geometry import shape

from console.domain.records import RecordKind
from console.geo.geojson import load_geojson
from console.geo.mercator import to_mercator
from console.interop.geojson_export import Layer, dumps, operational_picture
from console.interop.jurisdictions import jurisdiction_geometry

NOW = datetime(2025, 6, 3, 12, 0, tzinfo=UTC)  # 21:00 KST on election day


@dataclass(frozen=True)
class R:
    id: str
    data: dict[str, Any] = field(default_factory=dict)


ROWS: dict[RecordKind, list[R]] = {
    RecordKind.ORG: [
        R("S1", {"level": "station", "code": "S1", "name_ko": "종로경찰서", "name_en": "Jongno",
                 "jurisdiction": ["11110"]}),
        R("S2", {"level": "station", "code": "S2", "name_ko": "중부경찰서", "jurisdiction": ["11140", "11170"]}),
        R("SEOUL", {"level": "provincial", "code": "SEOUL", "name_ko": "서울청"}),
        R("S9", {"level": "station", "code": "S9", "name_ko": "없는서", "jurisdiction": ["99999"]}),
    ],
    RecordKind.POLLING_STATION: [
        R("p1", {"name": "청운효자동 제1투표소", "kind": "election_day", "station_code": "S1", "lat": 37.5843,
                 "lon": 126.9706, "open": True, "officers_planned": 2, "officers_assigned": 2}),
        R("p2", {"name": "사직동 제1투표소", "kind": "election_day", "station_code": "S1", "lat": 37.5757,
                 "lon": 126.9688}),
        R("p-bad", {"name": "no position", "kind": "election_day", "station_code": "S1"}),
    ],
    RecordKind.COUNTING_STATION: [
        R("c1", {"name": "종로구 개표소", "station_code": "S1", "lat": 37.5735, "lon": 126.9790}),
    ],
    RecordKind.ROUTE: [
        # departed 20:10 KST, 30 minutes planned: late at 21:00
        R("r1", {"polling_station_id": "p1", "counting_station_id": "c1", "station_code": "S1",
                 "planned_minutes": 30, "state": "departed", "departed_at": "2025-06-03T11:10:00Z"}),
        R("r2", {"polling_station_id": "p2", "counting_station_id": "c1", "station_code": "S1",
                 "planned_minutes": 30, "state": "waiting"}),
        R("r-orphan", {"polling_station_id": "gone", "counting_station_id": "c1", "planned_minutes": 30}),
    ],
    RecordKind.UNIT: [
        R("u1", {"callsign": "종로 21", "type": "patrol_car", "status": "dispatched", "station_code": "S1",
                 "lat": 37.5801, "lon": 126.9750, "position_at": "2025-06-03T11:58:00Z"}),
        R("u2", {"callsign": "종로 22", "type": "patrol_car", "status": "available", "station_code": "S1"}),
    ],
    RecordKind.INCIDENT: [
        R("i1", {"title": "투표소 앞 소란", "code": 1, "category": "disorder", "status": "dispatched",
                 "station_code": "S1", "lat": 37.5790, "lon": 126.9720, "created_at": "2025-06-03T11:50:00Z"}),
        R("i2", {"title": "종결된 사건", "code": 2, "category": "disorder", "status": "closed",
                 "station_code": "S1", "lat": 37.5790, "lon": 126.9720}),
    ],
}


def rows_of(kind: RecordKind) -> list[R]:
    return ROWS.get(kind, [])


@pytest.fixture(scope="module")
def picture() -> dict[str, Any]:
    return operational_picture(rows_of, NOW, scope="/NPA/SEOUL/S1/")


def by_layer(fc: dict[str, Any], layer: Layer) -> dict[str, dict[str, Any]]:
    return {f["properties"]["id"]: f for f in fc["features"] if f["properties"]["layer"] == layer.value}


def test_the_export_is_valid_geojson(picture: dict[str, Any]) -> None:
    text = dumps(picture).decode("utf-8")
    obj = geojson.loads(text)
    assert obj.is_valid, obj.errors()
    assert isinstance(obj, geojson.FeatureCollection)
    for feature in obj["features"]:
        assert feature.is_valid, (feature["id"], feature.errors())
    raw = json.loads(text)
    assert "crs" not in raw  # RFC 7946 section 4: no crs member


def test_layers_hold_what_the_picture_shows(picture: dict[str, Any]) -> None:
    assert set(by_layer(picture, Layer.POLLING_STATIONS)) == {"p1", "p2"}  # p-bad has no position
    assert set(by_layer(picture, Layer.COUNTING_STATIONS)) == {"c1"}
    assert set(by_layer(picture, Layer.UNITS)) == {"u1"}  # u2 has no position
    assert set(by_layer(picture, Layer.INCIDENTS)) == {"i1"}  # i2 is closed
    assert set(by_layer(picture, Layer.JURISDICTIONS)) == {"S1", "S2"}  # S9's code is unknown
    routes = by_layer(picture, Layer.ROUTES)
    assert set(routes) == {"r1", "r2"}  # r-orphan's polling station is not in the scope
    assert routes["r1"]["properties"]["state"] == "late"
    assert routes["r2"]["properties"]["state"] == "waiting"
    assert routes["r1"]["geometry"]["coordinates"] == [[126.9706, 37.5843], [126.979, 37.5735]]
    incident = by_layer(picture, Layer.INCIDENTS)["i1"]["properties"]
    assert (incident["code"], incident["status"], incident["name"]) == (1, "dispatched", "투표소 앞 소란")
    assert picture["generated_at"] == "2025-06-03T21:00:00+09:00"


def test_positions_are_longitude_then_latitude(picture: dict[str, Any]) -> None:
    unit = by_layer(picture, Layer.UNITS)["u1"]
    assert unit["geometry"] == {"type": "Point", "coordinates": [126.975, 37.5801]}


def test_jurisdictions_wind_right_handed_and_cover_their_district(picture: dict[str, Any]) -> None:
    for rid, feature in by_layer(picture, Layer.JURISDICTIONS).items():
        geom = shape(feature["geometry"])
        assert geom.is_valid, rid
        for poly in shapely.get_parts(geom):
            assert shapely.is_ccw(poly.exterior), rid  # RFC 7946 section 3.1.6
            assert all(not shapely.is_ccw(hole) for hole in poly.interiors), rid
    jongno = shape(by_layer(picture, Layer.JURISDICTIONS)["S1"]["geometry"])
    assert jongno.contains(shapely.Point(126.9706, 37.5843))  # 청운효자동 lies in 종로구
    assert not jongno.contains(shapely.Point(127.0276, 37.4979))  # 강남역 does not
    two = shape(by_layer(picture, Layer.JURISDICTIONS)["S2"]["geometry"])
    assert two.area > shape(jurisdiction_geometry(["11140"]) or {}).area


def test_layers_can_be_chosen() -> None:
    fc = operational_picture(rows_of, NOW, layers=[Layer.UNITS, Layer.INCIDENTS])
    assert {f["properties"]["layer"] for f in fc["features"]} == {"units", "incidents"}


def test_the_maps_overlay_loader_reads_the_export_back(picture: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "picture.geojson"
    path.write_bytes(dumps(picture))
    overlay = load_geojson(path)
    assert len(overlay.features) == len(picture["features"])
    loaded = {(f.properties["layer"], f.properties["id"]): f for f in overlay.features}
    unit = loaded[("units", "u1")]
    assert unit.label == "종로 21"
    x, y = to_mercator(126.975, 37.5801)
    assert unit.points == [pytest.approx((x, y))]
    assert len(loaded[("routes", "r1")].lines) == 1
    assert loaded[("jurisdictions", "S1")].lines  # the outline's rings
    assert overlay.bounds() is not None
