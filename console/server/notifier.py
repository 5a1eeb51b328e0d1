"""Wakes long-polling requests when the feed grows: set from any thread, awaited on the loop.

On PostgreSQL the wake-up crosses processes: every transaction that extends the feed sends
`pg_notify` in that same transaction (`send_in_transaction`, called by Database.write), so the
notification is delivered exactly when the entries become visible, and never for a rollback.
Each server process holds one listening connection (`PgFeedListener`) that turns notifications
into `FeedNotifier.notify`. On SQLite (one process) the commit listener of Database does it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Collection
from typing import Any

from console.domain.org import visible_in_scope
from console.domain.records import INHERITED_KINDS

log = logging.getLogger("sitroom.server.notifier")

# The channel is named for the schema too: notifications go to a whole database, and sitroom
# databases in several schemas of one (the tests') must not wake each other's consoles.
FEED_CHANNEL_SQL = "'sitroom_feed_' || left(md5(current_schema()), 16)"
# PostgreSQL refuses a payload of 8,000 bytes or more; a commit that touched more scopes than
# fit wakes every scope (an empty payload), which is always correct, only less selective.
MAX_PAYLOAD = 7000

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


def encode_changes(changes: FeedChanges | None) -> str:
    """The NOTIFY payload for a commit's (kind, org path) pairs: a JSON list, or '' (any scope)."""
    if changes is None:
        return ""
    payload = json.dumps(sorted({(str(k), str(p)) for k, p in changes}), separators=(",", ":"),
                         ensure_ascii=False)
    return payload if len(payload.encode()) <= MAX_PAYLOAD else ""


def decode_changes(payload: str) -> frozenset[tuple[str, str]] | None:
    """The pairs of `encode_changes`, or None (wake every scope) for '' or anything unexpected."""
    if not payload:
        return None
    try:
        pairs = json.loads(payload)
        return frozenset((str(kind), str(path)) for kind, path in pairs)
    except (ValueError, TypeError):
        log.warning("feed notification with an unreadable payload: waking every scope")
        return None


def send_in_transaction(session: Any) -> None:
    """Queue the feed notification in the session's (PostgreSQL) transaction: PostgreSQL
    delivers it at commit, to every listening process, this one included."""
    from sqlalchemy import text

    payload = encode_changes(session.info.get("feed_changes"))
    session.execute(text(f"SELECT pg_notify({FEED_CHANNEL_SQL}, :payload)"), {"payload": payload})


def libpq_url(sqlalchemy_url: Any) -> str:
    """The psycopg connection string of a SQLAlchemy PostgreSQL URL."""
    from sqlalchemy.engine import make_url

    return str(make_url(sqlalchemy_url).set(drivername="postgresql")
               .render_as_string(hide_password=False))


class PgFeedListener:
    """The process's one LISTEN connection: each notification becomes `notifier.notify(changes)`.
    A lost connection is opened again (backoff up to 5 s); every scope is woken after each
    reconnect, since notifications sent meanwhile were lost (the long-polls' periodic database
    re-check covers the gap too). The app waits for the first connection before it serves."""

    def __init__(self, url: Any, notifier: FeedNotifier,
                 on_notification: Callable[[], None] | None = None) -> None:
        self.conninfo = libpq_url(url)
        self.notifier = notifier
        self.on_notification = on_notification
        self.connected = asyncio.Event()
        self.received = 0

    async def run(self) -> None:
        import psycopg

        delay = 0.2
        first = True
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(
                    self.conninfo, autocommit=True, application_name="sitroom-feed-listener")
            except (OSError, psycopg.Error) as exc:
                log.warning("cannot open the feed listener connection; retrying",
                            extra={"fields": {"event": "listener_down", "error": str(exc)[:200],
                                              "retry_s": delay}})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            try:
                cursor = await conn.execute(f"SELECT {FEED_CHANNEL_SQL}")
                channel = str((await cursor.fetchone())[0])  # type: ignore[index]
                await conn.execute(f'LISTEN "{channel}"')
                self.connected.set()
                delay = 0.2
                if not first:
                    self.notifier.notify()  # anything committed while we were not listening
                first = False
                async for note in conn.notifies():
                    self.received += 1
                    if self.on_notification is not None:
                        self.on_notification()
                    self.notifier.notify(decode_changes(note.payload))
            except (OSError, psycopg.Error) as exc:
                log.warning("feed listener connection lost; reconnecting",
                            extra={"fields": {"event": "listener_lost", "error": str(exc)[:200]}})
            finally:
                self.connected.clear()
                with contextlib.suppress(Exception):
                    await conn.close()
            await asyncio.sleep(delay)
