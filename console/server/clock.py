"""The server clock: real time by default, or a scenario clock (start time + speed) for the demo."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from console.domain.clock import iso
from console.protocol.schema import ClockInfo


class ServerClock:
    """`now()` runs at `speed` scenario seconds per real second from `start` (real now if None).
    With neither given it is the real UTC clock."""

    def __init__(self, start: datetime | None = None, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("clock speed must be positive")
        if start is not None and start.tzinfo is None:
            raise ValueError("the clock start needs a time zone (e.g. 2025-06-03T06:00:00+09:00)")
        self.speed = float(speed)
        self._real = start is None and speed == 1.0
        self._start = (start or datetime.now(UTC)).astimezone(UTC)
        self._t0 = time.monotonic()
        self._lock = threading.Lock()  # set() may run while request threads read now()

    def set(self, now: datetime | None = None, speed: float | None = None) -> None:
        """Jump the scenario clock to `now` and/or change its speed from this moment on
        (consoles follow at their next login or health check)."""
        if speed is not None and speed <= 0:
            raise ValueError("clock speed must be positive")
        if now is not None and now.tzinfo is None:
            raise ValueError("the clock time needs a time zone")
        with self._lock:
            current = self._now()
            self._start = (now or current).astimezone(UTC)
            self._t0 = time.monotonic()
            if speed is not None:
                self.speed = float(speed)
            self._real = False

    @property
    def is_real(self) -> bool:
        return self._real

    def now(self) -> datetime:
        with self._lock:
            return self._now()

    def _now(self) -> datetime:
        if self._real:
            return datetime.now(UTC)
        return self._start + timedelta(seconds=(time.monotonic() - self._t0) * self.speed)

    def info(self) -> ClockInfo:
        return ClockInfo(now=iso(self.now()), speed=self.speed)
