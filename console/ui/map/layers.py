"""Map layers: each owns its pyqtgraph items, can be switched off, and describes its symbols."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import renderSymbol

from console.geo.boundaries import BaseGeography, BoundaryLevel
from console.geo.cluster import Clusters, cluster_level, count_label, grid_clusters, inside_cells, no_clusters
from console.geo.geojson import GeoJSONOverlay
from console.geo.mercator import FloatArray, to_mercator
from console.geo.paths import LinePath, segments, split_by_grid
from console.geo.tiles import Bounds
from console.ui.map.data import Jurisdiction, PointSet, RouteSet
from console.ui.map.items import HaloItem, StyledScatterItem, badge_diameter, render_badge, render_badge_body
from console.ui.map.style import ClusterStyle, LineStyle, MapPalette, PointStyle
from console.ui.qt import QCoreApplication, QtCore, QtGui

# Urgent points (code 0 and 1) and their pulsing rings are drawn above everything but the
# selection ring: above other layers, cluster badges and area names (at z 900) alike.
URGENT_Z = 920.0

# Closer in than this many Mercator metres per pixel (a district filling the view), every point
# is drawn on its own; further out, the layers that cluster do.
CLUSTER_ABOVE = 50.0


@dataclass(frozen=True)
class LegendEntry:
    """One symbol in the legend: a point style, a line (colour, width), a cluster badge (its
    ClusterStyle and rank) or plain text; `tip` explains more than the line has room for."""

    text: str
    point: PointStyle | None = None
    line: tuple[str, float] | None = None
    badge: tuple[ClusterStyle, int] | None = None
    tip: str = ""


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
    """Points of one kind; each point's look is a style key of the layer's style table.

    With a ClusterStyle, zoomed out the points gather into count badges per grid cell
    (console.geo.cluster), computed once per grid level and data change. Points whose style has
    a halo (code 0 and 1 incidents) and the selected point stay drawn on their own as well.
    """

    z_base = 10.0

    def __init__(self, name: str, title: str, styles: Mapping[str, PointStyle], *,
                 z_base: float = 10.0, cluster: ClusterStyle | None = None) -> None:
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
        self.urgent: StyledScatterItem | None = None  # the halo points again, above the labels
        self.cluster_style = cluster
        self.clustering = cluster is not None
        self.cluster_item = StyledScatterItem() if cluster is not None else None
        self.clusters: Clusters = no_clusters(0)
        self.pinned_id: str | None = None
        self._level: int | None = None  # grid level in use; None: every point on its own
        self._cache: dict[int, Clusters] = {}
        self._badges: dict[tuple[int, int, str], QtGui.QImage] = {}
        self._bodies: dict[tuple[int, int], QtGui.QImage] = {}  # badges without their count
        self._badge_size = np.empty(0)  # diameter of each cluster's badge, for hits
        self._badge_x: FloatArray = np.empty(0)  # where each badge is drawn
        self._badge_y: FloatArray = np.empty(0)

    @property
    def style_keys(self) -> list[str]:
        return [self._keys[i] for i in self.style_idx]

    def items(self) -> list[pg.GraphicsObject]:
        return [i for i in (self.scatter, self.halo, self.urgent, self.cluster_item) if i is not None]

    def attach(self, vb: pg.ViewBox) -> None:
        super().attach(vb)
        self._add(self.scatter)
        if self.cluster_item is not None:
            self._add(self.cluster_item, -0.5)  # under the layer's own points: pinned ones show
        if any(s.halo for s in self.styles.values()):
            self.halo = HaloItem()
            self._add(self.halo, URGENT_Z - 10 - self.z_base)
            self.urgent = StyledScatterItem()
            self._add(self.urgent, URGENT_Z - self.z_base)

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
        if self.urgent is not None:
            self.urgent.set_styles(images, [self.styles[k].z for k in self._keys])

    def apply_palette(self, palette: MapPalette) -> None:
        super().apply_palette(palette)
        self._render_symbols()
        if self.halo is not None:
            self.halo.set_colour("#ff2020" if palette.name == "dark" else "#e00000")
        if self._badges:
            self._badges.clear()
            self._bodies.clear()
            self._push_badges()

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
        self._cache.clear()
        self._regroup()
        if self.halo is not None:
            urgent = np.array([self.styles[k].halo for k in self._keys], dtype=bool)
            sel = urgent[self.style_idx] if len(self.style_idx) else np.empty(0, dtype=bool)
            self.halo.set_points(self.x[sel], self.y[sel])
            if self.urgent is not None:
                self.urgent.set_points(self.x[sel], self.y[sel], self.style_idx[sel])

    # -- clusters ---------------------------------------------------------------------------
    def view_changed(self, view: Bounds, resolution: float) -> None:
        level = None
        if self.clustering and self.cluster_style is not None and resolution > CLUSTER_ABOVE:
            level = cluster_level(resolution)
        if level != self._level:
            self._level = level
            self._regroup()

    def set_clustering(self, on: bool) -> None:
        self.clustering = on and self.cluster_style is not None
        if not self.clustering and self._level is not None:
            self._level = None
            self._regroup()

    def set_pinned(self, id_: str | None) -> None:
        """Draw this point on its own even inside a cluster (the selection)."""
        if id_ != self.pinned_id:
            self.pinned_id = id_
            self._cache.clear()
            self._regroup()

    def _regroup(self) -> None:
        """Cluster at the current level (cached per level) and hand the points to the items."""
        n = len(self.ids)
        cs = self.cluster_style
        if self._level is None or cs is None:
            clusters = no_clusters(n)
        else:
            cached = self._cache.get(self._level)
            if cached is None or len(cached.member) != n:
                ranks = np.array([cs.rank(k) for k in self._keys], dtype=np.int64)[self.style_idx]
                pinned = np.array([self.styles[k].halo for k in self._keys], dtype=bool)[self.style_idx]
                i = self._index.get(self.pinned_id) if self.pinned_id is not None else None
                if i is not None:
                    pinned[i] = True
                cached = self._cache[self._level] = grid_clusters(self.x, self.y, self._level, ranks, pinned)
            clusters = cached
        self.clusters = clusters
        shown = clusters.shown
        if len(shown) == n:
            self.scatter.set_points(self.x, self.y, self.style_idx)
        else:
            self.scatter.set_points(self.x[shown], self.y[shown], self.style_idx[shown])
        self._push_badges()

    def _push_badges(self) -> None:
        cs, item = self.cluster_style, self.cluster_item
        if cs is None or item is None:
            return
        c = self.clusters
        keys: dict[tuple[int, int, str], int] = {}
        images: list[QtGui.QImage] = []
        z: list[float] = []
        idx = np.empty(len(c), dtype=np.int64)
        sizes = np.empty(len(c))
        for i, (count, rank) in enumerate(zip(c.count.tolist(), c.rank.tolist(), strict=True)):
            d = badge_diameter(count)
            key = (rank, d, count_label(count))
            j = keys.get(key)
            if j is None:
                img = self._badges.get(key)
                if img is None:
                    fill, rim = cs.fill_for(rank, self.theme), cs.rim_for(self.theme)
                    body = self._bodies.get((rank, d))
                    if body is None:
                        body = self._bodies[(rank, d)] = render_badge_body(fill, d, cs.shape, rim)
                    img = self._badges[key] = render_badge(fill, key[2], d, cs.shape, rim, body)
                j = keys[key] = len(images)
                images.append(img)
                z.append(-rank * 1000.0 + d)  # the most urgent on top, then the biggest
            idx[i] = j
            sizes[i] = d
        if len(self._badges) > 2000:  # many data changes at many levels: start again
            self._badges = {k: self._badges[k] for k in keys}
        self._badge_size = sizes
        if len(c):
            # in metres at the level's coarsest resolution (a cell then 48 px): badges never overlap
            self._badge_x, self._badge_y = inside_cells(c, (sizes / 2 + 1) * 2.0 ** c.level)
        else:
            self._badge_x, self._badge_y = np.empty(0), np.empty(0)
        item.set_styles_and_points(images, z, self._badge_x, self._badge_y, idx)

    def badge_position(self, i: int) -> tuple[float, float]:
        """Where cluster `i`'s badge is drawn (its centroid, kept inside its cell)."""
        return float(self._badge_x[i]), float(self._badge_y[i])

    def cluster_tooltip(self, i: int) -> str:
        """What cluster `i` holds: its count, then how many of each symbol."""
        cs = self.cluster_style
        if cs is None or not 0 <= i < len(self.clusters):
            return ""
        members = self.clusters.members(i)
        head = QCoreApplication.translate("MapLegend", cs.noun).replace("%1", str(len(members)))
        lines = [head] + [f"{text}: {n}" for text, n in self.cluster_groups(members)]
        lines.append(QCoreApplication.translate("MapLegend", "Click to zoom in"))
        return "\n".join(lines)

    def cluster_groups(self, members: npt.NDArray[np.int64]) -> list[tuple[str, int]]:
        """How many of the members look each way, the layer's first symbols first."""
        per_style = np.bincount(self.style_idx[members], minlength=len(self._keys))
        order = sorted(np.flatnonzero(per_style).tolist(), key=lambda k: -self.styles[self._keys[k]].z)
        return [(self.styles[self._keys[k]].legend_text(), int(per_style[k])) for k in order]

    # -- queries ----------------------------------------------------------------------------
    def position(self, id_: str) -> tuple[float, float] | None:
        i = self._index.get(id_)
        return (float(self.x[i]), float(self.y[i])) if i is not None else None

    def style_of(self, id_: str) -> str | None:
        i = self._index.get(id_)
        return self._keys[self.style_idx[i]] if i is not None else None

    def is_shown(self, id_: str) -> bool:
        """Drawn on its own now (not only counted in a cluster)."""
        i = self._index.get(id_)
        return i is not None and bool(np.any(self.clusters.shown == i))

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
        best: Hit | None = None
        shown = self.clusters.shown
        if len(shown):
            d = np.hypot(self.x[shown] - x, self.y[shown] - y) / resolution
            sizes = np.array([self.styles[k].size / 2 for k in self._keys])[self.style_idx[shown]]
            d = np.maximum(0.0, d - sizes)
            j = int(np.argmin(d))
            if d[j] <= tolerance_px:
                i = int(shown[j])
                best = Hit(self.name, self.ids[i], float(d[j]), self.tooltips[i])
        c = self.clusters
        if len(c) and self.cluster_item is not None:
            d = np.maximum(0.0, np.hypot(self._badge_x - x, self._badge_y - y) / resolution
                           - self._badge_size / 2)
            j = int(np.argmin(d))
            # a point on its own wins a tie: the pinned code 0 drawn over its cluster
            if d[j] <= tolerance_px and (best is None or d[j] < best.distance):
                best = Hit(self.name, "", float(d[j]), self.cluster_tooltip(j), cluster=j)
        return best

    def legend(self) -> list[LegendEntry]:
        styles = sorted(self.styles.values(), key=lambda s: -s.z)
        return [LegendEntry(s.legend_text(), point=s) for s in styles] + self.cluster_legend()

    def cluster_legend(self) -> list[LegendEntry]:
        """The legend's lines on clusters, while the layer clusters."""
        return []


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
        colour = QtGui.QColor(style.colour_for(self.theme))
        if state == "waiting":
            # The plan, not news: faint until its box moves (thousands of spokes to the counting
            # stations would otherwise cover the polling stations all day).
            colour.setAlpha(WAITING_ROUTE_ALPHA)
        return pg.mkPen(colour, width=1)

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
