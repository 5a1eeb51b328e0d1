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
