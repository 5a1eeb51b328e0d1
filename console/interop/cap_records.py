"""Synced rows (duty orders, code 0/1 incidents, offices) as CAP 1.2 alerts: the one place the
console's "Export as CAP" and the server's Atom feed take their alerts from, so both write the
same alert for the same row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from console.domain.clock import parse_time
from console.domain.directives import Directive
from console.domain.duty import DutyOrder, precedence
from console.domain.errors import DomainError
from console.domain.incidents import Incident, IncidentStatus
from console.domain.records import RecordKind, from_stored
from console.interop.cap import (
    EXPORTED_CODES,
    CapAlert,
    CapError,
    directive_alert,
    duty_order_alert,
    incident_alert,
)
from console.interop.cap_area import CapArea, jurisdiction_codes, office_area

# An order to more offices than this gets one area per province (their 시군구 all in the geocodes)
# rather than one per station: 259 stations' outlines would be a 1 MB alert.
MAX_OFFICE_AREAS = 30
INCIDENT_RADIUS_KM = 0.5  # the circle around an incident's position

Orgs = Mapping[str, Mapping[str, Any]]


class RowLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def data(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class FeedAlert:
    kind: RecordKind
    record_id: str
    alert: CapAlert


def orgs_by_code(rows: Iterable[RowLike]) -> dict[str, dict[str, Any]]:
    return {str(r.data.get("code") or r.id): dict(r.data) for r in rows}


def _name(orgs: Orgs, code: str) -> str:
    org = orgs.get(code) or {}
    return str(org.get("name_ko") or org.get("name_en") or code)


def office_areas(codes: Sequence[str], orgs: Orgs) -> list[CapArea]:
    """One area per office, or per province when there are many offices."""
    if len(codes) > MAX_OFFICE_AREAS:
        groups: dict[str, list[str]] = {}
        for code in codes:
            parent = str((orgs.get(code) or {}).get("parent_code") or code)
            groups.setdefault(parent, []).append(code)
        return [office_area(_name(orgs, parent),
                            [d for c in members for d in jurisdiction_codes(c, orgs)])
                for parent, members in groups.items()]
    return [office_area(_name(orgs, c), jurisdiction_codes(c, orgs)) for c in codes]


def superseded_by(order: DutyOrder, orders: Iterable[DutyOrder]) -> list[DutyOrder]:
    """The issuer's older orders, in force when `order` takes effect, for an office it covers: the
    new order replaces them there (an office above changes a level by a new order)."""
    start = parse_time(order.effective_from)
    mine = precedence(order)
    return sorted((o for o in orders
                   if o.id != order.id and o.issuer_code == order.issuer_code
                   and not o.cancelled and o.in_force(start) and precedence(o) < mine
                   and set(o.targets) & set(order.targets)), key=precedence)


def duty_order_cap(order_data: Mapping[str, Any], orgs: Orgs, orders: Iterable[Mapping[str, Any]],
                   *, now: datetime) -> CapAlert:
    order: DutyOrder = from_stored(RecordKind.DUTY_ORDER, dict(order_data))
    others: list[DutyOrder] = []
    for data in orders:
        try:
            others.append(from_stored(RecordKind.DUTY_ORDER, dict(data)))
        except DomainError:
            continue
    return duty_order_alert(order, orgs, office_areas(order.targets, orgs),
                            superseded=superseded_by(order, others),
                            cancelled_at=now if order.cancelled else None)


def directive_cap(directive_data: Mapping[str, Any], orgs: Orgs) -> CapAlert:
    directive: Directive = from_stored(RecordKind.DIRECTIVE, dict(directive_data))
    return directive_alert(directive, orgs, office_areas(directive.targets, orgs))


def incident_cap(incident_data: Mapping[str, Any], orgs: Orgs) -> CapAlert:
    """A code 0/1 incident's alert (CapError for codes 2-4). An Update's or Cancel's time is its
    last status change, so the same row gives the same alert every time."""
    incident: Incident = from_stored(RecordKind.INCIDENT, dict(incident_data))
    if int(incident.code) not in EXPORTED_CODES:
        raise CapError(f"only code 0 and code 1 incidents are sent as CAP alerts, "
                       f"not code {int(incident.code)}")
    station = office_area(_name(orgs, incident.station_code),
                          jurisdiction_codes(incident.station_code, orgs))
    place = " ".join(p for p in (incident.district, incident.town, incident.place) if p)
    spot = CapArea(place or incident.title, [], [(incident.lat, incident.lon, INCIDENT_RADIUS_KM)])
    return incident_alert(incident, orgs, [spot, station], at=_status_time(incident))


def _status_time(incident: Incident) -> datetime:
    status = IncidentStatus(incident.status)
    if status in (IncidentStatus.RESOLVED, IncidentStatus.CLOSED) and incident.resolved_at:
        return parse_time(incident.resolved_at)
    changes = [e.at for e in incident.timeline if e.kind == "status"]
    if status != IncidentStatus.NEW and changes:
        return max(parse_time(at) for at in changes)
    if status != IncidentStatus.NEW and incident.acknowledged_at:
        return parse_time(incident.acknowledged_at)
    return parse_time(incident.created_at)


def feed_alerts(orgs: Orgs, orders: Sequence[Mapping[str, Any]],
                incidents: Iterable[Mapping[str, Any]], *, now: datetime,
                changed_at: Mapping[str, datetime] | None = None,
                directives: Iterable[Mapping[str, Any]] = ()) -> list[FeedAlert]:
    """Every alert of a scope, newest first: its duty orders, directives and code 0/1 incidents.
    `changed_at`: when each order's row last changed (a cancelled order's Cancel is sent then).
    A row that no longer reads (written by a newer version with a new value) is left out."""
    changed = changed_at or {}
    out: list[FeedAlert] = []
    for data in orders:
        try:
            out.append(FeedAlert(RecordKind.DUTY_ORDER, str(data["id"]),
                                 duty_order_cap(data, orgs, orders,
                                                now=changed.get(str(data["id"]), now))))
        except (DomainError, CapError, KeyError):
            continue
    for data in directives:
        try:
            out.append(FeedAlert(RecordKind.DIRECTIVE, str(data["id"]), directive_cap(data, orgs)))
        except (DomainError, CapError, KeyError):
            continue
    for data in incidents:
        if data.get("code") not in (0, 1):
            continue
        try:
            out.append(FeedAlert(RecordKind.INCIDENT, str(data["id"]), incident_cap(data, orgs)))
        except (DomainError, CapError, KeyError):
            continue
    out.sort(key=lambda a: (a.alert.sent, a.alert.identifier), reverse=True)
    return out
