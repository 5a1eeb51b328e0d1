"""Qt helpers the GUI benchmarks share: the application, and running its event loop."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any


def app() -> Any:
    """The QApplication (offscreen when there is no display)."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from console.ui.qt import QApplication

    existing = QApplication.instance()
    return existing if existing is not None else QApplication([])


def spin(seconds: float) -> None:
    """Run the Qt event loop (in C++, as the console does) for `seconds`."""
    from console.ui.qt import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(max(1, int(seconds * 1000)), loop.quit)
    loop.exec()


def until(condition: Callable[[], bool], timeout: float, step: float = 0.005) -> bool:
    """Run the event loop until `condition()` holds (True) or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        spin(step)
    return True
