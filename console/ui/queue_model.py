"""IncidentQueueModel: a thin Qt table over a QueueView (ordered ids + immutable items)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from console.domain.incidents import IncidentCategory, IncidentStatus
from console.ui.labels import in_language, label_of
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QBrush,
    QColor,
    QCoreApplication,
    QFont,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QtCore,
    QtGui,
    QtWidgets,
)
from console.ui.queue_index import Column, QueueItem, QueueView
from console.ui.theme import DARK, Theme
from console.ui.timefmt import age as age_of

HEADERS: dict[Column, str] = {
    Column.CODE: QT_TRANSLATE_NOOP("IncidentQueue", "112"),
    Column.CATEGORY: QT_TRANSLATE_NOOP("IncidentQueue", "Category"),
    Column.PLACE: QT_TRANSLATE_NOOP("IncidentQueue", "Place"),
    Column.STATUS: QT_TRANSLATE_NOOP("IncidentQueue", "Status"),
    Column.AGE: QT_TRANSLATE_NOOP("IncidentQueue", "Age"),
    Column.UNITS: QT_TRANSLATE_NOOP("IncidentQueue", "Units"),
    Column.STATION: QT_TRANSLATE_NOOP("IncidentQueue", "Station"),
}
ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 2
CACHE_SIZE = 512

AnyIndex = QModelIndex | QPersistentModelIndex
QPainter = QtGui.QPainter
QFontMetrics = QtGui.QFontMetrics
QStaticText = QtGui.QStaticText


class IncidentQueueModel(QAbstractTableModel):
    """Rows are incident ids; cells are formatted lazily, the static ones kept in a small LRU
    cache (the age column ticks, so it is computed on each paint of a visible row)."""

    def __init__(self, now: Callable[[], float], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self.view = QueueView([], {}, 0)
        self._ids: list[str] = []
        self._items: dict[str, QueueItem] = {}
        self._cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self.theme: Theme = DARK
        self.total = 0
        self._bold = QFont()
        self._bold.setBold(True)
        # "now" is read once a second (tick), not once per painted cell.
        self._now_value = now()
        self._brushes: dict[str, QBrush] = {}
        self._ages: dict[int, str] = {}  # seconds -> localised age text
        self._set_brushes()

    # -- data in ----------------------------------------------------------------------------
    def now(self) -> float:
        return self._now_value

    def _set_brushes(self) -> None:
        t = self.theme
        self._brushes = {f"code{c}": QBrush(t.code_color(c)) for c in range(5)}
        for name in ("pending", "overdue_bg"):
            self._brushes[name] = QBrush(t.color(name))

    def brush(self, name: str) -> QBrush:
        return self._brushes[name]

    def set_view(self, view: QueueView) -> None:
        self._now_value = self._now()
        self.beginResetModel()
        self.view = view
        self._ids, self._items, self.total = view.ids, view.items, view.total
        self._cache.clear()
        self.endResetModel()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._set_brushes()
        self.refresh_all()

    def refresh_all(self) -> None:
        """Re-format every cell (language or theme changed): the cached cells hold labels and
        titles in the language they were made in."""
        self._cache.clear()
        self._ages.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(Column) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)

    def tick(self) -> None:
        """Time moved: ages and overdue highlighting change (the view repaints visible rows only)."""
        self._now_value = self._now()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(Column) - 1),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole])

    # -- lookups ----------------------------------------------------------------------------
    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def item_at(self, row: int) -> QueueItem | None:
        id = self.id_at(row)
        return self._items.get(id) if id is not None else None

    def row_of(self, id: str) -> int | None:
        try:  # a C-level scan: ~1 ms at 100,000 rows, no dict to build on the GUI thread
            return self._ids.index(id)
        except ValueError:
            return None

    def ids(self) -> list[str]:
        return self._ids

    # -- Qt model API -----------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("IncidentQueue", HEADERS[Column(section)])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not (0 <= row < len(self._ids)):
            return None
        item = self._items.get(self._ids[row])
        if item is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(item, col)
        if role == ID_ROLE:
            return item.id
        if role == OVERDUE_ROLE:
            return item.overdue(self._now_value)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(item, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._brushes["overdue_bg"] if item.overdue(self._now_value) else None
        if role == Qt.ItemDataRole.FontRole:
            if col == Column.CODE or (item.urgent and item.status == "new"):
                return self._bold
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{title_of(item)}\n{item.place}"
            if item.overdue(self._now_value):
                tip += "\n" + QCoreApplication.translate("IncidentQueue", "Overdue: not acknowledged in time")
            if item.pending:
                tip += "\n" + QCoreApplication.translate(
                    "IncidentQueue", "Local change not yet confirmed by the server")
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (Column.CODE, Column.AGE):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    # -- cell content, shared by data() and the painting delegate --------------------------------
    def text(self, item: QueueItem, col: int) -> str:
        if col == Column.AGE:
            seconds = int(self._now_value - item.created)
            text = self._ages.get(seconds)
            if text is None:
                if len(self._ages) > 20_000:
                    self._ages.clear()
                text = self._ages[seconds] = age_of(seconds)
            return text
        return self._cells(item)[col]

    def foreground(self, item: QueueItem, col: int) -> QBrush | None:
        if col == Column.CODE:
            return self._brushes[f"code{max(0, min(4, item.code))}"]
        return self._brushes["pending"] if item.pending else None

    def bold(self, item: QueueItem, col: int) -> bool:
        return col == Column.CODE or (item.urgent and item.status == "new")

    def _cells(self, item: QueueItem) -> tuple[str, ...]:
        cached = self._cache.get(item.id)
        if cached is not None:
            self._cache.move_to_end(item.id)
            return cached
        cells = (
            str(item.code),
            label_of(IncidentCategory, item.category),
            item.place or title_of(item),
            label_of(IncidentStatus, item.status) + ("  ⚑" if item.escalated else ""),
            "",
            ", ".join(item.units),
            item.station,
        )
        self._cache[item.id] = cells
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return cells


def title_of(item: QueueItem) -> str:
    """The incident's title in the console's language (its English title in an English console)."""
    return in_language(item.title, item.title_en)


class QueuePainter:
    """Paints the visible rows of the queue in one Python call per paint.

    The default delegate asks the model for about eight roles per cell, each a C++ -> Python
    call that must take the GIL; with a sync running in a worker, those thousands of hand-overs
    made one paint take 100-400 ms. Painting the viewport from a single Python entry keeps the
    GIL for the whole paint, and cached laid-out texts (QStaticText) keep it short."""

    CACHE = 4096

    def __init__(self, model: IncidentQueueModel) -> None:
        self.model = model
        self._texts: OrderedDict[tuple[str, int, bool], QStaticText] = OrderedDict()

    def _static(self, text: str, width: int, bold: bool, fonts: tuple[QFont, QFont],
                metrics: tuple[QFontMetrics, QFontMetrics]) -> QStaticText:
        key = (text, width, bold)
        st = self._texts.get(key)
        if st is None:
            elided = metrics[bold].elidedText(text, Qt.TextElideMode.ElideRight, width)
            st = QStaticText(elided)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(QtGui.QTransform(), fonts[bold])
            self._texts[key] = st
            if len(self._texts) > self.CACHE:
                self._texts.popitem(last=False)
        return st

    def paint(self, view: QtWidgets.QTableView, painter: QPainter) -> None:
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
        metrics = (QFontMetrics(base), QFontMetrics(bold))
        line_h = metrics[0].height()
        selection = view.selectionModel()
        now = model.now()
        cols = [(c, view.columnViewportPosition(c), view.columnWidth(c)) for c in range(len(Column))
                if not view.isColumnHidden(c)]
        right = max((x + w for _c, x, w in cols), default=0)
        alternate_rows = view.alternatingRowColors()
        for row in range(first, last + 1):
            item = model.item_at(row)
            if item is None:
                continue
            y, h = view.rowViewportPosition(row), view.rowHeight(row)
            selected = selection.isRowSelected(row)
            if selected:
                painter.fillRect(0, y, right, h, highlight)
            elif item.overdue(now):
                painter.fillRect(0, y, right, h, model.brush("overdue_bg"))
            elif alternate_rows and row % 2:
                painter.fillRect(0, y, right, h, alternate)
            ty = y + (h - line_h) / 2
            for col, x, w in cols:
                is_bold = model.bold(item, col)
                fg = model.foreground(item, col)
                if selected and col != Column.CODE:
                    painter.setPen(selected_text)
                elif selected:
                    # The code keeps its colour on a chip of the base colour: a blue code 3 on
                    # the blue selection would vanish.
                    painter.fillRect(x + 3, y + 3, w - 6, h - 6, palette.base())
                    painter.setPen(fg.color() if fg is not None else text_colour)
                else:
                    painter.setPen(fg.color() if fg is not None else text_colour)
                painter.setFont(fonts[is_bold])
                st = self._static(model.text(item, col), max(0, w - 8), is_bold, fonts, metrics)
                tx = x + (w - st.size().width()) / 2 if col in (Column.CODE, Column.AGE) else x + 4
                painter.drawStaticText(QtCore.QPointF(tx, ty), st)
            painter.setPen(grid)
            painter.drawLine(0, y + h - 1, right, y + h - 1)
        painter.setPen(grid)
        for _c, x, w in cols:
            painter.drawLine(x + w - 1, 0, x + w - 1, min(height, view.rowViewportPosition(last)
                                                           + view.rowHeight(last)))
