"""Ballot-box routes: every route in scope as waiting, moving, arrived or late; late boxes alert.

A national HQ sees ~14,500 routes. They are read once, then only the changed routes (and the
polling or counting stations whose names changed) are read again on the database worker. A
route's display state depends on the clock and the late threshold, so it is evaluated for all
routes at once with numpy on the GUI thread (about a millisecond) whenever either moves; the
counts, the late alert and the per-office roll-up come from the same arrays."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np

from console.domain.clock import parse_time
from console.domain.election import DEFAULT_LATE_THRESHOLD, BallotRoute, RouteDisplayState, RouteState
from console.domain.errors import DomainError
from console.domain.records import RecordKind, from_stored
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
from console.ui.widgets import record_view
from console.views.record_index import RecordIndex, RecordSchema, RecordSnapshot, lexorder, number_or_nan
from console.views.replica_reads import rows_by_ids

K = RecordKind
CONTEXT = "RoutesPanel"
KST = timezone(timedelta(hours=9))  # election times are read in Korean time
STATE_ORDER = {RouteDisplayState.LATE: 0, RouteDisplayState.MOVING: 1, RouteDisplayState.WAITING: 2,
               RouteDisplayState.ARRIVED: 3}
STATES = sorted(STATE_ORDER, key=STATE_ORDER.__getitem__)  # display state by code
LATE, MOVING, WAITING, ARRIVED = (STATE_ORDER[s] for s in STATES)
RAW = {RouteState.WAITING.value: 0, RouteState.DEPARTED.value: 1, RouteState.ARRIVED.value: 2}
STATE_COLOURS = {RouteDisplayState.LATE: "code0", RouteDisplayState.MOVING: "code1",
                 RouteDisplayState.ARRIVED: "ok", RouteDisplayState.WAITING: "muted"}
EVALUATE_EVERY_TICKS = 3  # lateness depends on the clock alone: re-evaluate every 3 s


# -- plain-list reference (tests compare the panel's numpy evaluation with it) -------------------
@dataclass(frozen=True)
class RouteLine:
    """One route as the table shows it (plain data)."""

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
    """Routes with their display state at `now`, late first, then moving, waiting, arrived (the
    domain's own evaluation, one route at a time)."""
    lines: list[RouteLine] = []
    for row in routes:
        route: BallotRoute = from_stored(K.ROUTE, row.data)
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


def kst_hhmm(epoch: float | None) -> str:
    """'20:45' in Korean time; '' for none (formatted when painted, for the rows on screen)."""
    return datetime.fromtimestamp(epoch, KST).strftime("%H:%M") if epoch is not None else ""


# -- the index: one item per route ----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RouteItem:
    """What the routes table keeps of one route; its display state is evaluated at a time."""

    id: str
    raw: int  # RAW code of the route's state
    polling_station_id: str
    counting_station_id: str
    polling_name: str
    counting_name: str
    station: str
    planned_minutes: int
    departed: float | None  # epoch seconds
    arrived: float | None
    office: str

    @property
    def due(self) -> float | None:
        return self.departed + self.planned_minutes * 60 if self.departed is not None else None

    def state_at(self, now: float, threshold_s: float) -> RouteDisplayState:
        """BallotRoute.display_state on the item's numbers (numpy does the same for all)."""
        if self.raw == 2:
            return RouteDisplayState.ARRIVED
        if self.raw == 0:
            return RouteDisplayState.WAITING
        due = self.due
        late = due is not None and now > due + threshold_s
        return RouteDisplayState.LATE if late else RouteDisplayState.MOVING

    def minutes_over(self, now: float) -> float:
        due = self.due
        return max(0.0, (now - due) / 60) if due is not None and self.arrived is None else 0.0


def route_item(row: Any, polling: Mapping[str, str], counting: Mapping[str, str],
               scope: str) -> RouteItem | None:
    """A route row as an item; None if unreadable (the domain would refuse it too)."""
    d = row.data
    try:
        planned = int(d["planned_minutes"])
        raw = RAW[str(d.get("state") or "waiting")]
        departed_at, arrived_at = d.get("departed_at"), d.get("arrived_at")
        departed = parse_time(str(departed_at)) if departed_at else None
        arrived = parse_time(str(arrived_at)) if arrived_at else None
        ps, cs = str(d["polling_station_id"]), str(d["counting_station_id"])
        if planned <= 0:
            return None
        return RouteItem(
            id=row.id, raw=raw, polling_station_id=ps, counting_station_id=cs,
            polling_name=polling.get(ps, ps), counting_name=counting.get(cs, cs),
            station=str(d.get("station_code", "")), planned_minutes=planned,
            departed=departed.timestamp() if departed else None,
            arrived=arrived.timestamp() if arrived else None,
            office=office_below(row.org_path, scope))
    except (KeyError, TypeError, ValueError, DomainError):
        return None


ROUTE_SCHEMA: RecordSchema[RouteItem] = RecordSchema(
    numbers={"raw": lambda r: r.raw, "due": lambda r: number_or_nan(r.due),
             "open": lambda r: 1.0 if r.arrived is None else 0.0, "planned": lambda r: r.planned_minutes,
             "departed": lambda r: number_or_nan(r.departed), "arrived": lambda r: number_or_nan(r.arrived)},
    texts={"polling_name": lambda r: r.polling_name, "counting_name": lambda r: r.counting_name,
           "station": lambda r: r.station, "office": lambda r: r.office},
)


@dataclass(frozen=True)
class RoutesData:
    """What one read brings the panel: new routes and/or new office names (None: unchanged)."""

    routes: RecordSnapshot[RouteItem] | None
    office_names: dict[str, tuple[str, str]] | None


def _name(row: Any) -> str:
    return str(row.data.get("name", row.id))


def _org_names(row: Any) -> tuple[str, str]:
    return str(row.data.get("name_ko", row.id)), str(row.data.get("name_en", row.id))


class RouteSource:
    """The routes index and the names it shows; used on the database worker only."""

    kinds = frozenset({K.ROUTE, K.POLLING_STATION, K.COUNTING_STATION, K.ORG})

    def __init__(self, scope: str) -> None:
        self.scope = scope
        self.index: RecordIndex[RouteItem] = RecordIndex(ROUTE_SCHEMA)
        self.polling: dict[str, str] = {}
        self.counting: dict[str, str] = {}
        self.office_names: dict[str, tuple[str, str]] = {}

    def load(self, replica: Any) -> RoutesData:
        self.polling = {r.id: _name(r) for r in replica.rows(K.POLLING_STATION)}
        self.counting = {r.id: _name(r) for r in replica.rows(K.COUNTING_STATION)}
        self.office_names = {r.id: _org_names(r) for r in replica.rows(K.ORG)}
        items = {}
        for row in replica.rows(K.ROUTE):
            item = route_item(row, self.polling, self.counting, self.scope)
            if item is not None:
                items[row.id] = item
        snapshot = self.index.replace(items) or self.index.snapshot()
        return RoutesData(snapshot, dict(self.office_names))

    def update(self, replica: Any, changed: Mapping[RecordKind, set[str]]) -> RoutesData | None:
        names = None
        if changed.get(K.ORG):
            fresh = {id: _org_names(r) for id, r in rows_by_ids(replica, K.ORG, changed[K.ORG]).items()
                     if r is not None}
            if any(self.office_names.get(id) != n for id, n in fresh.items()):
                self.office_names.update(fresh)
                names = dict(self.office_names)
        renamed_ps = self._names(replica, K.POLLING_STATION, changed.get(K.POLLING_STATION), self.polling)
        renamed_cs = self._names(replica, K.COUNTING_STATION, changed.get(K.COUNTING_STATION), self.counting)
        items: dict[str, RouteItem | None] = {}
        complete = False
        if changed.get(K.ROUTE):
            rows, complete = read_changed(replica, K.ROUTE, changed[K.ROUTE], len(self.index))
            items = {id: route_item(r, self.polling, self.counting, self.scope) if r is not None else None
                     for id, r in rows.items()}
        if renamed_ps or renamed_cs:  # the routes of a renamed station show its new name
            for id, item in self.index.items():
                if id not in items and (item.polling_station_id in renamed_ps
                                        or item.counting_station_id in renamed_cs):
                    items[id] = replace(
                        item, polling_name=self.polling.get(item.polling_station_id, item.polling_station_id),
                        counting_name=self.counting.get(item.counting_station_id, item.counting_station_id))
        if complete:  # every route there is: the others are gone
            snapshot = self.index.replace({id: i for id, i in items.items() if i is not None})
        else:
            snapshot = self.index.update(items) if items else None
        if snapshot is None and names is None:
            return None
        return RoutesData(snapshot, names)

    @staticmethod
    def _names(replica: Any, kind: RecordKind, ids: set[str] | None, names: dict[str, str]) -> set[str]:
        """Fold the changed stations' names in; the ids whose name changed."""
        if not ids:
            return set()
        renamed = set()
        for id, row in rows_by_ids(replica, kind, ids).items():
            name = _name(row) if row is not None else id
            if names.get(id, id) != name:
                renamed.add(id)
            if row is None:
                names.pop(id, None)
            else:
                names[id] = name
        return renamed


# -- evaluation at a time (numpy over all routes) -------------------------------------------------
@dataclass(frozen=True)
class RouteEvaluation:
    """Every route's display state code (STATE_ORDER) and minutes overdue at one time."""

    generation: int
    now: float
    threshold_s: float
    codes: np.ndarray
    over: np.ndarray


def evaluate(snapshot: RecordSnapshot[RouteItem], now: float, threshold_s: float) -> RouteEvaluation:
    n = len(snapshot)
    if n == 0:
        empty = np.zeros(0)
        return RouteEvaluation(snapshot.generation, now, threshold_s, empty.astype(np.int8), empty)
    raw, due, open_ = snapshot.number("raw"), snapshot.number("due"), snapshot.number("open")
    codes = np.full(n, WAITING, dtype=np.int8)
    codes[raw == 2] = ARRIVED
    departed = raw == 1
    with np.errstate(invalid="ignore"):
        late = departed & (now > due + threshold_s)  # NaN due (no departure time): never late
        over = np.where(~np.isnan(due) & (open_ == 1), np.maximum(0.0, (now - due) / 60), 0.0)
    codes[departed] = MOVING
    codes[late] = LATE
    return RouteEvaluation(snapshot.generation, now, threshold_s, codes, np.nan_to_num(over))


def worst_first(snapshot: RecordSnapshot[RouteItem], ev: RouteEvaluation,
                positions: np.ndarray) -> np.ndarray:
    """Late first, then moving, waiting, arrived; the most overdue first; then by polling station."""
    return lexorder(positions, ev.codes, -ev.over, snapshot.rank("polling_name"))


def rollup(snapshot: RecordSnapshot[RouteItem], ev: RouteEvaluation) -> list[OfficeRoutes]:
    """Per office: routes by state; offices with late boxes first (office_rollup, vectorised)."""
    if not len(snapshot):
        return []
    offices = snapshot.values["office"]
    table = np.bincount(snapshot.rank("office").astype(np.int64) * 4 + ev.codes,
                        minlength=4 * len(offices)).reshape(len(offices), 4)
    result = [OfficeRoutes(offices[int(r)], {STATES[c]: int(table[r, c]) for c in range(4)})
              for r in np.flatnonzero(table.sum(axis=1))]
    result.sort(key=lambda o: (-o.counts[RouteDisplayState.LATE], o.office))
    return result


class RoutesPanel(QWidget, OfficeRollup):
    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._now = ctx.clock.now().timestamp()
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
        self.threshold = QSpinBox()
        self.threshold.setObjectName("late_threshold")
        self.threshold.setRange(0, 180)
        self.threshold.setValue(int(DEFAULT_LATE_THRESHOLD.total_seconds() // 60))
        self.threshold.valueChanged.connect(lambda _v: self._reevaluate())
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.threshold_caption)
        bar.addWidget(self.threshold)
        bar.addWidget(self.filter)
        layout.addLayout(bar)

        # HQ roles first see their offices below, rolled up; a click narrows the list to one.
        self.hq = str(ctx.user.role) in ("national_hq", "provincial_hq")
        self.office_names: dict[str, tuple[str, str]] = {}
        self.office_filter: str | None = None
        self.office_model: RecordTableModel[OfficeRoutes] = RecordTableModel(CONTEXT, [
            RecordColumn(QT_TRANSLATE_NOOP("RoutesPanel", "Office"), self._office_name,
                         colour=self._office_colour),
            RecordColumn(QT_TRANSLATE_NOOP("RoutesPanel", "Routes"), lambda o: str(o.total),
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
            RecordColumn(QT_TRANSLATE_NOOP("RoutesPanel", "Counting station"), lambda r: r.counting_name,
                         "counting_name"),
            RecordColumn(QT_TRANSLATE_NOOP("RoutesPanel", "Station"), lambda r: r.station, "station"),
            RecordColumn(QT_TRANSLATE_NOOP("RoutesPanel", "Planned (min)"), lambda r: str(r.planned_minutes),
                         "planned"),
            RecordColumn(QT_TRANSLATE_NOOP("RoutesPanel", "Departed"), lambda r: kst_hhmm(r.departed),
                         "departed"),
            RecordColumn(QT_TRANSLATE_NOOP("RoutesPanel", "Arrived"), lambda r: kst_hhmm(r.arrived),
                         "arrived"),
        ], row_colour=self._late_colour, parent=self)
        self.model.set_order(lambda s, positions: worst_first(s, self._evaluation(s), positions))
        self.model.evaluated.connect(self._render_summary)
        self.table = record_view("routes_table", self.model, widths=(80, 170, 230, 80, 100, 80, 80),
                                 sortable=True)
        self.table.cellDoubleClicked.connect(self._select)
        layout.addWidget(self.table, 1)
        self._on_theme()

        self.feed = RecordFeed(ctx, RouteSource(ctx.user.org_path), self._loaded,
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
        if data.routes is not None:
            self._now = self.ctx.clock.now().timestamp()
            self.model.set_snapshot(data.routes)

    def _reevaluate(self) -> None:
        """The clock or the threshold moved: states, order, counts and alert follow."""
        self._now = self.ctx.clock.now().timestamp()
        self.model.refresh()

    def _on_tick(self) -> None:
        self._ticks += 1
        if self._ticks % EVALUATE_EVERY_TICKS == 0 and len(self.model.snapshot):
            self._reevaluate()

    def _evaluation(self, snapshot: RecordSnapshot[RouteItem]) -> RouteEvaluation:
        threshold_s = self.threshold.value() * 60.0
        ev = self._ev
        wanted = (snapshot.generation, self._now, threshold_s)
        if ev is None or (ev.generation, ev.now, ev.threshold_s) != wanted:
            ev = self._ev = evaluate(snapshot, self._now, threshold_s)
        return ev

    def _late_colour(self, item: RouteItem) -> str | None:
        return "overdue_bg" if self._state(item) == RouteDisplayState.LATE else None

    def _state(self, item: RouteItem) -> RouteDisplayState:
        return item.state_at(self._now, self.threshold.value() * 60.0)

    # -- view -----------------------------------------------------------------------------------
    def counts(self) -> dict[RouteDisplayState, int]:
        snapshot = self.model.snapshot
        codes = self._evaluation(snapshot).codes if len(snapshot) else np.zeros(0, dtype=np.int8)
        per_code = np.bincount(codes, minlength=4)
        return {state: int(per_code[STATE_ORDER[state]]) for state in RouteDisplayState}

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
            total=len(snapshot), waiting=counts[RouteDisplayState.WAITING],
            moving=counts[RouteDisplayState.MOVING], arrived=counts[RouteDisplayState.ARRIVED], late=late))
        self.alert.setVisible(late > 0)
        if late:
            ev = self._evaluation(snapshot)
            worst = snapshot.items[int(worst_first(snapshot, ev, np.flatnonzero(ev.codes == LATE))[0])]
            alert = self.tr("{n} ballot box(es) late; worst: {name}, {minutes} min overdue")
            self.alert_label.setText(alert.format(n=late, name=worst.polling_name,
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
    return lambda office: str(office.counts[state])


def build(ctx: PanelContext) -> QWidget:
    return RoutesPanel(ctx)


PANEL = PanelSpec(
    object_name="routes",
    title=QT_TRANSLATE_NOOP("Panels", "Ballot-box routes"),
    area="right",
    factory=build,
    order=70,
)
