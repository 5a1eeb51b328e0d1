"""Times as people read them on the console: local wall-clock, and ages."""

from __future__ import annotations

from datetime import datetime

from console.domain.clock import parse_time
from console.domain.errors import DomainError


def local_time(value: str | datetime | None, now: datetime | None = None) -> str:
    """'14:05:09' today, '06-02 14:05' on another day; '' for nothing, the raw text if unreadable."""
    if not value:
        return ""
    try:
        t = parse_time(value) if isinstance(value, str) else value
    except DomainError:
        return str(value)
    local = t.astimezone()
    ref = (now or datetime.now(local.tzinfo)).astimezone()
    if local.date() == ref.date():
        return local.strftime("%H:%M:%S")
    return local.strftime("%m-%d %H:%M")
