"""The map's rows as figures, states and places: each polling, counting and police station, unit,
incident and ballot-box route the map draws, with its symbol state at a time. The map's UI
(`console.ui.map.rows`) words the tooltips; the states here follow the same domain rules as the
panels: a site closed that day is never short (`site_short`), a box is late by the one lateness
rule (`route_display_state`) under the user's one threshold."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from console.domain.election import (
    DEFAULT_LATE_THRESHOLD,
    ELECTION_2025,
    ElectionCalendar,
    RouteDisplayState,
    SiteKind,
    site_kind,
    site_operating,
    stored_route_state,
)
from console.domain.incidents import OPEN_STATUSES
from console.domain.org import OrgLevel

OPEN_STATUS_VALUES = frozenset(s.value for s in OPEN_STATUSES)

# Symbol states of the site layers (the keys of console.ui.map.style's tables end with them).
CLOSED, OPEN, UNDERSTAFFED = "closed", "open", "understaffed"  # polling stations
STAFFED, COUNTING_CLOSED = "staffed", "closed"  # counting stations (and UNDERSTAFFED)


def polling_state(operating: bool, is_open: bool, shortfall: int) -> str:
    """The symbol state of a polling station: short of officers while it operates (whether or
    not the polls are open yet), else open or not open."""
    if operating and shortfall > 0:
        return UNDERSTAFFED
    return OPEN if is_open else CLOSED


def counting_state(operating: bool, shortfall: int) -> str:
    """The symbol state of a counting station: not in use that day, short, or guarded."""
    if not operating:
        return COUNTING_CLOSED
    return UNDERSTAFFED if shortfall > 0 else STAFFED


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@dataclass(frozen=True, slots=True)
class SitePoint:
    """A polling or counting station on the map."""

    id: str
    lat: float
    lon: float
    style: str  # "<polling kind>:<state>" for polling stations, "<state>" for counting stations
    name: str
    district: str
    town: str
    assigned: int
    planned: int
    operating: bool


def polling_points(rows: Iterable[Any], now: datetime | None,
                   calendar: ElectionCalendar = ELECTION_2025) -> list[SitePoint]:
    """Polling and early-voting stations at `now` (None: no time known, each operates while open)."""
    out = []
    for r in rows:
        d = r.data
        planned, assigned = _int(d.get("officers_planned"), 2), _int(d.get("officers_assigned"), 0)
        kind = str(d.get("kind") or "election_day")
        is_open = bool(d.get("open"))
        operating = is_open if now is None else site_operating(site_kind("polling_station", kind), now,
                                                                is_open=is_open, calendar=calendar)
        state = polling_state(operating, is_open, max(0, planned - assigned))
        out.append(SitePoint(r.id, float(d["lat"]), float(d["lon"]), f"{kind}:{state}",
                             str(d.get("name", "")), str(d.get("district", "")), str(d.get("town", "")),
                             assigned, planned, operating))
    return out


def counting_points(rows: Iterable[Any], now: datetime | None,
                    calendar: ElectionCalendar = ELECTION_2025) -> list[SitePoint]:
    """Counting stations at `now` (None: no time known, each operates)."""
    out = []
    for r in rows:
        d = r.data
        planned, assigned = _int(d.get("officers_planned"), 30), _int(d.get("officers_assigned"), 0)
        operating = now is None or site_operating(SiteKind.COUNTING, now, calendar=calendar)
        out.append(SitePoint(r.id, float(d["lat"]), float(d["lon"]),
                             counting_state(operating, max(0, planned - assigned)), str(d.get("name", "")),
                             str(d.get("district", "")), "", assigned, planned, operating))
    return out


@dataclass(frozen=True, slots=True)
class StationPoint:
    id: str
    lat: float
    lon: float
    name_ko: str
    name_en: str
    code: str


def station_points(rows: Iterable[Any]) -> list[StationPoint]:
    """Police stations with a position."""
    out = []
    for r in rows:
        d = r.data
        if d.get("level") != OrgLevel.STATION.value or d.get("lat") is None or d.get("lon") is None:
            continue
        out.append(StationPoint(r.id, float(d["lat"]), float(d["lon"]), str(d.get("name_ko", "")),
                                str(d.get("name_en") or d.get("name_ko", "")), str(d.get("code", ""))))
    return out


@dataclass(frozen=True, slots=True)
class UnitPoint:
    id: str
    lat: float
    lon: float
    style: str  # "<type>:<status>"
    callsign: str
    type: str
    status: str


def unit_points(rows: Iterable[Any]) -> list[UnitPoint]:
    """Units with a known position."""
    out = []
    for r in rows:
        d = r.data
        if d.get("lat") is None or d.get("lon") is None:
            continue
        out.append(UnitPoint(r.id, float(d["lat"]), float(d["lon"]), f"{d.get('type')}:{d.get('status')}",
                             str(d.get("callsign", "")), str(d.get("type")), str(d.get("status"))))
    return out


@dataclass(frozen=True, slots=True)
class IncidentPoint:
    id: str
    lat: float
    lon: float
    style: str  # "<code>:open" or "<code>:closed"
    code: int
    is_open: bool
    place: str
    data: dict[str, Any]  # the row's data (the UI words its title, category and status)


def incident_points(rows: Iterable[Any]) -> list[IncidentPoint]:
    out = []
    for r in rows:
        d = r.data
        code = _int(d.get("code"), 4)
        is_open = d.get("status") in OPEN_STATUS_VALUES
        place = d.get("place") or f"{d.get('district', '')} {d.get('town', '')}".strip()
        style = f"{code}:{'open' if is_open else 'closed'}"
        out.append(IncidentPoint(r.id, float(d["lat"]), float(d["lon"]), style, code, is_open, str(place), d))
    return out


@dataclass
class RouteLines:
    """Routes whose both ends are known, as straight lines, with their display states."""

    ids: list[str]
    from_lon: np.ndarray
    from_lat: np.ndarray
    to_lon: np.ndarray
    to_lat: np.ndarray
    states: list[RouteDisplayState]
    polling_names: list[str]
    counting_names: list[str]

    @property
    def late(self) -> set[str]:
        return {id for id, s in zip(self.ids, self.states, strict=True) if s == RouteDisplayState.LATE}



RouteEnd = tuple[Any, Any, str]  # a site's lat, lon and name as a route line takes them


def route_ends(sites: Iterable[Any]) -> dict[str, RouteEnd]:
    """What the route lines take from each of these site rows (see `route_lines`)."""
    return {r.id: _route_end(r.data) for r in sites}


def _route_end(data: dict[str, Any]) -> RouteEnd:
    return data.get("lat"), data.get("lon"), str(data.get("name", ""))


def route_ends_moved(known: Mapping[str, RouteEnd], sites: Mapping[str, Any]) -> bool:
    """Whether any of these site rows ({id: row, or None when gone}) changes a route line drawn
    from `known` ends: a site moved, renamed, new or gone. A site opening, closing or getting
    its officers changes none (the morning's 14,295 openings redraw no route)."""
    for id, row in sites.items():
        if row is None:
            if id in known:
                return True
        elif known.get(id) != _route_end(row.data):
            return True
    return False


def route_lines(routes: Sequence[Any], polling: Sequence[Any], counting: Sequence[Any], now: datetime,
                threshold: timedelta = DEFAULT_LATE_THRESHOLD) -> RouteLines:
    ps = {r.id: r.data for r in polling}
    cs = {r.id: r.data for r in counting}
    ids, flon, flat, tlon, tlat, states, pnames, cnames = [], [], [], [], [], [], [], []
    for r in routes:
        d = r.data
        a, b = ps.get(d.get("polling_station_id")), cs.get(d.get("counting_station_id"))
        if a is None or b is None:
            continue
        ids.append(r.id)
        flon.append(float(a["lon"]))
        flat.append(float(a["lat"]))
        tlon.append(float(b["lon"]))
        tlat.append(float(b["lat"]))
        states.append(stored_route_state(d, now, threshold))
        pnames.append(str(a.get("name", "")))
        cnames.append(str(b.get("name", "")))
    return RouteLines(ids, np.array(flon), np.array(flat), np.array(tlon), np.array(tlat), states,
                      pnames, cnames)
