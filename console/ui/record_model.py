"""RecordTableModel: one Qt table model for the record panels (units, routes, deployment and
their roll-ups), over a RecordSnapshot; with the view and painter that show it.

The model keeps the ordered positions of the rows it shows. A new snapshot, filter or order is
evaluated with numpy (a millisecond or two at national scale) and reaches the views as the
smallest Qt change that fits: the same rows -> dataChanged (only the visible rows repaint), other
rows or order -> layoutChanged with the persistent indexes moved, so the selection, the current
row and the scroll position stay on their records."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np

from console.ui.export import write_csv
from console.ui.qt import (
    QAbstractTableModel,
    QBrush,
    QColor,
    QCoreApplication,
    QFont,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTableView,
    QtCore,
    QtGui,
    QtWidgets,
    QWidget,
    Signal,
    fmt,
)
from console.ui.theme import DARK, Theme
from console.views.record_index import Filter, Order, RecordQuery, RecordRows, RecordSnapshot, SortKey

T = TypeVar("T")
AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole  # the record's id (what record_table's rows carried too)
CACHE_SIZE = 1024

Runner = Callable[[Callable[[], RecordRows], Callable[[RecordRows], None]], None]


@dataclass(frozen=True)
class RecordColumn(Generic[T]):
    """One column: its header (source text, translated in the model's context), its text, and
    how it sorts (a snapshot column by name, or a function of the snapshot; None: not sortable)."""

    header: str | Callable[[], str]  # a callable returns the header already translated
    text: Callable[[T], str]
    sort_key: SortKey | None = None
    colour: Callable[[T], str | None] | None = None  # a Theme colour name for the text
    center: bool = False
    bold: bool = False
    live: bool = False  # changes with the clock: formatted on each paint, never cached
    # Selected, the cell keeps its colour on a chip of the base colour (a blue code 3 on the
    # blue selection would vanish).
    chip: bool = False


def by_label(text_column: str, label: Callable[[str], str]) -> Callable[[RecordSnapshot[Any]], np.ndarray]:
    """A sort key: text column values ordered by their (translated) label, not their code."""

    def key(snapshot: RecordSnapshot[Any]) -> np.ndarray:
        values = snapshot.values[text_column]
        order = sorted(range(len(values)), key=lambda r: label(values[r]))
        rank_of_label = np.empty(len(values), dtype=np.int32)
        rank_of_label[order] = np.arange(len(values), dtype=np.int32)
        return rank_of_label[snapshot.rank(text_column)] if len(values) else snapshot.rank(text_column)

    return key


class RecordTableModel(QAbstractTableModel, Generic[T]):
    """Rows are positions of a RecordSnapshot, filtered and ordered; cells formatted lazily
    (the static ones kept in a small LRU cache by id).

    A table of national size evaluates its query on the GUI thread (a millisecond or two). A
    larger one (the incident queue: 100,000 incidents) gives a `runner` that evaluates it on the
    database worker: a new snapshot, filter or order then shows when its answer comes back,
    and only the newest answer is shown."""

    evaluated = Signal()  # the rows shown were re-evaluated (new snapshot, filter or order)

    def __init__(self, context: str, columns: Sequence[RecordColumn[T]], *,
                 row_colour: Callable[[T], str | None] | None = None,
                 row_bold: Callable[[T], bool] | None = None,
                 tooltip: Callable[[T], str] | None = None,
                 runner: Runner | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.columns = list(columns)
        self.row_colour = row_colour  # a Theme colour name for the row's background
        self.row_bold = row_bold  # the whole row in bold (e.g. a new urgent incident)
        self.tooltip = tooltip  # the row's tooltip; without one, a cell's tooltip is its text
        self.runner = runner  # runs a query's evaluation elsewhere, hands the answer back here
        self.theme: Theme = DARK
        self.snapshot: RecordSnapshot[T] = RecordSnapshot.of([], lambda _i: "")  # the one shown
        self._latest: RecordSnapshot[T] = self.snapshot  # the newest given (shown once evaluated)
        self._filter: Filter | None = None
        self._order: Order | None = None
        self._sort_column = -1
        self._descending = False
        # Per evaluation asked for and not shown yet: its number and the ids it re-formats (None: all).
        self._asked: list[tuple[int, Collection[str] | None]] = []
        self._asked_count = 0
        self._ids: list[str] = []
        self._positions: np.ndarray = np.zeros(0, dtype=np.int64)
        self._row_of: dict[str, int] | None = None
        self._cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._brushes: dict[str, QBrush] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # -- data in ----------------------------------------------------------------------------
    def set_snapshot(self, snapshot: RecordSnapshot[T]) -> None:
        """Show a new state of the records; only the changed ids are re-formatted."""
        self._latest = snapshot
        self._evaluate(snapshot.changed)

    def set_filter(self, mask: Filter | None) -> None:
        self._filter = mask
        self._evaluate(frozenset())

    def set_order(self, order: Order | None) -> None:
        """The order when no column is sorted (e.g. late boxes first)."""
        self._order = order
        self._evaluate(frozenset())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Qt's header sort: by the column's key, ties in the default order; -1 restores it."""
        key = self.columns[column].sort_key if 0 <= column < len(self.columns) else None
        self._sort_column = column if key is not None else -1
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._evaluate(frozenset())

    def query(self) -> RecordQuery:
        """The rows' filter and order as they stand (immutable: safe to evaluate elsewhere)."""
        key = self.columns[self._sort_column].sort_key if self._sort_column >= 0 else None
        return RecordQuery(self._filter, self._order, key, self._descending)

    def refresh(self) -> None:
        """Evaluate again (the clock or a setting the filter and order read has moved) and
        re-format every cell."""
        self._evaluate(None)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._brushes.clear()
        self.repaint_all()

    def retranslate(self) -> None:
        self._cache.clear()
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        self.repaint_all()

    def repaint_all(self, live_only: bool = False) -> None:
        """Re-format the cells (the views repaint the visible rows only)."""
        if not live_only:
            self._cache.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1))

    def _evaluate(self, changed: Collection[str] | None) -> None:
        self._asked_count += 1
        number = self._asked_count
        self._asked.append((number, changed))
        snapshot, query = self._latest, self.query()
        if self.runner is None or not len(snapshot):
            self._show(RecordRows.of(snapshot, query), number)
        else:
            self.runner(lambda: RecordRows.of(snapshot, query), lambda rows: self._show(rows, number))

    def _show(self, rows: RecordRows, number: int) -> None:
        # An answer covers every change asked for up to it (a runner may skip older answers).
        covered = [changed for n, changed in self._asked if n <= number]
        self._asked = [(n, changed) for n, changed in self._asked if n > number]
        self.snapshot = rows.snapshot
        ids = rows.ids
        everything = any(changed is None for changed in covered)
        if everything:
            self._cache.clear()
        else:
            for changed in covered:
                for id in changed or ():
                    self._cache.pop(id, None)
        if ids == self._ids:
            self._positions = rows.positions  # the same records (their positions may have moved)
            if ids and (everything or any(covered)):
                self.dataChanged.emit(self.index(0, 0), self.index(len(ids) - 1, len(self.columns) - 1))
            self.evaluated.emit()
            return
        self.layoutAboutToBeChanged.emit()
        old = self._ids
        persistent = self.persistentIndexList()
        self._ids, self._positions, self._row_of = ids, rows.positions, None
        if persistent:
            # The selection and the current row: a few ids, each found by a C-level scan (a
            # dict of 100,000 rows would cost the GUI thread ~10 ms on every change).
            found: dict[str, int | None] = {}
            moved = []
            for index in persistent:
                row = index.row()
                was = old[row] if 0 <= row < len(old) else None
                if was is not None and was not in found:
                    found[was] = _find(ids, was)
                new_row = found[was] if was is not None else None
                moved.append(self.index(new_row, index.column()) if new_row is not None else QModelIndex())
            self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()
        self.evaluated.emit()

    # -- lookups ----------------------------------------------------------------------------
    def ids(self) -> list[str]:
        return self._ids

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def item_at(self, row: int) -> T | None:
        if 0 <= row < len(self._positions):
            return self.snapshot.items[self._positions[row]]
        return None

    def item(self, id: str) -> T | None:
        """The record shown with this id (filtered out or not)."""
        return self.snapshot.item(id)

    def row_of(self, id: str) -> int | None:
        if self._row_of is None:
            self._row_of = {id: r for r, id in enumerate(self._ids)}
        return self._row_of.get(id)

    def table_texts(self) -> tuple[list[str], list[list[str]]]:
        """(headers, rows) as shown: the rows the filter leaves, in the shown order, every cell
        worded as on screen (for an export)."""
        headers = [self.headerData(c, Qt.Orientation.Horizontal) for c in range(len(self.columns))]
        texts = [column.text for column in self.columns]  # not through the painter's cell cache
        rows = []
        for row in range(len(self._ids)):
            item = self.item_at(row)
            if item is not None:
                rows.append([text(item) for text in texts])
        return [str(h or "") for h in headers], rows

    # -- cells, shared by data() and the painter --------------------------------------------
    def text(self, item: T, id: str, col: int) -> str:
        column = self.columns[col]
        if column.live:
            return column.text(item)
        cells = self._cache.get(id)
        if cells is None:
            cells = tuple("" if c.live else c.text(item) for c in self.columns)
            self._cache[id] = cells
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(id)
        return cells[col]

    def brush(self, name: str | None) -> QBrush | None:
        if name is None:
            return None
        brush = self._brushes.get(name)
        if brush is None:
            brush = self._brushes[name] = QBrush(self.theme.color(name))
        return brush

    def foreground(self, item: T, col: int) -> QBrush | None:
        colour = self.columns[col].colour
        return self.brush(colour(item)) if colour is not None else None

    def background(self, item: T) -> QBrush | None:
        return self.brush(self.row_colour(item)) if self.row_colour is not None else None

    def bold(self, item: T, col: int) -> bool:
        return self.columns[col].bold or (self.row_bold is not None and self.row_bold(item))

    # -- Qt model API -----------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.columns)):
            header = self.columns[section].header
            return header() if callable(header) else QCoreApplication.translate(self.context, header)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, col = index.row(), index.column()
        item = self.item_at(row)
        if item is None or not (0 <= col < len(self.columns)):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(item, self._ids[row], col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(item) if self.tooltip is not None else self.text(item, self._ids[row], col)
        if role == ID_ROLE:
            return self._ids[row]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(item, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(item)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if self.bold(item, col) else None
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[col].center:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


def _find(ids: list[str], id: str) -> int | None:
    try:
        return ids.index(id)
    except ValueError:
        return None


class RecordPainter:
    """Paints the visible rows of a record table in one Python call per paint: the default
    delegate asks the model for about eight roles per cell, each a C++ -> Python call that must
    take the GIL, and with a sync folding changes in on the database worker those hand-overs
    made one paint take hundreds of milliseconds."""

    CACHE = 4096

    def __init__(self, model: RecordTableModel[Any]) -> None:
        self.model = model
        self._texts: OrderedDict[tuple[str, int, bool], QtGui.QStaticText] = OrderedDict()

    def _static(self, text: str, width: int, bold: bool, fonts: tuple[QFont, QFont],
                metrics: tuple[QtGui.QFontMetrics, QtGui.QFontMetrics]) -> QtGui.QStaticText:
        key = (text, width, bold)
        st = self._texts.get(key)
        if st is None:
            elided = metrics[bold].elidedText(text, Qt.TextElideMode.ElideRight, width)
            st = QtGui.QStaticText(elided)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(QtGui.QTransform(), fonts[bold])
            self._texts[key] = st
            if len(self._texts) > self.CACHE:
                self._texts.popitem(last=False)
        else:
            self._texts.move_to_end(key)
        return st

    def paint(self, view: QTableView, painter: QtGui.QPainter) -> None:
        model = self.model
        rows = model.rowCount()
        if rows == 0:
            return
        viewport = view.viewport()
        height = viewport.height()
        first = view.rowAt(0)
        if first < 0:
            return
        last = view.rowAt(height - 1)
        last = rows - 1 if last < 0 else last
        palette = view.palette()
        highlight, alternate = palette.highlight(), palette.alternateBase()
        text_colour, selected_text = palette.text().color(), palette.highlightedText().color()
        grid = QColor(model.theme.border)
        base = view.font()
        bold = QFont(base)
        bold.setBold(True)
        fonts = (base, bold)
        metrics = (QtGui.QFontMetrics(base), QtGui.QFontMetrics(bold))
        line_h = metrics[0].height()
        selection = view.selectionModel()
        columns = model.columns
        cols = [(c, view.columnViewportPosition(c), view.columnWidth(c)) for c in range(len(columns))
                if not view.isColumnHidden(c)]
        right = max((x + w for _c, x, w in cols), default=0)
        alternate_rows = view.alternatingRowColors()
        row_bold, chip_base = model.row_bold, palette.base()
        painter.setFont(base)
        font_bold = False
        for row in range(first, last + 1):
            item = model.item_at(row)
            id = model.id_at(row)
            if item is None or id is None:
                continue
            y, h = view.rowViewportPosition(row), view.rowHeight(row)
            selected = selection.isRowSelected(row)
            background = model.background(item)
            if selected:
                painter.fillRect(0, y, right, h, highlight)
            elif background is not None:
                painter.fillRect(0, y, right, h, background)
            elif alternate_rows and row % 2:
                painter.fillRect(0, y, right, h, alternate)
            ty = y + (h - line_h) / 2
            bold_row = row_bold is not None and row_bold(item)
            for col, x, w in cols:
                column = columns[col]
                chip = selected and column.chip
                fg = None if selected and not chip else model.foreground(item, col)
                if chip:
                    painter.fillRect(x + 3, y + 3, w - 6, h - 6, chip_base)
                if selected and not chip:
                    painter.setPen(selected_text)
                else:
                    painter.setPen(fg.color() if fg is not None else text_colour)
                is_bold = column.bold or bold_row
                if is_bold != font_bold:
                    painter.setFont(fonts[is_bold])
                    font_bold = is_bold
                st = self._static(model.text(item, id, col), max(0, w - 8), is_bold, fonts, metrics)
                tx = x + (w - st.size().width()) / 2 if column.center else x + 4
                painter.drawStaticText(QtCore.QPointF(tx, ty), st)
            painter.setPen(grid)
            painter.drawLine(0, y + h - 1, right, y + h - 1)
        painter.setPen(grid)
        bottom = min(height, view.rowViewportPosition(last) + view.rowHeight(last))
        for _c, x, w in cols:
            painter.drawLine(x + w - 1, 0, x + w - 1, bottom)


class RecordCell:
    """One cell read back through the view, like a QTableWidgetItem (text and roles)."""

    def __init__(self, index: QModelIndex) -> None:
        self._index = index

    def text(self) -> str:
        value = self._index.data(Qt.ItemDataRole.DisplayRole)
        return "" if value is None else str(value)

    def data(self, role: int) -> Any:
        return self._index.data(role)


class RecordTableView(QTableView):
    """A read-only table of records over a RecordTableModel, painted by a RecordPainter.

    Reads like record_table's QTableWidget where callers need it (rowCount, item(row, col),
    currentRow, cellClicked, cellDoubleClicked), so code and tests written against those keep
    working; selection by record id with `selected_id` / `select_id`."""

    cellClicked = Signal(int, int)
    cellDoubleClicked = Signal(int, int)

    def __init__(self, model: RecordTableModel[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.record_model = model
        self.painter: RecordPainter | None = RecordPainter(model)
        self.clicked.connect(lambda i: self.cellClicked.emit(i.row(), i.column()))
        self.doubleClicked.connect(lambda i: self.cellDoubleClicked.emit(i.row(), i.column()))
        # The record last made current: a filter may hide it for a while, and when it shows
        # again it is selected again (connected after the view's own handlers, so this runs last).
        self._remembered: str | None = None
        self.selectionModel().currentRowChanged.connect(self._remember)
        model.layoutChanged.connect(self._restore)
        # Right-click (or Ctrl+Shift+E): the rows shown, as a CSV file for a report.
        self.export_action = QtGui.QAction(self)
        self.export_action.setShortcut(QtGui.QKeySequence("Ctrl+Shift+E"))
        self.export_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.export_action.triggered.connect(lambda: self.export_csv())
        self.addAction(self.export_action)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._retranslate()

    def _retranslate(self) -> None:
        self.export_action.setText(self.tr("Export these rows to CSV…"))

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def export_csv(self, path: Path | None = None) -> Path | None:
        """Write the rows shown (filter and order as on screen) to a CSV file, asked for when
        `path` is None; says what went wrong if it cannot. Returns the file written."""
        if path is None:
            stamp = time.strftime("%Y%m%d-%H%M")
            name = (self.objectName() or "records").removesuffix("_table")
            chosen, _filter = QtWidgets.QFileDialog.getSaveFileName(
                self, self.tr("Export these rows to CSV"), str(Path.home() / f"{name}-{stamp}.csv"),
                self.tr("CSV files (*.csv)"))
            if not chosen:
                return None
            path = Path(chosen)
        # The user asked and waits for this file (a queue of 100,000 takes a second or two).
        QtWidgets.QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        error: OSError | None = None
        try:
            headers, rows = self.record_model.table_texts()
            write_csv(path, headers, rows)
        except OSError as exc:
            error = exc
        finally:
            QtWidgets.QApplication.restoreOverrideCursor()
        if error is not None:
            QtWidgets.QMessageBox.warning(self, self.tr("Export failed"), fmt(
                self.tr("The rows could not be written to %1: %2"), str(path), error.strerror or str(error)))
            return None
        window = self.window()
        if isinstance(window, QtWidgets.QMainWindow):
            window.statusBar().showMessage(fmt(self.tr("%1 rows written to %2"), len(rows), str(path)), 10000)
        return path

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        if self.painter is None:
            super().paintEvent(event)
            return
        p = QtGui.QPainter(self.viewport())
        try:
            self.painter.paint(self, p)
        finally:
            p.end()

    # -- QTableWidget-like reads ------------------------------------------------------------
    def rowCount(self) -> int:
        return self.record_model.rowCount()

    def columnCount(self) -> int:
        return self.record_model.columnCount()

    def item(self, row: int, column: int) -> RecordCell | None:
        index = self.record_model.index(row, column)
        return RecordCell(index) if index.isValid() else None

    def currentRow(self) -> int:
        index = self.currentIndex()
        return index.row() if index.isValid() else -1

    # -- selection by id --------------------------------------------------------------------
    def selected_id(self) -> str | None:
        index = self.currentIndex()
        return self.record_model.id_at(index.row()) if index.isValid() else None

    def select_id(self, id: str, *, quiet: bool = True) -> bool:
        """Select the record's row (without announcing it, when `quiet`); False if not shown
        (it is then selected when it shows)."""
        self._remembered = id
        row = self.record_model.row_of(id)
        if row is None:
            return False
        selection = self.selectionModel()
        selection.blockSignals(quiet)
        try:
            self.selectRow(row)
        finally:
            selection.blockSignals(False)
        self.viewport().update()  # the painter reads the selection; blocked signals did not repaint
        self.scrollTo(self.record_model.index(row, 0))
        return True

    def _remember(self, current: QModelIndex, _previous: QModelIndex) -> None:
        id = self.record_model.id_at(current.row())
        if id is not None:
            self._remembered = id

    def _restore(self) -> None:
        if self._remembered is not None and not self.currentIndex().isValid():
            self.select_id(self._remembered)

