"""The panel contract: background operations, the change bus, selection and panel discovery."""

from __future__ import annotations

import threading

import pytest

from console.domain.errors import InvalidValue
from console.domain.records import RecordKind

pytestmark = pytest.mark.gui


def test_query_result_arrives_on_the_gui_thread(qtbot, panel_ctx) -> None:
    seen: list[tuple[int, bool]] = []
    gui = threading.current_thread()

    def work() -> int:
        assert threading.current_thread() is not gui
        return 42

    panel_ctx.ops.query(work, lambda r: seen.append((r, threading.current_thread() is gui)))
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(42, True)]


def test_only_the_newest_query_of_a_key_delivers(qtbot, panel_ctx) -> None:
    gate = threading.Event()
    seen: list[str] = []
    panel_ctx.ops.query(lambda: gate.wait(5) and "old", seen.append, key="k")
    panel_ctx.ops.query(lambda: "new", seen.append, key="k")
    gate.set()
    qtbot.waitUntil(lambda: panel_ctx.ops.in_flight == 0)
    assert seen == ["new"]


def test_a_keyed_read_superseded_while_queued_does_not_run(qtbot, panel_ctx) -> None:
    gate = threading.Event()
    ran: list[str] = []
    seen: list[str] = []
    panel_ctx.ops.query(lambda: gate.wait(5), lambda _r: None)  # keeps the worker busy
    panel_ctx.ops.query(lambda: ran.append("first") or "first", seen.append, key="k")
    panel_ctx.ops.query(lambda: ran.append("second") or "second", seen.append, key="k")
    gate.set()
    qtbot.waitUntil(lambda: panel_ctx.ops.in_flight == 0)
    assert ran == ["second"] and seen == ["second"]


def test_domain_errors_reach_on_error_or_the_failed_signal(qtbot, panel_ctx) -> None:
    errors: list[BaseException] = []

    def broken() -> None:
        raise InvalidValue("bad value")

    panel_ctx.ops.query(broken, lambda _r: None, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], InvalidValue)
    with qtbot.waitSignal(panel_ctx.ops.failed) as blocker:
        panel_ctx.ops.query(broken, lambda _r: None)
    assert blocker.args[1] == "bad value"


def test_change_bus_coalesces_changes_from_threads(qtbot, panel_ctx) -> None:
    received: list[dict] = []
    panel_ctx.changes.rows_changed.connect(received.append)

    def producer() -> None:
        for i in range(500):
            panel_ctx.changes.publish_rows({RecordKind.INCIDENT: {f"i{i}"}})

    t = threading.Thread(target=producer)
    t.start()
    t.join()
    qtbot.waitUntil(lambda: sum(len(r.get(RecordKind.INCIDENT, ())) for r in received) == 500)
    assert len(received) < 500


def test_selection_is_broadcast(qtbot, panel_ctx) -> None:
    with qtbot.waitSignal(panel_ctx.selection.selected) as blocker:
        panel_ctx.selection.select("incident", "abc")
    assert blocker.args == ["incident", "abc"]


def test_every_panel_module_declares_a_spec_with_a_unique_object_name() -> None:
    import pkgutil

    import console.ui.panels
    from console.ui.panels.base import discover_panels

    specs = discover_panels()
    modules = [m.name for m in pkgutil.iter_modules(console.ui.panels.__path__)
               if m.name.endswith("_panel")]
    assert len(specs) == len(modules)
    names = [s.object_name for s in specs]
    assert len(names) == len(set(names))
