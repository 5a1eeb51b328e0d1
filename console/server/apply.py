"""The one mutation path: permission, scope, base version, domain rule, then row + feed + audit.

Used for console pushes, for the server's own mutations (escalation) and for admin operations,
so every change is checked the same way and lands in the feed and the audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from console.domain.chain_mutations import ACKNOWLEDGEMENTS, TARGETED
from console.domain.clock import iso
from console.domain.errors import DomainError
from console.domain.mutations import MUTATIONS, MutationContext, apply_mutation
from console.domain.org import in_scope, visible_in_scope
from console.domain.records import INHERITED_KINDS, RecordKind, owner_code
from console.domain.roles import Role, may
from console.protocol.schema import MutationStatus, Row
from console.server import feed, orgs
from console.server.refusals import audit_refusal

log = logging.getLogger("sitroom.server.mutations")

SYSTEM_USER = "system"


@dataclass(frozen=True)
class Actor:
    """Who makes a mutation. `role` None is the server itself (system mutations)."""

    username: str
    org_code: str
    scope_path: str
    role: Role | None
    client_id: str | None = None

    @property
    def is_system(self) -> bool:
        return self.role is None


def system_actor(session: Session, username: str = SYSTEM_USER) -> Actor:
    root = orgs.root_code(session) or ""
    return Actor(username=username, org_code=root, scope_path="/", role=None)


@dataclass(frozen=True)
class Outcome:
    status: MutationStatus
    version: int | None = None
    seq: int | None = None
    error_code: str | None = None
    message: str | None = None
    server_row: Row | None = None
    row: Row | None = None


def _rejected(code: str, message: str) -> Outcome:
    return Outcome(MutationStatus.REJECTED, error_code=code, message=message)


def apply_in_session(
    session: Session,
    actor: Actor,
    kind: str,
    record_kind: RecordKind | str,
    record_id: str,
    payload: dict[str, Any],
    base_version: int | None,
    at: datetime,
    stored_at: datetime | None = None,
    batch: feed.FeedBatch | None = None,
    client_seq: int | None = None,
) -> Outcome:
    """Decide and, if accepted, store one mutation inside the caller's write transaction.
    Nothing is written unless the outcome is APPLIED. `at` is the mutation's time (it goes into
    the row data); `stored_at` is the server's time of applying it (feed and audit), if other.

    The row is read (and locked) through `batch`, which stores the change at `batch.flush()`
    (many mutations in one transaction); without a batch this makes one, which locks the feed
    head first (the lock order, see console.server.feed), and stores the change before it
    returns. `client_seq` (with the actor's client id) names the console mutation, in the feed."""
    if batch is not None:
        outcome = _apply(session, actor, kind, record_kind, record_id, payload, base_version, at,
                         stored_at or at, batch, client_seq)
        audit_refusal(session, batch, actor, kind, record_kind, record_id, stored_at or at, outcome)
        return outcome
    own = feed.FeedBatch(session)
    try:
        outcome = _apply(session, actor, kind, record_kind, record_id, payload, base_version, at,
                         stored_at or at, own, client_seq)
        audit_refusal(session, own, actor, kind, record_kind, record_id, stored_at or at, outcome)
    except BaseException:
        own.discard()
        raise
    own.close()
    return outcome


def _apply(session: Session, actor: Actor, kind: str, record_kind: RecordKind | str,
           record_id: str, payload: dict[str, Any], base_version: int | None, at: datetime,
           stored_at: datetime, batch: feed.FeedBatch, client_seq: int | None) -> Outcome:
    spec = MUTATIONS.get(kind)
    if spec is None:
        return _rejected("unknown_mutation", f"unknown mutation kind {kind!r}")
    if spec.system_only and not actor.is_system:
        return _rejected("forbidden", f"{kind} is made by the server only")
    if actor.role is not None and not may(actor.role, kind):
        return _rejected("forbidden", f"a {actor.role} may not make {kind}")
    try:
        rkind = RecordKind(record_kind)
    except ValueError:
        return _rejected("invalid_value", f"unknown record kind {record_kind!r}")
    if rkind not in spec.record_kinds:
        return _rejected("invalid_value", f"{kind} does not apply to a {rkind}")

    stored = batch.current(rkind.value, record_id)
    current = stored if stored is not None and not stored.deleted else None

    if not spec.creates:
        if current is None:
            return _not_there(rkind, record_id)
        refusal = _refuse_existing(actor, kind, current, payload)
        if refusal:
            return refusal
        if spec.checks_base:
            if base_version is None:
                return _rejected("invalid_value", f"{kind} needs the base_version it was made on")
            if base_version != current.version:
                return Outcome(MutationStatus.CONFLICT, version=current.version,
                               error_code="conflict",
                               message=f"{rkind} {record_id} changed on the server (version "
                                       f"{current.version}, edit based on {base_version})",
                               server_row=feed.as_row(current))

    ctx = MutationContext(actor=actor.username, actor_org=actor.org_code, at=iso(at),
                          console=actor.client_id or "",
                          province_of=orgs.province_resolver(session),
                          lookup=_lookup(batch, actor),
                          received_at=iso(stored_at) if stored_at != at else "")
    try:
        new_data = apply_mutation(kind, rkind, record_id,
                                  dict(current.data) if current is not None else None, payload, ctx)
    except DomainError as exc:
        return _rejected(exc.code, exc.message)

    owner = owner_code(rkind, new_data)
    path = orgs.org_path(session, owner)
    outside = kind not in ACKNOWLEDGEMENTS and not actor.is_system and (
        path is None or not in_scope(path, actor.scope_path))
    if path is None or outside:
        # One answer for an office that does not exist and one outside the scope.
        return _rejected("out_of_scope", f"{owner!r} is not an office in your scope "
                                         f"({actor.scope_path})")
    if kind in TARGETED:
        refusal = _check_targets(session, new_data.get("targets", []), path)
        if refusal:
            return refusal

    # A deleted row keeps its key: it is written over (and its version goes on).
    version = stored.version + 1 if stored is not None else 1
    write = feed.RowWrite(rkind.value, record_id, version, path, new_data)
    seq = batch.add(write, stored_at, {
        "at": stored_at, "username": actor.username, "client_id": actor.client_id,
        "action": kind, "record_kind": rkind.value, "record_id": record_id, "org_path": path,
        "before": dict(current.data) if current is not None else None, "after": new_data,
        "note": None},
        origin=(actor.client_id, client_seq) if actor.client_id and client_seq is not None else None)
    # The domain made and checked the data: no second validation.
    row = Row.model_construct(kind=rkind, id=record_id, version=version, org_path=path,
                              data=new_data, deleted=False)
    return Outcome(MutationStatus.APPLIED, version=version, seq=seq, row=row)


def _not_there(kind: RecordKind | str, record_id: str) -> Outcome:
    """The one answer for a record that does not exist and one outside the caller's scope (a
    different answer would let anyone probe the ids of other jurisdictions)."""
    return _rejected("not_found", f"{kind} {record_id} does not exist in your scope")


def _lookup(batch: feed.FeedBatch, actor: Actor) -> Callable[[RecordKind, str], dict[str, Any] | None]:
    """The domain's lookup (MutationContext.lookup): a record's data if it exists in the actor's
    scope, as this transaction sees it (read and locked through the batch)."""
    def find(kind: RecordKind, record_id: str) -> dict[str, Any] | None:
        row = batch.current(RecordKind(kind).value, record_id)
        if row is None or row.deleted:
            return None
        # Inherited kinds (a reporting schedule set above) are visible from below, as in a pull.
        if not actor.is_system and not visible_in_scope(
                row.org_path, actor.scope_path, inherited=RecordKind(kind) in INHERITED_KINDS):
            return None
        return row.data
    return find


def _refuse_existing(actor: Actor, kind: str, current: feed.RowFields,
                     payload: dict[str, Any]) -> Outcome | None:
    if actor.is_system:
        return None
    if kind in ACKNOWLEDGEMENTS:
        # A station acknowledges orders and directives from above (visible to it), for itself only.
        if not visible_in_scope(current.org_path, actor.scope_path, inherited=True):
            return _not_there(current.kind, current.id)
        if payload.get("org_code") != actor.org_code:
            return _rejected("out_of_scope",
                             f"you acknowledge for your own office ({actor.org_code}) only")
        return None
    if not in_scope(current.org_path, actor.scope_path):
        return _not_there(current.kind, current.id)
    return None


def _check_targets(session: Session, targets: list[str], issuer_path: str) -> Outcome | None:
    """Duty orders, directives and reporting schedules go to offices strictly below the issuer
    (one answer for an office that does not exist and one elsewhere)."""
    for code in targets:
        path = orgs.org_path(session, code)
        if path is None or path == issuer_path or not path.startswith(issuer_path):
            return _rejected("out_of_scope", f"{code!r} is not an office below the issuer")
    return None
