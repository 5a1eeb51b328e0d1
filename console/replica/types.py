"""Plain value types the replica hands out: view rows, outbox entries, conflicts, change events."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from console.domain.records import RecordKind
from console.domain.roles import Role
from console.protocol.schema import Row


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for the server's answer
    APPLIED = "applied"  # acknowledged; kept (and replayed) until the feed brings the new row
    REJECTED = "rejected"  # refused by the server: final, kept until the user dismisses it
    CONFLICT = "conflict"  # stale base version: waits for the user's resolution


@dataclass(frozen=True)
class ViewRow:
    """A row as the console shows it: the server row with own pending mutations on top."""

    kind: RecordKind
    id: str
    version: int  # the server version it is based on (0 for an unacknowledged create)
    org_path: str
    data: dict[str, Any]
    pending: bool


@dataclass(frozen=True)
class OutboxEntry:
    client_seq: int
    kind: str
    record_kind: RecordKind
    record_id: str
    base_version: int | None
    payload: dict[str, Any]
    made_at: str
    status: OutboxStatus
    attempts: int = 0
    last_error: str | None = None
    error_code: str | None = None
    actor: str = ""
    actor_org: str = ""
    chained_to: int | None = None  # an earlier pending entry on the same row it builds on
    version: int | None = None  # once applied: the row version it produced
    seq: int | None = None  # once applied: its position in the server's change feed


@dataclass(frozen=True)
class Conflict:
    id: int
    client_seq: int
    kind: str
    record_kind: RecordKind
    record_id: str
    mine_payload: dict[str, Any]
    mine_data: dict[str, Any] | None
    theirs: Row | None
    made_at: str
    raised_at: str


@dataclass(frozen=True)
class RowsChanged:
    """What one committed replica transaction changed in the view."""

    changes: dict[RecordKind, set[str]] = field(default_factory=dict)
    outbox_changed: bool = False

    @property
    def empty(self) -> bool:
        return not self.outbox_changed and not any(self.changes.values())


@dataclass(frozen=True)
class Actor:
    """Who makes a local mutation (defaults to the logged-in user)."""

    username: str
    org_code: str
    role: Role | None = None


@dataclass
class ResultSummary:
    """What a push response did to the outbox."""

    applied: list[int] = field(default_factory=list)
    rejected: list[OutboxEntry] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    deferred: list[int] = field(default_factory=list)
