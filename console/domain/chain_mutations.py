"""The mutations of the chain of command: directives, reporting schedules, situation reports and
shift handovers. Registered in console.domain.mutations.MUTATIONS, so both ends apply the same
rules: who may make each is console.domain.roles, the scope is the server's (console.server.apply)."""

from __future__ import annotations

import json
from typing import Any

from console.domain.clock import parse_time
from console.domain.directives import Directive, DirectivePriority
from console.domain.duty import Acknowledgement
from console.domain.errors import IllegalTransition, InvalidValue
from console.domain.handovers import Handover, check_take_over
from console.domain.mutations import (
    CODE_CHARS,
    ID_CHARS,
    MAX_ORDER_TARGETS,
    MUTATIONS,
    NOTE_CHARS,
    REASON_CHARS,
    TIME_CHARS,
    TITLE_CHARS,
    MutationContext,
    MutationSpec,
    _fields,
    _received_late,
    _visible,
    text,
    text_list,
    whole,
)
from console.domain.records import RecordKind, from_stored
from console.domain.reporting import MAX_GRACE_MINUTES, ReportSchedule, SituationReport

K = RecordKind
DIRECTIVE_CHARS = 2000
REMARKS_CHARS = 4000
# The figures a report carries, as JSON text: a station's report is a few kB, a national one's
# tens; this stops a runaway payload long before the wire's own limit.
CONTENT_CHARS = 400_000
MAX_LOG_ENTRIES = 500
MAX_SNAPSHOT_ITEMS = 500


def plain_list(max_items: int) -> Any:
    def check(name: str, value: Any) -> str | None:
        if not isinstance(value, list):
            return f"{name} must be a list"
        if len(value) > max_items:
            return f"{name} holds at most {max_items:,} entries, not {len(value):,}"
        if any(not isinstance(v, dict) for v in value):
            return f"{name} must hold objects"
        return None
    return check


def _object(name: str, value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"{name} must be an object"
    if len(json.dumps(value, ensure_ascii=False)) > CONTENT_CHARS:
        return f"{name} is at most {CONTENT_CHARS:,} characters as JSON"
    return None


def _directive_issue(_cur: None, p: dict[str, Any], ctx: MutationContext, rid: str) -> Directive:
    _fields(p, {"targets": text_list(MAX_ORDER_TARGETS, CODE_CHARS), "text": text(DIRECTIVE_CHARS),
                "text_en": text(DIRECTIVE_CHARS, optional=True),
                "priority": text(CODE_CHARS, optional=True)}, {"targets", "text"})
    try:
        priority = DirectivePriority(p.get("priority") or DirectivePriority.ROUTINE)
    except ValueError:
        raise InvalidValue(f"unknown directive priority {p.get('priority')!r}") from None
    return Directive(id=rid, issuer_code=ctx.actor_org, targets=list(dict.fromkeys(p["targets"])),
                     text=str(p["text"]).strip(), text_en=str(p.get("text_en") or ""),
                     priority=priority, issued_by=ctx.actor,
                     issued_at=ctx.at)


def _directive_acknowledge(d: Directive, p: dict[str, Any], ctx: MutationContext, _r: str) -> Directive:
    _fields(p, {"org_code": text(CODE_CHARS)}, {"org_code"})
    code = p["org_code"]
    if not d.covers(code):
        raise InvalidValue(f"directive {d.id} is not addressed to {code}")
    if d.cancelled:
        raise IllegalTransition("a cancelled directive cannot be acknowledged")
    d.acks.setdefault(code, Acknowledgement(by=ctx.actor, at=ctx.at))
    return d


def _directive_cancel(d: Directive, p: dict[str, Any], ctx: MutationContext, _r: str) -> Directive:
    _fields(p, set())
    if not d.cancelled:
        d.cancelled, d.cancelled_at = True, ctx.at
    return d


def _schedule_set(_cur: None, p: dict[str, Any], ctx: MutationContext, rid: str) -> ReportSchedule:
    _fields(p, {"targets": text_list(MAX_ORDER_TARGETS, CODE_CHARS),
                "starts_at": text(TIME_CHARS), "ends_at": text(TIME_CHARS, optional=True),
                "times": text_list(48, 5), "every_minutes": whole(0, 24 * 60),
                "grace_minutes": whole(0, MAX_GRACE_MINUTES), "title": text(TITLE_CHARS)},
            {"targets", "starts_at"})
    return ReportSchedule(id=rid, issuer_code=ctx.actor_org, targets=list(dict.fromkeys(p["targets"])),
                          starts_at=p["starts_at"], ends_at=p.get("ends_at"),
                          times=list(p.get("times") or []), every_minutes=p.get("every_minutes", 0),
                          grace_minutes=p.get("grace_minutes", 10), title=p.get("title", ""),
                          issued_by=ctx.actor, issued_at=ctx.at)


def _schedule_cancel(s: ReportSchedule, p: dict[str, Any], ctx: MutationContext, _r: str) -> ReportSchedule:
    _fields(p, set())
    s.cancelled = True
    return s


def _report_submit(_cur: None, p: dict[str, Any], ctx: MutationContext, rid: str) -> SituationReport:
    _fields(p, {"schedule_id": text(ID_CHARS), "slot": text(TIME_CHARS), "remarks": text(REMARKS_CHARS),
                "content": _object, "replaces": text(ID_CHARS)})
    version = 1
    schedule_id, slot = str(p.get("schedule_id") or ""), str(p.get("slot") or "")
    if bool(schedule_id) != bool(slot):
        raise InvalidValue("a scheduled report names both its schedule and its time")
    if slot:
        parse_time(slot, "slot")
    if schedule_id:
        found = _visible(ctx, K.REPORT_SCHEDULE, schedule_id, "reporting schedule")
        if found is not None and ctx.actor_org not in found.get("targets", []):
            raise InvalidValue(f"reporting schedule {schedule_id} does not ask {ctx.actor_org} to report")
    if p.get("replaces"):
        old = _visible(ctx, K.SITUATION_REPORT, p["replaces"], "report")
        if old is not None:
            prior: SituationReport = from_stored(K.SITUATION_REPORT, dict(old))
            if prior.office_code != ctx.actor_org:
                raise InvalidValue("a correction is made by the office that made the report")
            if (prior.schedule_id, prior.slot and parse_time(prior.slot)) != (
                    schedule_id, slot and parse_time(slot)):
                raise InvalidValue("a correction answers the same scheduled time as the report it replaces")
            version = prior.version + 1
    report = SituationReport(id=rid, office_code=ctx.actor_org, made_at=ctx.at, made_by=ctx.actor,
                             schedule_id=schedule_id, slot=slot, remarks=str(p.get("remarks", "")),
                             content=dict(p.get("content") or {}), replaces=str(p.get("replaces") or ""),
                             version=version)
    report.received_at = _received_late(ctx) or ""
    return report


def _handover_make(_cur: None, p: dict[str, Any], ctx: MutationContext, rid: str) -> Handover:
    _fields(p, {"shift_from": text(TIME_CHARS), "shift_until": text(TIME_CHARS),
                "log": plain_list(MAX_LOG_ENTRIES), "open_incidents": plain_list(MAX_SNAPSHOT_ITEMS),
                "orders": plain_list(MAX_SNAPSHOT_ITEMS), "directives": plain_list(MAX_SNAPSHOT_ITEMS),
                "reports_due": plain_list(MAX_SNAPSHOT_ITEMS), "notes": text(NOTE_CHARS)},
            {"shift_from", "shift_until"})
    try:
        return Handover(id=rid, office_code=ctx.actor_org, outgoing=ctx.actor, made_at=ctx.at,
                        shift_from=p["shift_from"], shift_until=p["shift_until"],
                        log=list(p.get("log") or []), open_incidents=list(p.get("open_incidents") or []),
                        orders=list(p.get("orders") or []), directives=list(p.get("directives") or []),
                        reports_due=list(p.get("reports_due") or []), notes=str(p.get("notes", "")))
    except TypeError as exc:
        raise InvalidValue(f"handover: {exc}") from None


def _handover_take_over(h: Handover, p: dict[str, Any], ctx: MutationContext, _r: str) -> Handover:
    _fields(p, {"note": text(REASON_CHARS)})
    check_take_over(h, ctx.actor, ctx.actor_org)
    h.taken_over_by, h.taken_over_at = ctx.actor, ctx.at
    h.takeover_note = str(p.get("note", "")).strip()
    return h


CHAIN_MUTATIONS: tuple[MutationSpec, ...] = (
    MutationSpec("directive.issue", frozenset({K.DIRECTIVE}), True, False, _directive_issue),
    MutationSpec("directive.acknowledge", frozenset({K.DIRECTIVE}), False, False, _directive_acknowledge),
    MutationSpec("directive.cancel", frozenset({K.DIRECTIVE}), False, False, _directive_cancel),
    MutationSpec("schedule.set", frozenset({K.REPORT_SCHEDULE}), True, False, _schedule_set),
    MutationSpec("schedule.cancel", frozenset({K.REPORT_SCHEDULE}), False, False, _schedule_cancel),
    MutationSpec("report.submit", frozenset({K.SITUATION_REPORT}), True, False, _report_submit),
    MutationSpec("handover.make", frozenset({K.HANDOVER}), True, False, _handover_make),
    MutationSpec("handover.take_over", frozenset({K.HANDOVER}), False, False, _handover_take_over),
)
MUTATIONS.update({s.kind: s for s in CHAIN_MUTATIONS})

# Mutations an office makes on a record issued above it (visible to it as an inherited kind),
# for itself only: the server checks the org_code is the actor's.
ACKNOWLEDGEMENTS = frozenset({"duty.acknowledge", "directive.acknowledge"})
# Mutations whose `targets` must be offices strictly below the issuer.
TARGETED = frozenset({"duty.issue", "directive.issue", "schedule.set"})
