"""One logged-in console session: replica + sync engine, bridged to the UI's Qt signals."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from console.domain.records import RecordKind
from console.protocol.schema import UserInfo
from console.ui.events import ChangeBus, Connection, SyncStatus
from console.ui.operations import MutationRequest, OperationRunner
from console.ui.qt import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)


@dataclass
class LoggedIn:
    """What a successful login hands over (built on a worker thread)."""

    server_url: str
    replica: Any  # console.replica.Replica
    engine: Any  # console.sync.SyncEngine
    user: UserInfo
    offline: bool
    status: SyncStatus
    console_id: str = ""


def status_from(state: Any, progress: float | None = None) -> SyncStatus:
    """The engine's SyncState as the UI's SyncStatus."""
    from console.sync import SyncPhase

    return SyncStatus(
        connection=Connection(str(state.connectivity)), data_as_of=state.data_as_of,
        pending=state.pending, rejected=state.rejected, conflicts=state.conflicts,
        detail=state.last_error or "", syncing=state.phase == SyncPhase.SNAPSHOT,
        progress=progress if state.phase == SyncPhase.SNAPSHOT else None)


def log_in(server_url: str, username: str, password: str, profile_base: Path | None = None,
           engine_options: dict[str, Any] | None = None) -> LoggedIn:
    """Open the user's replica and log in (online, or offline against the cached verifier).
    Blocking network and disk work: call it on a worker. Raises LoginFailed."""
    from console.replica import Replica, replica_path
    from console.sync import SyncEngine

    path = replica_path(server_url, username, profile_base)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    replica = Replica(path)
    engine = SyncEngine(server_url, replica, **(engine_options or {}))
    try:
        result = engine.login(username, password)
    except BaseException:
        engine.close()
        replica.close()
        raise
    return LoggedIn(server_url, replica, engine, result.user, result.offline, status_from(engine.state),
                    replica.client_id())


class Session(QObject):
    """Wires a LoggedIn to the UI: engine events become ChangeBus signals (thread-safe), panel
    mutations go to the replica on the operations' database worker."""

    auth_expired = Signal(str)
    notice = Signal(str)  # a rejected change or a conflict, for the status bar
    _auth_in = Signal(str)
    _notice_in = Signal(str)

    def __init__(self, logged_in: LoggedIn, changes: ChangeBus, ops: OperationRunner,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.logged_in = logged_in
        self.replica, self.engine = logged_in.replica, logged_in.engine
        self.changes, self.ops = changes, ops
        self._progress: float | None = None
        self._auth_in.connect(self.auth_expired, Qt.ConnectionType.QueuedConnection)
        self._notice_in.connect(self.notice, Qt.ConnectionType.QueuedConnection)
        ops.set_submitter(self._submit)
        changes.publish_status(logged_in.status)
        self._unsubscribe = self.engine.subscribe(self._on_event)

    def _submit(self, request: MutationRequest) -> Any:
        return self.replica.submit(request.kind, RecordKind(request.record_kind), request.record_id,
                                   dict(request.payload))

    def _on_event(self, event: Any) -> None:
        """Runs on engine threads: only thread-safe calls here (the bus queues to the GUI)."""
        from console.replica.types import RowsChanged
        from console.sync.events import (
            AuthExpired,
            ConflictRaised,
            MutationRejected,
            StateChanged,
            SyncProgress,
        )

        if isinstance(event, RowsChanged):
            self.changes.publish_rows(event.changes, event.outbox_changed)
        elif isinstance(event, StateChanged):
            self.changes.publish_status(status_from(event.state, self._progress))
        elif isinstance(event, SyncProgress):
            self._progress = event.done / event.total if event.total else None
            self.changes.publish_status(replace(self.changes.status, syncing=True, progress=self._progress))
        elif isinstance(event, MutationRejected):
            e = event.entry
            self._notice_in.emit(f"{e.kind} {e.record_id[:8]}: {e.last_error or e.error_code}")
        elif isinstance(event, ConflictRaised):
            c = event.conflict
            self._notice_in.emit(f"conflict: {c.kind} {c.record_id[:8]}")
        elif isinstance(event, AuthExpired):
            self._auth_in.emit(event.message)

    def start(self) -> None:
        self.engine.start()

    @Slot()
    def sync_now(self) -> None:
        self.engine.kick()

    def relogin(self, password: str) -> Any:
        """Blocking: call on a worker."""
        return self.engine.login(self.logged_in.user.username, password)

    def stop(self) -> None:
        """Stop syncing and close the replica (blocks up to a few seconds for the threads)."""
        self._unsubscribe()
        try:
            self.engine.close()
        finally:
            self.replica.close()
