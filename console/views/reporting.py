"""Scheduled reporting's figures: for an office, its scheduled times today and the one it is
prompted for; for an HQ, each office below at a scheduled time (submitted / due / overdue / late)
and the roll-up of what they submitted next to what the data says now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from console.domain.clock import in_operation_zone, operation_day, parse_time
from console.domain.errors import DomainError
from console.domain.records import RecordKind, from_stored
from console.domain.reporting import (
    PROMPT_LEAD,
    ReportSchedule,
    SituationReport,
    SlotState,
    report_for_slot,
    slot_state,
)
from console.domain.roles import Role, is_hq
from console.replica.reads import ReplicaReads
from console.views import sitrep
from console.views.directives import read_offices
from console.views.duty import Office
from console.views.scoped_reads import ScopedReads

K = RecordKind

# The figures a submitted report carries (SituationReport.content) and a roll-up compares, in
# the order a roll-up lists them.
FIGURES = ("on_duty", "required", "incidents_opened", "incidents_closed", "incidents_open", "urgent",
           "major_crimes_open", "cyber_routed", "sites", "sites_short", "sites_closed",
           "boxes_departed", "boxes_arrived", "boxes_late", "events")


def report_content(report: sitrep.SituationReport) -> dict[str, Any]:
    """The figures of a report as a submitted record keeps them (plain JSON)."""
    inc = report.incidents
    sites, boxes = report.sites.all, report.boxes
    return {
        "level": report.level.value if report.level else None,
        "on_duty": report.staffing.on_duty, "required": report.staffing.required,
        "incidents_opened": inc.total.opened, "incidents_closed": inc.total.closed,
        "incidents_open": inc.total.open, "urgent": len(inc.urgent),
        "major_crimes_open": inc.major_crimes_total.open, "cyber_routed": inc.cyber_routed,
        "sites": sites.sites, "sites_short": sites.short_sites, "sites_closed": sites.closed_sites,
        "boxes_departed": boxes.departed, "boxes_arrived": boxes.arrived, "boxes_late": boxes.late,
        "events": len(report.events),
        "directives": [d.id for d in report.directives],
        "as_of": report.at.isoformat(),
    }


def read_schedules(reads: ReplicaReads) -> list[ReportSchedule]:
    return _read(reads, K.REPORT_SCHEDULE)


def read_reports(reads: ReplicaReads) -> list[SituationReport]:
    return _read(reads, K.SITUATION_REPORT)


def _read(reads: ReplicaReads, kind: RecordKind) -> list[Any]:
    found = []
    for row in reads.rows(kind):
        try:
            found.append(from_stored(kind, dict(row.data)))
        except DomainError:
            continue
    return found


@dataclass(frozen=True)
class Slot:
    """One scheduled time of one office."""

    schedule: ReportSchedule
    at: datetime  # KST
    office: Office
    state: SlotState
    report: SituationReport | None  # the standing version, if submitted
    first_made: datetime | None  # when its first version was made

    @property
    def deadline(self) -> datetime:
        return self.at + self.schedule.grace

    @property
    def open(self) -> bool:
        """Still to be reported (due or overdue)."""
        return self.state in (SlotState.DUE, SlotState.OVERDUE)


@dataclass(frozen=True)
class ReportingView:
    now: datetime
    office: Office | None
    hq: bool
    own: tuple[Slot, ...]  # this office's scheduled times today, oldest first
    prompt: Slot | None  # the one to report now (due, else the latest overdue)
    issued: tuple[ReportSchedule, ...]  # HQ: the schedules it set, not cancelled
    times: tuple[datetime, ...]  # HQ: the scheduled times of its schedules today
    board: tuple[Slot, ...]  # HQ: each office below at `board_at`
    board_at: datetime | None
    reports: tuple[SituationReport, ...]  # every standing report in view, newest first
    offices: dict[str, Office]
    next_change: datetime | None  # when a state shown here next changes with time

    def office_name(self, code: str, korean: bool) -> str:
        office = self.offices.get(code)
        return office.name(korean) if office else code

    def counts(self) -> dict[SlotState, int]:
        out = {s: 0 for s in SlotState}
        for slot in self.board:
            out[slot.state] += 1
        return out


def _slots_today(schedule: ReportSchedule, now: datetime) -> list[datetime]:
    day = operation_day(now)
    return [in_operation_zone(t) for t in schedule.slots(day.start - timedelta(microseconds=1),
                                                         max(now + PROMPT_LEAD, day.start))]


def _slot(schedule: ReportSchedule, at: datetime, office: Office, reports: list[SituationReport],
          now: datetime) -> Slot:
    report, first = report_for_slot(reports, office.code, schedule.id, at)
    return Slot(schedule, at, office, slot_state(at, schedule, first, now), report, first)


def reporting_view(reads: ReplicaReads, office_code: str, office_path: str, role: Role | str,
                   now: datetime, board_at: datetime | None = None) -> ReportingView:
    """Call on the database worker. `board_at`: the scheduled time an HQ's board shows (default:
    the latest one that has come due)."""
    now = in_operation_zone(now)
    offices = read_offices(reads)
    schedules = [s for s in read_schedules(reads) if not s.cancelled]
    reports = read_reports(reads)
    me = offices.get(office_code)
    own: list[Slot] = []
    if me is not None:
        for s in schedules:
            if s.covers(office_code):
                own += [_slot(s, t, me, reports, now) for t in _slots_today(s, now)]
    own.sort(key=lambda sl: (sl.at, sl.schedule.id))
    # The time due now; else the latest one missed (it may still be reported, late).
    due = [sl for sl in own if sl.state == SlotState.DUE]
    overdue = [sl for sl in own if sl.state == SlotState.OVERDUE]
    prompt = due[0] if due else (overdue[-1] if overdue else None)

    hq = is_hq(role)
    issued = tuple(s for s in schedules if s.issuer_code == office_code) if hq else ()
    times = sorted({t for s in issued for t in _slots_today(s, now)})
    board: list[Slot] = []
    if hq and times:
        shown = board_at if board_at is not None and board_at in times else None
        if shown is None:
            came = [t for t in times if t - PROMPT_LEAD <= now]
            shown = came[-1] if came else times[0]
        board_at = shown
        for s in issued:
            if shown not in _slots_today(s, now):
                continue
            for code in s.targets:
                office = offices.get(code) or Office(code, code, code, "", "", None, 0, 0)
                board.append(_slot(s, shown, office, reports, now))
        order = {SlotState.OVERDUE: 0, SlotState.DUE: 1, SlotState.LATE: 2, SlotState.SUBMITTED: 3,
                 SlotState.UPCOMING: 4}
        board.sort(key=lambda sl: (order[sl.state], sl.office.code))
    else:
        board_at = None

    standing = sorted({r.id: r for r in reports if r.id not in {x.replaces for x in reports}}.values(),
                      key=lambda r: r.made_at, reverse=True)
    return ReportingView(now, me, hq, tuple(own), prompt, issued, tuple(times), tuple(board), board_at,
                         tuple(standing), offices, _next_change(own + board, schedules, now))


def _next_change(slots: list[Slot], schedules: list[ReportSchedule], now: datetime) -> datetime | None:
    moments = [m for sl in slots for m in (sl.at - PROMPT_LEAD, sl.deadline) if m > now]
    moments += [n - PROMPT_LEAD for s in schedules if (n := s.next_slot(now)) is not None]
    return min((m for m in moments if m > now), default=None)


# -- the roll-up -----------------------------------------------------------------------------
@dataclass(frozen=True)
class RollupRow:
    office: Office
    state: SlotState
    report: SituationReport | None
    submitted: dict[str, Any]  # the figures as submitted ({} if none)
    now: dict[str, Any]  # the figures the data gives now for the office

    def difference(self, figure: str) -> int | None:
        a, b = self.submitted.get(figure), self.now.get(figure)
        if not isinstance(a, int) or not isinstance(b, int):
            return None
        return b - a


@dataclass(frozen=True)
class Rollup:
    """The offices below at one scheduled time: what each submitted, next to the data now."""

    issuer: Office
    slot: datetime
    made_at: datetime
    author: str
    rows: tuple[RollupRow, ...]
    totals_submitted: dict[str, int]
    totals_now: dict[str, int]

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.rows if r.report is not None)


def rollup(reads: ReplicaReads, view: ReportingView, *, author: str, made_at: datetime) -> Rollup:
    """The roll-up of `view`'s board (call on the database worker): each office's report for
    the scheduled time, and the office's figures now from the same read models the panels use."""
    if view.office is None or view.board_at is None:
        raise sitrep.ReportError("no scheduled time to roll up")
    rows = []
    for slot in sorted(view.board, key=lambda s: s.office.code):
        try:
            # The office's own scope: the HQ's replica holds every office below.
            scoped = ScopedReads(reads, slot.office.path) if slot.office.path else reads
            now_figures = report_content(sitrep.build_situation_report(
                scoped, slot.office.code, view.now, author=author, remarks=""))
        except DomainError:
            now_figures = {}
        submitted = dict(slot.report.content) if slot.report is not None else {}
        rows.append(RollupRow(slot.office, slot.state, slot.report, submitted, now_figures))
    return Rollup(view.office, view.board_at, in_operation_zone(made_at), author, tuple(rows),
                  _totals(r.submitted for r in rows), _totals(r.now for r in rows))


def _totals(figures: Any) -> dict[str, int]:
    out = {f: 0 for f in FIGURES}
    for fig in figures:
        for f in FIGURES:
            v = fig.get(f)
            if isinstance(v, int) and not isinstance(v, bool):
                out[f] += v
    return out


def made_at(report: SituationReport) -> datetime:
    return in_operation_zone(parse_time(report.made_at))
