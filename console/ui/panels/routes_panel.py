"""Ballot-box routes: every route in scope as waiting, moving, arrived or late; late boxes alert."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from console.domain.clock import parse_time
from console.domain.election import DEFAULT_LATE_THRESHOLD, BallotRoute, RouteDisplayState
from console.domain.records import RecordKind, from_data
from console.ui.labels import label
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QColor,
    QComboBox,
    QEvent,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

K = RecordKind
KST = timezone(timedelta(hours=9))  # election times are read in Korean time
USER_ROLE = Qt.ItemDataRole.UserRole
MAX_SHOWN = 500  # a national view has ~14,500 routes: show the worst first, count them all
STATE_ORDER = {RouteDisplayState.LATE: 0, RouteDisplayState.MOVING: 1, RouteDisplayState.WAITING: 2,
               RouteDisplayState.ARRIVED: 3}


@dataclass(frozen=True)
class RouteLine:
    """One route as the table shows it (plain data, built on the worker)."""

    id: str
    state: RouteDisplayState
    polling_name: str
    counting_name: str
    station: str
    planned_minutes: int
    departed_at: str | None
    arrived_at: str | None
    minutes_over: float  # minutes past the planned arrival (moving or late), else 0


def route_lines(routes: list[Any], polling: dict[str, str], counting: dict[str, str], now: datetime,
                threshold: timedelta) -> list[RouteLine]:
    """Routes with their display state at `now`, late first, then moving, waiting, arrived."""
    lines: list[RouteLine] = []
    for row in routes:
        route: BallotRoute = from_data(K.ROUTE, row.data)
        state = route.display_state(now, threshold)
        due = route.due_at()
        over = (now - due).total_seconds() / 60 if due is not None and route.arrived_at is None else 0.0
        ps_name = polling.get(route.polling_station_id, route.polling_station_id)
        lines.append(RouteLine(route.id, state, ps_name,
                               counting.get(route.counting_station_id, route.counting_station_id),
                               route.station_code, route.planned_minutes, route.departed_at,
                               route.arrived_at, max(0.0, over)))
    lines.sort(key=lambda r: (STATE_ORDER[r.state], -r.minutes_over, r.polling_name))
    return lines


def _hhmm(value: str | None) -> str:
    if not value:
        return ""
    return parse_time(value).astimezone(KST).strftime("%H:%M")


class RoutesPanel(QWidget):
    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lines: list[RouteLine] = []
        self._data: tuple[list[Any], dict[str, str], dict[str, str]] = ([], {}, {})
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
        self.filter.currentIndexChanged.connect(lambda _i: self._render())
        self.threshold_caption = QLabel()
        self.threshold = QSpinBox()
        self.threshold.setObjectName("late_threshold")
        self.threshold.setRange(0, 180)
        self.threshold.setValue(int(DEFAULT_LATE_THRESHOLD.total_seconds() // 60))
        self.threshold.valueChanged.connect(lambda _v: self._recompute())
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.threshold_caption)
        bar.addWidget(self.threshold)
        bar.addWidget(self.filter)
        layout.addLayout(bar)

        self.table = QTableWidget(0, 7)
        self.table.setObjectName("routes_table")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((80, 170, 230, 80, 100, 80, 80)):
            self.table.setColumnWidth(col, width)
        self.table.cellDoubleClicked.connect(self._select)
        layout.addWidget(self.table, 1)

        self._retranslate()
        ctx.changes.rows_changed.connect(self._on_rows_changed)
        ctx.changes.tick.connect(self._on_tick)
        ctx.theme.changed.connect(lambda _n: self._render())
        self._ticks = 0
        self.refresh()

    # -- data -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the routes and names again (on the worker), then evaluate them."""
        replica = self.ctx.replica

        def load() -> tuple[list[Any], dict[str, str], dict[str, str]]:
            routes = list(replica.rows(K.ROUTE))
            polling = {r.id: str(r.data.get("name", r.id)) for r in replica.rows(K.POLLING_STATION)}
            counting = {r.id: str(r.data.get("name", r.id)) for r in replica.rows(K.COUNTING_STATION)}
            return routes, polling, counting

        self.ctx.ops.query(load, self._loaded, key="routes_panel_load")

    def _loaded(self, data: tuple[list[Any], dict[str, str], dict[str, str]]) -> None:
        self._data = data
        self._recompute()

    def _recompute(self) -> None:
        # A national view has ~14,500 routes: evaluating them is worker work, not GUI work.
        routes, polling, counting = self._data
        threshold = timedelta(minutes=self.threshold.value())
        now = self.ctx.clock.now()
        self.ctx.ops.query(lambda: route_lines(routes, polling, counting, now, threshold), self._evaluated,
                           key="routes_panel_eval")

    def _evaluated(self, lines: list[RouteLine]) -> None:
        self.lines = lines
        self._render()

    def _on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        if any(RecordKind(k) in (K.ROUTE, K.POLLING_STATION, K.COUNTING_STATION) for k in changes):
            self.refresh()

    def _on_tick(self) -> None:
        # Lateness depends on the clock alone: re-evaluate every few seconds.
        self._ticks += 1
        if self._ticks % 3 == 0 and self._data[0]:
            self._recompute()

    # -- view -----------------------------------------------------------------------------------
    def counts(self) -> dict[RouteDisplayState, int]:
        result = dict.fromkeys(RouteDisplayState, 0)
        for line in self.lines:
            result[line.state] += 1
        return result

    def _render(self) -> None:
        counts = self.counts()
        late = counts[RouteDisplayState.LATE]
        summary = self.tr(
            "{total} routes: {waiting} waiting, {moving} moving, {arrived} arrived, {late} late")
        self.summary.setText(summary.format(
            total=len(self.lines), waiting=counts[RouteDisplayState.WAITING],
            moving=counts[RouteDisplayState.MOVING], arrived=counts[RouteDisplayState.ARRIVED], late=late))
        self.alert.setVisible(late > 0)
        if late:
            worst = self.lines[0]
            alert = self.tr("{n} ballot box(es) late; worst: {name}, {minutes} min overdue")
            self.alert_label.setText(alert.format(n=late, name=worst.polling_name,
                                                  minutes=round(worst.minutes_over)))
        wanted = self.filter.currentData()
        shown = [ln for ln in self.lines if wanted is None or ln.state == wanted][:MAX_SHOWN]
        theme = self.ctx.theme.current
        colours = {RouteDisplayState.LATE: theme.code0, RouteDisplayState.MOVING: theme.code1,
                   RouteDisplayState.ARRIVED: theme.ok, RouteDisplayState.WAITING: theme.muted}
        self.table.setUpdatesEnabled(False)
        self.table.setRowCount(len(shown))
        for i, ln in enumerate(shown):
            values = (label(ln.state), ln.polling_name, ln.counting_name, ln.station,
                      str(ln.planned_minutes), _hhmm(ln.departed_at), _hhmm(ln.arrived_at))
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 0:
                    item.setForeground(QColor(colours[ln.state]))
                    item.setData(USER_ROLE, ln.id)
                if ln.state == RouteDisplayState.LATE:
                    item.setBackground(QColor(theme.overdue_bg))
                self.table.setItem(i, col, item)
        self.table.setUpdatesEnabled(True)

    def _select(self, row: int, _col: int) -> None:
        item = self.table.item(row, 0)
        if item is not None and item.data(USER_ROLE):
            self.ctx.selection.select(K.ROUTE.value, str(item.data(USER_ROLE)))

    def _retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([
            self.tr("State"), self.tr("Polling station"), self.tr("Counting station"), self.tr("Station"),
            self.tr("Planned (min)"), self.tr("Departed"), self.tr("Arrived")])
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
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def build(ctx: PanelContext) -> QWidget:
    return RoutesPanel(ctx)


PANEL = PanelSpec(
    object_name="routes",
    title=QT_TRANSLATE_NOOP("Panels", "Ballot-box routes"),
    area="right",
    factory=build,
    order=70,
)
