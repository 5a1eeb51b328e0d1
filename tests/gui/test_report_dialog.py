"""File → Report…: the action in the main window's File menu (Ctrl+P), the dialog that takes the
commander's remarks and saves the report as a PDF or shows it in print preview, and a report
made offline saying so."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from report_world import seed_demo_database

from console.demo.scenario import ELECTION_DAY, kst
from console.ui.events import Connection, SyncStatus
from console.ui.i18n import LanguageSwitcher
from console.ui.main_window import MainWindow
from console.ui.panels.base import PanelContext, discover_panels
from console.ui.qt import QApplication, QKeySequence, QSettings, QtPrintSupport
from console.ui.report_dialog import ReportDialog
from console.ui.testing import dispose_context, make_context, sample_user
from console.views.sitrep import SituationReport

pytestmark = pytest.mark.gui
AT = kst(ELECTION_DAY, 10, 0)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return seed_demo_database(tmp_path_factory.mktemp("report-dialog"))


@pytest.fixture
def ctx(qapp, demo_db: str, tmp_path: Path) -> Iterator[PanelContext]:  # type: ignore[no-untyped-def]
    from console.report.replica_from_server import load_office

    loaded = load_office(demo_db, "S11110", tmp_path / "replica.sqlite3")
    context = make_context(loaded.replica, sample_user())
    context.clock.update(AT)  # type: ignore[attr-defined]
    yield context
    dispose_context(context)
    loaded.replica.close()


def _made(qtbot, dialog: ReportDialog) -> SituationReport:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    assert dialog.report is not None
    return dialog.report


def test_save_as_pdf_with_the_remarks(qtbot, ctx: PanelContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ctx.changes.publish_status(SyncStatus(Connection.ONLINE, data_as_of=AT - timedelta(seconds=30)))
    dialog = ReportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.remarks.setPlainText("투표소 질서 양호.\nAll quiet.")
    pdf = tmp_path / "report.pdf"
    dialog._build(lambda report: dialog.save_as(report, pdf))
    report = _made(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.saved == pdf)
    assert report.remarks == "투표소 질서 양호.\nAll quiet." and report.author == "Kim Minsu"
    assert report.at == AT and report.office.code == "S11110"
    assert report.data_age == timedelta(seconds=30) and not report.offline
    assert pdf.stat().st_size > 10_000
    assert "report.pdf" in dialog.message.text() and dialog.save_button.isEnabled()


def test_a_report_made_offline_says_so(qtbot, ctx: PanelContext) -> None:  # type: ignore[no-untyped-def]
    ctx.changes.publish_status(SyncStatus(Connection.OFFLINE, data_as_of=AT - timedelta(minutes=25)))
    qtbot.waitUntil(lambda: ctx.changes.status.connection == Connection.OFFLINE)
    dialog = ReportDialog(ctx)
    qtbot.addWidget(dialog)
    assert "offline" in dialog.summary.text()
    dialog._build(lambda _report: None)
    report = _made(qtbot, dialog)
    assert report.offline and report.stale and report.data_age == timedelta(minutes=25)


def test_print_preview_shows_the_pages(qtbot, ctx: PanelContext) -> None:  # type: ignore[no-untyped-def]
    dialog = ReportDialog(ctx)
    qtbot.addWidget(dialog)
    pages: list[int] = []

    def look_and_close() -> None:
        preview = dialog.findChild(QtPrintSupport.QPrintPreviewDialog, "report_preview")
        assert preview is not None
        widget = preview.findChild(QtPrintSupport.QPrintPreviewWidget)
        pages.append(widget.pageCount())
        preview.reject()

    from console.ui.qt import QTimer

    QTimer.singleShot(1500, look_and_close)
    dialog._build(dialog.preview)
    _made(qtbot, dialog)
    qtbot.waitUntil(lambda: bool(pages), timeout=20_000)
    assert pages[0] >= 3


def test_file_menu_has_the_report_action(qtbot, ctx: PanelContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    languages = LanguageSwitcher()
    languages.set_language("en")
    settings = QSettings(str(tmp_path / "console.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings, languages, specs=discover_panels(names={"sync"}))
    qtbot.addWidget(window)
    action = window.report_action
    assert action in window.file_menu.actions()
    assert action.text() == "&Report…" and action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    try:
        languages.set_language("ko")
        QApplication.processEvents()
        assert action.text() == "상황보고(&R)…"
    finally:
        languages.set_language("en")
