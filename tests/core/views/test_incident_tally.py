"""The report's incident counts at a moment: opened and closed on the operation day up to the
moment, open at the moment (one resolved later was still open then; one reported later is not
there yet), every code 0/1, the cyber cases with where they were routed, and the significant
events after `since`. Fixed clocks."""

from __future__ import annotations

from datetime import timedelta

from synced import load

from console.domain.clock import iso, operation_day
from console.domain.duty import DutyLevel
from console.domain.incidents import IncidentCategory, PriorityCode
from console.domain.records import RecordKind
from console.domain.samples import SAMPLE_NOW
from console.protocol.schema import Row
from console.replica import Replica
from console.views.duty import read_orders
from console.views.incident_tally import EventKind, incident_events, incident_figures, order_events, status_at

AT = SAMPLE_NOW  # 10:20 KST on election day
START = operation_day(AT).start  # 06:00 KST
PATH = "/NPA/SEOUL/S11110/"


def incident(id: str, minutes_before: float, category: str, code: int, status: str = "new",
             resolved_minutes_before: float | None = None, **extra: object) -> Row:
    data: dict[str, object] = {
        "id": id, "category": category, "code": code, "title": f"{category} {id}", "station_code": "S11110",
        "lat": 37.57, "lon": 126.98, "created_at": iso(AT - timedelta(minutes=minutes_before)),
        "created_by": "op", "status": status, **extra}
    if resolved_minutes_before is not None:
        data["resolved_at"] = iso(AT - timedelta(minutes=resolved_minutes_before))
    return Row(kind=RecordKind.INCIDENT, id=id, version=1, org_path=PATH, data=data)


ROWS = [
    incident("A", 30, "bribery", 2),  # open
    incident("B", 60, "election_violence", 1, "resolved", resolved_minutes_before=20),  # closed today
    incident("C", 50, "violence", 0, "closed", resolved_minutes_before=-10),  # resolved after AT: open at AT
    incident("D", -5, "disorder", 1),  # reported after AT: not in the report
    incident("E", 60 * 6, "deepfake", 2, "acknowledged", routed_to="SEOUL"),  # 04:20: yesterday's, open
    incident("F", 10, "cyber_attack", 3, escalated=True, escalated_at=iso(AT - timedelta(minutes=5)),
             routed_to="SEOUL"),
    incident("G", 70, "false_information", 3, "resolved", resolved_minutes_before=65),
]


def test_counts_at_a_moment(replica: Replica) -> None:
    load(replica, ROWS)
    figures = incident_figures(replica, START, AT)
    assert (figures.total.opened, figures.total.closed, figures.total.open) == (5, 2, 4)
    assert figures.category(IncidentCategory.VIOLENCE).open == 1  # C: closed only after AT
    assert figures.category(IncidentCategory.VIOLENCE).closed == 0
    assert figures.category(IncidentCategory.DISORDER).opened == 0  # D: after AT
    assert figures.code(PriorityCode.CODE_1).opened == 1 and figures.code(PriorityCode.CODE_1).closed == 1
    assert figures.category(IncidentCategory.DEEPFAKE).opened == 0  # E: reported yesterday (04:20) ...
    assert figures.category(IncidentCategory.DEEPFAKE).open == 1  # ... and still open
    assert figures.major_crimes_total == figures.category(IncidentCategory.BRIBERY) + figures.category(
        IncidentCategory.ELECTION_VIOLENCE) + figures.category(IncidentCategory.FALSE_INFORMATION)
    assert (figures.major_crimes_total.opened, figures.major_crimes_total.closed) == (3, 2)


def test_code_0_1_and_cyber_cases(replica: Replica) -> None:
    load(replica, ROWS)
    figures = incident_figures(replica, START, AT)
    assert [i.id for i in figures.urgent] == ["C", "B"]  # newest first; D not yet reported
    c = figures.urgent[0]
    assert c.age == timedelta(minutes=50) and not c.overdue  # closed: never overdue
    assert [(i.id, i.routed_to) for i in figures.cyber] == [("F", "SEOUL"), ("E", "SEOUL")]
    assert figures.cyber_routed == 2


def test_significant_events_after_since(replica: Replica) -> None:
    load(replica, ROWS)
    since = AT - timedelta(minutes=55)
    events = incident_events(replica, since, AT)
    kinds = sorted((e.ref, e.kind) for e in events)
    assert kinds == [("A", EventKind.MAJOR_CRIME), ("C", EventKind.URGENT_INCIDENT),
                     ("F", EventKind.CYBER_ROUTED), ("F", EventKind.ESCALATED)]
    escalated = next(e for e in events if e.kind == EventKind.ESCALATED)
    assert escalated.at == AT - timedelta(minutes=5)


def test_duty_orders_in_force_since(replica: Replica) -> None:
    order = {"id": "DO-1", "level": DutyLevel.LEVEL_A.value, "issuer_code": "NPA", "targets": ["S11110"],
             "effective_from": iso(START), "reason": "선거일 갑호비상", "issued_at": iso(START - timedelta(hours=1))}
    load(replica, [Row(kind=RecordKind.DUTY_ORDER, id="DO-1", version=1, org_path="/NPA/", data=order)])
    orders = read_orders(replica)
    assert [e.level for e in order_events(orders, "S11110", START - timedelta(minutes=1), AT)] == [DutyLevel.LEVEL_A]
    assert order_events(orders, "S11110", START, AT) == []  # came into force at `since`, not after
    assert order_events(orders, "S26110", START - timedelta(minutes=1), AT) == []  # not covered


def test_status_at_a_moment_from_the_timeline(replica: Replica) -> None:
    def change(minutes_before: float, to: str) -> dict[str, object]:
        return {"at": iso(AT - timedelta(minutes=minutes_before)), "by": "op", "kind": "status",
                "text": to, "params": {"to": to}}

    timeline = [{"at": iso(AT - timedelta(minutes=80)), "by": "op", "kind": "created", "text": "",
                 "params": {}}, change(70, "acknowledged"), change(-10, "resolved")]
    later = incident("H", 80, "violence", 1, "resolved", resolved_minutes_before=-10, timeline=timeline)
    reopened = incident("I", 90, "protest", 2, "acknowledged", timeline=[
        change(85, "acknowledged"), change(40, "resolved"),
        {"at": iso(AT - timedelta(minutes=5)), "by": "op", "kind": "reopened", "text": "again",
         "params": {"reason": "again"}}])
    load(replica, [later, reopened])
    assert status_at(later.data, AT) == "acknowledged"  # resolved only after AT
    assert status_at(later.data, AT - timedelta(minutes=75)) == "new"
    assert status_at(later.data, AT + timedelta(minutes=20)) == "resolved"
    assert status_at(reopened.data, AT) == "acknowledged"
    assert status_at(reopened.data, AT - timedelta(minutes=20)) == "resolved"
    figures = incident_figures(replica, START, AT)
    assert {i.id: i.status for i in figures.urgent} == {"H": "acknowledged"}
    assert (figures.total.opened, figures.total.closed, figures.total.open) == (2, 0, 2)
    earlier = incident_figures(replica, START, AT - timedelta(minutes=20))
    assert (earlier.total.closed, earlier.total.open) == (1, 1)  # I resolved 40 min before AT
