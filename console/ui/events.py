"""What panels listen to: the shared selection, rows changed, and the sync state, as Qt signals."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from console.domain.records import RecordKind
from console.sync.events import SyncFailure
from console.ui.qt import QObject, Qt, QtCore, QTimer, Signal, Slot


class Selection(QObject):
    """The record the user works on. Any panel may `select(kind, id)`; every panel may follow
    `selected(kind, id)`. Selecting again re-emits, so a panel can bring the record to front."""

    selected = Signal(str, str)  # record kind, record id
    # "Show me this one in full": the main window raises the panel whose spec `opens` the kind.
    opened = Signal(str, str)
    # "Start a new record of this kind" (File > New incident, the map's "New incident here"):
    # the panel that creates it answers. The dict pre-fills the form; for an incident: lat, lon,
    # place (shown in the form) and district, town (merged into the incident.create payload).
    create_requested = Signal(str, dict)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kind: str = ""
        self.id: str = ""

    def select(self, kind: str, id: str) -> None:
        self.kind, self.id = str(kind), id
        self.selected.emit(self.kind, id)

    def request_create(self, kind: str, prefill: Mapping[str, Any] | None = None) -> None:
        self.create_requested.emit(str(kind), dict(prefill or {}))

    def open(self, kind: str, id: str) -> None:
        """Select the record and ask for its detail view to come to front."""
        self.select(kind, id)
        self.opened.emit(str(kind), id)


class Connection(StrEnum):
    ONLINE = "online"  # pushes and pulls succeed
    DEGRADED = "degraded"  # the server answers, but slowly or with errors; retrying
    OFFLINE = "offline"  # the server cannot be reached; working from the replica


@dataclass(frozen=True)
class SyncStatus:
    """The sync engine's state as the UI shows it."""

    connection: Connection = Connection.OFFLINE
    data_as_of: datetime | None = None  # server time of the last successful pull
    pending: int = 0  # outbox entries not yet acknowledged
    rejected: int = 0
    conflicts: int = 0
    failure: SyncFailure | None = None  # the last failure, until the sync succeeds again
    # What the panels would show is not the truth yet: the first sync (or a re-snapshot) is not
    # complete, or the panels have not read what it brought. The one rule of "loading" (decided
    # by console.ui.session.Session); every panel frame, the status bar and the banner follow
    # it. False by default: a UI without a sync engine (a test, a panel on its own) waits for
    # nothing.
    loading: bool = False
    synced: bool = True  # the replica holds a complete snapshot (loading: the panels read it)
    rows_synced: int = 0  # while loading: rows of the snapshot stored so far ...
    rows_total: int | None = None  # ... of this many (None: not known yet)


RowsChanged = dict[RecordKind, set[str]]


class ChangeBus(QObject):
    """Announces what changed; each panel decides whether to refresh (Anki's
    operation_did_execute). Producers may publish from any thread: the bus coalesces and
    re-emits on the GUI thread, the first change at once and then at most every
    `min_interval_ms` (250 ms), so a 10,000-row sync costs the GUI a few dozen signals (and each
    panel a few dozen re-reads), not one per page.

    Signals (always emitted on the GUI thread):
    - rows_changed(dict[RecordKind, set[str]])
    - outbox_changed(): the outbox, rejected or conflict lists may have changed
    - sync_state_changed(SyncStatus)
    - tick(): once a second, for ticking ages and overdue checks
    """

    rows_changed = Signal(dict)
    outbox_changed = Signal()  # pending / rejected / conflict lists may have changed
    sync_state_changed = Signal(object)
    tick = Signal()
    _wake = Signal()
    _status_in = Signal(object)

    def __init__(self, parent: QObject | None = None, tick_ms: int = 1000,
                 min_interval_ms: int = 250) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: RowsChanged = {}
        self._outbox_dirty = False
        self._scheduled = False
        self.status = SyncStatus()
        self._min_interval = min_interval_ms / 1000.0
        self._last_flush = -1e9
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._flush)
        self._wake.connect(self._on_wake, Qt.ConnectionType.QueuedConnection)
        self._status_in.connect(self._set_status, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.tick)
        self._timer.start()

    def stop(self) -> None:
        """Stop the 1 Hz tick (at the end of a session)."""
        self._timer.stop()

    def publish_rows(self, changes: Mapping[Any, Iterable[str]], outbox_changed: bool = False) -> None:
        """Thread-safe: record changed rows; the GUI hears of them on its next pass."""
        with self._lock:
            for kind, ids in changes.items():
                self._pending.setdefault(RecordKind(kind), set()).update(ids)
            self._outbox_dirty = self._outbox_dirty or outbox_changed
            if self._scheduled:
                return
            self._scheduled = True
        self._wake.emit()

    def publish_status(self, status: SyncStatus) -> None:
        """Thread-safe: the sync engine's new state (on the GUI thread it is current at once, so
        a window built right after a session never shows a state that was not announced)."""
        if QtCore.QThread.currentThread() is self.thread():
            self._set_status(status)
        else:
            self._status_in.emit(status)

    def flush(self) -> None:
        """Announce the rows changed so far now, not at the next pass (GUI thread)."""
        self._later.stop()
        self._flush()

    def listener(self) -> Callable[[Any], None]:
        """A callback for `Replica.subscribe`, callable from any thread. Takes the replica's
        RowsChanged (`.changes`, `.outbox_changed`) or a plain {kind: ids} mapping."""

        def on_change(event: Any) -> None:
            if isinstance(event, Mapping):
                self.publish_rows(event)
            else:
                self.publish_rows(event.changes, bool(getattr(event, "outbox_changed", False)))

        return on_change

    @Slot()
    def _on_wake(self) -> None:
        wait = self._last_flush + self._min_interval - time.monotonic()
        if wait <= 0:
            self._flush()
        elif not self._later.isActive():
            self._later.start(int(wait * 1000) + 1)

    @Slot()
    def _flush(self) -> None:
        self._last_flush = time.monotonic()
        with self._lock:
            pending, self._pending, self._scheduled = self._pending, {}, False
            outbox, self._outbox_dirty = self._outbox_dirty, False
        if pending:
            self.rows_changed.emit(pending)
        if outbox:
            self.outbox_changed.emit()

    @Slot(object)
    def _set_status(self, status: SyncStatus) -> None:
        self.status = status
        self.sync_state_changed.emit(status)
