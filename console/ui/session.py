"""One logged-in console session: replica + sync engine, bridged to the UI's Qt signals."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.domain.records import RecordKind
from console.protocol.schema import UserInfo
from console.ui.events import ChangeBus, Connection, SyncStatus
from console.ui.operations import MutationRequest, OperationRunner
from console.ui.qt import QObject, Qt, QTimer, Signal, Slot, fmt

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


def status_from(state: Any, panels_ready: bool = True) -> SyncStatus:
    """The engine's SyncState as the UI's SyncStatus. Loading while the replica holds no
    complete snapshot, or (`panels_ready` False) the panels have not read it yet."""
    rows = state.snapshot_rows
    return SyncStatus(
        connection=Connection(str(state.connectivity)), data_as_of=state.data_as_of,
        pending=state.pending, rejected=state.rejected, conflicts=state.conflicts,
        failure=state.last_error, loading=not (state.snapshot_complete and panels_ready),
        synced=state.snapshot_complete, rows_synced=rows[0] if rows else 0,
        rows_total=rows[1] if rows else None)


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
    return LoggedIn(server_url, replica, engine, result.user, result.offline,
                    status_from(engine.state, panels_ready=False), replica.client_id())


def _nothing() -> None:
    """The settling barrier's read: nothing, after everything queued before it."""


class Session(QObject):
    """Wires a LoggedIn to the UI: engine events become ChangeBus signals (thread-safe), panel
    mutations go to the replica on the operations' database worker."""

    auth_expired = Signal(str)
    notice = Signal(str)  # a rejected change or a conflict, for the status bar
    _auth_in = Signal(str)
    _notice_in = Signal(str)
    _state_in = Signal(object)

    def __init__(self, logged_in: LoggedIn, changes: ChangeBus, ops: OperationRunner,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.logged_in = logged_in
        self.replica, self.engine = logged_in.replica, logged_in.engine
        self.changes, self.ops = changes, ops
        self._state = self.engine.state
        # Loading ends once the replica holds a complete snapshot *and* the panels have read it
        # ("settling" until then): see _on_state.
        self._panels_ready = False
        self._settling = False
        self._settle_round = 0
        self._auth_in.connect(self.auth_expired, Qt.ConnectionType.QueuedConnection)
        self._notice_in.connect(self.notice, Qt.ConnectionType.QueuedConnection)
        self._state_in.connect(self._on_state, Qt.ConnectionType.QueuedConnection)
        ops.set_submitter(self._submit)
        ops.busy_changed.connect(self._on_busy)
        self._on_state(self._state)
        self._unsubscribe = self.engine.subscribe(self._on_event)

    def _submit(self, request: MutationRequest) -> Any:
        return self.replica.submit(request.kind, RecordKind(request.record_kind), request.record_id,
                                   dict(request.payload))

    def _on_event(self, event: Any) -> None:
        """Runs on engine threads: only thread-safe calls here (the bus queues to the GUI)."""
        from console.replica.types import RowsChanged
        from console.sync.events import AuthExpired, ConflictRaised, MutationRejected, StateChanged

        if isinstance(event, RowsChanged):
            self.changes.publish_rows(event.changes, event.outbox_changed)
        elif isinstance(event, StateChanged):
            self._state_in.emit(event.state)
        elif isinstance(event, MutationRejected):
            e = event.entry
            self._notice_in.emit(fmt(self.tr("The server refused a change (%1 %2): %3"), e.kind,
                                     e.record_id[:8], e.last_error or e.error_code or ""))
        elif isinstance(event, ConflictRaised):
            c = event.conflict
            self._notice_in.emit(fmt(self.tr("Conflict: %1 %2 was changed on the server meanwhile; "
                                             "resolve it in the Sync panel"), c.kind, c.record_id[:8]))
        elif isinstance(event, AuthExpired):
            self._auth_in.emit(event.message)

    # -- loading: the one rule ------------------------------------------------------------------
    @Slot(object)
    def _on_state(self, state: Any) -> None:
        self._state = state
        if not state.snapshot_complete:
            self._panels_ready = self._settling = False
        elif not self._panels_ready and not self._settling:
            # The last pages' rows reach the panels now, so their reads of the complete replica
            # are queued at once; then a no-op read on the same serialised worker: when its answer
            # is back, every read asked for before it has answered (answers come in order). The
            # worker seen idle earlier settles it too. A window built after this (a console
            # started over a complete replica) queues its first reads before the barrier does (it
            # is queued on the next pass of the event loop).
            self._settling = True
            self._settle_round += 1
            self.changes.flush()
            round_ = self._settle_round
            QTimer.singleShot(0, lambda: self.ops.query(_nothing, lambda _r: self._settled(round_),
                                                        key="session-settle"))
        self._publish()

    def _publish(self) -> None:
        self.changes.publish_status(status_from(self._state, self._panels_ready))

    @Slot(int)
    def _on_busy(self, in_flight: int) -> None:
        if self._settling and in_flight == 0:
            self._settled(self._settle_round)

    def _settled(self, round_: int) -> None:
        if not self._settling or round_ != self._settle_round:
            return  # a later snapshot began meanwhile
        self._settling, self._panels_ready = False, True
        self._publish()

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
