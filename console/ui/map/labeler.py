"""The map's area names and, at national zoom, the roll-up badge of each province: chosen and
placed by the Qt-free console.views.map_labels / map_rollup, drawn here."""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence

import numpy as np

from console.geo.boundaries import BaseGeography, BoundaryLevel
from console.geo.labels import Box
from console.geo.tiles import Bounds
from console.ui.map.items import AreaLabelItem, StyledScatterItem
from console.ui.map.style import INCIDENT_STYLES, MapPalette
from console.ui.qt import QCoreApplication, QtCore, QtGui
from console.views.map_detail import map_detail
from console.views.map_labels import choose_labels
from console.views.map_rollup import ProvinceRollup, anchors, province_rollups

ROLLUP_Z = 905.0  # over the layers, beside the names (both keep clear of each other)


class AreaLabeler:
    """Owns the label item and the roll-up badges; `update` places both for a view."""

    def __init__(self, base_font: QtGui.QFont) -> None:
        self.item = AreaLabelItem()
        self.item.fonts = [_font(base_font, 13, True), _font(base_font, 10, True), _font(base_font, 9, False)]
        self._metrics = [QtGui.QFontMetrics(f) for f in self.item.fonts]
        self._sizes: dict[tuple[str, int], tuple[float, float]] = {}
        self.rollup_item = StyledScatterItem()
        self.rollup_item.setZValue(ROLLUP_Z)
        self._rollup_font = _font(base_font, 9, True)
        self.rollups: dict[str, ProvinceRollup] = {}
        self._rollup_boxes: list[Box] = []
        self._palette: MapPalette | None = None
        self.last_cost = 0.0  # seconds the last placement took (the benchmark's figure)

    def set_palette(self, palette: MapPalette) -> None:
        self._palette = palette
        self.item.set_colours(palette.label, palette.label_halo)

    def measure(self, text: str, font: int) -> tuple[float, float]:
        size = self._sizes.get((text, font))
        if size is None:
            m = self._metrics[font]
            size = self._sizes[(text, font)] = (float(m.horizontalAdvance(text)), float(m.height()))
        return size

    def set_rollups(self, incident_regions: Sequence[str], incident_styles: Sequence[str],
                    site_regions: Sequence[str], site_styles: Sequence[str]) -> None:
        self.rollups = province_rollups(incident_regions, incident_styles, site_regions, site_styles)

    def update(self, geo: BaseGeography | None, view: Bounds, resolution: float,
               wanted: Collection[BoundaryLevel], obstacles: Sequence[Box], show: bool = True) -> None:
        t = time.perf_counter()
        if geo is None or not show:
            self.item.set_labels(np.empty(0), np.empty(0), [], [])
            self.rollup_item.set_points(np.empty(0), np.empty(0), np.empty(0, dtype=np.int64))
            return
        boxes = self._place_rollups(geo, view, resolution) if BoundaryLevel.PROVINCE in wanted else []
        placed = choose_labels(geo.labels, view, resolution, wanted, self.measure, [*obstacles, *boxes])
        self.item.set_labels(np.array([p.x for p in placed]), np.array([p.y for p in placed]),
                             [p.text for p in placed], [p.font for p in placed])
        self.last_cost = time.perf_counter() - t

    def _place_rollups(self, geo: BaseGeography, view: Bounds, resolution: float) -> list[Box]:
        shown = [r for r in self.rollups.values() if not r.empty] if map_detail(resolution).rollups else []
        lab = geo.labels[BoundaryLevel.PROVINCE]
        where = anchors([r.code for r in shown], lab.codes, lab.x, lab.y)
        shown = [r for r in shown if r.code in where]
        images = [self._render(r) for r in shown]
        # the badge hangs just under the province's name anchor
        xs = np.array([where[r.code][0] for r in shown])
        drop = np.array([img.height() / 2 + 2 for img in images]) * resolution
        ys = np.array([where[r.code][1] for r in shown]) - drop
        self.rollup_item.set_styles_and_points(images, [0.0] * len(images), xs, ys,
                                               np.arange(len(images), dtype=np.int64))
        out: list[Box] = []
        for img, x, y in zip(images, xs.tolist(), ys.tolist(), strict=True):
            cx, cy = (x - view.xmin) / resolution, (view.ymax - y) / resolution
            hw, hh = img.width() / 2, img.height() / 2
            out.append((cx - hw, cy - hh, cx + hw, cy + hh))
        return out

    def _render(self, r: ProvinceRollup) -> QtGui.QImage:
        tr = QCoreApplication.translate
        first = tr("MapRollup", "%1 open").replace("%1", f"{r.open_incidents:,}")
        if r.worst_code is not None:
            first += " · " + tr("MapRollup", "worst code %1").replace("%1", str(r.worst_code))
        second = tr("MapRollup", "sites %1 open · %2 short").replace("%1", f"{r.sites_open:,}").replace(
            "%2", f"{r.sites_short:,}")
        m = QtGui.QFontMetrics(self._rollup_font)
        dot = 9
        w = max(m.horizontalAdvance(first) + dot + 4, m.horizontalAdvance(second)) + 10
        h = 2 * m.height() + 6
        img = QtGui.QImage(w + 2, h + 2, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(0)
        pal = self._palette
        dark = pal is None or pal.name == "dark"
        p = QtGui.QPainter(img)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        bg = QtGui.QColor("#18212e" if dark else "#ffffff")
        bg.setAlpha(225)
        p.setPen(QtGui.QPen(QtGui.QColor("#8aa0bd" if dark else "#5c677d"), 1.0))
        p.setBrush(bg)
        p.drawRoundedRect(QtCore.QRectF(1, 1, w, h), 4, 4)
        if r.worst_code is not None:
            style = INCIDENT_STYLES[f"{r.worst_code}:open"]
            p.setBrush(QtGui.QColor(style.fill_for("dark" if dark else "light")))
            p.setPen(QtGui.QPen(QtGui.QColor("#000000"), 0.8))
            p.drawEllipse(QtCore.QRectF(6, 3 + (m.height() - dot) / 2, dot, dot))
        p.setFont(self._rollup_font)
        p.setPen(QtGui.QColor("#e9eef5" if dark else "#1b2433"))
        x0 = 6 + (dot + 4 if r.worst_code is not None else 0)
        p.drawText(QtCore.QPointF(x0, 3 + m.ascent()), first)
        p.drawText(QtCore.QPointF(6, 3 + m.height() + m.ascent()), second)
        p.end()
        return img


def _font(base: QtGui.QFont, point_size: int, bold: bool) -> QtGui.QFont:
    f = QtGui.QFont(base)
    f.setPointSize(point_size)
    f.setBold(bold)
    return f
