"""What every map layer is (a named group of render items, shown or hidden as one, with legend
lines and hits), and the line canvas the line layers draw into."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg

from console.geo.tiles import Bounds
from console.ui.map.style import ClusterStyle, MapPalette, PointStyle
from console.ui.qt import QtCore, QtGui, QtWidgets


@dataclass(frozen=True)
class LegendEntry:
    """One symbol in the legend: a point style, a line (colour, width), a cluster badge (its
    ClusterStyle and rank), a filled area (colour) or plain text; `tip` explains more than the line
    has room for."""

    text: str
    point: PointStyle | None = None
    line: tuple[str, float] | None = None
    badge: tuple[ClusterStyle, int] | None = None
    tip: str = ""
    area: str | None = None


@dataclass(frozen=True)
class Hit:
    kind: str
    id: str
    distance: float  # pixels from the symbol's edge (0 inside it)
    tooltip: str
    cluster: int | None = None  # a cluster badge of the layer (id is then ""), not one item


class MapLayer:
    """Base class: a named group of items that is shown or hidden as one."""

    z_base = 0.0

    def __init__(self, name: str, title: str) -> None:
        self.name = name
        self.title = title
        self.visible = True
        self.vb: pg.ViewBox | None = None
        self.canvas: LineCanvas | None = None  # where line layers draw (set before attach)
        self.theme = "dark"

    def attach(self, vb: pg.ViewBox) -> None:
        self.vb = vb

    def detach(self) -> None:
        for item in self.items():
            self._remove(item)
        self.vb = None

    def items(self) -> list[pg.GraphicsObject]:
        return []

    def set_visible(self, visible: bool) -> None:
        self.visible = visible
        self.refresh_visibility()

    def refresh_visibility(self) -> None:
        for item in self.items():
            item.setVisible(self.visible)

    def view_changed(self, view: Bounds, resolution: float) -> None:
        """The view moved; layers with levels of detail pick theirs here."""

    def apply_palette(self, palette: MapPalette) -> None:
        self.theme = palette.name

    def legend(self) -> list[LegendEntry]:
        return []

    def hit(self, x: float, y: float, resolution: float, tolerance_px: float) -> Hit | None:
        return None

    def bounds(self) -> Bounds | None:
        return None

    def _add(self, item: pg.GraphicsObject, z: float = 0.0) -> pg.GraphicsObject:
        item.setZValue(self.z_base + z)
        if isinstance(item, ThickCurve) and self.canvas is not None:
            self.canvas.add(item)
        elif self.vb is not None:
            self.vb.addItem(item, ignoreBounds=True)
        item.setVisible(self.visible)
        return item

    def _remove(self, item: pg.GraphicsObject) -> None:
        if isinstance(item, ThickCurve) and item.canvas is not None:
            item.canvas.remove(item)
        elif self.vb is not None:
            self.vb.removeItem(item)


class ThickCurve(pg.PlotCurveItem):  # type: ignore[misc]
    """A PlotCurveItem drawn thick by repeating a 1-pixel line at device-pixel offsets.

    Qt's raster engine draws 1-pixel cosmetic lines on a fast path; wider pens go through the
    general stroker, about five times slower for a boundary-sized path. Two or four 1-pixel
    passes look the same and cost far less. On a LineCanvas it is not a scene item: the canvas
    draws it, and any change to it (data, pen, visibility) redraws the canvas.
    """

    OFFSETS = {1: ((0, 0),), 2: ((0, 0), (1, 1)), 3: ((0, 0), (1, 0), (0, 1), (1, 1))}

    def __init__(self, *args: object, thickness: int = 1, **kwargs: object) -> None:
        self.thickness = thickness
        self._rect = QtCore.QRectF()
        self.canvas: LineCanvas | None = None
        super().__init__(*args, **kwargs)

    def update(self, *args: object) -> None:
        if self.canvas is not None:
            self.canvas.changed()
        else:
            super().update(*args)

    def setVisible(self, visible: bool) -> None:
        if visible != self.isVisible() and self.canvas is not None:
            self.canvas.changed()
        super().setVisible(visible)

    def updateData(self, *args: object, **kwargs: object) -> None:
        super().updateData(*args, **kwargs)
        x, y = self.xData, self.yData
        self.prepareGeometryChange()
        if x is None or not len(x):
            self._rect = QtCore.QRectF()
        else:
            x0, x1, y0, y1 = float(np.min(x)), float(np.max(x)), float(np.min(y)), float(np.max(y))
            self._rect = QtCore.QRectF(x0, y0, (x1 - x0) or 1.0, (y1 - y0) or 1.0)

    # PlotCurveItem recomputes its bounds (a min/max over every vertex) after each view change,
    # for hidden curves too; a map's chunks have fixed data bounds, computed once in updateData.
    def boundingRect(self) -> QtCore.QRectF:
        return self._rect

    def viewTransformChanged(self) -> None:
        pass

    def bounds_in(self, view: QtCore.QRectF) -> bool:
        return self._rect.intersects(view)

    def paint(self, p: QtGui.QPainter, *args: object) -> None:
        # a lean paint: the cached path with a 1-pixel pen (PlotCurveItem.paint's fill, GL and
        # export branches cost more than the drawing for the small chunks a map is cut into)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, bool(self.opts["antialias"]))
        self.draw(p)

    def draw(self, p: QtGui.QPainter) -> None:
        """The lines, with the painter's render hints as they are."""
        if self.xData is None or len(self.xData) == 0:
            return
        path = self.path if self.path is not None else self.getPath()
        p.setPen(self.opts["pen"])
        base = p.transform()
        for dx, dy in self.OFFSETS.get(self.thickness, ((0, 0),)):
            if dx or dy:
                p.setTransform(base * QtGui.QTransform.fromTranslate(dx, dy))
            p.drawPath(path)
        p.setTransform(base)


class LineCanvas(pg.GraphicsObject):  # type: ignore[misc]
    """Every static line of the map (boundaries, jurisdictions, routes) in one scene item.

    A pan or zoom draws the lines straight into the view. A repaint of part of a view that has not
    moved (an urgent incident's pulsing ring, a changed marker) draws them once into a pixmap of
    the view and from then on copies the exposed part from it: the pulses every 120 ms repainted
    every route and boundary of a national HQ's view, 20-100 ms each under load.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self._curves: list[ThickCurve] = []
        self._sorted = True
        self._visible: list[ThickCurve] | None = None
        self._cache: QtGui.QPixmap | None = None
        self._cache_key: tuple[object, ...] | None = None
        self.cache_builds = 0  # how often the lines were drawn into the pixmap (for tests)

    def add(self, curve: ThickCurve) -> None:
        curve.canvas = self
        self._curves.append(curve)
        self._sorted = False
        self.changed()

    def remove(self, curve: ThickCurve) -> None:
        if curve in self._curves:
            self._curves.remove(curve)
        curve.canvas = None
        self.changed()

    def curves(self) -> list[ThickCurve]:
        return list(self._curves)

    def changed(self) -> None:
        self._cache = None
        self._visible = None
        self.update()

    def viewTransformChanged(self) -> None:
        self._cache = None
        self.prepareGeometryChange()

    def boundingRect(self) -> QtCore.QRectF:
        vb = self.getViewBox()
        if vb is None:
            return QtCore.QRectF()
        return vb.viewRect()  # type: ignore[no-any-return]

    def _draw(self, p: QtGui.QPainter, view: QtCore.QRectF) -> None:
        # the visible curves in z order, kept until one is added, removed, shown or hidden: a frame
        # walks the ~20 drawn, not the hundreds made (hidden chunks and cells are kept for later)
        if self._visible is None:
            if not self._sorted:
                self._curves.sort(key=lambda c: c.zValue())
                self._sorted = True
            self._visible = [c for c in self._curves if c.isVisible()]
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        for curve in self._visible:
            if curve.bounds_in(view):
                curve.draw(p)

    def paint(self, p: QtGui.QPainter, option: QtWidgets.QStyleOptionGraphicsItem, *_args: object) -> None:
        device = p.device()
        view = self.boundingRect()
        if device is None or view.isNull():
            return
        t = p.worldTransform()
        key = (id(device), device.width(), device.height(), t.m11(), t.m12(), t.m21(), t.m22(),
               t.dx(), t.dy())
        if self._cache is not None and self._cache_key == key:
            self._blit(p)
            return
        exposed = option.exposedRect if option is not None else view
        if exposed.contains(view.adjusted(1e-6, 1e-6, -1e-6, -1e-6)) or isinstance(device, QtGui.QImage):
            self._draw(p, view)  # a new view, drawn whole: straight in
            return
        dpr = device.devicePixelRatioF()
        pix = QtGui.QPixmap(max(1, round(device.width() * dpr)), max(1, round(device.height() * dpr)))
        pix.setDevicePixelRatio(dpr)
        pix.fill(QtCore.Qt.GlobalColor.transparent)
        q = QtGui.QPainter(pix)
        q.setWorldTransform(t)
        self._draw(q, view)
        q.end()
        self._cache, self._cache_key = pix, key
        self.cache_builds += 1
        self._blit(p)

    def _blit(self, p: QtGui.QPainter) -> None:
        assert self._cache is not None
        p.save()
        p.resetTransform()
        p.drawPixmap(0, 0, self._cache)
        p.restore()
