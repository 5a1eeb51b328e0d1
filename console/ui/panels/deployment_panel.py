"""Officers at polling, early-voting and counting stations against the plan; shortfalls first
and highlighted. Only the sites that operate now are shown and counted: a site closed that day
(an election-day polling station on an early-voting day, say) is never short.

A thin widget over the read model `console.views.deployment`: the sites are read once and then
only the changed ones (on the database worker, `SiteSource`); which of them operate is evaluated at
the console's clock, and the summary and the per-office roll-up are sums over the index's columns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np

from console.domain.election import ELECTION_2025, SiteKind
from console.domain.records import RecordKind
from console.domain.roles import is_hq
from console.ui.office_rollup import OfficeRollup
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QCheckBox,
    QEvent,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from console.ui.record_feed import RecordFeed, read_changed
from console.ui.record_model import RecordColumn, RecordTableModel
from console.ui.widgets import record_view
from console.views.deployment import (
    DeploymentData,
    DeploymentSummary,
    OfficeDeployment,
    SiteLine,
    SiteSource,
    counting_first,
    office_rollup,
    operating_mask_of,
    short_mask,
    site_order,
    summary_of,
)
from console.views.record_index import RecordSnapshot

K = RecordKind
CONTEXT = "DeploymentPanel"


class DeploymentPanel(QWidget, OfficeRollup):
    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel()
        self.summary.setObjectName("deployment_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        bar = QHBoxLayout()
        self.only_short = QCheckBox()
        self.only_short.setObjectName("only_shortfalls")
        self.only_short.toggled.connect(lambda _c: self._apply_filter())
        bar.addWidget(self.only_short)
        bar.addStretch(1)
        layout.addLayout(bar)
        # HQ roles see their offices below rolled up first; a click narrows the list to one.
        self.hq = is_hq(ctx.user.role)
        self.calendar = ELECTION_2025
        self._now: datetime = ctx.now()
        self._kinds = self.calendar.operating_kinds(self._now)
        self._operating: tuple[int, frozenset[SiteKind], np.ndarray, np.ndarray] | None = None
        self.office_names: dict[str, tuple[str, str]] = {}
        self.office_filter: str | None = None
        accent = self._office_colour

        def short_sites(o: OfficeDeployment) -> str | None:
            return "overdue_bg" if o.summary.short_sites else None

        # Per office: its sites that operate now, the polling stations among them open, the
        # officers at all of them, the sites short, and the counting stations' officers apart.
        self.office_model: RecordTableModel[OfficeDeployment] = RecordTableModel(CONTEXT, [
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Office"), self._office_name, colour=accent),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Sites"), lambda o: f"{o.summary.sites:,}",
                         colour=accent),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Open"), lambda o: f"{o.summary.polls_open:,}",
                         colour=accent),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Officers"),
                         lambda o: f"{o.summary.assigned:,} / {o.summary.planned:,}", colour=accent),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Sites short"),
                         lambda o: f"{o.summary.short_sites:,}", colour=accent),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Counting officers"),
                         lambda o: f"{o.summary.counting_assigned} / {o.summary.counting_planned}",
                         colour=accent),
        ], row_colour=short_sites, parent=self)
        self.by_office = record_view("deployment_by_office", self.office_model, widths=(200,),
                                     alternating=False)
        self.by_office.cellClicked.connect(self._pick_office)
        self.by_office.setVisible(self.hq)
        layout.addWidget(self.by_office, 1)

        def short_colour(s: SiteLine) -> str | None:
            return "code0" if self._is_short(s) else None

        self.model: RecordTableModel[SiteLine] = RecordTableModel(CONTEXT, [
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Site"), lambda s: s.name, "name"),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Kind"),
                         self._kind_text, "counting"),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Station"),
                         lambda s: self._station_name(s.station), "station"),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Officers"),
                         lambda s: f"{s.assigned} / {s.planned}", "assigned", colour=short_colour),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Short"),
                         lambda s: str(s.shortfall) if self._is_short(s) else "", "shortfall",
                         colour=short_colour),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Polls"), self._polls, "open"),
        ], row_colour=lambda s: "overdue_bg" if self._is_short(s) else None, parent=self)
        self._counting_first = counting_first(self._now)
        self.model.set_order(self._order)
        self._apply_filter()  # the sites closed now are never shown
        self.table = record_view("deployment_table", self.model, widths=(230, 80, 160, 70, 70), sortable=True)
        self.table.cellDoubleClicked.connect(self._select)
        layout.addWidget(self.table, 1)
        self._on_theme()
        self.feed = RecordFeed(ctx, SiteSource(ctx.user.org_path, read_changed), self._loaded,
                               error_title=lambda: self.tr("The deployment could not be read"), parent=self)
        self._retranslate()
        ctx.changes.tick.connect(self._on_tick)
        ctx.theme.changed.connect(lambda _n: self._on_theme())
        ctx.selection.selected.connect(self._on_selected)
        self.refresh()

    def _kind_text(self, s: SiteLine) -> str:
        if s.site == SiteKind.COUNTING:
            return self.tr("Counting")
        return self.tr("Early voting") if s.early else self.tr("Polling")

    def refresh(self) -> None:
        """Read the sites and offices again (on the worker); afterwards only what changed."""
        self.feed.load()

    def _loaded(self, data: DeploymentData) -> None:
        if data.office_names is not None:
            self.office_names = data.office_names
            self.office_model.repaint_all()
            self.model.repaint_all()  # the station column names stations
        if data.sites is not None:
            self._now = self.ctx.now()
            self._kinds = self.calendar.operating_kinds(self._now)
            self.model.set_snapshot(data.sites)
            self._render_summary()

    def _polls(self, site: SiteLine) -> str:
        return "" if site.open is None else (self.tr("open") if site.open else self.tr("closed"))

    # -- which sites operate now -------------------------------------------------------------------
    def _masks(self, snapshot: RecordSnapshot[SiteLine]) -> tuple[np.ndarray, np.ndarray]:
        """(operating, short) for every site now, cached per snapshot and the kinds operating (a
        painted cell asks for its row's)."""
        cached = self._operating
        if cached is not None and cached[0] == snapshot.generation and cached[1] == self._kinds \
                and len(cached[2]) == len(snapshot):
            return cached[2], cached[3]
        operating = operating_mask_of(snapshot, self._kinds)
        short = short_mask(snapshot, operating)
        self._operating = (snapshot.generation, self._kinds, operating, short)
        return operating, short

    def _operating_mask(self, snapshot: RecordSnapshot[SiteLine]) -> np.ndarray:
        return self._masks(snapshot)[0]

    def _short_mask(self, snapshot: RecordSnapshot[SiteLine]) -> np.ndarray:
        return self._masks(snapshot)[1]

    def _is_short(self, site: SiteLine) -> bool:
        snapshot = self.model.snapshot
        k = snapshot.position.get(site.key)
        return k is not None and bool(self._short_mask(snapshot)[k])

    def _on_tick(self) -> None:
        # At 00:00 a day's sites start to operate and at 06:00 the day before's stop: the shown
        # sites and the figures follow. At 17:00 the counting stations move to the top (and back
        # at 06:00).
        self._now = self.ctx.now()
        kinds = self.calendar.operating_kinds(self._now)
        if kinds != self._kinds:
            self._kinds = kinds
            self._apply_filter()
            self._render_summary()
        if counting_first(self._now) != self._counting_first:
            self._counting_first = not self._counting_first
            self.model.set_order(self._order)

    def _order(self, snapshot: RecordSnapshot[Any], positions: np.ndarray) -> np.ndarray:
        return site_order(snapshot, positions, self._short_mask(snapshot), self._counting_first)

    def _apply_filter(self) -> None:
        only_short, office = self.only_short.isChecked(), self.office_filter

        def mask(snapshot: RecordSnapshot[Any]) -> np.ndarray | None:
            # Sites closed now are not shown (nor counted).
            result = self._short_mask(snapshot) if only_short else self._operating_mask(snapshot)
            if office is not None:
                result = result & (snapshot.rank("office") == snapshot.rank_of("office", office))
            return result

        self.model.set_filter(mask)

    def summary_text(self, s: DeploymentSummary) -> str:
        """The summary's words: sites counted as sites, officers as officers."""
        short = (self.tr("1 site short") if s.short_sites == 1
                 else self.tr("{n} sites short").format(n=f"{s.short_sites:,}"))
        first = self.tr("Sites: {staffed} of {sites} fully staffed · officers {assigned} of {planned} · {short}")  # noqa: E501
        text = first.format(staffed=f"{s.staffed_sites:,}", sites=f"{s.sites:,}", assigned=f"{s.assigned:,}",
                            planned=f"{s.planned:,}", short=short)
        parts = []
        if s.polling_sites:
            parts.append(self.tr("polling stations {sites} ({open} open)").format(
                sites=f"{s.polling_sites:,}", open=f"{s.polls_open:,}"))
        if s.counting_sites:
            parts.append(self.tr("counting stations {sites} (officers {assigned} of {planned})").format(
                sites=f"{s.counting_sites:,}", assigned=f"{s.counting_assigned:,}",
                planned=f"{s.counting_planned:,}"))
        if s.closed_sites:
            parts.append(self.tr("{n} closed today, not counted").format(n=f"{s.closed_sites:,}"))
        if not s.sites and not parts:
            return self.tr("No sites operate today.")
        return text + ("\n" + " · ".join(parts) if parts else "")

    def summary_figures(self) -> DeploymentSummary:
        """The figures the summary line shows (every site in scope, whatever the table's filter)."""
        snapshot = self.model.snapshot
        return summary_of(snapshot, self._operating_mask(snapshot))

    def _render_summary(self) -> None:
        self.summary.setText(self.summary_text(self.summary_figures()))
        if self.hq:
            snapshot = self.model.snapshot
            self._show_offices(office_rollup(snapshot, self._operating_mask(snapshot)))

    def _select(self, row: int, _col: int) -> None:
        site = self.model.item_at(row)
        if site is not None:
            self.ctx.selection.select(site.kind.value, site.id)

    def _on_selected(self, kind: str, id: str) -> None:
        if kind in (K.POLLING_STATION.value, K.COUNTING_STATION.value):
            key = f"{kind}:{id}"
            if key != self.table.selected_id():
                self.table.select_id(key)

    def _on_theme(self) -> None:
        self.model.set_theme(self.ctx.theme.current)
        self.office_model.set_theme(self.ctx.theme.current)

    def _retranslate(self) -> None:
        self.only_short.setText(self.tr("Only sites short of officers"))
        self.model.retranslate()
        self.office_model.retranslate()
        self._render_summary()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def build(ctx: PanelContext) -> QWidget:
    return DeploymentPanel(ctx)


PANEL = PanelSpec(
    object_name="deployment",
    title=QT_TRANSLATE_NOOP("Panels", "Deployment"),
    area="right",
    factory=build,
    order=75,
)
