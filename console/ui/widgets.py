"""Small widget builders the panels share, so every read-only record table behaves alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from console.ui.qt import QAbstractItemView, QHeaderView, Qt, QTableView, QTableWidget
from console.ui.record_model import RecordTableModel, RecordTableView


def _setup(table: QTableView, name: str, *, widths: Sequence[int], row_height: int,
           resize: QHeaderView.ResizeMode, alternating: bool, single_selection: bool) -> None:
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


def record_table(name: str, columns: int, *, widths: Sequence[int] = (), row_height: int = 22,
                 resize: QHeaderView.ResizeMode = QHeaderView.ResizeMode.Interactive,
                 alternating: bool = True, single_selection: bool = False) -> QTableWidget:
    """A read-only table of records: whole-row selection, no row numbers, last column stretched.
    For short lists filled item by item; a list of thousands wants `record_view`."""
    table = QTableWidget(0, columns)
    _setup(table, name, widths=widths, row_height=row_height, resize=resize, alternating=alternating,
           single_selection=single_selection)
    return table


def record_view(name: str, model: RecordTableModel[Any], *, widths: Sequence[int] = (),
                row_height: int = 22, alternating: bool = True, single_selection: bool = True,
                sortable: bool = False) -> RecordTableView:
    """The same table over a RecordTableModel (national lists: thousands of rows, updated in
    place). Fixed row heights: the view never measures rows. With `sortable`, header clicks sort
    ascending, descending, then back to the model's own order."""
    view = RecordTableView(model)
    _setup(view, name, widths=widths, row_height=row_height, resize=QHeaderView.ResizeMode.Interactive,
           alternating=alternating, single_selection=single_selection)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    if sortable:
        header = view.horizontalHeader()
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
    return view
