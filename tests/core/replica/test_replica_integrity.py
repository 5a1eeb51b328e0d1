"""The console applies the domain's integrity rules to a new edit as the server does: a unit or
an incident it does not hold (outside its scope, or nowhere) cannot be named, and nothing is
queued; a payload that breaks the wire limits is refused before it reaches the outbox."""

from __future__ import annotations

import pytest
from replica_helpers import STATION_PATH, incident_payload

from console.domain.errors import InvalidValue, NotFound
from console.domain.records import RecordKind, to_data
from console.domain.units import Unit
from console.protocol.schema import Row
from console.replica import Replica


def test_a_new_edit_names_only_units_and_incidents_the_console_holds(replica: Replica) -> None:
    unit = Unit(id="U1", callsign="Jongno 1", type="patrol_car", station_code="S1")
    replica.apply_snapshot_page([Row(kind=RecordKind.UNIT, id="U1", version=1, org_path=STATION_PATH,
                                     data=to_data(unit))], done=True, as_of=3)
    rid = replica.new_id()
    replica.submit("incident.create", RecordKind.INCIDENT, rid, incident_payload())
    queued = replica.pending_count()
    with pytest.raises(NotFound, match="unit U-BUSAN does not exist in your scope"):
        replica.submit("incident.assign", RecordKind.INCIDENT, rid, {"unit_ids": ["U1", "U-BUSAN"]})
    with pytest.raises(NotFound, match="incident elsewhere does not exist in your scope"):
        replica.submit("unit.status", RecordKind.UNIT, "U1", {"incident_id": "elsewhere"})
    assert replica.pending_count() == queued
    replica.submit("incident.assign", RecordKind.INCIDENT, rid, {"unit_ids": ["U1"]})
    replica.submit("unit.status", RecordKind.UNIT, "U1", {"status": "dispatched", "incident_id": rid})
    assert replica.pending_count() == queued + 2


def test_a_payload_no_server_would_take_is_not_queued(replica: Replica) -> None:
    rid = replica.new_id()
    for bad in ({"title": "nul\x00"}, {"description": "d" * 4001}, {"lat": "37.5"}):
        with pytest.raises(InvalidValue):
            replica.submit("incident.create", RecordKind.INCIDENT, rid, incident_payload(**bad))
    assert replica.pending_count() == 0
