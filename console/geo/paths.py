"""Poly-lines packed as one x/y array with a `connect` mask, the form PlotCurveItem draws fast."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from console.geo.mercator import FloatArray


@dataclass(frozen=True)
class LinePath:
    """Vertices of many lines end to end; connect[i] says whether vertex i joins vertex i+1."""

    x: FloatArray
    y: FloatArray
    connect: npt.NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.x)

    def bounds(self) -> tuple[float, float, float, float] | None:
        if not len(self.x):
            return None
        return float(self.x.min()), float(self.y.min()), float(self.x.max()), float(self.y.max())


EMPTY_PATH = LinePath(np.empty(0), np.empty(0), np.empty(0, dtype=bool))


def join_rings(lines: Sequence[FloatArray]) -> LinePath:
    """Concatenate (n, 2) vertex arrays into one LinePath with breaks between them."""
    lines = [line for line in lines if len(line) >= 2]
    if not lines:
        return EMPTY_PATH
    xy = np.concatenate(lines)
    connect = np.ones(len(xy), dtype=bool)
    ends = np.cumsum([len(line) for line in lines]) - 1
    connect[ends] = False
    return LinePath(np.ascontiguousarray(xy[:, 0]), np.ascontiguousarray(xy[:, 1]), connect)


def segments(x0: FloatArray, y0: FloatArray, x1: FloatArray, y1: FloatArray) -> LinePath:
    """Independent straight segments (x0, y0) -> (x1, y1) as one LinePath."""
    n = len(x0)
    x = np.empty(2 * n)
    y = np.empty(2 * n)
    x[0::2], x[1::2] = x0, x1
    y[0::2], y[1::2] = y0, y1
    connect = np.zeros(2 * n, dtype=bool)
    connect[0::2] = True
    return LinePath(x, y, connect)


GridPart = tuple[tuple[int, int], LinePath, tuple[float, float, float, float]]


def split_by_grid(path: LinePath, cell: float) -> list[GridPart]:
    """Cut a LinePath into square grid cells (by the cell of each segment's first vertex), so
    that a view draws only the cells it touches. Segments are kept whole: no gaps, and a
    segment crossing a cell edge belongs to one cell only. Each part comes with its bounds."""
    n = len(path.x)
    if n < 2:
        return []
    if n % 2 == 0 and path.connect[0::2].all() and not path.connect[1::2].any():
        return _split_pairs(path, cell)
    seg = np.flatnonzero(path.connect[:-1])  # segment s joins vertex s to s + 1
    if not len(seg):
        return []
    cx = np.floor(path.x[seg] / cell).astype(np.int64)
    cy = np.floor(path.y[seg] / cell).astype(np.int64)
    key = (cx - cx.min()) * (int(cy.max() - cy.min()) + 1) + (cy - cy.min())
    order = np.argsort(key, kind="stable")
    seg, key, cx, cy = seg[order], key[order], cx[order], cy[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], len(seg)]
    out: list[GridPart] = []
    for a, b in zip(starts, ends, strict=True):
        s = np.sort(seg[a:b])
        run_end = s[np.r_[s[1:] != s[:-1] + 1, True]]
        # each segment's first vertex (joined to the next), plus the last vertex of each run
        v = np.concatenate([s, run_end + 1])
        o = np.argsort(v, kind="stable")
        vertices = v[o]
        connect = np.concatenate([np.ones(len(s), dtype=bool), np.zeros(len(run_end), dtype=bool)])[o]
        part = LinePath(path.x[vertices], path.y[vertices], connect)
        bounds = part.bounds()
        assert bounds is not None
        out.append(((int(cx[a]), int(cy[a])), part, bounds))
    return out


def _split_pairs(path: LinePath, cell: float) -> list[GridPart]:
    """split_by_grid for independent segments (x0 y0 x1 y1 pairs): fully vectorised, since a
    route layer re-splits on every state change."""
    px = path.x.reshape(-1, 2)
    py = path.y.reshape(-1, 2)
    cx = np.floor(px[:, 0] / cell).astype(np.int64)
    cy = np.floor(py[:, 0] / cell).astype(np.int64)
    key = (cx - cx.min()) * (int(cy.max() - cy.min()) + 1) + (cy - cy.min())
    order = np.argsort(key, kind="stable")
    px, py, key, cx, cy = px[order], py[order], key[order], cx[order], cy[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], len(key)]
    xmin = np.minimum.reduceat(px.min(axis=1), starts)
    xmax = np.maximum.reduceat(px.max(axis=1), starts)
    ymin = np.minimum.reduceat(py.min(axis=1), starts)
    ymax = np.maximum.reduceat(py.max(axis=1), starts)
    connect = np.tile([True, False], len(key))
    return [((int(cx[a]), int(cy[a])),
             LinePath(px[a:b].ravel(), py[a:b].ravel(), connect[2 * a:2 * b]),
             (float(xmin[i]), float(ymin[i]), float(xmax[i]), float(ymax[i])))
            for i, (a, b) in enumerate(zip(starts, ends, strict=True))]
