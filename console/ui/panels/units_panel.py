"""Units: status, last known position and its age, and changing a unit's status."""

from __future__ import annotations

from typing import Any

from console.domain.clock import parse_time
from console.domain.errors import DomainError
from console.domain.records import RecordKind
from console.domain.units import UnitStatus, UnitType
from console.ui.labels import label, label_of
from console.ui.operations import MutationRequest
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QColor,
    QComboBox,
    QEvent,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.timefmt import age as age_of

K = RecordKind
COLUMNS = 7  # call sign, type, status, station, incident, position, position age


class UnitsPanel(QWidget):
    loaded = Signal(int)

    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[Any] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("unit_search")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._render())
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("unit_status_filter")
        self.status_filter.currentIndexChanged.connect(lambda _i: self._render())
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_filter)
        layout.addLayout(bar)

        self.table = QTableWidget(0, COLUMNS)
        self.table.setObjectName("units_table")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((150, 140, 100, 80, 90, 150)):
            self.table.setColumnWidth(col, width)
        self.table.currentCellChanged.connect(self._on_current)
        layout.addWidget(self.table, 1)

        change = QHBoxLayout()
        self.change_caption = QLabel()
        self.new_status = QComboBox()
        self.new_status.setObjectName("new_unit_status")
        self.apply_button = QPushButton()
        self.apply_button.setObjectName("apply_unit_status")
        self.apply_button.clicked.connect(self.apply_status)
        self.message = QLabel()
        self.message.setProperty("role", "error")
        change.addWidget(self.change_caption)
        change.addWidget(self.new_status)
        change.addWidget(self.apply_button)
        change.addWidget(self.message, 1)
        layout.addLayout(change)

        ctx.changes.rows_changed.connect(self._on_rows_changed)
        ctx.changes.tick.connect(self._on_tick)
        ctx.selection.selected.connect(self._on_selected)
        self._ticks = 0
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search call sign, station…"))
        current = self.status_filter.currentData()
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        self.status_filter.addItem(self.tr("All statuses"), None)
        for s in UnitStatus:
            self.status_filter.addItem(label(s), s.value)
        self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(current)))
        self.status_filter.blockSignals(False)
        chosen = self.new_status.currentData()
        self.new_status.clear()
        for s in UnitStatus:
            self.new_status.addItem(label(s), s.value)
        self.new_status.setCurrentIndex(max(0, self.new_status.findData(chosen)))
        self.change_caption.setText(self.tr("Set status:"))
        self.apply_button.setText(self.tr("Apply"))
        self.table.setHorizontalHeaderLabels([self.tr("Call sign"), self.tr("Type"), self.tr("Status"),
                                              self.tr("Station"), self.tr("Incident"), self.tr("Position"),
                                              self.tr("Position age")])
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def reload(self) -> None:
        replica = self.ctx.replica
        self.ctx.ops.query(lambda: sorted(replica.rows(K.UNIT), key=lambda r: str(r.data.get("callsign"))),
                           self._loaded, key="units")

    def _loaded(self, rows: list[Any]) -> None:
        self.rows = rows
        self._render()
        self.loaded.emit(len(rows))

    def _on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        if K.UNIT in changes:
            self.reload()

    def _on_tick(self) -> None:
        self._ticks += 1
        if self._ticks % 15 == 0 and self.isVisible():
            self._render()  # position ages

    def _visible_rows(self) -> list[Any]:
        status = self.status_filter.currentData()
        words = self.search.text().lower().split()
        out = []
        for r in self.rows:
            d = r.data
            if status and d.get("status") != status:
                continue
            blob = f"{d.get('callsign')} {d.get('station_code')} {d.get('type')} {r.id}".lower()
            if all(w in blob for w in words):
                out.append(r)
        return out

    def _render(self) -> None:
        current = self.selected_id()
        rows = self._visible_rows()
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(rows))
        now = self.ctx.clock.now()
        t = self.ctx.theme.current
        colours = {"available": t.ok, "dispatched": t.code1, "on_scene": t.code0, "returning": t.code3,
                   "off_duty": t.muted}
        for i, r in enumerate(rows):
            d = r.data
            pos, age = "—", ""
            if d.get("lat") is not None and d.get("lon") is not None:
                pos = f"{float(d['lat']):.4f}, {float(d['lon']):.4f}"
            if d.get("position_at"):
                try:
                    age = age_of((now - parse_time(str(d["position_at"]))).total_seconds())
                except DomainError:
                    age = ""
            cells = [str(d.get("callsign", "")), label_of(UnitType, d.get("type")),
                     label_of(UnitStatus, d.get("status")) + (" ⟳" if r.pending else ""),
                     str(d.get("station_code", "")), str(d.get("incident_id") or "")[:8], pos, age]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 0:
                    item.setData(Qt.ItemDataRole.UserRole, r.id)
                if col == 2:
                    item.setForeground(QColor(colours.get(str(d.get("status")), t.text)))
                self.table.setItem(i, col, item)
        self.table.setSortingEnabled(True)
        if current:
            self._select_id(current)

    def selected_id(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _select_id(self, id: str) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == id:
                self.table.blockSignals(True)
                self.table.selectRow(row)
                self.table.blockSignals(False)
                return

    def _on_current(self, row: int, _col: int, _prow: int, _pcol: int) -> None:
        id = self.selected_id()
        if id:
            self.ctx.selection.select(K.UNIT.value, id)

    def _on_selected(self, kind: str, id: str) -> None:
        if kind == K.UNIT.value and id != self.selected_id():
            self._select_id(id)

    def apply_status(self) -> None:
        id = self.selected_id()
        self.message.clear()
        if not id:
            self.message.setText(self.tr("Select a unit first."))
            return
        payload: dict[str, Any] = {"status": self.new_status.currentData()}
        if payload["status"] in (UnitStatus.AVAILABLE.value, UnitStatus.OFF_DUTY.value):
            payload["incident_id"] = None
        self.ctx.ops.submit(MutationRequest("unit.status", K.UNIT, id, payload),
                            on_error=lambda exc: self.message.setText(getattr(exc, "message", str(exc))))


def build(ctx: PanelContext) -> QWidget:
    return UnitsPanel(ctx)


PANEL = PanelSpec(
    object_name="units",
    title=QT_TRANSLATE_NOOP("Panels", "Units"),
    area="bottom",
    group="status",
    factory=build,
    order=40,
    opens=(K.UNIT.value,),
)
