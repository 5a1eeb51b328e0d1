"""The units table's rows: each unit's status, where it is as a place (its district and town, by
offline reverse geocoding), and how old that position is as of a moment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from console.domain.clock import parse_time
from console.domain.errors import DomainError
from console.domain.records import RecordKind
from console.geo.geocode import Place, place_at
from console.replica.reads import ReplicaReads, ShownRow
from console.views.incidents import from_epoch
from console.views.record_index import RecordSchema, RecordSnapshot, lexorder, number_or_nan

Locate = Callable[[float, float], Place | None]


@dataclass(frozen=True, slots=True)
class UnitItem:
    """What the units table shows of one unit."""

    id: str
    callsign: str
    type: str
    status: str
    station: str
    incident: str
    lat: float | None
    lon: float | None
    position_at: float | None  # epoch seconds of its last position report; None: never reported
    place: str  # '종로구 사직동'; the coordinates where no district holds it; '' without a position
    address: str  # with its province: '서울특별시 종로구 사직동' ('' where no district holds it)
    pending: bool
    search: str  # lower-case text for the search box

    @property
    def coordinates(self) -> str:
        return f"{self.lat:.4f}, {self.lon:.4f}" if self.lat is not None and self.lon is not None else ""

    def position_age(self, now: datetime) -> timedelta | None:
        """How old its last position report is as of `now`; None if it never reported one."""
        return position_age(from_epoch(self.position_at) if self.position_at is not None else None, now)


def position_age(reported: datetime | None, now: datetime) -> timedelta | None:
    """How old a position reported at `reported` is as of `now`: never negative; None if never."""
    return max(now - reported, timedelta(0)) if reported is not None else None


def unit_item(row: ShownRow, locate: Locate = place_at) -> UnitItem:
    """A unit's row as the table shows it; `locate` names the place of its position (the cached
    reverse geocoder: call on the database worker)."""
    d = row.data
    at: float | None = None
    if d.get("position_at"):
        try:
            at = parse_time(str(d["position_at"])).timestamp()
        except DomainError:
            at = None
    lat, lon = _number(d.get("lat")), _number(d.get("lon"))
    if lat is None or lon is None:
        lat = lon = None
    place, address = "", ""
    if lat is not None and lon is not None:
        found = locate(lat, lon)
        place = found.local if found is not None else f"{lat:.4f}, {lon:.4f}"
        address = " ".join(p for p in (found.district, found.town) if p) if found is not None else ""
    callsign, station = str(d.get("callsign", "")), str(d.get("station_code", ""))
    utype = str(d.get("type", ""))
    return UnitItem(
        id=row.id, callsign=callsign, type=utype, status=str(d.get("status", "")), station=station,
        incident=str(d.get("incident_id") or ""), lat=lat, lon=lon, position_at=at, place=place,
        address=address, pending=bool(row.pending),
        search=f"{callsign} {station} {utype} {place} {row.id}".lower())


def unit_items(replica: ReplicaReads, locate: Locate = place_at) -> list[UnitItem]:
    """Every unit in scope, by call sign (call on the database worker)."""
    items = [unit_item(row, locate) for row in replica.rows(RecordKind.UNIT)]
    return sorted(items, key=lambda u: (u.callsign, u.id))


def _number(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


UNIT_SCHEMA: RecordSchema[UnitItem] = RecordSchema(
    numbers={"position_at": lambda u: number_or_nan(u.position_at)},
    texts={"callsign": lambda u: u.callsign, "type": lambda u: u.type, "status": lambda u: u.status,
           "station": lambda u: u.station, "incident": lambda u: u.incident, "place": lambda u: u.place},
    search=lambda u: u.search,
)


def by_callsign(snapshot: RecordSnapshot[Any], positions: np.ndarray) -> np.ndarray:
    """The table's own order: by call sign."""
    return lexorder(positions, snapshot.rank("callsign"))


def newest_position_first(snapshot: RecordSnapshot[Any]) -> np.ndarray:
    """The Position age column's sort key: ascending age is the newest report first (never
    reported: last)."""
    at = snapshot.number("position_at")
    return np.where(np.isnan(at), np.inf, -at)
