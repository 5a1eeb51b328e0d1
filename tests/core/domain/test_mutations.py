"""Mutations: the pure functions both server and console apply."""

from __future__ import annotations

import copy

import pytest
from incident_steps import CTX, NEW, create, step

from console.domain.errors import DomainError, IllegalTransition, InvalidValue, NotFound
from console.domain.mutations import MUTATIONS, MutationContext, apply_mutation
from console.domain.records import RecordKind, from_data, to_data
from console.domain.roles import PERMISSIONS, Role, may
from console.domain.units import Unit


def test_create_records_who_and_when_and_validates() -> None:
    d = create()
    assert d["status"] == "new" and d["created_by"] == "kim" and d["created_at"] == CTX.at
    assert d["timeline"][0]["kind"] == "created" and d["timeline"][0]["console"] == "c1"
    assert d["routed_to"] is None
    with pytest.raises(InvalidValue, match="missing"):
        apply_mutation("incident.create", "incident", "i1", None, {"title": "x"}, CTX)
    with pytest.raises(InvalidValue, match="unknown field"):
        create(colour="red")


def test_create_on_existing_row_is_refused() -> None:
    with pytest.raises(InvalidValue, match="already exists"):
        apply_mutation("incident.create", "incident", "i1", create(), NEW, CTX)


def test_deepfake_is_routed_to_the_station_province() -> None:
    d = create(category="deepfake")
    assert d["routed_to"] == "SEOUL"
    assert [t["kind"] for t in d["timeline"]] == ["created", "routed"]


def test_full_lifecycle_and_explicit_reopen() -> None:
    d = create()
    d = step(d, "incident.transition", {"to": "acknowledged"})
    assert d["acknowledged_at"] == CTX.at
    with pytest.raises(IllegalTransition, match="assign at least one unit"):
        step(d, "incident.transition", {"to": "dispatched"})
    d = step(d, "incident.assign", {"unit_ids": ["U1", "U2", "U1"]})
    assert d["assigned_units"] == ["U1", "U2"]
    for to in ("dispatched", "on_scene", "resolved", "closed"):
        d = step(d, "incident.transition", {"to": to})
    assert d["status"] == "closed" and d["resolved_at"] == CTX.at
    with pytest.raises(IllegalTransition):
        step(d, "incident.transition", {"to": "acknowledged"})
    with pytest.raises(InvalidValue, match="reason"):
        step(d, "incident.reopen", {"reason": " "})
    d = step(d, "incident.reopen", {"reason": "new evidence"})
    assert d["status"] == "acknowledged" and d["resolved_at"] is None
    kinds = [t["kind"] for t in d["timeline"]]
    assert kinds.count("status") == 5 and kinds[-1] == "reopened"


def test_reopen_only_from_resolved_or_closed() -> None:
    with pytest.raises(IllegalTransition, match="only resolved or closed"):
        step(create(), "incident.reopen", {"reason": "x"})


def test_apply_never_modifies_its_input() -> None:
    d = create()
    before = copy.deepcopy(d)
    step(d, "incident.note", {"text": "caller says two men"})
    step(d, "incident.transition", {"to": "acknowledged"})
    assert d == before


def test_notes_and_edits_validate() -> None:
    d = create()
    with pytest.raises(InvalidValue, match="empty"):
        step(d, "incident.note", {"text": "  "})
    with pytest.raises(InvalidValue, match="nothing to change"):
        step(d, "incident.edit", {})
    with pytest.raises(InvalidValue, match="112 code"):
        step(d, "incident.edit", {"code": 7})
    e = step(d, "incident.edit", {"code": 0, "category": "cyber_attack"})
    assert e["code"] == 0 and e["routed_to"] == "SEOUL" and e["timeline"][-1]["kind"] == "edited"
    with pytest.raises(InvalidValue, match="unknown field"):
        step(d, "incident.edit", {"status": "closed"})


def test_mutation_of_a_missing_row_and_wrong_kind() -> None:
    with pytest.raises(NotFound):
        apply_mutation("incident.note", "incident", "nope", None, {"text": "x"}, CTX)
    with pytest.raises(InvalidValue, match="does not apply"):
        apply_mutation("incident.note", "unit", "u", {}, {"text": "x"}, CTX)
    with pytest.raises(InvalidValue, match="unknown mutation"):
        apply_mutation("incident.delete", "incident", "i1", create(), {}, CTX)


def test_unit_status_and_position() -> None:
    u = to_data(Unit(id="U1", callsign="Jongno 1", type="patrol_car", station_code="S1"))  # type: ignore[arg-type]
    u2 = apply_mutation("unit.status", "unit", "U1", u, {"status": "dispatched", "lat": 37.5, "lon": 127.0}, CTX)
    assert u2["status"] == "dispatched" and u2["position_at"] == CTX.at
    with pytest.raises(InvalidValue):
        apply_mutation("unit.status", "unit", "U1", u, {"status": "asleep"}, CTX)
    with pytest.raises(InvalidValue, match="both"):
        apply_mutation("unit.status", "unit", "U1", u, {"lat": 37.5}, CTX)


def test_route_advances_in_order_and_turns_late() -> None:
    from datetime import timedelta

    from console.domain.clock import parse_time
    from console.domain.election import BallotRoute, RouteDisplayState

    r = to_data(BallotRoute(id="R1", polling_station_id="P1", counting_station_id="C1",
                            station_code="S1", planned_minutes=20))
    # reported at 20:15, a few minutes after the box left (a time must be plausible for it)
    night = MutationContext(actor="kim", actor_org="S1", at="2026-06-03T20:15:00+09:00")
    with pytest.raises(IllegalTransition):
        apply_mutation("route.advance", "route", "R1", r, {"to": "arrived"}, night)
    r = apply_mutation("route.advance", "route", "R1", r, {"to": "departed", "at": "2026-06-03T20:10:00+09:00"}, night)
    route = from_data(RecordKind.ROUTE, r)
    dep = parse_time("2026-06-03T20:10:00+09:00")
    assert route.display_state(dep + timedelta(minutes=30)) == RouteDisplayState.MOVING
    assert route.display_state(dep + timedelta(minutes=36)) == RouteDisplayState.LATE
    r = apply_mutation("route.advance", "route", "R1", r, {"to": "arrived"}, night)
    assert from_data(RecordKind.ROUTE, r).display_state(dep + timedelta(hours=5)) == RouteDisplayState.ARRIVED


def test_duty_issue_acknowledge_cancel() -> None:
    ctx = MutationContext(actor="chief", actor_org="NPA", at="2026-06-03T05:00:00Z")
    o = apply_mutation("duty.issue", "duty_order", "o1", None,
                       {"level": "level_a", "targets": ["S1", "S2"],
                        "effective_from": "2026-06-03T06:00:00+09:00"}, ctx)
    assert o["issuer_code"] == "NPA" and o["acks"] == {}
    o = apply_mutation("duty.acknowledge", "duty_order", "o1", o, {"org_code": "S1"}, CTX)
    again = apply_mutation("duty.acknowledge", "duty_order", "o1", o,
                           {"org_code": "S1"}, MutationContext("lee", "S1", "2026-06-03T07:00:00Z"))
    assert again["acks"]["S1"] == {"by": "kim", "at": CTX.at}  # the first acknowledgement stands
    with pytest.raises(InvalidValue, match="does not cover"):
        apply_mutation("duty.acknowledge", "duty_order", "o1", o, {"org_code": "S9"}, CTX)
    c = apply_mutation("duty.cancel", "duty_order", "o1", o, {}, ctx)
    with pytest.raises(IllegalTransition):
        apply_mutation("duty.acknowledge", "duty_order", "o1", c, {"org_code": "S2"}, CTX)


def test_duty_order_reason_as_written_and_in_english() -> None:
    ctx = MutationContext(actor="chief", actor_org="NPA", at="2026-06-03T05:00:00Z")
    base = {"level": "level_a", "targets": ["S1"], "effective_from": "2026-06-03T06:00:00+09:00"}
    o = apply_mutation("duty.issue", "duty_order", "o1", None,
                       {**base, "reason": "선거일 갑호비상", "reason_en": " Level A on election day "}, ctx)
    assert o["reason"] == "선거일 갑호비상" and o["reason_en"] == "Level A on election day"
    o = apply_mutation("duty.issue", "duty_order", "o2", None, {**base, "reason": "선거일 갑호비상"}, ctx)
    assert o["reason_en"] == ""  # optional, like an incident's title_en
    with pytest.raises(InvalidValue, match="unknown field"):
        apply_mutation("duty.issue", "duty_order", "o3", None, {**base, "reason_fr": "x"}, ctx)


def test_personnel_cannot_exceed_total() -> None:
    org = {"code": "S1", "level": "station", "name_ko": "종로경찰서", "name_en": "Jongno",
           "parent_code": "SEOUL", "path": "/NPA/SEOUL/S1/", "jurisdiction": ["11110"],
           "personnel_total": 100, "personnel_on_duty": 50, "lat": None, "lon": None}
    assert apply_mutation("org.personnel", "org", "S1", org, {"personnel_on_duty": 80}, CTX)["personnel_on_duty"] == 80
    with pytest.raises(DomainError, match="exceeds"):
        apply_mutation("org.personnel", "org", "S1", org, {"personnel_on_duty": 101}, CTX)


def test_every_mutation_has_a_role_or_is_system_only() -> None:
    granted = set().union(*PERMISSIONS.values())
    for kind, spec in MUTATIONS.items():
        assert (kind in granted) != spec.system_only, kind
    assert not PERMISSIONS[Role.VIEWER]
    assert may(Role.STATION_OPERATOR, "incident.create") and not may(Role.STATION_OPERATOR, "duty.acknowledge")
    assert may(Role.STATION_COMMANDER, "duty.acknowledge") and not may(Role.STATION_COMMANDER, "duty.issue")
    assert may(Role.PROVINCIAL_HQ, "duty.issue")


def test_from_data_refuses_unknown_fields() -> None:
    with pytest.raises(InvalidValue, match="unknown field"):
        from_data(RecordKind.UNIT, {"id": "U", "callsign": "x", "type": "cyber", "station_code": "S", "wings": 2})


def test_to_data_is_plain_json_and_a_copy() -> None:
    import json

    d = create(category="deepfake")
    inc = from_data(RecordKind.INCIDENT, d)
    again = to_data(inc)
    assert again == d and json.loads(json.dumps(again)) == again
    assert type(again["code"]) is int and type(again["category"]) is str
    again["timeline"][0]["text"] = "changed"
    assert inc.timeline[0].text != "changed"  # the dict shares nothing mutable with the entity
