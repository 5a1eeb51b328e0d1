"""A real console watching the world: logged in over HTTP on loopback, its replica synced by the
real sync engine, the dock panels built over it by their own factories on a ManualClock standing
at the world's moment; and readers for what the panels show (their widgets found by object name,
their tables read through the Qt model API, as a person would read them)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from console.ui.events import ChangeBus, Selection
from console.ui.operations import OperationRunner
from console.ui.panels.base import PanelContext, discover_panels
from console.ui.qt import QAbstractItemView, QApplication, QLabel, Qt, QWidget
from console.ui.session import Session, log_in
from console.ui.testing import ManualClock, dispose_context
from console.ui.theme import ThemeManager

from .world import NOW, PASSWORD, feed_head

# Short waits and a 4 Hz tick: the panels refresh on the bus's tick, not on the clock's time.
ENGINE = {"long_poll_wait": 2.0, "push_interval": 0.5, "backoff_cap": 0.5, "health_interval": 5.0}
PANELS = ("incident_queue", "duty_level", "deployment", "routes", "units", "charts")


def pump(ms: int = 20) -> None:
    """Let Qt deliver queued signals and timers for about `ms` milliseconds."""
    app = QApplication.instance()
    assert app is not None
    deadline = time.monotonic() + ms / 1000
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        pump()


def settle(check: Callable[[], list[str]], timeout: float = 8.0) -> list[str]:
    """Run `check` (it returns what disagrees) until it finds nothing or `timeout` passes (a
    panel refreshes a moment after its rows arrive); the last findings."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if not found or time.monotonic() > deadline:
            return found
        pump(50)


@dataclass
class WatchingConsole:
    username: str
    session: Session
    ctx: PanelContext
    panels: dict[str, QWidget] = field(default_factory=dict)

    @property
    def replica(self) -> Any:
        return self.session.replica

    @property
    def scope(self) -> str:
        return self.ctx.user.org_path

    @property
    def org(self) -> str:
        return self.ctx.user.org_code

    def caught_up(self, server: Any) -> bool:
        return self.replica.cursor() == feed_head(server) and self.replica.pending_count() == 0

    def wait_caught_up(self, server: Any, timeout: float = 20.0) -> None:
        """Until the replica's cursor is the server's feed head: both at the same feed position."""
        wait_until(lambda: self.caught_up(server), timeout, f"{self.username}'s replica to reach the feed head")

    def find(self, panel: str, cls: type, name: str) -> Any:
        widget = self.panels[panel].findChild(cls, name)
        assert widget is not None, f"panel {panel} has no {cls.__name__} named {name!r}"
        return widget

    def text(self, panel: str, name: str) -> str:
        return plain(self.find(panel, QLabel, name).text())

    def table(self, panel: str, name: str) -> Table:
        return Table(self.find(panel, QAbstractItemView, name))

    def close(self) -> None:
        for w in self.panels.values():
            w.close()
            w.deleteLater()
        self.session.stop()
        dispose_context(self.ctx)
        self.session.deleteLater()
        pump(50)


def open_console(url: str, username: str, profile: Path, panels: Iterable[str] = PANELS) -> WatchingConsole:
    logged_in = log_in(url, username, PASSWORD, profile, ENGINE)
    changes, ops = ChangeBus(tick_ms=250), OperationRunner()
    session = Session(logged_in, changes, ops)
    ctx = PanelContext(replica=logged_in.replica, ops=ops, selection=Selection(), changes=changes,
                       clock=ManualClock(NOW), user=logged_in.user, theme=ThemeManager("dark"),
                       console_id=logged_in.console_id)
    console = WatchingConsole(username, session, ctx)
    session.start()
    for spec in discover_panels(names=panels):
        widget = spec.factory(ctx)
        widget.resize(1000, 700)
        widget.show()
        console.panels[spec.object_name] = widget
    return console


# -- reading what is shown -------------------------------------------------------------------------
_TAGS = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    return _TAGS.sub(" ", text).replace("&nbsp;", " ").strip()


def numbers(text: str) -> list[int]:
    """The whole numbers in a text as a person reads them ("1,234" is one number)."""
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", plain(text))]


def shows_numbers(text: str, wanted: Iterable[int]) -> bool:
    """Every wanted figure appears in the text (as many times as wanted): wording and order may
    change, a wrong or missing figure may not."""
    have = numbers(text)
    for n in wanted:
        if n not in have:
            return False
        have.remove(n)
    return True


class Table:
    """A table view as shown: header texts and each row's cell texts (the model's DisplayRole)."""

    def __init__(self, view: QAbstractItemView) -> None:
        self.view = view
        self.model = view.model()

    @property
    def headers(self) -> list[str]:
        m = self.model
        return [str(m.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
                for c in range(m.columnCount())]

    def column(self, header: str) -> int:
        heads = self.headers
        assert header in heads, f"no column {header!r} in {heads}"
        return heads.index(header)

    def rows(self) -> list[list[str]]:
        m = self.model
        return [[str(m.data(m.index(r, c), Qt.ItemDataRole.DisplayRole) or "") for c in range(m.columnCount())]
                for r in range(m.rowCount())]

    def values(self, header: str) -> list[str]:
        c = self.column(header)
        return [row[c] for row in self.rows()]

    def ids(self) -> list[str]:
        id_at = getattr(self.model, "id_at", None)
        assert id_at is not None, "the table's model does not name its rows' records"
        return [str(id_at(r)) for r in range(self.model.rowCount())]

    def __len__(self) -> int:
        return int(self.model.rowCount())
