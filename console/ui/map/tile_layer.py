"""Raster tiles under the map: fetched off the GUI thread, cached, drawn on whole device pixels (no seams)."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

import pyqtgraph as pg

from console.geo.mercator import HALF_WORLD
from console.geo.tile_source import TileSource
from console.geo.tiles import Bounds, TileKey, tile_bounds, tiles_covering, zoom_for_resolution
from console.ui.qt import QObject, QtCore, QtGui, Signal

QRectF = QtCore.QRectF


class _TileFetcher(QObject):
    """Reads tiles on worker threads; `ready` brings their bytes to the GUI thread, which decodes
    them. (Decoding with QImage on a worker deadlocked: PySide holds the GIL through
    QImage.fromData, whose image-format probing waits on a Qt lock that the GUI thread can hold
    while it waits for the GIL.)"""

    ready = Signal(object, object)  # TileKey, bytes | None

    def __init__(self, source: TileSource) -> None:
        super().__init__()
        self.source = source
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sitroom-tiles")
        self._closed = threading.Event()

    def fetch(self, key: TileKey) -> None:
        if not self._closed.is_set():
            self._pool.submit(self._work, key)

    def _work(self, key: TileKey) -> None:
        if self._closed.is_set():
            return
        try:
            data = self.source.tile(key)
        except Exception:  # a broken tile must not stop the others
            data = None
        if not self._closed.is_set():
            self.ready.emit(key, data or None)

    def close(self) -> None:
        self._closed.set()
        self._pool.shutdown(wait=False, cancel_futures=True)


class TileMosaicItem(pg.GraphicsObject):  # type: ignore[misc]
    """The tiles that cover the view at the zoom matching the screen, with coarser tiles standing
    in (cropped and scaled) until the right ones arrive."""

    MAX_CACHED = 600
    MAX_TILES_IN_VIEW = 120

    changed = Signal()

    def __init__(self, source: TileSource) -> None:
        super().__init__()
        self.source = source
        self._fetcher = _TileFetcher(source)
        self._fetcher.ready.connect(self._on_ready)
        self._cache: OrderedDict[TileKey, QtGui.QImage | None] = OrderedDict()
        self._pending: set[TileKey] = set()
        self._wanted: list[TileKey] = []
        self.zoom = source.min_zoom
        self.setZValue(-100)

    # -- what to show ---------------------------------------------------------------------
    def set_view(self, view: Bounds, resolution: float) -> None:
        """Choose the zoom for `resolution` (Mercator metres per screen pixel) and request tiles."""
        z_float = zoom_for_resolution(resolution)
        z = max(self.source.min_zoom, min(self.source.max_zoom, round(z_float)))
        clipped = Bounds(max(view.xmin, -HALF_WORLD), max(view.ymin, -HALF_WORLD),
                         min(view.xmax, HALF_WORLD), min(view.ymax, HALF_WORLD))
        if clipped.xmin >= clipped.xmax or clipped.ymin >= clipped.ymax:
            self._wanted = []
            self.update()
            return
        while True:
            try:
                keys = tiles_covering(clipped, z, limit=self.MAX_TILES_IN_VIEW)
                break
            except ValueError:
                z -= 1
        self.zoom = z
        self._wanted = keys
        for key in keys:
            if key not in self._cache and key not in self._pending:
                self._pending.add(key)
                self._fetcher.fetch(key)
        self.update()

    @property
    def pending(self) -> int:
        return len(self._pending)

    def cached(self, key: TileKey) -> bool:
        return self._cache.get(key) is not None

    def _on_ready(self, key: TileKey, data: bytes | None) -> None:
        image: QtGui.QImage | None = None
        if data:
            decoded = QtGui.QImage.fromData(data)
            image = None if decoded.isNull() else decoded.convertToFormat(
                QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        self._pending.discard(key)
        self._cache[key] = image
        self._cache.move_to_end(key)
        while len(self._cache) > self.MAX_CACHED:
            self._cache.popitem(last=False)
        if key in self._wanted:
            self.update()
        self.changed.emit()

    def close(self) -> None:
        self._fetcher.close()

    # -- drawing --------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return QRectF(-HALF_WORLD, -HALF_WORLD, 2 * HALF_WORLD, 2 * HALF_WORLD)

    def paint(self, p: QtGui.QPainter, *_args: object) -> None:
        if not self._wanted:
            return
        t = p.transform()
        p.save()
        p.resetTransform()
        p.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, True)
        for key in self._wanted:
            target = _device_rect(t, tile_bounds(key))
            image = self._cache.get(key)
            if image is not None:
                p.drawImage(target, image)
                continue
            # a coarser tile stands in: the part of it that covers this tile, scaled up
            for up in range(1, min(key.z, 6) + 1):
                parent = TileKey(key.z - up, key.x >> up, key.y >> up)
                pimg = self._cache.get(parent)
                if pimg is None:
                    continue
                span = 1 << up
                w = pimg.width() / span
                h = pimg.height() / span
                src = QRectF((key.x - (parent.x << up)) * w, (key.y - (parent.y << up)) * h, w, h)
                p.drawImage(QRectF(target), pimg, src)
                break
        p.restore()


def _device_rect(t: QtGui.QTransform, b: Bounds) -> QtCore.QRect:
    """A tile's device rectangle with edges rounded to whole pixels: neighbours share each edge
    exactly, so no hairline seam shows between them."""
    x0 = t.m11() * b.xmin + t.dx()
    x1 = t.m11() * b.xmax + t.dx()
    y0 = t.m22() * b.ymax + t.dy()  # the north edge is at the top of the screen
    y1 = t.m22() * b.ymin + t.dy()
    left, right = math.floor(x0 + 0.5), math.floor(x1 + 0.5)
    top, bottom = math.floor(min(y0, y1) + 0.5), math.floor(max(y0, y1) + 0.5)
    return QtCore.QRect(left, top, right - left, bottom - top)
