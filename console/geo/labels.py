"""Label placement in screen space: keep the most important labels, skip those that overlap."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def place_labels(px: npt.ArrayLike, py: npt.ArrayLike, widths: npt.ArrayLike, heights: npt.ArrayLike,
                 priority: npt.ArrayLike, *, max_labels: int = 200, margin: float = 4.0) -> list[int]:
    """Indices of the labels to draw, most important first, none overlapping another.

    Each label is a box centred on (px, py) in pixels. A coarse grid of occupied boxes keeps the
    check near-linear, since a national view offers thousands of candidates.
    """
    px = np.asarray(px, dtype=np.float64)
    py = np.asarray(py, dtype=np.float64)
    w = np.asarray(widths, dtype=np.float64) + margin
    h = np.asarray(heights, dtype=np.float64) + margin
    order = np.argsort(-np.asarray(priority, dtype=np.float64), kind="stable")
    cell = 64.0
    grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
    chosen: list[int] = []
    for i in order:
        x0, x1 = px[i] - w[i] / 2, px[i] + w[i] / 2
        y0, y1 = py[i] - h[i] / 2, py[i] + h[i] / 2
        cells = [(cx, cy) for cx in range(int(x0 // cell), int(x1 // cell) + 1)
                 for cy in range(int(y0 // cell), int(y1 // cell) + 1)]
        if any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1
               for c in cells for b in grid.get(c, ())):
            continue
        box = (x0, y0, x1, y1)
        for c in cells:
            grid.setdefault(c, []).append(box)
        chosen.append(int(i))
        if len(chosen) >= max_labels:
            break
    return chosen
