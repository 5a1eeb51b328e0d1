"""The map's layers, by family (one import place for the panel, tests and benchmarks)."""

from __future__ import annotations

from console.ui.map.file_layers import AlertLayer, OverlayLayer, TileLayer
from console.ui.map.layer_base import Hit, LegendEntry, LineCanvas, MapLayer, ThickCurve
from console.ui.map.line_layers import WAITING_ROUTE_ALPHA, BoundaryLayer, JurisdictionLayer, RouteLayer
from console.ui.map.point_kinds import IncidentLayer, PollingLayer, UnitLayer
from console.ui.map.point_layer import CLUSTER_ABOVE, URGENT_Z, PointLayer

__all__ = ["CLUSTER_ABOVE", "URGENT_Z", "WAITING_ROUTE_ALPHA", "AlertLayer", "BoundaryLayer", "Hit",
           "IncidentLayer", "JurisdictionLayer", "LegendEntry", "LineCanvas", "MapLayer", "OverlayLayer",
           "PointLayer", "PollingLayer", "RouteLayer", "ThickCurve", "TileLayer", "UnitLayer"]
