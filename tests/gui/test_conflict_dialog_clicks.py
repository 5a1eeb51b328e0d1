"""The conflict dialog's buttons, clicked as a person clicks them, give the right row on both
consoles. Two real consoles (real replicas, real sync engines) on one real server edit the same
incident; A's edit, made offline on an older version, becomes a conflict; A's user opens it from
the Sync panel and clicks Keep mine, Take theirs, or ticks a field and clicks Merge. Each choice
ends in a different row, so a resolve that took the wrong choice fails its test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from truth.watch import WatchingConsole, open_console, pump, wait_until
from truth.world import K, World, Writer, open_world

from console.ui.qt import QApplication, Qt, QTableWidget, QTimer, QtWidgets, QWidget

pytestmark = pytest.mark.gui

INCIDENT = "INC-DAY-006"  # 종로, 14:00, acknowledged (tests/gui/truth/world.py)
MINE = {"title": "mine: fight at the gate", "place": "gate 1"}
THEIRS = {"title": "theirs: scuffle in the queue", "description": "two voters, one bruised"}


@pytest.fixture
def world(qapp, tmp_path: Path) -> Iterator[World]:  # type: ignore[no-untyped-def]
    w = open_world(f"sqlite:///{tmp_path / 'server.db'}")
    yield w
    w.server.close()


@pytest.fixture
def conflict(world: World, tmp_path: Path) -> Iterator[tuple[WatchingConsole, Writer]]:
    """Console A (with its Sync panel) holding one conflict on INCIDENT, and console B, whose
    edit made it."""
    a = open_console(world.url, "s11110-op", tmp_path / "a", panels=("sync",))
    b = Writer(world, "s11110-op2", tmp_path / "b")
    try:
        a.wait_caught_up(world.server)
        b.wait_synced()
        a.session.engine.stop()  # A is offline
        a.replica.submit("incident.edit", K.INCIDENT, INCIDENT, dict(MINE))
        b.submit("incident.edit", K.INCIDENT, INCIDENT, dict(THEIRS))
        wait_until(lambda: server_row(world)["title"] == THEIRS["title"], 15, "B's edit on the server")
        a.session.engine.start()  # back online: A's push meets a newer version
        wait_until(lambda: a.replica.conflicts_count() == 1, 15, "the conflict on A")
        sync = a.panels["sync"]
        table = sync.findChild(QTableWidget, "conflicts_table")
        assert table is not None
        wait_until(lambda: table.rowCount() == 1, 10, "the conflict in A's Sync panel")
        assert server_row(world)["title"] == THEIRS["title"]  # nothing overwritten meanwhile
        yield a, b
    finally:
        b.engine.close()
        b.replica.close()
        a.close()


def server_row(world: World) -> dict[str, Any]:
    from truth.dbtruth import scope_rows

    return scope_rows(world.server, "/NPA/").data(K.INCIDENT)[INCIDENT]


def when_dialog_opens(act: Callable[[QWidget], None]) -> None:
    """Act on the conflict dialog once it is up (it runs modally: `exec()` returns after the click)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "conflict_dialog" or not dialog.isVisible():
            QTimer.singleShot(20, poll)
            return
        act(dialog)

    QTimer.singleShot(0, poll)


def click(widget: QWidget, pos: Any = None) -> None:
    from pytestqt.qtbot import QtBot

    if pos is None:
        QtBot.mouseClick(widget, Qt.MouseButton.LeftButton)
    else:
        QtBot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def click_button(dialog: QWidget, name: str) -> None:
    button = dialog.findChild(QtWidgets.QPushButton, name)
    assert button is not None and button.isVisible() and button.isEnabled(), f"no {name} button to click"
    click(button)


def tick_take_theirs(dialog: QWidget, field: str) -> None:
    """Click the check box of `field`'s row in the 'Merge: take theirs' column."""
    table = dialog.findChild(QTableWidget, "conflict_fields")
    assert table is not None
    names = [table.item(r, 0) for r in range(table.rowCount())]
    row = next(r for r, name in enumerate(names) if name is not None and name.text() == field)
    item = table.item(row, 3)
    assert item is not None
    table.scrollToItem(item)
    option = QtWidgets.QStyleOptionViewItem()
    option.rect = table.visualItemRect(item)
    option.features |= QtWidgets.QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    option.state |= QtWidgets.QStyle.StateFlag.State_Enabled
    box = table.style().subElementRect(QtWidgets.QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, table)
    click(table.viewport(), box.center())
    assert item.checkState() == Qt.CheckState.Checked, "the click did not tick the box"


def resolve_by_clicking(a: WatchingConsole, act: Callable[[QWidget], None]) -> None:
    sync = a.panels["sync"]
    button = sync.findChild(QtWidgets.QPushButton, "resolve_conflict")
    assert button is not None and button.isEnabled()
    acted: list[bool] = []

    def act_once(dialog: QWidget) -> None:
        act(dialog)
        acted.append(True)

    when_dialog_opens(act_once)
    click(button)  # opens the dialog; returns once a button in it was clicked
    assert acted, "the conflict dialog did not open"


def converged_on(world: World, a: WatchingConsole, b: Writer, expected: dict[str, Any]) -> None:
    def done() -> bool:
        if a.replica.pending_count() or a.replica.conflicts_count() or b.replica.pending_count():
            return False
        server = server_row(world)
        rows = [r.data for r in (a.replica.row(K.INCIDENT, INCIDENT), b.replica.row(K.INCIDENT, INCIDENT))
                if r is not None and not r.pending]
        return len(rows) == 2 and all(r == server for r in rows) and all(
            server.get(k) == v for k, v in expected.items())

    try:
        wait_until(done, 20, "both consoles and the server on the resolved row")
    except AssertionError:
        shown = {k: server_row(world).get(k) for k in expected}
        raise AssertionError(f"the server's row has {shown}, the choice should give {expected}") from None
    pump(50)
    table = a.panels["sync"].findChild(QTableWidget, "conflicts_table")
    assert table is not None
    wait_until(lambda: table.rowCount() == 0, 5, "the conflict gone from A's Sync panel")


def test_keep_mine_puts_my_edit_on_top_of_theirs(world: World, conflict: tuple[WatchingConsole, Writer]) -> None:
    a, b = conflict
    resolve_by_clicking(a, lambda d: click_button(d, "keep_mine"))
    # Mine on top of the server's row: my fields win, B's other field stays.
    converged_on(world, a, b, {**MINE, "description": THEIRS["description"]})


def test_take_theirs_drops_my_edit(world: World, conflict: tuple[WatchingConsole, Writer]) -> None:
    a, b = conflict
    before = dict(server_row(world))
    resolve_by_clicking(a, lambda d: click_button(d, "take_theirs"))
    converged_on(world, a, b, {**THEIRS, "place": before.get("place")})
    assert a.replica.row(K.INCIDENT, INCIDENT).data["place"] != MINE["place"]


def test_merge_takes_the_ticked_fields_from_theirs(world: World, conflict: tuple[WatchingConsole, Writer]) -> None:
    a, b = conflict

    def merge(dialog: QWidget) -> None:
        tick_take_theirs(dialog, "title")  # their title, my place
        click_button(dialog, "merge")

    resolve_by_clicking(a, merge)
    converged_on(world, a, b, {"title": THEIRS["title"], "place": MINE["place"],
                               "description": THEIRS["description"]})
