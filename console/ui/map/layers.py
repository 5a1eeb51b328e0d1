"""Map layers: each owns its pyqtgraph items, can be switched off, and describes its symbols."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import renderSymbol

from console.geo.boundaries import BaseGeography, BoundaryLevel
from console.geo.geojson import GeoJSONOverlay
from console.geo.mercator import FloatArray, to_mercator
from console.geo.paths import LinePath, segments, split_by_grid
from console.geo.tiles import Bounds
from console.ui.map.data import Jurisdiction, PointSet, RouteSet
from console.ui.map.items import HaloItem, StyledScatterItem
from console.ui.map.style import LineStyle, MapPalette, PointStyle
from console.ui.qt import QtCore, QtGui


@dataclass(frozen=True)
class LegendEntry:
    """One symbol in the legend: a point style, a line (colour, width) or plain text."""

    text: str
    point: PointStyle | None = None
    line: tuple[str, float] | None = None


@dataclass(frozen=True)
class Hit:
    kind: str
    id: str
    distance: float  # pixels from the symbol's edge (0 inside it)
    tooltip: str


class MapLayer:
    """Base class: a named group of items that is shown or hidden as one."""

    z_base = 0.0

    def __init__(self, name: str, title: str) -> None:
        self.name = name
        self.title = title
        self.visible = True
        self.vb: pg.ViewBox | None = None
        self.theme = "dark"

    def attach(self, vb: pg.ViewBox) -> None:
        self.vb = vb

    def detach(self) -> None:
        if self.vb is not None:
            for item in self.items():
                self.vb.removeItem(item)
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
        if self.vb is not None:
            self.vb.addItem(item, ignoreBounds=True)
        item.setVisible(self.visible)
        return item


class ThickCurve(pg.PlotCurveItem):  # type: ignore[misc]
    """A PlotCurveItem drawn thick by repeating a 1-pixel line at device-pixel offsets.

    Qt's raster engine draws 1-pixel cosmetic lines on a fast path; wider pens go through the
    general stroker, about five times slower for a boundary-sized path. Two or four 1-pixel
    passes look the same and cost far less.
    """

    OFFSETS = {1: ((0, 0),), 2: ((0, 0), (1, 1)), 3: ((0, 0), (1, 0), (0, 1), (1, 1))}

    def __init__(self, *args: object, thickness: int = 1, **kwargs: object) -> None:
        self.thickness = thickness
        self._rect = QtCore.QRectF()
        super().__init__(*args, **kwargs)

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

    def paint(self, p: QtGui.QPainter, *args: object) -> None:
        # a lean paint: the cached path with a 1-pixel pen (PlotCurveItem.paint's fill, GL and
        # export branches cost more than the drawing for the small chunks a map is cut into)
        if self.xData is None or len(self.xData) == 0:
            return
        path = self.getPath()
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, bool(self.opts["antialias"]))
        p.setPen(self.opts["pen"])
        base = p.transform()
        for dx, dy in self.OFFSETS.get(self.thickness, ((0, 0),)):
            if dx or dy:
                p.setTransform(base * QtGui.QTransform.fromTranslate(dx, dy))
            p.drawPath(path)
        p.setTransform(base)


def _curve(path: LinePath, pen: QtGui.QPen, thickness: int = 1) -> pg.PlotCurveItem:
    return ThickCurve(x=path.x, y=path.y, connect=path.connect, pen=pen, antialias=False,
                      skipFiniteCheck=True, thickness=thickness)


class BoundaryLayer(MapLayer):
    """Province, district and town outlines; the level of detail follows the zoom, and only the
    chunks (provinces) that touch the view are drawn."""

    z_base = -50.0
    THICKNESS = {BoundaryLevel.PROVINCE: 1, BoundaryLevel.DISTRICT: 1, BoundaryLevel.TOWN: 1}
    MAX_CURVES = 600

    def __init__(self, name: str, title: str, geography: BaseGeography,
                 level_titles: Mapping[BoundaryLevel, str]) -> None:
        super().__init__(name, title)
        self.geo = geography
        self.level_titles = dict(level_titles)
        self._curves: dict[tuple[BoundaryLevel, int, int], pg.PlotCurveItem] = {}
        self._shown: set[tuple[BoundaryLevel, int, int]] = set()
        self._on: set[tuple[BoundaryLevel, int, int]] = set()  # curves now visible
        self._pens: dict[BoundaryLevel, QtGui.QPen] = {}
        self.current_lod: dict[BoundaryLevel, int | None] = dict.fromkeys(BoundaryLevel)
        self._palette: MapPalette | None = None

    def items(self) -> list[pg.GraphicsObject]:
        return list(self._curves.values())

    def refresh_visibility(self) -> None:
        want = self._shown if self.visible else set()
        for key in self._on - want:  # only the changes: a view change touches few chunks
            curve = self._curves.get(key)
            if curve is not None:
                curve.setVisible(False)
        for key in want - self._on:
            self._curves[key].setVisible(True)
        self._on = set(want)

    def apply_palette(self, palette: MapPalette) -> None:
        super().apply_palette(palette)
        self._palette = palette
        colours = {BoundaryLevel.PROVINCE: palette.province, BoundaryLevel.DISTRICT: palette.district,
                   BoundaryLevel.TOWN: palette.town}
        for level, colour in colours.items():
            self._pens[level] = pg.mkPen(colour, width=1)
        for (level, _lod, _i), curve in self._curves.items():
            curve.setPen(self._pens[level])

    def view_changed(self, view: Bounds, resolution: float) -> None:
        shown: set[tuple[BoundaryLevel, int, int]] = set()
        for level in BoundaryLevel:
            if not self.geo.shown_at(level, resolution):
                self.current_lod[level] = None
                continue
            lod = self.geo.lod_for(level, resolution)
            self.current_lod[level] = lod
            chunks = self.geo.chunks(level, lod)
            for i, chunk in enumerate(chunks):
                b = chunk.bounds
                if b.xmax < view.xmin or b.xmin > view.xmax or b.ymax < view.ymin or b.ymin > view.ymax:
                    continue
                key = (level, lod, i)
                shown.add(key)
                if key not in self._curves:
                    z = {BoundaryLevel.PROVINCE: 2, BoundaryLevel.DISTRICT: 1, BoundaryLevel.TOWN: 0}[level]
                    # provinces read as the main divisions: doubled where their lines are few
                    thick = 2 if level == BoundaryLevel.PROVINCE and lod < 2 else self.THICKNESS[level]
                    self._curves[key] = self._add(_curve(chunk.path, self._pens[level], thick), z)
        self._shown = shown
        if len(self._curves) > self.MAX_CURVES:  # panned across the country: forget hidden cells
            for key in [k for k in self._curves if k not in shown]:
                curve = self._curves.pop(key)
                if self.vb is not None:
                    self.vb.removeItem(curve)
        self.refresh_visibility()

    def shown_vertices(self) -> int:
        return sum(len(self._curves[k].xData) for k in self._shown)

    def legend(self) -> list[LegendEntry]:
        if self._palette is None:
            return []
        colours = {BoundaryLevel.PROVINCE: self._palette.province,
                   BoundaryLevel.DISTRICT: self._palette.district, BoundaryLevel.TOWN: self._palette.town}
        return [LegendEntry(self.level_titles.get(lv, str(lv)), line=(colours[lv], self.THICKNESS[lv] + 0.5))
                for lv in BoundaryLevel]


class PointLayer(MapLayer):
    """Points of one kind; each point's look is a style key of the layer's style table."""

    z_base = 10.0

    def __init__(self, name: str, title: str, styles: Mapping[str, PointStyle], *,
                 z_base: float = 10.0) -> None:
        super().__init__(name, title)
        self.styles = dict(styles)
        self.z_base = z_base
        self._keys: list[str] = list(self.styles)
        self._key_index = {k: i for i, k in enumerate(self._keys)}
        self.ids: list[str] = []
        self._index: dict[str, int] = {}
        self.x: FloatArray = np.empty(0)
        self.y: FloatArray = np.empty(0)
        self.style_idx = np.empty(0, dtype=np.int64)
        self.tooltips: list[str] = []
        self.scatter = StyledScatterItem()
        self.halo: HaloItem | None = None

    @property
    def style_keys(self) -> list[str]:
        return [self._keys[i] for i in self.style_idx]

    def items(self) -> list[pg.GraphicsObject]:
        return [self.scatter] + ([self.halo] if self.halo is not None else [])

    def attach(self, vb: pg.ViewBox) -> None:
        super().attach(vb)
        self._add(self.scatter)
        if any(s.halo for s in self.styles.values()):
            self.halo = HaloItem()
            self._add(self.halo, 30)

    def _idx(self, key: str) -> int:
        i = self._key_index.get(key)
        if i is None:  # unknown state: shown plainly rather than dropped
            self.styles[key] = PointStyle(key, key, "o", 8, ("#adb5bd", "#495057"), ("#000000", "#000000"),
                                          translated=True)
            i = self._key_index[key] = len(self._keys)
            self._keys.append(key)
            self._render_symbols()
        return i

    def _render_symbols(self) -> None:
        images = []
        for key in self._keys:
            st = self.styles[key]
            images.append(renderSymbol(st.symbol, st.size, pg.mkPen(st.outline_for(self.theme),
                                                                    width=st.outline_width),
                                       pg.mkBrush(st.fill_for(self.theme))))
        self.scatter.set_styles(images, [self.styles[k].z for k in self._keys])

    def apply_palette(self, palette: MapPalette) -> None:
        super().apply_palette(palette)
        self._render_symbols()
        if self.halo is not None:
            self.halo.set_colour("#ff2020" if palette.name == "dark" else "#e00000")

    # -- data -------------------------------------------------------------------------------
    def set_points(self, points: PointSet) -> None:
        """Replace all points of this layer."""
        x, y = points.mercator()
        self.ids = list(points.ids)
        self._index = {id_: i for i, id_ in enumerate(self.ids)}
        self.x, self.y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        self.style_idx = np.array([self._idx(k) for k in points.styles], dtype=np.int64)
        self.tooltips = list(points.tooltips) if points.tooltips else [""] * len(self.ids)
        self._push()

    def upsert(self, points: PointSet) -> None:
        """Add or change some points (position, state, tooltip); the rest stay as they are."""
        x, y = points.mercator()
        new_x: list[float] = []
        new_y: list[float] = []
        new_s: list[int] = []
        for j, id_ in enumerate(points.ids):
            style = self._idx(points.styles[j])
            tip = points.tooltips[j] if points.tooltips else ""
            i = self._index.get(id_)
            if i is None:
                self._index[id_] = len(self.ids)
                self.ids.append(id_)
                self.tooltips.append(tip)
                new_x.append(float(x[j]))
                new_y.append(float(y[j]))
                new_s.append(style)
            else:
                self.style_idx[i] = style
                self.tooltips[i] = tip
                self.x[i], self.y[i] = x[j], y[j]
        if new_x:
            self.x = np.concatenate([self.x, new_x])
            self.y = np.concatenate([self.y, new_y])
            self.style_idx = np.concatenate([self.style_idx, np.array(new_s, dtype=np.int64)])
        self._push()

    def remove(self, ids: Iterable[str]) -> None:
        gone = {i for i in (self._index.get(id_) for id_ in ids) if i is not None}
        if not gone:
            return
        keep = np.ones(len(self.ids), dtype=bool)
        keep[list(gone)] = False
        self.ids = [id_ for i, id_ in enumerate(self.ids) if keep[i]]
        self.tooltips = [t for i, t in enumerate(self.tooltips) if keep[i]]
        self.x, self.y, self.style_idx = self.x[keep], self.y[keep], self.style_idx[keep]
        self._index = {id_: i for i, id_ in enumerate(self.ids)}
        self._push()

    def _push(self) -> None:
        self.scatter.set_points(self.x, self.y, self.style_idx)
        if self.halo is not None:
            urgent = np.array([self.styles[k].halo for k in self._keys], dtype=bool)
            sel = urgent[self.style_idx] if len(self.style_idx) else np.empty(0, dtype=bool)
            self.halo.set_points(self.x[sel], self.y[sel])

    def position(self, id_: str) -> tuple[float, float] | None:
        i = self._index.get(id_)
        return (float(self.x[i]), float(self.y[i])) if i is not None else None

    def style_of(self, id_: str) -> str | None:
        i = self._index.get(id_)
        return self._keys[self.style_idx[i]] if i is not None else None

    def count(self, style: str | None = None) -> int:
        if style is None:
            return len(self.ids)
        i = self._key_index.get(style)
        return 0 if i is None else int(np.count_nonzero(self.style_idx == i))

    def bounds(self) -> Bounds | None:
        if not len(self.x):
            return None
        return Bounds(float(self.x.min()), float(self.y.min()), float(self.x.max()), float(self.y.max()))

    def hit(self, x: float, y: float, resolution: float, tolerance_px: float) -> Hit | None:
        if not self.visible or not len(self.x):
            return None
        d = np.hypot(self.x - x, self.y - y) / resolution
        sizes = np.array([self.styles[k].size / 2 for k in self._keys])[self.style_idx]
        d = np.maximum(0.0, d - sizes)
        i = int(np.argmin(d))
        if d[i] > tolerance_px:
            return None
        return Hit(self.name, self.ids[i], float(d[i]), self.tooltips[i])

    def legend(self) -> list[LegendEntry]:
        styles = sorted(self.styles.values(), key=lambda s: -s.z)
        return [LegendEntry(s.legend_text(), point=s) for s in styles]


class RouteLayer(MapLayer):
    """Ballot-box routes: a straight line polling station -> counting station, coloured by state.

    Zoomed out, one curve per state; closer in, the routes of each state are cut into grid cells
    (by their polling-station end; coarser cells at middle zoom) and only the cells near the
    view are drawn. A cell's curve is made the first time it is needed.
    """

    z_base = 5.0
    # (finer than this many Mercator metres per pixel, cell side in metres)
    GRIDS = ((60.0, 40_000.0), (250.0, 160_000.0))

    def __init__(self, name: str, title: str, styles: Mapping[str, LineStyle]) -> None:
        super().__init__(name, title)
        self.styles = dict(styles)
        self.ids: list[str] = []
        self.states: list[str] = []
        self.tooltips: list[str] = []
        self._index: dict[str, int] = {}
        self.x0 = self.y0 = self.x1 = self.y1 = np.empty(0)
        self._curves: dict[str, pg.PlotCurveItem] = {}
        # per grid level, per state: cells of (bounds, path, curve once made)
        self._cells: list[dict[str, list[tuple[Bounds, LinePath, pg.PlotCurveItem | None]]]] = [
            {} for _ in self.GRIDS]
        self.grid: int | None = None  # the grid level in use, None: whole curves
        self._on: set[tuple[int, str, int]] = set()  # cells now visible: (grid, state, index)
        self._view: Bounds | None = None

    def items(self) -> list[pg.GraphicsObject]:
        return list(self._curves.values()) + [c for level in self._cells for cells in level.values()
                                              for _b, _p, c in cells if c is not None]

    def refresh_visibility(self) -> None:
        for curve in self._curves.values():
            curve.setVisible(self.visible and self.grid is None)
        v = self._view
        want: set[tuple[int, str, int]] = set()
        if self.visible and self.grid is not None and v is not None:
            for state, cells in self._cells[self.grid].items():
                for i, (b, path, curve) in enumerate(cells):
                    if b.xmax < v.xmin or b.xmin > v.xmax or b.ymax < v.ymin or b.ymin > v.ymax:
                        continue
                    want.add((self.grid, state, i))
                    if curve is None:  # made the first time it is needed
                        curve = self._new_curve(state)
                        curve.setData(x=path.x, y=path.y, connect=path.connect)
                        curve.setVisible(False)
                        cells[i] = (b, path, curve)
        for key in self._on ^ want:  # only the cells that change
            g, state, i = key
            cells = self._cells[g].get(state, [])
            curve = cells[i][2] if i < len(cells) else None
            if curve is not None:
                curve.setVisible(key in want)
        self._on = want

    def view_changed(self, view: Bounds, resolution: float) -> None:
        self.grid = next((g for g, (below, _cell) in enumerate(self.GRIDS) if resolution < below), None)
        self._view = view
        self.refresh_visibility()

    def _pen(self, state: str) -> QtGui.QPen:
        style = self.styles.get(state)
        if style is None:
            return pg.mkPen("#adb5bd", width=1)
        return pg.mkPen(style.colour_for(self.theme), width=1)

    def apply_palette(self, palette: MapPalette) -> None:
        super().apply_palette(palette)
        for state, curve in self._curves.items():
            curve.setPen(self._pen(state))
        for level in self._cells:
            for state, cells in level.items():
                for _b, _p, curve in cells:
                    if curve is not None:
                        curve.setPen(self._pen(state))

    def set_routes(self, routes: RouteSet) -> None:
        self.ids = list(routes.ids)
        self._index = {id_: i for i, id_ in enumerate(self.ids)}
        self.states = list(routes.states)
        self.tooltips = list(routes.tooltips) if routes.tooltips else [""] * len(self.ids)
        self.x0, self.y0 = to_mercator(routes.from_lon, routes.from_lat)
        self.x1, self.y1 = to_mercator(routes.to_lon, routes.to_lat)
        self._redraw(set(self._curves) | set(self.states))

    def set_states(self, states: Mapping[str, str]) -> None:
        """Change the state of some routes (the common live update): only affected colours redraw."""
        touched: set[str] = set()
        for id_, state in states.items():
            i = self._index.get(id_)
            if i is not None and self.states[i] != state:
                touched.update((self.states[i], state))
                self.states[i] = state
        self._redraw(touched)

    def _new_curve(self, state: str) -> pg.PlotCurveItem:
        style = self.styles.get(state)
        return self._add(ThickCurve(pen=self._pen(state), antialias=False, skipFiniteCheck=True,
                                    thickness=round(style.width) if style else 1), style.z if style else 0)

    def _redraw(self, states: Iterable[str]) -> None:
        arr = np.array(self.states, dtype=object)
        for state in states:
            sel = np.flatnonzero(arr == state) if len(arr) else np.empty(0, dtype=int)
            path = segments(self.x0[sel], self.y0[sel], self.x1[sel], self.y1[sel])
            curve = self._curves.get(state)
            if curve is None:
                if not len(sel):
                    continue
                curve = self._curves[state] = self._new_curve(state)
            curve.setData(x=path.x, y=path.y, connect=path.connect)
            self._on = {k for k in self._on if k[1] != state}
            for g, (_below, cell) in enumerate(self.GRIDS):
                for _b, _p, old in self._cells[g].pop(state, []):
                    if self.vb is not None and old is not None:
                        self.vb.removeItem(old)
                self._cells[g][state] = [(Bounds(*b), part, None)
                                         for _k, part, b in split_by_grid(path, cell)]
        self.refresh_visibility()

    def count(self, state: str) -> int:
        return sum(1 for s in self.states if s == state)

    def bounds(self) -> Bounds | None:
        if not len(self.x0):
            return None
        xs = np.concatenate([self.x0, self.x1])
        ys = np.concatenate([self.y0, self.y1])
        return Bounds(float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))

    def hit(self, x: float, y: float, resolution: float, tolerance_px: float) -> Hit | None:
        if not self.visible or not len(self.x0):
            return None
        dx, dy = self.x1 - self.x0, self.y1 - self.y0
        length2 = np.maximum(dx * dx + dy * dy, 1e-9)
        t = np.clip(((x - self.x0) * dx + (y - self.y0) * dy) / length2, 0.0, 1.0)
        d = np.hypot(self.x0 + t * dx - x, self.y0 + t * dy - y) / resolution
        i = int(np.argmin(d))
        if d[i] > tolerance_px:
            return None
        return Hit(self.name, self.ids[i], float(d[i]), self.tooltips[i])

    def legend(self) -> list[LegendEntry]:
        return [LegendEntry(s.legend_text(), line=(s.colour_for(self.theme), s.width))
                for s in sorted(self.styles.values(), key=lambda s: -s.z)]


class JurisdictionLayer(MapLayer):
    """Police station jurisdictions as outlines of their 시군구."""

    z_base = -20.0

    def __init__(self, name: str, title: str, geography: BaseGeography) -> None:
        super().__init__(name, title)
        self.geo = geography
        self.outlines: dict[str, LinePath] = {}
        self.names: dict[str, str] = {}
        self._keys: dict[str, str] = {}
        self._curve: pg.PlotCurveItem | None = None
        self._colour = "#38d9f5"

    def items(self) -> list[pg.GraphicsObject]:
        return [self._curve] if self._curve is not None else []

    def apply_palette(self, palette: MapPalette) -> None:
        super().apply_palette(palette)
        self._colour = palette.jurisdiction
        if self._curve is not None:
            self._curve.setPen(pg.mkPen(self._colour, width=1))

    def set_jurisdictions(self, jurisdictions: Sequence[Jurisdiction]) -> None:
        keep = {j.id for j in jurisdictions}
        for gone in set(self.outlines) - keep:
            self.outlines.pop(gone)
            self.names.pop(gone, None)
            self._keys.pop(gone, None)
        for j in jurisdictions:
            key = ",".join(sorted(j.district_codes))
            if j.outline is not None:
                self.outlines[j.id] = j.outline
                self._keys[j.id] = key
            elif self._keys.get(j.id) != key:  # the union is the costly part: only when codes change
                self.outlines[j.id] = self.geo.district_outline(j.district_codes)
                self._keys[j.id] = key
            self.names[j.id] = j.name
        paths = [p for p in self.outlines.values() if len(p)]
        x = np.concatenate([p.x for p in paths]) if paths else np.empty(0)
        y = np.concatenate([p.y for p in paths]) if paths else np.empty(0)
        c = np.concatenate([p.connect for p in paths]) if paths else np.empty(0, dtype=bool)
        if self._curve is None:
            self._curve = self._add(ThickCurve(pen=pg.mkPen(self._colour, width=1), antialias=False,
                                               skipFiniteCheck=True, thickness=2))
        self._curve.setData(x=x, y=y, connect=c)

    def bounds_of(self, id_: str | None = None) -> Bounds | None:
        if id_ is not None and id_ in self.outlines:
            paths = [self.outlines[id_]]
        else:
            paths = list(self.outlines.values())
        boxes = [b for b in (p.bounds() for p in paths) if b is not None]
        if not boxes:
            return None
        return Bounds(min(b[0] for b in boxes), min(b[1] for b in boxes),
                      max(b[2] for b in boxes), max(b[3] for b in boxes))

    def bounds(self) -> Bounds | None:
        return self.bounds_of(None)

    def legend(self) -> list[LegendEntry]:
        return [LegendEntry(self.title, line=(self._colour, 2.0))]


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
