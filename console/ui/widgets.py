"""Small widget builders the panels share, so every read-only record table behaves alike."""

from __future__ import annotations

from collections.abc import Sequence

from console.ui.qt import QAbstractItemView, QHeaderView, QTableWidget


def record_table(name: str, columns: int, *, widths: Sequence[int] = (), row_height: int = 22,
                 resize: QHeaderView.ResizeMode = QHeaderView.ResizeMode.Interactive,
                 alternating: bool = True, single_selection: bool = False) -> QTableWidget:
    """A read-only table of records: whole-row selection, no row numbers, last column stretched."""
    table = QTableWidget(0, columns)
    table.setObjectName(name)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(row_height)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single_selection:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(alternating)
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(resize)
    table.horizontalHeader().setStretchLastSection(True)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    return table
