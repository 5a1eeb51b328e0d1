"""Sync: connection state, the outbox, changes the server rejected (with its reason), and
conflicts with a side-by-side resolve dialog."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from console.ui.events import Connection, SyncStatus
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
    outbox: list[Any]
    rejected: list[Any]
    conflicts: list[Any]


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

    def reload(self) -> None:
        r: Any = self.ctx.replica

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
        text = fmt(self.tr("<b>%1</b> · data as of %2 · %3 waiting to send · %4 rejected · %5 conflicts"),
                   names[s.connection], local_time(s.data_as_of) or self.tr("never"),
                   len(self.lists.outbox), len(self.lists.rejected), len(self.lists.conflicts))
        if s.detail:
            text += "<br>" + s.detail
        self.state_label.setText(text)

    def _render(self) -> None:
        self._render_state()
        self.tabs.setTabText(0, fmt(self.tr("Outbox (%1)"), len(self.lists.outbox)))
        self.tabs.setTabText(1, fmt(self.tr("Rejected (%1)"), len(self.lists.rejected)))
        self.tabs.setTabText(2, fmt(self.tr("Conflicts (%1)"), len(self.lists.conflicts)))
        self._fill(self.outbox_table, [
            (e.client_seq, e.kind, f"{e.record_kind} {e.record_id[:12]}", local_time(e.made_at),
             f"{getattr(e, 'attempts', 0)}"
             + (f" · {e.last_error}" if getattr(e, "last_error", None) else ""))
            for e in self.lists.outbox])
        self._fill(self.rejected_table, [
            (e.client_seq, e.kind, f"{e.record_kind} {e.record_id[:12]}", e.error_code or "",
             getattr(e, "last_error", None) or getattr(e, "message", None) or "")
            for e in self.lists.rejected])
        self._fill(self.conflicts_table, [
            (c.id, c.kind, f"{c.record_kind} {c.record_id[:12]}", local_time(c.raised_at),
             _payload_text(c.mine_payload)) for c in self.lists.conflicts])
        self.dismiss_button.setEnabled(bool(self.lists.rejected))
        self.resolve_button.setEnabled(bool(self.lists.conflicts))

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple[Any, ...]]) -> None:
        table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                item.setToolTip(str(value))
                table.setItem(r, c, item)

    # -- actions ------------------------------------------------------------------------------
    def _error(self, exc: BaseException) -> None:
        self.message.setText(getattr(exc, "message", str(exc)))

    def dismiss_selected(self) -> None:
        row = self.rejected_table.currentRow()
        if not (0 <= row < len(self.lists.rejected)):
            row = 0 if self.lists.rejected else -1
        if row < 0:
            return
        seq = self.lists.rejected[row].client_seq
        r: Any = self.ctx.replica
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
        r: Any = self.ctx.replica
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
