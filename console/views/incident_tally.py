"""Incidents counted for a report: opened, closed and open at a moment, by category and by 112
code; every code 0/1 with its status; the five major election crimes; cyber and deepfake cases
routed; and the significant events since a moment. Each incident is read by the queue's own rule
(`console.views.queue_index.item_from_row`), its age and overdue state by `views.incidents`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from console.domain.clock import time_or_none
from console.domain.duty import DutyLevel, DutyOrder
from console.domain.incidents import (
    MAJOR_ELECTION_CRIMES,
    ROUTED_TO_PROVINCIAL_CYBER,
    IncidentCategory,
    IncidentStatus,
    PriorityCode,
    TimelineKind,
    timeline_params,
)
from console.domain.records import RecordKind
from console.replica.reads import ReplicaReads
from console.views.incidents import incident_age, is_overdue
from console.views.queue_index import OPEN_VALUES, QueueItem, item_from_row

K = RecordKind
CATEGORIES: tuple[IncidentCategory, ...] = tuple(IncidentCategory)
CODES: tuple[PriorityCode, ...] = tuple(PriorityCode)
# The five in the order the police name them (금품, 허위사실, 공무원 개입, 폭력, 불법단체).
MAJOR_CRIMES: tuple[IncidentCategory, ...] = tuple(c for c in CATEGORIES if c in MAJOR_ELECTION_CRIMES)
CYBER: tuple[IncidentCategory, ...] = tuple(c for c in CATEGORIES if c in ROUTED_TO_PROVINCIAL_CYBER)


@dataclass(frozen=True)
class Tally:
    """Incidents opened and closed over the period, and open at its end."""

    opened: int = 0
    closed: int = 0
    open: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.opened + other.opened, self.closed + other.closed, self.open + other.open)


@dataclass(frozen=True)
class ReportIncident:
    """One incident as a report lists it."""

    id: str
    code: int
    category: str
    title: str
    title_en: str
    status: str
    station: str
    created_at: datetime
    age: timedelta
    overdue: bool
    escalated: bool
    routed_to: str | None

    def title_in(self, korean: bool) -> str:
        return self.title if korean or not self.title_en else self.title_en

    @property
    def open(self) -> bool:
        return self.status in OPEN_VALUES


@dataclass(frozen=True)
class IncidentFigures:
    period_start: datetime  # the operation day's 06:00 KST
    at: datetime
    total: Tally
    by_category: tuple[tuple[IncidentCategory, Tally], ...]  # every category, in the domain's order
    by_code: tuple[tuple[PriorityCode, Tally], ...]  # codes 0-4
    urgent: tuple[ReportIncident, ...]  # every code 0/1 opened in the period or still open; newest first
    cyber: tuple[ReportIncident, ...]  # deepfake and cyber cases opened in the period or still open

    def category(self, category: IncidentCategory) -> Tally:
        return dict(self.by_category)[category]

    def code(self, code: PriorityCode) -> Tally:
        return dict(self.by_code)[code]

    @property
    def major_crimes(self) -> tuple[tuple[IncidentCategory, Tally], ...]:
        return tuple((c, t) for c, t in self.by_category if c in MAJOR_ELECTION_CRIMES)

    @property
    def major_crimes_total(self) -> Tally:
        return sum((t for _c, t in self.major_crimes), Tally())

    @property
    def cyber_routed(self) -> int:
        """Deepfake and cyber cases handed to a provincial cyber investigation unit."""
        return sum(1 for i in self.cyber if i.routed_to)



def status_at(data: Mapping[str, Any], at: datetime) -> str:
    """The incident's status at `at`, from its timeline: its status now unless the timeline
    changed it after `at` (then the last change at or before `at`, else "new")."""
    current = str(data.get("status") or IncidentStatus.NEW.value)
    changes: list[tuple[datetime, str]] = []
    for entry in data.get("timeline") or ():
        if not isinstance(entry, Mapping):
            continue
        kind, when = entry.get("kind"), time_or_none(entry.get("at"))
        params = timeline_params(entry) or {}
        if when is None:
            continue
        if kind == TimelineKind.STATUS and params.get("to"):
            changes.append((when, str(params["to"])))
        elif kind == TimelineKind.REOPENED:
            changes.append((when, IncidentStatus.ACKNOWLEDGED.value))
    if not any(when > at for when, _s in changes):
        return current
    before = [c for c in changes if c[0] <= at]
    return max(before)[1] if before else IncidentStatus.NEW.value


@dataclass(frozen=True)
class _Read:
    item: QueueItem
    resolved_at: datetime | None
    escalated_at: datetime | None
    routed_to: str | None


def _read(replica: ReplicaReads, at: datetime) -> list[_Read]:
    """The incidents reported by `at` (a later one is not in a report as of `at`)."""
    out = []
    for row in replica.rows(K.INCIDENT):
        item = item_from_row(row.id, row.data, row.pending)
        if item is None or item.created_at > at:
            continue
        status = status_at(row.data, at)
        if status != item.status:  # the data has passed `at`: the incident as it stood then
            item = replace(item, status=status)
        routed = row.data.get("routed_to")
        out.append(_Read(item, time_or_none(row.data.get("resolved_at")),
                         time_or_none(row.data.get("escalated_at")), str(routed) if routed else None))
    return out


def _closed_in(r: _Read, start: datetime, at: datetime) -> bool:
    """Resolved or closed, and (where the row says when) within the period."""
    if _open_at(r, at):
        return False
    when = r.resolved_at or r.item.created_at
    return start <= when <= at


def _open_at(r: _Read, at: datetime) -> bool:
    """Open at `at` (its status then, see status_at), or resolved only after `at` when its
    timeline does not say."""
    return r.item.status in OPEN_VALUES or (r.resolved_at is not None and r.resolved_at > at)


def _report_incident(r: _Read, at: datetime) -> ReportIncident:
    i = r.item
    return ReportIncident(i.id, i.code, i.category, i.title, i.title_en, i.status, i.station,
                          i.created_at, incident_age(i.created_at, at),
                          is_overdue(i.status, i.code, i.created_at, at), i.escalated, r.routed_to)


def incident_figures(replica: ReplicaReads, start: datetime, at: datetime) -> IncidentFigures:
    """The incidents of `replica` over [start, at]: opened in it, closed in it, open at `at`."""
    reads = _read(replica, at)

    def tally(rs: Iterable[_Read]) -> Tally:
        rs = list(rs)
        return Tally(sum(1 for r in rs if r.item.created_at >= start),
                     sum(1 for r in rs if _closed_in(r, start, at)),
                     sum(1 for r in rs if _open_at(r, at)))

    by_category = tuple((c, tally(r for r in reads if r.item.category == c.value)) for c in CATEGORIES)
    by_code = tuple((c, tally(r for r in reads if r.item.code == int(c))) for c in CODES)
    listed = [r for r in reads if r.item.created_at >= start or _open_at(r, at)]
    newest = sorted(listed, key=lambda r: (-r.item.created, r.item.id))
    urgent = tuple(_report_incident(r, at) for r in newest if r.item.code <= int(PriorityCode.CODE_1))
    cyber = tuple(_report_incident(r, at) for r in newest
                  if r.item.category in {c.value for c in CYBER})
    return IncidentFigures(start, at, tally(reads), by_category, by_code, urgent, cyber)


# -- significant events ------------------------------------------------------------------------
class EventKind(StrEnum):
    URGENT_INCIDENT = "urgent_incident"  # a code 0/1 incident reported
    MAJOR_CRIME = "major_crime"  # one of the five major election crimes reported
    CYBER_ROUTED = "cyber_routed"  # a deepfake or cyber case (routed to the province)
    ESCALATED = "escalated"  # an incident not acknowledged in time, escalated
    DUTY_ORDER = "duty_order"  # a duty level came into force
    LATE_BOX = "late_box"  # a ballot box late now


@dataclass(frozen=True)
class SignificantEvent:
    at: datetime
    kind: EventKind
    ref: str  # the incident, order or route id
    code: int | None = None
    category: str = ""
    title: str = ""
    title_en: str = ""
    office: str = ""  # the station (incidents), the issuer (orders) or the route's station
    level: DutyLevel | None = None
    minutes_over: float = 0.0  # a late box: minutes past its planned arrival

    def title_in(self, korean: bool) -> str:
        return self.title if korean or not self.title_en else self.title_en


def _incident_event(i: QueueItem, at: datetime, kind: EventKind) -> SignificantEvent:
    return SignificantEvent(at, kind, i.id, code=i.code, category=i.category, title=i.title,
                            title_en=i.title_en, office=i.station)


def incident_events(replica: ReplicaReads, since: datetime, at: datetime) -> list[SignificantEvent]:
    """The incidents of note reported (or escalated) in (since, at]."""
    events: list[SignificantEvent] = []
    for r in _read(replica, at):
        i = r.item
        if since < i.created_at <= at:
            if i.code <= int(PriorityCode.CODE_1):
                events.append(_incident_event(i, i.created_at, EventKind.URGENT_INCIDENT))
            if i.category in {c.value for c in MAJOR_CRIMES}:
                events.append(_incident_event(i, i.created_at, EventKind.MAJOR_CRIME))
            if i.category in {c.value for c in CYBER}:
                events.append(_incident_event(i, i.created_at, EventKind.CYBER_ROUTED))
        if r.escalated_at is not None and since < r.escalated_at <= at:
            events.append(_incident_event(i, r.escalated_at, EventKind.ESCALATED))
    return events


def order_events(orders: Sequence[DutyOrder], covering: str, since: datetime,
                 at: datetime) -> list[SignificantEvent]:
    """Duty orders covering the office (or issued by it) that came into force in (since, at]."""
    events = []
    for o in orders:
        start = time_or_none(o.effective_from)
        if o.cancelled or start is None or not (since < start <= at):
            continue
        if o.covers(covering) or o.issuer_code == covering:
            events.append(SignificantEvent(start, EventKind.DUTY_ORDER, o.id, office=o.issuer_code,
                                           title=o.reason, title_en=o.reason_en, level=o.level))
    return events
