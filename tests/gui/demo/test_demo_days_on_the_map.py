"""The day the demo plays shows on the map: on an early-voting day the early-voting stations are
open and the polling stations closed, on election day the reverse; and `sitroom demo --day`
brings up the console on that day."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from console.demo.dry_run import DryRunSimulator
from console.demo.scenario import DEFAULT_STATION, DemoDay, build_scenario, kst
from console.domain.records import RecordKind

pytestmark = pytest.mark.gui


class Row(NamedTuple):
    id: str
    data: dict[str, Any]


def styles_at_noon(day: DemoDay) -> Counter[str]:
    """The map styles of the demo station's polling and early-voting stations at noon of `day`."""
    from console.ui.map.rows import polling_points
    from console.ui.map.style import POLLING_STYLES

    sim = DryRunSimulator(build_scenario(seed=2, day=day), seed=2)
    sim.plan(kst(day.calendar_date, 5, 30))
    sim.step(kst(day.calendar_date, 12))
    rows = [Row(d["id"], d) for d in sim.data(RecordKind.POLLING_STATION) if d["station_code"] == DEFAULT_STATION]
    points = polling_points(rows)
    assert set(points.styles) <= set(POLLING_STYLES)
    return Counter(points.styles)


def test_early_voting_stations_show_open_on_an_early_voting_day(qapp) -> None:  # type: ignore[no-untyped-def]
    styles = styles_at_noon(DemoDay.EARLY1)
    assert styles["early_voting:open"] > 0
    assert set(styles) <= {"early_voting:open", "early_voting:understaffed", "election_day:closed"}


def test_polling_stations_show_open_on_election_day(qapp) -> None:  # type: ignore[no-untyped-def]
    styles = styles_at_noon(DemoDay.ELECTION)
    assert styles["election_day:open"] > 0 and styles["early_voting:closed"] > 0
    assert set(styles) <= {"election_day:open", "election_day:understaffed", "early_voting:closed"}


def test_demo_plays_an_early_voting_day(tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    from console.ui.qt import QtGui

    shot = tmp_path / "early.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run(
        [sys.executable, "-m", "console.cli", "demo", "--day", "early1", "--screenshot", str(shot),
         "--quit-after", "8", "--data-dir", str(tmp_path / "data")],
        env=env, capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert "Day: early voting, day 1, Thu 29 May 2025" in result.stdout
    assert "scenario clock: 2025-05-29 05:30 KST" in result.stdout
    assert " 0 errors, scenario time 2025-05-2" in result.stdout  # the simulator played the day
    assert shot.exists() and shot.stat().st_size > 10_000
    assert QtGui.QImage(str(shot)).width() >= 800
