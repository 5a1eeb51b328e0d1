"""Plain data the map draws: points, routes and jurisdictions as arrays and lists, no records, no Qt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from console.geo.mercator import FloatArray, to_mercator
from console.geo.paths import LinePath


class LayerKind:
    """Names of the operational layers (also the `kind` in item_selected(kind, id))."""

    POLLING = "polling_station"
    COUNTING = "counting_station"
    STATION = "station"
    ROUTE = "route"
    UNIT = "unit"
    INCIDENT = "incident"
    JURISDICTION = "jurisdiction"
    ALERTS = "external_alerts"  # outside agencies' CAP alerts in force


@dataclass
class PointSet:
    """Points of one layer. `styles[i]` is a key of that layer's style table."""

    ids: list[str]
    lon: FloatArray
    lat: FloatArray
    styles: list[str]
    tooltips: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)  # province code per point, where known

    def __post_init__(self) -> None:
        self.lon = np.asarray(self.lon, dtype=np.float64)
        self.lat = np.asarray(self.lat, dtype=np.float64)
        n = len(self.ids)
        if not (len(self.lon) == len(self.lat) == len(self.styles) == n):
            raise ValueError("ids, lon, lat and styles must have the same length")
        if self.tooltips and len(self.tooltips) != n:
            raise ValueError("tooltips must be empty or one per point")
        if self.regions and len(self.regions) != n:
            raise ValueError("regions must be empty or one per point")

    @classmethod
    def empty(cls) -> PointSet:
        return cls([], np.empty(0), np.empty(0), [])

    @classmethod
    def from_records(cls, records: Sequence[tuple[str, float, float, str, str]]) -> PointSet:
        """From (id, lat, lon, style, tooltip) tuples."""
        return cls([r[0] for r in records], np.array([r[2] for r in records], dtype=np.float64),
                   np.array([r[1] for r in records], dtype=np.float64), [r[3] for r in records],
                   [r[4] for r in records])

    def mercator(self) -> tuple[FloatArray, FloatArray]:
        return to_mercator(self.lon, self.lat)


@dataclass
class RouteSet:
    """Ballot-box routes as straight lines from polling station to counting station."""

    ids: list[str]
    from_lon: FloatArray
    from_lat: FloatArray
    to_lon: FloatArray
    to_lat: FloatArray
    states: list[str]  # RouteDisplayState values
    tooltips: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for name in ("from_lon", "from_lat", "to_lon", "to_lat"):
            setattr(self, name, np.asarray(getattr(self, name), dtype=np.float64))
        if not (len(self.ids) == len(self.from_lon) == len(self.to_lat) == len(self.states)):
            raise ValueError("route arrays must have the same length")

    @classmethod
    def empty(cls) -> RouteSet:
        e = np.empty(0)
        return cls([], e, e, e, e, [])


@dataclass
class Jurisdiction:
    """A police station's area: the 시군구 codes it covers. `outline` may be computed ahead (on a
    worker: merging districts takes ~10 ms each); the map computes it otherwise."""

    id: str
    name: str
    district_codes: list[str]
    outline: LinePath | None = None
