"""Widgets over the map's view: the scale bar (kept clear of the area names, which avoid it)."""

from __future__ import annotations

from console.ui.map.items import nice_scale_length
from console.ui.qt import Qt, QtCore, QtGui, QWidget


class ScaleBar(QWidget):
    """A ground-distance bar (Mercator stretches with latitude, so it uses the view's centre)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.metres = 0.0
        self.pixels = 0.0
        self.text = ""
        self.colour = QtGui.QColor("#ffffff")
        self.halo = QtGui.QColor("#000000")
        self._text_path: tuple[tuple[str, float], QtGui.QPainterPath] | None = None
        self.resize(170, 30)

    def set_scale(self, ground_metres_per_pixel: float) -> None:
        if ground_metres_per_pixel <= 0:
            return
        self.metres = nice_scale_length(ground_metres_per_pixel * 140)
        self.pixels = self.metres / ground_metres_per_pixel
        self.text = f"{self.metres / 1000:g} km" if self.metres >= 1000 else f"{self.metres:g} m"
        self.update()

    def paintEvent(self, _event: QtGui.QPaintEvent) -> None:
        if self.pixels <= 0:
            return
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        y = self.height() - 6.0
        x0, x1 = 4.0, 4.0 + self.pixels
        for colour, width in ((self.halo, 5.0), (self.colour, 2.0)):
            p.setPen(QtGui.QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
            p.drawLine(QtCore.QPointF(x0, y), QtCore.QPointF(x1, y))
            p.drawLine(QtCore.QPointF(x0, y - 6), QtCore.QPointF(x0, y))
            p.drawLine(QtCore.QPointF(x1, y - 6), QtCore.QPointF(x1, y))
        if self._text_path is None or self._text_path[0] != (self.text, y):
            font = p.font()
            font.setBold(True)
            path = QtGui.QPainterPath()
            path.addText(QtCore.QPointF(x0 + 2, y - 8), font, self.text)
            self._text_path = ((self.text, y), path)
        path = self._text_path[1]
        p.strokePath(path, QtGui.QPen(self.halo, 3.0))
        p.fillPath(path, self.colour)
        p.end()
