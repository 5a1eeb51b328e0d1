"""Escalation: NEW incidents past their code's acknowledgement limit go up to the province."""

from __future__ import annotations

import asyncio
import logging
import threading
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


async def run_escalator(db: Database, clock: ServerClock, interval: float,
                        gate: threading.Event | None = None) -> None:
    """Background task of the app: check every `interval` seconds until cancelled; while `gate`
    is clear, wait."""
    while True:
        if gate is not None and not gate.is_set():
            await asyncio.sleep(min(interval, 0.5))
            continue
        try:
            await run_in_threadpool(escalate_overdue, db, clock)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("escalation pass failed")
        await asyncio.sleep(interval)
