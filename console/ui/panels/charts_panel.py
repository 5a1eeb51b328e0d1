"""Live charts of the operation: incidents per hour by category, personnel on duty against the
duty level, ballot boxes departed and arrived. HQ roles see their offices below rolled up."""

from __future__ import annotations

from typing import Any

from console.domain.records import RecordKind
from console.ui.charts.incidents_by_hour import IncidentsByHourChart
from console.ui.charts.personnel import PersonnelChart
from console.ui.charts.routes_progress import RoutesProgressChart
from console.ui.i18n import is_korean
from console.ui.labels import label
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import QT_TRANSLATE_NOOP, QEvent, QTabWidget, QVBoxLayout, QWidget
from console.views.charts import CATEGORIES, ChartData, chart_data

K = RecordKind


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
        # The charts drawn with the data as it is: a chart is drawn when it is shown, not while
        # behind its tab (all three were redrawn every 2 s while the morning's openings arrived).
        self._drawn: set[int] = set()
        self.tabs.currentChanged.connect(lambda _index: self._draw())
        self._dirty = True
        self._ticks = 0
        ctx.changes.rows_changed.connect(self._on_rows_changed)
        ctx.changes.tick.connect(self._on_tick)
        ctx.theme.changed.connect(self._apply_theme)
        self._apply_theme(ctx.theme.current.name)
        self._retranslate()
        self.refresh()

    def refresh(self) -> None:
        replica, org, now = self.ctx.replica, self.ctx.user.org_code, self.ctx.now()
        self._dirty = False
        self.ctx.ops.query(lambda: chart_data(replica, org, now), self._loaded, key="charts_panel")

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
        self._drawn.clear()
        self._draw()

    def _draw(self) -> None:
        """Draw the chart shown, if the data changed since it was drawn."""
        data, shown = self.data, self.tabs.currentIndex()
        if data is None or shown in self._drawn:
            return
        self._drawn.add(shown)
        chart = self.tabs.widget(shown)
        if chart is self.incidents:
            self.incidents.set_data(data.incidents, [label(c) for c in CATEGORIES],
                                    now_hour=data.now_hour, first_hour=data.day.first_hour)
        elif chart is self.personnel:
            korean = is_korean()
            names = [ko if korean else en for ko, en in data.office_names]
            names = [n.replace(" Police Station", "").replace(" Police Agency", "") for n in names]
            self.personnel.set_data(names, data.on_duty, data.required, data.total)
        elif chart is self.routes:
            self.routes.set_data(data.departed, data.arrived, data.routes, now_hour=data.now_hour)

    def _apply_theme(self, name: str) -> None:
        for chart in (self.incidents, self.personnel, self.routes):
            chart.apply_theme(name)

    def _retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("Incidents per hour"))
        self.tabs.setTabText(1, self.tr("Personnel on duty"))
        self.tabs.setTabText(2, self.tr("Ballot boxes"))
        self.incidents.set_title(self.tr("Incidents per hour by category (operation day from 06:00, KST)"))
        self.personnel.set_title(self.tr("On duty (bar) vs required by the duty level (tick)"))
        self.routes.set_title(self.tr("Ballot boxes departed and arrived"))
        self.routes.set_names(self.tr("Departed"), self.tr("Arrived"), self.tr("Routes"))
        self._drawn.clear()  # the labels are in the other language now
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
