"""Loading is never shown as truth: until the first sync is complete (and the panels have read
it) every panel frame shows a loading page with the rows synced so far, and the status bar says
where the first sync is instead of an "as of" time. A real replica synced from a real server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from console.domain.records import RecordKind
from console.ui.events import ChangeBus, Connection, Selection, SyncStatus
from console.ui.i18n import LanguageSwitcher
from console.ui.main_window import MainWindow
from console.ui.operations import OperationRunner
from console.ui.panels.base import PanelContext, discover_panels
from console.ui.qt import QLabel, QSettings, QWidget
from console.ui.session import Session, log_in
from console.ui.status import PanelFrame
from console.ui.testing import dispose_context
from console.ui.theme import ThemeManager

pytestmark = pytest.mark.gui
PASSWORD = "correct horse battery"  # tests/gui/conftest.py's embedded_server
INCIDENTS = 31
# Small pages: the first sync comes in several steps, each shown.
ENGINE = {"page_size": 10, "long_poll_wait": 2.0, "push_interval": 1.0, "backoff_cap": 0.5}


def seed_incidents(server: Any) -> None:
    from console.server.operations import bulk_insert_rows

    with server.database.write() as s:
        bulk_insert_rows(s, [(RecordKind.INCIDENT, f"inc-{i}", {
            "id": f"inc-{i}", "category": "disorder", "code": 2, "title": f"disorder {i}",
            "station_code": "S1", "lat": 37.57, "lon": 126.98, "created_at": "2025-06-03T00:00:00Z",
            "created_by": "seed"}) for i in range(INCIDENTS)])


@dataclass
class Console:
    session: Session
    window: MainWindow
    ctx: PanelContext
    languages: LanguageSwitcher
    closed: bool = False

    @property
    def frames(self) -> dict[str, PanelFrame]:
        frames = {name: dock.widget() for name, dock in self.window.docks.items()}
        assert all(isinstance(f, PanelFrame) for f in frames.values())
        return frames  # type: ignore[return-value]

    def shown_texts(self) -> list[str]:
        """The texts a person sees: visible labels not covered by a loading page."""
        covered = [f.body for f in self.frames.values() if f.loading]

        def under(w: QWidget) -> bool:
            return any(c is w or c.isAncestorOf(w) for c in covered)

        return [label.text() for label in self.window.findChildren(QLabel)
                if label.isVisible() and label.text() and not under(label)]

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.window.close()
        self.session.stop()
        dispose_context(self.ctx)
        self.session.deleteLater()
        self.languages.set_language("en")


@pytest.fixture
def opened(qtbot, tmp_path: Path) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    consoles: list[Console] = []

    def open_console(url: str, lang: str = "en") -> Console:
        logged_in = log_in(url, "op1", PASSWORD, tmp_path / "profile", ENGINE)
        changes, ops = ChangeBus(), OperationRunner()
        session = Session(logged_in, changes, ops)
        ctx = PanelContext(replica=logged_in.replica, ops=ops, selection=Selection(), changes=changes,
                           clock=logged_in.engine.clock, user=logged_in.user, theme=ThemeManager("dark"),
                           console_id=logged_in.console_id)
        languages = LanguageSwitcher()
        languages.set_language(lang)
        window = MainWindow(ctx, QSettings(str(tmp_path / "console.ini"), QSettings.Format.IniFormat),
                            languages, specs=discover_panels())
        qtbot.addWidget(window)
        window.resize(1600, 1000)
        window.show()
        qtbot.waitExposed(window)
        console = Console(session, window, ctx, languages)
        consoles.append(console)
        return console

    yield open_console
    for c in consoles:
        c.close()


ZERO_OF_ZERO = re.compile(r"\b0 of 0\b|0건 중 0건")


def test_every_panel_shows_loading_until_the_first_sync_is_complete(qtbot, embedded_server, opened) -> None:  # type: ignore[no-untyped-def]
    seed_incidents(embedded_server)
    console = opened(embedded_server.url)  # logged in, not syncing yet: the replica has no snapshot
    status = console.ctx.changes.status
    assert status.loading and not status.synced
    assert len(console.frames) >= 8  # every panel of the console
    for name, frame in console.frames.items():
        assert frame.loading, name
        assert frame.loading_page.isVisible(), name
        assert frame.loading_page.geometry() == frame.body.geometry(), name  # covers the panel
        assert frame.loading_page.title.text().startswith("Loading"), name
    shown = console.shown_texts()
    assert not [t for t in shown if ZERO_OF_ZERO.search(t)], shown
    assert not [t for t in shown if "no order in force" in t], shown
    fields = console.window.status_fields
    assert fields.as_of.text() == "First sync: waiting for the server"
    assert "ago" not in fields.as_of.text()

    # Syncing: each page's progress is shown, in rows, in every frame.
    seen: list[str] = []
    frame = console.frames["incident_queue"]
    console.ctx.changes.sync_state_changed.connect(
        lambda s: seen.append(frame.loading_page.title.text()) if s.loading else None)
    console.session.start()
    qtbot.waitUntil(lambda: not any(f.loading for f in console.frames.values()), timeout=20000)
    total = INCIDENTS + 3  # the org units: national, provincial, station
    assert f"Loading: 10 of {total} rows synced" in seen
    assert f"Loading: 30 of {total} rows synced" in seen
    assert any(t.startswith("Loading: the synced data is being read") for t in seen)

    # Done: the panels show, with what the sync brought, and the data has an age.
    for name, f in console.frames.items():
        assert not f.loading_page.isVisible(), name
        assert f.age.text().startswith("Data as of"), name
    assert console.ctx.changes.status.synced
    assert fields.as_of.text().startswith("Data as of")
    queue = console.window.panels["incident_queue"]
    qtbot.waitUntil(lambda: queue.count_label.text() == f"{INCIDENTS} of {INCIDENTS}",  # type: ignore[attr-defined]
                    timeout=5000)


def test_a_console_restarted_offline_over_a_complete_replica_is_not_loading(qtbot, embedded_server,  # type: ignore[no-untyped-def]
                                                                            opened) -> None:
    seed_incidents(embedded_server)
    first = opened(embedded_server.url)
    first.session.start()
    qtbot.waitUntil(lambda: not first.ctx.changes.status.loading, timeout=20000)
    first.close()
    embedded_server.stop()

    again = opened(embedded_server.url)  # the server is down: an offline login
    assert again.session.logged_in.offline
    status = again.ctx.changes.status
    assert status.synced and status.connection == Connection.OFFLINE  # never "first sync" again
    again.session.start()
    qtbot.waitUntil(lambda: not any(f.loading for f in again.frames.values()), timeout=5000)
    assert again.window.status_fields.as_of.text().startswith("Data as of")
    assert "OFFLINE" in again.frames["incident_queue"].age.text()
    queue = again.window.panels["incident_queue"]
    qtbot.waitUntil(lambda: queue.count_label.text() == f"{INCIDENTS} of {INCIDENTS}",  # type: ignore[attr-defined]
                    timeout=5000)


def test_an_interrupted_first_sync_offline_says_why_it_waits(qtbot, panel_ctx) -> None:  # type: ignore[no-untyped-def]
    from console.sync.events import FailureKind, SyncFailure

    frame = PanelFrame(QLabel("0 of 0"), panel_ctx.changes, panel_ctx.clock.now)
    qtbot.addWidget(frame)
    frame.show()
    with qtbot.waitSignal(panel_ctx.changes.sync_state_changed):
        panel_ctx.changes.publish_status(SyncStatus(
            Connection.OFFLINE, loading=True, synced=False, rows_synced=12345, rows_total=42827,
            failure=SyncFailure(FailureKind.UNREACHABLE, "ConnectionError: Pool(host='x') Max retries")))
    assert frame.loading
    assert frame.loading_page.title.text() == "Loading: 12,345 of 42,827 rows synced"
    assert frame.loading_page.bar.value() == 12345 and frame.loading_page.bar.maximum() == 42827
    note = frame.loading_page.note.text()
    assert "The server cannot be reached." in note and "Pool(" not in note
    assert "Pool(host='x')" in frame.loading_page.toolTip()  # the raw detail only in the tooltip
    assert frame.age.text() == "First sync: 12,345 of 42,827 rows · OFFLINE"
