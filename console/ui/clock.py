"""The server-aligned clock: ages and overdue checks follow the server's (or demo's) time."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from console.domain.clock import parse_time


class ServerClock:
    """now = server_now + local monotonic time elapsed since it was received, times speed.

    Until the first server answer it is the local clock. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._base = datetime.now(UTC)
        self._mono = time.monotonic()
        self._speed = 1.0
        self._aligned = False

    def update(self, server_now: str | datetime, speed: float = 1.0) -> None:
        base = parse_time(server_now, "server now") if isinstance(server_now, str) else server_now
        with self._lock:
            self._base, self._mono, self._speed, self._aligned = base, time.monotonic(), speed, True

    def now(self) -> datetime:
        with self._lock:
            elapsed = (time.monotonic() - self._mono) * self._speed
            return self._base + timedelta(seconds=elapsed)

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def aligned(self) -> bool:
        """True once a server time was received (else the local clock is used)."""
        return self._aligned
