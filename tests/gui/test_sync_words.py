"""The Sync panel, the banner and the status bar word every failure for a person (what happened,
what to do); a raw exception is at most in a tooltip. The Korean status bar names the role in
Korean. Over a real replica (its outbox entries as the engine records them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.domain.records import RecordKind
from console.domain.roles import Role
from console.sync.events import FailureKind, SyncFailure
from console.ui.events import Connection, SyncStatus
from console.ui.i18n import LanguageSwitcher
from console.ui.labels import FAILURE_WORDS, failure_words
from console.ui.panels.sync_panel import SyncPanel
from console.ui.qt import QStatusBar
from console.ui.status import ConnectionBanner, StatusFields
from console.ui.testing import dispose_context, make_context, open_replica, sample_user

pytestmark = pytest.mark.gui
RAW = "ConnectionError: Pool(host='10.0.0.5', port=8470): Max retries exceeded with url: /api/v1/changes"


def test_every_failure_kind_is_worded() -> None:
    assert set(FAILURE_WORDS) == set(FailureKind)
    for kind in FailureKind:
        what, todo = failure_words(SyncFailure(kind, RAW))
        assert what.endswith(".") and todo.endswith(".")
        assert "Error" not in what + todo and "Pool" not in what + todo


def test_sync_panel_words_failures_and_keeps_the_raw_text_in_tooltips(qtbot, tmp_path: Path) -> None:
    replica = open_replica(tmp_path / "replica.sqlite3")
    ctx = make_context(replica)
    try:
        entry = replica.submit("incident.create", RecordKind.INCIDENT, replica.new_id(), {
            "category": "disorder", "code": 2, "title": "noise", "station_code": "S11110",
            "lat": 37.57, "lon": 126.98})
        # as the engine records a push that found no server
        replica.note_push_failure([entry.client_seq], SyncFailure(FailureKind.UNREACHABLE, RAW).stored())
        panel = SyncPanel(ctx)
        qtbot.addWidget(panel)
        panel.show()
        with qtbot.waitSignal(ctx.changes.sync_state_changed):
            ctx.changes.publish_status(SyncStatus(Connection.OFFLINE, pending=1,
                                                  failure=SyncFailure(FailureKind.UNREACHABLE, RAW)))
        qtbot.waitUntil(lambda: panel.outbox_table.rowCount() == 1)
        state = panel.state_label.text()
        assert "The server cannot be reached." in state and "check the network cable" in state
        assert "Pool(" not in state and "ConnectionError" not in state
        assert RAW in panel.state_label.toolTip()
        cell = panel.outbox_table.item(0, 4)
        assert cell.text() == "1 · The server cannot be reached."
        assert RAW in cell.toolTip()
        # the next kind replaces it
        with qtbot.waitSignal(ctx.changes.sync_state_changed):
            ctx.changes.publish_status(SyncStatus(Connection.DEGRADED, failure=SyncFailure(
                FailureKind.SERVER_STOPPING, "503: server_stopping")))
        assert "The server is restarting." in panel.state_label.text()
        with qtbot.waitSignal(ctx.changes.sync_state_changed):
            ctx.changes.publish_status(SyncStatus(Connection.ONLINE))
        assert "restarting" not in panel.state_label.text() and panel.state_label.toolTip() == ""
    finally:
        dispose_context(ctx)
        replica.close()


def test_banner_and_status_bar_word_the_failure(qtbot, panel_ctx) -> None:  # type: ignore[no-untyped-def]
    bar = QStatusBar()
    qtbot.addWidget(bar)
    fields = StatusFields(bar, panel_ctx.changes, panel_ctx.user, panel_ctx.clock.now)
    banner = ConnectionBanner(panel_ctx.changes, panel_ctx.clock.now)
    qtbot.addWidget(banner)
    banner.show()
    failure = SyncFailure(FailureKind.TIMED_OUT, "ReadTimeout: read timed out. (read timeout=15)")
    with qtbot.waitSignal(panel_ctx.changes.sync_state_changed):
        panel_ctx.changes.publish_status(SyncStatus(Connection.OFFLINE, pending=2, failure=failure))
    text = banner.text.text()
    assert text.startswith("OFFLINE — The server does not answer in time.")
    assert "2 change(s) waiting" in text and "ReadTimeout" not in text
    assert "ReadTimeout" in banner.toolTip() and "ReadTimeout" in fields.connection.toolTip()
    assert "ReadTimeout" not in fields.connection.text()


def test_korean_status_bar_names_the_role_in_korean(qtbot, panel_ctx) -> None:  # type: ignore[no-untyped-def]
    languages = LanguageSwitcher()
    user = sample_user(Role.NATIONAL_HQ, "NPA", "/NPA/")
    user = user.model_copy(update={"display_name": "Korean National Police Agency duty officer"})
    try:
        assert languages.set_language("ko")
        bar = QStatusBar()
        qtbot.addWidget(bar)
        fields = StatusFields(bar, panel_ctx.changes, user, panel_ctx.clock.now)
        text = fields.user.text()
        assert text == "경찰청 · kim"  # the role in Korean, the login name
        assert "duty officer" not in text and "National" not in text
        assert fields.user.toolTip() == user.display_name
    finally:
        languages.set_language("en")
