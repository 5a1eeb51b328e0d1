"""Dialogs of the chain of command: a document shown as it prints (a submitted report, a roll-up,
a handover) with Save as PDF; and the situation report's draft with the commander's remarks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from console.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QKeySequence,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    fmt,
)


class DocumentDialog(QDialog):
    """A document as HTML, with Save as PDF (Ctrl+S) writing it through `write_pdf(path)`."""

    def __init__(self, title: str, html_text: str, write_pdf: Callable[[Path], int], filename: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chain_document")
        self.setWindowTitle(title)
        self.resize(760, 820)
        self._write_pdf, self._filename = write_pdf, filename
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setObjectName("document_view")
        self.browser.setHtml(html_text)
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
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
            chosen, _ = QtWidgets.QFileDialog.getSaveFileName(self, self.tr("Save as PDF"), self._filename,
                                                              self.tr("PDF files (*.pdf)"))
            if not chosen:
                return None
            path = Path(chosen)
        try:
            pages = self._write_pdf(path)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Not saved"), str(exc))
            return None
        self.saved = path
        self.save_button.setToolTip(fmt(self.tr("Saved %1 (%2 pages)"), str(path), pages))
        return path


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
