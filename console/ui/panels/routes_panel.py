"""Ballot-box routes: every route in scope as waiting, moving, arrived or late; late boxes alert."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from console.domain.clock import parse_time
from console.domain.election import DEFAULT_LATE_THRESHOLD, BallotRoute, RouteDisplayState
from console.domain.records import RecordKind, from_data
from console.ui.i18n import is_korean
from console.ui.labels import label
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QColor,
    QComboBox,
    QEvent,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    Qt,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from console.ui.widgets import record_table

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
    office: str = ""  # the office directly below the viewer's own (province or station)


@dataclass(frozen=True)
class OfficeRoutes:
    """The routes of one office below an HQ, counted by state."""

    office: str
    counts: dict[RouteDisplayState, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def office_below(org_path: str, scope_path: str) -> str:
    """'/NPA/SEOUL/S11110/' seen from '/NPA/' -> 'SEOUL'; from '/NPA/SEOUL/' -> 'S11110'."""
    parts = [p for p in org_path.split("/") if p]
    depth = len([p for p in scope_path.split("/") if p])
    return parts[depth] if len(parts) > depth else (parts[-1] if parts else "")


def office_rollup(lines: list[RouteLine]) -> list[OfficeRoutes]:
    """Per office: routes by state; offices with late boxes first."""
    by_office: dict[str, dict[RouteDisplayState, int]] = {}
    for ln in lines:
        counts = by_office.setdefault(ln.office, dict.fromkeys(RouteDisplayState, 0))
        counts[ln.state] += 1
    result = [OfficeRoutes(office, counts) for office, counts in by_office.items()]
    result.sort(key=lambda o: (-o.counts[RouteDisplayState.LATE], o.office))
    return result


def route_lines(routes: list[Any], polling: dict[str, str], counting: dict[str, str], now: datetime,
                threshold: timedelta, scope_path: str = "/") -> list[RouteLine]:
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
                               route.arrived_at, max(0.0, over), office_below(row.org_path, scope_path)))
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

        # HQ roles first see their offices below, rolled up; a click narrows the list to one.
        self.hq = str(ctx.user.role) in ("national_hq", "provincial_hq")
        self.office_names: dict[str, tuple[str, str]] = {}
        self.office_filter: str | None = None
        self.by_office = record_table("routes_by_office", 6, widths=(200,), alternating=False)
        self.by_office.cellClicked.connect(self._pick_office)
        self.by_office.setVisible(self.hq)
        layout.addWidget(self.by_office, 1)

        self.table = record_table("routes_table", 7, widths=(80, 170, 230, 80, 100, 80, 80))
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

        def load() -> tuple[tuple[list[Any], dict[str, str], dict[str, str]], dict[str, tuple[str, str]]]:
            routes = list(replica.rows(K.ROUTE))
            polling = {r.id: str(r.data.get("name", r.id)) for r in replica.rows(K.POLLING_STATION)}
            counting = {r.id: str(r.data.get("name", r.id)) for r in replica.rows(K.COUNTING_STATION)}
            names = {r.id: (str(r.data.get("name_ko", r.id)), str(r.data.get("name_en", r.id)))
                     for r in replica.rows(K.ORG)}
            return (routes, polling, counting), names

        self.ctx.ops.query(load, self._loaded, key="routes_panel_load")

    def _loaded(self, loaded: tuple[tuple[list[Any], dict[str, str], dict[str, str]],
                                    dict[str, tuple[str, str]]]) -> None:
        self._data, self.office_names = loaded
        self._recompute()

    def _recompute(self) -> None:
        # A national view has ~14,500 routes: evaluating them is worker work, not GUI work.
        routes, polling, counting = self._data
        threshold = timedelta(minutes=self.threshold.value())
        now, scope = self.ctx.clock.now(), self.ctx.user.org_path
        self.ctx.ops.query(lambda: route_lines(routes, polling, counting, now, threshold, scope),
                           self._evaluated, key="routes_panel_eval")

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
        if self.hq:
            self._render_offices()
        wanted = self.filter.currentData()
        shown = [ln for ln in self.lines if (wanted is None or ln.state == wanted)
                 and (self.office_filter is None or ln.office == self.office_filter)][:MAX_SHOWN]
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

    def _render_offices(self) -> None:
        rollup = office_rollup(self.lines)
        theme = self.ctx.theme.current
        korean = is_korean()
        self.by_office.setRowCount(len(rollup))
        for i, office in enumerate(rollup):
            ko, en = self.office_names.get(office.office, (office.office, office.office))
            c = office.counts
            values = (ko if korean else en, str(office.total), str(c[RouteDisplayState.WAITING]),
                      str(c[RouteDisplayState.MOVING]), str(c[RouteDisplayState.ARRIVED]),
                      str(c[RouteDisplayState.LATE]))
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(USER_ROLE, office.office)
                if c[RouteDisplayState.LATE]:
                    item.setBackground(QColor(theme.overdue_bg))
                if office.office == self.office_filter:
                    item.setForeground(QColor(theme.accent))
                self.by_office.setItem(i, col, item)

    def _pick_office(self, row: int, _col: int) -> None:
        item = self.by_office.item(row, 0)
        office = str(item.data(USER_ROLE)) if item is not None else None
        # Clicking the chosen office again shows every office's routes.
        self.office_filter = None if office == self.office_filter else office
        self._render()

    def _select(self, row: int, _col: int) -> None:
        item = self.table.item(row, 0)
        if item is not None and item.data(USER_ROLE):
            self.ctx.selection.select(K.ROUTE.value, str(item.data(USER_ROLE)))

    def _retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([
            self.tr("State"), self.tr("Polling station"), self.tr("Counting station"), self.tr("Station"),
            self.tr("Planned (min)"), self.tr("Departed"), self.tr("Arrived")])
        self.threshold_caption.setText(self.tr("Late after (min):"))
        self.by_office.setHorizontalHeaderLabels([
            self.tr("Office"), self.tr("Routes"), label(RouteDisplayState.WAITING),
            label(RouteDisplayState.MOVING), label(RouteDisplayState.ARRIVED), label(RouteDisplayState.LATE)])
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
