"""Officers at polling and counting stations against the plan; shortfalls first and highlighted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, timezone
from typing import Any

from console.domain.records import RecordKind
from console.ui.i18n import is_korean
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QCheckBox,
    QColor,
    QEvent,
    QHBoxLayout,
    QLabel,
    Qt,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from console.ui.widgets import record_table

K = RecordKind
KST = timezone(timedelta(hours=9))
COUNTING_FROM_HOUR = 17  # counting-station guards deploy from late afternoon
USER_ROLE = Qt.ItemDataRole.UserRole
MAX_SHOWN = 1500


@dataclass(frozen=True)
class SiteLine:
    kind: RecordKind  # polling_station | counting_station
    id: str
    name: str
    station: str
    planned: int
    assigned: int
    open: bool | None  # polling stations only

    @property
    def shortfall(self) -> int:
        return max(0, self.planned - self.assigned)


@dataclass(frozen=True)
class DeploymentSummary:
    polling_sites: int
    polling_planned: int
    polling_assigned: int
    polling_short_sites: int
    polling_open: int
    counting_sites: int
    counting_planned: int
    counting_assigned: int
    counting_short_sites: int


def site_lines(polling: list[Any], counting: list[Any], counting_first: bool = False) -> list[SiteLine]:
    """Election-day polling stations and counting stations, biggest shortfall first, the kind
    that matters now first (counting stations fill up only in the evening).
    (Early-voting stations closed a week before election day.)"""
    lines = [
        SiteLine(K.POLLING_STATION, r.id, str(r.data.get("name", r.id)), str(r.data.get("station_code", "")),
                 int(r.data.get("officers_planned", 0)), int(r.data.get("officers_assigned", 0)),
                 bool(r.data.get("open", False)))
        for r in polling if r.data.get("kind") == "election_day"
    ]
    lines += [
        SiteLine(K.COUNTING_STATION, r.id, str(r.data.get("name", r.id)), str(r.data.get("station_code", "")),
                 int(r.data.get("officers_planned", 0)), int(r.data.get("officers_assigned", 0)), None)
        for r in counting
    ]
    lines.sort(key=lambda s: ((s.kind == K.COUNTING_STATION) != counting_first, -s.shortfall, s.name))
    return lines


def office_below(org_path: str, scope_path: str) -> str:
    """'/NPA/SEOUL/S11110/' seen from '/NPA/' -> 'SEOUL'; from '/NPA/SEOUL/' -> 'S11110'."""
    parts = [p for p in org_path.split("/") if p]
    depth = len([p for p in scope_path.split("/") if p])
    return parts[depth] if len(parts) > depth else (parts[-1] if parts else "")


def rollup_by_office(lines: list[SiteLine], office_of: dict[str, str]) -> list[tuple[str, DeploymentSummary]]:
    """Per office below an HQ (stations mapped through `office_of`), the deployment summary;
    offices with most short sites first."""
    groups: dict[str, list[SiteLine]] = {}
    for ln in lines:
        groups.setdefault(office_of.get(ln.station, ln.station), []).append(ln)
    result = [(office, summarise(group)) for office, group in groups.items()]
    result.sort(key=lambda o: (-(o[1].polling_short_sites + o[1].counting_short_sites), o[0]))
    return result


def summarise(lines: list[SiteLine]) -> DeploymentSummary:
    ps = [s for s in lines if s.kind == K.POLLING_STATION]
    cs = [s for s in lines if s.kind == K.COUNTING_STATION]
    return DeploymentSummary(
        len(ps), sum(s.planned for s in ps), sum(s.assigned for s in ps), sum(1 for s in ps if s.shortfall),
        sum(1 for s in ps if s.open),
        len(cs), sum(s.planned for s in cs), sum(s.assigned for s in cs), sum(1 for s in cs if s.shortfall),
    )


class DeploymentPanel(QWidget):
    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lines: list[SiteLine] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel()
        self.summary.setObjectName("deployment_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        bar = QHBoxLayout()
        self.only_short = QCheckBox()
        self.only_short.setObjectName("only_shortfalls")
        self.only_short.toggled.connect(lambda _c: self._render())
        bar.addWidget(self.only_short)
        bar.addStretch(1)
        layout.addLayout(bar)
        # HQ roles see their offices below rolled up first; a click narrows the list to one.
        self.hq = str(ctx.user.role) in ("national_hq", "provincial_hq")
        self.office_of: dict[str, str] = {}
        self.office_names: dict[str, tuple[str, str]] = {}
        self.office_filter: str | None = None
        self.by_office = record_table("deployment_by_office", 6, widths=(200,), alternating=False)
        self.by_office.cellClicked.connect(self._pick_office)
        self.by_office.setVisible(self.hq)
        layout.addWidget(self.by_office, 1)
        self.table = record_table("deployment_table", 6, widths=(230, 80, 70, 70, 70))
        self.table.cellDoubleClicked.connect(self._select)
        layout.addWidget(self.table, 1)
        self._retranslate()
        ctx.changes.rows_changed.connect(self._on_rows_changed)
        ctx.theme.changed.connect(lambda _n: self._render())
        self.refresh()

    def refresh(self) -> None:
        replica = self.ctx.replica

        scope = self.ctx.user.org_path
        hour = self.ctx.clock.now().astimezone(KST).hour
        counting_hours = hour >= COUNTING_FROM_HOUR or hour < 6

        def load() -> tuple[list[SiteLine], dict[str, str], dict[str, tuple[str, str]]]:
            lines = site_lines(list(replica.rows(K.POLLING_STATION)), list(replica.rows(K.COUNTING_STATION)),
                               counting_first=counting_hours)
            orgs = list(replica.rows(K.ORG))
            office_of = {r.id: office_below(r.org_path, scope) for r in orgs}
            names = {r.id: (str(r.data.get("name_ko", r.id)), str(r.data.get("name_en", r.id))) for r in orgs}
            return lines, office_of, names

        self.ctx.ops.query(load, self._loaded, key="deployment_panel")

    def _loaded(self, loaded: tuple[list[SiteLine], dict[str, str], dict[str, tuple[str, str]]]) -> None:
        self.lines, self.office_of, self.office_names = loaded
        self._render()

    def _on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        if any(RecordKind(k) in (K.POLLING_STATION, K.COUNTING_STATION) for k in changes):
            self.refresh()

    def _render(self) -> None:
        s = summarise(self.lines)
        polling = self.tr(
            "Polling stations: {sites} ({open} open), officers {assigned} of {planned}, {short} short.")
        counting = self.tr("Counting stations: {sites}, officers {assigned} of {planned}, {short} short.")
        self.summary.setText(
            polling.format(sites=s.polling_sites, open=s.polling_open, assigned=s.polling_assigned,
                           planned=s.polling_planned, short=s.polling_short_sites) + " "
            + counting.format(sites=s.counting_sites, assigned=s.counting_assigned,
                              planned=s.counting_planned, short=s.counting_short_sites))
        if self.hq:
            self._render_offices()
        shown = [ln for ln in self.lines if (ln.shortfall or not self.only_short.isChecked())
                 and (self.office_filter is None
                      or self.office_of.get(ln.station, ln.station) == self.office_filter)][:MAX_SHOWN]
        theme = self.ctx.theme.current
        self.table.setUpdatesEnabled(False)
        self.table.setRowCount(len(shown))
        for i, ln in enumerate(shown):
            kind = self.tr("Polling") if ln.kind == K.POLLING_STATION else self.tr("Counting")
            state = "" if ln.open is None else (self.tr("open") if ln.open else self.tr("closed"))
            values = (ln.name, kind, ln.station, f"{ln.assigned} / {ln.planned}",
                      str(ln.shortfall) if ln.shortfall else "", state)
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 0:
                    item.setData(USER_ROLE, (ln.kind.value, ln.id))
                if ln.shortfall:
                    item.setBackground(QColor(theme.overdue_bg))
                    if col in (3, 4):
                        item.setForeground(QColor(theme.code0))
                self.table.setItem(i, col, item)
        self.table.setUpdatesEnabled(True)

    def _render_offices(self) -> None:
        rollup = rollup_by_office(self.lines, self.office_of)
        theme = self.ctx.theme.current
        korean = is_korean()
        self.by_office.setRowCount(len(rollup))
        for i, (office, s) in enumerate(rollup):
            ko, en = self.office_names.get(office, (office, office))
            values = (ko if korean else en, str(s.polling_sites), str(s.polling_open),
                      f"{s.polling_assigned} / {s.polling_planned}", str(s.polling_short_sites),
                      f"{s.counting_assigned} / {s.counting_planned}")
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(USER_ROLE, office)
                if s.polling_short_sites or s.counting_short_sites:
                    item.setBackground(QColor(theme.overdue_bg))
                if office == self.office_filter:
                    item.setForeground(QColor(theme.accent))
                self.by_office.setItem(i, col, item)

    def _pick_office(self, row: int, _col: int) -> None:
        item = self.by_office.item(row, 0)
        office = str(item.data(USER_ROLE)) if item is not None else None
        self.office_filter = None if office == self.office_filter else office
        self._render()

    def _select(self, row: int, _col: int) -> None:
        item = self.table.item(row, 0)
        if item is not None and item.data(USER_ROLE):
            kind, rid = item.data(USER_ROLE)
            self.ctx.selection.select(str(kind), str(rid))

    def _retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([
            self.tr("Site"), self.tr("Kind"), self.tr("Station"), self.tr("Officers"), self.tr("Short"),
            self.tr("Polls")])
        self.only_short.setText(self.tr("Only sites short of officers"))
        self.by_office.setHorizontalHeaderLabels([
            self.tr("Office"), self.tr("Polling stations"), self.tr("Open"), self.tr("Officers"),
            self.tr("Sites short"), self.tr("Counting officers")])
        self._render()

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
