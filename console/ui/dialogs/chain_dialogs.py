"""Dialogs of the chain of command: a document shown as it prints (a submitted report, a roll-up,
a handover) with Save as PDF; and the situation report's draft with the commander's remarks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from console.ui.chain_documents import Document
from console.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QKeySequence,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QtPrintSupport,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    fmt,
)
from console.ui.report_pdf import set_up_a4


class DocumentDialog(QDialog):
    """A document as it prints, with Print… (Ctrl+P: A4 print preview, then the printer) and
    Save as PDF (Ctrl+S)."""

    def __init__(self, title: str, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chain_document")
        self.setWindowTitle(title)
        self.resize(760, 820)
        self.document = document
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setObjectName("document_view")
        self.browser.setHtml(document.html)
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton(self.tr("&Print…"))
        self.print_button.setObjectName("print_document")
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.clicked.connect(self.print_preview)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = QPushButton(self.tr("Save as &PDF…"))
        self.save_button.setObjectName("save_pdf")
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save_pdf)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.saved: Path | None = None

    def save_pdf(self, path: Path | None = None) -> Path | None:
        if path is None:
            chosen, _ = QtWidgets.QFileDialog.getSaveFileName(self, self.tr("Save as PDF"),
                                                              self.document.filename,
                                                              self.tr("PDF files (*.pdf)"))
            if not chosen:
                return None
            path = Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")
        try:
            pages = self.document.write(path)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Not saved"), str(exc))
            return None
        self.saved = path
        self.save_button.setToolTip(fmt(self.tr("Saved %1 (%2 pages)"), str(path), pages))
        return path


    def print_preview(self) -> None:
        printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
        set_up_a4(printer)
        dialog = QtPrintSupport.QPrintPreviewDialog(printer, self)
        dialog.setObjectName("document_preview")
        dialog.paintRequested.connect(self.document.paint)
        dialog.exec()


class ReportDraftDialog(QDialog):
    """The situation report as drafted from the data now: the commander reads it, adds remarks
    and submits (Ctrl+Enter). `submit(remarks)` is called on Submit."""

    def __init__(self, title: str, intro: str, html_text: str, remarks: str,
                 submit: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report_draft")
        self.setWindowTitle(title)
        self.resize(760, 860)
        self._submit = submit
        layout = QVBoxLayout(self)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.browser = QTextBrowser()
        self.browser.setObjectName("draft_view")
        self.browser.setHtml(html_text)
        layout.addWidget(self.browser, 1)
        layout.addWidget(QLabel(self.tr("Commander’s remarks:")))
        self.remarks = QPlainTextEdit(remarks)
        self.remarks.setObjectName("report_remarks")
        self.remarks.setMaximumHeight(110)
        layout.addWidget(self.remarks)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.submit_button = QPushButton(self.tr("&Submit report"))
        self.submit_button.setObjectName("submit_report")
        self.submit_button.setShortcut(QKeySequence("Ctrl+Return"))
        buttons.addButton(self.submit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.submit_button.clicked.connect(self._on_submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _on_submit(self) -> None:
        self._submit(self.remarks.toPlainText().strip())
        self.accept()
