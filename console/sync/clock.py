"""The server's clock as the console follows it: now = server now + local elapsed x speed."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

from console.domain.clock import now_utc, parse_time
from console.protocol.schema import ClockInfo


class ServerClock:
    """Local UTC time until the first ClockInfo arrives; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._base: datetime | None = None
        self._at = 0.0
        self._speed = 1.0

    def update(self, info: ClockInfo) -> None:
        with self._lock:
            self._base = parse_time(info.now, "clock.now")
            self._at = time.monotonic()
            self._speed = info.speed

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def synced(self) -> bool:
        return self._base is not None

    def now(self) -> datetime:
        with self._lock:
            if self._base is None:
                return now_utc()
            return self._base + timedelta(seconds=(time.monotonic() - self._at) * self._speed)
