"""Scope refusals for every kind of mutation on a record outside the actor's scope (unit status,
assignment, site deployment, personnel, route advance, notes, edits, duty orders): each is
refused, its row is unchanged and no change enters the feed; the same mutation inside the scope
applies (so a refusal is the scope's doing, not a broken mutation)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from console.server import operations
from console.server.tables import FeedEntry, RowRecord

pytestmark = pytest.mark.once

STATIONS = {"S1": (37.57, 126.98), "B1": (35.15, 129.05)}


def _seed(world: Any) -> None:
    rows: list[tuple[str, str, dict[str, Any]]] = []
    for station, (lat, lon) in STATIONS.items():
        rows += [
            ("unit", f"U-{station}", {"id": f"U-{station}", "callsign": f"{station} 1",
                                      "type": "patrol_car", "station_code": station}),
            ("polling_station", f"PS-{station}", {"id": f"PS-{station}", "kind": "election_day",
                                                  "name": "Hall", "station_code": station,
                                                  "lat": lat, "lon": lon}),
            ("counting_station", f"CS-{station}", {"id": f"CS-{station}", "name": "Gym",
                                                   "station_code": station, "lat": lat, "lon": lon}),
            ("route", f"R-{station}", {"id": f"R-{station}", "polling_station_id": f"PS-{station}",
                                       "counting_station_id": f"CS-{station}",
                                       "station_code": station, "planned_minutes": 20}),
            ("incident", f"I-{station}", {"id": f"I-{station}", "category": "disorder", "code": 2,
                                          "title": "seeded", "station_code": station, "lat": lat,
                                          "lon": lon, "created_at": "2025-06-03T10:00:00+09:00",
                                          "created_by": "op1"}),
        ]
    with world.db.write() as session:
        operations.bulk_insert_rows(session, rows)


def _state(world: Any, kind: str, rid: str) -> tuple[int, dict[str, Any], int]:
    with world.db.read() as session:
        row = session.get(RowRecord, (kind, rid))
        assert row is not None
        return row.version, dict(row.data), int(session.scalar(select(func.count()).select_from(FeedEntry)) or 0)


# (user, mutation kind, record kind, payload) for a station's row: `{station}` is filled in.
CASES = [
    ("cmd1", "unit.status", "unit", {"status": "dispatched"}),
    ("cmd1", "unit.status", "unit", {"lat": 37.5, "lon": 127.0}),
    ("cmd1", "incident.assign", "incident", {"unit_ids": []}),
    ("cmd1", "site.deployment", "polling_station", {"officers_assigned": 2}),
    ("cmd1", "site.deployment", "counting_station", {"officers_assigned": 5}),
    ("cmd1", "org.personnel", "org", {"personnel_on_duty": 50}),
    ("cmd1", "route.advance", "route", {"to": "departed"}),
    ("cmd1", "incident.transition", "incident", {"to": "acknowledged"}),
    ("cmd1", "incident.edit", "incident", {"title": "changed"}),
    ("cmd1", "incident.note", "incident", {"text": "a note"}),
    ("seoul", "route.advance", "route", {"to": "departed"}),
    ("seoul", "org.personnel", "org", {"personnel_total": 120}),
]
RECORD = {"unit": "U-{s}", "incident": "I-{s}", "polling_station": "PS-{s}",
          "counting_station": "CS-{s}", "route": "R-{s}", "org": "{s}"}


@pytest.mark.parametrize("user,kind,record_kind,payload", CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_every_mutation_kind_outside_the_scope_is_refused(server, world, api, user: str, kind: str,
                                                          record_kind: str, payload: dict[str, Any]) -> None:
    _seed(world)
    console = api(user)
    foreign, own = RECORD[record_kind].format(s="B1"), RECORD[record_kind].format(s="S1")
    base = None if kind in ("incident.note", "org.personnel") else 1
    before = _state(world, record_kind, foreign)
    r = console.push_one(kind, record_kind, foreign, payload, base_version=base)
    assert r["status"] == "rejected" and r["error_code"] == "not_found", r
    assert "does not exist in your scope" in r["message"]
    assert _state(world, record_kind, foreign) == before  # the row as it was, nothing in the feed
    # the same mutation on a row of the actor's own station applies
    r = console.push_one(kind, record_kind, own, payload, base_version=base)
    assert r["status"] == "applied", r


def test_assigning_units_of_another_station_is_refused(server, world, api) -> None:
    _seed(world)
    cmd1 = api("cmd1")
    before = _state(world, "incident", "I-S1")
    r = cmd1.push_one("incident.assign", "incident", "I-S1", {"unit_ids": ["U-B1"]}, base_version=1)
    assert (r["status"], r["error_code"]) == ("rejected", "not_found")
    assert _state(world, "incident", "I-S1") == before
    r = cmd1.push_one("unit.status", "unit", "U-S1", {"incident_id": "I-B1"}, base_version=1)
    assert (r["status"], r["error_code"]) == ("rejected", "not_found")
    # a province assigns its own stations' units, not another province's
    seoul = api("seoul")
    r = seoul.push_one("incident.assign", "incident", "I-S1", {"unit_ids": ["U-B1"]}, base_version=1)
    assert (r["status"], r["error_code"]) == ("rejected", "not_found")
    r = seoul.push_one("incident.assign", "incident", "I-S1", {"unit_ids": ["U-S1"]}, base_version=1)
    assert r["status"] == "applied"


def test_creating_rows_for_another_station_is_refused(server, world, api) -> None:
    _seed(world)
    cmd1 = api("cmd1")
    _, r = cmd1.create_incident("B1", lat=35.15, lon=129.05)
    assert (r["status"], r["error_code"]) == ("rejected", "out_of_scope")
    r = cmd1.push_one("duty.acknowledge", "duty_order", "no-such-order", {"org_code": "S1"})
    assert (r["status"], r["error_code"]) == ("rejected", "not_found")
