"""A thread-safe list of plain-Python listeners, for the layers that must not use Qt signals."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

E = TypeVar("E")
log = logging.getLogger(__name__)


class Listeners(Generic[E]):
    """Listeners are called on the emitting thread; one that raises is logged and skipped,
    because a faulty listener must not break the write or the sync loop that emitted."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Callable[[E], None]] = []

    def subscribe(self, listener: Callable[[E], None]) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def emit(self, event: E) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("listener failed on %s", type(event).__name__)
