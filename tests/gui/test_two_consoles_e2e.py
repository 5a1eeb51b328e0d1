"""End to end: two consoles on one embedded server. An incident created in one appears in the
other; the server stops; both keep working; it returns; both converge."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from console.domain.records import RecordKind
from console.ui.events import ChangeBus, Connection, Selection
from console.ui.i18n import LanguageSwitcher
from console.ui.main_window import MainWindow
from console.ui.operations import MutationRequest, OperationRunner
from console.ui.panels.base import PanelContext, discover_panels
from console.ui.qt import QSettings
from console.ui.session import Session, log_in
from console.ui.testing import dispose_context
from console.ui.theme import ThemeManager

pytestmark = pytest.mark.gui
K = RecordKind
PASSWORD = "correct horse battery"  # tests/gui/conftest.py's embedded_server
FAST = {"long_poll_wait": 2.0, "push_interval": 1.0, "backoff_cap": 0.5, "health_interval": 5.0}
PANELS = {"incident_queue", "incident_detail", "duty_level", "units", "sync"}


@pytest.fixture
def server(embedded_server):  # type: ignore[no-untyped-def]
    return embedded_server


@dataclass
class Console:
    session: Session
    window: MainWindow
    ctx: PanelContext

    def queue_status(self, incident_id: str) -> str | None:
        model = self.window.panels["incident_queue"].model  # type: ignore[attr-defined]
        item = model.item(incident_id)
        return None if item is None else str(item.status)

    def close(self) -> None:
        self.window.close()
        self.session.stop()
        dispose_context(self.ctx)
        self.session.deleteLater()


def open_console(qtbot, url: str, user: str, tmp_path: Path) -> Console:  # type: ignore[no-untyped-def]
    logged_in = log_in(url, user, PASSWORD, tmp_path / user, FAST)
    changes, ops = ChangeBus(), OperationRunner()
    session = Session(logged_in, changes, ops)
    ctx = PanelContext(replica=logged_in.replica, ops=ops, selection=Selection(), changes=changes,
                       clock=logged_in.engine.clock, user=logged_in.user, theme=ThemeManager("dark"),
                       console_id=logged_in.console_id)
    settings = QSettings(str(tmp_path / f"{user}.ini"), QSettings.Format.IniFormat)
    languages = LanguageSwitcher()
    languages.set_language("en")
    window = MainWindow(ctx, settings, languages, specs=discover_panels(names=PANELS))
    qtbot.addWidget(window)
    window.show()
    session.start()
    return Console(session, window, ctx)


def create_incident(console: Console, id: str, title: str) -> None:
    console.ctx.ops.submit(MutationRequest("incident.create", K.INCIDENT, id, {
        "category": "disorder", "code": 1, "title": title, "station_code": "S1",
        "lat": 37.57, "lon": 126.98}))


def test_two_consoles_share_work_survive_an_outage_and_converge(qtbot, server, tmp_path) -> None:
    a = open_console(qtbot, server.url, "op1", tmp_path)
    b = open_console(qtbot, server.url, "op2", tmp_path)
    try:
        # Created in A, it shows in B's queue (and B's incident alert goes off: code 1).
        create_incident(a, "inc-a", "Fight at the polling station")
        qtbot.waitUntil(lambda: b.queue_status("inc-a") == "new", timeout=15000)

        # The server goes away: both consoles say so and keep working from their replicas.
        server.stop()
        for c in (a, b):
            qtbot.waitUntil(lambda c=c: c.ctx.changes.status.connection == Connection.OFFLINE, timeout=20000)
            assert c.window.banner.isVisible()
        a.ctx.ops.submit(MutationRequest("incident.transition", K.INCIDENT, "inc-a", {"to": "acknowledged"}))
        create_incident(b, "inc-b", "Leaflets with false claims")
        qtbot.waitUntil(lambda: a.queue_status("inc-a") == "acknowledged")
        qtbot.waitUntil(lambda: b.queue_status("inc-b") == "new")
        qtbot.waitUntil(lambda: a.ctx.changes.status.pending == 1 and b.ctx.changes.status.pending == 1)
        assert b.queue_status("inc-a") == "new"  # B cannot know yet

        # The server returns: outboxes drain, and both consoles show the same state.
        server.start()

        def converged() -> bool:
            return (a.queue_status("inc-b") == "new" and b.queue_status("inc-a") == "acknowledged"
                    and a.ctx.changes.status.pending == 0 and b.ctx.changes.status.pending == 0
                    and all(c.ctx.changes.status.connection == Connection.ONLINE for c in (a, b)))

        qtbot.waitUntil(converged, timeout=30000)
        for c in (a, b):
            assert c.window.banner.isHidden()
        rows_a = {r.id: (r.version, r.data) for r in a.session.replica.rows(K.INCIDENT)}
        rows_b = {r.id: (r.version, r.data) for r in b.session.replica.rows(K.INCIDENT)}
        qtbot.waitUntil(lambda: {r.id: (r.version, r.data) for r in a.session.replica.rows(K.INCIDENT)}
                        == {r.id: (r.version, r.data) for r in b.session.replica.rows(K.INCIDENT)},
                        timeout=15000)
        assert set(rows_a) == set(rows_b) == {"inc-a", "inc-b"}
    finally:
        a.close()
        b.close()
