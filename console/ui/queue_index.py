"""The incident queue's data, Qt-free: slim sortable items, filters and sort orders.

The queue panel keeps one `QueueIndex` on the database worker: rows changed by a sync are
folded in there, and each filter or sort produces a new ordered id list plus an immutable
snapshot of the items, which the Qt model then shows. 100,000 incidents sort in well under a
second because the keys are precomputed tuples of plain values."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import numpy as np

from console.domain.clock import parse_time
from console.domain.errors import DomainError
from console.domain.incidents import ACK_LIMIT, OPEN_STATUSES, IncidentStatus, PriorityCode

STATUS_ORDER: dict[str, int] = {s.value: i for i, s in enumerate(IncidentStatus)}
OPEN_VALUES: frozenset[str] = frozenset(s.value for s in OPEN_STATUSES)
ACK_LIMIT_SECONDS: dict[int, float] = {int(c): d.total_seconds() for c, d in ACK_LIMIT.items()}


class Column(IntEnum):
    CODE = 0
    CATEGORY = 1
    PLACE = 2
    STATUS = 3
    AGE = 4
    UNITS = 5
    STATION = 6


@dataclass(frozen=True, slots=True)
class QueueItem:
    """What the queue shows of one incident."""

    id: str
    code: int
    category: str
    title: str
    place: str
    status: str
    created: float  # epoch seconds
    units: tuple[str, ...]
    station: str
    search: str  # lower-case text for the free-text filter
    pending: bool = False
    escalated: bool = False
    # The title in English where given; the model shows `title` or this by the console's language
    # at display time, so a language change needs no new items.
    title_en: str = ""

    def overdue(self, now: float) -> bool:
        """Not acknowledged within its code's limit (the domain's `Incident.is_overdue`)."""
        return self.status == "new" and now > self.created + ACK_LIMIT_SECONDS.get(self.code, 3600.0)

    @property
    def urgent(self) -> bool:
        return self.code <= int(PriorityCode.CODE_1)


def item_from_row(id: str, data: Mapping[str, Any], pending: bool = False) -> QueueItem | None:
    """A queue item from an incident row's data; None if the row is unreadable."""
    try:
        created = parse_time(str(data["created_at"])).timestamp()
        place = str(data.get("place") or "")
        district, town = str(data.get("district") or ""), str(data.get("town") or "")
        where = place or " ".join(p for p in (district, town) if p)
        title, title_en = str(data.get("title") or ""), str(data.get("title_en") or "")
        return QueueItem(
            id=id, code=int(data["code"]), category=str(data["category"]), title=title,
            place=where, status=str(data.get("status") or "new"), created=created,
            units=tuple(data.get("assigned_units") or ()), station=str(data["station_code"]),
            # Both titles, whatever the console's language: "deepfake" and "딥페이크" both find it.
            search=" ".join((title, title_en, where, district, town,
                             str(data.get("description") or ""), id)).lower(),
            pending=pending, escalated=bool(data.get("escalated")), title_en=title_en,
        )
    except (KeyError, TypeError, ValueError, DomainError):
        return None


@dataclass(frozen=True)
class QueueFilter:
    """Empty sets mean "any"."""

    statuses: frozenset[str] = frozenset()
    codes: frozenset[int] = frozenset()
    categories: frozenset[str] = frozenset()
    stations: frozenset[str] = frozenset()
    text: str = ""
    open_only: bool = False

    def accepts(self, item: QueueItem) -> bool:
        if self.open_only and item.status not in OPEN_VALUES:
            return False
        if self.statuses and item.status not in self.statuses:
            return False
        if self.codes and item.code not in self.codes:
            return False
        if self.categories and item.category not in self.categories:
            return False
        if self.stations and item.station not in self.stations:
            return False
        return not self.text or all(w in item.search for w in self.text.lower().split())


@dataclass(frozen=True)
class QueueSort:
    column: Column = Column.CODE
    descending: bool = False


def sort_key(column: Column) -> Any:
    """A Python key function per column, the order `QueueIndex.view` produces with numpy (ties:
    oldest first). Kept as the plain-list baseline of the benchmark and for tests."""
    if column == Column.CODE:
        return lambda i: (i.code, i.created, i.id)
    if column == Column.CATEGORY:
        return lambda i: (i.category, i.code, i.created, i.id)
    if column == Column.PLACE:
        return lambda i: (i.place, i.code, i.created, i.id)
    if column == Column.STATUS:
        return lambda i: (STATUS_ORDER.get(i.status, 99), i.code, i.created, i.id)
    if column == Column.AGE:  # ascending age = newest first
        return lambda i: (-i.created, i.id)
    if column == Column.UNITS:
        return lambda i: (len(i.units), i.code, i.created, i.id)
    return lambda i: (i.station, i.code, i.created, i.id)


@dataclass
class QueueView:
    """One answer for the model: ordered ids and the items they refer to (never mutated)."""

    ids: list[str]
    items: dict[str, QueueItem]
    total: int  # incidents in the index before filtering
    new_urgent: list[str] = field(default_factory=list)  # code 0/1 incidents first seen now
    stations: list[str] = field(default_factory=list)


@dataclass
class _Columns:
    """The items as numeric columns, for sorting and filtering with numpy: its sorts and
    comparisons run in C without holding the GIL for long, so the GUI thread keeps running
    while a worker orders 100,000 incidents (a Python sort of tuples holds it throughout)."""

    ids: np.ndarray  # object array of ids, in the order of the other columns
    search: list[str]
    code: np.ndarray
    created: np.ndarray
    status: np.ndarray  # STATUS_ORDER rank
    category: np.ndarray  # rank of the category name
    place: np.ndarray  # rank of the place text
    station: np.ndarray  # rank of the station code
    units: np.ndarray  # number of assigned units
    category_rank: dict[str, int]
    station_rank: dict[str, int]
    stations: list[str]
    place_rank: dict[str, int] = field(default_factory=dict)
    position: dict[str, int] = field(default_factory=dict)  # id -> row in the arrays

    def apply(self, touched: Mapping[str, QueueItem | None]) -> bool:
        """Fold changed items into the arrays in place (the index's worker owns them; views
        hold copies). False when a full rebuild is needed instead: a category, place or
        station not ranked yet (ranks follow the sorted order of the values)."""
        for item in touched.values():
            if item is not None and (item.category not in self.category_rank
                                     or item.place not in self.place_rank
                                     or item.station not in self.station_rank):
                return False
        added: list[QueueItem] = []
        removed: list[int] = []
        for id, item in touched.items():
            k = self.position.get(id)
            if item is None:
                if k is not None:
                    removed.append(k)
                continue
            if k is None:
                added.append(item)
                continue
            self.search[k] = item.search
            self.code[k] = item.code
            self.created[k] = item.created
            self.status[k] = STATUS_ORDER.get(item.status, 99)
            self.category[k] = self.category_rank[item.category]
            self.place[k] = self.place_rank[item.place]
            self.station[k] = self.station_rank[item.station]
            self.units[k] = len(item.units)
        if added:
            self._append(added)
        if removed:
            self._remove(removed)
        return True

    def _append(self, items: list[QueueItem]) -> None:
        n, start = len(items), len(self.ids)
        self.ids = np.concatenate([self.ids, np.array([i.id for i in items], dtype=object)])
        self.search.extend(i.search for i in items)
        self.code = np.concatenate([self.code, np.fromiter((i.code for i in items), np.int16, n)])
        self.created = np.concatenate([self.created, np.fromiter((i.created for i in items), np.float64, n)])
        self.status = np.concatenate([self.status, np.fromiter(
            (STATUS_ORDER.get(i.status, 99) for i in items), np.int16, n)])
        self.category = np.concatenate([self.category, np.fromiter(
            (self.category_rank[i.category] for i in items), np.int32, n)])
        self.place = np.concatenate([self.place, np.fromiter(
            (self.place_rank[i.place] for i in items), np.int32, n)])
        self.station = np.concatenate([self.station, np.fromiter(
            (self.station_rank[i.station] for i in items), np.int32, n)])
        self.units = np.concatenate([self.units, np.fromiter((len(i.units) for i in items), np.int16, n)])
        for k, item in enumerate(items, start):
            self.position[item.id] = k

    def _remove(self, rows: list[int]) -> None:
        keep = np.ones(len(self.ids), dtype=bool)
        keep[rows] = False
        for name in ("ids", "code", "created", "status", "category", "place", "station", "units"):
            setattr(self, name, getattr(self, name)[keep])
        gone = set(rows)
        self.search = [t for k, t in enumerate(self.search) if k not in gone]
        self.position = {id: k for k, id in enumerate(self.ids.tolist())}


# Past this share of the index changed at once, rebuilding the columns is as cheap as folding.
REBUILD_SHARE = 0.25


def _ranks(values: list[str]) -> tuple[np.ndarray, dict[str, int]]:
    rank = {v: r for r, v in enumerate(sorted(set(values)))}
    return np.fromiter((rank[v] for v in values), dtype=np.int32, count=len(values)), rank


def _columns(items: dict[str, QueueItem]) -> _Columns:
    rows = list(items.values())
    n = len(rows)
    category, category_rank = _ranks([i.category for i in rows])
    station, station_rank = _ranks([i.station for i in rows])
    place, place_rank = _ranks([i.place for i in rows])
    ids = [i.id for i in rows]
    return _Columns(
        ids=np.array(ids, dtype=object),
        search=[i.search for i in rows],
        code=np.fromiter((i.code for i in rows), dtype=np.int16, count=n),
        created=np.fromiter((i.created for i in rows), dtype=np.float64, count=n),
        status=np.fromiter((STATUS_ORDER.get(i.status, 99) for i in rows), dtype=np.int16, count=n),
        category=category, place=place, station=station,
        units=np.fromiter((len(i.units) for i in rows), dtype=np.int16, count=n),
        category_rank=category_rank, station_rank=station_rank, stations=sorted(station_rank),
        place_rank=place_rank, position={id: k for k, id in enumerate(ids)},
    )


# lexsort keys per column, primary key LAST; ties fall back to the oldest first.
def _sort_keys(c: _Columns, column: Column) -> tuple[np.ndarray, ...]:
    if column == Column.CODE:
        return (c.created, c.code)
    if column == Column.CATEGORY:
        return (c.created, c.code, c.category)
    if column == Column.PLACE:
        return (c.created, c.code, c.place)
    if column == Column.STATUS:
        return (c.created, c.code, c.status)
    if column == Column.AGE:  # ascending age = newest first
        return (-c.created,)
    if column == Column.UNITS:
        return (c.created, c.code, c.units)
    return (c.created, c.code, c.station)


class QueueIndex:
    """The queue's items; lives on one worker thread, produces immutable views."""

    def __init__(self) -> None:
        self.items: dict[str, QueueItem] = {}
        self.loaded = False
        self._cols: _Columns | None = None

    def load(self, rows: list[Any]) -> None:
        """Replace everything with `rows` (replica ViewRows; the list is consumed)."""
        self.items, self._cols = {}, None
        self.update_rows(rows, complete=True)
        self.loaded = True

    def update(self, changed: Mapping[str, Any | None], recent_after: float | None = None) -> list[str]:
        """Fold in changed rows (id -> ViewRow, or None when gone). Returns the ids of urgent
        NEW incidents not seen before whose creation is after `recent_after` (for the alert)."""
        if not changed:
            return []
        items = dict(self.items)  # copy: views handed to the GUI keep their own dict
        touched: dict[str, QueueItem | None] = {}
        fresh = self._fold(items, changed.items(), recent_after, touched)
        self.items = items
        self._fold_columns(touched)
        return fresh

    def update_rows(self, rows: list[Any], *, complete: bool,
                    recent_after: float | None = None) -> list[str]:
        """Fold in ViewRows, consuming the list one row at a time: freeing 100,000 rows in one
        go is a C-level cascade that holds the GIL (and stalls the GUI) for a few hundred ms;
        popping them frees each row between bytecodes. With `complete`, the rows are all there
        is: ids not among them are dropped."""
        items = dict(self.items)
        seen: set[str] = set()

        def consume() -> Iterator[tuple[str, Any]]:
            while rows:
                row = rows.pop()
                seen.add(row.id)
                yield row.id, row

        touched: dict[str, QueueItem | None] = {}
        fresh = self._fold(items, consume(), recent_after, touched)
        if complete:
            for gone in set(items) - seen:
                del items[gone]
                touched[gone] = None
        self.items = items
        self._fold_columns(touched)
        return fresh

    def _fold_columns(self, touched: dict[str, QueueItem | None]) -> None:
        """Keep the numeric columns for the next view: a sync page changes a few hundred of
        50,000 incidents, and rebuilding every column for it costs ~200 ms of the worker's
        Python time (GIL the GUI thread waits for); folding the changes in costs ~1 ms."""
        if self._cols is None or not touched:
            return
        if len(touched) > REBUILD_SHARE * max(1, len(self.items)) or not self._cols.apply(touched):
            self._cols = None

    @staticmethod
    def _fold(items: dict[str, QueueItem], changed: Iterable[tuple[str, Any]],
              recent_after: float | None, touched: dict[str, QueueItem | None]) -> list[str]:
        fresh: list[str] = []
        for id, row in changed:
            item = None if row is None else item_from_row(id, row.data, bool(getattr(row, "pending", False)))
            if item is None:
                if items.pop(id, None) is not None:
                    touched[id] = None
                continue
            prev = items.get(id)
            if prev is None:
                if item.urgent and item.status == "new" and (recent_after is None
                                                             or item.created >= recent_after):
                    fresh.append(id)
            elif prev == item:
                # Unchanged (a full re-read brings every row): keep the old object, so the GUI
                # thread, dropping its previous view, frees only what really changed.
                continue
            items[id] = item
            touched[id] = item
        return fresh

    def view(self, flt: QueueFilter, order: QueueSort) -> QueueView:
        if self._cols is None:
            self._cols = _columns(self.items)
        c = self._cols
        mask = np.ones(len(c.ids), dtype=bool)
        if flt.open_only:
            mask &= np.isin(c.status, [STATUS_ORDER[s] for s in OPEN_VALUES])
        if flt.statuses:
            mask &= np.isin(c.status, [STATUS_ORDER.get(s, -1) for s in flt.statuses])
        if flt.codes:
            mask &= np.isin(c.code, list(flt.codes))
        if flt.categories:
            mask &= np.isin(c.category, [c.category_rank.get(x, -1) for x in flt.categories])
        if flt.stations:
            mask &= np.isin(c.station, [c.station_rank.get(x, -1) for x in flt.stations])
        chosen = np.flatnonzero(mask)
        words = flt.text.lower().split()
        if words:
            search = c.search
            chosen = np.fromiter((k for k in chosen if all(w in search[k] for w in words)), dtype=np.int64)
        keys = tuple(k[chosen] for k in _sort_keys(c, order.column))
        ordered = chosen[np.lexsort(keys)] if len(chosen) else chosen
        if order.descending:
            ordered = ordered[::-1]
        return QueueView(c.ids[ordered].tolist(), self.items, len(self.items), stations=c.stations)
