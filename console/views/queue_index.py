"""The incident queue's records, Qt-free: the item of one incident, the columns a RecordIndex
keeps of it, the queue's filters and sort keys.

The queue is a record table like the others (record_index, record_model, record_feed): its
index lives on the database worker and is fed the changed incidents only; its filters and sorts
are numpy over the index's columns, evaluated on the worker too (100,000 incidents)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum
from typing import Any

import numpy as np

from console.domain.clock import parse_time
from console.domain.errors import DomainError
from console.domain.incidents import OPEN_STATUSES, IncidentStatus, PriorityCode
from console.views.incidents import from_epoch, incident_age, is_overdue, place_of
from console.views.record_index import RecordSchema, RecordSnapshot, SortKey, lexorder

STATUS_ORDER: dict[str, int] = {s.value: i for i, s in enumerate(IncidentStatus)}
OPEN_VALUES: frozenset[str] = frozenset(s.value for s in OPEN_STATUSES)


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

    @property
    def created_at(self) -> datetime:
        return from_epoch(self.created)

    def age(self, now: datetime) -> timedelta:
        """How long ago it was reported (`console.views.incidents.incident_age`)."""
        return incident_age(self.created_at, now)

    def overdue(self, now: datetime) -> bool:
        """Not acknowledged within its code's limit (`console.views.incidents.is_overdue`)."""
        return is_overdue(self.status, self.code, self.created_at, now)

    @property
    def urgent(self) -> bool:
        return self.code <= int(PriorityCode.CODE_1)


def item_from_row(id: str, data: Mapping[str, Any], pending: bool = False) -> QueueItem | None:
    """A queue item from an incident row's data; None if the row is unreadable."""
    try:
        created = parse_time(str(data["created_at"])).timestamp()
        district, town = str(data.get("district") or ""), str(data.get("town") or "")
        where = place_of(data)
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
        """The filter on one item (the plain-Python definition `mask` follows)."""
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

    def mask(self, snapshot: RecordSnapshot[Any]) -> np.ndarray | None:
        """The filter over a snapshot's columns; None: every incident. The text is tested last,
        over what the other conditions leave."""
        mask: np.ndarray | None = None

        def both(chosen: np.ndarray) -> None:
            nonlocal mask
            mask = chosen if mask is None else mask & chosen

        if self.open_only:
            both(np.isin(snapshot.number("status"), [STATUS_ORDER[s] for s in OPEN_VALUES]))
        if self.statuses:
            both(np.isin(snapshot.number("status"), [STATUS_ORDER.get(s, -1) for s in self.statuses]))
        if self.codes:
            both(np.isin(snapshot.number("code"), list(self.codes)))
        for name, values in (("category", self.categories), ("station", self.stations)):
            if values:
                both(np.isin(snapshot.rank(name), [snapshot.rank_of(name, v) for v in values]))
        text = snapshot.matching(self.text, within=mask)
        return mask if text is None else text


QUEUE_SCHEMA: RecordSchema[QueueItem] = RecordSchema(
    numbers={"code": lambda i: i.code, "created": lambda i: i.created,
             "status": lambda i: STATUS_ORDER.get(i.status, 99), "units": lambda i: len(i.units)},
    texts={"category": lambda i: i.category, "place": lambda i: i.place, "station": lambda i: i.station},
    search=lambda i: i.search,
)


def most_urgent_first(snapshot: RecordSnapshot[Any], positions: np.ndarray) -> np.ndarray:
    """The queue's own order: by code, then oldest first; a sorted column's ties fall back on it."""
    return lexorder(positions, snapshot.number("code"), snapshot.number("created"))


# What each column sorts by, over the queue's own order.
SORT_KEYS: dict[Column, SortKey] = {
    Column.CODE: "code",
    Column.CATEGORY: "category",
    Column.PLACE: "place",
    Column.STATUS: "status",
    Column.AGE: lambda s: -s.number("created"),  # ascending age = newest first
    Column.UNITS: "units",
    Column.STATION: "station",
}


def sort_key(column: Column) -> Any:
    """A Python key function per column, the order the queue's numpy sort gives (ties: by code,
    then oldest first). The plain-list baseline of the benchmark, and the tests' definition."""
    if column == Column.CODE:
        return lambda i: (i.code, i.created, i.id)
    if column == Column.CATEGORY:
        return lambda i: (i.category, i.code, i.created, i.id)
    if column == Column.PLACE:
        return lambda i: (i.place, i.code, i.created, i.id)
    if column == Column.STATUS:
        return lambda i: (STATUS_ORDER.get(i.status, 99), i.code, i.created, i.id)
    if column == Column.AGE:
        return lambda i: (-i.created, i.code, i.id)
    if column == Column.UNITS:
        return lambda i: (len(i.units), i.code, i.created, i.id)
    return lambda i: (i.station, i.code, i.created, i.id)


def urgent_arrivals(snapshot: RecordSnapshot[QueueItem], before: RecordSnapshot[QueueItem],
                    after: float) -> list[str]:
    """The code 0/1 incidents, still new and created after `after`, that `snapshot` brings and
    `before` did not have: the ones the queue alerts for."""
    if snapshot.changed is None or not len(snapshot):
        return []
    k = snapshot.positions_of(snapshot.changed)
    k = k[(snapshot.number("code")[k] <= int(PriorityCode.CODE_1))
          & (snapshot.number("status")[k] == STATUS_ORDER[IncidentStatus.NEW.value])
          & (snapshot.number("created")[k] >= after)]
    ids: list[str] = snapshot.ids[k].tolist() if len(k) else []
    return [id for id in ids if id not in before.position]
