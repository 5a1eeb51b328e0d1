"""Wakes long-polling requests when the feed grows: set from any thread, awaited on the loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Collection

from console.domain.org import visible_in_scope
from console.domain.records import INHERITED_KINDS

_INHERITED = frozenset(k.value for k in INHERITED_KINDS)

FeedChanges = Collection[tuple[str, str]]  # (record kind, org path) of a commit's feed entries


class FeedNotifier:
    """Each `notify(changes)` completes the current event of every scope that sees one of the
    changes (each scope, when they are not told) and starts a new one for it. A waiter takes
    `current(scope)` *before* it checks the database, so a commit between the check and the wait
    still wakes it. A commit of nothing in a scope leaves its long-polls asleep: the morning's
    openings of one province woke every console of the country, each to read nothing new."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._events: dict[str, asyncio.Event] = {}
        self.closed = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._events = {}
        self.closed = False

    def current(self, scope_path: str = "/") -> asyncio.Event:
        if self._loop is None:
            self.bind(asyncio.get_running_loop())
        event = self._events.get(scope_path)
        if event is None:
            event = self._events[scope_path] = asyncio.Event()
        return event

    def notify(self, changes: FeedChanges | None = None) -> None:
        """Thread-safe: called after each commit that extended the feed, with its entries'
        (kind, org path) if known."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        seen = None if changes is None else frozenset(changes)
        with contextlib.suppress(RuntimeError):  # the loop is shutting down
            loop.call_soon_threadsafe(self._fire, seen)

    def close(self) -> None:
        """Release every waiter now (server stopping). From any thread; `closed` then stays set
        for this application: it is how the server knows it is stopping."""
        self.closed = True
        self.notify()

    def _fire(self, changes: frozenset[tuple[str, str]] | None) -> None:
        for scope, event in list(self._events.items()):
            if changes is None or any(visible_in_scope(path, scope, inherited=kind in _INHERITED)
                                      for kind, path in changes):
                del self._events[scope]
                event.set()

    @staticmethod
    async def wait(event: asyncio.Event, timeout: float) -> bool:
        if timeout <= 0:
            return event.is_set()
        try:
            await asyncio.wait_for(event.wait(), timeout)
            return True
        except TimeoutError:
            return False
