"""Time values of the domain: ISO 8601 strings with a zone on the wire, aware datetimes inside."""

from __future__ import annotations

from datetime import UTC, datetime

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
