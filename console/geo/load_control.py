"""One map file load's cancel switch and deadline, checked by the loaders as they go."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class LoadCancelled(Exception):
    """The user cancelled the load: not an error to report, only to stop on."""


class LoadTimedOut(Exception):
    """The load ran past its deadline; each loader words it with its file's name."""


class LoadControl:
    """Shared by the thread that asked for a load (it may `cancel()`) and the loader (it calls
    `check()` between steps; SQLite's progress handler calls `should_stop()`).

    The deadline counts from creation, on `clock` (monotonic seconds), so a test can pass its own.
    """

    def __init__(self, timeout: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.timeout = timeout
        self._clock = clock
        self.deadline = clock() + timeout
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def expired(self) -> bool:
        return self._clock() >= self.deadline

    def should_stop(self) -> bool:
        return self._cancelled.is_set() or self.expired()

    def check(self) -> None:
        """Raise LoadCancelled or LoadTimedOut if the load must stop now."""
        if self._cancelled.is_set():
            raise LoadCancelled()
        if self.expired():
            raise LoadTimedOut(f"gave up after {self.timeout:g} s; the file may be damaged, or too "
                               "large to show")
