"""Ballot-box routes as the routes panel (and the map) show them: one item per route with the
names of its ends, its display state at a time under the one lateness rule
(`console.domain.election.route_display_state`), the counts, the worst late box and the per-office
roll-up.

A national HQ sees ~14,500 routes. `RouteSource` reads them once, then folds in only the changed
routes (and the polling or counting stations whose names changed); it runs on the database worker.
A route's display state depends on the clock and the late threshold, so `evaluate` computes it for
all routes at once with numpy (about a millisecond) whenever either moves."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from console.domain.clock import parse_time
from console.domain.election import RouteDisplayState, RouteState, is_overdue, route_display_state
from console.domain.errors import DomainError
from console.domain.records import RecordKind
from console.replica.reads import ReplicaReads
from console.views.offices import office_below, org_names
from console.views.record_index import RecordIndex, RecordSchema, RecordSnapshot, lexorder, number_or_nan
from console.views.replica_reads import rows_by_ids

K = RecordKind
# Display states in the table's order: late first, then moving, waiting, arrived (the codes).
STATE_ORDER = {RouteDisplayState.LATE: 0, RouteDisplayState.MOVING: 1, RouteDisplayState.WAITING: 2,
               RouteDisplayState.ARRIVED: 3}
STATES = sorted(STATE_ORDER, key=STATE_ORDER.__getitem__)  # display state by code
LATE, MOVING, WAITING, ARRIVED = (STATE_ORDER[s] for s in STATES)
RAW = {RouteState.WAITING.value: 0, RouteState.DEPARTED.value: 1, RouteState.ARRIVED.value: 2}
RAW_STATES = {v: RouteState(k) for k, v in RAW.items()}

# (replica, kind, changed ids, rows known) -> ({id: row or None}, whether every row of the kind
# was read). The console passes console.ui.record_feed.read_changed (a full read past a share).
ChangedReader = Callable[[Any, RecordKind, Collection[str], int], tuple[dict[str, Any], bool]]


def read_by_ids(replica: Any, kind: RecordKind, ids: Collection[str],
                _known: int) -> tuple[dict[str, Any], bool]:
    """The changed rows by id, never a full read (the default ChangedReader)."""
    return dict(rows_by_ids(replica, kind, ids)), False


@dataclass(frozen=True, slots=True)
class RouteItem:
    """What the routes table keeps of one route; its display state is evaluated at a time."""

    id: str
    raw: int  # RAW code of the route's state
    polling_station_id: str
    counting_station_id: str
    polling_name: str
    counting_name: str
    station: str  # the station's code (shown by name: see RoutesData.office_names)
    planned_minutes: int
    departed: float | None  # epoch seconds
    arrived: float | None
    office: str  # the office directly below the viewer's own (province or station)

    @property
    def counting_known(self) -> bool:
        """Whether the counting station's row (its name) is in the replica."""
        return self.counting_name != self.counting_station_id

    @property
    def due(self) -> float | None:
        return self.departed + self.planned_minutes * 60 if self.departed is not None else None

    def state_at(self, now: datetime, threshold: timedelta) -> RouteDisplayState:
        """The domain's rule on this item."""
        departed = datetime.fromtimestamp(self.departed, tz=now.tzinfo) if self.departed is not None else None
        return route_display_state(RAW_STATES[self.raw], departed, self.planned_minutes, now, threshold)

    def minutes_over(self, now: float) -> float:
        """Minutes past the planned arrival (a box on its way), else 0."""
        due = self.due
        return max(0.0, (now - due) / 60) if due is not None and self.arrived is None else 0.0


def station_name(names: Mapping[str, str], id: str) -> str:
    """A polling or counting station's name; its id while its row is not in the replica (a
    counting station run by a neighbouring station is outside a station's scope: the panel
    words that case, see RouteItem.counting_known)."""
    return names.get(id, id)


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
            polling_name=station_name(polling, ps), counting_name=station_name(counting, cs),
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
    """What one read brings the panel: new routes and/or new org names (None: unchanged)."""

    routes: RecordSnapshot[RouteItem] | None
    office_names: dict[str, tuple[str, str]] | None  # org code -> (Korean, English)


def _name(row: Any) -> str:
    return str(row.data.get("name") or row.id)


class RouteSource:
    """The routes index and the names it shows; used on the database worker only."""

    kinds = frozenset({K.ROUTE, K.POLLING_STATION, K.COUNTING_STATION, K.ORG})

    def __init__(self, scope: str, read_changed: ChangedReader = read_by_ids) -> None:
        self.scope = scope
        self.read_changed = read_changed
        self.index: RecordIndex[RouteItem] = RecordIndex(ROUTE_SCHEMA)
        self.polling: dict[str, str] = {}
        self.counting: dict[str, str] = {}
        self.office_names: dict[str, tuple[str, str]] = {}

    def load(self, replica: ReplicaReads) -> RoutesData:
        self.polling = {r.id: _name(r) for r in replica.rows(K.POLLING_STATION)}
        self.counting = {r.id: _name(r) for r in replica.rows(K.COUNTING_STATION)}
        self.office_names = {r.id: org_names(r) for r in replica.rows(K.ORG)}
        items = {}
        for row in replica.rows(K.ROUTE):
            item = route_item(row, self.polling, self.counting, self.scope)
            if item is not None:
                items[row.id] = item
        snapshot = self.index.replace(items) or self.index.snapshot()
        return RoutesData(snapshot, dict(self.office_names))

    def update(self, replica: ReplicaReads, changed: Mapping[RecordKind, set[str]]) -> RoutesData | None:
        names = None
        if changed.get(K.ORG):
            fresh = {id: org_names(r) for id, r in rows_by_ids(replica, K.ORG, changed[K.ORG]).items()
                     if r is not None}
            if any(self.office_names.get(id) != n for id, n in fresh.items()):
                self.office_names.update(fresh)
                names = dict(self.office_names)
        renamed_ps = self._names(replica, K.POLLING_STATION, changed.get(K.POLLING_STATION), self.polling)
        renamed_cs = self._names(replica, K.COUNTING_STATION, changed.get(K.COUNTING_STATION), self.counting)
        items: dict[str, RouteItem | None] = {}
        complete = False
        if changed.get(K.ROUTE):
            rows, complete = self.read_changed(replica, K.ROUTE, changed[K.ROUTE], len(self.index))
            items = {id: route_item(r, self.polling, self.counting, self.scope) if r is not None else None
                     for id, r in rows.items()}
        if renamed_ps or renamed_cs:  # the routes of a renamed station show its new name
            for id, item in self.index.items():
                if id not in items and (item.polling_station_id in renamed_ps
                                        or item.counting_station_id in renamed_cs):
                    items[id] = replace(
                        item, polling_name=station_name(self.polling, item.polling_station_id),
                        counting_name=station_name(self.counting, item.counting_station_id))
        if complete:  # every route there is: the others are gone
            snapshot = self.index.replace({id: i for id, i in items.items() if i is not None})
        else:
            snapshot = self.index.update(items) if items else None
        if snapshot is None and names is None:
            return None
        return RoutesData(snapshot, names)

    @staticmethod
    def _names(replica: ReplicaReads, kind: RecordKind, ids: set[str] | None,
               names: dict[str, str]) -> set[str]:
        """Fold the changed stations' names in; the ids whose name changed."""
        if not ids:
            return set()
        renamed = set()
        for id, row in rows_by_ids(replica, kind, ids).items():
            name = _name(row) if row is not None else None
            if names.get(id) != name:
                renamed.add(id)
            if name is None:
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

    def counts(self) -> dict[RouteDisplayState, int]:
        per_code = np.bincount(self.codes, minlength=4)
        return {state: int(per_code[STATE_ORDER[state]]) for state in RouteDisplayState}


def evaluate(snapshot: RecordSnapshot[RouteItem], now: datetime | float,
             threshold: timedelta | float) -> RouteEvaluation:
    """route_display_state for every route at once (`now` and `threshold` as datetimes or as
    epoch seconds)."""
    now_s = now.timestamp() if isinstance(now, datetime) else float(now)
    threshold_s = threshold.total_seconds() if isinstance(threshold, timedelta) else float(threshold)
    n = len(snapshot)
    if n == 0:
        empty = np.zeros(0)
        return RouteEvaluation(snapshot.generation, now_s, threshold_s, empty.astype(np.int8), empty)
    raw, due, open_ = snapshot.number("raw"), snapshot.number("due"), snapshot.number("open")
    codes = np.full(n, WAITING, dtype=np.int8)
    codes[raw == RAW[RouteState.ARRIVED]] = ARRIVED
    departed = raw == RAW[RouteState.DEPARTED]
    with np.errstate(invalid="ignore"):
        late = departed & is_overdue(now_s, due, threshold_s)  # NaN due (no departure time): never late
        over = np.where(~np.isnan(due) & (open_ == 1), np.maximum(0.0, (now_s - due) / 60), 0.0)
    codes[departed] = MOVING
    codes[late] = LATE
    return RouteEvaluation(snapshot.generation, now_s, threshold_s, codes, np.nan_to_num(over))


def worst_first(snapshot: RecordSnapshot[RouteItem], ev: RouteEvaluation,
                positions: np.ndarray) -> np.ndarray:
    """Late first, then moving, waiting, arrived; the most overdue first; then by polling station."""
    return lexorder(positions, ev.codes, -ev.over, snapshot.rank("polling_name"))


def late_ids(snapshot: RecordSnapshot[RouteItem], ev: RouteEvaluation) -> set[str]:
    """The ids of the late routes."""
    return {snapshot.items[int(k)].id for k in np.flatnonzero(ev.codes == LATE)}


def worst_late(snapshot: RecordSnapshot[RouteItem], ev: RouteEvaluation) -> RouteItem | None:
    """The most overdue late box, if any."""
    late = np.flatnonzero(ev.codes == LATE)
    if not len(late):
        return None
    return snapshot.items[int(worst_first(snapshot, ev, late)[0])]


@dataclass(frozen=True)
class OfficeRoutes:
    """The routes of one office below an HQ, counted by state."""

    office: str
    counts: dict[RouteDisplayState, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def rollup(snapshot: RecordSnapshot[RouteItem], ev: RouteEvaluation) -> list[OfficeRoutes]:
    """Per office: routes by state; offices with late boxes first, then by code."""
    if not len(snapshot):
        return []
    offices = snapshot.values["office"]
    table = np.bincount(snapshot.rank("office").astype(np.int64) * 4 + ev.codes,
                        minlength=4 * len(offices)).reshape(len(offices), 4)
    result = [OfficeRoutes(offices[int(r)], {STATES[c]: int(table[r, c]) for c in range(4)})
              for r in np.flatnonzero(table.sum(axis=1))]
    result.sort(key=lambda o: (-o.counts[RouteDisplayState.LATE], o.office))
    return result


@dataclass(frozen=True)
class RoutesView:
    """Every figure the routes panel shows at one time, read in one go (tests, reports)."""

    snapshot: RecordSnapshot[RouteItem]
    evaluation: RouteEvaluation
    office_names: dict[str, tuple[str, str]]

    @property
    def counts(self) -> dict[RouteDisplayState, int]:
        return self.evaluation.counts()

    @property
    def late(self) -> set[str]:
        return late_ids(self.snapshot, self.evaluation)

    def rows(self) -> list[tuple[RouteItem, RouteDisplayState]]:
        """Routes worst first with their display states."""
        order = worst_first(self.snapshot, self.evaluation, self.snapshot.all())
        return [(self.snapshot.items[int(k)], STATES[int(self.evaluation.codes[int(k)])]) for k in order]

    def offices(self) -> list[OfficeRoutes]:
        return rollup(self.snapshot, self.evaluation)


def routes_view(replica: ReplicaReads, scope: str, now: datetime, threshold: timedelta) -> RoutesView:
    """The routes in `replica` as seen from `scope` (the user's org path) at `now`."""
    data = RouteSource(scope).load(replica)
    assert data.routes is not None and data.office_names is not None
    return RoutesView(data.routes, evaluate(data.routes, now, threshold), data.office_names)
