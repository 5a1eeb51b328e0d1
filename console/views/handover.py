"""The shift handover's figures: the draft an outgoing duty officer hands over (the activity log
of the shift from incidents' timelines and the office's own acts, the open incidents with owner
and age, orders and directives in force, reports due) and the office's handovers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from console.domain.clock import in_operation_zone, iso, parse_time, time_or_none
from console.domain.directives import in_force_for
from console.domain.duty import level_in_force
from console.domain.errors import DomainError
from console.domain.handovers import ActivityEntry, ActivityKind, Handover, LogSource
from console.domain.incidents import OPEN_STATUSES, Incident
from console.domain.records import RecordKind, from_stored, to_data
from console.domain.reporting import SlotState
from console.domain.roles import Role
from console.replica.reads import ReplicaReads
from console.views.directives import read_directives
from console.views.duty import read_orders
from console.views.reporting import read_reports, read_schedules, reporting_view

K = RecordKind
DEFAULT_SHIFT = timedelta(hours=12)
MAX_LOG = 500


@dataclass(frozen=True)
class HandoverDraft:
    """What a handover made now would hold (the payload of handover.make, less the notes)."""

    office_code: str
    shift_from: datetime
    shift_until: datetime
    log: tuple[ActivityEntry, ...]  # oldest first
    open_incidents: tuple[dict[str, Any], ...]  # oldest first
    orders: tuple[dict[str, Any], ...]
    directives: tuple[dict[str, Any], ...]
    reports_due: tuple[dict[str, Any], ...]

    def payload(self, notes: str, free: tuple[ActivityEntry, ...] = ()) -> dict[str, Any]:
        entries = sorted([*self.log, *free], key=lambda e: parse_time(e.at))[-MAX_LOG:]
        return {"shift_from": iso(self.shift_from), "shift_until": iso(self.shift_until),
                "log": [to_data(e) for e in entries], "open_incidents": list(self.open_incidents),
                "orders": list(self.orders), "directives": list(self.directives),
                "reports_due": list(self.reports_due), "notes": notes}


def read_handovers(reads: ReplicaReads) -> list[Handover]:
    found = []
    for row in reads.rows(K.HANDOVER):
        try:
            found.append(from_stored(K.HANDOVER, dict(row.data)))
        except DomainError:
            continue
    return found



def shift_start(handovers: list[Handover], office_code: str, now: datetime) -> datetime:
    """The shift began when the last handover of the office was taken over (else made); with no
    handover, DEFAULT_SHIFT ago."""
    times = [t for h in handovers if h.office_code == office_code
             for t in (time_or_none(h.taken_over_at) or time_or_none(h.made_at),)
             if t is not None and t <= now]
    return max(times) if times else now - DEFAULT_SHIFT


def _incidents(reads: ReplicaReads, scope: str) -> list[Incident]:
    out = []
    for row in reads.rows(K.INCIDENT):
        if not row.org_path.startswith(scope):
            continue
        try:
            out.append(from_stored(K.INCIDENT, dict(row.data)))
        except DomainError:
            continue
    return out


def handover_draft(reads: ReplicaReads, office_code: str, office_path: str, role: Role | str,
                   now: datetime) -> HandoverDraft:
    """The handover of the shift ending `now`. Call on the database worker."""
    now = in_operation_zone(now)
    start = in_operation_zone(shift_start(read_handovers(reads), office_code, now))
    log: list[ActivityEntry] = []
    incidents = _incidents(reads, office_path)
    for inc in incidents:
        for e in inc.timeline:
            at = time_or_none(e.at)
            if at is not None and start < at <= now:
                log.append(ActivityEntry(at=e.at, who=e.by, what=f"{inc.title}: {e.text}",
                                         source=LogSource.TIMELINE, ref=f"incident:{inc.id}",
                                         kind=e.kind, params={**(e.params or {}), "incident": inc.title,
                                                              "incident_en": inc.title_en}))
    orders = read_orders(reads)
    for o in orders:
        ack = o.acks.get(office_code)
        if ack is not None and (at := time_or_none(ack.at)) is not None and start < at <= now:
            log.append(ActivityEntry(ack.at, ack.by, f"duty order {o.level.value} acknowledged",
                                     LogSource.AUDIT, f"duty_order:{o.id}",
                                     ActivityKind.ORDER_ACKNOWLEDGED.value, {"level": o.level.value}))
    directives = read_directives(reads)
    for d in directives:
        ack = d.acks.get(office_code)
        if ack is not None and (at := time_or_none(ack.at)) is not None and start < at <= now:
            log.append(ActivityEntry(ack.at, ack.by, f"directive acknowledged: {d.text}", LogSource.AUDIT,
                                     f"directive:{d.id}", ActivityKind.DIRECTIVE_ACKNOWLEDGED.value,
                                     {"text": d.text, "text_en": d.text_en}))
        at = time_or_none(d.issued_at)
        if d.issuer_code == office_code and at is not None and start < at <= now:
            log.append(ActivityEntry(d.issued_at, d.issued_by, f"directive issued: {d.text}",
                                     LogSource.AUDIT, f"directive:{d.id}",
                                     ActivityKind.DIRECTIVE_ISSUED.value,
                                     {"text": d.text, "text_en": d.text_en, "targets": len(d.targets)}))
    for r in read_reports(reads):
        if r.office_code == office_code and (at := time_or_none(r.made_at)) is not None and start < at <= now:
            log.append(ActivityEntry(r.made_at, r.made_by, f"report submitted (version {r.version})",
                                     LogSource.AUDIT, f"situation_report:{r.id}",
                                     ActivityKind.REPORT_SUBMITTED.value,
                                     {"slot": r.slot, "version": r.version}))
    log.sort(key=lambda e: (parse_time(e.at), e.ref))

    open_now = sorted((i for i in incidents if i.status in OPEN_STATUSES),
                      key=lambda i: (i.created_at, i.id))
    open_incidents = tuple({
        "id": i.id, "code": int(i.code), "category": i.category.value, "title": i.title,
        "title_en": i.title_en, "status": i.status.value, "station_code": i.station_code,
        "owner": i.timeline[-1].by if i.timeline else i.created_by, "opened_at": i.created_at,
        "age_minutes": max(0, int((now - parse_time(i.created_at)).total_seconds() // 60))}
        for i in open_now)
    order = level_in_force(orders, office_code, now)
    order_list = () if order is None else ({
        "id": order.id, "level": order.level.value, "issuer_code": order.issuer_code,
        "effective_from": order.effective_from, "reason": order.reason, "reason_en": order.reason_en,
        "acknowledged": order.acknowledged_by(office_code)},)
    standing = tuple({
        "id": d.id, "issuer_code": d.issuer_code, "text": d.text, "text_en": d.text_en,
        "priority": d.priority.value, "issued_at": d.issued_at,
        "acknowledged": d.acknowledged_by(office_code) if d.covers(office_code) else None,
        "acks": len(d.acks), "targets": len(d.targets)}
        for d in in_force_for(directives, office_code, now))
    reporting = reporting_view(reads, office_code, office_path, role, now)
    due = tuple({"schedule_id": sl.schedule.id, "title": sl.schedule.title, "slot": iso(sl.at),
                 "deadline": iso(sl.deadline), "state": sl.state.value}
                for sl in reporting.own if sl.state in (SlotState.DUE, SlotState.OVERDUE))
    nexts = tuple({"schedule_id": s.id, "title": s.title, "slot": iso(n), "state": SlotState.UPCOMING.value}
                  for s in read_schedules(reads) if s.covers(office_code) and not s.cancelled
                  and (n := s.next_slot(now)) is not None)
    return HandoverDraft(office_code, start, now, tuple(log[-MAX_LOG:]), open_incidents, order_list,
                         standing, due + nexts)


@dataclass(frozen=True)
class HandoversView:
    now: datetime
    pending: Handover | None  # the office's latest handover not yet taken over
    history: tuple[Handover, ...]  # the office's handovers, newest first


def handovers_view(reads: ReplicaReads, office_code: str, now: datetime) -> HandoversView:
    mine = sorted((h for h in read_handovers(reads) if h.office_code == office_code),
                  key=lambda h: h.made_at, reverse=True)
    pending = next((h for h in mine if not h.taken_over), None)
    return HandoversView(now, pending, tuple(mine))
