"""GET /api/v1/export/geojson: the caller's scope only, the same authentication, valid RFC 7946."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import geojson
import requests

from console.server import operations


def _seed(world: Any) -> None:
    with world.db.write() as session:
        operations.bulk_insert_rows(session, [
            ("unit", f"{code}-car", {"id": f"{code}-car", "callsign": f"{code} 순찰 1", "type": "patrol_car",
                                     "station_code": code, "lat": lat, "lon": lon})
            for code, lat, lon in (("S1", 37.57, 126.98), ("S2", 37.56, 126.99), ("B1", 35.16, 129.05))
        ])


def _layers(body: dict[str, Any]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in body["features"]:
        out.setdefault(f["properties"]["layer"], set()).add(f["properties"]["id"])
    return out


def test_the_export_holds_the_callers_scope_only(server: Any, world: Any, api: Any) -> None:
    _seed(world)
    incidents = {}
    for user, station in (("op1", "S1"), ("op2", "S2"), ("opb", "B1")):
        rid, result = api(user).create_incident(station, code=1)
        assert result["status"] == "applied", result
        incidents[station] = rid
    expected = {
        "op1": ({"S1-car"}, {incidents["S1"]}),
        "seoul": ({"S1-car", "S2-car"}, {incidents["S1"], incidents["S2"]}),
        "hq": ({"S1-car", "S2-car", "B1-car"}, set(incidents.values())),
    }
    for user, (units, open_incidents) in expected.items():
        r = api(user).get("/export/geojson")
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("application/geo+json")
        assert "attachment" in r.headers["content-disposition"]
        assert r.json()["scope"] == {"op1": "/NPA/SEOUL/S1/", "seoul": "/NPA/SEOUL/", "hq": "/NPA/"}[user]
        obj = geojson.loads(r.text)
        assert obj.is_valid, obj.errors()
        layers = _layers(r.json())
        assert layers.get("units") == units, user
        assert layers.get("incidents") == open_incidents, user


def test_layers_can_be_chosen_and_a_wrong_one_is_worded(server: Any, world: Any, api: Any) -> None:
    _seed(world)
    console = api("hq")
    r = console.http.get(f"{server.url}/api/v1/export/geojson", params=[("layer", "units")], timeout=30)
    assert r.status_code == 200, r.text
    assert set(_layers(r.json())) == {"units"}
    bad = console.get("/export/geojson", layer="helicopters")
    assert bad.status_code == 422
    assert "helicopters" in bad.text and "units" in bad.text


def test_the_file_is_named_for_the_office_and_the_korean_time(server: Any, api: Any) -> None:
    server.clock.set(now=datetime(2025, 6, 3, 15, 30, tzinfo=UTC))  # 00:30 KST on 4 June
    r = api("op1").get("/export/geojson")
    assert r.headers["content-disposition"] == 'attachment; filename="sitroom-S1-20250604-0030.geojson"'
    assert r.json()["generated_at"].startswith("2025-06-04T00:30")


def test_the_export_needs_a_login(server: Any) -> None:
    r = requests.get(f"{server.url}/api/v1/export/geojson", timeout=30)
    assert r.status_code == 401
    r = requests.get(f"{server.url}/api/v1/export/geojson", headers={"Authorization": "Bearer nonsense"},
                     timeout=30)
    assert r.status_code == 401
