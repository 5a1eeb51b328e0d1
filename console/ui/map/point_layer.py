"""A point layer's render items: its symbols, cluster badges and the pulsing rings of urgent
points, drawn from the Qt-free state of console.views.map_points."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import renderSymbol

from console.geo.cluster import Clusters, count_label, inside_cells
from console.geo.mercator import FloatArray
from console.geo.tiles import Bounds
from console.ui.map.badges import badge_diameter, render_badge, render_badge_body
from console.ui.map.data import PointSet
from console.ui.map.items import HaloItem, StyledScatterItem
from console.ui.map.layer_base import Hit, LegendEntry, MapLayer
from console.ui.map.style import ClusterStyle, MapPalette, PointStyle
from console.ui.qt import QCoreApplication, QtGui
from console.views.map_detail import CLUSTER_ABOVE
from console.views.map_points import PointState
from console.views.map_rollup import RegionCounts

__all__ = ["CLUSTER_ABOVE", "URGENT_Z", "PointLayer"]

# Urgent points (code 0 and 1) and their pulsing rings are drawn above everything but the
# selection ring: above other layers, cluster badges and area names (at z 900) alike.
URGENT_Z = 920.0


class PointLayer(MapLayer):
    """Points of one kind; each point's look is a style key of the layer's style table.

    With a ClusterStyle, zoomed out the points gather into count badges per grid cell
    (console.geo.cluster). Points whose style has a halo (code 0 and 1 incidents) and the selected
    point stay drawn on their own as well.
    """

    z_base = 10.0

    def __init__(self, name: str, title: str, styles: Mapping[str, PointStyle], *,
                 z_base: float = 10.0, cluster: ClusterStyle | None = None) -> None:
        super().__init__(name, title)
        self.styles = dict(styles)
        self.z_base = z_base
        self.state = PointState(
            list(self.styles), rank_of=cluster.rank if cluster is not None else None,
            urgent=lambda k: self.styles[k].halo, size_of=lambda k: self.styles[k].size)
        self.regions = RegionCounts()  # each point's province, where the rows gave it
        self.scatter = StyledScatterItem()
        self.halo: HaloItem | None = None
        self.urgent: StyledScatterItem | None = None  # the halo points again, above the labels
        self.cluster_style = cluster
        self.cluster_item = StyledScatterItem() if cluster is not None else None
        self._badges: dict[tuple[int, int, str], QtGui.QImage] = {}
        self._bodies: dict[tuple[int, int], QtGui.QImage] = {}  # badges without their count
        self._badge_size = np.empty(0)  # diameter of each cluster's badge, for hits
        self._badge_x: FloatArray = np.empty(0)  # where each badge is drawn
        self._badge_y: FloatArray = np.empty(0)
        self.rolled_up = False  # national zoom: only the urgent points, the rest in the roll-ups
        self._stale = False  # data changed while rolled up: symbols and badges to push when shown

    # -- what the state holds, by name -------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        return self.state.ids

    @property
    def x(self) -> FloatArray:
        return self.state.x

    @property
    def y(self) -> FloatArray:
        return self.state.y

    @property
    def tooltips(self) -> list[str]:
        return self.state.tooltips

    @property
    def clusters(self) -> Clusters:
        return self.state.clusters

    @property
    def clustering(self) -> bool:
        return self.state.clustering

    @property
    def pinned_id(self) -> str | None:
        return self.state.pinned_id

    @property
    def style_keys(self) -> list[str]:
        return [self.state.keys[i] for i in self.state.style_idx]

    def items(self) -> list[pg.GraphicsObject]:
        return [i for i in (self.scatter, self.halo, self.urgent, self.cluster_item) if i is not None]

    def refresh_visibility(self) -> None:
        for item in self.items():
            rolled = self.rolled_up and item in (self.scatter, self.cluster_item)
            item.setVisible(self.visible and not rolled)

    def set_rolled_up(self, on: bool) -> None:
        """National zoom: the layer's symbols and clusters are not drawn (the roll-ups say it),
        and none is made while so: a batch of the morning's openings regrouped 18,000 stations
        nobody saw."""
        if on != self.rolled_up:
            self.rolled_up = on
            self.state.suspended = on
            self.refresh_visibility()  # (drawn again by the view_changed that follows)

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
        i, new = self.state.style_number(key)
        if new:  # unknown state: shown plainly rather than dropped
            self.styles[key] = PointStyle(key, key, "o", 8, ("#adb5bd", "#495057"), ("#000000", "#000000"),
                                          translated=True)
            self._render_symbols()
        return i

    def _render_symbols(self) -> None:
        images = []
        for key in self.state.keys:
            st = self.styles[key]
            images.append(renderSymbol(st.symbol, st.size, pg.mkPen(st.outline_for(self.theme),
                                                                    width=st.outline_width),
                                       pg.mkBrush(st.fill_for(self.theme))))
        z = [self.styles[k].z for k in self.state.keys]
        self.scatter.set_styles(images, z)
        if self.urgent is not None:
            self.urgent.set_styles(images, z)

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
        styles = [self._idx(k) for k in points.styles]
        self.regions.set(points.regions or [""] * len(points.ids))
        self.state.set_points(points.ids, x, y, styles, points.tooltips)
        self._push()

    def apply(self, changed: PointSet | None, removed: Iterable[str]) -> None:
        """One batch from the read models: rows changed or new, ids gone; drawn once."""
        if changed is not None and len(changed.ids):
            self.upsert(changed, draw=False)
        self.remove(removed, draw=False)
        self._push()

    def upsert(self, points: PointSet, draw: bool = True) -> None:
        """Add or change some points (position, state, tooltip); the rest stay as they are."""
        x, y = points.mercator()
        styles = [self._idx(k) for k in points.styles]
        index = self.state.index
        self.regions.upsert([index.get(id_) for id_ in points.ids], points.regions or [""] * len(points.ids))
        self.state.upsert(points.ids, x, y, styles, points.tooltips)
        if draw:
            self._push()

    def remove(self, ids: Iterable[str], draw: bool = True) -> None:
        ids = list(ids)
        gone = {i for i in (self.state.index.get(id_) for id_ in ids) if i is not None}
        if self.state.remove(ids):
            keep = np.ones(len(self.regions.of_point), dtype=bool)
            keep[list(gone)] = False
            self.regions.keep(keep)
            if draw:
                self._push()

    def _push(self) -> None:
        self._show_clusters()
        if self.halo is not None:
            sel = self.state.urgent_mask()
            s = self.state
            self.halo.set_points(s.x[sel], s.y[sel])
            if self.urgent is not None:
                self.urgent.set_points(s.x[sel], s.y[sel], s.style_idx[sel])

    # -- clusters ---------------------------------------------------------------------------
    def view_changed(self, view: Bounds, resolution: float) -> None:
        if self.state.view_changed(resolution) or (self._stale and not self.rolled_up):
            self._show_clusters()

    def set_clustering(self, on: bool) -> None:
        if self.state.set_clustering(on):
            self._show_clusters()

    def set_pinned(self, id_: str | None) -> None:
        """Draw this point on its own even inside a cluster (the selection)."""
        if self.state.set_pinned(id_):
            self._show_clusters()

    def regroup(self) -> None:
        """Cluster again at the current level and draw it (after `state.forget_clusters`)."""
        self.state.regroup()
        self._show_clusters()

    def _show_clusters(self) -> None:
        if self.rolled_up:
            self._stale = True  # drawn when shown again
            return
        self._stale = False
        s = self.state
        shown = s.clusters.shown
        if len(shown) == len(s.ids):
            self.scatter.set_points(s.x, s.y, s.style_idx)
        else:
            self.scatter.set_points(s.x[shown], s.y[shown], s.style_idx[shown])
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

    def badge_boxes(self, view: Bounds, resolution: float) -> list[tuple[float, float, float, float]]:
        """The cluster badges in `view` as boxes in view pixels (y down): names keep clear of them."""
        if not self.visible or self.rolled_up or not len(self._badge_size):
            return []
        px = (self._badge_x - view.xmin) / resolution
        py = (view.ymax - self._badge_y) / resolution
        r = self._badge_size / 2 + 1
        w, h = (view.xmax - view.xmin) / resolution, (view.ymax - view.ymin) / resolution
        sel = np.flatnonzero((px > -r) & (px < w + r) & (py > -r) & (py < h + r))
        return [(float(px[i] - r[i]), float(py[i] - r[i]), float(px[i] + r[i]), float(py[i] + r[i]))
                for i in sel.tolist()]

    def urgent_boxes(self, view: Bounds, resolution: float) -> list[tuple[float, float, float, float]]:
        """The urgent points' rings in view pixels (the roll-up badges keep clear of them)."""
        if not self.visible or self.halo is None:
            return []
        s = self.state
        sel = s.urgent_mask()
        px, py = (s.x[sel] - view.xmin) / resolution, (view.ymax - s.y[sel]) / resolution
        r = 12.0
        return [(float(a - r), float(b - r), float(a + r), float(b + r)) for a, b in zip(px, py, strict=True)]

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
        groups = sorted(self.state.members_per_style(members), key=lambda kn: -self.styles[kn[0]].z)
        return [(self.styles[k].legend_text(), n) for k, n in groups]

    # -- queries ----------------------------------------------------------------------------
    def position(self, id_: str) -> tuple[float, float] | None:
        return self.state.position(id_)

    def style_of(self, id_: str) -> str | None:
        return self.state.style_of(id_)

    def is_shown(self, id_: str) -> bool:
        """Drawn on its own now (not only counted in a cluster)."""
        return self.state.is_shown(id_)

    def count(self, style: str | None = None) -> int:
        return self.state.count(style)

    def bounds(self) -> Bounds | None:
        return self.state.bounds()

    def hit(self, x: float, y: float, resolution: float, tolerance_px: float) -> Hit | None:
        if not self.visible or not len(self.state.x):
            return None
        best: Hit | None = None
        ph = self.state.hit_point(x, y, resolution, tolerance_px, urgent_only=self.rolled_up)
        if ph is not None:
            best = Hit(self.name, self.ids[ph.index], ph.distance, self.state.tooltips[ph.index])
        c = self.clusters
        if len(c) and self.cluster_item is not None and not self.rolled_up:
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
