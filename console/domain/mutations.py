"""Mutations: the only way data changes, as pure functions shared by server and console.

The server applies a mutation to its row to decide the truth; the console applies the same
function to its replica so the user sees their edit at once, before the server answers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from console.domain.clock import parse_time
from console.domain.duty import Acknowledgement, DutyOrder
from console.domain.election import BallotRoute, CountingStation, PollingStation, RouteState
from console.domain.errors import IllegalTransition, InvalidValue, NotFound
from console.domain.external_alerts import ExternalAlert
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
    # A record's data if it exists and lies in the actor's scope, else None (the server looks
    # in its rows, a console in its replica, which holds its scope only). None: no check (a
    # caller that cannot look, e.g. a dry run).
    lookup: Callable[[RecordKind, str], dict[str, Any] | None] | None = None
    # When the server received the mutation (ISO 8601), if it differs from `at` (the console's
    # time); empty on a console.
    received_at: str = ""


Apply = Callable[[Any, dict[str, Any], MutationContext, str], Any]


@dataclass(frozen=True)
class MutationSpec:
    kind: str
    record_kinds: frozenset[RecordKind]
    creates: bool  # the mutation creates its record (client-chosen id)
    checks_base: bool  # a stale base version is a conflict
    apply: Apply
    system_only: bool = False  # issued by the server itself (escalation)


# -- what a payload's fields may hold ---------------------------------------------------------
# Lengths of the texts a user types (a description of 5 MB copied into every change of its row
# filled the disk): written once here, for the server and the console alike.
TITLE_CHARS = 200
PLACE_CHARS = 200
NAME_CHARS = 100  # district, town, reporter
DESCRIPTION_CHARS = 4000
NOTE_CHARS = 4000
REASON_CHARS = 1000
CODE_CHARS = 32  # org codes, enum values
ID_CHARS = 64  # record ids
TIME_CHARS = 64  # ISO 8601 text
MAX_ASSIGNED_UNITS = 50
MAX_ORDER_TARGETS = 1000
MAX_PERSONNEL = 10_000_000

# A reported time (a ballot box's departure or arrival) may lie this far before the mutation's
# own time (an escort reports late), and this little after it (clocks differ).
REPORTED_PAST = timedelta(hours=12)
REPORTED_FUTURE = timedelta(minutes=2)
# A mutation received more than this after it was made was made apart from the server (offline,
# or on a console whose clock is set back): an incident's escalation clock then starts when the
# server received it. Within it, the console's time counts (clock skew, a short outage).
RECEIPT_GRACE = timedelta(minutes=10)

Check = Callable[[str, Any], str | None]


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def text(max_chars: int, optional: bool = False) -> Check:
    def check(name: str, value: Any) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            return f"{name} must be text, not {_kind_of(value)}"
        if len(value) > max_chars:
            return f"{name} is at most {max_chars:,} characters, not {len(value):,}"
        return None
    return check


def whole(low: int, high: int) -> Check:
    def check(name: str, value: Any) -> str | None:
        if not isinstance(value, int) or isinstance(value, bool):
            return f"{name} must be a whole number, not {_kind_of(value)}"
        if not low <= value <= high:
            return f"{name} must be from {low:,} to {high:,}, not {value:,}"
        return None
    return check


def number(optional: bool = False) -> Check:
    def check(name: str, value: Any) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, int | float) or isinstance(value, bool):
            return f"{name} must be a number, not {_kind_of(value)}"
        if not math.isfinite(value):
            return f"{name} must be a finite number"
        return None
    return check


def priority_code(_name: str, value: Any) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return f"112 code must be a whole number 0-4, not {_kind_of(value)}"
    return None if 0 <= value <= 4 else f"112 code must be 0-4, not {value:,}"


def flag(name: str, value: Any) -> str | None:
    return None if isinstance(value, bool) else f"{name} must be true or false, not {_kind_of(value)}"


def text_list(max_items: int, max_chars: int) -> Check:
    def check(name: str, value: Any) -> str | None:
        if not isinstance(value, list):
            return f"{name} must be a list, not {_kind_of(value)}"
        if len(value) > max_items:
            return f"{name} holds at most {max_items:,} entries, not {len(value):,}"
        for item in value:
            if not isinstance(item, str) or not item or len(item) > max_chars:
                return f"{name} must hold texts of 1 to {max_chars} characters"
        return None
    return check


def _fields(payload: dict[str, Any], allowed: Mapping[str, Check] | set[str],
            required: Collection[str] = ()) -> None:
    """Check a payload's fields: none unknown, the required ones there, each of its kind."""
    if not isinstance(payload, dict):
        raise InvalidValue("payload must be an object")
    unknown = sorted(set(payload) - set(allowed))
    if unknown:
        raise InvalidValue(f"unknown field(s): {', '.join(unknown)}")
    missing = sorted(set(required) - set(payload))
    if missing:
        raise InvalidValue(f"missing field(s): {', '.join(missing)}")
    if isinstance(allowed, Mapping):
        for name, value in payload.items():
            problem = allowed[name](name, value)
            if problem:
                raise InvalidValue(problem)


def _visible(ctx: MutationContext, kind: RecordKind, rid: str, what: str) -> dict[str, Any] | None:
    """The record `rid` of `kind`, which must exist in the actor's scope (one answer for "not
    there" and "not yours", so ids of other jurisdictions cannot be probed); None when the
    context cannot look."""
    if ctx.lookup is None:
        return None
    found = ctx.lookup(kind, rid)
    if found is None:
        raise NotFound(f"{what} {rid} does not exist in your scope")
    return found


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


INCIDENT_EDITABLE: dict[str, Check] = {
    "category": text(CODE_CHARS), "code": priority_code, "title": text(TITLE_CHARS),
    "title_en": text(TITLE_CHARS, optional=True), "lat": number(), "lon": number(),
    "place": text(PLACE_CHARS), "district": text(NAME_CHARS), "town": text(NAME_CHARS),
    "description": text(DESCRIPTION_CHARS), "reporter": text(NAME_CHARS)}
INCIDENT_FIELDS: dict[str, Check] = {**INCIDENT_EDITABLE, "station_code": text(CODE_CHARS)}


def _incident_create(_cur: None, p: dict[str, Any], ctx: MutationContext, rid: str) -> Incident:
    _fields(p, INCIDENT_FIELDS, {"category", "code", "title", "station_code", "lat", "lon"})
    inc = Incident(id=rid, created_at=ctx.at, created_by=ctx.actor, **p)
    inc.received_at = _received_late(ctx)
    created: dict[str, Any] = {"code": int(inc.code), "category": inc.category.value, "title": inc.title}
    if inc.title_en:
        created["title_en"] = inc.title_en
    _note(inc, ctx, TimelineKind.CREATED, created)
    inc.routed_to = route_for(inc.category, ctx.province_of(inc.station_code))
    if inc.routed_to:
        _note(inc, ctx, TimelineKind.ROUTED, {"to": inc.routed_to})
    return inc


def _received_late(ctx: MutationContext) -> str | None:
    """When the server received a mutation made apart from it (offline, or a console clock set
    back), else None: the escalation clock of an incident starts no earlier (Incident.is_overdue),
    so a backdated made_at cannot escalate an incident at once."""
    if not ctx.received_at:
        return None
    if parse_time(ctx.received_at, "received_at") - parse_time(ctx.at) <= RECEIPT_GRACE:
        return None
    return ctx.received_at


def _incident_transition(inc: Incident, p: dict[str, Any], ctx: MutationContext, _r: str) -> Incident:
    _fields(p, {"to": text(CODE_CHARS), "reason": text(REASON_CHARS, optional=True),
                "remark": text(CODE_CHARS, optional=True)}, {"to"})
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
    _fields(p, {"reason": text(REASON_CHARS)}, {"reason"})
    if inc.status not in REOPENABLE:
        raise IllegalTransition(f"only resolved or closed incidents can be reopened, not '{inc.status}'")
    if not str(p["reason"]).strip():
        raise InvalidValue("give a reason to reopen an incident")
    inc.status = IncidentStatus.ACKNOWLEDGED
    inc.resolved_at = None
    _note(inc, ctx, TimelineKind.REOPENED, {"reason": str(p["reason"])})
    return inc


def _incident_assign(inc: Incident, p: dict[str, Any], ctx: MutationContext, _r: str) -> Incident:
    _fields(p, {"unit_ids": text_list(MAX_ASSIGNED_UNITS, ID_CHARS)}, {"unit_ids"})
    units = p["unit_ids"]
    if inc.status in (IncidentStatus.RESOLVED, IncidentStatus.CLOSED):
        raise IllegalTransition(f"cannot assign units to a {inc.status} incident")
    for unit_id in dict.fromkeys(units):
        _visible(ctx, RecordKind.UNIT, unit_id, "unit")
    inc.assigned_units = list(dict.fromkeys(units))
    _note(inc, ctx, TimelineKind.ASSIGNED, {"units": list(inc.assigned_units)})
    return inc


def _incident_note(inc: Incident, p: dict[str, Any], ctx: MutationContext, _r: str) -> Incident:
    # A note is typed text, or a standard remark that each console words in its own language.
    _fields(p, {"text": text(NOTE_CHARS), "remark": text(CODE_CHARS, optional=True)})
    remark = _remark(p)
    if remark is not None:
        if "text" in p:
            raise InvalidValue("a note is either text or a remark, not both")
        _note(inc, ctx, TimelineKind.NOTE, {"remark": remark.value})
        return inc
    if "text" not in p:
        raise InvalidValue("missing field(s): text")
    typed = str(p["text"]).strip()
    if not typed:
        raise InvalidValue("a note cannot be empty")
    _note(inc, ctx, TimelineKind.NOTE, {}, text=typed)
    return inc


def _incident_edit(inc: Incident, p: dict[str, Any], ctx: MutationContext, rid: str) -> Incident:
    _fields(p, INCIDENT_EDITABLE)
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
    _fields(p, {"to": text(CODE_CHARS)}, {"to"})
    if inc.escalated:
        return inc
    inc.escalated = True
    inc.escalated_at = ctx.at
    limit = int(ACK_LIMIT[inc.code].total_seconds() // 60)
    _note(inc, ctx, TimelineKind.ESCALATED, {"to": str(p["to"]), "within_minutes": limit})
    return inc


def _unit_status(unit: Unit, p: dict[str, Any], ctx: MutationContext, _r: str) -> Unit:
    _fields(p, {"status": text(CODE_CHARS), "lat": number(optional=True),
                "lon": number(optional=True), "incident_id": text(ID_CHARS, optional=True)})
    if p.get("incident_id") is not None:
        _visible(ctx, RecordKind.INCIDENT, p["incident_id"], "incident")
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
    _fields(p, {"to": text(CODE_CHARS), "at": text(TIME_CHARS, optional=True)}, {"to"})
    at = str(p.get("at") or ctx.at)
    when = parse_time(at, "at")
    made = parse_time(ctx.at)
    if not made - REPORTED_PAST <= when <= made + REPORTED_FUTURE:
        raise InvalidValue(f"the time reported ({at}) is not plausible: a ballot box's departure "
                           f"or arrival is reported within {_hours(REPORTED_PAST)} h after it, "
                           f"not before it happens")
    try:
        target = RouteState(p["to"])
    except ValueError:
        raise InvalidValue(f"unknown route state {p['to']!r}") from None
    route.advance(target, at)
    return route


def _hours(span: timedelta) -> int:
    return int(span.total_seconds() // 3600)


def _site_deployment(site: PollingStation | CountingStation, p: dict[str, Any],
                     ctx: MutationContext, _r: str) -> PollingStation | CountingStation:
    _fields(p, {"officers_assigned": whole(0, 10_000), "open": flag})
    if "officers_assigned" in p:
        site.officers_assigned = p["officers_assigned"]
    if "open" in p:
        if not isinstance(site, PollingStation):
            raise InvalidValue("only polling stations open and close")
        site.open = bool(p["open"])
    return site


def _duty_issue(_cur: None, p: dict[str, Any], ctx: MutationContext, rid: str) -> DutyOrder:
    _fields(p, {"level": text(CODE_CHARS), "targets": text_list(MAX_ORDER_TARGETS, CODE_CHARS),
                "effective_from": text(TIME_CHARS), "effective_until": text(TIME_CHARS, optional=True),
                "reason": text(REASON_CHARS, optional=True),
                "reason_en": text(REASON_CHARS, optional=True)},
            {"level", "targets", "effective_from"})
    targets = p["targets"]
    return DutyOrder(id=rid, level=p["level"], issuer_code=ctx.actor_org,
                     targets=list(dict.fromkeys(targets)), effective_from=p["effective_from"],
                     effective_until=p.get("effective_until"), reason=str(p.get("reason", "")),
                     reason_en=str(p.get("reason_en") or ""), issued_by=ctx.actor, issued_at=ctx.at)


def _duty_acknowledge(order: DutyOrder, p: dict[str, Any], ctx: MutationContext, _r: str) -> DutyOrder:
    _fields(p, {"org_code": text(CODE_CHARS)}, {"org_code"})
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
    _fields(p, {"personnel_total": whole(0, MAX_PERSONNEL),
                "personnel_on_duty": whole(0, MAX_PERSONNEL)})
    data = to_data(org)
    for key in ("personnel_total", "personnel_on_duty"):
        if key in p:
            data[key] = p[key]
    result: OrgUnit = from_stored(RecordKind.ORG, data)
    return result


def _external_alert_import(_cur: None, p: dict[str, Any], ctx: MutationContext,
                           rid: str) -> ExternalAlert:
    """An outside agency's alert, parsed and checked against CAP 1.2 by console.interop.cap_in,
    shared with the importing office's scope."""
    data = dict(p)
    for name in ("id", "org_code", "imported_at", "imported_by"):
        data.pop(name, None)
    for name, value in data.items():
        if isinstance(value, str) and len(value) > NOTE_CHARS:
            raise InvalidValue(f"{name} is longer than {NOTE_CHARS} characters")
    try:
        return ExternalAlert(id=rid, org_code=ctx.actor_org, imported_at=ctx.at,
                             imported_by=ctx.actor, **data)
    except TypeError as exc:
        raise InvalidValue(f"external alert: {exc}") from None


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
        MutationSpec("external_alert.import", frozenset({K.EXTERNAL_ALERT}), True, False,
                     _external_alert_import),
    )
}
# The chain of command's mutations (directives, schedules, reports, handovers) live in their own
# module, which builds on the checks above and adds itself to MUTATIONS when imported.
import console.domain.chain_mutations  # noqa: E402, F401


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
