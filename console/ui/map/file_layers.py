"""Layers from files and feeds: a raster base map, a GeoJSON overlay, and the external (CAP)
alerts' areas."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from console.geo.geojson import GeoJSONOverlay
from console.geo.mercator import to_mercator
from console.geo.tiles import Bounds
from console.ui.map.layer_base import Hit, LegendEntry, MapLayer
from console.ui.map.style import MapPalette
from console.ui.qt import QtCore, QtGui
from console.views.external_alerts import SEVERITY_RANK, AlertArea


class TileLayer(MapLayer):
    """A raster tile source (MBTiles or URL) under everything else."""

    z_base = -100.0

    def __init__(self, name: str, title: str, mosaic: pg.GraphicsObject) -> None:
        super().__init__(name, title)
        self.mosaic = mosaic

    def attach(self, vb: pg.ViewBox) -> None:
        super().attach(vb)
        self._add(self.mosaic)

    def items(self) -> list[pg.GraphicsObject]:
        return [self.mosaic]

    def view_changed(self, view: Bounds, resolution: float) -> None:
        if self.visible:
            self.mosaic.set_view(view, resolution)

    def set_visible(self, visible: bool) -> None:
        super().set_visible(visible)

    @property
    def attribution(self) -> str:
        return str(self.mosaic.source.attribution)

    def detach(self) -> None:
        self.mosaic.close()
        super().detach()

    def legend(self) -> list[LegendEntry]:
        text = self.attribution
        return [LegendEntry(text)] if text else []


class OverlayLayer(MapLayer):
    """A GeoJSON file: its lines and polygon outlines, and its points."""

    z_base = 0.0

    def __init__(self, name: str, title: str, overlay: GeoJSONOverlay) -> None:
        super().__init__(name, title)
        self.overlay = overlay
        self._colour = "#c77dff"
        self._curve: pg.PlotCurveItem | None = None
        self._points: pg.ScatterPlotItem | None = None
        self._px, self._py, self._owners = overlay.point_arrays()

    def attach(self, vb: pg.ViewBox) -> None:
        super().attach(vb)
        path = self.overlay.line_path()
        self._curve = self._add(pg.PlotCurveItem(x=path.x, y=path.y, connect=path.connect,
                                                 pen=pg.mkPen(self._colour, width=2), skipFiniteCheck=True))
        self._points = self._add(pg.ScatterPlotItem(x=self._px, y=self._py, symbol="d", size=10,
                                                    brush=pg.mkBrush(self._colour),
                                                    pen=pg.mkPen("#000000")), 1)

    def items(self) -> list[pg.GraphicsObject]:
        return [i for i in (self._curve, self._points) if i is not None]

    def apply_palette(self, palette: MapPalette) -> None:
        super().apply_palette(palette)
        self._colour = palette.overlay
        if self._curve is not None and self._points is not None:
            self._curve.setPen(pg.mkPen(self._colour, width=2))
            self._points.setBrush(pg.mkBrush(self._colour))

    def bounds(self) -> Bounds | None:
        b = self.overlay.bounds()
        return Bounds(*b) if b else None

    def hit(self, x: float, y: float, resolution: float, tolerance_px: float) -> Hit | None:
        if not self.visible or not len(self._px):
            return None
        d = np.maximum(0.0, np.hypot(self._px - x, self._py - y) / resolution - 5)
        i = int(np.argmin(d))
        if d[i] > tolerance_px:
            return None
        feature = self.overlay.features[self._owners[i]]
        tip = feature.label or ", ".join(f"{k}: {v}" for k, v in list(feature.properties.items())[:6])
        return Hit(self.name, str(feature.index), float(d[i]), tip)

    def legend(self) -> list[LegendEntry]:
        return [LegendEntry(f"{self.overlay.name} ({len(self.overlay.features)})", line=(self._colour, 2))]


# Fill per CAP severity (worst first), translucent: the map under an alert stays readable.
ALERT_COLOURS: dict[str, str] = {"Extreme": "#e03131", "Severe": "#f76707", "Moderate": "#f59f00",
                                 "Minor": "#1c7ed6", "Unknown": "#868e96"}
ALERT_FILL_ALPHA = 55


class AlertAreasItem(pg.GraphicsObject):  # type: ignore[misc]
    """Filled polygons, each with its own colour, in one item."""

    def __init__(self) -> None:
        super().__init__()
        self.areas: list[tuple[QtGui.QPainterPath, str]] = []
        self._rect = QtCore.QRectF()

    def set_areas(self, areas: list[tuple[QtGui.QPainterPath, str]]) -> None:
        self.prepareGeometryChange()
        self.areas = areas
        rect = QtCore.QRectF()
        for path, _c in areas:
            rect = rect.united(path.boundingRect())
        self._rect = rect
        self.update()

    def boundingRect(self) -> QtCore.QRectF:
        return self._rect

    def paint(self, p: QtGui.QPainter, *_args: object) -> None:
        for path, colour in self.areas:
            fill = QtGui.QColor(colour)
            fill.setAlpha(ALERT_FILL_ALPHA)
            edge = QtGui.QColor(colour)
            edge.setAlpha(220)
            pen = QtGui.QPen(edge, 2.0)
            pen.setCosmetic(True)
            p.setPen(pen)
            p.setBrush(fill)
            p.drawPath(path)


class AlertLayer(MapLayer):
    """External alerts (CAP) in force: each alert's polygons filled by its severity. The map adds
    it while there are alerts and removes it when none is left (no empty line in the legend)."""

    z_base = -10.0

    def __init__(self, name: str, title: str) -> None:
        super().__init__(name, title)
        self.item = AlertAreasItem()
        self.alerts: list[AlertArea] = []
        self._paths: list[QtGui.QPainterPath] = []
        self._order: list[AlertArea] = []

    def attach(self, vb: pg.ViewBox) -> None:
        super().attach(vb)
        self._add(self.item)

    def items(self) -> list[pg.GraphicsObject]:
        return [self.item]

    def set_alerts(self, alerts: list[AlertArea]) -> None:
        self.alerts = list(alerts)
        self._paths = []
        areas = []
        # the worst drawn last, on top
        for alert in sorted(self.alerts, key=lambda a: SEVERITY_RANK.get(a.severity, 0)):
            path = QtGui.QPainterPath()
            path.setFillRule(QtCore.Qt.FillRule.WindingFill)
            for ring in alert.polygons:
                if len(ring) < 3:
                    continue
                x, y = to_mercator(np.array([p[0] for p in ring]), np.array([p[1] for p in ring]))
                points = [QtCore.QPointF(float(a), float(b)) for a, b in zip(x, y, strict=True)]
                path.addPolygon(QtGui.QPolygonF(points))
                path.closeSubpath()
            areas.append((path, ALERT_COLOURS.get(alert.severity, ALERT_COLOURS["Unknown"])))
            self._paths.append(path)
        self._order = sorted(self.alerts, key=lambda a: SEVERITY_RANK.get(a.severity, 0))
        self.item.set_areas(areas)

    def bounds(self) -> Bounds | None:
        rect = self.item.boundingRect()
        if rect.isNull():
            return None
        return Bounds(rect.left(), rect.top(), rect.right(), rect.bottom())

    def hit(self, x: float, y: float, resolution: float, tolerance_px: float) -> Hit | None:
        if not self.visible:
            return None
        for alert, path in zip(reversed(self._order), reversed(self._paths), strict=True):
            if path.contains(QtCore.QPointF(x, y)):
                return Hit(self.name, alert.id, tolerance_px, f"{alert.severity}: {alert.headline}")
        return None

    def legend(self) -> list[LegendEntry]:
        present = {a.severity for a in self.alerts}
        names = {"Extreme": QtCore.QCoreApplication.translate("MapLegend", "Extreme"),
                 "Severe": QtCore.QCoreApplication.translate("MapLegend", "Severe"),
                 "Moderate": QtCore.QCoreApplication.translate("MapLegend", "Moderate"),
                 "Minor": QtCore.QCoreApplication.translate("MapLegend", "Minor"),
                 "Unknown": QtCore.QCoreApplication.translate("MapLegend", "Severity unknown")}
        tip = QtCore.QCoreApplication.translate(
            "MapLegend", "An outside agency's alert (CAP) in force over this area")
        return [LegendEntry(names[s], area=ALERT_COLOURS[s], tip=tip) for s in ALERT_COLOURS if s in present]
