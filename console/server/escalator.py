"""Escalation: NEW incidents past their code's acknowledgement limit go up to the province.

With several server processes on one PostgreSQL, exactly one runs the escalator: the one that
holds a session-level advisory lock (`EscalatorLease`) on a connection of its own. When that
process dies, PostgreSQL ends its session and frees the lock, and the next process to try
takes it over. Escalating twice is impossible anyway (each escalation re-checks its incident
under the row lock); the lease keeps the passes from all processes off the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from console.domain.errors import DomainError
from console.domain.incidents import Incident, IncidentStatus
from console.domain.records import RecordKind, from_stored
from console.protocol.schema import MutationStatus
from console.server import feed, orgs
from console.server.apply import apply_in_session, system_actor
from console.server.clock import ServerClock
from console.server.database import Database
from console.server.tables import RowRecord

log = logging.getLogger("sitroom.server.escalator")


def _overdue(data: dict[str, Any], clock: ServerClock) -> bool:
    try:
        incident: Incident = from_stored(RecordKind.INCIDENT, dict(data))
    except DomainError:
        return False
    return not incident.escalated and incident.is_overdue(clock.now())


def escalate_overdue(db: Database, clock: ServerClock) -> list[str]:
    """Escalate every overdue incident (one transaction each); returns their ids."""
    with db.read() as session:
        candidates = session.execute(
            select(RowRecord.id, RowRecord.data).where(
                RowRecord.kind == RecordKind.INCIDENT.value, RowRecord.deleted.is_(False),
                RowRecord.data["status"].as_string() == IncidentStatus.NEW.value)
        ).all()
    escalated: list[str] = []
    for record_id, data in candidates:
        if not _overdue(data, clock):
            continue
        with db.write() as session:
            feed.lock(session)  # the feed head before the row (the lock order, see feed)
            # Re-check under the row lock: a console may have acknowledged it meanwhile.
            current = session.execute(
                select(RowRecord).where(RowRecord.kind == RecordKind.INCIDENT.value,
                                        RowRecord.id == record_id).with_for_update()
            ).scalar_one_or_none()
            if current is None or not _overdue(current.data, clock):
                continue
            station = str(current.data.get("station_code", ""))
            actor = system_actor(session)
            province = orgs.province_of(session, station) or actor.org_code
            outcome = apply_in_session(session, actor, "incident.escalate", RecordKind.INCIDENT,
                                       record_id, {"to": province}, None, clock.now())
        if outcome.status == MutationStatus.APPLIED:
            escalated.append(record_id)
            log.info("incident escalated", extra={"fields": {
                "event": "escalation", "incident": record_id, "to": province, "seq": outcome.seq}})
        else:
            log.warning("escalation refused", extra={"fields": {
                "incident": record_id, "code": outcome.error_code, "message": outcome.message}})
    return escalated


# pg_advisory_lock's keys for "runs the escalator": a fixed number no one else uses, and the
# schema's (advisory locks are per database; sitroom databases in several schemas of one
# database, as the tests make them, each have their own escalator).
ESCALATOR_LOCK_CLASS = 0x5175_7201
LEASE_APPLICATION_NAME = "sitroom-escalator"


class EscalatorLease:
    """The advisory lock that makes one process of many the escalator, on a dedicated
    connection (session-level: it lasts as long as that connection). Blocking calls: run them
    on a thread."""

    def __init__(self, url: Any) -> None:
        from console.server.notifier import libpq_url

        self.conninfo = libpq_url(url)
        self._conn: Any = None

    @property
    def held(self) -> bool:
        return self._conn is not None

    def try_acquire(self) -> bool:
        """Take the lock if no other process holds it; True if this process holds it now."""
        import psycopg

        if self._conn is not None:
            return self.check()
        try:
            conn = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5,
                                   application_name=f"{LEASE_APPLICATION_NAME} pid={os.getpid()}")
        except psycopg.Error as exc:
            log.warning("cannot open the escalator's lock connection",
                        extra={"fields": {"event": "escalator_lease", "error": str(exc)[:200]}})
            return False
        try:
            got = bool(conn.execute("SELECT pg_try_advisory_lock(%s, hashtext(current_schema()))",
                                    (ESCALATOR_LOCK_CLASS,)).fetchone()[0])  # type: ignore[index]
        except psycopg.Error:
            got = False
        if not got:
            conn.close()
            return False
        self._conn = conn
        log.info("this process runs the escalator now", extra={"fields": {
            "event": "escalator_lease", "held": True, "pid": os.getpid()}})
        return True

    def check(self) -> bool:
        """Whether the lock is still ours (its connection answers); a lost one is let go."""
        import psycopg

        if self._conn is None:
            return False
        try:
            self._conn.execute("SELECT 1")
            return True
        except psycopg.Error:
            log.warning("the escalator's lock connection was lost: another process may take over",
                        extra={"fields": {"event": "escalator_lease", "held": False}})
            self.release()
            return False

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()  # ends the session: PostgreSQL frees the lock


async def run_escalator(db: Database, clock: ServerClock, interval: float,
                        gate: threading.Event | None = None,
                        lease: EscalatorLease | None = None,
                        on_lease: Callable[[bool], None] | None = None) -> None:
    """Background task of the app: check every `interval` seconds until cancelled; while `gate`
    is clear, wait. With a `lease`, only while this process holds it (tried again every
    `interval`); `on_lease(held)` hears each change."""
    try:
        await _escalate_forever(db, clock, interval, gate, lease, on_lease)
    finally:
        if lease is not None:
            lease.release()
            if on_lease is not None:
                on_lease(False)


async def _escalate_forever(db: Database, clock: ServerClock, interval: float,
                            gate: threading.Event | None, lease: EscalatorLease | None,
                            on_lease: Callable[[bool], None] | None) -> None:
    held = False
    while True:
        if gate is not None and not gate.is_set():
            await asyncio.sleep(min(interval, 0.5))
            continue
        if lease is not None:
            now_held = await run_in_threadpool(lease.try_acquire)
            if now_held != held and on_lease is not None:
                on_lease(now_held)
            held = now_held
            if not held:
                await asyncio.sleep(interval)
                continue
        try:
            await run_in_threadpool(escalate_overdue, db, clock)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("escalation pass failed")
        await asyncio.sleep(interval)
