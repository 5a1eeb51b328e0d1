"""One incident's age and overdue state as of a moment: the one rule the queue, the detail panel,
the urgent alert and anything else that shows an age follow.

Every age on screen is taken from the console's clock once per tick (`console.ui.timefmt.ShownNow`)
and computed here; so the queue and the detail panel show the same age for the same incident in
the same frame. (They disagreed by two minutes: each read the demo's clock, which runs at 144x,
at its own moment -- the queue at each tick and each re-evaluation of its rows, the detail panel
at each tick and each load of its incident -- and one real second is 2.4 scenario minutes.)"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from console.domain.clock import parse_time
from console.domain.errors import DomainError
from console.domain.incidents import ACK_LIMIT, IncidentStatus, PriorityCode

# An unknown code (which the domain refuses) waits as long as the least urgent one.
LONGEST_ACK_LIMIT = max(ACK_LIMIT.values())
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def ack_limit(code: int) -> timedelta:
    """How long an incident of this 112 code may wait to be acknowledged."""
    try:
        return ACK_LIMIT[PriorityCode(int(code))]
    except (TypeError, ValueError):
        return LONGEST_ACK_LIMIT


def incident_age(created: datetime, now: datetime) -> timedelta:
    """How long ago the incident was reported, as of `now`; never negative (a report stamped by a
    clock a little ahead of this one is 0 s old, not -3 s)."""
    return max(now - created, timedelta(0))


def is_overdue(status: str, code: int, created: datetime, now: datetime) -> bool:
    """Not acknowledged within its code's limit: still new and older than the limit (the rule of
    the domain's `Incident.is_overdue`, which the server's escalation follows)."""
    return status == IncidentStatus.NEW.value and incident_age(created, now) > ack_limit(code)


def epoch_seconds(moment: datetime) -> float:
    """`moment` as epoch seconds (the queue's columns keep times so)."""
    return moment.timestamp()


def from_epoch(seconds: float) -> datetime:
    """The moment of `epoch_seconds` again: exact to the microsecond for any date the operation
    can have (a float holds epoch seconds to about 0.2 us)."""
    return _EPOCH + timedelta(microseconds=round(seconds * 1_000_000))


def created_at(data: Mapping[str, Any]) -> datetime | None:
    """When an incident row says it was reported; None if it does not say so readably."""
    try:
        return parse_time(str(data["created_at"]))
    except (KeyError, DomainError):
        return None


def place_of(data: Mapping[str, Any]) -> str:
    """Where an incident is, in words: its place as typed, else its district and town."""
    place = str(data.get("place") or "")
    return place or " ".join(str(data[k]) for k in ("district", "town") if data.get(k))
