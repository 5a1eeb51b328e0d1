"""The chain of command in the demo: each HQ sets the reporting schedule of the offices below at
the start of the day (hourly on election day, 09:00 and 18:00 on the early-voting days), issues a
directive in the morning, and the simulated offices acknowledge it and submit their reports on
schedule (a few late, a very few not at all). The demo's own station is left to its user once they
take its room over, as the simulator does with its calls.

The simulator calls `plan_chain(simulator, origin)` from `Simulator.plan` (after the duty orders)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from console.domain.clock import OPERATION_TZ, iso
from console.domain.records import RecordKind as K

# How the simulated offices keep their schedule.
LATE_SHARE = 0.05  # a report made after the grace
MISSED_SHARE = 0.015  # a report never made
ACK_LATE_SHARE = 0.05

ELECTION_DIRECTIVE = (
    "투표소 주변 순찰을 강화하고, 투표 방해·금품 제공 등 이상 징후는 즉시 상황실에 보고할 것",
    "Step up patrols around polling stations; report any obstruction of voting or vote buying "
    "to the situation room at once",
)
EARLY_DIRECTIVE = (
    "사전투표소 질서 유지에 만전을 기하고, 딥페이크 등 허위사실 유포 신고는 사이버수사대에 즉시 이관할 것",
    "Keep order at the early-voting stations; hand reports of deepfakes and false information to "
    "the cyber investigation unit at once",
)
NATIONAL_DIRECTIVE = (
    "각 시도청은 투표함 회송 경비 계획을 재점검하고 결과를 보고할 것",
    "Every provincial agency is to recheck its ballot-box escort plan and report the result",
)
REMARKS = ("관내 특이사항 없음", "관내 112 신고 처리 중, 특이사항 없음", "투표소 주변 순찰 강화 중",
           "경력 배치 완료, 이상 없음")


class ChainSimulator(Protocol):
    """What of the demo's simulator this module uses."""

    rng: random.Random
    sc: Any  # console.demo.scenario.Scenario

    def at(self, when: datetime, action: Callable[[], None]) -> None: ...
    def _submit(self, username: str, kind: str, record_kind: K, record_id: str,
                payload: dict[str, Any], at: datetime) -> None: ...
    def _simulated(self, station: str, when: datetime) -> bool: ...


def _kst(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), OPERATION_TZ)


def _user(code: str) -> str:
    return "sim-hq" if code == "NPA" else f"sim-{code.lower()}"


def _times(day: date, election: bool) -> tuple[dict[str, Any], list[datetime]]:
    """The schedule a province sets for its stations, and its scheduled times."""
    if election:
        start, end = _kst(day, 6), _kst(day, 20)
        return ({"starts_at": iso(start), "ends_at": iso(end), "every_minutes": 60,
                 "title": "선거일 매시 상황보고"},
                [start + timedelta(hours=h) for h in range(15)])
    return ({"starts_at": iso(_kst(day, 0)), "ends_at": iso(_kst(day, 23, 59)), "times": ["09:00", "18:00"],
             "title": "사전투표일 정기 상황보고 (09:00·18:00)"}, [_kst(day, 9), _kst(day, 18)])


class IncidentTally:
    """The incidents the simulator made and handled, per station, as a simulated office would
    count them for its report (its own calls: a change made by a console or the escalator is not
    seen here, so a report's figures may differ a little from the data, as a real one may)."""

    def __init__(self) -> None:
        self.station_of: dict[str, str] = {}
        self.urgent: set[str] = set()
        self.opened: dict[str, int] = {}
        self.closed: dict[str, int] = {}
        self.open: dict[str, set[str]] = {}

    def see(self, kind: str, record_id: str, payload: dict[str, Any]) -> None:
        if kind == "incident.create":
            station = str(payload.get("station_code"))
            self.station_of[record_id] = station
            self.opened[station] = self.opened.get(station, 0) + 1
            self.open.setdefault(station, set()).add(record_id)
            if payload.get("code") in (0, 1):
                self.urgent.add(record_id)
        elif kind == "incident.transition" and payload.get("to") in ("resolved", "closed"):
            owner = self.station_of.get(record_id)
            if owner is not None and record_id in self.open.get(owner, set()):
                self.open[owner].discard(record_id)
                self.closed[owner] = self.closed.get(owner, 0) + 1

    def content(self, station: str) -> dict[str, Any]:
        still = self.open.get(station, set())
        return {"incidents_opened": self.opened.get(station, 0),
                "incidents_closed": self.closed.get(station, 0),
                "incidents_open": len(still), "urgent": len(still & self.urgent)}


def _watch(sim: ChainSimulator) -> IncidentTally:
    """Count the simulator's incident mutations as they are made (its _submit, wrapped)."""
    tally = IncidentTally()
    submit = sim._submit

    def counting(username: str, kind: str, record_kind: K, record_id: str, payload: dict[str, Any],
                 at: datetime) -> None:
        tally.see(kind, record_id, payload)
        submit(username, kind, record_kind, record_id, payload, at)

    setattr(sim, "_submit", counting)  # noqa: B010 - an instance's method, wrapped
    return tally


def plan_chain(sim: ChainSimulator, origin: datetime) -> None:
    """Schedule the day's chain of command from `origin` (the simulator's plan start)."""
    tally = _watch(sim)
    day_ = sim.sc.day
    day: date = day_.calendar_date
    election = not day_.early_voting
    seed = sim.sc.seed
    national = "NPA"
    provinces = [p.code for p in sim.sc.provinces]
    set_at = max(origin, _kst(day, 5, 30))

    def schedule(issuer: str, targets: list[str], payload: dict[str, Any], rid: str) -> Callable[[], None]:
        return lambda: sim._submit(_user(issuer), "schedule.set", K.REPORT_SCHEDULE, rid,
                                   {**payload, "targets": targets, "grace_minutes": 10}, set_at)

    # National HQ: the provinces report at 09:00, 12:00, 15:00 and 18:00.
    hq_times = [_kst(day, h) for h in (9, 12, 15, 18)]
    hq_id = f"sch-{day_.value}-{seed}-NPA"
    sim.at(set_at, schedule(national, provinces, {
        "starts_at": iso(_kst(day, 0)), "ends_at": iso(_kst(day, 23, 59)),
        "times": ["09:00", "12:00", "15:00", "18:00"], "title": "시도청 정기 상황보고"}, hq_id))
    for p in provinces:
        for slot in hq_times:
            _plan_report(sim, p, hq_id, slot, origin)

    text, text_en = ELECTION_DIRECTIVE if election else EARLY_DIRECTIVE
    directive_at = max(origin, _kst(day, 7, 30))
    hq_directive = f"dir-{day_.value}-{seed}-NPA"
    sim.at(directive_at, lambda: sim._submit("sim-hq", "directive.issue", K.DIRECTIVE, hq_directive, {
        "targets": provinces, "text": NATIONAL_DIRECTIVE[0], "text_en": NATIONAL_DIRECTIVE[1],
        "priority": "important"}, directive_at))
    for p in provinces:
        _plan_ack(sim, hq_directive, p, directive_at)
        stations = [s.code for s in sim.sc.stations if s.parent_code == p]
        payload, slots = _times(day, election)
        rid = f"sch-{day_.value}-{seed}-{p}"
        sim.at(set_at, schedule(p, stations, payload, rid))
        issued = max(origin, _kst(day, 8) + timedelta(minutes=sim.rng.uniform(0, 10)))
        did = f"dir-{day_.value}-{seed}-{p}"
        sim.at(issued, _issue(sim, p, did, stations, text, text_en, issued))
        for s in stations:
            _plan_ack(sim, did, s, issued)
            for slot in slots:
                _plan_report(sim, s, rid, slot, origin, tally)


def _issue(sim: ChainSimulator, province: str, did: str, stations: list[str], text: str, text_en: str,
           at: datetime) -> Callable[[], None]:
    return lambda: sim._submit(_user(province), "directive.issue", K.DIRECTIVE, did, {
        "targets": stations, "text": text, "text_en": text_en, "priority": "urgent"}, at)


def _plan_ack(sim: ChainSimulator, did: str, code: str, issued: datetime) -> None:
    late = sim.rng.random() < ACK_LATE_SHARE
    when = issued + timedelta(minutes=sim.rng.uniform(40, 90) if late else sim.rng.uniform(1, 25))
    if not sim._simulated(code, when):
        return  # the demo user acknowledges their own station's directive
    sim.at(when, lambda: sim._submit(_user(code), "directive.acknowledge", K.DIRECTIVE, did,
                                     {"org_code": code}, when))


def _plan_report(sim: ChainSimulator, office: str, schedule_id: str, slot: datetime,
                 origin: datetime, tally: IncidentTally | None = None) -> None:
    roll = sim.rng.random()
    if roll < MISSED_SHARE:
        return
    if roll < MISSED_SHARE + LATE_SHARE:
        when = slot + timedelta(minutes=sim.rng.uniform(12, 40))
    else:
        when = slot + timedelta(minutes=sim.rng.uniform(-6, 8))
    when = max(when, origin)
    if not sim._simulated(office, when):
        return  # the demo user reports for their own station
    remarks = REMARKS[sim.rng.randrange(len(REMARKS))]
    rid = f"rep-{schedule_id}-{office}-{slot.strftime('%H%M')}"

    def submit() -> None:
        # The figures as the office counts them when it makes the report.
        content = tally.content(office) if tally is not None else {}
        sim._submit(_user(office), "report.submit", K.SITUATION_REPORT, rid, {
            "schedule_id": schedule_id, "slot": iso(slot), "remarks": remarks, "content": content}, when)

    sim.at(when, submit)
