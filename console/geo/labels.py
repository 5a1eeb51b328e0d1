"""Label placement in screen space: keep the most important labels, skip those that overlap each
other or an obstacle (a cluster badge, a roll-up badge, the scale bar), trying a few positions
around each anchor before giving a label up."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels

# Where a label may sit around its anchor, in label sizes: centred first, then above, below,
# right and left of it (a name beside its badge still names the place).
OFFSETS: tuple[tuple[float, float], ...] = ((0.0, 0.0), (0.0, -1.0), (0.0, 1.0), (1.0, 0.0), (-1.0, 0.0))
CELL = 64.0


class _Grid:
    """Occupied boxes in coarse cells: the overlap check stays near-linear."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[Box]] = {}

    def _cells(self, b: Box) -> list[tuple[int, int]]:
        return [(cx, cy) for cx in range(int(b[0] // CELL), int(b[2] // CELL) + 1)
                for cy in range(int(b[1] // CELL), int(b[3] // CELL) + 1)]

    def free(self, b: Box) -> bool:
        return not any(b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3]
                       for c in self._cells(b) for o in self.cells.get(c, ()))

    def add(self, b: Box) -> None:
        for c in self._cells(b):
            self.cells.setdefault(c, []).append(b)


def place_labels(px: npt.ArrayLike, py: npt.ArrayLike, widths: npt.ArrayLike, heights: npt.ArrayLike,
                 priority: npt.ArrayLike, *, max_labels: int = 200, margin: float = 4.0,
                 obstacles: Sequence[Box] = ()) -> list[int]:
    """Indices of the labels to draw centred on their anchors, most important first."""
    return [i for i, _x, _y in place_labels_around(px, py, widths, heights, priority, max_labels=max_labels,
                                                   margin=margin, obstacles=obstacles)]


def place_labels_around(px: npt.ArrayLike, py: npt.ArrayLike, widths: npt.ArrayLike, heights: npt.ArrayLike,
                        priority: npt.ArrayLike, *, max_labels: int = 200, margin: float = 4.0,
                        obstacles: Sequence[Box] = (),
                        offsets: Sequence[tuple[float, float]] = ((0.0, 0.0),),
                        within: Box | None = None) -> list[tuple[int, float, float]]:
    """The labels to draw, most important first: (index, x, y of the label's centre in pixels),
    none overlapping another or an obstacle. Each label is a box centred on (px, py) moved by one
    of `offsets` (in label widths and heights, tried in order), inside `within` if given."""
    px = np.asarray(px, dtype=np.float64)
    py = np.asarray(py, dtype=np.float64)
    w = np.asarray(widths, dtype=np.float64) + margin
    h = np.asarray(heights, dtype=np.float64) + margin
    order = np.argsort(-np.asarray(priority, dtype=np.float64), kind="stable")
    grid = _Grid()
    for b in obstacles:
        grid.add(b)
    chosen: list[tuple[int, float, float]] = []
    for i in order.tolist():
        for ox, oy in offsets:
            cx, cy = px[i] + ox * w[i], py[i] + oy * h[i]
            box = (cx - w[i] / 2, cy - h[i] / 2, cx + w[i] / 2, cy + h[i] / 2)
            if within is not None and not (within[0] <= box[0] and box[2] <= within[2]
                                           and within[1] <= box[1] and box[3] <= within[3]):
                continue  # cut by the view's edge
            if grid.free(box):
                grid.add(box)
                chosen.append((int(i), float(cx), float(cy)))
                break
        if len(chosen) >= max_labels:
            break
    return chosen
