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

The envelope is read strictly, each mutation on its own: a mutation that is not a valid
MutationIn is rejected with its reason ('invalid_mutation', stored like any result, so the ones
behind it go on); only an envelope error fails the request (MalformedPush: a mutation without a
valid client_seq, or two different mutations under one client_seq). Each stored result keeps a
digest of its mutation, so a different mutation sent later under a used (client id, client_seq)
is refused ('sequence_reused') instead of silently getting the first one's answer.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from console.domain.clock import parse_time
from console.domain.errors import DomainError
from console.protocol.limits import DEFAULT_LIMITS, INT64_MAX, WireLimits, identifier_problem
from console.protocol.schema import (
    MutationIn,
    MutationResult,
    MutationStatus,
    PushEnvelope,
    PushRequest,
    PushResponse,
)
from console.server import feed, metrics
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


class MalformedPush(Exception):
    """The push's envelope is malformed: the whole request is refused (422)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class _Item:
    """One mutation of a push as read: valid (`mutation`) or not (`problem`, worded)."""

    client_seq: int
    digest: str
    mutation: MutationIn | None
    problem: str | None
    kind: str
    record_kind: str
    record_id: str


# The fields a mutation is told apart by (with their defaults), for its digest.
_DIGEST_DEFAULTS: dict[str, Any] = {"base_version": None, "payload": {}}
_DIGEST_TEXT = json.JSONEncoder(sort_keys=True, separators=(",", ":")).encode  # ASCII: any text


def mutation_digest(raw: dict[str, Any]) -> str:
    """The digest of a mutation as sent: the same mutation sent again (a retry) has the same one."""
    return hashlib.sha256(_DIGEST_TEXT({**_DIGEST_DEFAULTS, **raw}).encode()).hexdigest()[:32]


def _echo(value: Any, limit: int = 64) -> str:
    """A field of a malformed mutation as it may go back in its result (and be stored)."""
    if isinstance(value, str) and len(value) <= limit and identifier_problem(value) is None:
        return value
    return ""


_UNSTORABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def _worded(exc: ValidationError) -> str:
    """A validation error in a line, for people (and storable: no NUL or surrogate in it)."""
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error.get("loc", ()))[:100]
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg")))
    more = f" (and {exc.error_count() - 3} more)" if exc.error_count() > 3 else ""
    return _UNSTORABLE.sub("?", "; ".join(parts) + more)[:500]


def read_mutations(raw_mutations: list[dict[str, Any]], limits: WireLimits = DEFAULT_LIMITS
                   ) -> list[_Item]:
    """The mutations of a push, in client_seq order, each read on its own; raises MalformedPush
    for an envelope error. The same mutation twice (a client's harmless repeat) counts once."""
    by_seq: dict[int, _Item] = {}
    for index, raw in enumerate(raw_mutations):
        seq = raw.get("client_seq")
        if type(seq) is not int or not 1 <= seq <= INT64_MAX:
            raise MalformedPush("invalid_client_seq",
                                f"mutations[{index}].client_seq must be a whole number from 1 "
                                f"to 2^63-1 (the console's sequence number of the mutation)")
        digest = mutation_digest(raw)
        seen = by_seq.get(seq)
        if seen is not None:
            if seen.digest == digest:
                continue
            raise MalformedPush("duplicate_client_seq",
                                f"client_seq {seq} is used by two different mutations in this "
                                f"push; number each mutation of a console once")
        try:
            m = MutationIn.model_validate(raw, context={"limits": limits})
        except ValidationError as exc:
            by_seq[seq] = _Item(seq, digest, None, _worded(exc), _echo(raw.get("kind")),
                                _echo(raw.get("record_kind"), 32), _echo(raw.get("record_id")))
        else:
            by_seq[seq] = _Item(seq, digest, m, None, m.kind, m.record_kind.value, m.record_id)
    return [by_seq[seq] for seq in sorted(by_seq)]


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
    """The client's row, locked until commit (one push at a time). A console is registered to
    its user at login (console.server.login.bind_client); a session opened before consoles were
    registered registers its own here. Never another user's: ClientTaken."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(Client).values(client_id=client_id, username=username, last_seq=0)
                    .on_conflict_do_nothing(index_elements=["client_id"]))
    client = session.execute(
        select(Client).where(Client.client_id == client_id).with_for_update()
    ).scalar_one()
    if client.username != username:
        raise ClientTaken(f"console {client_id} is registered to another user, and a console "
                          "belongs to one user for good: push from your own console")
    return client


def push(db: Database, caller: Caller, request: PushEnvelope | PushRequest, clock: ServerClock,
         limits: WireLimits = DEFAULT_LIMITS) -> PushResponse:
    """Apply a push request in one transaction; see the module docstring. Raises MalformedPush
    for an envelope error (nothing is applied)."""
    ordered = read_mutations([m if isinstance(m, dict) else m.model_dump(mode="json")
                              for m in request.mutations], limits)
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
    metrics.push_answered(results)
    return PushResponse(results=results)


def _push_batch(db: Database, actor: Actor, ordered: list[_Item], clock: ServerClock
                ) -> tuple[list[MutationResult], list[tuple[_Item, MutationResult]]]:
    """(the result of every mutation, the ones decided now) after one committed transaction."""
    client_id = actor.client_id or ""
    results: list[MutationResult] = []
    decided: list[tuple[_Item, MutationResult]] = []
    with db.write() as session:
        client = lock_client(session, client_id, actor.username)
        last = client.last_seq
        stored = _stored_results(session, client_id, [m.client_seq for m in ordered
                                                      if m.client_seq <= last])
        batch: feed.FeedBatch | None = None
        expected = last + 1
        for m in ordered:
            if m.client_seq <= last:
                found = stored.get(m.client_seq)
                if found is None:
                    results.append(_unavailable(m))
                elif found[1] is not None and found[1] != m.digest:
                    results.append(_reused(m, found[0]))
                else:
                    results.append(found[0])
            elif m.client_seq != expected:
                results.append(_deferred(m))  # and so is every later one
            else:
                if m.mutation is None:
                    result = _invalid(m)
                else:
                    if batch is None:
                        batch = feed.FeedBatch(session)  # the feed head, before any row lock
                        batch.prefetch((n.record_kind, n.record_id) for n in ordered
                                       if n.client_seq > last and n.mutation is not None)
                    result = _apply_one(session, batch, actor, m.mutation, clock)
                results.append(result)
                decided.append((m, result))
                expected += 1
        if batch is not None:
            batch.close()
        if decided:
            # The results commit with the changes, so a retried push gets them back; each with
            # its mutation's digest, which tells a retry from another mutation under its seq.
            feed.insert_many(session, ClientResult.__table__, [
                {"client_id": client_id, "client_seq": m.client_seq,
                 "result": {**result.model_dump(mode="json"), _DIGEST_KEY: m.digest}}
                for m, result in decided])
            client.last_seq = expected - 1
    return results, decided


_DIGEST_KEY = "mutation_digest"  # in a stored result (MutationResult ignores it when read)


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


def _stored_results(session: Session, client_id: str, seqs: list[int]
                    ) -> dict[int, tuple[MutationResult, str | None]]:
    """The stored result of each seq, with its mutation's digest (None: stored before digests)."""
    found: dict[int, tuple[MutationResult, str | None]] = {}
    for start in range(0, len(seqs), 500):
        for seq, result in session.execute(
            select(ClientResult.client_seq, ClientResult.result).where(
                ClientResult.client_id == client_id,
                ClientResult.client_seq.in_(seqs[start:start + 500]))
        ):
            digest = result.get(_DIGEST_KEY) if isinstance(result, dict) else None
            found[int(seq)] = (MutationResult.model_validate(result),
                               digest if isinstance(digest, str) else None)
    return found


def _result(m: _Item, status: MutationStatus, error_code: str | None, message: str
            ) -> MutationResult:
    return MutationResult(client_seq=m.client_seq, status=status, record_kind=m.record_kind,
                          record_id=m.record_id, error_code=error_code, message=message)


def _invalid(m: _Item) -> MutationResult:
    return _result(m, MutationStatus.REJECTED, "invalid_mutation",
                   f"this mutation is malformed and was not applied: {m.problem}")


def _reused(m: _Item, first: MutationResult) -> MutationResult:
    what = f"{first.record_kind} {first.record_id}".strip() or "another record"
    return _result(m, MutationStatus.REJECTED, "sequence_reused",
                   f"sequence reused: client_seq {m.client_seq} of this console was already used "
                   f"for a different mutation (on {what}); this one was not applied. A console "
                   f"numbers each new mutation after its last one")


def _unavailable(m: _Item) -> MutationResult:
    return _result(m, MutationStatus.REJECTED, "result_unavailable",
                   "this mutation was processed but its result is no longer kept")


def _deferred(m: _Item) -> MutationResult:
    return _result(m, MutationStatus.DEFERRED, None,
                   "an earlier client_seq has not arrived; send it first")
