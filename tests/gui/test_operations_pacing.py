"""Answers of background reads that pile up while the GUI thread is busy are taken in one per
pass of the event loop: timers, input and repaints get their turn between them (run back to back,
a national HQ's answers stalled its GUI for their sum while the morning's openings arrived)."""

from __future__ import annotations

import itertools
import time

import pytest

from console.ui.operations import OperationRunner
from console.ui.qt import QTimer

pytestmark = pytest.mark.gui


def test_answers_that_piled_up_are_taken_in_with_timers_running_between_them(qtbot) -> None:
    ops = OperationRunner()
    events: list[str] = []
    ticker = QTimer()  # as the GUI's own timers (and the stall probe) tick
    ticker.setInterval(5)
    ticker.timeout.connect(lambda: events.append("tick") if events and events[-1] != "tick" else None)
    ticker.start()
    events.append("tick")

    def take_in(name: str) -> None:
        events.append(name)
        time.sleep(0.03)  # a panel taking its answer in

    for name in "abcde":
        ops.query(lambda name=name: name, take_in)  # type: ignore[misc]
    time.sleep(0.3)  # the GUI thread is busy: all five answers wait for it
    qtbot.waitUntil(lambda: ops.in_flight == 0 and "e" in events, timeout=5000)
    ticker.stop()
    assert [e for e in events if e != "tick"] == list("abcde")  # in the order asked
    back_to_back = max(len(list(run)) for is_answer, run in itertools.groupby(events, lambda e: e != "tick")
                       if is_answer)
    assert back_to_back <= 2, events  # was all five
    ops.shutdown()
    ops.deleteLater()
