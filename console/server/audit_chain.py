"""The audit log as a hash chain: each entry carries the previous entry's hash and its own, over
a canonical form of the entry, so an edited, removed or inserted entry breaks the chain.

Writing: every audit entry of a write transaction is queued (`append`, or an `AuditRecord`
added to the session, which is taken off the session and queued) and written when the
transaction commits, in one go: the writer locks the `audit_head` row, numbers the entries after
it (ids with no gaps), chains them and moves the head. That lock is the last one any transaction
takes (at commit, after the feed head and the rows; see console.server.feed), so it cannot
deadlock, and two writers cannot fork the chain: the second reads the head the first left.

Verifying: `verify` walks the entries in id order and names the first broken one. Someone who
can write the database can also re-hash everything after an edit; `export_heads` gives hashes
along the chain to keep elsewhere, and `verify(heads=...)` checks the chain still passes
through them.

Entries written by `sitroom admin` (a Database opened with `audit_as_os_user`) are attributed to
the operating-system account that ran it; a name the command was given (`--by`) is kept as a
note beside it.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from console.server.tables import AuditHead, AuditRecord

GENESIS = "0" * 64  # the "previous hash" of the first entry
HEAD_ID = 1

# The entry's columns in canonical order (everything but the two hashes).
ENTRY_COLUMNS = ("id", "at", "username", "os_user", "client_id", "action", "record_kind",
                 "record_id", "org_path", "before", "after", "note")
_GIVEN_COLUMNS = ENTRY_COLUMNS[1:]  # what a writer gives (the id is assigned here)

PENDING = "sitroom_audit_pending"  # session.info: entries waiting for the commit
OS_USER = "sitroom_audit_os_user"  # session.info: attribute entries to this OS account
# Names an admin command uses when nobody is named: replaced by the OS account, not noted.
_DEFAULT_NAMES = frozenset({"admin"})


# -- the canonical form -----------------------------------------------------------------------
_ENCODE = json.JSONEncoder(ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode


def canonical(entry: Mapping[Any, Any]) -> str:
    """The entry (its ENTRY_COLUMNS) as one line of JSON, the same whichever database stored it:
    sorted keys, ASCII, the time as UTC with microseconds, numbers as PostgreSQL's jsonb gives
    them back (see _stable_numbers)."""
    at = entry["at"]
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise ValueError(f"an audit entry's time must be an aware datetime, not {at!r}")
    values = [entry[c] for c in ENTRY_COLUMNS]
    values[1] = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    text = _ENCODE(values)
    # A plain substring test costs a microsecond; most entries hold no such number.
    if "e+" in text or "-0.0" in text:
        text = _ENCODE(_stable_numbers(values))
    return text


def _stable_numbers(value: Any) -> Any:
    """Numbers in the form jsonb stores them: a float of 1e16 or more (written with an exponent)
    becomes the integer of its decimal text (jsonb gives 1e+16 back as 10000000000000000), and
    a negative zero is zero. Other floats and all integers come back as they went."""
    if isinstance(value, float):
        if value == 0:
            return 0.0
        if abs(value) >= 1e16 and math.isfinite(value):
            return int(Decimal(repr(value)))
        return value
    if isinstance(value, dict):
        return {k: _stable_numbers(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_stable_numbers(v) for v in value]
    return value


def chain_hash(prev_hash: str, canonical_text: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical_text}".encode("ascii")).hexdigest()


# -- who ran it -------------------------------------------------------------------------------
def os_user() -> str:
    """The operating-system account of this process (by its user id, not the environment's
    USER, which anyone can set); `root (sudo from kim)` under sudo."""
    name: str | None = None
    getuid = getattr(os, "getuid", None)
    if getuid is not None:
        try:
            import pwd

            name = pwd.getpwuid(getuid()).pw_name
        except (ImportError, KeyError):
            name = f"uid {getuid()}"
        sudo = os.environ.get("SUDO_USER")
        if getuid() == 0 and sudo and sudo != name:
            name = f"{name} (sudo from {sudo})"
    if name is None:
        try:
            name = getpass.getuser()
        except (OSError, KeyError):
            name = "unknown"
    return name[:64]


def _attribute(entry: dict[str, Any], account: str) -> None:
    given = entry.get("username")
    entry["os_user"] = account
    entry["username"] = account
    if given and given != account and given not in _DEFAULT_NAMES:
        note = entry.get("note")
        entry["note"] = f"--by {given}" + (f"; {note}" if note else "")


# -- writing ----------------------------------------------------------------------------------
def append(session: Session, entries: Iterable[Mapping[str, Any]]) -> None:
    """Queue audit entries (AuditRecord columns: at, username, action, ...; missing ones are
    None) to be numbered, chained and written when the session's transaction commits."""
    pending: list[dict[str, Any]] = session.info.setdefault(PENDING, [])
    pending.extend({c: e.get(c) for c in _GIVEN_COLUMNS} for e in entries)


def _write_pending(session: Session) -> None:
    pending: list[dict[str, Any]] | None = session.info.pop(PENDING, None)
    if not pending:
        return
    from console.server.feed import insert_many  # feed imports this module

    account = session.info.get(OS_USER)
    last_id, prev = session.execute(
        select(AuditHead.last_id, AuditHead.last_hash).where(AuditHead.id == HEAD_ID).with_for_update()
    ).one()
    next_id = int(last_id)
    for entry in pending:
        if account:
            _attribute(entry, account)
        next_id += 1
        entry["id"] = next_id
        entry["prev_hash"] = prev
        prev = entry["entry_hash"] = chain_hash(prev, canonical(entry))
    insert_many(session, AuditRecord.__table__, pending)
    session.execute(update(AuditHead).where(AuditHead.id == HEAD_ID)
                    .values(last_id=next_id, last_hash=prev))


def _as_entry(record: AuditRecord) -> dict[str, Any]:
    return {c: getattr(record, c) for c in _GIVEN_COLUMNS}


@event.listens_for(Session, "before_flush")
def _queue_added_records(session: Session, _context: Any, _instances: Any) -> None:
    # An AuditRecord added to the session joins the queue, so it is chained like the others.
    added = [obj for obj in session.new if isinstance(obj, AuditRecord)]
    for record in added:
        session.expunge(record)
    if added:
        append(session, [_as_entry(r) for r in added])


@event.listens_for(Session, "before_commit")
def _write_at_commit(session: Session) -> None:
    if any(isinstance(obj, AuditRecord) for obj in session.new):
        session.flush()  # moves them to the queue (above)
    _write_pending(session)


@event.listens_for(Session, "after_transaction_end")
def _forget_at_end(session: Session, transaction: Any) -> None:
    # Rolled back (or committed, with nothing left): the queue belongs to that transaction.
    if transaction.parent is None:
        session.info.pop(PENDING, None)


# -- verifying --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Head:
    """A point of the chain kept elsewhere: the entry's id and hash."""

    id: int
    hash: str
    at: str = ""


@dataclass(frozen=True)
class Verification:
    entries: int
    last_id: int
    last_hash: str
    heads_checked: int
    broken_at: int | None = None  # the first broken entry's id (it may be a missing one)
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None and not self.reason


_VERIFY_COLUMNS = tuple(getattr(AuditRecord, c) for c in (*ENTRY_COLUMNS, "prev_hash", "entry_hash"))


def verify(session: Session, heads: Sequence[Head] = (), page: int = 2000) -> Verification:
    """Walk the chain in id order; the first entry that breaks it, with the reason, or ok."""
    wanted = {h.id: h for h in heads}
    seen_heads = 0
    prev_id: int | None = None
    prev_hash, before_prev_hash = GENESIS, None
    count = 0

    def broken(entry_id: int, reason: str) -> Verification:
        return Verification(count, prev_id or 0, prev_hash, seen_heads, entry_id, reason)

    after = 0
    while True:
        rows = session.execute(select(*_VERIFY_COLUMNS).where(AuditRecord.id > after)
                               .order_by(AuditRecord.id).limit(page)).all()
        for row in rows:
            entry = row._mapping
            rid = int(entry["id"])
            if entry["prev_hash"] != prev_hash:
                return broken(*_link_break(rid, entry["prev_hash"], prev_id, before_prev_hash))
            if entry["entry_hash"] != chain_hash(prev_hash, canonical(entry)):
                return broken(rid, f"entry {rid} was changed after it was written (its content "
                                   "does not match its hash)")
            head = wanted.get(rid)
            if head is not None:
                if head.hash != entry["entry_hash"]:
                    return broken(rid, f"entry {rid} is not the one exported as a chain head"
                                       f"{_when(head)}: the log was rewritten up to here")
                seen_heads += 1
            count += 1
            before_prev_hash, prev_hash, prev_id = prev_hash, str(entry["entry_hash"]), rid
        if len(rows) < page:
            break
        after = int(rows[-1][0])
    last_id = prev_id or 0
    stored = session.execute(select(AuditHead.last_id, AuditHead.last_hash)
                             .where(AuditHead.id == HEAD_ID)).one_or_none()
    if stored is None:
        return broken(last_id, "the audit head row is missing")
    if int(stored[0]) != last_id or stored[1] != prev_hash:
        if int(stored[0]) > last_id:
            return broken(last_id + 1, f"entries after {last_id} are missing: the log should end "
                                       f"at entry {stored[0]}")
        return broken(last_id, f"the log ends at entry {last_id}, but the chain head says "
                               f"{stored[0]}: entries were added outside sitroom")
    for head in sorted(wanted.values(), key=lambda h: h.id):
        if head.id > last_id:
            return broken(head.id, f"entry {head.id}, exported as a chain head{_when(head)}, is "
                                   f"missing: the log ends at {last_id}")
    return Verification(count, last_id, prev_hash, seen_heads)


def _link_break(rid: int, its_prev: str, prev_id: int | None, before_prev_hash: str | None
                ) -> tuple[int, str]:
    """Which entry a broken link points at: the entry before (inserted, or changed and
    re-hashed) or missing entries in between."""
    if prev_id is None:
        return rid, f"entry {rid} is the first one left, but it was not the first written: " \
                    "the entries before it were removed"
    if before_prev_hash is not None and its_prev == before_prev_hash:
        return prev_id, f"entry {prev_id} was inserted: entry {rid} was chained to the entry before it"
    if rid == prev_id + 1:
        return prev_id, f"entry {prev_id} was changed or replaced and its hash made again: " \
                        f"entry {rid} was chained to another one"
    return prev_id + 1, f"entries {prev_id + 1}-{rid - 1} are missing: entry {rid} was chained " \
                        "to one of them"


def _when(head: Head) -> str:
    return f" ({head.at})" if head.at else ""


def export_heads(session: Session, every: int = 1000) -> list[Head]:
    """The chain's hashes at every `every`-th entry and at the last one."""
    if every < 1:
        raise ValueError("every must be at least 1")
    last = session.execute(select(AuditHead.last_id).where(AuditHead.id == HEAD_ID)).scalar_one()
    rows = session.execute(
        select(AuditRecord.id, AuditRecord.entry_hash, AuditRecord.at)
        .where((AuditRecord.id % every == 0) | (AuditRecord.id == last)).order_by(AuditRecord.id)
    ).all()
    return [Head(int(rid), str(digest), at.astimezone(UTC).isoformat()) for rid, digest, at in rows]


def chain_rows(rows: Iterable[dict[str, Any]], prev_hash: str = GENESIS) -> str:
    """Chain entries that already have ids (in id order): sets prev_hash and entry_hash on each
    and returns the last hash. For the migration that chains a log written before the chain."""
    for entry in rows:
        entry["prev_hash"] = prev_hash
        prev_hash = entry["entry_hash"] = chain_hash(prev_hash, canonical(entry))
    return prev_hash
