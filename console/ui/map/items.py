"""Custom pyqtgraph items drawn in screen pixels over Mercator data: urgent halos, area labels and
cluster badges."""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from pyqtgraph.Qt.internals import PrimitiveArray

from console.geo.mercator import FloatArray
from console.ui.qt import QtCore, QtGui

QRectF = QtCore.QRectF
QPointF = QtCore.QPointF


def _device_xy(p: QtGui.QPainter, x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Data -> device pixels with the painter's (axis-aligned) transform, vectorised."""
    t = p.transform()
    return t.m11() * x + t.m21() * y + t.dx(), t.m12() * x + t.m22() * y + t.dy()


class StyledScatterItem(pg.GraphicsObject):  # type: ignore[misc]
    """Many points, each with one of a few styles, in one item.

    Like pyqtgraph's ScatterPlotItem (pre-rendered symbols blitted with drawPixmapFragments), but
    a point's style is an index into a small table: changing the state of one polling station is
    an array write, not a re-styling of 18,000 points (ScatterPlotItem.setData with per-point
    styles takes ~0.2 s for that many), and one item per layer avoids the per-item cost of one
    ScatterPlotItem per style.
    """

    def __init__(self) -> None:
        super().__init__()
        self.x: FloatArray = np.empty(0)
        self.y: FloatArray = np.empty(0)
        self.style_index = np.empty(0, dtype=np.int64)
        self._order = np.empty(0, dtype=np.int64)
        self._ox: FloatArray = np.empty(0)
        self._oy: FloatArray = np.empty(0)
        self._ostyle = np.empty(0, dtype=np.int64)
        self._ohalf: FloatArray = np.empty(0)
        self._orects: FloatArray = np.empty((0, 4))
        self._starts = np.array([0, 0], dtype=np.int64)  # where each z group starts, drawing order
        self._atlas: QtGui.QPixmap | None = None
        self._rects = np.empty((0, 4))
        self._z = np.empty(0)
        self._half = np.empty(0)  # half the symbol size per style, for culling
        self._rect = QRectF()
        self._bounds: QRectF | None = None
        self._frags = PrimitiveArray(QtGui.QPainter.PixmapFragment, 10)

    def set_styles(self, images: Sequence[QtGui.QImage], z: Sequence[float]) -> None:
        """The symbol image of every style (index = style number) and their drawing order."""
        width = sum(img.width() + 2 for img in images) or 1
        height = max((img.height() for img in images), default=1)
        atlas = QtGui.QImage(width, height, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        atlas.fill(0)
        p = QtGui.QPainter(atlas)
        rects = []
        x = 0
        for img in images:
            p.drawImage(x, 0, img)
            rects.append((x, 0, img.width(), img.height()))
            x += img.width() + 2
        p.end()
        self._atlas = QtGui.QPixmap.fromImage(atlas)
        self._rects = np.array(rects, dtype=np.float64).reshape(-1, 4)
        self._half = np.array([max(r[2], r[3]) / 2 for r in rects]) if rects else np.empty(0)
        self._z = np.asarray(z, dtype=np.float64)
        self.prepareGeometryChange()
        self._bounds = None
        self._reorder()
        self.update()

    def set_points(self, x: FloatArray, y: FloatArray, style_index: npt.NDArray[np.int64]) -> None:
        self._set_points(x, y, style_index)
        self._reorder()
        self.update()

    def set_styles_and_points(self, images: Sequence[QtGui.QImage], z: Sequence[float], x: FloatArray,
                              y: FloatArray, style_index: npt.NDArray[np.int64]) -> None:
        """Both at once (cluster badges change with their points): one re-sort, no state where
        a point names a style that is not there yet."""
        self._set_points(x, y, style_index)
        self.set_styles(images, z)

    def _set_points(self, x: FloatArray, y: FloatArray, style_index: npt.NDArray[np.int64]) -> None:
        self.prepareGeometryChange()
        self._bounds = None
        self.x = np.asarray(x, dtype=np.float64)
        self.y = np.asarray(y, dtype=np.float64)
        self.style_index = np.asarray(style_index, dtype=np.int64)
        if len(self.x):
            self._rect = QRectF(float(self.x.min()), float(self.y.min()),
                                float(np.ptp(self.x)) or 1.0, float(np.ptp(self.y)) or 1.0)
        else:
            self._rect = QRectF()

    def _reorder(self) -> None:
        """Points sorted into drawing order once per change, not once per frame: by z, and by x
        within a z, so that a frame finds the points in view by binary search."""
        n = len(self.style_index)
        if len(self._z) and n and len(self.x) == n:
            zs = self._z[self.style_index]
            self._order = np.lexsort((self.x, zs))
            sz = zs[self._order]
            self._starts = np.concatenate(([0], np.flatnonzero(sz[1:] != sz[:-1]) + 1, [n])).astype(np.int64)
        else:
            self._order = np.arange(n)
            self._starts = np.array([0, n], dtype=np.int64)
        self._ox = self.x[self._order] if len(self.x) == len(self._order) else np.empty(0)
        self._oy = self.y[self._order] if len(self.y) == len(self._order) else np.empty(0)
        self._ostyle = self.style_index[self._order]
        self._ohalf = self._half[self._ostyle] if len(self._half) else np.zeros(len(self._ostyle))
        self._orects = self._rects[self._ostyle] if len(self._rects) else np.zeros((len(self._ostyle), 4))

    def _in_x(self, x0: float, x1: float) -> npt.NDArray[np.int64] | None:
        """Indices (drawing order) of the points with x0 <= x <= x1; None if that is most of them."""
        groups = list(pairwise(self._starts.tolist()))
        lo = [a + int(np.searchsorted(self._ox[a:b], x0, "left")) for a, b in groups]
        hi = [a + int(np.searchsorted(self._ox[a:b], x1, "right")) for a, b in groups]
        total = sum(h - lo_ for lo_, h in zip(lo, hi, strict=True))
        if total > len(self._ox) // 2:
            return None
        return np.concatenate([np.arange(a, b) for a, b in zip(lo, hi, strict=True)]) if total else \
            np.empty(0, dtype=np.int64)

    def viewTransformChanged(self) -> None:
        self.prepareGeometryChange()
        self._bounds = None

    def boundingRect(self) -> QRectF:
        # asked for many times a frame: worked out once per view (pixelLength costs ~20 us)
        if self._bounds is None:
            if self._rect.isNull():
                self._bounds = QRectF()
            else:
                half = float(self._half.max()) + 2 if len(self._half) else 10.0
                pad = half * (self.pixelLength(pg.Point(1, 0)) or 0.0)
                self._bounds = self._rect.adjusted(-pad, -pad, pad, pad)
        return self._bounds

    def paint(self, p: QtGui.QPainter, *_args: object) -> None:
        if not len(self.x) or self._atlas is None:
            return
        if len(self._ox) != len(self.x):
            return
        device = p.device()
        w, h = (device.width(), device.height()) if device is not None else (1e9, 1e9)
        t = p.transform()
        sel: npt.NDArray[np.int64] | None = None
        if t.m12() == 0 and t.m21() == 0 and t.m11() != 0 and len(self._half):
            # zoomed in, most points are off screen: the ones in the view's x range only
            pad = float(self._half.max()) / abs(t.m11())
            xa, xb = sorted(((0 - t.dx()) / t.m11(), (w - t.dx()) / t.m11()))
            sel = self._in_x(xa - pad, xb + pad)
        ox, oy, half, rects = self._ox, self._oy, self._ohalf, self._orects
        if sel is not None:
            ox, oy, half, rects = ox[sel], oy[sel], half[sel], rects[sel]
        dx, dy = _device_xy(p, ox, oy)
        keep = (dx > -half) & (dx < w + half) & (dy > -half) & (dy < h + half)
        n = int(np.count_nonzero(keep))
        if not n:
            return
        self._frags.resize(n)
        frags = self._frags.ndarray()
        frags[:, 0] = np.round(dx[keep])
        frags[:, 1] = np.round(dy[keep])
        frags[:, 2:6] = rects[keep]
        frags[:, 6:10] = (1.0, 1.0, 0.0, 1.0)
        p.save()
        p.resetTransform()
        p.drawPixmapFragments(*self._frags.drawargs(), self._atlas)  # type: ignore[call-arg]
        p.restore()


class HaloItem(pg.GraphicsObject):  # type: ignore[misc]
    """Pulsing rings around urgent points (112 code 0 and 1), sized in pixels."""

    MAX_RADIUS = 19.0
    STEPS = 8

    def __init__(self, colour: str = "#ff1f1f") -> None:
        super().__init__()
        self._x: FloatArray = np.empty(0)
        self._y: FloatArray = np.empty(0)
        self._rect = QRectF()
        self.step = 0
        self._colour = QtGui.QColor(colour)
        self._rings: dict[int, QtGui.QPixmap] = {}
        self._bounds: QRectF | None = None
        self._frags = PrimitiveArray(QtGui.QPainter.PixmapFragment, 10)
        self.setZValue(40)

    def set_points(self, x: FloatArray, y: FloatArray) -> None:
        self.prepareGeometryChange()
        self._bounds = None
        self._x, self._y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        if len(self._x):
            self._rect = QRectF(float(self._x.min()), float(self._y.min()),
                                float(np.ptp(self._x)) or 1.0, float(np.ptp(self._y)) or 1.0)
        else:
            self._rect = QRectF()
        self.update()

    def set_colour(self, colour: str) -> None:
        self._colour = QtGui.QColor(colour)
        self._rings.clear()
        self.update()

    def count(self) -> int:
        return len(self._x)

    def advance(self) -> None:
        """The next step of the pulse: only the rings' own squares are repainted (an update of
        the item's country-wide rectangle repainted every line of the view, 20-100 ms under load)."""
        self.step = (self.step + 1) % self.STEPS
        vb = self.getViewBox()
        if vb is None or not len(self._x):
            return
        view = vb.viewRect()
        r = (self.MAX_RADIUS + 4) * (self.pixelLength(pg.Point(1, 0)) or 0.0)
        inside = np.flatnonzero((self._x > view.left() - r) & (self._x < view.right() + r)
                                & (self._y > view.top() - r) & (self._y < view.bottom() + r))
        for i in inside.tolist():
            self.update(QRectF(self._x[i] - r, self._y[i] - r, 2 * r, 2 * r))

    def _ring(self, step: int) -> QtGui.QPixmap:
        """Two rings chasing each other outwards, fading as they grow; one pixmap per step."""
        pix = self._rings.get(step)
        if pix is None:
            size = int(2 * self.MAX_RADIUS + 6)
            img = QtGui.QImage(size, size, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
            img.fill(0)
            q = QtGui.QPainter(img)
            q.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            for offset in (0.0, 0.5):
                ph = (step / self.STEPS + offset) % 1.0
                radius = 8.0 + (self.MAX_RADIUS - 8.0) * ph
                colour = QtGui.QColor(self._colour)
                colour.setAlphaF(max(0.0, 0.95 * (1.0 - ph)))
                q.setPen(QtGui.QPen(colour, 3.0))
                q.setBrush(QtCore.Qt.BrushStyle.NoBrush)
                q.drawEllipse(QPointF(size / 2, size / 2), radius, radius)
            q.end()
            pix = QtGui.QPixmap.fromImage(img)
            self._rings[step] = pix
        return pix

    def viewTransformChanged(self) -> None:
        self.prepareGeometryChange()
        self._bounds = None

    def boundingRect(self) -> QRectF:
        if self._bounds is None:
            if self._rect.isNull():
                self._bounds = QRectF()
            else:
                pad = (self.MAX_RADIUS + 4) * (self.pixelLength(pg.Point(1, 0)) or 0.0)
                self._bounds = self._rect.adjusted(-pad, -pad, pad, pad)
        return self._bounds

    def paint(self, p: QtGui.QPainter, *_args: object) -> None:
        if not len(self._x):
            return
        dx, dy = _device_xy(p, self._x, self._y)
        device = p.device()
        w, h = (device.width(), device.height()) if device is not None else (1e9, 1e9)
        m = self.MAX_RADIUS + 4
        keep = (dx > -m) & (dx < w + m) & (dy > -m) & (dy < h + m)
        n = int(keep.sum())
        if not n:
            return
        ring = self._ring(self.step)
        self._frags.resize(n)
        frags = self._frags.ndarray()
        frags[:, 0] = np.round(dx[keep])
        frags[:, 1] = np.round(dy[keep])
        frags[:, 2:6] = (0, 0, ring.width(), ring.height())
        frags[:, 6:10] = (1.0, 1.0, 0.0, 1.0)
        p.save()
        p.resetTransform()
        p.drawPixmapFragments(*self._frags.drawargs(), ring)  # type: ignore[call-arg]
        p.restore()


class AreaLabelItem(pg.GraphicsObject):  # type: ignore[misc]
    """Area names at anchor points, drawn unscaled with a halo so they read over any background.

    Each (name, font) is rendered once, halo included, into a slot of a label atlas; a frame
    then draws every label in one drawPixmapFragments call.
    """

    ATLAS = 1024  # pixels square

    def __init__(self) -> None:
        super().__init__()
        self._x: FloatArray = np.empty(0)
        self._y: FloatArray = np.empty(0)
        self._texts: list[str] = []
        self._font_of: list[int] = []
        self._rects: FloatArray = np.empty((0, 4))
        self.fonts: list[QtGui.QFont] = []
        self._colour = QtGui.QColor("#ffffff")
        self._halo = QtGui.QColor("#000000")
        self._slots: dict[tuple[str, int], tuple[int, int, int, int]] = {}
        self._atlas: QtGui.QPixmap | None = None
        self._shelf = (0, 0, 0)  # x, y, height of the row being filled
        self._frags = PrimitiveArray(QtGui.QPainter.PixmapFragment, 10)
        self.setZValue(900)  # above every layer: names must stay readable

    def set_colours(self, text: str, halo: str) -> None:
        self._colour, self._halo = QtGui.QColor(text), QtGui.QColor(halo)
        self._reset_atlas()
        self.set_labels(self._x, self._y, self._texts, self._font_of)

    def set_labels(self, x: FloatArray, y: FloatArray, texts: Sequence[str],
                   font_index: Sequence[int]) -> None:
        self.prepareGeometryChange()
        self._x, self._y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        self._texts = list(texts)
        self._font_of = list(font_index)
        rects = [self._slot(t, f) for t, f in zip(self._texts, self._font_of, strict=True)]
        if any(r is None for r in rects):  # the atlas filled up: start a new one
            self._reset_atlas()
            rects = [self._slot(t, f) for t, f in zip(self._texts, self._font_of, strict=True)]
        self._rects = np.array([r or (0, 0, 0, 0) for r in rects], dtype=np.float64).reshape(-1, 4)
        self.update()

    def texts(self) -> list[str]:
        return list(self._texts)

    def _reset_atlas(self) -> None:
        self._atlas = None
        self._slots.clear()
        self._shelf = (0, 0, 0)

    def _slot(self, text: str, font: int) -> tuple[int, int, int, int] | None:
        slot = self._slots.get((text, font))
        if slot is not None:
            return slot
        if self._atlas is None:
            self._atlas = QtGui.QPixmap(self.ATLAS, self.ATLAS)
            self._atlas.fill(QtCore.Qt.GlobalColor.transparent)
        metrics = QtGui.QFontMetrics(self.fonts[font])
        w, h = min(self.ATLAS, metrics.horizontalAdvance(text) + 4), metrics.height() + 4
        x, y, row = self._shelf
        if x + w > self.ATLAS:  # next shelf
            x, y, row = 0, y + row, 0
        if y + h > self.ATLAS:
            return None
        # shaped once, drawn nine times (eight halo offsets and the text): a Korean name laid out
        # nine times cost most of a view change's new labels
        layout = QtGui.QTextLayout(text, self.fonts[font])
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        runs = layout.glyphRuns()
        q = QtGui.QPainter(self._atlas)
        q.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
        base = QPointF(x + 2, y + 2)
        q.setPen(self._halo)
        for ox, oy in ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1), (-1, 1), (1, -1)):
            for run in runs:
                q.drawGlyphRun(base + QPointF(ox, oy), run)
        q.setPen(self._colour)
        for run in runs:
            q.drawGlyphRun(base, run)
        q.end()
        self._shelf = (x + w, y, max(row, h))
        slot = (x, y, w, h)
        self._slots[(text, font)] = slot
        return slot

    def boundingRect(self) -> QRectF:
        vb = self.getViewBox()
        if vb is None:
            return QRectF()
        return vb.viewRect()  # type: ignore[no-any-return]

    def paint(self, p: QtGui.QPainter, *_args: object) -> None:
        if not len(self._x) or self._atlas is None:
            return
        dx, dy = _device_xy(p, self._x, self._y)
        n = len(dx)
        self._frags.resize(n)
        frags = self._frags.ndarray()
        frags[:, 0] = np.round(dx)
        frags[:, 1] = np.round(dy)
        frags[:, 2:6] = self._rects
        frags[:, 6:10] = (1.0, 1.0, 0.0, 1.0)
        p.save()
        p.resetTransform()
        p.drawPixmapFragments(*self._frags.drawargs(), self._atlas)  # type: ignore[call-arg]
        p.restore()


def nice_scale_length(max_metres: float) -> float:
    """The largest 1, 2 or 5 x 10^n not above `max_metres`."""
    if max_metres <= 0:
        return 0.0
    exp = math.floor(math.log10(max_metres))
    for m in (5, 2, 1):
        if m * 10 ** exp <= max_metres:
            return float(m * 10 ** exp)
    return float(10 ** exp)
