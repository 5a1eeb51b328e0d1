"""Officers at polling and counting stations against the plan; shortfalls first and highlighted.

A national HQ sees ~14,300 election-day polling stations and 254 counting stations. They are
read once, then only the changed sites are read again on the database worker; the summary and
the per-office roll-up are sums over the index's columns (numpy, well under a millisecond), so
a change costs the GUI no re-read and no walk over every site in Python."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta, timezone
from typing import Any

import numpy as np

from console.domain.records import RecordKind
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
from console.views.record_index import RecordIndex, RecordSchema, RecordSnapshot, lexorder
from console.views.replica_reads import rows_by_ids

K = RecordKind
CONTEXT = "DeploymentPanel"
KST = timezone(timedelta(hours=9))
COUNTING_FROM_HOUR = 17  # counting-station guards deploy from late afternoon
SITE_KINDS = (K.POLLING_STATION, K.COUNTING_STATION)


@dataclass(frozen=True)
class SiteLine:
    kind: RecordKind  # polling_station | counting_station
    id: str
    name: str
    station: str
    planned: int
    assigned: int
    open: bool | None  # polling stations only
    office: str = ""  # the office directly below an HQ viewer's own that the station belongs to
    early: bool = False  # an early-voting station

    @property
    def shortfall(self) -> int:
        return max(0, self.planned - self.assigned)

    @property
    def key(self) -> str:
        """The site's id in the index (polling and counting stations may share ids)."""
        return f"{self.kind.value}:{self.id}"


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


@dataclass(frozen=True)
class OfficeDeployment:
    """One office's row of the roll-up."""

    office: str
    summary: DeploymentSummary


# -- plain-list reference (tests compare the panel's numpy sums with it) --------------------------
def site_lines(polling: list[Any], counting: list[Any], counting_first: bool = False) -> list[SiteLine]:
    """Polling stations (early-voting ones on their days, see `site_line`) and counting stations,
    biggest shortfall first, the kind that matters now first (counting stations fill up only in
    the evening)."""
    lines = [line for line in (site_line(K.POLLING_STATION, r, {}) for r in polling) if line is not None]
    lines += [line for line in (site_line(K.COUNTING_STATION, r, {}) for r in counting) if line is not None]
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


# -- the index: one item per site -----------------------------------------------------------------
def site_line(kind: RecordKind, row: Any, office_of: Mapping[str, str]) -> SiteLine | None:
    """A polling or counting station row as a site; None if not shown. An early-voting station
    is shown on its days, that is while it is staffed or open (on election day it stands empty)."""
    d = row.data
    try:
        planned, assigned = int(d.get("officers_planned", 0)), int(d.get("officers_assigned", 0))
    except (TypeError, ValueError):
        return None
    early = kind == K.POLLING_STATION and d.get("kind") == "early_voting"
    if early and not (assigned > 0 or d.get("open")):
        return None
    station = str(d.get("station_code", ""))
    return SiteLine(kind, row.id, str(d.get("name", row.id)), station, planned, assigned,
                    bool(d.get("open", False)) if kind == K.POLLING_STATION else None,
                    office_of.get(station, station), early)


SITE_SCHEMA: RecordSchema[SiteLine] = RecordSchema(
    numbers={"counting": lambda s: 1.0 if s.kind == K.COUNTING_STATION else 0.0,
             "planned": lambda s: s.planned, "assigned": lambda s: s.assigned,
             "shortfall": lambda s: s.shortfall, "open": lambda s: 1.0 if s.open else 0.0},
    texts={"name": lambda s: s.name, "station": lambda s: s.station, "office": lambda s: s.office},
)


@dataclass(frozen=True)
class DeploymentData:
    """What one read brings the panel: new sites and/or new office names (None: unchanged)."""

    sites: RecordSnapshot[SiteLine] | None
    office_names: dict[str, tuple[str, str]] | None


class SiteSource:
    """The sites index and the office of each station; used on the database worker only."""

    kinds = frozenset({*SITE_KINDS, K.ORG})

    def __init__(self, scope: str) -> None:
        self.scope = scope
        self.index: RecordIndex[SiteLine] = RecordIndex(SITE_SCHEMA)
        self.office_of: dict[str, str] = {}
        self.office_names: dict[str, tuple[str, str]] = {}

    def _orgs(self, rows: Mapping[str, Any]) -> tuple[set[str], bool]:
        """Fold org rows in: (stations whose office changed, whether a name changed)."""
        moved, renamed = set(), False
        for id, row in rows.items():
            if row is None:
                continue
            office = office_below(row.org_path, self.scope)
            if self.office_of.get(id, id) != office:
                moved.add(id)
            self.office_of[id] = office
            names = (str(row.data.get("name_ko", id)), str(row.data.get("name_en", id)))
            renamed = renamed or self.office_names.get(id) != names
            self.office_names[id] = names
        return moved, renamed

    def load(self, replica: Any) -> DeploymentData:
        self.office_of, self.office_names = {}, {}
        self._orgs({r.id: r for r in replica.rows(K.ORG)})
        items: dict[str, SiteLine] = {}
        for kind in SITE_KINDS:
            for row in replica.rows(kind):
                line = site_line(kind, row, self.office_of)
                if line is not None:
                    items[line.key] = line
        snapshot = self.index.replace(items) or self.index.snapshot()
        return DeploymentData(snapshot, dict(self.office_names))

    def update(self, replica: Any, changed: Mapping[RecordKind, set[str]]) -> DeploymentData | None:
        moved, renamed = (self._orgs(rows_by_ids(replica, K.ORG, changed[K.ORG])) if changed.get(K.ORG)
                          else (set(), False))
        items: dict[str, SiteLine | None] = {}
        for kind in SITE_KINDS:
            ids = changed.get(kind)
            if not ids:
                continue
            rows, complete = read_changed(replica, kind, ids, len(self.index))
            for id, row in rows.items():
                line = site_line(kind, row, self.office_of) if row is not None else None
                items[f"{kind.value}:{id}"] = line
            if complete:  # every site of the kind there is: the others are gone
                for key, site in self.index.items():
                    if site.kind == kind and key not in items:
                        items[key] = None
        if moved:  # stations now under another office: their sites follow
            for key, site in self.index.items():
                if key not in items and site.station in moved:
                    items[key] = replace(site, office=self.office_of.get(site.station, site.station))
        snapshot = self.index.update(items) if items else None
        if snapshot is None and not renamed:
            return None
        return DeploymentData(snapshot, dict(self.office_names) if renamed else None)


# -- sums over the columns ------------------------------------------------------------------------
def summary_of(snapshot: RecordSnapshot[SiteLine], mask: np.ndarray | None = None) -> DeploymentSummary:
    """summarise(), as sums over the index's columns."""
    if not len(snapshot):
        return DeploymentSummary(0, 0, 0, 0, 0, 0, 0, 0, 0)
    counting = snapshot.number("counting") == 1
    polling = ~counting
    if mask is not None:
        counting, polling = counting & mask, polling & mask
    planned, assigned = snapshot.number("planned"), snapshot.number("assigned")
    short, open_ = snapshot.number("shortfall") > 0, snapshot.number("open") == 1
    return DeploymentSummary(
        int(polling.sum()), int(planned[polling].sum()), int(assigned[polling].sum()),
        int((short & polling).sum()), int((open_ & polling).sum()),
        int(counting.sum()), int(planned[counting].sum()), int(assigned[counting].sum()),
        int((short & counting).sum()))


def office_rollup(snapshot: RecordSnapshot[SiteLine]) -> list[OfficeDeployment]:
    """rollup_by_office(), as per-office sums over the index's columns (np.bincount)."""
    if not len(snapshot):
        return []
    offices = snapshot.values["office"]
    rank = snapshot.rank("office")
    counting = snapshot.number("counting") == 1
    polling = ~counting
    short = snapshot.number("shortfall") > 0
    planned, assigned = snapshot.number("planned"), snapshot.number("assigned")

    def per_office(weights: np.ndarray) -> np.ndarray:
        return np.bincount(rank, weights=weights.astype(np.float64), minlength=len(offices)).astype(np.int64)

    sums = [per_office(w) for w in (polling, planned * polling, assigned * polling, short & polling,
                                    (snapshot.number("open") == 1) & polling, counting, planned * counting,
                                    assigned * counting, short & counting)]
    present = np.bincount(rank, minlength=len(offices))
    result = [OfficeDeployment(offices[int(r)], DeploymentSummary(*(int(s[r]) for s in sums)))
              for r in np.flatnonzero(present)]
    result.sort(key=lambda o: (-(o.summary.polling_short_sites + o.summary.counting_short_sites), o.office))
    return result


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
        self.hq = str(ctx.user.role) in ("national_hq", "provincial_hq")
        self.office_names: dict[str, tuple[str, str]] = {}
        self.office_filter: str | None = None
        accent = self._office_colour

        def short_sites(o: OfficeDeployment) -> str | None:
            return "overdue_bg" if o.summary.polling_short_sites or o.summary.counting_short_sites else None

        self.office_model: RecordTableModel[OfficeDeployment] = RecordTableModel(CONTEXT, [
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Office"), self._office_name, colour=accent),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Polling stations"),
                         lambda o: str(o.summary.polling_sites), colour=accent),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Open"), lambda o: str(o.summary.polling_open),
                         colour=accent),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Officers"),
                         lambda o: f"{o.summary.polling_assigned} / {o.summary.polling_planned}",
                         colour=accent),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Sites short"),
                         lambda o: str(o.summary.polling_short_sites), colour=accent),
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
            return "code0" if s.shortfall else None

        self.model: RecordTableModel[SiteLine] = RecordTableModel(CONTEXT, [
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Site"), lambda s: s.name, "name"),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Kind"),
                         self._kind_text, "counting"),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Station"), lambda s: s.station, "station"),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Officers"),
                         lambda s: f"{s.assigned} / {s.planned}", "assigned", colour=short_colour),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Short"),
                         lambda s: str(s.shortfall) if s.shortfall else "", "shortfall", colour=short_colour),
            RecordColumn(QT_TRANSLATE_NOOP("DeploymentPanel", "Polls"), self._polls, "open"),
        ], row_colour=lambda s: "overdue_bg" if s.shortfall else None, parent=self)
        self._counting_first = self._counting_hours()
        self.model.set_order(self._order)
        self.table = record_view("deployment_table", self.model, widths=(230, 80, 70, 70, 70), sortable=True)
        self.table.cellDoubleClicked.connect(self._select)
        layout.addWidget(self.table, 1)
        self._on_theme()
        self.feed = RecordFeed(ctx, SiteSource(ctx.user.org_path), self._loaded,
                               error_title=lambda: self.tr("The deployment could not be read"), parent=self)
        self._retranslate()
        ctx.changes.tick.connect(self._on_tick)
        ctx.theme.changed.connect(lambda _n: self._on_theme())
        ctx.selection.selected.connect(self._on_selected)
        self.refresh()

    def _kind_text(self, s: SiteLine) -> str:
        if s.kind == K.COUNTING_STATION:
            return self.tr("Counting")
        return self.tr("Early voting") if s.early else self.tr("Polling")

    def refresh(self) -> None:
        """Read the sites and offices again (on the worker); afterwards only what changed."""
        self.feed.load()

    def _loaded(self, data: DeploymentData) -> None:
        if data.office_names is not None:
            self.office_names = data.office_names
            self.office_model.repaint_all()
        if data.sites is not None:
            self.model.set_snapshot(data.sites)
            self._render_summary()

    def _polls(self, site: SiteLine) -> str:
        return "" if site.open is None else (self.tr("open") if site.open else self.tr("closed"))

    def _counting_hours(self) -> bool:
        hour = self.ctx.clock.now().astimezone(KST).hour
        return hour >= COUNTING_FROM_HOUR or hour < 6

    def _on_tick(self) -> None:
        # At 17:00 the counting stations move to the top (and back at 06:00).
        if self._counting_hours() != self._counting_first:
            self._counting_first = not self._counting_first
            self.model.set_order(self._order)

    def _order(self, snapshot: RecordSnapshot[Any], positions: np.ndarray) -> np.ndarray:
        later = (snapshot.number("counting") == 1) != self._counting_first
        return lexorder(positions, later, -snapshot.number("shortfall"), snapshot.rank("name"))

    def _apply_filter(self) -> None:
        only_short, office = self.only_short.isChecked(), self.office_filter

        def mask(snapshot: RecordSnapshot[Any]) -> np.ndarray | None:
            result = snapshot.number("shortfall") > 0 if only_short else None
            if office is not None:
                mine = snapshot.rank("office") == snapshot.rank_of("office", office)
                result = mine if result is None else result & mine
            return result

        self.model.set_filter(mask if only_short or office is not None else None)

    def _render_summary(self) -> None:
        s = summary_of(self.model.snapshot)
        polling = self.tr(
            "Polling stations: {sites} ({open} open), officers {assigned} of {planned}, {short} short.")
        counting = self.tr("Counting stations: {sites}, officers {assigned} of {planned}, {short} short.")
        self.summary.setText(
            polling.format(sites=s.polling_sites, open=s.polling_open, assigned=s.polling_assigned,
                           planned=s.polling_planned, short=s.polling_short_sites) + " "
            + counting.format(sites=s.counting_sites, assigned=s.counting_assigned,
                              planned=s.counting_planned, short=s.counting_short_sites))
        if self.hq:
            self._show_offices(office_rollup(self.model.snapshot))

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
