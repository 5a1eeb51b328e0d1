"""Shift handover (인수인계): the outgoing duty officer's account of the shift, taken over by the
incoming officer of the same office."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from console.domain.clock import parse_time
from console.domain.errors import InvalidValue


class ActivityKind(StrEnum):
    """What an office did, as the activity log words it (beside incidents' timeline kinds)."""

    ORDER_ACKNOWLEDGED = "order_acknowledged"
    DIRECTIVE_ACKNOWLEDGED = "directive_acknowledged"
    DIRECTIVE_ISSUED = "directive_issued"
    REPORT_SUBMITTED = "report_submitted"
    HANDOVER_TAKEN = "handover_taken"


class LogSource(StrEnum):
    TIMELINE = "timeline"  # an incident's timeline entry
    AUDIT = "audit"  # a change the office made (orders, directives, reports)
    FREE = "free"  # written by the officer


@dataclass
class ActivityEntry:
    """One line of the activity log (ICS 214): who did what and when."""

    at: str  # ISO 8601
    who: str
    what: str
    source: LogSource = LogSource.FREE
    ref: str = ""  # the record it is about ("incident:ID")
    # The event's kind and parameters (an incident's TimelineKind, or ACTIVITY_KINDS), so each
    # console words it in its own language; `what` is the English, or the text as typed.
    kind: str = ""
    params: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        parse_time(self.at, "at")
        try:
            self.source = LogSource(self.source)
        except ValueError:
            raise InvalidValue(f"unknown log source {self.source!r}") from None


@dataclass
class Handover:
    """A shift's handover. Its lists are snapshots as the outgoing officer made it (plain values,
    so a printout years later says what was handed over, not what the data says now)."""

    id: str
    office_code: str
    outgoing: str  # user name of the outgoing duty officer
    made_at: str
    shift_from: str
    shift_until: str
    log: list[ActivityEntry] = field(default_factory=list)
    open_incidents: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)  # duty orders in force
    directives: list[dict[str, Any]] = field(default_factory=list)  # directives in force
    reports_due: list[dict[str, Any]] = field(default_factory=list)
    notes: str = ""  # for the next shift
    taken_over_by: str = ""
    taken_over_at: str = ""
    takeover_note: str = ""

    def __post_init__(self) -> None:
        parse_time(self.made_at, "made_at")
        start = parse_time(self.shift_from, "shift_from")
        if parse_time(self.shift_until, "shift_until") <= start:
            raise InvalidValue("a shift ends after it starts")
        self.log = [e if isinstance(e, ActivityEntry) else ActivityEntry(**e) for e in self.log]

    @property
    def taken_over(self) -> bool:
        return bool(self.taken_over_by)


def check_take_over(handover: Handover, user: str, user_org: str) -> None:
    """The incoming officer takes over: someone else of the same office, once."""
    if handover.taken_over:
        raise InvalidValue(f"this handover was already taken over by {handover.taken_over_by}")
    if user_org != handover.office_code:
        raise InvalidValue("a handover is taken over by an officer of its own office")
    if user == handover.outgoing:
        raise InvalidValue("the outgoing officer cannot take over their own handover")
