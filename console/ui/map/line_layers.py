"""The line layers: boundaries (level of detail by zoom), ballot-box routes (by state, cut into
grid cells closer in) and station jurisdictions; their curves are drawn by the map's LineCanvas."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pyqtgraph as pg

from console.geo.boundaries import BaseGeography, BoundaryChunk, BoundaryLevel
from console.geo.mercator import to_mercator
from console.geo.paths import LinePath, segments, split_by_grid
from console.geo.tiles import Bounds
from console.ui.map.data import Jurisdiction, RouteSet
from console.ui.map.layer_base import Hit, LegendEntry, MapLayer, ThickCurve
from console.ui.map.style import LineStyle, MapPalette
from console.ui.qt import QtGui
from console.views.map_detail import boundary_lod, jurisdictions_shown, map_detail


def _curve(path: LinePath, pen: QtGui.QPen, thickness: int = 1) -> pg.PlotCurveItem:
    return ThickCurve(x=path.x, y=path.y, connect=path.connect, pen=pen, antialias=False,
                      skipFiniteCheck=True, thickness=thickness)



def _thickness(level: BoundaryLevel, lod: int) -> int:
    """Provinces read as the main divisions: doubled where districts are drawn too."""
    return 2 if level == BoundaryLevel.PROVINCE and 0 < lod < 2 else 1


def _meets(b: Bounds, view: Bounds) -> bool:
    return not (b.xmax < view.xmin or b.xmin > view.xmax or b.ymax < view.ymin or b.ymin > view.ymax)


class BoundaryLayer(MapLayer):
    """Province, district and town outlines; the level of detail follows the zoom, and only the
    chunks (provinces) that touch the view are drawn."""

    z_base = -50.0
    THICKNESS = {BoundaryLevel.PROVINCE: 1, BoundaryLevel.DISTRICT: 1, BoundaryLevel.TOWN: 1}
    MAX_CURVES = 600
    # A chunk more than this many views across is drawn by its parts near the view (a grid of
    # SPLIT_CELLS a side): a district chunk is ~40 km, ten times a station's view.
    SPLIT_ABOVE = 2.0
    SPLIT_CELLS = 6

    def __init__(self, name: str, title: str, geography: BaseGeography,
                 level_titles: Mapping[BoundaryLevel, str]) -> None:
        super().__init__(name, title)
        self.geo = geography
        self.level_titles = dict(level_titles)
        self._curves: dict[tuple[BoundaryLevel, int, int, int], pg.PlotCurveItem] = {}
        self._shown: set[tuple[BoundaryLevel, int, int, int]] = set()
        self._on: set[tuple[BoundaryLevel, int, int, int]] = set()  # curves now visible
        self._parts: dict[tuple[BoundaryLevel, int, int], list[tuple[Bounds, LinePath]]] = {}
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
        for (level, _lod, _i, _j), curve in self._curves.items():
            curve.setPen(self._pens[level])

    def view_changed(self, view: Bounds, resolution: float) -> None:
        shown: set[tuple[BoundaryLevel, int, int, int]] = set()
        lines = map_detail(resolution).boundary_lines
        span = max(view.xmax - view.xmin, view.ymax - view.ymin)
        for level in BoundaryLevel:
            if level not in lines:
                self.current_lod[level] = None
                continue
            lod = boundary_lod(level, resolution)
            self.current_lod[level] = lod
            chunks = self.geo.chunks(level, lod)
            for i, chunk in enumerate(chunks):
                b = chunk.bounds
                if not _meets(b, view):
                    continue
                if max(b.xmax - b.xmin, b.ymax - b.ymin) <= self.SPLIT_ABOVE * span:
                    pieces = [(-1, chunk.path)]
                else:  # a chunk many views wide: only its parts near the view are drawn
                    pieces = [(j, part) for j, (pb, part) in enumerate(self._parts_of(level, lod, i, chunk))
                              if _meets(pb, view)]
                for j, path in pieces:
                    key = (level, lod, i, j)
                    shown.add(key)
                    if key not in self._curves:
                        self._curves[key] = self._add(_curve(path, self._pens[level], _thickness(level, lod)),
                                                      {BoundaryLevel.PROVINCE: 2, BoundaryLevel.DISTRICT: 1,
                                                       BoundaryLevel.TOWN: 0}[level])
        self._shown = shown
        if len(self._curves) > self.MAX_CURVES:  # panned across the country: forget hidden cells
            for key in [k for k in self._curves if k not in shown]:
                self._remove(self._curves.pop(key))
        if len(self._parts) > self.MAX_CURVES:
            self._parts.clear()
        self.refresh_visibility()

    def _parts_of(self, level: BoundaryLevel, lod: int, i: int,
                  chunk: BoundaryChunk) -> list[tuple[Bounds, LinePath]]:
        """A chunk cut into a grid of SPLIT_CELLS x SPLIT_CELLS, made the first time it is needed."""
        parts = self._parts.get((level, lod, i))
        if parts is None:
            b = chunk.bounds
            cell = max(b.xmax - b.xmin, b.ymax - b.ymin) / self.SPLIT_CELLS
            parts = self._parts[(level, lod, i)] = [(Bounds(*pb), part)
                                                    for _k, part, pb in split_by_grid(chunk.path, cell)]
        return parts

    def shown_vertices(self) -> int:
        return sum(len(self._curves[k].xData) for k in self._shown)

    def legend(self) -> list[LegendEntry]:
        if self._palette is None:
            return []
        colours = {BoundaryLevel.PROVINCE: self._palette.province,
                   BoundaryLevel.DISTRICT: self._palette.district, BoundaryLevel.TOWN: self._palette.town}
        return [LegendEntry(self.level_titles.get(lv, str(lv)), line=(colours[lv], self.THICKNESS[lv] + 0.5))
                for lv in BoundaryLevel]


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
        self.shown_states: frozenset[str] | None = None  # None: all (map_detail's route_states)
        self._background: str | None = None

    def items(self) -> list[pg.GraphicsObject]:
        return list(self._curves.values()) + [c for level in self._cells for cells in level.values()
                                              for _b, _p, c in cells if c is not None]

    def refresh_visibility(self) -> None:
        wanted = self.shown_states
        for state, curve in self._curves.items():
            curve.setVisible(self.visible and self.grid is None and (wanted is None or state in wanted))
        v = self._view
        want: set[tuple[int, str, int]] = set()
        if self.visible and self.grid is not None and v is not None:
            for state, cells in self._cells[self.grid].items():
                if wanted is not None and state not in wanted:
                    continue  # not news at this zoom (map_detail)
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
        self.shown_states = map_detail(resolution).route_states
        self._view = view
        self.refresh_visibility()

    def _pen(self, state: str) -> QtGui.QPen:
        style = self.styles.get(state)
        if style is None:
            return pg.mkPen("#adb5bd", width=1)
        colour = QtGui.QColor(style.colour_for(self.theme))
        if state == "waiting" and self._background is not None:
            # The plan, not news: faint until its box moves (thousands of spokes to the counting
            # stations would otherwise cover the polling stations all day). Mixed with the map's
            # background ahead rather than drawn translucent: the raster engine blends each pixel
            # of a translucent line, several times slower for a national HQ's thousands of spokes.
            a = WAITING_ROUTE_ALPHA / 255
            bg = QtGui.QColor(self._background)
            colour = QtGui.QColor.fromRgbF(a * colour.redF() + (1 - a) * bg.redF(),
                                           a * colour.greenF() + (1 - a) * bg.greenF(),
                                           a * colour.blueF() + (1 - a) * bg.blueF())
        return pg.mkPen(colour, width=1)

    def curves_of(self, state: str) -> list[pg.PlotCurveItem]:
        """Every curve made for the routes of `state` (whole, and cells)."""
        whole = [self._curves[state]] if state in self._curves else []
        return whole + [c for level in self._cells for _b, _p, c in level.get(state, []) if c is not None]

    def pen_colour(self, state: str) -> QtGui.QColor:
        """The colour routes of `state` are drawn in."""
        return self._pen(state).color()

    def apply_palette(self, palette: MapPalette) -> None:
        super().apply_palette(palette)
        self._background = palette.background
        for state, curve in self._curves.items():
            curve.setPen(self._pen(state))
        for level in self._cells:
            for state, cells in level.items():
                for _b, _p, curve in cells:
                    if curve is not None:
                        curve.setPen(self._pen(state))

    def set_routes(self, routes: RouteSet) -> None:
        """All routes; when they are the lines drawn already, only the states that changed are
        redrawn (the routes read again to re-derive which boxes are late redrew all 14,295, up
        to 150 ms on a national HQ's GUI thread, with nothing changed)."""
        x0, y0 = to_mercator(routes.from_lon, routes.from_lat)
        x1, y1 = to_mercator(routes.to_lon, routes.to_lat)
        tooltips = list(routes.tooltips) if routes.tooltips else [""] * len(routes.ids)
        if (list(routes.ids) == self.ids and np.array_equal(x0, self.x0) and np.array_equal(y0, self.y0)
                and np.array_equal(x1, self.x1) and np.array_equal(y1, self.y1)):
            self.tooltips = tooltips
            self.set_states(dict(zip(routes.ids, routes.states, strict=True)))
            return
        self.ids = list(routes.ids)
        self._index = {id_: i for i, id_ in enumerate(self.ids)}
        self.states = list(routes.states)
        self.tooltips = tooltips
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
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
                    if old is not None:
                        self._remove(old)
                self._cells[g][state] = [(Bounds(*b), part, None)
                                         for _k, part, b in split_by_grid(path, cell)]
        self.refresh_visibility()

    def count(self, state: str) -> int:
        return sum(1 for s in self.states if s == state)

    def midpoint(self, id_: str) -> tuple[float, float] | None:
        i = self._index.get(id_)
        if i is None:
            return None
        return float(self.x0[i] + self.x1[i]) / 2, float(self.y0[i] + self.y1[i]) / 2

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


WAITING_ROUTE_ALPHA = 70


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
        self._shown = True  # by zoom: an HQ's many outlines only at station zoom

    def items(self) -> list[pg.GraphicsObject]:
        return [self._curve] if self._curve is not None else []

    def refresh_visibility(self) -> None:
        if self._curve is not None:
            self._curve.setVisible(self.visible and self._shown)

    def view_changed(self, view: Bounds, resolution: float) -> None:
        shown = jurisdictions_shown(len(self.outlines), resolution)
        if shown != self._shown:
            self._shown = shown
            self.refresh_visibility()

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
        self.refresh_visibility()

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
