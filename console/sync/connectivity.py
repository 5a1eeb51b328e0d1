"""Connectivity from the outcome and latency of recent requests: online / degraded / offline."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from console.sync.events import Connectivity

WINDOW = 10  # requests remembered
MEMORY_SECONDS = 30.0  # ... and only for this long (long-polls make requests rare when idle)
SLOW_SECONDS = 1.5  # a (non long-poll) request slower than this counts as "degraded"
OFFLINE_AFTER = 2  # consecutive failures


class ConnectivityMonitor:
    """Offline: never reached yet, or the last OFFLINE_AFTER requests failed. Degraded: a
    failure or a slow answer among the recent requests. Online otherwise."""

    def __init__(self, window: int = WINDOW, slow: float = SLOW_SECONDS, memory: float = MEMORY_SECONDS,
                 now: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._recent: deque[tuple[float, bool, float | None]] = deque(maxlen=window)
        self._consecutive_failures = 0
        self._ever_ok = False
        self._slow = slow
        self._memory = memory
        self._now = now

    def record(self, ok: bool, latency: float | None = None) -> None:
        with self._lock:
            if ok and (not self._ever_ok or self._consecutive_failures >= OFFLINE_AFTER):
                # Back from an outage (or first reached): the failures of the outage say nothing
                # about the connection now; kept, they would show "degraded" for MEMORY_SECONDS.
                self._recent.clear()
            self._recent.append((self._now(), ok, latency))
            if ok:
                self._consecutive_failures = 0
                self._ever_ok = True
            else:
                self._consecutive_failures += 1

    def reset(self) -> None:
        with self._lock:
            self._recent.clear()
            self._consecutive_failures = 0
            self._ever_ok = False

    @property
    def state(self) -> Connectivity:
        with self._lock:
            if not self._ever_ok or self._consecutive_failures >= OFFLINE_AFTER:
                return Connectivity.OFFLINE
            horizon = self._now() - self._memory
            recent = [(ok, lat) for at, ok, lat in self._recent if at >= horizon]
            if any(not ok or (lat is not None and lat > self._slow) for ok, lat in recent):
                return Connectivity.DEGRADED
            return Connectivity.ONLINE
