"""The chain of command's documents as HTML and on A4 paper: a submitted situation report as it
was submitted, an HQ's roll-up of the offices below (submitted next to now), and a shift handover.
Every figure is read from the read models (console.views.reporting, console.views.handover)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from console.domain.clock import in_operation_zone, parse_time
from console.domain.duty import DutyLevel
from console.domain.errors import DomainError
from console.domain.handovers import Handover
from console.domain.incidents import IncidentStatus, PriorityCode
from console.domain.reporting import SituationReport
from console.ui.chain_labels import activity_text, bilingual, ctr, figure_label, priority_label, state_label
from console.ui.i18n import is_korean
from console.ui.labels import label_of
from console.ui.qt import QT_TRANSLATE_NOOP, QtCore, QtGui, fmt
from console.ui.report_html import STYLE, e, table
from console.ui.report_pdf import DPI, page_frame, paint_pages, report_font, set_up_a4
from console.views.reporting import FIGURES, Rollup

Names = Callable[[str], str]  # an office's code -> its name in the console's language

TITLES = {
    "report": QT_TRANSLATE_NOOP("Chain", "Situation report — %1"),
    "rollup": QT_TRANSLATE_NOOP("Chain", "Roll-up of the offices below — %1"),
    "handover": QT_TRANSLATE_NOOP("Chain", "Shift handover — %1"),
}


def kst(value: datetime | str | None) -> str:
    if not value:
        return "—"
    try:
        moment = parse_time(value) if isinstance(value, str) else value
    except DomainError:
        return str(value)
    return in_operation_zone(moment).strftime("%Y-%m-%d %H:%M KST")


def _n(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else "—"


def _doc(title: str, body: str) -> str:
    return f"<html><head><style>{STYLE}</style></head><body><h1>{e(title)}</h1>{body}</body></html>"


def _level(value: Any) -> str:
    return label_of(DutyLevel, value) if value else ctr("Normal duty")


# The words of these documents, for lupdate (ctr() translates them in context "Chain" at run time).
_WORDS = (
    QT_TRANSLATE_NOOP("Chain", "Normal duty"),
    QT_TRANSLATE_NOOP("Chain", "Office"),
    QT_TRANSLATE_NOOP("Chain", "Scheduled time"),
    QT_TRANSLATE_NOOP("Chain", "Unscheduled"),
    QT_TRANSLATE_NOOP("Chain", "Made"),
    QT_TRANSLATE_NOOP("Chain", "(received %1)"),
    QT_TRANSLATE_NOOP("Chain", "By"),
    QT_TRANSLATE_NOOP("Chain", "Version"),
    QT_TRANSLATE_NOOP("Chain", "(corrects %1)"),
    QT_TRANSLATE_NOOP("Chain", "Duty level"),
    QT_TRANSLATE_NOOP("Chain", "State"),
    QT_TRANSLATE_NOOP("Chain", "Item"),
    QT_TRANSLATE_NOOP("Chain", "Value"),
    QT_TRANSLATE_NOOP("Chain", "Figures as submitted"),
    QT_TRANSLATE_NOOP("Chain", "Figure"),
    QT_TRANSLATE_NOOP("Chain", "None"),
    QT_TRANSLATE_NOOP("Chain", "Commander’s remarks"),
    QT_TRANSLATE_NOOP("Chain", "Scheduled time %1 · made %2 by %3 · %4 of %5 offices submitted."),
    QT_TRANSLATE_NOOP("Chain", "Reports of the offices below"),
    QT_TRANSLATE_NOOP("Chain", "Remarks"),
    QT_TRANSLATE_NOOP("Chain", "Submitted, and the data now"),
    QT_TRANSLATE_NOOP("Chain", "Total"),
    QT_TRANSLATE_NOOP("Chain", "Each cell: as submitted → as the data says now (change)."),
    QT_TRANSLATE_NOOP("Chain", "Shift %1 – %2 · handed over by %3 at %4."),
    QT_TRANSLATE_NOOP("Chain", "Taken over by %1 at %2."),
    QT_TRANSLATE_NOOP("Chain", "Not taken over yet."),
    QT_TRANSLATE_NOOP("Chain", "Notes for the next shift"),
    QT_TRANSLATE_NOOP("Chain", "Open incidents"),
    QT_TRANSLATE_NOOP("Chain", "Code"),
    QT_TRANSLATE_NOOP("Chain", "Incident"),
    QT_TRANSLATE_NOOP("Chain", "Status"),
    QT_TRANSLATE_NOOP("Chain", "Owner"),
    QT_TRANSLATE_NOOP("Chain", "Age (min)"),
    QT_TRANSLATE_NOOP("Chain", "Duty order in force"),
    QT_TRANSLATE_NOOP("Chain", "Level"),
    QT_TRANSLATE_NOOP("Chain", "From"),
    QT_TRANSLATE_NOOP("Chain", "Since"),
    QT_TRANSLATE_NOOP("Chain", "Acknowledged"),
    QT_TRANSLATE_NOOP("Chain", "Directives in force"),
    QT_TRANSLATE_NOOP("Chain", "Priority"),
    QT_TRANSLATE_NOOP("Chain", "Directive"),
    QT_TRANSLATE_NOOP("Chain", "%1 of %2"),
    QT_TRANSLATE_NOOP("Chain", "Reports due"),
    QT_TRANSLATE_NOOP("Chain", "Schedule"),
    QT_TRANSLATE_NOOP("Chain", "Activity log"),
    QT_TRANSLATE_NOOP("Chain", "Time"),
    QT_TRANSLATE_NOOP("Chain", "Who"),
    QT_TRANSLATE_NOOP("Chain", "What"),
    QT_TRANSLATE_NOOP("Chain", "Yes"),
    QT_TRANSLATE_NOOP("Chain", "No"),
    QT_TRANSLATE_NOOP("Chain", "Cannot write the document: the file or printer could not be opened."),
    QT_TRANSLATE_NOOP("Chain", "Page %1 of %2"),
    QT_TRANSLATE_NOOP("Chain", "Made %1 by %2"),
    QT_TRANSLATE_NOOP("Chain", "Handed over by %1 at %2"),
)


# -- a submitted report -------------------------------------------------------------------------
def submitted_report_html(report: SituationReport, office: str, slot_state: str = "") -> str:
    c = report.content
    meta = [
        (ctr("Office"), e(office)),
        (ctr("Scheduled time"), e(kst(report.slot)) if report.slot else e(ctr("Unscheduled"))),
        (ctr("Made"), e(kst(report.made_at)) + (
            " <span class='alert'>" + e(fmt(ctr("(received %1)"), kst(report.received_at))) + "</span>"
            if report.received_at else "")),
        (ctr("By"), e(report.made_by)),
        (ctr("Version"), e(str(report.version)) + (
            " " + e(fmt(ctr("(corrects %1)"), report.replaces[:8])) if report.replaces else "")),
        (ctr("Duty level"), e(_level(c.get("level")))),
    ]
    if slot_state:
        meta.append((ctr("State"), e(state_label(slot_state))))
    figures = [[e(figure_label(f)), _n(c.get(f))] for f in FIGURES if f in c]
    body = table([e(ctr("Item")), e(ctr("Value"))], [[e(k), v] for k, v in meta], numeric_from=9)
    body += f"<h2>{e(ctr('Figures as submitted'))}</h2>"
    body += table([e(ctr("Figure")), e(ctr("Value"))], figures) if figures else f"<p>{e(ctr('None'))}</p>"
    body += f"<h2>{e(ctr('Commander’s remarks'))}</h2><p>{e(report.remarks or '—')}</p>"
    return _doc(fmt(ctr(TITLES["report"]), office), body)


# -- the roll-up -------------------------------------------------------------------------------
ROLLUP_FIGURES = ("incidents_open", "urgent", "major_crimes_open", "sites_short", "boxes_late", "on_duty")


def rollup_html(r: Rollup, names: Names) -> str:
    korean = is_korean()
    issuer = r.issuer.name(korean)
    intro = fmt(ctr("Scheduled time %1 · made %2 by %3 · %4 of %5 offices submitted."),
                kst(r.slot), kst(r.made_at), r.author, r.submitted, len(r.rows))
    body = f"<p>{e(intro)}</p>"
    status_rows = [[e(names(row.office.code)), e(state_label(row.state.value)),
                    e(kst(row.report.made_at) if row.report else "—"),
                    e(row.report.made_by if row.report else "—"),
                    e((row.report.remarks if row.report else "") or "—")] for row in r.rows]
    body += f"<h2>{e(ctr('Reports of the offices below'))}</h2>"
    body += table([e(ctr("Office")), e(ctr("State")), e(ctr("Made")), e(ctr("By")), e(ctr("Remarks"))],
                  status_rows, numeric_from=9)
    body += f"<h2>{e(ctr('Submitted, and the data now'))}</h2>"
    head = [e(ctr("Office"))] + [e(figure_label(f)) for f in ROLLUP_FIGURES]
    rows = []
    for row in r.rows:
        cells = [e(names(row.office.code))]
        for f in ROLLUP_FIGURES:
            was, now, diff = row.submitted.get(f), row.now.get(f), row.difference(f)
            moved = f" <span class='alert'>({diff:+,})</span>" if diff else ""
            cells.append(f"{_n(was)} → {_n(now)}{moved}")
        rows.append(cells)
    rows.append([f"<b>{e(ctr('Total'))}</b>"] + [
        f"<b>{_n(r.totals_submitted[f])} → {_n(r.totals_now[f])}</b>" for f in ROLLUP_FIGURES])
    body += table(head, rows)
    body += f"<p class='muted'>{e(ctr('Each cell: as submitted → as the data says now (change).'))}</p>"
    return _doc(fmt(ctr(TITLES["rollup"]), issuer), body)


# -- the handover ------------------------------------------------------------------------------
def handover_html(h: Handover, names: Names) -> str:
    korean = is_korean()
    office = names(h.office_code)
    meta = fmt(ctr("Shift %1 – %2 · handed over by %3 at %4."), kst(h.shift_from), kst(h.shift_until),
               h.outgoing, kst(h.made_at))
    taken = (fmt(ctr("Taken over by %1 at %2."), h.taken_over_by, kst(h.taken_over_at)) if h.taken_over
             else ctr("Not taken over yet."))
    body = f"<p>{e(meta)}</p><p class='{'' if h.taken_over else 'alert'}'>{e(taken)}"
    body += (f" {e(h.takeover_note)}" if h.takeover_note else "") + "</p>"
    body += f"<h2>{e(ctr('Notes for the next shift'))}</h2><p>{e(h.notes or '—')}</p>"
    body += f"<h2>{e(ctr('Open incidents'))}</h2>"
    body += _rows_or_none([e(ctr("Code")), e(ctr("Incident")), e(ctr("Status")), e(ctr("Owner")),
                           e(ctr("Age (min)"))],
                          [[e(label_of(PriorityCode, i.get("code"))),
                            e(bilingual(str(i.get("title", "")), str(i.get("title_en", "")), korean)),
                            e(label_of(IncidentStatus, i.get("status"))), e(i.get("owner", "")),
                            _n(i.get("age_minutes"))] for i in h.open_incidents], numeric_from=4)
    body += f"<h2>{e(ctr('Duty order in force'))}</h2>"
    body += _rows_or_none([e(ctr("Level")), e(ctr("From")), e(ctr("Since")), e(ctr("Acknowledged"))],
                          [[e(label_of(DutyLevel, o.get("level"))), e(names(str(o.get("issuer_code", "")))),
                            e(kst(o.get("effective_from"))), e(_yes(o.get("acknowledged")))]
                           for o in h.orders],
                          numeric_from=9)
    body += f"<h2>{e(ctr('Directives in force'))}</h2>"
    body += _rows_or_none([e(ctr("Priority")), e(ctr("From")), e(ctr("Directive")), e(ctr("Acknowledged"))],
                          [[e(priority_label(str(d.get("priority", "")))),
                            e(names(str(d.get("issuer_code", "")))),
                            e(bilingual(str(d.get("text", "")), str(d.get("text_en", "")), korean)),
                            e(_yes(d.get("acknowledged")) if d.get("acknowledged") is not None
                              else fmt(ctr("%1 of %2"), d.get("acks", 0), d.get("targets", 0)))]
                           for d in h.directives], numeric_from=9)
    body += f"<h2>{e(ctr('Reports due'))}</h2>"
    body += _rows_or_none([e(ctr("Scheduled time")), e(ctr("Schedule")), e(ctr("State"))],
                          [[e(kst(d.get("slot"))), e(d.get("title", "")), e(state_label(str(d.get("state"))))]
                           for d in h.reports_due], numeric_from=9)
    body += f"<h2>{e(ctr('Activity log'))}</h2>"
    body += _rows_or_none([e(ctr("Time")), e(ctr("Who")), e(ctr("What"))],
                          [[e(in_operation_zone(parse_time(x.at)).strftime("%H:%M")), e(x.who),
                            e(activity_text({"kind": x.kind, "params": x.params, "what": x.what,
                                             "source": x.source.value}, korean))] for x in h.log],
                          numeric_from=9)
    return _doc(fmt(ctr(TITLES["handover"]), office), body)


def _yes(value: Any) -> str:
    return ctr("Yes") if value else ctr("No")


def _rows_or_none(head: Sequence[str], rows: list[list[str]], numeric_from: int = 1) -> str:
    return table(head, rows, numeric_from=numeric_from) if rows else f"<p class='muted'>{e(ctr('None'))}</p>"


# -- paper -------------------------------------------------------------------------------------
def paint_html(html_text: str, device: QtGui.QPagedPaintDevice, title: str, right: str, footer: str) -> int:
    """Paint `html_text` on A4 pages of `device` with a header (title, `right`) and a footer
    (`footer`, page n of N); returns the number of pages."""
    painter = QtGui.QPainter()
    if not painter.begin(device):
        raise OSError(ctr("Cannot write the document: the file or printer could not be opened."))
    try:
        frame = page_frame(device)
        doc = QtGui.QTextDocument()
        doc.documentLayout().setPaintDevice(device)
        doc.setDefaultFont(report_font())
        doc.setDocumentMargin(0)
        doc.setPageSize(QtCore.QSizeF(frame.width, frame.body))
        doc.setHtml(html_text)
        pages = paint_pages(painter, device, doc, frame, title, right, footer,
                            lambda page, count: fmt(ctr("Page %1 of %2"), page, count))
        return pages
    finally:
        painter.end()


def write_pdf(html_text: str, path: Path | str, title: str, right: str, footer: str) -> int:
    """Write a document to a PDF file (A4, the Korean font embedded as a subset)."""
    writer = QtGui.QPdfWriter(str(path))
    writer.setResolution(DPI)
    set_up_a4(writer)
    writer.setTitle(title)
    writer.setCreator("sitroom")
    writer.setPdfVersion(QtGui.QPagedPaintDevice.PdfVersion.PdfVersion_1_6)
    pages = paint_html(html_text, writer, title, right, footer)
    del writer
    return pages


@dataclass(frozen=True)
class Document:
    """A document as it prints: its HTML, the page header (title, right) and footer, and a file
    name to save it under; painted on a PDF file or a printer (print preview) alike."""

    html: str
    title: str
    right: str
    footer: str
    filename: str

    def paint(self, device: QtGui.QPagedPaintDevice) -> int:
        return paint_html(self.html, device, self.title, self.right, self.footer)

    def write(self, path: Path | str) -> int:
        return write_pdf(self.html, path, self.title, self.right, self.footer)


def _filename(*parts: str) -> str:
    return "-".join(p.replace(" ", "-").replace(":", "") for p in parts if p) + ".pdf"


def rollup_document(r: Rollup, names: Names) -> Document:
    return Document(rollup_html(r, names), fmt(ctr(TITLES["rollup"]), r.issuer.name(is_korean())),
                    kst(r.slot), fmt(ctr("Made %1 by %2"), kst(r.made_at), r.author),
                    _filename("rollup", r.issuer.code, r.slot.strftime("%Y%m%d-%H%M")))


def handover_document(h: Handover, names: Names) -> Document:
    return Document(handover_html(h, names), fmt(ctr(TITLES["handover"]), names(h.office_code)),
                    kst(h.shift_until), fmt(ctr("Handed over by %1 at %2"), h.outgoing, kst(h.made_at)),
                    _filename("handover", h.office_code, kst(h.made_at)[:16]))


def report_document(report: SituationReport, office: str, slot_state: str = "") -> Document:
    return Document(submitted_report_html(report, office, slot_state), fmt(ctr(TITLES["report"]), office),
                    kst(report.slot or report.made_at),
                    fmt(ctr("Made %1 by %2"), kst(report.made_at), report.made_by),
                    _filename("report", report.office_code, kst(report.slot or report.made_at)[:16]))


def rollup_pdf(r: Rollup, names: Names, path: Path | str) -> int:
    return rollup_document(r, names).write(path)


def handover_pdf(h: Handover, names: Names, path: Path | str) -> int:
    return handover_document(h, names).write(path)
