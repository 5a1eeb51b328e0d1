"""One point layer's state, no Qt: its points (Mercator), each point's style, the clusters at the
current grid level (cached per level), the pinned (selected) point, and hits in pixels.

The map's render items (console.ui.map.point_layer) draw what this holds; a change arrives as a
batch (`set_points`, `upsert`, `remove`), and `regroup` says whether the drawing must change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from console.geo.cluster import Clusters, cluster_level, grid_clusters, no_clusters
from console.geo.mercator import FloatArray
from console.geo.tiles import Bounds
from console.views.map_detail import CLUSTER_ABOVE

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class PointHit:
    index: int  # a point's index, or a cluster's when `cluster`
    distance: float  # pixels from the symbol's edge (0 inside it)
    cluster: bool = False


class PointState:
    """The points of one layer. Style keys are numbered in the order first seen (`keys`);
    `rank_of(key)` orders clusters (lower: more urgent), `urgent(key)` keeps a point drawn on its
    own at every zoom (code 0 and 1), `size_of(key)` is its symbol's size in pixels for hits."""

    def __init__(self, keys: Sequence[str], *, rank_of: Callable[[str], int] | None = None,
                 urgent: Callable[[str], bool] = lambda _k: False,
                 size_of: Callable[[str], float] = lambda _k: 8.0) -> None:
        self.keys: list[str] = list(keys)
        self._key_index = {k: i for i, k in enumerate(self.keys)}
        self.rank_of, self.urgent_of, self.size_of = rank_of, urgent, size_of
        self.ids: list[str] = []
        self.index: dict[str, int] = {}
        self.x: FloatArray = np.empty(0)
        self.y: FloatArray = np.empty(0)
        self.style_idx: IntArray = np.empty(0, dtype=np.int64)
        self.tooltips: list[str] = []
        self.clustering = rank_of is not None
        self.level: int | None = None  # grid level in use; None: every point on its own
        self.clusters: Clusters = no_clusters(0)
        self.pinned_id: str | None = None
        self.suspended = False  # not drawn (rolled up at national zoom): no clusters made
        self._cache: dict[int, Clusters] = {}

    # -- styles ------------------------------------------------------------------------------
    def style_number(self, key: str) -> tuple[int, bool]:
        """The number of style `key`, and whether it is new (an unknown state, shown plainly)."""
        i = self._key_index.get(key)
        if i is not None:
            return i, False
        i = self._key_index[key] = len(self.keys)
        self.keys.append(key)
        return i, True

    def _flags(self, of: Callable[[str], object]) -> npt.NDArray[np.bool_]:
        return np.array([bool(of(k)) for k in self.keys], dtype=bool)

    # -- data ------------------------------------------------------------------------------------
    def set_points(self, ids: Sequence[str], x: FloatArray, y: FloatArray, styles: Sequence[int],
                   tooltips: Sequence[str]) -> None:
        self.ids = list(ids)
        self.index = {id_: i for i, id_ in enumerate(self.ids)}
        self.x, self.y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        self.style_idx = np.asarray(styles, dtype=np.int64)
        self.tooltips = list(tooltips) if tooltips else [""] * len(self.ids)
        self.changed()

    def upsert(self, ids: Sequence[str], x: FloatArray, y: FloatArray, styles: Sequence[int],
               tooltips: Sequence[str]) -> None:
        """Add or change some points (position, style, tooltip); the rest stay as they are."""
        new: list[int] = []
        for j, id_ in enumerate(ids):
            tip = tooltips[j] if tooltips else ""
            i = self.index.get(id_)
            if i is None:
                self.index[id_] = len(self.ids)
                self.ids.append(id_)
                self.tooltips.append(tip)
                new.append(j)
            else:
                self.style_idx[i] = styles[j]
                self.tooltips[i] = tip
                self.x[i], self.y[i] = x[j], y[j]
        if new:
            sel = np.array(new, dtype=np.int64)
            self.x = np.concatenate([self.x, np.asarray(x, dtype=np.float64)[sel]])
            self.y = np.concatenate([self.y, np.asarray(y, dtype=np.float64)[sel]])
            self.style_idx = np.concatenate([self.style_idx, np.asarray(styles, dtype=np.int64)[sel]])
        self.changed()

    def remove(self, ids: Iterable[str]) -> bool:
        gone = {i for i in (self.index.get(id_) for id_ in ids) if i is not None}
        if not gone:
            return False
        keep = np.ones(len(self.ids), dtype=bool)
        keep[list(gone)] = False
        self.ids = [id_ for i, id_ in enumerate(self.ids) if keep[i]]
        self.tooltips = [t for i, t in enumerate(self.tooltips) if keep[i]]
        self.x, self.y, self.style_idx = self.x[keep], self.y[keep], self.style_idx[keep]
        self.index = {id_: i for i, id_ in enumerate(self.ids)}
        self.changed()
        return True

    def changed(self) -> None:
        """The data changed: clusters are made again (at the current level now, others when used)."""
        self._cache.clear()
        self.regroup()

    def urgent_mask(self) -> npt.NDArray[np.bool_]:
        if not len(self.style_idx):
            return np.empty(0, dtype=bool)
        return self._flags(self.urgent_of)[self.style_idx]

    # -- clusters ----------------------------------------------------------------------------
    def view_changed(self, resolution: float) -> bool:
        """Pick the grid level for `resolution`; True if the clusters changed."""
        level = None
        if self.clustering and not self.suspended and self.rank_of is not None and resolution > CLUSTER_ABOVE:
            level = cluster_level(resolution)
        if level == self.level:
            return False
        self.level = level
        self.regroup()
        return True

    def set_clustering(self, on: bool) -> bool:
        self.clustering = on and self.rank_of is not None
        if not self.clustering and self.level is not None:
            self.level = None
            self.regroup()
            return True
        return False

    def set_pinned(self, id_: str | None) -> bool:
        if id_ == self.pinned_id:
            return False
        self.pinned_id = id_
        self._cache.clear()
        self.regroup()
        return True

    def regroup(self) -> Clusters:
        """Cluster at the current level (cached per level)."""
        n = len(self.ids)
        rank_of = self.rank_of
        if self.level is None or rank_of is None:
            self.clusters = no_clusters(n)
            return self.clusters
        cached = self._cache.get(self.level)
        if cached is None or len(cached.member) != n:
            ranks = np.array([rank_of(k) for k in self.keys], dtype=np.int64)[self.style_idx]
            pinned = self.urgent_mask()
            i = self.index.get(self.pinned_id) if self.pinned_id is not None else None
            if i is not None:
                pinned[i] = True
            cached = self._cache[self.level] = grid_clusters(self.x, self.y, self.level, ranks, pinned)
        self.clusters = cached
        return cached

    def forget_clusters(self) -> None:
        """As after a data change (the benchmark times the grouping afresh)."""
        self._cache.clear()

    # -- queries -------------------------------------------------------------------------------
    def position(self, id_: str) -> tuple[float, float] | None:
        i = self.index.get(id_)
        return (float(self.x[i]), float(self.y[i])) if i is not None else None

    def style_of(self, id_: str) -> str | None:
        i = self.index.get(id_)
        return self.keys[self.style_idx[i]] if i is not None else None

    def is_shown(self, id_: str) -> bool:
        i = self.index.get(id_)
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

    def hit_point(self, x: float, y: float, resolution: float, tolerance_px: float,
                  urgent_only: bool = False) -> PointHit | None:
        """The nearest point drawn on its own within `tolerance_px` of its symbol's edge (only the
        urgent ones while the layer is rolled up)."""
        shown = self.clusters.shown
        if urgent_only and len(shown):
            shown = shown[self.urgent_mask()[shown]]
        if not len(shown):
            return None
        half = np.array([self.size_of(k) / 2 for k in self.keys])[self.style_idx[shown]]
        d = np.maximum(0.0, np.hypot(self.x[shown] - x, self.y[shown] - y) / resolution - half)
        j = int(np.argmin(d))
        return PointHit(int(shown[j]), float(d[j])) if d[j] <= tolerance_px else None

    def members_per_style(self, members: IntArray) -> list[tuple[str, int]]:
        """How many of `members` have each style key, most first."""
        per_style = np.bincount(self.style_idx[members], minlength=len(self.keys))
        return [(self.keys[k], int(per_style[k])) for k in np.flatnonzero(per_style).tolist()]
