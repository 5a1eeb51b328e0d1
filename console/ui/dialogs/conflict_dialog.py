"""Resolve a conflict side by side: my change, the server's row, and a field-by-field merge."""

from __future__ import annotations

import json
from typing import Any

from console.ui.qt import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    fmt,
)


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class ConflictDialog(QDialog):
    """After `exec()`: `choice` is "mine" | "theirs" | "merge" (or None if cancelled) and, for a
    merge, `merged_payload()` is my mutation's payload with the fields ticked "theirs" taken
    from the server's row."""

    def __init__(self, conflict: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_dialog")
        self.conflict = conflict
        self.choice: str | None = None
        self.setWindowTitle(self.tr("Resolve conflict"))
        self.resize(760, 460)
        theirs = conflict.theirs
        theirs_data: dict[str, Any] = dict(theirs.data) if theirs is not None else {}
        mine_data: dict[str, Any] = dict(conflict.mine_data or {})
        payload: dict[str, Any] = dict(conflict.mine_payload)
        self._theirs_data = theirs_data
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(fmt(
            self.tr("Your change “%1” to %2 %3 was based on an older version. Someone changed it on "
                    "the server meanwhile (now version %4). Choose what to keep."),
            conflict.kind, conflict.record_kind, conflict.record_id[:12],
            theirs.version if theirs is not None else "?")))
        # Fields that differ, plus every field my change sets.
        keys = sorted({k for k in set(mine_data) | set(theirs_data)
                       if k != "timeline" and mine_data.get(k) != theirs_data.get(k)} | set(payload))
        self.table = QTableWidget(len(keys), 4)
        self.table.setObjectName("conflict_fields")
        self.table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Mine"), self.tr("Theirs (server)"),
                                              self.tr("Merge: take theirs")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._keys = keys
        for row, key in enumerate(keys):
            mine_value = payload[key] if key in payload else mine_data.get(key)
            self.table.setItem(row, 0, QTableWidgetItem(key))
            self.table.setItem(row, 1, QTableWidgetItem(_show(mine_value)))
            self.table.setItem(row, 2, QTableWidgetItem(_show(theirs_data.get(key))))
            pick = QTableWidgetItem()
            if key in payload:
                pick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                pick.setCheckState(Qt.CheckState.Unchecked)
            else:
                pick.setFlags(Qt.ItemFlag.NoItemFlags)
            self.table.setItem(row, 3, pick)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.mine_button = QPushButton(self.tr("Keep mine"))
        self.mine_button.setObjectName("keep_mine")
        self.theirs_button = QPushButton(self.tr("Take theirs"))
        self.theirs_button.setObjectName("take_theirs")
        self.merge_button = QPushButton(self.tr("Merge"))
        self.merge_button.setObjectName("merge")
        cancel = QPushButton(self.tr("Later"))
        for b in (self.mine_button, self.theirs_button, self.merge_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self.mine_button.clicked.connect(lambda: self._choose("mine"))
        self.theirs_button.clicked.connect(lambda: self._choose("theirs"))
        self.merge_button.clicked.connect(lambda: self._choose("merge"))
        cancel.clicked.connect(self.reject)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def set_take_theirs(self, key: str, on: bool = True) -> None:
        item = self.table.item(self._keys.index(key), 3)
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def merged_payload(self) -> dict[str, Any]:
        payload = dict(self.conflict.mine_payload)
        for row, key in enumerate(self._keys):
            item = self.table.item(row, 3)
            taken = item is not None and item.checkState() == Qt.CheckState.Checked
            if key in payload and taken and key in self._theirs_data:
                payload[key] = self._theirs_data[key]
        return payload
