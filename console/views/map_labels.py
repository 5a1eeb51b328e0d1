"""Which area names a map view draws and where (no Qt): the levels of the zoom band the user has
not switched off, big enough areas first, placed around their anchors clear of each other and of
the badges, the scale bar and the attribution (console.geo.labels)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from console.geo.boundaries import AreaLabels, BoundaryLevel
from console.geo.labels import OFFSETS, Box, place_labels_around
from console.geo.tiles import Bounds
from console.views.map_detail import map_detail

# Font slot per level: provinces large and bold, districts bold, towns plain.
FONT_OF_LEVEL: dict[BoundaryLevel, int] = {BoundaryLevel.PROVINCE: 0, BoundaryLevel.DISTRICT: 1,
                                           BoundaryLevel.TOWN: 2}
MAX_LABELS = 80
MAX_CANDIDATES = 800  # per level, the largest areas in view
MIN_AREA_PX = 800  # a district or town named only when it covers this many screen pixels


@dataclass(frozen=True)
class PlacedLabel:
    x: float  # the label's centre, Mercator
    y: float
    text: str
    font: int


def choose_labels(labels: Mapping[BoundaryLevel, AreaLabels], view: Bounds, resolution: float,
                  wanted: Collection[BoundaryLevel], measure: Callable[[str, int], tuple[float, float]],
                  obstacles: Sequence[Box] = ()) -> list[PlacedLabel]:
    """The names to draw in `view` at `resolution` (Mercator metres per pixel). `measure(text,
    font)` gives a label's size in pixels; `obstacles` are boxes in view pixels (y down) no name
    may cover."""
    levels = [lv for lv in BoundaryLevel if lv in map_detail(resolution).label_levels and lv in wanted]
    xs: list[float] = []
    ys: list[float] = []
    names: list[str] = []
    fonts: list[int] = []
    prio: list[float] = []
    for level in levels:
        lab = labels.get(level)
        if lab is None:
            continue
        font = FONT_OF_LEVEL[level]
        inside = np.flatnonzero((lab.x >= view.xmin) & (lab.x <= view.xmax) &
                                (lab.y >= view.ymin) & (lab.y <= view.ymax))
        if level != BoundaryLevel.PROVINCE:
            inside = inside[lab.area[inside] / (resolution * resolution) > MIN_AREA_PX]
        if len(inside) > MAX_CANDIDATES:
            inside = inside[np.argsort(-lab.area[inside])[:MAX_CANDIDATES]]
        for i in inside.tolist():
            name = lab.names[i]
            xs.append(float(lab.x[i]))
            ys.append(float(lab.y[i]))
            names.append(name)
            fonts.append(font)
            # metropolitan cities are small but where most sites are: their names go first
            boost = 0.0
            if level == BoundaryLevel.PROVINCE:
                boost = 2e14 if name.endswith("특별시") else 1e14 if name.endswith("광역시") else 0.0
            prio.append((3 - font) * 1e15 + float(lab.area[i]) + boost)
    if not names:
        return []
    px = (np.array(xs) - view.xmin) / resolution
    py = (view.ymax - np.array(ys)) / resolution
    sizes = [measure(n, f) for n, f in zip(names, fonts, strict=True)]
    placed = place_labels_around(px, py, [s[0] for s in sizes], [s[1] for s in sizes], prio,
                                 max_labels=MAX_LABELS, margin=6.0, obstacles=obstacles, offsets=OFFSETS,
                                 within=(0.0, 0.0, (view.xmax - view.xmin) / resolution,
                                         (view.ymax - view.ymin) / resolution))
    return [PlacedLabel(view.xmin + cx * resolution, view.ymax - cy * resolution, names[i], fonts[i])
            for i, cx, cy in placed]


# A badge tries its anchor, then around it: below, above, right, left and the corners.
BADGE_OFFSETS: tuple[tuple[float, float], ...] = (
    (0.0, 0.0), (0.0, 0.6), (0.0, -0.6), (0.6, 0.0), (-0.6, 0.0), (0.6, 0.6), (-0.6, 0.6), (0.6, -0.6),
    (-0.6, -0.6), (0.0, 1.2), (0.0, -1.2), (1.2, 0.0), (-1.2, 0.0))
# Farther out, for the badges with no room near their anchor (the metropolitan cities' crowd).
FAR_OFFSETS: tuple[tuple[float, float], ...] = tuple(
    (r * dx, r * dy) for r in (1.2, 1.8, 2.4, 3.0)
    for dx, dy in ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1)))


def place_badges(px: Sequence[float], py: Sequence[float], sizes: Sequence[tuple[float, float]],
                 priority: Sequence[float], obstacles: Sequence[Box] = (), avoid: Sequence[Box] = (),
                 within: Box | None = None) -> dict[int, tuple[float, float]]:
    """Where each badge's centre goes (pixels): near its anchor, clear of the other badges and of
    `obstacles`, and of `avoid` (urgent incidents) where it can be. A badge with no free place
    left at all is drawn at its anchor (a province's figures are never dropped)."""
    w = [s[0] for s in sizes]
    h = [s[1] for s in sizes]
    first = place_labels_around(px, py, w, h, priority, max_labels=len(px), margin=4.0,
                                obstacles=[*obstacles, *avoid], offsets=BADGE_OFFSETS, within=within)
    out = {i: (x, y) for i, x, y in first}
    left = [i for i in range(len(px)) if i not in out]
    if left:
        placed: list[Box] = [(x - w[i] / 2, y - h[i] / 2, x + w[i] / 2, y + h[i] / 2)
                             for i, (x, y) in out.items()]
        second = place_labels_around([px[i] for i in left], [py[i] for i in left], [w[i] for i in left],
                                     [h[i] for i in left], [priority[i] for i in left], max_labels=len(left),
                                     margin=2.0, obstacles=[*obstacles, *placed],
                                     offsets=BADGE_OFFSETS + FAR_OFFSETS, within=within)
        for j, x, y in second:
            out[left[j]] = (x, y)
    for i in range(len(px)):
        out.setdefault(i, (float(px[i]), float(py[i])))
    return out
