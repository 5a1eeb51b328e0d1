"""Sync: connection state (and what went wrong, worded for a person: what happened, what to do),
the outbox, changes the server rejected (with its reason), and conflicts with a side-by-side
resolve dialog."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any, Protocol, cast

from console.domain.errors import DomainError
from console.replica.types import Conflict, OutboxEntry
from console.sync.events import SyncFailure
from console.ui.events import Connection, SyncStatus
from console.ui.labels import failure_words
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QDialog,
    QEvent,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
    fmt,
)
from console.ui.timefmt import local_time
from console.ui.widgets import record_table


@dataclass
class SyncLists:
    outbox: list[OutboxEntry]
    rejected: list[OutboxEntry]
    conflicts: list[Conflict]


class SyncLedger(Protocol):
    """What the Sync panel reads of the replica (console.replica.Replica): its outbox entries,
    rejections and conflicts, and the two actions on them. Call on the database worker."""

    def outbox(self) -> list[OutboxEntry]: ...
    def rejected(self) -> list[OutboxEntry]: ...
    def conflicts(self) -> list[Conflict]: ...
    def dismiss_rejected(self, client_seq: int) -> None: ...
    def resolve_conflict(self, conflict_id: int, choice: Any,
                         merged: dict[str, Any] | None = None) -> Any: ...


def _table(columns: int, name: str) -> QTableWidget:
    return record_table(name, columns, resize=QHeaderView.ResizeMode.ResizeToContents,
                        alternating=False, single_selection=True)


def _payload_text(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, ensure_ascii=False)
    return text if len(text) < 120 else text[:117] + "…"


class SyncPanel(QWidget):
    loaded = Signal()

    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lists = SyncLists([], [], [])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.state_label = QLabel()
        self.state_label.setObjectName("sync_state")
        self.state_label.setWordWrap(True)
        layout.addWidget(self.state_label)
        self.tabs = QTabWidget()
        self.outbox_table = _table(5, "outbox_table")
        self.rejected_table = _table(5, "rejected_table")
        self.conflicts_table = _table(5, "conflicts_table")
        rejected_page, conflicts_page = QWidget(), QWidget()
        rl = QVBoxLayout(rejected_page)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.rejected_table)
        self.dismiss_button = QPushButton()
        self.dismiss_button.setObjectName("dismiss_rejected")
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.dismiss_button)
        rl.addLayout(row)
        cl = QVBoxLayout(conflicts_page)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.conflicts_table)
        self.resolve_button = QPushButton()
        self.resolve_button.setObjectName("resolve_conflict")
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.conflicts_table.doubleClicked.connect(lambda _i: self.resolve_selected())
        row2 = QHBoxLayout()
        row2.addStretch(1)
        row2.addWidget(self.resolve_button)
        cl.addLayout(row2)
        self.tabs.addTab(self.outbox_table, "")
        self.tabs.addTab(rejected_page, "")
        self.tabs.addTab(conflicts_page, "")
        layout.addWidget(self.tabs, 1)
        self.message = QLabel()
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        ctx.changes.outbox_changed.connect(self.reload)
        ctx.changes.sync_state_changed.connect(self._on_status)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.outbox_table.setHorizontalHeaderLabels([self.tr("#"), self.tr("Change"), self.tr("Record"),
                                                     self.tr("Made at"), self.tr("Attempts / last error")])
        self.rejected_table.setHorizontalHeaderLabels([self.tr("#"), self.tr("Change"), self.tr("Record"),
                                                       self.tr("Code"), self.tr("Server's reason")])
        self.conflicts_table.setHorizontalHeaderLabels([self.tr("#"), self.tr("Change"), self.tr("Record"),
                                                        self.tr("Raised at"), self.tr("My change")])
        self.dismiss_button.setText(self.tr("Dismiss"))
        self.resolve_button.setText(self.tr("Resolve…"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @property
    def ledger(self) -> SyncLedger:
        # The panel context types the replica by its row reads; the outbox is the real replica's.
        return cast(SyncLedger, self.ctx.replica)

    def reload(self) -> None:
        r = self.ledger

        def work() -> SyncLists:
            return SyncLists(list(r.outbox()), list(r.rejected()), list(r.conflicts()))

        self.ctx.ops.query(work, self._loaded, key="sync-lists")

    def _loaded(self, lists: SyncLists) -> None:
        self.lists = lists
        self._render()
        self.loaded.emit()

    def _on_status(self, _status: SyncStatus) -> None:
        self._render_state()

    def _render_state(self) -> None:
        s = self.ctx.changes.status
        names = {Connection.ONLINE: self.tr("Online"), Connection.DEGRADED: self.tr("Degraded"),
                 Connection.OFFLINE: self.tr("Offline")}
        as_of = (self.tr("first sync not complete") if s.loading
                 else local_time(s.data_as_of) or self.tr("never"))
        text = fmt(self.tr("<b>%1</b> · data as of %2 · %3 waiting to send · %4 rejected · %5 conflicts"),
                   names[s.connection], html.escape(as_of),
                   len(self.lists.outbox), len(self.lists.rejected), len(self.lists.conflicts))
        tip = ""
        if s.failure is not None:
            what, todo = failure_words(s.failure)
            text += f"<br><b>{html.escape(what)}</b> {html.escape(todo)}"
            tip = s.failure.detail
        self.state_label.setText(text)
        self.state_label.setToolTip(tip)  # the raw detail, for whoever helps

    def _attempts(self, e: OutboxEntry) -> tuple[str, str]:
        """An outbox entry's tries and its last failure, worded; the raw detail for the tooltip."""
        failure = SyncFailure.parse(e.last_error)
        if failure is None:
            return str(e.attempts), ""
        return f"{e.attempts} · {failure_words(failure)[0]}", failure.detail

    def _render(self) -> None:
        self._render_state()
        self.tabs.setTabText(0, fmt(self.tr("Outbox (%1)"), len(self.lists.outbox)))
        self.tabs.setTabText(1, fmt(self.tr("Rejected (%1)"), len(self.lists.rejected)))
        self.tabs.setTabText(2, fmt(self.tr("Conflicts (%1)"), len(self.lists.conflicts)))
        outbox = [(e, self._attempts(e)) for e in self.lists.outbox]
        self._fill(self.outbox_table, [
            (e.client_seq, e.kind, f"{e.record_kind} {e.record_id[:12]}", local_time(e.made_at), tried)
            for e, (tried, _) in outbox], tips={(r, 4): tip for r, (_, (_, tip)) in enumerate(outbox) if tip})
        # A rejection's reason is the server's own message for a person (its error code beside it).
        self._fill(self.rejected_table, [
            (e.client_seq, e.kind, f"{e.record_kind} {e.record_id[:12]}", e.error_code or "",
             e.last_error or "") for e in self.lists.rejected])
        self._fill(self.conflicts_table, [
            (c.id, c.kind, f"{c.record_kind} {c.record_id[:12]}", local_time(c.raised_at),
             _payload_text(c.mine_payload)) for c in self.lists.conflicts])
        self.dismiss_button.setEnabled(bool(self.lists.rejected))
        self.resolve_button.setEnabled(bool(self.lists.conflicts))

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple[Any, ...]],
              tips: dict[tuple[int, int], str] | None = None) -> None:
        table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                tip = (tips or {}).get((r, c))
                item.setToolTip(f"{value}\n\n{tip}" if tip else str(value))
                table.setItem(r, c, item)

    # -- actions ------------------------------------------------------------------------------
    def _error(self, exc: BaseException) -> None:
        # A broken rule says itself for a person; anything else is a fault, its text in the tooltip.
        if isinstance(exc, DomainError):
            self.message.setText(exc.message)
            self.message.setToolTip("")
        else:
            self.message.setText(self.tr("This could not be done: the console met an error of its own."))
            self.message.setToolTip(f"{type(exc).__name__}: {exc}")

    def dismiss_selected(self) -> None:
        row = self.rejected_table.currentRow()
        if not (0 <= row < len(self.lists.rejected)):
            row = 0 if self.lists.rejected else -1
        if row < 0:
            return
        seq = self.lists.rejected[row].client_seq
        r = self.ledger
        self.ctx.ops.query(lambda: r.dismiss_rejected(seq), lambda _x: self.reload(), on_error=self._error)

    def resolve_selected(self) -> None:
        row = self.conflicts_table.currentRow()
        if not (0 <= row < len(self.lists.conflicts)):
            row = 0 if self.lists.conflicts else -1
        if row < 0:
            return
        from console.ui.dialogs.conflict_dialog import ConflictDialog

        conflict = self.lists.conflicts[row]
        dialog = ConflictDialog(conflict, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            return
        merged = dialog.merged_payload() if dialog.choice == "merge" else None
        self.resolve(conflict.id, dialog.choice, merged)

    def resolve(self, conflict_id: int, choice: str, merged: dict[str, Any] | None = None) -> None:
        r = self.ledger
        self.message.clear()
        self.ctx.ops.query(lambda: r.resolve_conflict(conflict_id, choice, merged),
                           lambda _x: self.reload(), on_error=self._error)


def build(ctx: PanelContext) -> QWidget:
    return SyncPanel(ctx)


PANEL = PanelSpec(
    object_name="sync",
    title=QT_TRANSLATE_NOOP("Panels", "Sync"),
    area="bottom",
    group="status",
    factory=build,
    order=90,
)
