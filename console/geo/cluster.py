"""Grid clustering of map points: one grid per power-of-two resolution, so that zooming in splits
each cluster into the clusters of its four quarter cells (pure numpy, no Qt)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from console.geo.mercator import FloatArray

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# A cell is CELL_PX * 2**level Mercator metres across: between CELL_PX and 2 * CELL_PX pixels on
# screen at any resolution that picks that level. Big enough for a count badge, small enough that
# a cluster still says where its points are.
CELL_PX = 48.0


def cluster_level(resolution: float) -> int:
    """The grid level for a view at `resolution` Mercator metres per screen pixel."""
    return math.ceil(math.log2(max(resolution, 1e-6)))


def cell_metres(level: int) -> float:
    return CELL_PX * 2.0 ** level


@dataclass(frozen=True)
class Clusters:
    """The points of one layer at one grid level.

    Cluster `i` is drawn at (x[i], y[i]), the mean of its members, and holds count[i] points whose
    most urgent rank (the lowest) is rank[i]. `member[p]` is the cluster point `p` belongs to, or
    -1 if it is alone in its cell. `shown` lists the points drawn on their own: the lone ones and
    the pinned ones (counted in their cluster all the same, so its count and rank stay true).
    """

    level: int
    x: FloatArray
    y: FloatArray
    count: IntArray
    rank: IntArray
    xmin: FloatArray
    ymin: FloatArray
    xmax: FloatArray
    ymax: FloatArray
    member: IntArray
    shown: IntArray

    def __len__(self) -> int:
        return len(self.count)

    def members(self, i: int) -> IntArray:
        return np.flatnonzero(self.member == i)

    def bounds(self, i: int) -> tuple[float, float, float, float]:
        return float(self.xmin[i]), float(self.ymin[i]), float(self.xmax[i]), float(self.ymax[i])


def no_clusters(n: int, level: int = 0) -> Clusters:
    """Every one of `n` points on its own (clustering off, or zoomed in past it)."""
    e = np.empty(0)
    ei = np.empty(0, dtype=np.int64)
    return Clusters(level, e, e, ei, ei, e, e, e, e, np.full(n, -1, dtype=np.int64),
                    np.arange(n, dtype=np.int64))


def grid_clusters(x: npt.ArrayLike, y: npt.ArrayLike, level: int, rank: npt.ArrayLike | None = None,
                  pinned: npt.ArrayLike | None = None, min_size: int = 2) -> Clusters:
    """Cluster points by the grid cell of `level` they fall in; cells with fewer than `min_size`
    points leave them on their own. The grid is anchored at the Mercator origin, so a pan never
    moves a cluster and each cell is exactly four cells of the level below."""
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    n = len(xs)
    if n == 0:
        return no_clusters(0, level)
    ranks = np.zeros(n, dtype=np.int64) if rank is None else np.asarray(rank, dtype=np.int64)
    pin = np.zeros(n, dtype=bool) if pinned is None else np.asarray(pinned, dtype=bool)
    cell = cell_metres(level)
    kx = np.floor(xs / cell).astype(np.int64)
    ky = np.floor(ys / cell).astype(np.int64)
    kx -= kx.min()
    ky -= ky.min()
    key = kx * (int(ky.max()) + 1) + ky
    # one sort by cell: runs of equal keys are the cells (reduceat needs the runs; each run's
    # start is taken, the small cells dropped after)
    order = np.argsort(key, kind="stable")
    sk = key[order]
    starts = np.concatenate(([0], np.flatnonzero(sk[1:] != sk[:-1]) + 1))
    sizes = np.diff(np.append(starts, n))
    group = np.empty(n, dtype=np.int64)
    group[order] = np.repeat(np.arange(len(starts)), sizes)
    big = sizes >= min_size
    cluster_of_group = np.where(big, np.cumsum(big) - 1, -1).astype(np.int64)
    member = cluster_of_group[group]
    counts = sizes[big].astype(np.int64)
    sx, sy, sr = xs[order], ys[order], ranks[order]
    cx = (np.add.reduceat(sx, starts)[big]) / counts
    cy = (np.add.reduceat(sy, starts)[big]) / counts
    crank = np.minimum.reduceat(sr, starts)[big]
    bx0, bx1 = np.minimum.reduceat(sx, starts)[big], np.maximum.reduceat(sx, starts)[big]
    by0, by1 = np.minimum.reduceat(sy, starts)[big], np.maximum.reduceat(sy, starts)[big]
    shown = np.flatnonzero((member < 0) | pin).astype(np.int64)
    return Clusters(level, cx, cy, counts, crank.astype(np.int64), bx0, by0, bx1, by1, member, shown)


def inside_cells(c: Clusters, margin: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Where to draw each cluster: at its centroid, moved in to at least `margin` metres from its
    cell's edges (the centroid is always inside the cell). With the margin its badge's radius, the
    badges of two clusters never overlap, however their points crowd a corner."""
    cell = cell_metres(c.level)
    m = np.minimum(np.asarray(margin, dtype=np.float64), cell / 2)
    x0 = np.floor(c.x / cell) * cell
    y0 = np.floor(c.y / cell) * cell
    return np.clip(c.x, x0 + m, x0 + cell - m), np.clip(c.y, y0 + m, y0 + cell - m)


def zoom_into(bounds: tuple[float, float, float, float], view_span: float,
              min_span: float = 300.0) -> tuple[float, float, float, float]:
    """The square view that opens a cluster with member `bounds` from a view `view_span` metres
    across: its members with a margin, and at least twice closer than now, so it splits."""
    x0, y0, x1, y1 = bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    span = max(x1 - x0, y1 - y0) * 1.3
    span = max(min_span, min(span, view_span / 2))
    return cx - span / 2, cy - span / 2, cx + span / 2, cy + span / 2


def count_label(n: int) -> str:
    """A cluster's count as a badge shows it: 7, 312, 1.2k, 14k."""
    if n < 1000:
        return str(n)
    if n < 10_000:
        return f"{n / 1000:.1f}k".replace(".0k", "k")
    return f"{round(n / 1000)}k"
