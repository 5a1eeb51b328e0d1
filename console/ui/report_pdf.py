"""A SituationReport on paper: A4 pages with a header (office, report time KST), a footer (author,
data as of, page n of N), the Korean font embedded, the map and the charts as pictures. One
painting function serves the PDF file (QPdfWriter) and the printer or print preview (QPrinter)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from console.ui.i18n import is_korean
from console.ui.qt import QColor, QCoreApplication, QFont, Qt, QtCore, QtGui, QUrl, fmt
from console.ui.report_html import data_age_text, kst, pictures_section, report_html
from console.ui.report_pictures import chart_images, map_image
from console.views.sitrep import SituationReport

translate = QCoreApplication.translate
# Hangul needs a CJK font; Noto Sans CJK KR is what packaging/setup.sh installs (fonts-noto-cjk).
# Latin letters, digits and punctuation come from DejaVu Sans: with Noto CJK's for them, Qt's PDF
# engine loses the text of glyphs drawn in more than one text run (pdftotext read "2025-06-03"
# as "2025 06 03" and dates in the header as blanks), so the PDF's text could not be searched
# or copied.
REPORT_FONT_FAMILIES = [
    "DejaVu Sans",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "NanumGothic",
    "Malgun Gothic",
    "sans-serif",
]
BODY_POINTS = 9.0
MARGIN_MM = 14.0
DPI = 300


@dataclass(frozen=True)
class Printed:
    pages: int


def report_font(points: float = BODY_POINTS) -> QFont:
    font = QFont()
    font.setFamilies(REPORT_FONT_FAMILIES)
    font.setPointSizeF(points)
    return font


def build_document(
    report: SituationReport,
    device: QtGui.QPagedPaintDevice,
    width: float,
    height: float,
    map_picture: QtGui.QImage | None = None,
) -> QtGui.QTextDocument:
    """The report laid out for pages of `width` x `height` device pixels on `device`; the map
    as given (drawn on a worker: map_image may run off the GUI thread), else drawn here."""
    doc = QtGui.QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDefaultFont(report_font())
    doc.setDocumentMargin(0)
    doc.setPageSize(QtCore.QSizeF(width, height))
    charts = chart_images(report)
    doc.addResource(
        QtGui.QTextDocument.ResourceType.ImageResource,
        QUrl("sitrep://map"),
        map_picture if map_picture is not None else map_image(report),
    )
    urls = []
    for n, (title, image) in enumerate(charts):
        url = f"sitrep://chart{n}"
        doc.addResource(QtGui.QTextDocument.ResourceType.ImageResource, QUrl(url), image)
        urls.append((title, url))
    # HTML pixels are 1/96 inch on a paint device: the pictures span the page's width.
    doc.setHtml(
        report_html(report, pictures_section("sitrep://map", urls, int(width * 96 / device.logicalDpiX())))
    )
    return doc


def paint_report(
    report: SituationReport, device: QtGui.QPagedPaintDevice, map_picture: QtGui.QImage | None = None
) -> Printed:
    """Paint the report's pages on `device` (a QPdfWriter or a QPrinter set up for A4)."""
    painter = QtGui.QPainter()
    if not painter.begin(device):
        raise OSError(
            translate("Report", "Cannot write the report: the file or printer could not be opened.")
        )
    try:
        return _paint(report, device, painter, map_picture)
    finally:
        painter.end()


def _paint(
    report: SituationReport,
    device: QtGui.QPagedPaintDevice,
    painter: QtGui.QPainter,
    map_picture: QtGui.QImage | None,
) -> Printed:
    frame = page_frame(device)
    doc = build_document(report, device, frame.width, frame.body, map_picture)
    korean = is_korean()
    office = report.office.name(korean)
    title = fmt(translate("Report", "Situation report — %1"), office)
    made = fmt(translate("Report", "Report time %1"), kst(report.at))
    author = fmt(translate("Report", "Author: %1"), report.author or "—")
    as_of = fmt(translate("Report", "Data as of %1"), _plain(data_age_text(report)))
    pages = paint_pages(painter, device, doc, frame, title, made, f"{author}  ·  {as_of}",
                        lambda page, count: fmt(translate("Report", "Page %1 of %2"), page, count),
                        footer_colour="#b00020" if report.stale else "#333333")
    return Printed(pages)


@dataclass(frozen=True)
class PageFrame:
    """An A4 page of a paged device: its size, the small font of header and footer, and the
    height of the band each takes (the body is what is left between them)."""

    width: float
    height: float
    small: QtGui.QFont
    band: float

    @property
    def body(self) -> float:
        return self.height - 2 * self.band


def page_frame(device: QtGui.QPagedPaintDevice) -> PageFrame:
    small = report_font(7.5)
    band = QtGui.QFontMetricsF(small, device).height() * 2.2
    return PageFrame(float(device.width()), float(device.height()), small, band)


def paint_pages(painter: QtGui.QPainter, device: QtGui.QPagedPaintDevice, doc: QtGui.QTextDocument,
                frame: PageFrame, title: str, right: str, footer: str,
                page_text: Callable[[int, int], str], footer_colour: str = "#333333") -> int:
    """Paint `doc` (laid out `frame.width` wide, pages `frame.body` high) page by page, each with
    its header (`title` left, `right` right, a rule) and its footer (`footer`, elided to make room,
    in `footer_colour`; `page_text(n, of)` right); returns the number of pages. Every document the
    console prints goes through here: the situation report, roll-ups and handovers."""
    width, height, band, body = frame.width, frame.height, frame.band, frame.body
    metrics = QtGui.QFontMetricsF(frame.small, device)
    pages = max(1, doc.pageCount())
    for page in range(pages):
        if page:
            device.newPage()
        painter.save()
        painter.translate(0, band - page * body)
        doc.drawContents(painter, QtCore.QRectF(0, page * body, width, body))
        painter.restore()
        painter.setFont(frame.small)
        painter.setPen(QColor("#333333"))
        top = QtCore.QRectF(0, 0, width, band * 0.8)
        painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, title)
        painter.drawText(top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, right)
        painter.setPen(QtGui.QPen(QColor("#9aa3ad"), max(1.0, width / 2000)))
        painter.drawLine(QtCore.QPointF(0, band * 0.75), QtCore.QPointF(width, band * 0.75))
        painter.drawLine(QtCore.QPointF(0, height - band * 0.8), QtCore.QPointF(width, height - band * 0.8))
        foot = QtCore.QRectF(0, height - band * 0.7, width, band * 0.7)
        numbered = page_text(page + 1, pages)
        room = width - metrics.horizontalAdvance(numbered) - metrics.averageCharWidth() * 4
        painter.setPen(QColor(footer_colour))
        painter.drawText(foot, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                         metrics.elidedText(footer, Qt.TextElideMode.ElideRight, room))
        painter.setPen(QColor("#333333"))
        painter.drawText(foot, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, numbered)
    return pages


def _plain(html_text: str) -> str:
    doc = QtGui.QTextDocument()
    doc.setHtml(html_text)
    return doc.toPlainText()


def set_up_a4(device: QtGui.QPagedPaintDevice) -> None:
    layout = QtGui.QPageLayout(
        QtGui.QPageSize(QtGui.QPageSize.PageSizeId.A4),
        QtGui.QPageLayout.Orientation.Portrait,
        QtCore.QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QtGui.QPageLayout.Unit.Millimeter,
    )
    device.setPageLayout(layout)


def write_pdf(report: SituationReport, path: Path | str, map_picture: QtGui.QImage | None = None) -> Printed:
    """Write the report to a PDF file (A4, fonts embedded as Qt's PDF engine does: subsets)."""
    writer = QtGui.QPdfWriter(str(path))
    writer.setResolution(DPI)
    set_up_a4(writer)
    writer.setTitle(fmt(translate("Report", "Situation report — %1"), report.office.name(is_korean())))
    writer.setCreator("sitroom")
    writer.setPdfVersion(QtGui.QPagedPaintDevice.PdfVersion.PdfVersion_1_6)
    printed = paint_report(report, writer, map_picture)
    del writer  # the file is finished when the writer goes
    return printed
