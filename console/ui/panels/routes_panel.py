"""Ballot-box routes: every route in scope as waiting, moving, arrived or late; late boxes alert.

A thin widget over the read model `console.views.routes`: the routes are read once and then only
the changed ones (on the database worker, `RouteSource`); their display states, counts, the late
alert and the per-office roll-up are evaluated at the console's clock under the console's one late
threshold (`console.ui.route_lateness`, which the map follows too) whenever either moves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import numpy as np

from console.domain.clock import in_operation_zone
from console.domain.election import RouteDisplayState
from console.domain.records import RecordKind
from console.domain.roles import is_hq
from console.ui.labels import label
from console.ui.office_rollup import OfficeRollup
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QEvent,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from console.ui.record_feed import RecordFeed, read_changed
from console.ui.record_model import RecordColumn, RecordTableModel
from console.ui.route_lateness import MAX_MINUTES, late_threshold
from console.ui.widgets import record_view
from console.views.record_index import RecordSnapshot
from console.views.routes import (
    LATE,
    STATE_ORDER,
    STATES,
    OfficeRoutes,
    RouteEvaluation,
    RouteItem,
    RoutesData,
    RouteSource,
    evaluate,
    rollup,
    worst_first,
    worst_late,
)

K = RecordKind
CONTEXT = "RoutesPanel"
STATE_COLOURS = {RouteDisplayState.LATE: "code0", RouteDisplayState.MOVING: "code1",
                 RouteDisplayState.ARRIVED: "ok", RouteDisplayState.WAITING: "muted"}
EVALUATE_EVERY_TICKS = 3  # lateness depends on the clock alone: re-evaluate every 3 s


def kst_hhmm(epoch: float | None) -> str:
    """'20:45' in Korean time whatever the workstation's zone; '' for none."""
    if epoch is None:
        return ""
    return in_operation_zone(datetime.fromtimestamp(epoch, UTC)).strftime("%H:%M")


class RoutesPanel(QWidget, OfficeRollup):
    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._now = ctx.now().timestamp()
        self._ev: RouteEvaluation | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.alert = QFrame()
        self.alert.setProperty("role", "alert")
        alert_layout = QHBoxLayout(self.alert)
        self.alert_label = QLabel()
        self.alert_label.setObjectName("routes_alert")
        alert_layout.addWidget(self.alert_label)
        self.alert.setVisible(False)
        layout.addWidget(self.alert)

        bar = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("routes_summary")
        self.filter = QComboBox()
        self.filter.setObjectName("routes_filter")
        self.filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.threshold_caption = QLabel()
        # The console's one late threshold, kept per user: the spin box sets it, the map follows.
        self.late_setting = late_threshold(ctx)
        self.threshold = QSpinBox()
        self.threshold.setObjectName("late_threshold")
        self.threshold.setRange(0, MAX_MINUTES)
        self.threshold.setValue(self.late_setting.minutes)
        self.threshold.valueChanged.connect(self.late_setting.set_minutes)
        self.late_setting.changed.connect(self._on_threshold_changed)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.threshold_caption)
        bar.addWidget(self.threshold)
        bar.addWidget(self.filter)
        layout.addLayout(bar)

        # HQ roles first see their offices below, rolled up; a click narrows the list to one.
        self.hq = is_hq(ctx.user.role)
        self.office_names: dict[str, tuple[str, str]] = {}
        self.office_filter: str | None = None
        self.office_model: RecordTableModel[OfficeRoutes] = RecordTableModel(CONTEXT, [
            RecordColumn(QT_TRANSLATE_NOOP("RoutesPanel", "Office"), self._office_name,
                         colour=self._office_colour),
            RecordColumn(QT_TRANSLATE_NOOP("RoutesPanel", "Routes"), lambda o: f"{o.total:,}",
                         colour=self._office_colour),
            *(RecordColumn(label_header(state), count_of(state), colour=self._office_colour)
              for state in (RouteDisplayState.WAITING, RouteDisplayState.MOVING, RouteDisplayState.ARRIVED,
                            RouteDisplayState.LATE)),
        ], row_colour=lambda o: "overdue_bg" if o.counts[RouteDisplayState.LATE] else None, parent=self)
        self.by_office = record_view("routes_by_office", self.office_model, widths=(200,), alternating=False)
        self.by_office.cellClicked.connect(self._pick_office)
        self.by_office.setVisible(self.hq)
        layout.addWidget(self.by_office, 1)

        self.model: RecordTableModel[RouteItem] = RecordTableModel(CONTEXT, [
            RecordColumn(QT_TRANSLATE_NOOP("RoutesPanel", "State"), lambda r: label(self._state(r)),
                         lambda s: self._evaluation(s).codes, colour=lambda r: STATE_COLOURS[self._state(r)],
                         live=True),
            RecordColumn(QT_TRANSLATE_NOOP("RoutesPanel", "Polling station"), lambda r: r.polling_name,
                         "polling_name"),
            RecordColumn(QT_TRANSLATE_NOOP("RoutesPanel", "Counting station"), self._counting_text,
                         "counting_name"),
            RecordColumn(QT_TRANSLATE_NOOP("RoutesPanel", "Station"), lambda r: self._station_name(r.station),
                         "station"),
            RecordColumn(QT_TRANSLATE_NOOP("RoutesPanel", "Planned (min)"), lambda r: str(r.planned_minutes),
                         "planned"),
            RecordColumn(QT_TRANSLATE_NOOP("RoutesPanel", "Departed"), lambda r: kst_hhmm(r.departed),
                         "departed"),
            RecordColumn(QT_TRANSLATE_NOOP("RoutesPanel", "Arrived"), lambda r: kst_hhmm(r.arrived),
                         "arrived"),
        ], row_colour=self._late_colour, parent=self)
        self.model.set_order(lambda s, positions: worst_first(s, self._evaluation(s), positions))
        self.model.evaluated.connect(self._render_summary)
        self.table = record_view("routes_table", self.model, widths=(80, 170, 230, 160, 100, 80, 80),
                                 sortable=True)
        self.table.cellDoubleClicked.connect(self._select)
        layout.addWidget(self.table, 1)
        self._on_theme()

        self.feed = RecordFeed(ctx, RouteSource(ctx.user.org_path, read_changed), self._loaded,
                               error_title=lambda: self.tr("The ballot-box routes could not be read"),
                               parent=self)
        self._retranslate()
        ctx.changes.tick.connect(self._on_tick)
        ctx.theme.changed.connect(lambda _n: self._on_theme())
        ctx.selection.selected.connect(self._on_selected)
        self._ticks = 0
        self.refresh()

    # -- data -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the routes and names again (on the worker); afterwards only what changed."""
        self.feed.load()

    def _loaded(self, data: RoutesData) -> None:
        if data.office_names is not None:
            self.office_names = data.office_names
            self.office_model.repaint_all()
            self.model.repaint_all()  # the station column names stations
        if data.routes is not None:
            self._now = self.ctx.now().timestamp()
            self.model.set_snapshot(data.routes)

    def _on_threshold_changed(self, minutes: int) -> None:
        if self.threshold.value() != minutes:  # set elsewhere (another window of this console)
            self.threshold.blockSignals(True)
            self.threshold.setValue(minutes)
            self.threshold.blockSignals(False)
        self._reevaluate()

    def _reevaluate(self) -> None:
        """The clock or the threshold moved: states, order, counts and alert follow."""
        self._now = self.ctx.now().timestamp()
        self.model.refresh()

    def _on_tick(self) -> None:
        self._ticks += 1
        if self._ticks % EVALUATE_EVERY_TICKS == 0 and len(self.model.snapshot):
            self._reevaluate()

    def _evaluation(self, snapshot: RecordSnapshot[RouteItem]) -> RouteEvaluation:
        threshold_s = self.late_setting.threshold.total_seconds()
        ev = self._ev
        wanted = (snapshot.generation, self._now, threshold_s)
        if ev is None or (ev.generation, ev.now, ev.threshold_s) != wanted:
            ev = self._ev = evaluate(snapshot, self._now, threshold_s)
        return ev

    def _late_colour(self, item: RouteItem) -> str | None:
        return "overdue_bg" if self._state(item) == RouteDisplayState.LATE else None

    def _state(self, item: RouteItem) -> RouteDisplayState:
        """The item's state in the current evaluation (the one every figure of the panel uses)."""
        snapshot = self.model.snapshot
        k = snapshot.position.get(item.id)
        if k is None or snapshot.items[k] is not item:
            return item.state_at(datetime.fromtimestamp(self._now, UTC), self.late_setting.threshold)
        return STATES[int(self._evaluation(snapshot).codes[k])]

    def _counting_text(self, item: RouteItem) -> str:
        if item.counting_known:
            return item.counting_name
        # A counting station run by a neighbouring station is outside this console's replica.
        return self.tr("{id} (outside your area)").format(id=item.counting_station_id)

    # -- view -----------------------------------------------------------------------------------
    def counts(self) -> dict[RouteDisplayState, int]:
        return self._evaluation(self.model.snapshot).counts()

    def late_ids(self) -> set[str]:
        """The routes this panel shows as late."""
        snapshot = self.model.snapshot
        codes = self._evaluation(snapshot).codes
        return {snapshot.items[int(k)].id for k in np.flatnonzero(codes == LATE)}

    def _apply_filter(self) -> None:
        wanted, office = self.filter.currentData(), self.office_filter

        def mask(snapshot: RecordSnapshot[Any]) -> np.ndarray | None:
            result: np.ndarray | None = None
            if wanted is not None:
                result = self._evaluation(snapshot).codes == STATE_ORDER[RouteDisplayState(wanted)]
            if office is not None:
                mine = snapshot.rank("office") == snapshot.rank_of("office", office)
                result = mine if result is None else result & mine
            return result

        self.model.set_filter(mask if wanted is not None or office is not None else None)

    def _render_summary(self) -> None:
        snapshot = self.model.snapshot
        counts = self.counts()
        late = counts[RouteDisplayState.LATE]
        summary = self.tr(
            "{total} routes: {waiting} waiting, {moving} moving, {arrived} arrived, {late} late")
        self.summary.setText(summary.format(
            total=f"{len(snapshot):,}", waiting=f"{counts[RouteDisplayState.WAITING]:,}",
            moving=f"{counts[RouteDisplayState.MOVING]:,}", arrived=f"{counts[RouteDisplayState.ARRIVED]:,}",
            late=f"{late:,}"))
        self.alert.setVisible(late > 0)
        worst = worst_late(snapshot, self._evaluation(snapshot)) if late else None
        if worst is not None:
            alert = self.tr("{n} ballot box(es) late; worst: {name}, {minutes} min overdue")
            self.alert_label.setText(alert.format(n=f"{late:,}", name=worst.polling_name,
                                                  minutes=round(worst.minutes_over(self._now))))
        if self.hq:
            self._show_offices(rollup(snapshot, self._evaluation(snapshot)) if len(snapshot) else [])

    def _select(self, row: int, _col: int) -> None:
        id = self.model.id_at(row)
        if id:
            self.ctx.selection.select(K.ROUTE.value, id)

    def _on_selected(self, kind: str, id: str) -> None:
        if kind == K.ROUTE.value and id != self.table.selected_id():
            self.table.select_id(id)

    def _on_theme(self) -> None:
        self.model.set_theme(self.ctx.theme.current)
        self.office_model.set_theme(self.ctx.theme.current)

    def _retranslate(self) -> None:
        self.threshold_caption.setText(self.tr("Late after (min):"))
        current = self.filter.currentIndex()
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem(self.tr("All routes"), None)
        for state in (RouteDisplayState.LATE, RouteDisplayState.MOVING, RouteDisplayState.WAITING,
                      RouteDisplayState.ARRIVED):
            self.filter.addItem(label(state), state)
        self.filter.setCurrentIndex(max(0, current))
        self.filter.blockSignals(False)
        self.model.retranslate()
        self.office_model.retranslate()
        self._render_summary()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def label_header(state: RouteDisplayState) -> Callable[[], str]:
    """A column header that is the state's own (translated) label."""
    return lambda: label(state)


def count_of(state: RouteDisplayState) -> Callable[[OfficeRoutes], str]:
    return lambda office: f"{office.counts[state]:,}"


def build(ctx: PanelContext) -> QWidget:
    return RoutesPanel(ctx)


PANEL = PanelSpec(
    object_name="routes",
    title=QT_TRANSLATE_NOOP("Panels", "Ballot-box routes"),
    area="right",
    factory=build,
    order=70,
)
