"""Time values of the domain: ISO 8601 strings with a zone on the wire, aware datetimes inside."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from console.domain.errors import InvalidValue


def now_utc() -> datetime:
    return datetime.now(UTC)


def iso(value: datetime) -> str:
    if value.tzinfo is None:
        raise InvalidValue("naive datetimes are not allowed; give a time zone")
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(value: str, name: str = "time") -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidValue(f"{name} {value!r} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise InvalidValue(f"{name} {value!r} must carry a time zone (e.g. +09:00 or Z)")
    return parsed


def time_or_none(value: Any) -> datetime | None:
    """A stored row's time as a datetime; None when it is missing or not readable (a row written by
    another version, a field left empty): a read model shows what it can rather than fail."""
    if not value:
        return None
    try:
        return parse_time(str(value))
    except InvalidValue:
        return None


# The operation runs on Korean time whatever the workstation's zone. Korea has kept +09:00 without
# daylight saving since 1988, so a fixed offset is exact for any date the operation can have.
OPERATION_TZ = timezone(timedelta(hours=9), "KST")
# An operation day runs from 06:00 (the polls open) to 06:00 the next morning: the ballot boxes
# travel and the counting runs overnight, and all of that belongs to the day it started on.
OPERATION_DAY_STARTS_AT = time(6, 0)


def in_operation_zone(value: datetime) -> datetime:
    """`value` as Korean wall-clock time (an aware datetime in OPERATION_TZ)."""
    if value.tzinfo is None:
        raise InvalidValue("naive datetimes are not allowed; give a time zone")
    return value.astimezone(OPERATION_TZ)


def kst_text(value: datetime | str) -> str:
    """'2025-06-03 06:00 KST': a moment as the command line prints it to a person."""
    moment = parse_time(value) if isinstance(value, str) else value
    return in_operation_zone(moment).strftime("%Y-%m-%d %H:%M KST")


@dataclass(frozen=True)
class OperationDay:
    """One operation day: [06:00 KST on `date`, 06:00 KST on the next date)."""

    date: date

    @property
    def midnight(self) -> datetime:
        """00:00 KST of the day's date: hours on the day's charts count from here (06 to 30)."""
        return datetime.combine(self.date, time(0, 0), OPERATION_TZ)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date, OPERATION_DAY_STARTS_AT, OPERATION_TZ)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=1)

    @property
    def first_hour(self) -> int:
        """The hour of the day's first hour (6): hour bins run first_hour .. first_hour + 23."""
        return OPERATION_DAY_STARTS_AT.hour

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def hours(self, moment: datetime) -> float:
        """Hours from 00:00 KST of the day's date to `moment` (06:00 -> 6.0, 02:00 next day -> 26.0)."""
        return (moment - self.midnight).total_seconds() / 3600

    def hour_bin(self, moment: datetime) -> int | None:
        """0 for 06:00-06:59, ..., 23 for 05:00-05:59 the next morning; None outside the day."""
        if not self.contains(moment):
            return None
        return int((moment - self.start).total_seconds() // 3600)


def operation_day(now: datetime) -> OperationDay:
    """The operation day `now` falls in: before 06:00 KST it is still the previous date's day."""
    local = in_operation_zone(now)
    if local.time() < OPERATION_DAY_STARTS_AT:
        return OperationDay(local.date() - timedelta(days=1))
    return OperationDay(local.date())
