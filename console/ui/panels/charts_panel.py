"""Live charts of the operation: incidents per hour by category, personnel on duty against the
duty level, ballot boxes departed and arrived. HQ roles see their offices below rolled up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np

from console.domain.clock import parse_time
from console.domain.duty import DutyOrder, level_in_force, required_on_duty
from console.domain.incidents import IncidentCategory
from console.domain.records import RecordKind, from_stored
from console.ui.charts.incidents_by_hour import IncidentsByHourChart
from console.ui.charts.personnel import PersonnelChart
from console.ui.charts.routes_progress import RoutesProgressChart
from console.ui.i18n import is_korean
from console.ui.labels import label
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import QT_TRANSLATE_NOOP, QEvent, QTabWidget, QVBoxLayout, QWidget

K = RecordKind
KST = timezone(timedelta(hours=9))  # the operation's day runs on Korean time
CATEGORIES: list[IncidentCategory] = list(IncidentCategory)
MAX_OFFICES = 40


@dataclass
class ChartData:
    """Everything the three charts draw, computed on the database worker."""

    day_start: datetime
    now_hour: float
    incidents: np.ndarray  # (categories, 24)
    office_names: list[tuple[str, str]]  # (name_ko, name_en)
    on_duty: np.ndarray
    required: np.ndarray
    total: np.ndarray
    departed: np.ndarray  # hours since day_start
    arrived: np.ndarray
    routes: int


def _hours_since(value: str | None, start: datetime) -> float | None:
    if not value:
        return None
    return (parse_time(value) - start).total_seconds() / 3600


def offices_for(user_org: str, orgs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The offices a user's roll-up shows: the offices directly below an HQ, or the station itself."""
    children = [o for o in orgs if o.get("parent_code") == user_org]
    if children:
        return sorted(children, key=lambda o: str(o.get("code")))[:MAX_OFFICES]
    return [o for o in orgs if o.get("code") == user_org]


def compute(replica: Any, user_org: str, now: datetime) -> ChartData:
    local_now = now.astimezone(KST)
    day_start = datetime.combine(local_now.date(), datetime.min.time(), KST)
    # Ballot boxes move after midnight too: before 06:00 the operation's day is still yesterday's.
    if local_now.hour < 6:
        day_start -= timedelta(days=1)
    counts = np.zeros((len(CATEGORIES), 24))
    index = {c.value: i for i, c in enumerate(CATEGORIES)}
    for row in replica.rows(K.INCIDENT):
        hours = _hours_since(row.data.get("created_at"), day_start)
        if hours is not None and 0 <= hours < 24:
            counts[index.get(str(row.data.get("category")), len(CATEGORIES) - 1), int(hours)] += 1

    orgs = [dict(r.data) for r in replica.rows(K.ORG)]
    orders: list[DutyOrder] = [from_stored(K.DUTY_ORDER, dict(r.data)) for r in replica.rows(K.DUTY_ORDER)]
    offices = offices_for(user_org, orgs)
    on_duty, required, total = [], [], []
    for office in offices:
        # A roll-up: an office below an HQ counts with every office under it (a province with
        # its stations), each against the level in force for it.
        subtree = [o for o in orgs if str(o.get("path", "")).startswith(str(office.get("path")))]
        personnel = duty = need = 0
        for o in subtree:
            order = level_in_force(orders, str(o["code"]), now)
            count = int(o.get("personnel_total", 0))
            personnel += count
            duty += int(o.get("personnel_on_duty", 0))
            need += required_on_duty(order.level, count) if order else 0
        total.append(personnel)
        on_duty.append(duty)
        required.append(need)

    departed, arrived = [], []
    routes = 0
    for row in replica.rows(K.ROUTE):
        routes += 1
        d = _hours_since(row.data.get("departed_at"), day_start)
        a = _hours_since(row.data.get("arrived_at"), day_start)
        if d is not None:
            departed.append(d)
        if a is not None:
            arrived.append(a)
    return ChartData(day_start, (now - day_start).total_seconds() / 3600, counts,
                     [(str(o.get("name_ko", o["code"])), str(o.get("name_en", o["code"]))) for o in offices],
                     np.asarray(on_duty, float), np.asarray(required, float), np.asarray(total, float),
                     np.asarray(departed, float), np.asarray(arrived, float), routes)


class ChartsPanel(QWidget):
    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: ChartData | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("charts_tabs")
        self.incidents = IncidentsByHourChart()
        self.personnel = PersonnelChart()
        self.routes = RoutesProgressChart()
        for chart in (self.incidents, self.personnel, self.routes):
            self.tabs.addTab(chart, "")
        layout.addWidget(self.tabs)
        self._dirty = True
        self._ticks = 0
        ctx.changes.rows_changed.connect(self._on_rows_changed)
        ctx.changes.tick.connect(self._on_tick)
        ctx.theme.changed.connect(self._apply_theme)
        self._apply_theme(ctx.theme.current.name)
        self._retranslate()
        self.refresh()

    def refresh(self) -> None:
        replica, org, now = self.ctx.replica, self.ctx.user.org_code, self.ctx.clock.now()
        self._dirty = False
        self.ctx.ops.query(lambda: compute(replica, org, now), self._loaded, key="charts_panel")

    def _on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        if any(RecordKind(k) in (K.INCIDENT, K.ORG, K.DUTY_ORDER, K.ROUTE) for k in changes):
            self._dirty = True

    def _on_tick(self) -> None:
        # Charts need not follow every change: redraw at most every 2 s, and every 10 s for the clock.
        self._ticks += 1
        if (self._dirty and self._ticks % 2 == 0) or self._ticks % 10 == 0:
            self.refresh()

    def _loaded(self, data: ChartData) -> None:
        self.data = data
        self._draw()

    def _draw(self) -> None:
        data = self.data
        if data is None:
            return
        self.incidents.set_data(data.incidents, [label(c) for c in CATEGORIES],
                                now_hour=data.now_hour if data.now_hour < 24 else None)
        korean = is_korean()
        names = [ko if korean else en for ko, en in data.office_names]
        names = [n.replace(" Police Station", "").replace(" Police Agency", "") for n in names]
        self.personnel.set_data(names, data.on_duty, data.required, data.total)
        self.routes.set_data(data.departed, data.arrived, data.routes, now_hour=data.now_hour)

    def _apply_theme(self, name: str) -> None:
        for chart in (self.incidents, self.personnel, self.routes):
            chart.apply_theme(name)

    def _retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("Incidents per hour"))
        self.tabs.setTabText(1, self.tr("Personnel on duty"))
        self.tabs.setTabText(2, self.tr("Ballot boxes"))
        self.incidents.set_title(self.tr("Incidents per hour by category (today, KST)"))
        self.personnel.set_title(self.tr("On duty (bar) vs required by the duty level (tick)"))
        self.routes.set_title(self.tr("Ballot boxes departed and arrived"))
        self.routes.set_names(self.tr("Departed"), self.tr("Arrived"), self.tr("Routes"))
        self._draw()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def build(ctx: PanelContext) -> QWidget:
    return ChartsPanel(ctx)


PANEL = PanelSpec(
    object_name="charts",
    title=QT_TRANSLATE_NOOP("Panels", "Charts"),
    area="bottom",
    factory=build,
    order=80,
)
