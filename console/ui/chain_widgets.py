"""Small widgets the chain-of-command panels share: an alert band with one button, a read-only
table filled from rows of text, and a target list of the offices below."""

from __future__ import annotations

from collections.abc import Sequence

from console.ui.qt import (
    QAbstractItemView,
    QBrush,
    QColor,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)


class AlertBand(QFrame):
    """A red band that cannot be missed: a text and one button (the theme styles role=alert)."""

    def __init__(self, name: str, button_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("role", "alert")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 8, 2)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.button = QPushButton()
        self.button.setObjectName(button_name)
        self.button.setMinimumHeight(26)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        self.hide()


def text_table(name: str, columns: int) -> QTableWidget:
    t = QTableWidget(0, columns)
    t.setObjectName(name)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setWordWrap(False)
    header = t.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return t


def fill(table: QTableWidget, rows: Sequence[Sequence[str]], keys: Sequence[str] = (),
         alert_rows: Sequence[int] = (), colour: str = "") -> None:
    """Put `rows` of text in `table`, keeping the selected key (UserRole of column 0) selected."""
    selected = current_key(table)
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c == 0 and r < len(keys):
                item.setData(Qt.ItemDataRole.UserRole, keys[r])
            if r in alert_rows and colour:
                item.setForeground(_brush(colour))
            table.setItem(r, c, item)
        if r < len(keys) and keys[r] == selected:
            table.selectRow(r)


def _brush(colour: str) -> QBrush:
    return QBrush(QColor(colour))


def current_key(table: QTableWidget) -> str | None:
    row = table.currentRow()
    item = table.item(row, 0) if row >= 0 else None
    value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
    return str(value) if value is not None else None


class TargetList(QListWidget):
    """The offices an HQ may address, each with a tick (all ticked by default)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setMinimumHeight(60)
        self._codes: list[str] = []

    def set_offices(self, offices: Sequence[tuple[str, str]]) -> None:
        """(code, name) pairs; ticks are kept for offices already listed."""
        codes = [c for c, _n in offices]
        if codes == self._codes:
            for i, (_c, name) in enumerate(offices):
                self.item(i).setText(name)
            return
        kept = set(self.chosen()) if self._codes else set(codes)
        self.clear()
        for code, name in offices:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setCheckState(Qt.CheckState.Checked if code in kept else Qt.CheckState.Unchecked)
            self.addItem(item)
        self._codes = codes

    def chosen(self) -> list[str]:
        return [str(self.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]


def error_line(name: str = "") -> QLabel:
    """The panel's line for what could not be done (hidden until there is something to say)."""
    label = QLabel()
    if name:
        label.setObjectName(name)
    label.setProperty("role", "error")
    label.setWordWrap(True)
    label.hide()
    return label
