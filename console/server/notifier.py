"""Wakes long-polling requests when the feed grows: set from any thread, awaited on the loop."""

from __future__ import annotations

import asyncio
import contextlib


class FeedNotifier:
    """Each `notify()` completes the current generation's event and starts a new one.
    A waiter takes `current()` *before* it checks the database, so a commit between the check
    and the wait still wakes it."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None
        self.closed = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._event = asyncio.Event()
        self.closed = False

    def current(self) -> asyncio.Event:
        if self._event is None:
            self.bind(asyncio.get_running_loop())
        assert self._event is not None
        return self._event

    def notify(self) -> None:
        """Thread-safe: called after each commit that extended the feed."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop is shutting down
            loop.call_soon_threadsafe(self._fire)

    def close(self) -> None:
        """Release every waiter now (server stopping). From any thread; `closed` then stays set
        for this application: it is how the server knows it is stopping."""
        self.closed = True
        self.notify()

    def _fire(self) -> None:
        old, self._event = self._event, asyncio.Event()
        if old is not None:
            old.set()

    @staticmethod
    async def wait(event: asyncio.Event, timeout: float) -> bool:
        if timeout <= 0:
            return event.is_set()
        try:
            await asyncio.wait_for(event.wait(), timeout)
            return True
        except TimeoutError:
            return False
