"""What the sync engine announces: plain-Python events and the connectivity state (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from console.protocol.schema import UserInfo
from console.replica.types import Conflict, OutboxEntry, RowsChanged


class Connectivity(StrEnum):
    ONLINE = "online"
    DEGRADED = "degraded"  # answers, but slowly or failing part of the time
    OFFLINE = "offline"


class SyncPhase(StrEnum):
    LOGGED_OUT = "logged_out"
    SNAPSHOT = "snapshot"  # first sync (or re-snapshot) in progress
    LIVE = "live"  # following the change feed
    AUTH_EXPIRED = "auth_expired"  # the server wants a new login


@dataclass(frozen=True)
class SyncState:
    connectivity: Connectivity
    phase: SyncPhase
    data_as_of: datetime | None  # the last successful pull
    pending: int
    rejected: int
    conflicts: int
    user: UserInfo | None = None
    offline_login: bool = False  # logged in against the cached verifier, no token yet
    last_error: str | None = None


@dataclass(frozen=True)
class StateChanged:
    state: SyncState


@dataclass(frozen=True)
class SyncProgress:
    phase: str  # "snapshot"
    done: int
    total: int


@dataclass(frozen=True)
class MutationRejected:
    entry: OutboxEntry


@dataclass(frozen=True)
class ConflictRaised:
    conflict: Conflict


@dataclass(frozen=True)
class AuthExpired:
    message: str


@dataclass(frozen=True)
class LoggedOut:
    pass


SyncEvent = (StateChanged | RowsChanged | SyncProgress | MutationRejected | ConflictRaised | AuthExpired
             | LoggedOut)
