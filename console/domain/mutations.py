"""Mutations: the only way data changes, as pure functions shared by server and console.

The server applies a mutation to its row to decide the truth; the console applies the same
function to its replica so the user sees their edit at once, before the server answers.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from console.domain.clock import parse_time
from console.domain.duty import Acknowledgement, DutyOrder
from console.domain.election import BallotRoute, CountingStation, PollingStation, RouteState
from console.domain.errors import IllegalTransition, InvalidValue, NotFound
from console.domain.incidents import (
    ACK_LIMIT,
    REOPENABLE,
    Incident,
    IncidentStatus,
    Remark,
    TimelineEntry,
    TimelineKind,
    check_transition,
    route_for,
)
from console.domain.org import OrgUnit
from console.domain.records import RecordKind, from_stored, to_data
from console.domain.units import Unit, UnitStatus


@dataclass(frozen=True)
class MutationContext:
    actor: str  # user name
    actor_org: str  # the actor's org code
    at: str  # ISO 8601 time of the mutation
    console: str = ""  # client id of the console that made it
    # The province of a station, for routing rules; None if unknown.
    province_of: Callable[[str], str | None] = field(default=lambda _code: None)


Apply = Callable[[Any, dict[str, Any], MutationContext, str], Any]


@dataclass(frozen=True)
class MutationSpec:
    kind: str
    record_kinds: frozenset[RecordKind]
    creates: bool  # the mutation creates its record (client-chosen id)
    checks_base: bool  # a stale base version is a conflict
    apply: Apply
    system_only: bool = False  # issued by the server itself (escalation)


def _fields(payload: dict[str, Any], allowed: set[str], required: Collection[str] = ()) -> None:
    if not isinstance(payload, dict):
        raise InvalidValue("payload must be an object")
    unknown = sorted(set(payload) - allowed)
    if unknown:
        raise InvalidValue(f"unknown field(s): {', '.join(unknown)}")
    missing = sorted(set(required) - set(payload))
    if missing:
        raise InvalidValue(f"missing field(s): {', '.join(missing)}")


def _note(inc: Incident, ctx: MutationContext, kind: TimelineKind, params: dict[str, Any],
          text: str | None = None) -> None:
    """Append an event to the timeline: its kind and parameters, which each console words in its
    own language; `text` only for what the user typed (a note)."""
    inc.timeline.append(TimelineEntry.event(ctx.at, ctx.actor, kind, params, console=ctx.console,
                                            text=text))


def _remark(p: dict[str, Any]) -> Remark | None:
    if p.get("remark") is None:
        return None
    try:
        return Remark(p["remark"])
    except ValueError:
        raise InvalidValue(f"unknown remark {p['remark']!r}") from None


INCIDENT_FIELDS = {"category", "code", "title", "title_en", "station_code", "lat", "lon", "place",
                   "district", "town", "description", "reporter"}


def _incident_create(_cur: None, p: dict[str, Any], ctx: MutationContext, rid: str) -> Incident:
    _fields(p, INCIDENT_FIELDS, {"category", "code", "title", "station_code", "lat", "lon"})
    inc = Incident(id=rid, created_at=ctx.at, created_by=ctx.actor, **p)
    created: dict[str, Any] = {"code": int(inc.code), "category": inc.category.value, "title": inc.title}
    if inc.title_en:
        created["title_en"] = inc.title_en
    _note(inc, ctx, TimelineKind.CREATED, created)
    inc.routed_to = route_for(inc.category, ctx.province_of(inc.station_code))
    if inc.routed_to:
        _note(inc, ctx, TimelineKind.ROUTED, {"to": inc.routed_to})
    return inc


def _incident_transition(inc: Incident, p: dict[str, Any], ctx: MutationContext, _r: str) -> Incident:
    _fields(p, {"to", "reason", "remark"}, {"to"})
    try:
        target = IncidentStatus(p["to"])
    except ValueError:
        raise InvalidValue(f"unknown incident status {p['to']!r}") from None
    remark = _remark(p)
    check_transition(inc.status, target)
    if target == IncidentStatus.DISPATCHED and not inc.assigned_units:
        raise IllegalTransition("assign at least one unit before dispatching")
    inc.status = target
    if target == IncidentStatus.ACKNOWLEDGED and inc.acknowledged_at is None:
        inc.acknowledged_at = ctx.at
    if target == IncidentStatus.RESOLVED:
        inc.resolved_at = ctx.at
    params: dict[str, Any] = {"to": target.value}
    if p.get("reason"):
        params["reason"] = str(p["reason"])
    if remark is not None:
        params["remark"] = remark.value
    _note(inc, ctx, TimelineKind.STATUS, params)
    return inc


def _incident_reopen(inc: Incident, p: dict[str, Any], ctx: MutationContext, _r: str) -> Incident:
    _fields(p, {"reason"}, {"reason"})
    if inc.status not in REOPENABLE:
        raise IllegalTransition(f"only resolved or closed incidents can be reopened, not '{inc.status}'")
    if not str(p["reason"]).strip():
        raise InvalidValue("give a reason to reopen an incident")
    inc.status = IncidentStatus.ACKNOWLEDGED
    inc.resolved_at = None
    _note(inc, ctx, TimelineKind.REOPENED, {"reason": str(p["reason"])})
    return inc


def _incident_assign(inc: Incident, p: dict[str, Any], ctx: MutationContext, _r: str) -> Incident:
    _fields(p, {"unit_ids"}, {"unit_ids"})
    units = p["unit_ids"]
    if not isinstance(units, list) or not all(isinstance(u, str) and u for u in units):
        raise InvalidValue("unit_ids must be a list of unit ids")
    if inc.status in (IncidentStatus.RESOLVED, IncidentStatus.CLOSED):
        raise IllegalTransition(f"cannot assign units to a {inc.status} incident")
    inc.assigned_units = list(dict.fromkeys(units))
    _note(inc, ctx, TimelineKind.ASSIGNED, {"units": list(inc.assigned_units)})
    return inc


def _incident_note(inc: Incident, p: dict[str, Any], ctx: MutationContext, _r: str) -> Incident:
    # A note is typed text, or a standard remark that each console words in its own language.
    _fields(p, {"text", "remark"})
    remark = _remark(p)
    if remark is not None:
        if "text" in p:
            raise InvalidValue("a note is either text or a remark, not both")
        _note(inc, ctx, TimelineKind.NOTE, {"remark": remark.value})
        return inc
    if "text" not in p:
        raise InvalidValue("missing field(s): text")
    text = str(p["text"]).strip()
    if not text:
        raise InvalidValue("a note cannot be empty")
    if len(text) > 4000:
        raise InvalidValue("a note is at most 4000 characters")
    _note(inc, ctx, TimelineKind.NOTE, {}, text=text)
    return inc


def _incident_edit(inc: Incident, p: dict[str, Any], ctx: MutationContext, rid: str) -> Incident:
    editable = {"category", "code", "title", "title_en", "place", "description", "lat", "lon",
                "district", "town", "reporter"}
    _fields(p, editable)
    if not p:
        raise InvalidValue("nothing to change")
    data = to_data(inc)
    data.update(p)
    if "title" in p and "title_en" not in p and p["title"] != inc.title:
        data["title_en"] = ""  # the English of the old title would now mislead
    edited: Incident = from_stored(RecordKind.INCIDENT, data)
    _note(edited, ctx, TimelineKind.EDITED, {"changes": dict(sorted(p.items()))})
    edited.routed_to = edited.routed_to or route_for(edited.category,
                                                     ctx.province_of(edited.station_code))
    return edited


def _incident_escalate(inc: Incident, p: dict[str, Any], ctx: MutationContext, _r: str) -> Incident:
    _fields(p, {"to"}, {"to"})
    if inc.escalated:
        return inc
    inc.escalated = True
    inc.escalated_at = ctx.at
    limit = int(ACK_LIMIT[inc.code].total_seconds() // 60)
    _note(inc, ctx, TimelineKind.ESCALATED, {"to": str(p["to"]), "within_minutes": limit})
    return inc


def _unit_status(unit: Unit, p: dict[str, Any], ctx: MutationContext, _r: str) -> Unit:
    _fields(p, {"status", "lat", "lon", "incident_id"})
    data = to_data(unit)
    if "status" in p:
        try:
            data["status"] = UnitStatus(p["status"])
        except ValueError:
            raise InvalidValue(f"unknown unit status {p['status']!r}") from None
    if "lat" in p or "lon" in p:
        data["lat"], data["lon"] = p.get("lat"), p.get("lon")
        data["position_at"] = ctx.at
    if "incident_id" in p:
        data["incident_id"] = p["incident_id"]
    result: Unit = from_stored(RecordKind.UNIT, data)
    return result


def _route_advance(route: BallotRoute, p: dict[str, Any], ctx: MutationContext, _r: str) -> BallotRoute:
    _fields(p, {"to", "at"}, {"to"})
    at = str(p.get("at") or ctx.at)
    parse_time(at, "at")
    try:
        target = RouteState(p["to"])
    except ValueError:
        raise InvalidValue(f"unknown route state {p['to']!r}") from None
    route.advance(target, at)
    return route


def _site_deployment(site: PollingStation | CountingStation, p: dict[str, Any],
                     ctx: MutationContext, _r: str) -> PollingStation | CountingStation:
    _fields(p, {"officers_assigned", "open"}, set())
    if "officers_assigned" in p:
        n = p["officers_assigned"]
        if not isinstance(n, int) or isinstance(n, bool) or n < 0 or n > 10_000:
            raise InvalidValue("officers_assigned must be a whole number from 0")
        site.officers_assigned = n
    if "open" in p:
        if not isinstance(site, PollingStation):
            raise InvalidValue("only polling stations open and close")
        site.open = bool(p["open"])
    return site


def _duty_issue(_cur: None, p: dict[str, Any], ctx: MutationContext, rid: str) -> DutyOrder:
    _fields(p, {"level", "targets", "effective_from", "effective_until", "reason", "reason_en"},
            {"level", "targets", "effective_from"})
    targets = p["targets"]
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise InvalidValue("targets must be a list of org codes")
    return DutyOrder(id=rid, level=p["level"], issuer_code=ctx.actor_org,
                     targets=list(dict.fromkeys(targets)), effective_from=p["effective_from"],
                     effective_until=p.get("effective_until"), reason=str(p.get("reason", "")),
                     reason_en=str(p.get("reason_en") or ""), issued_by=ctx.actor, issued_at=ctx.at)


def _duty_acknowledge(order: DutyOrder, p: dict[str, Any], ctx: MutationContext, _r: str) -> DutyOrder:
    _fields(p, {"org_code"}, {"org_code"})
    code = p["org_code"]
    if not order.covers(code):
        raise InvalidValue(f"order {order.id} does not cover {code}")
    if order.cancelled:
        raise IllegalTransition("a cancelled order cannot be acknowledged")
    order.acks.setdefault(code, Acknowledgement(by=ctx.actor, at=ctx.at))
    return order


def _duty_cancel(order: DutyOrder, p: dict[str, Any], ctx: MutationContext, _r: str) -> DutyOrder:
    _fields(p, set())
    order.cancelled = True
    return order


def _org_personnel(org: OrgUnit, p: dict[str, Any], ctx: MutationContext, _r: str) -> OrgUnit:
    _fields(p, {"personnel_total", "personnel_on_duty"})
    data = to_data(org)
    for key in ("personnel_total", "personnel_on_duty"):
        if key in p:
            v = p[key]
            if not isinstance(v, int) or isinstance(v, bool):
                raise InvalidValue(f"{key} must be a whole number")
            data[key] = v
    result: OrgUnit = from_stored(RecordKind.ORG, data)
    return result


K = RecordKind
MUTATIONS: dict[str, MutationSpec] = {
    s.kind: s
    for s in (
        MutationSpec("incident.create", frozenset({K.INCIDENT}), True, False, _incident_create),
        MutationSpec("incident.transition", frozenset({K.INCIDENT}), False, True, _incident_transition),
        MutationSpec("incident.reopen", frozenset({K.INCIDENT}), False, True, _incident_reopen),
        MutationSpec("incident.assign", frozenset({K.INCIDENT}), False, True, _incident_assign),
        MutationSpec("incident.note", frozenset({K.INCIDENT}), False, False, _incident_note),
        MutationSpec("incident.edit", frozenset({K.INCIDENT}), False, True, _incident_edit),
        MutationSpec("incident.escalate", frozenset({K.INCIDENT}), False, False,
                     _incident_escalate, system_only=True),
        MutationSpec("unit.status", frozenset({K.UNIT}), False, True, _unit_status),
        MutationSpec("route.advance", frozenset({K.ROUTE}), False, True, _route_advance),
        MutationSpec("site.deployment", frozenset({K.POLLING_STATION, K.COUNTING_STATION}),
                     False, True, _site_deployment),
        MutationSpec("duty.issue", frozenset({K.DUTY_ORDER}), True, False, _duty_issue),
        MutationSpec("duty.acknowledge", frozenset({K.DUTY_ORDER}), False, False, _duty_acknowledge),
        MutationSpec("duty.cancel", frozenset({K.DUTY_ORDER}), False, True, _duty_cancel),
        MutationSpec("org.personnel", frozenset({K.ORG}), False, False, _org_personnel),
    )
}


def spec_for(kind: str) -> MutationSpec:
    try:
        return MUTATIONS[kind]
    except KeyError:
        raise InvalidValue(f"unknown mutation kind {kind!r}") from None


def apply_mutation(
    kind: str,
    record_kind: RecordKind | str,
    record_id: str,
    current: dict[str, Any] | None,
    payload: dict[str, Any],
    ctx: MutationContext,
) -> dict[str, Any]:
    """Apply mutation `kind` to a row's data (None for a create) and return the new data.

    Raises a DomainError if the mutation is not allowed; `current` is never modified.
    """
    spec = spec_for(kind)
    rkind = RecordKind(record_kind)
    if rkind not in spec.record_kinds:
        raise InvalidValue(f"{kind} does not apply to a {rkind}")
    if not record_id or len(record_id) > 64:
        raise InvalidValue("record id must be 1-64 characters")
    if spec.creates:
        if current is not None:
            raise InvalidValue(f"{rkind} {record_id} already exists")
        return to_data(spec.apply(None, dict(payload), ctx, record_id))
    if current is None:
        raise NotFound(f"{rkind} {record_id} does not exist")
    # The row as stored may come from a newer version, with fields this one does not know: they
    # are kept and written back (the payload, checked by each mutation, stays strict).
    entity = from_stored(rkind, dict(current))
    return to_data(spec.apply(entity, dict(payload), ctx, record_id))
