"""The map's area names and, at national zoom, the roll-up badge of each province: chosen and
placed by the Qt-free console.views.map_labels / map_rollup, drawn here."""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence

import numpy as np

from console.geo.boundaries import BaseGeography, BoundaryLevel
from console.geo.labels import Box
from console.geo.tiles import Bounds
from console.ui.i18n import is_korean
from console.ui.map.items import AreaLabelItem, StyledScatterItem
from console.ui.map.point_layer import PointLayer
from console.ui.map.style import INCIDENT_STYLES, MapPalette
from console.ui.qt import QCoreApplication, QtCore, QtGui
from console.views.map_detail import map_detail
from console.views.map_labels import choose_labels, place_badges
from console.views.map_rollup import ProvinceRollup, province_short, rollups_of

ROLLUP_Z = 930.0  # over every layer and the urgent rings, which the badges keep clear of


class AreaLabeler:
    """Owns the label item and the roll-up badges; `update` places both for a view."""

    def __init__(self, base_font: QtGui.QFont) -> None:
        self.item = AreaLabelItem()
        self.item.fonts = [_font(base_font, 13, True), _font(base_font, 10, True), _font(base_font, 9, False)]
        self._metrics = [QtGui.QFontMetrics(f) for f in self.item.fonts]
        self._sizes: dict[tuple[str, int], tuple[float, float]] = {}
        self.rollup_item = StyledScatterItem()
        self.rollup_item.setZValue(ROLLUP_Z)
        self._rollup_font = _font(base_font, 8, False)
        self._title_font = _font(base_font, 9, True)
        self.badge_boxes: dict[str, Box] = {}  # province code -> its badge in view pixels
        self._badge_images: dict[tuple[str, ProvinceRollup, str], QtGui.QImage] = {}
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

    def set_rollups(self, incidents: PointLayer, sites: PointLayer) -> None:
        """The provinces' figures from the incident and polling-station layers' arrays."""
        self.rollups = rollups_of(incidents.regions, incidents.state.style_idx, sites.regions,
                                  sites.state.style_idx, incidents.state.keys, sites.state.keys)

    def update(self, geo: BaseGeography | None, view: Bounds, resolution: float,
               wanted: Collection[BoundaryLevel], obstacles: Sequence[Box], show: bool = True,
               avoid: Sequence[Box] = ()) -> None:
        """Place the names (and at national zoom the provinces' badges) for a view; `avoid` are
        the urgent incidents' rings, which a badge keeps clear of where it can."""
        t = time.perf_counter()
        badges = show and geo is not None and map_detail(resolution).rollups
        boxes = self._place_rollups(geo, view, resolution, obstacles, avoid) if badges and geo else []
        if not badges:
            self.rollup_item.set_points(np.empty(0), np.empty(0), np.empty(0, dtype=np.int64))
            self.badge_boxes = {}
        if geo is None or not show:
            self.item.set_labels(np.empty(0), np.empty(0), [], [])
            return
        # with the badges, a province's name is the badge's first line
        levels = set(wanted) - ({BoundaryLevel.PROVINCE} if badges else set())
        # names keep clear of the urgent incidents' rings too (drawn over everything)
        placed = choose_labels(geo.labels, view, resolution, levels, self.measure,
                               [*obstacles, *boxes, *avoid])
        self.item.set_labels(np.array([p.x for p in placed]), np.array([p.y for p in placed]),
                             [p.text for p in placed], [p.font for p in placed])
        self.last_cost = time.perf_counter() - t

    def _place_rollups(self, geo: BaseGeography, view: Bounds, resolution: float, obstacles: Sequence[Box],
                       avoid: Sequence[Box]) -> list[Box]:
        lab = geo.labels[BoundaryLevel.PROVINCE]
        inside = [i for i in range(len(lab.codes))
                  if view.xmin <= lab.x[i] <= view.xmax and view.ymin <= lab.y[i] <= view.ymax]
        korean = is_korean()
        shown = [(str(lab.codes[i]), province_short(str(lab.codes[i]), lab.names[i], korean),
                  self.rollups.get(str(lab.codes[i]), ProvinceRollup(str(lab.codes[i]), 0, None, 0, 0)))
                 for i in inside]
        images = [self._badge(name, r) for _code, name, r in shown]
        px = [float((lab.x[i] - view.xmin) / resolution) for i in inside]
        py = [float((view.ymax - lab.y[i]) / resolution) for i in inside]
        # the most urgent provinces keep their own place; then the busiest
        prio = [(10 - (r.worst_code if r.worst_code is not None else 9)) * 1e6 + r.open_incidents
                for _c, _n, r in shown]
        within = (0.0, 0.0, (view.xmax - view.xmin) / resolution, (view.ymax - view.ymin) / resolution)
        where = place_badges(px, py, [(img.width(), img.height()) for img in images], prio, obstacles, avoid,
                             within)
        xs = np.array([view.xmin + where[k][0] * resolution for k in range(len(shown))])
        ys = np.array([view.ymax - where[k][1] * resolution for k in range(len(shown))])
        self.rollup_item.set_styles_and_points(images, [0.0] * len(images), xs, ys,
                                               np.arange(len(images), dtype=np.int64))
        out: list[Box] = []
        self.badge_boxes = {}
        for k, img in enumerate(images):
            cx, cy = where[k]
            hw, hh = img.width() / 2, img.height() / 2
            out.append((cx - hw, cy - hh, cx + hw, cy + hh))
            self.badge_boxes[shown[k][0]] = out[-1]
        return out

    def badge_at(self, x: float, y: float) -> str | None:
        """The province code of the badge at view pixel (x, y), if any."""
        for code, (x0, y0, x1, y1) in self.badge_boxes.items():
            if x0 <= x <= x1 and y0 <= y <= y1:
                return code
        return None

    def _badge(self, name: str, r: ProvinceRollup) -> QtGui.QImage:
        """A badge's image, made once per name, figures and theme (a view change re-places the
        badges; making 17 images each time took 10-20 ms)."""
        key = (name, r, self._palette.name if self._palette else "dark")
        img = self._badge_images.get(key)
        if img is None:
            if len(self._badge_images) > 500:
                self._badge_images.clear()
            img = self._badge_images[key] = self._render(name, r)
        return img

    def _render(self, name: str, r: ProvinceRollup) -> QtGui.QImage:
        """Two lines: the province, a dot in its most urgent open code's colour and its open
        incidents; then its polling stations open with their officers in place ("ok": not "open",
        which would leave out the open ones short of officers), and those short of officers (open
        or not yet), the deployment panel's "sites short". Short words: the badges share the
        national view."""
        incidents = QCoreApplication.translate("MapRollup", "%1 open").replace("%1", f"{r.open_incidents:,}")
        if r.worst_code is not None:
            code = QCoreApplication.translate("MapRollup", "code %1").replace("%1", str(r.worst_code))
            incidents += f" · {code}"
        sites = QCoreApplication.translate("MapRollup", "sites %1 ok · %2 short")
        sites = sites.replace("%1", f"{r.sites_open:,}").replace("%2", f"{r.sites_short:,}")
        m = QtGui.QFontMetrics(self._rollup_font)
        title = QtGui.QFontMetrics(self._title_font)
        dot = 9
        head = title.horizontalAdvance(name) + 5
        indent = dot + 4 if r.worst_code is not None else 0
        w = max(head + indent + m.horizontalAdvance(incidents), m.horizontalAdvance(sites)) + 12
        h = max(title.height(), m.height()) + m.height() + 5
        img = QtGui.QImage(w + 2, h + 2, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(0)
        dark = self._palette is None or self._palette.name == "dark"
        theme = "dark" if dark else "light"
        p = QtGui.QPainter(img)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        bg = QtGui.QColor("#141c28" if dark else "#ffffff")
        bg.setAlpha(235)
        urgent = r.worst_code is not None and r.worst_code <= 1
        plain = "#8aa0bd" if dark else "#5c677d"
        rim = INCIDENT_STYLES[f"{r.worst_code}:open"].fill_for(theme) if urgent else plain
        p.setPen(QtGui.QPen(QtGui.QColor(rim), 2.0 if urgent else 1.0))
        p.setBrush(bg)
        p.drawRoundedRect(QtCore.QRectF(1, 1, w, h), 4, 4)
        text = QtGui.QColor("#e9eef5" if dark else "#1b2433")
        muted = QtGui.QColor("#b7c3d4" if dark else "#3d4a63")
        line = max(title.height(), m.height())
        base = 3 + max(title.ascent(), m.ascent())
        p.setFont(self._title_font)
        p.setPen(text)
        p.drawText(QtCore.QPointF(7, base), name)
        x = 7 + head
        if r.worst_code is not None:
            p.setBrush(QtGui.QColor(INCIDENT_STYLES[f"{r.worst_code}:open"].fill_for(theme)))
            p.setPen(QtGui.QPen(QtGui.QColor("#000000"), 0.8))
            p.drawEllipse(QtCore.QRectF(x, 3 + (line - dot) / 2, dot, dot))
            x += indent
        p.setFont(self._rollup_font)
        p.setPen(text)
        p.drawText(QtCore.QPointF(x, base), incidents)
        p.setPen(muted)
        p.drawText(QtCore.QPointF(7, 3 + line + m.ascent()), sites)
        p.end()
        return img


def _font(base: QtGui.QFont, point_size: int, bold: bool) -> QtGui.QFont:
    f = QtGui.QFont(base)
    f.setPointSize(point_size)
    f.setBold(bold)
    return f
