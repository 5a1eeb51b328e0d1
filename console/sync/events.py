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


class FailureKind(StrEnum):
    """Why a sync call failed, as a person needs to know it (the UI words each kind)."""

    UNREACHABLE = "unreachable"  # no connection: refused, reset, no route, name unknown
    TIMED_OUT = "timed_out"  # connected, or trying to, but no answer in time
    SERVER_STOPPING = "server_stopping"  # the server is going away (a restart); it comes back
    SERVER_ERROR = "server_error"  # the server answered 5xx: its own trouble (database, a bug)
    SESSION_EXPIRED = "session_expired"  # the server wants a new login (token expired/revoked)
    LOGIN_REFUSED = "login_refused"  # the password no longer works (changed, user disabled)
    REFUSED = "refused"  # the server refused the request (not permitted, console id in use)
    INCOMPATIBLE = "incompatible"  # the server speaks another API version / answers unreadably
    TLS_UNTRUSTED = "tls_untrusted"  # its certificate is not signed by a CA this console trusts
    TLS_EXPIRED = "tls_expired"  # its certificate has expired (or is not valid yet)
    TLS_WRONG_HOST = "tls_wrong_host"  # its certificate is for another name or address
    TLS_FAILED = "tls_failed"  # no secure connection: no HTTPS at that address, or a bad CA file
    INTERNAL = "internal"  # a fault in this console (logged)


@dataclass(frozen=True)
class SyncFailure:
    """A failure of the sync: its kind, and the raw detail (for a tooltip or the log only)."""

    kind: FailureKind
    detail: str = ""

    def stored(self) -> str:
        """As kept with an outbox entry (its last_error): "kind: detail"."""
        return f"{self.kind.value}: {self.detail}" if self.detail else self.kind.value

    @staticmethod
    def parse(text: str | None) -> SyncFailure | None:
        """An outbox entry's last_error back as a failure; text from before kinds were kept
        (or anything unknown) is an INTERNAL failure with the text as its detail."""
        if not text:
            return None
        head, _, detail = text.partition(": ")
        try:
            return SyncFailure(FailureKind(head), detail)
        except ValueError:
            return SyncFailure(FailureKind.INTERNAL, text)


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
    last_error: SyncFailure | None = None  # the last failure, until a call succeeds again
    # The replica holds a complete snapshot (its cursor is set): what it shows is a picture of
    # the server at some moment. False during the first sync and a re-snapshot.
    snapshot_complete: bool = False
    snapshot_rows: tuple[int, int] | None = None  # during a snapshot: (rows stored, rows in all)


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
