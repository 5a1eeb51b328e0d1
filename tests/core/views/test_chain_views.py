"""The chain of command's read models over a real replica at fixed clocks: a station's prompt for
the 10:00 report, a province's board (submitted / due / overdue / late), the roll-up beside the
data now, directives waiting and acknowledged per office, and the handover's draft."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from synced import load, replica

from console.domain.clock import OPERATION_TZ, iso
from console.domain.records import RecordKind
from console.domain.reporting import SlotState
from console.domain.roles import Role
from console.protocol.schema import Row
from console.views.directives import directives_view, report_directives
from console.views.handover import handover_draft, handovers_view
from console.views.reporting import reporting_view, rollup

K = RecordKind
__all__ = ["replica"]


def kst(hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 6, 3, hour, minute, tzinfo=OPERATION_TZ)


def org(code: str, level: str, parent: str | None, path: str) -> Row:
    return Row(kind=K.ORG, id=code, version=1, org_path=path, data={
        "code": code, "level": level, "name_ko": f"{code} 관서", "name_en": f"{code} office",
        "parent_code": parent, "path": path, "jurisdiction": [], "personnel_total": 100,
        "personnel_on_duty": 60, "lat": 37.5, "lon": 127.0})


ORGS = [org("NPA", "national", None, "/NPA/"), org("SEOUL", "provincial", "NPA", "/NPA/SEOUL/"),
        org("S1", "station", "SEOUL", "/NPA/SEOUL/S1/"), org("S2", "station", "SEOUL", "/NPA/SEOUL/S2/")]
PATH = {str(r.data["code"]): r.org_path for r in ORGS}


def row(kind: RecordKind, rid: str, owner: str, data: dict[str, Any]) -> Row:
    return Row(kind=kind, id=rid, version=1, org_path=PATH[owner], data={"id": rid, **data})


SCHEDULE = row(K.REPORT_SCHEDULE, "SCH", "SEOUL", {
    "issuer_code": "SEOUL", "targets": ["S1", "S2"], "starts_at": iso(kst(6)), "ends_at": iso(kst(20)),
    "every_minutes": 60, "title": "선거일 매시 보고", "issued_by": "seoul", "issued_at": iso(kst(5))})


def report(rid: str, office: str, slot: datetime, made: datetime, open_incidents: int,
           replaces: str = "", version: int = 1) -> Row:
    return row(K.SITUATION_REPORT, rid, office, {
        "office_code": office, "made_at": iso(made), "made_by": f"cmd-{office}", "schedule_id": "SCH",
        "slot": iso(slot), "remarks": "이상 없음", "content": {"incidents_open": open_incidents},
        "replaces": replaces, "version": version})


def incident(rid: str, station: str, opened: datetime, status: str = "new") -> Row:
    return row(K.INCIDENT, rid, station, {
        "category": "disorder", "code": 2, "title": "투표소 소란", "title_en": "Disorder at a polling station",
        "station_code": station, "lat": 37.5, "lon": 127.0, "created_at": iso(opened),
        "created_by": "op1", "status": status,
        "timeline": [{"at": iso(opened), "by": "op1", "kind": "created", "text": "code 2 disorder",
                      "params": {"code": 2, "category": "disorder", "title": "투표소 소란"}}]})


DIRECTIVE = row(K.DIRECTIVE, "D1", "SEOUL", {
    "issuer_code": "SEOUL", "targets": ["S1", "S2"], "text": "투표소 순찰을 강화할 것",
    "text_en": "Step up patrols at polling stations", "priority": "urgent", "issued_by": "seoul",
    "issued_at": iso(kst(7)), "acks": {"S1": {"by": "cmd1", "at": iso(kst(7, 5))}}})


def test_a_station_is_prompted_for_the_10_oclock_report(replica) -> None:
    load(replica, [*ORGS, SCHEDULE, report("R9", "S1", kst(9), kst(9, 2), 1)])
    v = reporting_view(replica, "S1", PATH["S1"], Role.STATION_COMMANDER, kst(9, 49))
    # 9:00 submitted, 10:00 not yet due: the prompt is for the latest missed one
    assert v.prompt is not None and (v.prompt.at, v.prompt.state) == (kst(8), SlotState.OVERDUE)
    assert [(s.at.hour, s.state) for s in v.own] == [(6, SlotState.OVERDUE), (7, SlotState.OVERDUE),
                                                     (8, SlotState.OVERDUE), (9, SlotState.SUBMITTED)]
    v = reporting_view(replica, "S1", PATH["S1"], Role.STATION_COMMANDER, kst(9, 50))
    assert v.prompt is not None and v.prompt.at == kst(10) and v.prompt.state == SlotState.DUE
    assert v.next_change == kst(10, 10)  # the 10:00 report falls overdue then


def test_the_province_sees_its_stations_10_oclock_reports(replica) -> None:
    rows = [*ORGS, SCHEDULE, report("A", "S1", kst(10), kst(10, 3), 2)]
    load(replica, rows)
    v = reporting_view(replica, "SEOUL", PATH["SEOUL"], Role.PROVINCIAL_HQ, kst(10, 5))
    assert v.board_at == kst(10)
    assert {s.office.code: s.state for s in v.board} == {"S1": SlotState.SUBMITTED, "S2": SlotState.DUE}
    v = reporting_view(replica, "SEOUL", PATH["SEOUL"], Role.PROVINCIAL_HQ, kst(10, 30), board_at=kst(10))
    assert {s.office.code: s.state for s in v.board} == {"S1": SlotState.SUBMITTED, "S2": SlotState.OVERDUE}
    assert v.counts()[SlotState.OVERDUE] == 1
    # S2's report comes at 10:40 (late), S1 corrects its own: the correction stands, still on time
    load(replica, [*rows, report("B", "S2", kst(10), kst(10, 40), 0),
                   report("A2", "S1", kst(10), kst(10, 45), 3, replaces="A", version=2)])
    v = reporting_view(replica, "SEOUL", PATH["SEOUL"], Role.PROVINCIAL_HQ, kst(10, 50), board_at=kst(10))
    board = {s.office.code: s for s in v.board}
    assert board["S1"].state == SlotState.SUBMITTED and board["S1"].report is not None
    assert board["S1"].report.id == "A2"
    assert board["S2"].state == SlotState.LATE
    assert {r.id for r in v.reports} == {"A2", "B"}
    # the roll-up: what each submitted next to the data now (one open incident at S1 now)
    load(replica, [*rows, report("B", "S2", kst(10), kst(10, 40), 0),
                   report("A2", "S1", kst(10), kst(10, 45), 3, replaces="A", version=2),
                   incident("I1", "S1", kst(10, 20))])
    v = reporting_view(replica, "SEOUL", PATH["SEOUL"], Role.PROVINCIAL_HQ, kst(10, 50), board_at=kst(10))
    r = rollup(replica, v, author="seoul", made_at=kst(10, 50))
    by = {row.office.code: row for row in r.rows}
    assert (by["S1"].submitted["incidents_open"], by["S1"].now["incidents_open"]) == (3, 1)
    assert by["S1"].difference("incidents_open") == -2
    assert r.totals_submitted["incidents_open"] == 3 and r.totals_now["incidents_open"] == 1
    assert r.submitted == 2


def test_directives_wait_per_office_and_the_hq_sees_each_acknowledgement(replica) -> None:
    load(replica, [*ORGS, DIRECTIVE])
    s2 = directives_view(replica, "S2", PATH["S2"], Role.STATION_COMMANDER, kst(8))
    assert [d.id for d in s2.waiting] == ["D1"]
    s1 = directives_view(replica, "S1", PATH["S1"], Role.STATION_COMMANDER, kst(8))
    assert s1.waiting == () and [d.id for d in s1.standing] == ["D1"]
    hq = directives_view(replica, "SEOUL", PATH["SEOUL"], Role.PROVINCIAL_HQ, kst(8))
    [issued] = hq.issued
    assert [(o.code, a is not None) for o, a in issued.acks] == [("S2", False), ("S1", True)]
    assert issued.acknowledged == 1
    listed = report_directives([s1.standing[0]], "S1", kst(8))
    assert listed[0].text_in(False) == "Step up patrols at polling stations" and listed[0].acknowledged == 1


def test_every_situation_report_lists_the_directives_in_force_for_its_office(replica) -> None:
    """The console's File > Report, `sitroom report` and the scheduled draft all build the report
    with the one builder, which reads the directives itself: none of them can leave them out."""
    from console.views.sitrep import build_situation_report

    load(replica, [*ORGS, DIRECTIVE])
    at_eight = build_situation_report(replica, "S1", kst(8), author="cmd1", remarks="")
    assert [(d.id, d.text) for d in at_eight.directives] == [("D1", "투표소 순찰을 강화할 것")]
    before_it = build_situation_report(replica, "S1", kst(6, 30), author="cmd1", remarks="")
    assert before_it.directives == ()  # issued at 07:00: not yet in a 06:30 report


def test_the_handover_draft_at_18(replica) -> None:
    load(replica, [*ORGS, SCHEDULE, DIRECTIVE, incident("I1", "S1", kst(9, 30)),
                   incident("I0", "S1", kst(4), status="closed"),
                   report("R17", "S1", kst(17), kst(17, 4), 0)])
    draft = handover_draft(replica, "S1", PATH["S1"], Role.STATION_OPERATOR, kst(18))
    assert draft.shift_from == kst(6) and draft.shift_until == kst(18)  # 12 hours: no handover yet
    assert [(e.kind, e.source.value) for e in draft.log] == [
        ("directive_acknowledged", "audit"), ("created", "timeline"), ("report_submitted", "audit")]
    [inc] = draft.open_incidents
    assert (inc["id"], inc["owner"], inc["age_minutes"]) == ("I1", "op1", 510)
    assert [d["id"] for d in draft.directives] == ["D1"] and draft.directives[0]["acknowledged"] is True
    # 06:00-16:00 were missed, 17:00 reported, 18:00 is due, 19:00 comes next
    assert [(d["slot"], d["state"]) for d in draft.reports_due] == [
        *[(iso(kst(h)), "overdue") for h in range(6, 17)], (iso(kst(18)), "due"), (iso(kst(19)), "upcoming")]
    payload = draft.payload("2번 투표소 재점검 요망")
    assert payload["notes"] == "2번 투표소 재점검 요망" and len(payload["log"]) == 3
    handover = row(K.HANDOVER, "H1", "S1", {"office_code": "S1", "outgoing": "op1", "made_at": iso(kst(18)),
                                           **payload})
    load(replica, [*ORGS, handover])
    v = handovers_view(replica, "S1", kst(18, 1))
    assert v.pending is not None and v.pending.id == "H1"
    nxt = handover_draft(replica, "S1", PATH["S1"], Role.STATION_OPERATOR, kst(19))
    assert nxt.shift_from == kst(18)  # the next shift starts where this one was handed over
