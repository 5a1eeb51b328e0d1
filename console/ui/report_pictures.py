"""The situation report's pictures: the jurisdiction map (outlines, sites, stations and open
incidents, drawn from the map panel's rows in the report) and the charts panel's three charts,
each as a QImage for the PDF."""

from __future__ import annotations

import logging

import numpy as np
import pyqtgraph as pg

from console.geo.boundaries import BaseGeography, BoundaryLevel
from console.geo.mercator import to_mercator
from console.geo.paths import LinePath
from console.ui.charts.base import ChartWidget
from console.ui.charts.incidents_by_hour import IncidentsByHourChart
from console.ui.charts.personnel import PersonnelChart
from console.ui.charts.routes_progress import RoutesProgressChart
from console.ui.i18n import is_korean
from console.ui.labels import label
from console.ui.qt import QColor, QCoreApplication, QFont, Qt, QtCore, QtGui
from console.views.charts import CATEGORIES
from console.views.map_rows import CLOSED, OPEN, UNDERSTAFFED
from console.views.sitrep import SituationReport

log = logging.getLogger(__name__)
translate = QCoreApplication.translate
SUPERSAMPLE = 3  # charts are drawn at three times their widget size: crisp at 300 dpi

_geography: BaseGeography | None = None


def _base_geography() -> BaseGeography | None:
    """The outlines (cached on disk by the map); None if they cannot be had."""
    global _geography
    if _geography is None:
        try:
            _geography = BaseGeography.load()
        except Exception:  # a report without outlines beats no report
            log.exception("report map: no base geography")
            return None
    return _geography


def _path(line: LinePath, to_px: QtGui.QTransform) -> QtGui.QPainterPath:
    """The outline in pixels, built by pyqtgraph from the arrays (a Python loop took seconds for
    the country's districts)."""
    x = line.x * to_px.m11() + to_px.dx()
    y = line.y * to_px.m22() + to_px.dy()
    path: QtGui.QPainterPath = pg.arrayToQPath(x, y, connect=line.connect.astype(np.ubyte))
    return path


def _extent(report: SituationReport) -> tuple[float, float, float, float] | None:
    m = report.map
    lons = [p.lon for p in (*m.polling, *m.counting)] + [
        s.lon for s in m.stations if s.code.startswith("S") or len(m.stations) == 1
    ]
    lats = [p.lat for p in (*m.polling, *m.counting)] + [
        s.lat for s in m.stations if s.code.startswith("S") or len(m.stations) == 1
    ]
    if not lons:
        lons = [s.lon for s in m.stations]
        lats = [s.lat for s in m.stations]
    if not lons:
        return None
    x, y = to_mercator(np.asarray(lons), np.asarray(lats))
    return float(x.min()), float(y.min()), float(x.max()), float(y.max())


def map_image(report: SituationReport, width: int = 2000, height: int = 1500) -> QtGui.QImage:
    """The jurisdiction at `width` x `height` pixels."""
    image = QtGui.QImage(width, height, QtGui.QImage.Format.Format_ARGB32)
    image.fill(QColor("#f7f9fb"))
    painter = QtGui.QPainter(image)
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    try:
        _draw_map(painter, report, width, height)
    finally:
        painter.end()
    return image


def _draw_map(painter: QtGui.QPainter, report: SituationReport, width: int, height: int) -> None:
    extent = _extent(report)
    font = QFont(painter.font())
    font.setPixelSize(max(14, height // 60))
    painter.setFont(font)
    if extent is None:
        painter.drawText(
            QtCore.QRectF(0, 0, width, height),
            Qt.AlignmentFlag.AlignCenter,
            translate("Report", "No sites or stations to draw."),
        )
        return
    x0, y0, x1, y1 = extent
    pad = max(x1 - x0, y1 - y0, 2000.0) * 0.08
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    scale = min(width / (x1 - x0), height / (y1 - y0))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    to_px = QtGui.QTransform(scale, 0, 0, -scale, width / 2 - cx * scale, height / 2 + cy * scale)
    resolution = 1 / scale  # metres per pixel

    geography = _base_geography()
    if geography is not None:
        view_w, view_h = width / scale, height / scale
        from console.geo.tiles import Bounds

        view = Bounds(cx - view_w / 2, cy - view_h / 2, cx + view_w / 2, cy + view_h / 2)
        for level, colour, pen_width in (
            (BoundaryLevel.DISTRICT, "#b8c2cc", 1.2),
            (BoundaryLevel.PROVINCE, "#5f6b78", 2.4),
        ):
            lod = geography.lod_for(level, resolution)
            painter.setPen(QtGui.QPen(QColor(colour), pen_width))
            for chunk in geography.visible_chunks(level, lod, view):
                painter.drawPath(_path(chunk.path, to_px))

    def at(lon: float, lat: float) -> QtCore.QPointF:
        x, y = to_mercator(lon, lat)
        return to_px.map(QtCore.QPointF(x, y))

    r = max(3.0, min(9.0, 400 / max(1, len(report.map.polling)) ** 0.5 + 2))
    painter.setPen(Qt.PenStyle.NoPen)
    colours = {OPEN: "#2e9d4f", UNDERSTAFFED: "#d62728", CLOSED: "#9aa3ad"}
    for state in (CLOSED, OPEN, UNDERSTAFFED):  # the short ones on top
        painter.setBrush(QColor(colours[state]))
        for p in report.map.polling:
            if p.style.endswith(":" + state):
                painter.drawEllipse(at(p.lon, p.lat), r, r)
    for c in report.map.counting:
        painter.setBrush(
            QColor("#d62728" if c.style == UNDERSTAFFED else "#1f5fd6" if c.operating else "#9aa3ad")
        )
        painter.drawRect(
            QtCore.QRectF(at(c.lon, c.lat) - QtCore.QPointF(2 * r, 2 * r), QtCore.QSizeF(4 * r, 4 * r))
        )
    painter.setPen(QtGui.QPen(QColor("#111111"), 1.5))
    for i in report.map.incidents:
        painter.setBrush(QColor("#b00020" if i.code <= 1 else "#ff8c00"))
        centre, s = at(i.lon, i.lat), 2.2 * r
        painter.drawPolygon(
            QtGui.QPolygonF(
                [
                    centre + QtCore.QPointF(0, -s),
                    centre + QtCore.QPointF(s, 0),
                    centre + QtCore.QPointF(0, s),
                    centre + QtCore.QPointF(-s, 0),
                ]
            )
        )
    stations = [s for s in report.map.stations if s.code.startswith("S")]
    korean = is_korean()
    for s in stations:
        point = at(s.lon, s.lat)
        painter.setBrush(QColor("#0b3d91"))
        painter.setPen(QtGui.QPen(QColor("#ffffff"), 1.5))
        painter.drawPolygon(
            QtGui.QPolygonF(
                [
                    point + QtCore.QPointF(0, -3 * r),
                    point + QtCore.QPointF(2.6 * r, 2 * r),
                    point + QtCore.QPointF(-2.6 * r, 2 * r),
                ]
            )
        )
        if len(stations) <= 30:
            painter.setPen(QColor("#0b3d91"))
            painter.drawText(point + QtCore.QPointF(3 * r, -r), s.name_ko if korean else s.name_en)
    _legend(painter, r, width, height)


def _legend(painter: QtGui.QPainter, r: float, width: int, height: int) -> None:
    entries = [
        ("dot", "#2e9d4f", translate("Report", "Polling station, open")),
        ("dot", "#d62728", translate("Report", "Polling station, short of officers")),
        ("dot", "#9aa3ad", translate("Report", "Polling station, closed")),
        ("square", "#1f5fd6", translate("Report", "Counting station")),
        ("diamond", "#b00020", translate("Report", "Open incident, code 0/1")),
        ("diamond", "#ff8c00", translate("Report", "Open incident, code 2-4")),
        ("triangle", "#0b3d91", translate("Report", "Police station")),
    ]
    line = painter.fontMetrics().height() * 1.25
    box = QtCore.QRectF(10, height - 10 - line * len(entries) - 16, width * 0.36, line * len(entries) + 16)
    painter.setPen(QtGui.QPen(QColor("#9aa3ad"), 1))
    painter.setBrush(QColor(255, 255, 255, 230))
    painter.drawRect(box)
    for n, (shape, colour, text) in enumerate(entries):
        y = box.top() + 8 + line * n + line / 2
        centre = QtCore.QPointF(box.left() + 20, y)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        if shape == "dot":
            painter.drawEllipse(centre, r, r)
        elif shape == "square":
            painter.drawRect(QtCore.QRectF(centre.x() - r, y - r, 2 * r, 2 * r))
        elif shape == "diamond":
            painter.drawPolygon(
                QtGui.QPolygonF(
                    [
                        centre + QtCore.QPointF(0, -r * 1.4),
                        centre + QtCore.QPointF(r * 1.4, 0),
                        centre + QtCore.QPointF(0, r * 1.4),
                        centre + QtCore.QPointF(-r * 1.4, 0),
                    ]
                )
            )
        else:
            painter.drawPolygon(
                QtGui.QPolygonF(
                    [
                        centre + QtCore.QPointF(0, -r * 1.4),
                        centre + QtCore.QPointF(r * 1.3, r),
                        centre + QtCore.QPointF(-r * 1.3, r),
                    ]
                )
            )
        painter.setPen(QColor("#111111"))
        painter.drawText(QtCore.QPointF(box.left() + 40, y + painter.fontMetrics().ascent() / 2 - 2), text)


# -- charts -------------------------------------------------------------------------------------
def _render(chart: ChartWidget, width: int, height: int) -> QtGui.QImage:
    chart.apply_theme("light")
    chart.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    chart.resize(width, height)
    chart.show()
    QCoreApplication.processEvents()
    chart.redraw()
    image = QtGui.QImage(width * SUPERSAMPLE, height * SUPERSAMPLE, QtGui.QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    painter = QtGui.QPainter(image)
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    painter.scale(SUPERSAMPLE, SUPERSAMPLE)
    chart.render(painter, QtCore.QPoint(0, 0))
    painter.end()
    chart.hide()
    return image


def chart_images(
    report: SituationReport, width: int = 900, height: int = 330
) -> list[tuple[str, QtGui.QImage]]:
    """(title, picture) of the charts panel's three charts, drawn from the report's chart series."""
    data = report.charts
    korean = is_korean()
    incidents = IncidentsByHourChart()
    incidents.set_title("")
    incidents.set_data(
        data.incidents, [label(c) for c in CATEGORIES], now_hour=data.now_hour, first_hour=data.day.first_hour
    )
    personnel = PersonnelChart()
    personnel.set_title("")
    names = [
        (ko if korean else en).replace(" Police Station", "").replace(" Police Agency", "")
        for ko, en in data.office_names
    ]
    personnel.set_data(names, data.on_duty, data.required, data.total)
    routes = RoutesProgressChart()
    routes.set_title("")
    routes.set_names(
        translate("ChartsPanel", "Departed"),
        translate("ChartsPanel", "Arrived"),
        translate("ChartsPanel", "Routes"),
    )
    routes.set_data(data.departed, data.arrived, data.routes, now_hour=data.now_hour)
    out = [
        (
            translate("ChartsPanel", "Incidents per hour by category (operation day from 06:00, KST)"),
            _render(incidents, width, height),
        ),
        (
            translate("ChartsPanel", "On duty (bar) vs required by the duty level (tick)"),
            _render(personnel, width, height),
        ),
        (translate("ChartsPanel", "Ballot boxes departed and arrived"), _render(routes, width, height)),
    ]
    for chart in (incidents, personnel, routes):
        chart.deleteLater()
    return out
