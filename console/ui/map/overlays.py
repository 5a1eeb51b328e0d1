"""Widgets over the map's view: the scale bar and the attribution. Each paints a pixmap made when
its text, size or colours change: a stylesheet QLabel and a stroked text path cost 0.3-0.7 ms of
every frame otherwise. The area names keep clear of both."""

from __future__ import annotations

from console.ui.map.items import nice_scale_length
from console.ui.qt import Qt, QtCore, QtGui, QWidget


class _CachedOverlay(QWidget):
    """A widget drawn from a pixmap, made again only when `_dirty` is set."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._pixmap: QtGui.QPixmap | None = None

    def _invalidate(self) -> None:
        self._pixmap = None
        self.update()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        self._pixmap = None
        super().resizeEvent(event)

    def _draw(self, p: QtGui.QPainter) -> None:
        raise NotImplementedError

    def paintEvent(self, _event: QtGui.QPaintEvent) -> None:
        if self._pixmap is None:
            dpr = self.devicePixelRatioF()
            pix = QtGui.QPixmap(max(1, round(self.width() * dpr)), max(1, round(self.height() * dpr)))
            pix.setDevicePixelRatio(dpr)
            pix.fill(Qt.GlobalColor.transparent)
            q = QtGui.QPainter(pix)
            self._draw(q)
            q.end()
            self._pixmap = pix
        p = QtGui.QPainter(self)
        p.drawPixmap(0, 0, self._pixmap)
        p.end()


class ScaleBar(_CachedOverlay):
    """A ground-distance bar (Mercator stretches with latitude, so it uses the view's centre)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.metres = 0.0
        self.pixels = 0.0
        self.text = ""
        self.colour = QtGui.QColor("#ffffff")
        self.halo = QtGui.QColor("#000000")
        self.resize(170, 30)

    def set_colours(self, colour: str, halo: str) -> None:
        self.colour, self.halo = QtGui.QColor(colour), QtGui.QColor(halo)
        self._invalidate()

    def set_scale(self, ground_metres_per_pixel: float) -> None:
        if ground_metres_per_pixel <= 0:
            return
        metres = nice_scale_length(ground_metres_per_pixel * 140)
        pixels = metres / ground_metres_per_pixel
        if metres == self.metres and round(pixels) == round(self.pixels):
            return
        self.metres, self.pixels = metres, pixels
        self.text = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"
        self._invalidate()

    def _draw(self, p: QtGui.QPainter) -> None:
        if self.pixels <= 0:
            return
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        y = self.height() - 6.0
        x0, x1 = 4.0, 4.0 + self.pixels
        for colour, width in ((self.halo, 5.0), (self.colour, 2.0)):
            p.setPen(QtGui.QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
            p.drawLine(QtCore.QPointF(x0, y), QtCore.QPointF(x1, y))
            p.drawLine(QtCore.QPointF(x0, y - 6), QtCore.QPointF(x0, y))
            p.drawLine(QtCore.QPointF(x1, y - 6), QtCore.QPointF(x1, y))
        font = p.font()
        font.setBold(True)
        path = QtGui.QPainterPath()
        path.addText(QtCore.QPointF(x0 + 2, y - 8), font, self.text)
        p.strokePath(path, QtGui.QPen(self.halo, 3.0))
        p.fillPath(path, self.colour)


class Attribution(_CachedOverlay):
    """The sources of what the map draws, in small muted text on the map's background."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("map_attribution")
        self._text = ""
        self._colour = QtGui.QColor("#868e96")
        self._background = QtGui.QColor("#0b1119")

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.adjustSize()
            self._invalidate()

    def set_colours(self, colour: str, background: str) -> None:
        self._colour, self._background = QtGui.QColor(colour), QtGui.QColor(background)
        self._invalidate()

    def sizeHint(self) -> QtCore.QSize:
        m = self.fontMetrics()
        return QtCore.QSize(m.horizontalAdvance(self._text) + 8, m.height() + 2)

    def adjustSize(self) -> None:
        self.resize(self.sizeHint())

    def _draw(self, p: QtGui.QPainter) -> None:
        p.fillRect(QtCore.QRectF(0, 0, self.width(), self.height()), self._background)
        p.setFont(self.font())
        p.setPen(self._colour)
        p.drawText(QtCore.QPointF(4, 1 + self.fontMetrics().ascent()), self._text)
