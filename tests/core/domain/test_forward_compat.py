"""Rows written by a newer version: consoles are updated station by station, so an older console
must still read, show and edit a row carrying fields it does not know, and keep those fields when
it writes the row back. What a user sends stays strict."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from console.domain.errors import InvalidValue
from console.domain.mutations import MutationContext, apply_mutation
from console.domain.records import RecordKind, from_data, from_stored, to_data, unknown_fields

K = RecordKind
CTX = MutationContext(actor="kim", actor_org="S1", at="2026-06-03T06:00:00Z", console="c1",
                      province_of=lambda _code: "SEOUL")


def newer_incident() -> dict[str, Any]:
    """An incident as a newer version stores it: a top-level field and a timeline entry field
    this version has never heard of."""
    data = apply_mutation("incident.create", K.INCIDENT, "i1", None, {
        "category": "violence", "code": 1, "title": "주취자 난동", "title_en": "Drunk person causing a disturbance",
        "station_code": "S1", "lat": 37.5, "lon": 127.0}, CTX)
    data["caller_callback"] = {"number": "010-0000-0000", "consent": True}
    data["timeline"][0]["attachments"] = ["photo-1.jpg"]
    return data


def test_a_stored_row_with_unknown_fields_is_read_and_written_back_unchanged() -> None:
    data = newer_incident()
    inc = from_stored(K.INCIDENT, copy.deepcopy(data))
    assert inc.title == "주취자 난동" and inc.status == "new"
    assert unknown_fields(inc) == {"caller_callback": {"number": "010-0000-0000", "consent": True}}
    assert unknown_fields(inc.timeline[0]) == {"attachments": ["photo-1.jpg"]}
    again = to_data(inc)
    assert again == data
    again["caller_callback"]["consent"] = False  # the written dict shares nothing with the entity
    assert unknown_fields(inc)["caller_callback"]["consent"] is True


@pytest.mark.parametrize(("kind", "payload"), [
    ("incident.transition", {"to": "acknowledged"}),
    ("incident.note", {"text": "신고자 재통화"}),
    ("incident.assign", {"unit_ids": ["U1"]}),
    ("incident.edit", {"code": 0, "place": "광화문광장"}),
])
def test_an_older_console_edits_a_newer_incident_and_keeps_its_fields(kind: str, payload: dict[str, Any]) -> None:
    data = newer_incident()
    before = copy.deepcopy(data)
    after = apply_mutation(kind, K.INCIDENT, "i1", data, payload, CTX)
    assert data == before  # the stored row is never modified
    assert after["caller_callback"] == {"number": "010-0000-0000", "consent": True}
    assert after["timeline"][0]["attachments"] == ["photo-1.jpg"]
    assert len(after["timeline"]) == 2 and "attachments" not in after["timeline"][1]
    # and it can be edited again, as the replica replays its outbox over a fresh server row
    again = apply_mutation("incident.note", K.INCIDENT, "i1", after, {"text": "again"}, CTX)
    assert again["caller_callback"] == after["caller_callback"]


def test_duty_orders_units_and_orgs_from_a_newer_version_are_acknowledged_and_updated() -> None:
    hq = MutationContext(actor="chief", actor_org="NPA", at="2026-06-03T05:00:00Z")
    order = apply_mutation("duty.issue", K.DUTY_ORDER, "o1", None, {
        "level": "level_a", "targets": ["S1", "S2"], "effective_from": "2026-06-03T06:00:00+09:00"}, hq)
    order["acks"]["S2"] = {"by": "lee", "at": "2026-06-03T05:10:00Z", "device": "tablet"}
    order["attachment"] = "order-scan.pdf"
    acked = apply_mutation("duty.acknowledge", K.DUTY_ORDER, "o1", order, {"org_code": "S1"}, CTX)
    assert acked["attachment"] == "order-scan.pdf"
    assert acked["acks"]["S2"] == {"by": "lee", "at": "2026-06-03T05:10:00Z", "device": "tablet"}
    assert acked["acks"]["S1"] == {"by": "kim", "at": CTX.at}

    unit = {"id": "U1", "callsign": "종로 21", "type": "patrol_car", "station_code": "S1",
            "radio_channel": 7}
    moved = apply_mutation("unit.status", K.UNIT, "U1", unit, {"status": "dispatched"}, CTX)
    assert moved["status"] == "dispatched" and moved["radio_channel"] == 7

    org = {"code": "S1", "level": "station", "name_ko": "종로경찰서", "name_en": "Jongno",
           "parent_code": "SEOUL", "path": "/NPA/SEOUL/S1/", "jurisdiction": ["11110"],
           "personnel_total": 100, "personnel_on_duty": 50, "lat": None, "lon": None, "phone": "112"}
    updated = apply_mutation("org.personnel", K.ORG, "S1", org, {"personnel_on_duty": 80}, CTX)
    assert updated["personnel_on_duty"] == 80 and updated["phone"] == "112"


def test_what_users_send_stays_strict() -> None:
    data = newer_incident()
    with pytest.raises(InvalidValue, match="unknown field"):
        apply_mutation("incident.transition", K.INCIDENT, "i1", data, {"to": "acknowledged", "colour": "red"}, CTX)
    with pytest.raises(InvalidValue, match="unknown field"):
        apply_mutation("incident.edit", K.INCIDENT, "i1", data, {"caller_callback": None}, CTX)
    with pytest.raises(InvalidValue, match="unknown field"):
        apply_mutation("incident.create", K.INCIDENT, "i2", None, {**{
            k: data[k] for k in ("category", "code", "title", "station_code", "lat", "lon")}, "colour": "red"}, CTX)
    # imports and bulk inserts validate with from_data, which still refuses what it does not know
    with pytest.raises(InvalidValue, match="unknown field"):
        from_data(K.INCIDENT, data)


def test_a_stored_row_still_needs_its_known_fields_and_valid_values() -> None:
    data = newer_incident()
    del data["title"]
    with pytest.raises(InvalidValue, match="title"):
        from_stored(K.INCIDENT, data)
    data = newer_incident()
    data["code"] = 9
    with pytest.raises(InvalidValue, match="112 code"):
        from_stored(K.INCIDENT, data)
    data = newer_incident()
    del data["timeline"][0]["by"]
    with pytest.raises(InvalidValue, match="by"):
        from_stored(K.INCIDENT, data)
    with pytest.raises(InvalidValue, match="must be an object"):
        from_stored(K.INCIDENT, [])  # type: ignore[arg-type]


def test_rows_this_version_wrote_read_the_same_either_way() -> None:
    data = apply_mutation("incident.create", K.INCIDENT, "i1", None, {
        "category": "deepfake", "code": 2, "title": "딥페이크", "station_code": "S1",
        "lat": 37.5, "lon": 127.0}, CTX)
    assert to_data(from_stored(K.INCIDENT, data)) == to_data(from_data(K.INCIDENT, data)) == data
    assert unknown_fields(from_stored(K.INCIDENT, data)) == {}
