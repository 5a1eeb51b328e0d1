"""Refused attempts in the audit log: a mutation refused for the caller's role or scope leaves
an entry, though the console's answer may not say so (an id outside the scope is answered as
one that does not exist, see console.server.apply)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from console.domain.chain_mutations import ACKNOWLEDGEMENTS
from console.domain.org import in_scope, visible_in_scope
from console.domain.records import RecordKind
from console.protocol.schema import MutationStatus
from console.server import audit_chain, feed

if TYPE_CHECKING:
    from console.server.apply import Actor, Outcome

ACTION = "mutation.refused"
_ALWAYS = frozenset({"forbidden", "out_of_scope"})


def audit_refusal(session: Session, batch: feed.FeedBatch, actor: Actor, kind: str,
                  record_kind: RecordKind | str, record_id: str, at: datetime,
                  outcome: Outcome) -> None:
    """Queue an audit entry if `outcome` refused the actor's role or scope: a forbidden kind, an
    office outside the scope, or a record that exists outside it (answered "not found")."""
    if outcome.status != MutationStatus.REJECTED or actor.is_system:
        return
    code = outcome.error_code or ""
    if code not in _ALWAYS and code != "not_found":
        return
    try:
        rkind: str | None = RecordKind(record_kind).value
    except ValueError:
        rkind = None
    row = batch.current(rkind, record_id) if rkind is not None else None
    if code == "not_found":
        if row is None or row.deleted:
            return  # truly not there: not an attempt on anyone's record
        visible = (visible_in_scope(row.org_path, actor.scope_path, inherited=True)
                   if kind in ACKNOWLEDGEMENTS else in_scope(row.org_path, actor.scope_path))
        if visible:
            return
        reason = "the record is outside the caller's scope (answered as not found)"
    else:
        reason = outcome.message or code
    audit_chain.append(session, [{
        "at": at, "username": actor.username, "client_id": actor.client_id, "action": ACTION,
        "record_kind": rkind, "record_id": record_id[:64],
        # Where the target is, so the HQ above it sees the attempt; else the caller's office.
        "org_path": row.org_path if row is not None else actor.scope_path,
        "note": f"{kind} refused ({code}): {reason}"[:2000]}])
