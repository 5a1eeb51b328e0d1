"""Times as people read them on the console: Korean wall-clock time (the operation's zone,
whatever the workstation's), and ages, all as of one shown moment (ShownNow)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from console.domain.clock import in_operation_zone, now_utc, parse_time
from console.domain.errors import DomainError
from console.ui.qt import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal, fmt

_reference: Callable[[], datetime] | None = None


def use_clock(now: Callable[[], datetime] | None) -> None:
    """Decide "today" by this clock (the server's, which the demo runs on a scenario date)."""
    global _reference
    _reference = now


def local_time(value: str | datetime | None, now: datetime | None = None) -> str:
    """'14:05:09' today, '06-02 14:05' on another day, in KST; '' for nothing, the raw text if
    unreadable. "Today" is the KST date of `now` (the console's clock by default)."""
    if not value:
        return ""
    try:
        t = parse_time(value) if isinstance(value, str) else value
    except DomainError:
        return str(value)
    local = in_operation_zone(t)
    if now is None:
        now = _reference() if _reference is not None else now_utc()
    ref = in_operation_zone(now)
    if local.date() == ref.date():
        return local.strftime("%H:%M:%S")
    return local.strftime("%m-%d %H:%M")


_AGE_FORMS = (
    QT_TRANSLATE_NOOP("Age", "%1s"),
    QT_TRANSLATE_NOOP("Age", "%1m"),
    QT_TRANSLATE_NOOP("Age", "%1h%2m"),
    QT_TRANSLATE_NOOP("Age", "%1d%2h"),
)


def age(seconds: float | timedelta | None) -> str:
    """A compact age in the UI's language: 45s / 12m / 3h05m / 2d04h (Korean: 45초, 12분, ...);
    whole units, rounded down."""
    if seconds is None:
        return ""
    if isinstance(seconds, timedelta):
        seconds = seconds.total_seconds()
    s = max(0, int(seconds))
    args: tuple[object, ...]
    if s < 60:
        form, args = 0, (s,)
    elif s < 3600:
        form, args = 1, (s // 60,)
    elif s < 86400:
        form, args = 2, (s // 3600, f"{(s % 3600) // 60:02d}")
    else:
        form, args = 3, (s // 86400, f"{(s % 86400) // 3600:02d}")
    return fmt(QCoreApplication.translate("Age", _AGE_FORMS[form]), *args)


class _Clock(Protocol):
    def now(self) -> datetime: ...


class ShownNow(QObject):
    """The moment every age on screen is shown as of: the console clock, read once per tick (1 Hz)
    for everything at once. A panel that read the clock itself, at its own moment (a load, a
    new snapshot), showed another age than its neighbour: the demo's clock runs at 144x, so one
    real second apart is 2.4 minutes apart. One per change bus: `shown_now(changes, clock)`."""

    advanced = Signal()  # the shown moment moved on: re-paint ages and overdue marks

    def __init__(self, changes: QObject, clock: _Clock) -> None:
        super().__init__(changes)
        self.setObjectName(SHOWN_NOW)
        self._clock = clock
        self._now = clock.now()
        changes.tick.connect(self._advance)  # type: ignore[attr-defined]

    def now(self) -> datetime:
        return self._now

    def _advance(self) -> None:
        self._now = self._clock.now()
        self.advanced.emit()


SHOWN_NOW = "shown_now"


def shown_now(changes: QObject, clock: _Clock) -> ShownNow:
    """The console's ShownNow (made on first use, a child of the change bus)."""
    found = changes.findChild(ShownNow, SHOWN_NOW)
    return found if isinstance(found, ShownNow) else ShownNow(changes, clock)
