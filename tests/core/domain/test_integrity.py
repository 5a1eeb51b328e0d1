"""Integrity rules of the domain, shared by the server and the console: typed and bounded
payload fields, plausible route times, records that must exist in the actor's scope, and the
escalation clock of an incident received long after it was made."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from console.domain.clock import parse_time
from console.domain.election import BallotRoute
from console.domain.errors import InvalidValue, NotFound
from console.domain.incidents import Incident
from console.domain.mutations import MutationContext, apply_mutation
from console.domain.records import RecordKind, from_data, to_data
from console.domain.units import Unit

AT = "2025-06-03T20:15:00+09:00"
NEW = {"category": "disorder", "code": 2, "title": "queue dispute", "station_code": "S1",
       "lat": 37.57, "lon": 126.98}


def ctx(**kw: Any) -> MutationContext:
    return MutationContext(actor="kim", actor_org="S1", at=AT, **kw)


@pytest.mark.parametrize("field,value,words", [
    ("title", 123, "title must be text, not a number"), ("title", None, "title must be text, not null"),
    ("station_code", ["S1"], "station_code must be text, not a list"),
    ("lat", "37.5", "lat must be a number, not text"), ("lon", float("nan"), "lon must be a finite"),
    ("code", "2", "112 code must be a whole number"), ("code", True, "112 code must be a whole number"),
    ("description", "d" * 4001, "description is at most 4,000 characters"),
    ("title", "t" * 201, "title is at most 200 characters"), ("place", {"a": 1}, "place must be text"),
])
def test_incident_fields_are_typed_and_bounded(field: str, value: Any, words: str) -> None:
    with pytest.raises(InvalidValue, match=words):
        apply_mutation("incident.create", "incident", "i1", None, {**NEW, field: value}, ctx())


def test_route_times_are_plausible_and_arrival_follows_departure() -> None:
    route = to_data(BallotRoute(id="R1", polling_station_id="P1", counting_station_id="C1",
                                station_code="S1", planned_minutes=20))
    for at in ("1999-01-01T00:00:00Z", "2025-06-03T08:00:00+09:00", "2025-06-03T20:30:00+09:00"):
        with pytest.raises(InvalidValue, match="not plausible"):
            apply_mutation("route.advance", "route", "R1", route, {"to": "departed", "at": at}, ctx())
    departed = apply_mutation("route.advance", "route", "R1", route,
                              {"to": "departed", "at": "2025-06-03T20:10:00+09:00"}, ctx())
    with pytest.raises(InvalidValue, match="before it departed"):
        apply_mutation("route.advance", "route", "R1", departed,
                       {"to": "arrived", "at": "2025-06-03T20:05:00+09:00"}, ctx())
    arrived = apply_mutation("route.advance", "route", "R1", departed, {"to": "arrived"}, ctx())
    assert arrived["arrived_at"] == AT


def test_units_and_incidents_named_must_exist_in_scope() -> None:
    known = {(RecordKind.UNIT, "U1"): {"id": "U1"}, (RecordKind.INCIDENT, "i2"): {"id": "i2"}}

    def lookup(kind: RecordKind, rid: str) -> dict[str, Any] | None:
        return known.get((kind, rid))

    incident = apply_mutation("incident.create", "incident", "i1", None, NEW, ctx())
    with pytest.raises(NotFound, match="unit U9 does not exist in your scope"):
        apply_mutation("incident.assign", "incident", "i1", incident, {"unit_ids": ["U1", "U9"]},
                       ctx(lookup=lookup))
    assert apply_mutation("incident.assign", "incident", "i1", incident, {"unit_ids": ["U1"]},
                          ctx(lookup=lookup))["assigned_units"] == ["U1"]
    unit = to_data(Unit(id="U1", callsign="c", type="patrol_car", station_code="S1"))
    with pytest.raises(NotFound, match="incident nope does not exist in your scope"):
        apply_mutation("unit.status", "unit", "U1", unit, {"incident_id": "nope"}, ctx(lookup=lookup))
    assert apply_mutation("unit.status", "unit", "U1", unit, {"incident_id": "i2"},
                          ctx(lookup=lookup))["incident_id"] == "i2"
    assert apply_mutation("unit.status", "unit", "U1", unit, {"incident_id": None},
                          ctx(lookup=lookup))["incident_id"] is None
    # a context that cannot look (a console's dry run) does not refuse
    assert apply_mutation("unit.status", "unit", "U1", unit, {"incident_id": "nope"}, ctx())


def test_an_incident_received_long_after_it_was_made_escalates_from_its_receipt() -> None:
    made = "2025-06-02T20:30:00+09:00"  # a day before the server got it
    received = "2025-06-03T20:15:00+09:00"
    data = apply_mutation("incident.create", "incident", "i1", None, {**NEW, "code": 0},
                          MutationContext(actor="kim", actor_org="S1", at=made, received_at=received))
    incident: Incident = from_data(RecordKind.INCIDENT, data)
    assert incident.created_at == made and incident.received_at == received
    arrival = parse_time(received)
    assert not incident.is_overdue(arrival + timedelta(seconds=30))
    assert incident.is_overdue(arrival + timedelta(minutes=2))
    # received within minutes of being made: the console's time counts, as before
    soon = apply_mutation("incident.create", "incident", "i2", None, {**NEW, "code": 0},
                          MutationContext(actor="kim", actor_org="S1", at="2025-06-03T20:10:00+09:00",
                                          received_at=received))
    assert soon["received_at"] is None
    assert from_data(RecordKind.INCIDENT, soon).is_overdue(arrival + timedelta(seconds=1))
