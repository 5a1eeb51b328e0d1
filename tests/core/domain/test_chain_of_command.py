"""The chain of command's rules at fixed clocks: reporting slots, due / overdue / late, directives
waiting for acknowledgement, report corrections and handovers (who may do what)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from console.domain.clock import OPERATION_TZ, iso
from console.domain.directives import Directive, unacknowledged
from console.domain.errors import InvalidValue
from console.domain.mutations import MUTATIONS, MutationContext, apply_mutation
from console.domain.records import RecordKind, from_stored
from console.domain.reporting import (
    ReportSchedule,
    SituationReport,
    SlotState,
    report_for_slot,
    slot_state,
)
from console.domain.roles import Role, may

K = RecordKind


def kst(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 6, day, hour, minute, tzinfo=OPERATION_TZ)


def hourly() -> ReportSchedule:
    return ReportSchedule(id="sch", issuer_code="SEOUL", targets=["S1", "S2"],
                          starts_at=iso(kst(3, 6)), ends_at=iso(kst(3, 20)), every_minutes=60)


def ctx(actor: str, org: str, at: datetime, lookup: Any = None) -> MutationContext:
    return MutationContext(actor=actor, actor_org=org, at=iso(at), lookup=lookup)


def test_hourly_slots_on_election_day() -> None:
    s = hourly()
    slots = s.slots(kst(3, 9, 30), kst(3, 12, 0))
    assert slots == [kst(3, 10), kst(3, 11), kst(3, 12)]
    assert s.slots(kst(3, 19, 30), kst(4, 9)) == [kst(3, 20)]  # none after ends_at
    assert s.slots(kst(3, 0), kst(3, 6)) == [kst(3, 6)]  # the start is a slot
    assert s.next_slot(kst(3, 10, 0)) == kst(3, 11)


def test_twice_a_day_during_the_campaign_crosses_midnight_in_korean_time() -> None:
    s = ReportSchedule(id="c", issuer_code="SEOUL", targets=["S1"], starts_at=iso(kst(1, 0)),
                       times=["18:00", "09:00"])
    assert s.times == ["09:00", "18:00"]
    assert s.slots(kst(1, 12), kst(3, 10)) == [kst(1, 18), kst(2, 9), kst(2, 18), kst(3, 9)]
    s.cancelled = True
    assert s.slots(kst(1, 12), kst(3, 10)) == []


@pytest.mark.parametrize("now,submitted,state", [
    (kst(3, 9, 49), None, SlotState.UPCOMING),
    (kst(3, 9, 50), None, SlotState.DUE),  # prompted 10 minutes before
    (kst(3, 10, 9), None, SlotState.DUE),
    (kst(3, 10, 10), None, SlotState.OVERDUE),  # the 10-minute grace is over
    (kst(3, 10, 9), kst(3, 10, 2), SlotState.SUBMITTED),
    (kst(3, 11, 0), kst(3, 10, 10), SlotState.SUBMITTED),  # on the deadline counts
    (kst(3, 11, 0), kst(3, 10, 11), SlotState.LATE),
    (kst(3, 10, 5), kst(3, 10, 7), SlotState.DUE),  # made after the moment asked about
])
def test_the_state_of_the_10_oclock_report(now: datetime, submitted: datetime | None,
                                           state: SlotState) -> None:
    assert slot_state(kst(3, 10), hourly(), submitted, now) == state


def test_schedule_refuses_nonsense() -> None:
    with pytest.raises(InvalidValue, match="either times of day or an interval"):
        ReportSchedule(id="x", issuer_code="SEOUL", targets=["S1"], starts_at=iso(kst(3, 6)))
    with pytest.raises(InvalidValue, match="HH:MM"):
        ReportSchedule(id="x", issuer_code="SEOUL", targets=["S1"], starts_at=iso(kst(3, 6)),
                       times=["25:00"])
    with pytest.raises(InvalidValue, match="interval"):
        ReportSchedule(id="x", issuer_code="SEOUL", targets=["S1"], starts_at=iso(kst(3, 6)),
                       every_minutes=5)


def test_directive_waits_for_acknowledgement_most_pressing_first() -> None:
    d1 = Directive(id="d1", issuer_code="SEOUL", targets=["S1"], text="투표소 순찰 강화",
                   priority="routine", issued_at=iso(kst(3, 7)))
    d2 = Directive(id="d2", issuer_code="SEOUL", targets=["S1", "S2"], text="딥페이크 신고 즉시 보고",
                   priority="urgent", issued_at=iso(kst(3, 6)))
    assert [d.id for d in unacknowledged([d1, d2], "S1", kst(3, 8))] == ["d2", "d1"]
    assert unacknowledged([d1, d2], "S1", kst(3, 6, 30)) == [d2]  # d1 not issued yet
    data = apply_mutation("directive.acknowledge", K.DIRECTIVE, "d2", _plain(d2), {"org_code": "S1"},
                          ctx("cmd1", "S1", kst(3, 8)))
    acked = from_stored(K.DIRECTIVE, data)
    assert [d.id for d in unacknowledged([d1, acked], "S1", kst(3, 8))] == ["d1"]
    assert [d.id for d in unacknowledged([d1, acked], "S2", kst(3, 8))] == ["d2"]
    with pytest.raises(InvalidValue, match="not addressed to B1"):
        apply_mutation("directive.acknowledge", K.DIRECTIVE, "d2", _plain(d2), {"org_code": "B1"},
                       ctx("cmdb", "B1", kst(3, 8)))


def _plain(entity: Any) -> dict[str, Any]:
    from console.domain.records import to_data
    return to_data(entity)


def test_who_may_issue_acknowledge_submit_and_hand_over() -> None:
    assert may(Role.PROVINCIAL_HQ, "directive.issue") and may(Role.NATIONAL_HQ, "schedule.set")
    assert not may(Role.STATION_COMMANDER, "directive.issue")
    assert not may(Role.STATION_COMMANDER, "schedule.set")
    assert may(Role.STATION_COMMANDER, "directive.acknowledge")
    assert may(Role.STATION_COMMANDER, "report.submit")
    assert not may(Role.STATION_OPERATOR, "report.submit")
    assert may(Role.STATION_OPERATOR, "handover.make") and may(Role.STATION_OPERATOR, "handover.take_over")
    assert not may(Role.VIEWER, "handover.take_over")


def test_a_report_is_made_for_its_own_office_and_a_correction_is_a_new_version() -> None:
    schedule = hourly()
    rows: dict[tuple[RecordKind, str], dict[str, Any]] = {(K.REPORT_SCHEDULE, "sch"): _plain(schedule)}

    def lookup(kind: RecordKind, rid: str) -> dict[str, Any] | None:
        return rows.get((kind, rid))

    p = {"schedule_id": "sch", "slot": iso(kst(3, 10)), "remarks": "특이사항 없음",
         "content": {"incidents_open": 3}}
    first = apply_mutation("report.submit", K.SITUATION_REPORT, "r1", None, p,
                           ctx("cmd1", "S1", kst(3, 10, 3), lookup))
    assert (first["office_code"], first["made_at"], first["version"]) == ("S1", iso(kst(3, 10, 3)), 1)
    rows[(K.SITUATION_REPORT, "r1")] = first
    fix = apply_mutation("report.submit", K.SITUATION_REPORT, "r2", None,
                         {**p, "remarks": "정정: 사건 4건", "replaces": "r1"},
                         ctx("cmd1", "S1", kst(3, 10, 30), lookup))
    assert (fix["version"], fix["replaces"]) == (2, "r1")
    reports = [from_stored(K.SITUATION_REPORT, d) for d in (first, fix)]
    standing, first_made = report_for_slot(reports, "S1", "sch", kst(3, 10))
    assert standing is not None and standing.id == "r2"
    assert first_made == kst(3, 10, 3)  # the correction does not make the report late
    # another slot, another office's report, a schedule not for the office: refused
    with pytest.raises(InvalidValue, match="same scheduled time"):
        apply_mutation("report.submit", K.SITUATION_REPORT, "r3", None,
                       {**p, "slot": iso(kst(3, 11)), "replaces": "r1"}, ctx("cmd1", "S1", kst(3, 11), lookup))
    with pytest.raises(InvalidValue, match="office that made the report"):
        apply_mutation("report.submit", K.SITUATION_REPORT, "r4", None, {**p, "replaces": "r1"},
                       ctx("cmd2", "S2", kst(3, 11), lookup))
    with pytest.raises(InvalidValue, match="does not ask B1"):
        apply_mutation("report.submit", K.SITUATION_REPORT, "r5", None, p, ctx("cmdb", "B1", kst(3, 10), lookup))
    # a report cannot be changed: there is no mutation that edits one
    assert [k for k in MUTATIONS if k.startswith("report.")] == ["report.submit"]


def test_report_made_long_before_it_reached_the_server_keeps_its_time() -> None:
    c = MutationContext(actor="cmd1", actor_org="S1", at=iso(kst(3, 10, 2)), received_at=iso(kst(3, 10, 40)))
    data = apply_mutation("report.submit", K.SITUATION_REPORT, "r1", None, {"remarks": "offline"}, c)
    assert data["made_at"] == iso(kst(3, 10, 2)) and data["received_at"] == iso(kst(3, 10, 40))
    report: SituationReport = from_stored(K.SITUATION_REPORT, data)
    assert slot_state(kst(3, 10), hourly(), datetime.fromisoformat(report.made_at),
                      kst(3, 11)) == SlotState.SUBMITTED


def test_handover_is_taken_over_once_by_another_officer_of_the_office() -> None:
    h = apply_mutation("handover.make", K.HANDOVER, "h1", None, {
        "shift_from": iso(kst(3, 6)), "shift_until": iso(kst(3, 18)), "notes": "2번 투표소 재점검",
        "log": [{"at": iso(kst(3, 7)), "who": "op1", "what": "순찰 지시", "source": "free"}],
        "open_incidents": [{"id": "I1", "title": "소란", "owner": "op1"}]},
        ctx("op1", "S1", kst(3, 18)))
    assert h["outgoing"] == "op1" and h["log"][0]["what"] == "순찰 지시"
    with pytest.raises(InvalidValue, match="outgoing officer"):
        apply_mutation("handover.take_over", K.HANDOVER, "h1", h, {}, ctx("op1", "S1", kst(3, 18, 1)))
    with pytest.raises(InvalidValue, match="its own office"):
        apply_mutation("handover.take_over", K.HANDOVER, "h1", h, {}, ctx("op2", "S2", kst(3, 18, 1)))
    taken = apply_mutation("handover.take_over", K.HANDOVER, "h1", h, {"note": "인수 완료"},
                           ctx("cmd1", "S1", kst(3, 18, 5)))
    assert (taken["taken_over_by"], taken["taken_over_at"]) == ("cmd1", iso(kst(3, 18, 5)))
    with pytest.raises(InvalidValue, match="already taken over"):
        apply_mutation("handover.take_over", K.HANDOVER, "h1", taken, {}, ctx("op3", "S1", kst(3, 18, 6)))
    with pytest.raises(InvalidValue, match="ends after it starts"):
        apply_mutation("handover.make", K.HANDOVER, "h2", None,
                       {"shift_from": iso(kst(3, 18)), "shift_until": iso(kst(3, 6))}, ctx("op1", "S1", kst(3, 18)))
    with pytest.raises(InvalidValue, match="unknown log source"):
        apply_mutation("handover.make", K.HANDOVER, "h3", None, {
            "shift_from": iso(kst(3, 6)), "shift_until": iso(kst(3, 18)),
            "log": [{"at": iso(kst(3, 7)), "who": "op1", "what": "x", "source": "rumour"}]},
            ctx("op1", "S1", kst(3, 18)))


def test_slot_list_is_bounded() -> None:
    s = ReportSchedule(id="q", issuer_code="NPA", targets=["SEOUL"], starts_at=iso(kst(1, 0)),
                       every_minutes=15)
    assert len(s.slots(kst(1, 0), kst(1, 0) + timedelta(days=30))) == 500
