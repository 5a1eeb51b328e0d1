"""Reads of the map's layers from the replica, run on the database worker (no widgets here):
plain data for the map, worded by console.ui.map.rows; changed rows read in one bulk read."""

from __future__ import annotations

from typing import Any

from console.domain.records import RecordKind
from console.geo.boundaries import BaseGeography
from console.ui.map import rows as maprows
from console.ui.map.data import LayerKind
from console.views.external_alerts import external_alert_areas
from console.views.map_rows import RouteEnd, route_ends, route_ends_moved
from console.views.replica_reads import rows_by_ids

K = RecordKind


def layer_reader(layer: str, replica: Any, now: Any, ids: set[str] | None, *, late: Any,
                 drawn_ends: dict[RecordKind, dict[str, RouteEnd]] | None,
                 geography: BaseGeography | None) -> Any:
    """The work (for the database worker) that reads one map layer, or `ids` of it, from the
    replica: (data, ids gone) for points; routes only if a changed site moved a route's end
    (`drawn_ends`: the sites the routes shown were drawn from). None: nothing to read yet."""
    kind = maprows.RECORD_KIND_OF_LAYER.get(layer)
    builders = {LayerKind.POLLING: lambda rows: maprows.polling_points(rows, now),
                LayerKind.COUNTING: lambda rows: maprows.counting_points(rows, now),
                LayerKind.STATION: maprows.station_points, LayerKind.UNIT: maprows.unit_points,
                LayerKind.INCIDENT: maprows.incident_points}
    if layer in builders and kind is not None:
        build = builders[layer]
        if ids is not None:
            def partial() -> tuple[Any, list[str]]:
                # One bulk read: a row at a time (two queries each) took 25 ms for 300 sites
                # idle (2.5 ms so), holding the interpreter lock the GUI thread waits for.
                found = rows_by_ids(replica, K(kind), ids)
                return build([r for r in found.values() if r is not None]), [i for i, r in found.items()
                                                                             if r is None]
            return partial
        return lambda: (build(replica.rows(K(kind))), None)
    if layer == LayerKind.ROUTE:
        threshold = late
        known = drawn_ends

        def routes() -> tuple[Any, None]:
            if known is not None and not _sites_moved(replica, known, ids or set()):
                return None, None  # the changed sites left every route line as it was
            polling, counting = replica.rows(K.POLLING_STATION), replica.rows(K.COUNTING_STATION)
            ends = {K.POLLING_STATION: route_ends(polling), K.COUNTING_STATION: route_ends(counting)}
            lines = maprows.route_set(replica.rows(K.ROUTE), polling, counting, now, threshold)
            return (lines, ends), None
        return routes
    if layer == LayerKind.ALERTS:
        return lambda: (external_alert_areas(replica, now), None)
    if layer == LayerKind.JURISDICTION:
        geo = geography
        if geo is None:
            return None  # outlines need the base geography; read again once it is loaded
        return lambda: (maprows.jurisdictions(replica.rows(K.ORG), geo), None)
    return None


def _sites_moved(replica: Any, known: dict[RecordKind, dict[str, RouteEnd]], keys: set[str]) -> bool:
    """Whether the sites named "<kind>:<id>" changed a route line drawn from `known` (worker)."""
    by_kind: dict[RecordKind, set[str]] = {}
    for key in keys:
        kind, _, id = key.partition(":")
        by_kind.setdefault(K(kind), set()).add(id)
    return any(route_ends_moved(known.get(kind, {}), rows_by_ids(replica, kind, ids))
               for kind, ids in by_kind.items())
