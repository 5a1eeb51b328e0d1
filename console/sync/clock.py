"""The server's clock as the console follows it: now = server now + local elapsed x speed."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from typing import Any

from console.domain.clock import iso, now_utc, parse_time
from console.domain.errors import DomainError
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

    def saved(self) -> dict[str, Any] | None:
        """The clock as learnt, for `restore` after a restart without the server: the server's
        time and the wall-clock time at one moment, and the speed. None before any ClockInfo."""
        with self._lock:
            if self._base is None:
                return None
            now = self._base + timedelta(seconds=(time.monotonic() - self._at) * self._speed)
            return {"server": iso(now), "wall": iso(now_utc()), "speed": self._speed}

    def restore(self, saved: Any) -> None:
        """Follow a clock saved earlier (a console started offline): the server's time then, moved
        on by the wall-clock time since. An accelerated (scenario) clock is taken up where it was
        left instead: its server may have been stopped meanwhile, and hours of real time at 144x
        would put the console days ahead of its data. Something unreadable is ignored."""
        try:
            server = parse_time(str(saved["server"]), "server")
            wall = parse_time(str(saved["wall"]), "wall")
            speed = float(saved["speed"])
        except (KeyError, TypeError, ValueError, DomainError):
            return
        if not speed > 0:
            return
        elapsed = max(0.0, (now_utc() - wall).total_seconds()) if speed == 1.0 else 0.0
        with self._lock:
            self._base = server + timedelta(seconds=elapsed * speed)
            self._at = time.monotonic()
            self._speed = speed

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
