"""Units: status, last known position and its age, and changing a unit's status."""

from __future__ import annotations

from typing import Any

import numpy as np

from console.domain.records import RecordKind
from console.domain.units import UnitStatus, UnitType
from console.ui.labels import label, label_of
from console.ui.office_names import office_names
from console.ui.operations import MutationRequest
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QEvent,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPushButton,
    QVBoxLayout,
    QWidget,
    Signal,
    fmt,
)
from console.ui.record_feed import KindSource, RecordFeed
from console.ui.record_model import RecordColumn, RecordTableModel, by_label
from console.ui.timefmt import age as age_of
from console.ui.timefmt import local_time, shown_now
from console.ui.widgets import record_view
from console.views.incidents import from_epoch
from console.views.record_index import RecordSnapshot
from console.views.units import UNIT_SCHEMA, UnitItem, by_callsign, newest_position_first, unit_item

K = RecordKind
CONTEXT = "UnitsPanel"
STATUS_COLOURS = {"available": "ok", "dispatched": "code1", "on_scene": "code0", "returning": "code3",
                  "off_duty": "muted"}


def unit_source() -> KindSource[UnitItem]:
    """Every unit in scope; the place of each position is named on the database worker."""
    return KindSource(K.UNIT, unit_item, UNIT_SCHEMA)


class UnitsPanel(QWidget):
    loaded = Signal(int)

    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # Position ages as of the moment every panel shows (read once per tick).
        self.shown = shown_now(ctx.changes, ctx.clock)
        self._loaded = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("unit_search")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._apply_filter())
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("unit_status_filter")
        self.status_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.count_label = QLabel()
        self.count_label.setObjectName("units_count")
        self.count_label.setProperty("role", "muted")
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.count_label)
        layout.addLayout(bar)

        self.offices = office_names(ctx)  # stations by name, in the console's language
        self.offices.changed.connect(lambda: self.model.repaint_all())
        self.model: RecordTableModel[UnitItem] = RecordTableModel(CONTEXT, [
            RecordColumn(QT_TRANSLATE_NOOP("UnitsPanel", "Call sign"), lambda u: u.callsign, "callsign"),
            RecordColumn(QT_TRANSLATE_NOOP("UnitsPanel", "Type"), lambda u: label_of(UnitType, u.type),
                         by_label("type", lambda v: label_of(UnitType, v))),
            RecordColumn(QT_TRANSLATE_NOOP("UnitsPanel", "Status"),
                         lambda u: label_of(UnitStatus, u.status) + (" ⟳" if u.pending else ""),
                         by_label("status", lambda v: label_of(UnitStatus, v)),
                         colour=lambda u: STATUS_COLOURS.get(u.status)),
            RecordColumn(QT_TRANSLATE_NOOP("UnitsPanel", "Station"), lambda u: self.offices.name(u.station),
                         "station"),
            RecordColumn(QT_TRANSLATE_NOOP("UnitsPanel", "Incident"), lambda u: u.incident[:8], "incident"),
            RecordColumn(QT_TRANSLATE_NOOP("UnitsPanel", "Position"), lambda u: u.place or "—", "place"),
            RecordColumn(QT_TRANSLATE_NOOP("UnitsPanel", "Position age"), self._age, newest_position_first,
                         center=True, live=True),
        ], tooltip=self._tooltip, parent=self)
        self.model.set_theme(ctx.theme.current)
        self.model.set_order(by_callsign)
        self.model.evaluated.connect(self._update_count)
        self.table = record_view("units_table", self.model, widths=(150, 140, 100, 160, 90, 150),
                                 row_height=24, sortable=True)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
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

        self.feed = RecordFeed(ctx, unit_source(), self._show,
                               error_title=lambda: self.tr("The units could not be read"), parent=self)
        self.shown.advanced.connect(self._on_tick)
        ctx.theme.changed.connect(lambda _n: self.model.set_theme(ctx.theme.current))
        ctx.selection.selected.connect(self._on_selected)
        self._first = True
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
        self.model.retranslate()
        self._update_count()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- data -------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read every unit again (on the worker); afterwards only changed units are read."""
        self.feed.load()

    def _show(self, snapshot: RecordSnapshot[UnitItem]) -> None:
        self._loaded = True
        self.model.set_snapshot(snapshot)
        if self._first:
            self._first = False
            self.loaded.emit(len(snapshot))

    def _on_tick(self) -> None:
        if self.isVisible():  # the views repaint the visible rows only
            self.model.repaint_all(live_only=True)

    def _age(self, unit: UnitItem) -> str:
        """Its last position report's age; 'not reported' when it never reported one (its
        position is where it was registered), '—' without a position."""
        age = unit.position_age(self.shown.now())
        if age is not None:
            return age_of(age)
        return self.tr("not reported") if unit.lat is not None else "—"

    def _tooltip(self, unit: UnitItem) -> str:
        lines = [unit.callsign]
        if unit.lat is not None:
            lines.append(f"{unit.address or unit.place}  ({unit.coordinates})")
        if unit.position_at is not None:
            lines.append(fmt(self.tr("Position reported %1"), local_time(
                from_epoch(unit.position_at), self.shown.now())))
        elif unit.lat is not None:
            lines.append(self.tr("No position report yet: the position is where the unit was registered"))
        return "\n".join(lines)

    # -- filtering --------------------------------------------------------------------------
    def _apply_filter(self) -> None:
        status = self.status_filter.currentData()
        text = self.search.text()

        def mask(snapshot: RecordSnapshot[Any]) -> np.ndarray | None:
            result = snapshot.matching(text)
            if status:
                chosen = snapshot.rank("status") == snapshot.rank_of("status", str(status))
                result = chosen if result is None else result & chosen
            return result

        self.model.set_filter(mask if status or text.strip() else None)

    def _update_count(self) -> None:
        if not self._loaded:  # no rows read yet: "0 / 0" would be a count
            self.count_label.setText(self.tr("Loading…"))
            return
        self.count_label.setText(f"{self.model.rowCount():,} / {len(self.model.snapshot):,}")

    # -- selection --------------------------------------------------------------------------
    def selected_id(self) -> str | None:
        return self.table.selected_id()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        id = self.model.id_at(current.row())
        if id:
            self.ctx.selection.select(K.UNIT.value, id)

    def _on_selected(self, kind: str, id: str) -> None:
        if kind == K.UNIT.value and id != self.selected_id():
            self.table.select_id(id)

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
