"""Directives, reporting schedules, situation reports and handovers through the server: who may
issue and acknowledge, and the scopes (a station cannot read another's reports, a province sees
its own stations' only, directives and schedules reach the offices below); a report made offline
keeps its time of making."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from server_testkit import PASSWORD

from console.domain.clock import iso
from console.server import operations


def _add_commanders(world: Any) -> None:
    with world.db.write() as session:
        operations.create_user(session, "cmd2", PASSWORD, "station_commander", "S2")
        operations.create_user(session, "cmdb", PASSWORD, "station_commander", "B1")


def _ids(api: Any, kind: str) -> set[str]:
    _, rows = api.snapshot_all()
    return {r["id"] for r in rows if r["kind"] == kind}


def _report(console: Any, **payload: Any) -> tuple[str, dict[str, Any]]:
    rid = uuid.uuid4().hex
    return rid, console.push_one("report.submit", "situation_report", rid,
                                 {"remarks": "이상 없음", "content": {"open": 1}, **payload})


def test_directives_go_down_and_are_acknowledged_per_office(server, world, api) -> None:
    _add_commanders(world)
    seoul, cmd1, cmd2, cmdb = api("seoul"), api("cmd1"), api("cmd2"), api("cmdb")
    payload = {"targets": ["S1", "S2"], "text": "투표소 주변 순찰을 강화할 것", "priority": "urgent"}
    r = seoul.push_one("directive.issue", "directive", "D1", payload)
    assert r["status"] == "applied", r
    # a province directs its own stations only; a station directs no one
    r = seoul.push_one("directive.issue", "directive", "D2", {**payload, "targets": ["B1"]})
    assert (r["status"], r["error_code"]) == ("rejected", "out_of_scope")
    r = cmd1.push_one("directive.issue", "directive", "D3", {**payload, "targets": ["S1"]})
    assert (r["status"], r["error_code"]) == ("rejected", "forbidden")
    assert "D1" in _ids(cmd1, "directive") and "D1" in _ids(cmd2, "directive")
    assert "D1" not in _ids(cmdb, "directive")
    # each acknowledges for its own office only
    r = cmd1.push_one("directive.acknowledge", "directive", "D1", {"org_code": "S2"})
    assert (r["status"], r["error_code"]) == ("rejected", "out_of_scope")
    r = cmdb.push_one("directive.acknowledge", "directive", "D1", {"org_code": "B1"})
    assert (r["status"], r["error_code"]) == ("rejected", "not_found")
    r = cmd1.push_one("directive.acknowledge", "directive", "D1", {"org_code": "S1"})
    assert r["status"] == "applied", r
    _, rows = seoul.snapshot_all()
    d1 = next(row for row in rows if row["kind"] == "directive" and row["id"] == "D1")
    assert set(d1["data"]["acks"]) == {"S1"}


def test_a_station_cannot_read_another_stations_reports_and_a_province_sees_its_own(
        server, world, api) -> None:
    _add_commanders(world)
    seoul, busan, hq = api("seoul"), api("busan"), api("hq")
    cmd1, cmd2, cmdb = api("cmd1"), api("cmd2"), api("cmdb")
    start = iso(datetime.now(UTC) - timedelta(hours=2))
    r = seoul.push_one("schedule.set", "report_schedule", "SCH", {
        "targets": ["S1", "S2"], "starts_at": start, "every_minutes": 60, "title": "매시 보고"})
    assert r["status"] == "applied", r
    slot = start
    s1, r = _report(cmd1, schedule_id="SCH", slot=slot)
    assert r["status"] == "applied", r
    s2, r = _report(cmd2, schedule_id="SCH", slot=slot)
    assert r["status"] == "applied", r
    b1, r = _report(cmdb)  # unasked
    assert r["status"] == "applied", r
    _, r = _report(cmdb, schedule_id="SCH", slot=slot)  # a schedule of another province
    assert (r["status"], r["error_code"]) == ("rejected", "not_found"), r

    assert _ids(cmd1, "situation_report") == {s1}
    assert _ids(cmd2, "situation_report") == {s2}
    assert _ids(seoul, "situation_report") == {s1, s2}
    assert _ids(busan, "situation_report") == {b1}
    assert _ids(hq, "situation_report") == {s1, s2, b1}
    assert "SCH" in _ids(cmd1, "report_schedule") and "SCH" not in _ids(cmdb, "report_schedule")
    # a correction of another station's report is answered as not there
    _, r = _report(cmd2, schedule_id="SCH", slot=slot, replaces=s1)
    assert (r["status"], r["error_code"]) == ("rejected", "not_found"), r
    # a station's own correction applies, as version 2
    fix, r = _report(cmd1, schedule_id="SCH", slot=slot, replaces=s1, remarks="정정")
    assert r["status"] == "applied", r
    _, rows = seoul.snapshot_all()
    fixed = next(row for row in rows if row["id"] == fix)
    assert (fixed["data"]["version"], fixed["data"]["replaces"]) == (2, s1)
    # and nothing edits a submitted report
    r = cmd1.push_one("report.edit", "situation_report", s1, {"remarks": "x"})
    assert (r["status"], r["error_code"]) == ("rejected", "unknown_mutation")


def test_a_report_made_offline_syncs_later_with_its_time_of_making(server, world, api) -> None:
    cmd1 = api("cmd1")
    made = datetime.now(UTC) - timedelta(minutes=45)  # made 45 minutes ago, pushed now
    rid = uuid.uuid4().hex
    r = cmd1.push(cmd1.mutation("report.submit", "situation_report", rid, {"remarks": "오프라인 작성"},
                                made_at=iso(made)))[0]
    assert r["status"] == "applied", r
    _, rows = api("seoul").snapshot_all()
    data = next(row for row in rows if row["id"] == rid)["data"]
    assert data["made_at"] == iso(made)
    assert data["received_at"] and datetime.fromisoformat(data["received_at"]) > made + timedelta(minutes=40)


def test_handovers_stay_in_their_office(server, world, api) -> None:
    op1, op2, cmd1, seoul = api("op1"), api("op2"), api("cmd1"), api("seoul")
    now = datetime.now(UTC)
    r = op1.push_one("handover.make", "handover", "H1", {
        "shift_from": iso(now - timedelta(hours=12)), "shift_until": iso(now), "notes": "인계 사항"})
    assert r["status"] == "applied", r
    assert _ids(op2, "handover") == set() and _ids(seoul, "handover") == {"H1"}
    r = op2.push_one("handover.take_over", "handover", "H1", {})
    assert (r["status"], r["error_code"]) == ("rejected", "not_found")
    r = cmd1.push_one("handover.take_over", "handover", "H1", {"note": "인수"})
    assert r["status"] == "applied", r
