"""GUI test set-up: offscreen Qt, an English UI by default, and a panel context over memory."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytestmark = pytest.mark.gui


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """No Python message handler for Qt in the GUI tests (pytest-qt installs one per test to
    capture Qt's log, and no test reads it). Qt calls its handler from inside dlopen when it
    loads a plugin, with the GIL released: a Python handler then waits for the GIL while a
    thread holding it waits for the loader's lock (a demo console hung at start that way)."""
    for item in items:
        item.add_marker(pytest.mark.no_qt_log)


@pytest.fixture
def memory_replica():  # type: ignore[no-untyped-def]
    from console.ui.testing import MemoryReplica

    return MemoryReplica()


@pytest.fixture
def panel_ctx(qapp, memory_replica) -> Iterator:  # type: ignore[no-untyped-def]
    from console.ui.testing import dispose_context, make_context

    ctx = make_context(memory_replica)
    yield ctx
    dispose_context(ctx)


@pytest.fixture
def show_panel(qtbot) -> Iterator:  # type: ignore[no-untyped-def]
    """`show_panel(PanelClass, replica, user=None)`: the panel over a context of its own on
    `replica` (as `user`; a station operator by default), shown; the contexts go with the test."""
    from console.ui.testing import dispose_context, make_context

    contexts = []

    def show(factory, replica, user=None):  # type: ignore[no-untyped-def]
        ctx = make_context(replica) if user is None else make_context(replica, user)
        contexts.append(ctx)
        panel = factory(ctx)
        qtbot.addWidget(panel)
        panel.show()
        return panel

    yield show
    for ctx in contexts:
        dispose_context(ctx)


PASSWORD = "correct horse battery"


@pytest.fixture
def embedded_server(tmp_path):  # type: ignore[no-untyped-def]
    """A real server on loopback with one station (S1) and two operators, op1 and op2."""
    from console.domain.roles import Role
    from console.server.embedded import EmbeddedServer
    from console.server.operations import create_org_unit, create_user

    srv = EmbeddedServer(f"sqlite:///{tmp_path / 'server.db'}", escalation_interval=None)
    srv.start()
    assert srv.database is not None
    with srv.database.write() as s:
        create_org_unit(s, "NPA", "national", "경찰청", "National Police Agency")
        create_org_unit(s, "SEOUL", "provincial", "서울청", "Seoul", "NPA")
        create_org_unit(s, "S1", "station", "종로서", "Jongno", "SEOUL", personnel_total=100,
                        personnel_on_duty=20, lat=37.57, lon=126.98)
        create_user(s, "op1", PASSWORD, Role.STATION_OPERATOR, "S1")
        create_user(s, "op2", PASSWORD, Role.STATION_OPERATOR, "S1")
    yield srv
    srv.close()
