"""Rows as they stood at a moment the data has passed (console.views.as_of): the read models then
show that moment. Fixed clocks."""

from __future__ import annotations

from datetime import timedelta

from synced import load

from console.domain.clock import iso
from console.domain.election import DEFAULT_LATE_THRESHOLD, RouteDisplayState
from console.domain.records import RecordKind
from console.domain.samples import SAMPLE_NOW
from console.protocol.schema import Row
from console.replica import Replica
from console.views.as_of import ReadsAsOf
from console.views.routes import routes_view

AT = SAMPLE_NOW
PATH = "/NPA/SEOUL/S11110/"


def route(id: str, departed: float | None, arrived: float | None) -> Row:
    """Departed / arrived so many minutes after AT (negative: before)."""
    data: dict[str, object] = {"id": id, "polling_station_id": f"P{id}", "counting_station_id": "C1",
                               "station_code": "S11110", "planned_minutes": 30, "state": "waiting"}
    if departed is not None:
        data.update(state="departed", departed_at=iso(AT + timedelta(minutes=departed)))
    if arrived is not None:
        data.update(state="arrived", arrived_at=iso(AT + timedelta(minutes=arrived)))
    return Row(kind=RecordKind.ROUTE, id=id, version=1, org_path=PATH, data=data)


def incident(id: str, created: float, status: str, resolved: float | None = None) -> Row:
    data: dict[str, object] = {"id": id, "category": "violence", "code": 2, "title": id, "station_code": "S11110",
                               "lat": 37.57, "lon": 126.98, "created_at": iso(AT + timedelta(minutes=created)),
                               "created_by": "op", "status": status}
    if resolved is not None:
        data["resolved_at"] = iso(AT + timedelta(minutes=resolved))
    return Row(kind=RecordKind.INCIDENT, id=id, version=1, org_path=PATH, data=data)


def test_boxes_and_incidents_as_they_stood(replica: Replica) -> None:
    load(replica, [route("1", -60, None), route("2", -20, 10), route("3", 5, 40), route("4", None, None),
                   incident("A", -30, "resolved", resolved=15), incident("B", 20, "new"),
                   incident("C", -50, "closed", resolved=-40)])
    past = ReadsAsOf(replica, AT)
    counts = routes_view(past, PATH, AT, DEFAULT_LATE_THRESHOLD).counts
    assert counts == {RouteDisplayState.LATE: 1, RouteDisplayState.MOVING: 1, RouteDisplayState.WAITING: 2,
                      RouteDisplayState.ARRIVED: 0}
    now = routes_view(replica, PATH, AT, DEFAULT_LATE_THRESHOLD).counts  # the rows as they are
    assert now[RouteDisplayState.ARRIVED] == 2
    incidents = {r.id: r.data for r in past.rows(RecordKind.INCIDENT)}
    assert set(incidents) == {"A", "C"} and past.row(RecordKind.INCIDENT, "B") is None
    assert incidents["A"]["status"] == "new" and incidents["A"]["resolved_at"] is None  # resolved later
    assert incidents["C"]["status"] == "closed"
    assert past.count(RecordKind.INCIDENT) == 2
    unchanged = past.row(RecordKind.ROUTE, "4")
    assert unchanged is not None and unchanged.data == replica.row(RecordKind.ROUTE, "4").data  # type: ignore[union-attr]
