"""Replica rows -> the map's plain data (runs on the database worker: no widgets here)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np

from console.domain.election import BallotRoute, RouteDisplayState
from console.domain.incidents import OPEN_STATUSES, IncidentCategory, IncidentStatus, PriorityCode
from console.domain.org import OrgLevel
from console.domain.records import RecordKind, from_stored
from console.domain.units import UnitStatus, UnitType
from console.geo.boundaries import BaseGeography
from console.ui.labels import incident_title, label, label_of
from console.ui.map.data import Jurisdiction, LayerKind, PointSet, RouteSet
from console.ui.map.style import polling_state

K = RecordKind

# Which map layers a change of each record kind touches.
LAYERS_OF_KIND: dict[RecordKind, tuple[str, ...]] = {
    K.POLLING_STATION: (LayerKind.POLLING, LayerKind.ROUTE),
    K.COUNTING_STATION: (LayerKind.COUNTING, LayerKind.ROUTE),
    K.ROUTE: (LayerKind.ROUTE,),
    K.UNIT: (LayerKind.UNIT,),
    K.INCIDENT: (LayerKind.INCIDENT,),
    K.ORG: (LayerKind.STATION, LayerKind.JURISDICTION),
}

# The record kind behind each selectable layer (the map's station layer shows org rows).
RECORD_KIND_OF_LAYER: dict[str, str] = {
    LayerKind.POLLING: K.POLLING_STATION.value, LayerKind.COUNTING: K.COUNTING_STATION.value,
    LayerKind.ROUTE: K.ROUTE.value, LayerKind.UNIT: K.UNIT.value, LayerKind.INCIDENT: K.INCIDENT.value,
    LayerKind.STATION: K.ORG.value,
}
LAYER_OF_RECORD_KIND: dict[str, str] = {v: k for k, v in RECORD_KIND_OF_LAYER.items()}


def _points(items: list[tuple[str, float, float, str, str]]) -> PointSet:
    return PointSet.from_records(items) if items else PointSet.empty()


def polling_points(rows: Iterable[Any]) -> PointSet:
    items = []
    for r in rows:
        d = r.data
        shortfall = max(0, int(d.get("officers_planned", 2)) - int(d.get("officers_assigned", 0)))
        state = polling_state(bool(d.get("open")), shortfall)
        kind = d.get("kind", "election_day")
        tip = f"{d.get('name', '')}\n{d.get('district', '')} {d.get('town', '')}".strip()
        tip += "\n" + _officers(int(d.get("officers_assigned", 0)), int(d.get("officers_planned", 2)))
        items.append((r.id, float(d["lat"]), float(d["lon"]), f"{kind}:{state}", tip))
    return _points(items)


def counting_points(rows: Iterable[Any]) -> PointSet:
    items = []
    for r in rows:
        d = r.data
        short = int(d.get("officers_assigned", 0)) < int(d.get("officers_planned", 30))
        tip = f"{d.get('name', '')}\n" + _officers(int(d.get("officers_assigned", 0)),
                                                     int(d.get("officers_planned", 30)))
        items.append((r.id, float(d["lat"]), float(d["lon"]), "understaffed" if short else "staffed", tip))
    return _points(items)


def station_points(rows: Iterable[Any]) -> PointSet:
    items = []
    for r in rows:
        d = r.data
        if d.get("level") != OrgLevel.STATION.value or d.get("lat") is None or d.get("lon") is None:
            continue
        items.append((r.id, float(d["lat"]), float(d["lon"]), "station",
                      f"{d.get('name_ko', '')} ({d.get('code', '')})"))
    return _points(items)


def jurisdictions(rows: Iterable[Any], geography: BaseGeography | None = None) -> list[Jurisdiction]:
    """Station jurisdictions; with `geography`, their outlines too (the slow part, kept here on
    the worker)."""
    out = [Jurisdiction(r.id, str(r.data.get("name_ko", r.id)),
                        [str(c) for c in r.data.get("jurisdiction") or []])
           for r in rows
           if r.data.get("level") == OrgLevel.STATION.value and r.data.get("jurisdiction")]
    if geography is not None:
        for j in out:
            j.outline = geography.district_outline(j.district_codes)
    return out


def unit_points(rows: Iterable[Any]) -> PointSet:
    items = []
    for r in rows:
        d = r.data
        if d.get("lat") is None or d.get("lon") is None:
            continue
        tip = (f"{d.get('callsign', '')} · {label_of(UnitType, d.get('type'))}\n"
               f"{label_of(UnitStatus, d.get('status'))}")
        items.append((r.id, float(d["lat"]), float(d["lon"]), f"{d.get('type')}:{d.get('status')}", tip))
    return _points(items)


def incident_points(rows: Iterable[Any]) -> PointSet:
    items = []
    for r in rows:
        d = r.data
        code = int(d.get("code", 4))
        is_open = d.get("status") in {s.value for s in OPEN_STATUSES}
        place = d.get("place") or f"{d.get('district', '')} {d.get('town', '')}".strip()
        tip = (f"{label(PriorityCode(code))} · {label_of(IncidentCategory, d.get('category'))}\n"
               f"{incident_title(d)}\n{place}\n{label_of(IncidentStatus, d.get('status'))}")
        style = f"{code}:{'open' if is_open else 'closed'}"
        items.append((r.id, float(d["lat"]), float(d["lon"]), style, tip))
    return _points(items)


def route_set(routes: Sequence[Any], polling: Sequence[Any], counting: Sequence[Any],
              now: datetime) -> RouteSet:
    """Routes whose both ends are known; the display state (late included) as of `now`."""
    ps = {r.id: r.data for r in polling}
    cs = {r.id: r.data for r in counting}
    ids, flon, flat, tlon, tlat, states, tips = [], [], [], [], [], [], []
    for r in routes:
        d = r.data
        a, b = ps.get(d.get("polling_station_id")), cs.get(d.get("counting_station_id"))
        if a is None or b is None:
            continue
        try:
            route: BallotRoute = from_stored(K.ROUTE, d)
            state = route.display_state(now)
        except Exception:  # a malformed row is drawn as waiting rather than breaking the layer
            state = RouteDisplayState.WAITING
        ids.append(r.id)
        flon.append(float(a["lon"]))
        flat.append(float(a["lat"]))
        tlon.append(float(b["lon"]))
        tlat.append(float(b["lat"]))
        states.append(state.value)
        tips.append(f"{a.get('name', '')} → {b.get('name', '')}\n{label(state)}")
    return RouteSet(ids, np.array(flon), np.array(flat), np.array(tlon), np.array(tlat), states, tips)


def _officers(assigned: int, planned: int) -> str:
    from console.ui.qt import QCoreApplication

    return QCoreApplication.translate("MapTooltip", "officers %1 of %2").replace(
        "%1", str(assigned)).replace("%2", str(planned))
