"""Main window: docks, saved layout per user with a state version, reset, language switch,
offline banner, status bar; the login dialog."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.domain.clock import OPERATION_TZ
from console.domain.samples import SAMPLE_NOW
from console.ui.dialogs.login_dialog import LoginDialog
from console.ui.events import Connection, SyncStatus
from console.ui.i18n import LanguageSwitcher
from console.ui.main_window import WINDOW_STATE_VERSION, MainWindow
from console.ui.panels.base import discover_panels
from console.ui.qt import QByteArray, QDockWidget, QSettings, Qt

pytestmark = pytest.mark.gui
MINE = {"incident_queue", "incident_detail", "duty_level", "units", "sync"}


@pytest.fixture
def settings(tmp_path):  # type: ignore[no-untyped-def]
    return QSettings(str(tmp_path / "console.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def languages(qapp):  # type: ignore[no-untyped-def]
    switcher = LanguageSwitcher()
    switcher.set_language("en")
    yield switcher
    switcher.set_language("en")


def make_window(qtbot, ctx, settings, languages, names=MINE) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx, settings, languages, specs=discover_panels(names=names))
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_every_panel_is_a_named_movable_floatable_closable_dock(qtbot, panel_ctx, settings, languages) -> None:
    window = make_window(qtbot, panel_ctx, settings, languages)
    assert set(window.docks) == MINE
    features = QDockWidget.DockWidgetFeature
    for name, dock in window.docks.items():
        assert dock.objectName() == f"dock_{name}"
        for f in (features.DockWidgetMovable, features.DockWidgetFloatable, features.DockWidgetClosable):
            assert dock.features() & f
    assert window.dockOptions() & window.DockOption.AllowTabbedDocks
    assert window.tabifiedDockWidgets(window.docks["units"]) == [window.docks["sync"]]


def test_layout_is_saved_per_user_and_restored_with_its_version(qtbot, panel_ctx, settings, languages) -> None:
    window = make_window(qtbot, panel_ctx, settings, languages)
    window.docks["units"].hide()
    window.docks["duty_level"].setFloating(True)
    window.close()  # saves
    assert int(settings.value(f"layout/{panel_ctx.user.username}/version")) == WINDOW_STATE_VERSION
    again = make_window(qtbot, panel_ctx, settings, languages)
    assert again.restored
    assert again.docks["units"].isHidden()
    assert again.docks["duty_level"].isFloating()
    again.reset_layout()
    assert not again.docks["units"].isHidden()
    assert not again.docks["duty_level"].isFloating()
    again.close()
    # A layout saved by another version of the window is ignored, not half-restored.
    settings.setValue(f"layout/{panel_ctx.user.username}/version", WINDOW_STATE_VERSION - 1)
    third = make_window(qtbot, panel_ctx, settings, languages)
    assert not third.restored


def test_language_switch_retranslates_menus_docks_and_panels(qtbot, panel_ctx, settings, languages) -> None:
    window = make_window(qtbot, panel_ctx, settings, languages)
    queue = window.panels["incident_queue"]
    assert window.docks["incident_queue"].windowTitle() == "Incident queue"
    window.set_language("ko")
    assert languages.language == "ko"
    qtbot.waitUntil(lambda: window.docks["incident_queue"].windowTitle() == "사건 목록")
    assert window.view_menu.title() == "보기(&V)"
    assert queue.search.placeholderText() == "제목, 장소, 번호 검색…"  # type: ignore[attr-defined]
    assert settings.value("ui/language") == "ko"
    window.set_language("en")
    qtbot.waitUntil(lambda: window.docks["incident_queue"].windowTitle() == "Incident queue")


def test_offline_is_unmistakable(qtbot, panel_ctx, settings, languages) -> None:
    window = make_window(qtbot, panel_ctx, settings, languages)
    changes = panel_ctx.changes
    as_of = SAMPLE_NOW - timedelta(minutes=7)
    with qtbot.waitSignal(changes.sync_state_changed):
        changes.publish_status(SyncStatus(Connection.ONLINE, data_as_of=SAMPLE_NOW))
    assert window.banner.isHidden()
    assert "Online" in window.status_fields.connection.text()
    with qtbot.waitSignal(changes.sync_state_changed):
        changes.publish_status(SyncStatus(Connection.OFFLINE, data_as_of=as_of, pending=3, conflicts=1))
    assert window.banner.isVisible()
    assert window.banner.width() >= window.width() - 20  # across the window, not an icon
    assert "OFFLINE" in window.banner.text.text() and "3 change" in window.banner.text.text()
    assert "OFFLINE" in window.status_fields.connection.text()
    assert "Outbox 3" in window.status_fields.pending.text()
    assert "Conflicts 1" in window.status_fields.conflicts.text()
    assert "kim" in window.status_fields.user.text() or "Kim" in window.status_fields.user.text()
    for dock in window.docks.values():  # every panel says how old its data is
        age = dock.widget().age.text()  # type: ignore[attr-defined]
        assert "7m" in age and "OFFLINE" in age
    with qtbot.waitSignal(changes.sync_state_changed):
        changes.publish_status(SyncStatus(Connection.DEGRADED, data_as_of=as_of))
    assert window.banner.isVisible() and "DEGRADED" in window.banner.text.text()


def test_all_discovered_panels_build(qtbot, panel_ctx, settings, languages) -> None:
    window = make_window(qtbot, panel_ctx, settings, languages, names=None)
    assert set(window.docks) >= MINE
    assert all(d.objectName().startswith("dock_") for d in window.docks.values())


def test_login_dialog_reports_failure_then_succeeds(qtbot) -> None:
    calls: list[tuple[str, str, str]] = []

    def attempt(server, user, password, ok, fail):  # type: ignore[no-untyped-def]
        calls.append((server, user, password))
        if password == "right":
            ok("session")
        else:
            fail("wrong user name or password")

    dialog = LoginDialog(attempt, "127.0.0.1:8700", "kim")
    qtbot.addWidget(dialog)
    dialog.submit()
    assert "Enter the server address" in dialog.message.text()
    dialog.password.setText("wrong")
    dialog.submit()
    assert dialog.message.text() == "wrong user name or password"
    assert calls[-1][0] == "http://127.0.0.1:8700"
    dialog.password.setText("right")
    dialog.submit()
    assert dialog.result() == LoginDialog.DialogCode.Accepted and dialog.result_value == "session"


def test_default_layout_gives_the_map_the_wall(qtbot, panel_ctx, settings, languages) -> None:
    # An old layout (the queue on the left half) saved by version 3 is dropped for the new default.
    settings.setValue(f"layout/{panel_ctx.user.username}/version", 3)
    settings.setValue(f"layout/{panel_ctx.user.username}/state", QByteArray(b"old"))
    window = MainWindow(panel_ctx, settings, languages, specs=discover_panels())
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    assert not window.restored
    area = window.dockWidgetArea
    docks = window.docks
    assert area(docks["map"]) == Qt.DockWidgetArea.LeftDockWidgetArea
    for name in ("incident_queue", "incident_detail", "duty_level"):
        assert area(docks[name]) == Qt.DockWidgetArea.RightDockWidgetArea
    qtbot.waitUntil(lambda: docks["map"].width() > 0.5 * window.width())
    assert docks["map"].height() > 0.55 * window.height()
    # queue above detail, duty level on top of the right column
    assert docks["duty_level"].y() < docks["incident_queue"].y() < docks["incident_detail"].y()
    assert docks["incident_queue"].height() > docks["duty_level"].height()
    tabs = set(window.tabifiedDockWidgets(docks["units"]))
    assert {docks[n] for n in ("routes", "deployment", "charts", "sync")} <= tabs
    assert docks["units"].y() > docks["map"].y() + docks["map"].height() - 5


def test_an_accelerated_clock_is_shown_and_data_ages_count_real_time(qtbot, panel_ctx, settings,  # type: ignore[no-untyped-def]
                                                                     languages) -> None:
    class FastClock:
        speed = 144.0

        def __init__(self) -> None:
            self.at = datetime(2025, 6, 2, 22, 7, tzinfo=UTC)  # 07:07 KST

        def now(self) -> datetime:
            return self.at

    clock = FastClock()
    panel_ctx.clock = clock
    window = make_window(qtbot, panel_ctx, settings, languages)
    fields = window.status_fields
    assert fields.scenario.isVisible()
    assert "×144" in fields.scenario.text() and fields.scenario.text().startswith("Scenario")
    assert clock.at.astimezone(OPERATION_TZ).strftime("%m-%d %H:%M") in fields.scenario.text()  # the day played, in KST
    # A long-poll returned 2 real seconds ago = 288 scenario seconds: the data is fresh.
    with qtbot.waitSignal(panel_ctx.changes.sync_state_changed):
        panel_ctx.changes.publish_status(SyncStatus(Connection.ONLINE, data_as_of=clock.at - timedelta(seconds=288)))
    assert "(2s ago)" in fields.as_of.text()
    frame = window.docks["incident_queue"].widget()
    assert "2s old" in frame.age.text() and frame.age.property("stale") is False  # type: ignore[attr-defined]
    clock.speed = 1.0  # real time: no scenario field
    fields.refresh()
    assert fields.scenario.isHidden()
