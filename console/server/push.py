"""Pushed mutations: per client, in client_seq order, exactly once; one transaction per push.

A push request is applied in ONE write transaction (one commit, so one fsync, per request):
- the client's row is locked first (one push per console at a time), then the feed head, once,
  for the whole batch (see console.server.feed: seqs still commit in order, without gaps), then
  the rows the batch touches (read and locked together);
- mutations are decided one by one in client_seq order, each against the rows as the earlier
  ones of the batch left them. A rejected or conflicting one writes nothing and does not block
  those behind it. An applied one gets its version and feed seq at once; its row, feed entry
  and audit record are stored with the others at the end (a FeedBatch), in a few statements.
  (No SAVEPOINT per mutation: nothing is written while a mutation is decided, so there is
  nothing to roll back; the savepoints alone cost about half as much as applying.)
- the stored results commit with the batch and the client's last_seq moves with them, so a
  retried push gets the stored results back (exactly once);
- anything that is not the mutation's own fault (a database error, a bug) fails the whole
  request: nothing of it commits, the console learns no result and retries it.
"""

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
from console.server import feed
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
    """Apply a push request in one transaction; see the module docstring."""
    seen: set[int] = set()
    ordered: list[MutationIn] = []
    for m in sorted(request.mutations, key=lambda m: m.client_seq):
        if m.client_seq not in seen:
            seen.add(m.client_seq)
            ordered.append(m)
    actor = caller.actor(request.client_id)
    for attempt in range(2):
        try:
            results, applied = _push_batch(db, actor, ordered, clock)
            break
        except IntegrityError:
            # The client row appeared concurrently (or a row a mutation creates, if a writer
            # skipped the feed lock): nothing was committed; redo the whole batch once.
            if attempt == 0:
                continue
            raise
    if log.isEnabledFor(logging.INFO):
        for m, result in applied:
            log.info("mutation %s", result.status.value, extra={"fields": {
                "event": "mutation", "status": result.status.value, "user": actor.username,
                "client_id": actor.client_id, "client_seq": m.client_seq, "kind": m.kind,
                "record": f"{m.record_kind}/{m.record_id}", "seq": result.seq,
                "error_code": result.error_code}})
    return PushResponse(results=results)


def _push_batch(db: Database, actor: Actor, ordered: list[MutationIn], clock: ServerClock
                ) -> tuple[list[MutationResult], list[tuple[MutationIn, MutationResult]]]:
    """(the result of every mutation, the ones decided now) after one committed transaction."""
    client_id = actor.client_id or ""
    results: list[MutationResult] = []
    decided: list[tuple[MutationIn, MutationResult]] = []
    with db.write() as session:
        client = lock_client(session, client_id, actor.username)
        last = client.last_seq
        stored = _stored_results(session, client_id, [m.client_seq for m in ordered
                                                      if m.client_seq <= last])
        batch: feed.FeedBatch | None = None
        expected = last + 1
        for m in ordered:
            if m.client_seq <= last:
                results.append(stored.get(m.client_seq) or _unavailable(m))
            elif m.client_seq != expected:
                results.append(_deferred(m))  # and so is every later one
            else:
                if batch is None:
                    batch = feed.FeedBatch(session)  # the feed head, before any row lock
                    batch.prefetch((n.record_kind.value, n.record_id) for n in ordered
                                   if n.client_seq > last)
                result = _apply_one(session, batch, actor, m, clock)
                results.append(result)
                decided.append((m, result))
                expected += 1
        if batch is not None:
            batch.close()
        if decided:
            # The results commit with the changes, so a retried push gets them back.
            feed.insert_many(session, ClientResult.__table__, [
                {"client_id": client_id, "client_seq": m.client_seq,
                 "result": result.model_dump(mode="json")} for m, result in decided])
            client.last_seq = expected - 1
    return results, decided


def _apply_one(session: Session, batch: feed.FeedBatch, actor: Actor, m: MutationIn,
               clock: ServerClock) -> MutationResult:
    now = clock.now()
    outcome = apply_in_session(session, actor, m.kind, m.record_kind, m.record_id, m.payload,
                               m.base_version, context_time(m.made_at, now), stored_at=now,
                               batch=batch, client_seq=m.client_seq)
    return MutationResult(
        client_seq=m.client_seq, status=outcome.status, record_kind=m.record_kind,
        record_id=m.record_id, version=outcome.version, seq=outcome.seq,
        error_code=outcome.error_code, message=outcome.message, server_row=outcome.server_row)


def _stored_results(session: Session, client_id: str, seqs: list[int]) -> dict[int, MutationResult]:
    found: dict[int, MutationResult] = {}
    for start in range(0, len(seqs), 500):
        for seq, result in session.execute(
            select(ClientResult.client_seq, ClientResult.result).where(
                ClientResult.client_id == client_id,
                ClientResult.client_seq.in_(seqs[start:start + 500]))
        ):
            found[int(seq)] = MutationResult.model_validate(result)
    return found


def _unavailable(m: MutationIn) -> MutationResult:
    return MutationResult(client_seq=m.client_seq, status=MutationStatus.REJECTED,
                          record_kind=m.record_kind, record_id=m.record_id,
                          error_code="result_unavailable",
                          message="this mutation was processed but its result is no longer kept")


def _deferred(m: MutationIn) -> MutationResult:
    return MutationResult(client_seq=m.client_seq, status=MutationStatus.DEFERRED,
                          record_kind=m.record_kind, record_id=m.record_id,
                          message="an earlier client_seq has not arrived; send it first")
