"""`sitroom demo --screenshot PATH --quit-after N` writes a PNG of the whole console window
(`--screenshot-panels`: and one of each panel)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui


def test_demo_writes_a_screenshot_of_the_full_window(tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    from console.ui.qt import QtGui

    shot = tmp_path / "demo.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run(
        [sys.executable, "-m", "console.cli", "demo", "--screenshot", str(shot), "--quit-after", "8",
         "--screenshot-panels", "--lang", "ko", "--data-dir", str(tmp_path / "data")],
        env=env, capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert "s11110-cmd" in result.stdout  # the credentials were printed
    assert shot.exists() and shot.stat().st_size > 10_000
    image = QtGui.QImage(str(shot))
    assert image.width() >= 800 and image.height() >= 600  # the main window, not a dialog
    # Not a blank grab: many different colours across the window.
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 41)}
    assert len(colours) > 20
    # and each panel, those behind a tab too, laid out at their size in the window
    charts = QtGui.QImage(str(tmp_path / "demo-charts.png"))
    assert charts.width() >= 400 and charts.height() >= 150
    assert {p.name for p in tmp_path.glob("demo-*.png")} >= {
        f"demo-{name}.png" for name in ("map", "incident_queue", "incident_detail", "duty_level", "units",
                                         "routes", "deployment", "charts", "sync")}
