"""IncidentQueueModel: a thin Qt table over a QueueView (ordered ids + immutable items)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from console.domain.incidents import IncidentCategory, IncidentStatus, PriorityCode
from console.ui.labels import label_of
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QBrush,
    QCoreApplication,
    QFont,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
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


class IncidentQueueModel(QAbstractTableModel):
    """Rows are incident ids; cells are formatted lazily, the static ones kept in a small LRU
    cache (the age column ticks, so it is computed on each paint of a visible row)."""

    def __init__(self, now: Callable[[], float], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self._ids: list[str] = []
        self._items: dict[str, QueueItem] = {}
        self._row_of: dict[str, int] | None = None
        self._cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self.theme: Theme = DARK
        self.total = 0
        self._bold = QFont()
        self._bold.setBold(True)

    # -- data in ----------------------------------------------------------------------------
    def set_view(self, view: QueueView) -> None:
        self.beginResetModel()
        self._ids, self._items, self.total = view.ids, view.items, view.total
        self._row_of = None
        self._cache.clear()
        self.endResetModel()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.refresh_all()

    def refresh_all(self) -> None:
        """Re-format every cell (language or theme changed)."""
        self._cache.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(Column) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)

    def tick(self) -> None:
        """Time moved: ages and overdue highlighting change (the view repaints visible rows only)."""
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
        if self._row_of is None:
            self._row_of = {x: i for i, x in enumerate(self._ids)}
        return self._row_of.get(id)

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
            if col == Column.AGE:
                return age_of(self._now() - item.created)
            return self._cells(item)[col]
        if role == ID_ROLE:
            return item.id
        if role == OVERDUE_ROLE:
            return item.overdue(self._now())
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == Column.CODE:
                return QBrush(self.theme.code_color(item.code))
            if item.pending:
                return QBrush(self.theme.color("pending"))
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if item.overdue(self._now()):
                return QBrush(self.theme.color("overdue_bg"))
            return None
        if role == Qt.ItemDataRole.FontRole:
            if col == Column.CODE or (item.urgent and item.status == "new"):
                return self._bold
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{item.title}\n{item.place}"
            if item.overdue(self._now()):
                tip += "\n" + QCoreApplication.translate("IncidentQueue", "Overdue: not acknowledged in time")
            if item.pending:
                tip += "\n" + QCoreApplication.translate(
                    "IncidentQueue", "Local change not yet confirmed by the server")
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (Column.CODE, Column.AGE):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _cells(self, item: QueueItem) -> tuple[str, ...]:
        cached = self._cache.get(item.id)
        if cached is not None:
            self._cache.move_to_end(item.id)
            return cached
        cells = (
            str(item.code),
            label_of(IncidentCategory, item.category),
            item.place or item.title,
            label_of(IncidentStatus, item.status) + ("  ⚑" if item.escalated else ""),
            "",
            ", ".join(item.units),
            item.station,
        )
        self._cache[item.id] = cells
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return cells


def code_label(code: int) -> str:
    return label_of(PriorityCode, code)
