"""File → Report…: the situation report of the user's office now, with the commander's remarks,
a print preview and Save as PDF. The report is built on the database worker (OperationRunner);
the pages are painted on the GUI thread (report_pdf)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from console.domain.clock import in_operation_zone
from console.ui.events import Connection
from console.ui.i18n import is_korean
from console.ui.panels.base import PanelContext
from console.ui.qt import (
    QAction,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QEvent,
    QFormLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QtGui,
    QtPrintSupport,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    fmt,
)
from console.ui.report_html import kst
from console.ui.report_pdf import paint_report, set_up_a4, write_pdf
from console.ui.report_pictures import map_image
from console.views.sitrep import SituationReport, build_situation_report

CONTEXT = "ReportDialog"
translate = QCoreApplication.translate


def make_report(
    ctx: PanelContext,
    remarks: str,
    author: str,
    done: Callable[[SituationReport, QtGui.QImage], None],
    failed: Callable[[BaseException], None],
) -> None:
    """Build the report of the user's office at the console's moment, and its map, on the
    database worker."""
    status = ctx.changes.status
    replica, office, now = ctx.replica, ctx.user.org_code, ctx.now()
    offline = status.connection == Connection.OFFLINE

    def build() -> tuple[SituationReport, QtGui.QImage]:
        report = build_situation_report(
            replica,
            office,
            now,
            author=author,
            remarks=remarks,
            made_at=now,
            data_as_of=status.data_as_of,
            offline=offline,
        )
        return report, map_image(report)  # a QImage may be painted off the GUI thread

    ctx.ops.query(
        build,
        lambda made: done(*made),
        key="situation_report",
        on_error=failed,
    )


class ReportDialog(QDialog):
    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report_dialog")
        self.ctx = ctx
        self.report: SituationReport | None = None
        self.map_picture: QtGui.QImage | None = None
        self.saved: Path | None = None
        self.resize(620, 420)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        form = QFormLayout()
        self.author = QLineEdit(ctx.user.display_name or ctx.user.username)
        self.author_label = QLabel()
        form.addRow(self.author_label, self.author)
        layout.addLayout(form)
        self.remarks_label = QLabel()
        layout.addWidget(self.remarks_label)
        self.remarks = QPlainTextEdit()
        self.remarks.setObjectName("report_remarks")
        self.remarks_label.setBuddy(self.remarks)
        layout.addWidget(self.remarks, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.preview_button = QPushButton()
        self.preview_button.setDefault(True)
        self.save_button = QPushButton()
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.preview_button.clicked.connect(lambda: self._build(self.preview))
        self.save_button.clicked.connect(lambda: self._build(self.save_as))
        layout.addWidget(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("ReportDialog", "Situation report"))
        self.author_label.setText(translate("ReportDialog", "Author:"))
        self.remarks_label.setText(translate("ReportDialog", "Commander's remarks (printed on the report):"))
        self.preview_button.setText(translate("ReportDialog", "Print preview…"))
        self.save_button.setText(translate("ReportDialog", "Save as PDF…"))
        status = self.ctx.changes.status
        text = fmt(
            translate("ReportDialog", "Report of %1 at %2. Data as of %3."),
            self.ctx.user.org_name_ko if is_korean() else self.ctx.user.org_name_en,
            kst(in_operation_zone(self.ctx.now())),
            kst(status.data_as_of),
        )
        if status.connection == Connection.OFFLINE:
            text += " " + translate(
                "ReportDialog", "The console is offline: the report says so, with the data's age."
            )
        self.summary.setText(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _build(self, then: Callable[[SituationReport], None]) -> None:
        self.message.setText(translate("ReportDialog", "Making the report…"))
        self.preview_button.setEnabled(False)
        self.save_button.setEnabled(False)

        def done(report: SituationReport, map_picture: QtGui.QImage) -> None:
            self._enable()
            self.report, self.map_picture = report, map_picture
            self.message.setText("")
            then(report)

        def failed(error: BaseException) -> None:
            self._enable()
            self.message.setText(fmt(translate("ReportDialog", "Could not make the report: %1"), error))

        make_report(self.ctx, self.remarks.toPlainText(), self.author.text().strip(), done, failed)

    def _enable(self) -> None:
        self.preview_button.setEnabled(True)
        self.save_button.setEnabled(True)

    def preview(self, report: SituationReport) -> None:
        printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
        set_up_a4(printer)
        dialog = QtPrintSupport.QPrintPreviewDialog(printer, self)
        dialog.setObjectName("report_preview")
        dialog.paintRequested.connect(lambda p: paint_report(report, p, self.map_picture))
        dialog.exec()

    def save_as(self, report: SituationReport, path: Path | None = None) -> None:
        if path is None:
            name = f"sitrep-{report.office.code}-{report.at:%Y%m%d-%H%M}.pdf"
            chosen, _filter = QtWidgets.QFileDialog.getSaveFileName(
                self,
                translate("ReportDialog", "Save as PDF…"),
                name,
                translate("ReportDialog", "PDF files (*.pdf)"),
            )
            if not chosen:
                return
            path = Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")
        try:
            printed = write_pdf(report, path, self.map_picture)
        except OSError as exc:
            self.message.setText(fmt(translate("ReportDialog", "Could not save the report: %1"), exc))
            return
        self.saved = path
        self.message.setText(
            fmt(translate("ReportDialog", "Saved the report to %1 (%2 pages)."), path, printed.pages)
        )


def report_action(ctx: PanelContext, parent: QWidget) -> QAction:
    """File → Report… (Ctrl+P): opens the dialog; call `retranslate_action` on a language change."""
    action = QAction(parent)
    action.setObjectName("report_action")
    action.setShortcut(QKeySequence.StandardKey.Print)
    action.triggered.connect(lambda: ReportDialog(ctx, parent).exec())
    retranslate_action(action)
    return action


def retranslate_action(action: QAction) -> None:
    action.setText(translate("ReportDialog", "&Report…"))
    action.setToolTip(
        translate("ReportDialog", "Make a situation report of this office now: remarks, print preview, PDF")
    )
