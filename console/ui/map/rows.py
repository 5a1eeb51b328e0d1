"""Replica rows -> the map's plain data (runs on the database worker: no widgets here). The figures,
states and places come from the read model `console.views.map_rows`; this module only words the
tooltips in the console's language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from console.domain.election import DEFAULT_LATE_THRESHOLD
from console.domain.incidents import IncidentCategory, IncidentStatus, PriorityCode
from console.domain.org import OrgLevel
from console.domain.records import RecordKind
from console.domain.units import UnitStatus, UnitType
from console.geo.boundaries import BaseGeography
from console.ui.i18n import is_korean
from console.ui.labels import incident_title, label, label_of
from console.ui.map.data import Jurisdiction, LayerKind, PointSet, RouteSet
from console.views import map_rows as views
from console.views.map_rollup import provinces_of

K = RecordKind

# Which map layers a change of each record kind touches.
LAYERS_OF_KIND: dict[RecordKind, tuple[str, ...]] = {
    K.POLLING_STATION: (LayerKind.POLLING, LayerKind.ROUTE),
    K.COUNTING_STATION: (LayerKind.COUNTING, LayerKind.ROUTE),
    K.ROUTE: (LayerKind.ROUTE,),
    K.UNIT: (LayerKind.UNIT,),
    K.INCIDENT: (LayerKind.INCIDENT,),
    K.ORG: (LayerKind.STATION, LayerKind.JURISDICTION),
    K.EXTERNAL_ALERT: (LayerKind.ALERTS,),
}

# The record kind behind each selectable layer (the map's station layer shows org rows).
RECORD_KIND_OF_LAYER: dict[str, str] = {
    LayerKind.POLLING: K.POLLING_STATION.value, LayerKind.COUNTING: K.COUNTING_STATION.value,
    LayerKind.ROUTE: K.ROUTE.value, LayerKind.UNIT: K.UNIT.value, LayerKind.INCIDENT: K.INCIDENT.value,
    LayerKind.STATION: K.ORG.value,
}
LAYER_OF_RECORD_KIND: dict[str, str] = {v: k for k, v in RECORD_KIND_OF_LAYER.items()}


def _points(items: list[tuple[str, float, float, str, str]], regions: bool = False) -> PointSet:
    """With `regions`, each point's province too (the national map's roll-ups)."""
    if not items:
        return PointSet.empty()
    points = PointSet.from_records(items)
    if regions:
        points.regions = provinces_of(points.lon, points.lat)
    return points


def polling_points(rows: Iterable[Any], now: datetime | None = None) -> PointSet:
    """Polling and early-voting stations at `now` (without it: each operates while open)."""
    items = []
    for s in views.polling_points(rows, now):
        tip = f"{s.name}\n{s.district} {s.town}".strip() + "\n" + _officers(s)
        items.append((s.id, s.lat, s.lon, s.style, tip))
    return _points(items, regions=True)


def counting_points(rows: Iterable[Any], now: datetime | None = None) -> PointSet:
    """Counting stations at `now` (without it: each operates)."""
    sites = views.counting_points(rows, now)
    return _points([(s.id, s.lat, s.lon, s.style, f"{s.name}\n" + _officers(s)) for s in sites])


def station_points(rows: Iterable[Any]) -> PointSet:
    korean = is_korean()
    return _points([(s.id, s.lat, s.lon, "station", f"{s.name_ko if korean else s.name_en} ({s.code})")
                    for s in views.station_points(rows)])


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
    return _points([(u.id, u.lat, u.lon, u.style,
                     f"{u.callsign} · {label_of(UnitType, u.type)}\n{label_of(UnitStatus, u.status)}")
                    for u in views.unit_points(rows)])


def incident_points(rows: Iterable[Any]) -> PointSet:
    items = []
    for p in views.incident_points(rows):
        d = p.data
        tip = (f"{label(PriorityCode(p.code))} · {label_of(IncidentCategory, d.get('category'))}\n"
               f"{incident_title(d)}\n{p.place}\n{label_of(IncidentStatus, d.get('status'))}")
        items.append((p.id, p.lat, p.lon, p.style, tip))
    return _points(items, regions=True)


def route_set(routes: Sequence[Any], polling: Sequence[Any], counting: Sequence[Any],
              now: datetime, threshold: timedelta = DEFAULT_LATE_THRESHOLD) -> RouteSet:
    """Routes whose both ends are known; the display state (late by the user's `threshold`) at `now`."""
    lines = views.route_lines(routes, polling, counting, now, threshold)
    tips = [f"{a} → {b}\n{label(s)}" for a, b, s in zip(lines.polling_names, lines.counting_names,
                                                          lines.states, strict=True)]
    return RouteSet(lines.ids, lines.from_lon, lines.from_lat, lines.to_lon, lines.to_lat,
                    [s.value for s in lines.states], tips)


def _officers(site: views.SitePoint) -> str:
    from console.ui.qt import QCoreApplication

    text = QCoreApplication.translate("MapTooltip", "officers %1 of %2").replace(
        "%1", str(site.assigned)).replace("%2", str(site.planned))
    if not site.operating:
        text += "\n" + QCoreApplication.translate("MapTooltip", "not in use today")
    return text
