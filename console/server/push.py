"""Pushed mutations: per client, in client_seq order, exactly once, each in its own transaction."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from console.domain.clock import parse_time
from console.domain.errors import DomainError
from console.protocol.schema import MutationIn, MutationResult, MutationStatus, PushRequest, PushResponse
from console.server.apply import Actor, apply_in_session
from console.server.auth import Caller
from console.server.clock import ServerClock
from console.server.database import Database
from console.server.tables import Client, ClientResult

log = logging.getLogger("sitroom.server.mutations")

# A console's own time is trusted within this window around the server's clock.
MADE_AT_PAST = timedelta(hours=24)
MADE_AT_FUTURE = timedelta(minutes=2)


class ClientTaken(Exception):
    """The client id is bound to another user."""


def context_time(made_at: str, server_now: datetime) -> datetime:
    """The console's made_at if plausible, else the server's now."""
    try:
        made = parse_time(made_at, "made_at")
    except DomainError:
        return server_now
    if server_now - MADE_AT_PAST <= made <= server_now + MADE_AT_FUTURE:
        return made
    return server_now


def lock_client(session: Session, client_id: str, username: str) -> Client:
    """The client's row, created on first use, locked until commit (one push at a time)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(Client).values(client_id=client_id, username=username, last_seq=0)
                    .on_conflict_do_nothing(index_elements=["client_id"]))
    client = session.execute(
        select(Client).where(Client.client_id == client_id).with_for_update()
    ).scalar_one()
    if client.username != username:
        raise ClientTaken(f"client id {client_id} belongs to another user")
    return client


def push(db: Database, caller: Caller, request: PushRequest, clock: ServerClock) -> PushResponse:
    seen: set[int] = set()
    ordered = []
    for m in sorted(request.mutations, key=lambda m: m.client_seq):
        if m.client_seq not in seen:
            seen.add(m.client_seq)
            ordered.append(m)
    results: list[MutationResult] = []
    blocked = False
    for m in ordered:
        if blocked:
            results.append(_deferred(m))
            continue
        result = _push_one(db, caller.actor(request.client_id), m, clock)
        blocked = result.status == MutationStatus.DEFERRED
        results.append(result)
    return PushResponse(results=results)


def _deferred(m: MutationIn) -> MutationResult:
    return MutationResult(client_seq=m.client_seq, status=MutationStatus.DEFERRED,
                          record_kind=m.record_kind, record_id=m.record_id,
                          message="an earlier client_seq has not arrived; send it first")


def _push_one(db: Database, actor: Actor, m: MutationIn, clock: ServerClock) -> MutationResult:
    client_id = actor.client_id or ""
    for attempt in range(2):
        try:
            with db.write() as session:
                client = lock_client(session, client_id, actor.username)
                if m.client_seq <= client.last_seq:
                    stored = session.get(ClientResult, (client_id, m.client_seq))
                    if stored is None:
                        return MutationResult(
                            client_seq=m.client_seq, status=MutationStatus.REJECTED,
                            record_kind=m.record_kind, record_id=m.record_id,
                            error_code="result_unavailable",
                            message="this mutation was processed but its result is no longer kept")
                    return MutationResult.model_validate(stored.result)
                if m.client_seq > client.last_seq + 1:
                    return _deferred(m)
                now = clock.now()
                outcome = apply_in_session(session, actor, m.kind, m.record_kind, m.record_id,
                                           m.payload, m.base_version, context_time(m.made_at, now),
                                           stored_at=now)
                result = MutationResult(
                    client_seq=m.client_seq, status=outcome.status, record_kind=m.record_kind,
                    record_id=m.record_id, version=outcome.version, seq=outcome.seq,
                    error_code=outcome.error_code, message=outcome.message,
                    server_row=outcome.server_row)
                session.add(ClientResult(client_id=client_id, client_seq=m.client_seq,
                                         result=result.model_dump(mode="json")))
                client.last_seq = m.client_seq
        except IntegrityError:
            # Two consoles created the same id at once: redo it, it now sees the row and is
            # rejected as a duplicate, or the client row appeared concurrently.
            if attempt == 0:
                continue
            raise
        log.info("mutation %s", result.status.value, extra={"fields": {
            "event": "mutation", "status": result.status.value, "user": actor.username,
            "client_id": client_id, "client_seq": m.client_seq, "kind": m.kind,
            "record": f"{m.record_kind}/{m.record_id}", "seq": result.seq,
            "error_code": result.error_code}})
        return result
    raise AssertionError("unreachable")
