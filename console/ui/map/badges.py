"""Cluster badges: a count in a circle or square, sized so that its number always fits."""

from __future__ import annotations

import math

from console.ui.qt import QtCore, QtGui

QRectF = QtCore.QRectF


def badge_diameter(count: int) -> int:
    """A cluster badge's size in pixels: grows with the log of its count, 20 px for two points,
    42 px from ten thousand (a cell is 48 px at least)."""
    return round(min(42.0, max(20.0, 18.0 + 6.0 * math.log10(max(count, 1)))))


def render_badge_body(fill: str, diameter: int, shape: str = "circle", rim: str = "#ffffff") -> QtGui.QImage:
    """A cluster symbol without its count: a filled circle (or rounded square) with a rim."""
    size = diameter + 2
    img = QtGui.QImage(size, size, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(0)
    p = QtGui.QPainter(img)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    body = QtGui.QColor(fill)
    body.setAlphaF(0.88)
    rect = QRectF(1.5, 1.5, diameter - 1.0, diameter - 1.0)
    edge = QtGui.QColor(0, 0, 0, 150)
    for pen, inset in ((QtGui.QPen(edge, 1.0), 0.0), (QtGui.QPen(QtGui.QColor(rim), 2.0), 1.0)):
        p.setPen(pen)
        p.setBrush(body if inset else QtCore.Qt.BrushStyle.NoBrush)
        r = rect.adjusted(inset, inset, -inset, -inset)
        if shape == "square":
            p.drawRoundedRect(r, diameter * 0.22, diameter * 0.22)
        else:
            p.drawEllipse(r)
    p.end()
    return img


def render_badge(fill: str, text: str, diameter: int, shape: str = "circle", rim: str = "#ffffff",
                 body: QtGui.QImage | None = None) -> QtGui.QImage:
    """A cluster's symbol: its body (made here unless given, for reuse) with its count."""
    img = (body if body is not None else render_badge_body(fill, diameter, shape, rim)).copy()
    if not text:
        return img
    size = img.width()
    p = QtGui.QPainter(img)
    p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
    f = QtGui.QFont()
    f.setBold(True)
    f.setPixelSize(max(10, int(diameter * (0.44 if len(text) <= 2 else 0.36))))
    p.setFont(f)
    colour = QtGui.QColor(fill)
    light = 0.299 * colour.redF() + 0.587 * colour.greenF() + 0.114 * colour.blueF()
    p.setPen(QtGui.QColor("#111111") if light > 0.62 else QtGui.QColor("#ffffff"))
    p.drawText(QRectF(0, 0, size, size), int(QtCore.Qt.AlignmentFlag.AlignCenter), text)
    p.end()
    return img
