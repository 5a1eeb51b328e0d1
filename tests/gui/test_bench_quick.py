"""`sitroom bench --quick` runs to the end and prints what README documents: one line per figure
in the documented format, sizes in each figure's name, and a closing count that agrees with the
lines. The targets themselves are not checked here (a busy CI machine is no benchmark rig)."""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from console.bench.cli import bench_modules
from console.bench.cli import run as run_bench
from console.bench.figures import CLOSING, INFORMATIONAL, LINE, Figure

pytestmark = pytest.mark.gui

TESTS = Path(__file__).resolve().parents[1]


def benchmarks_with_their_own_test() -> set[str]:
    """Benchmarks whose quick run has a test of its own (tests/**/test_bench_<name>.py, e.g. the
    burst's, which checks its figures): run there, not again here."""
    own = {path.stem.removeprefix("test_bench_") for path in TESTS.rglob("test_bench_*.py")}
    return own & set(bench_modules())


@pytest.mark.once
@pytest.mark.timeout(600)  # the run is about 75 s; its own waits give up after 90 s each
def test_quick_bench_runs_to_the_end_with_a_line_per_figure_and_a_closing_count() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    here = [name for name in bench_modules() if name not in benchmarks_with_their_own_test()]
    only = [arg for name in here for arg in ("--only", name)]
    done = subprocess.run([sys.executable, "-m", "console", "bench", "--quick", *only], capture_output=True,
                          text=True, timeout=900, env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert lines, done.stderr[-3000:]

    *body, closing = lines
    sections = [line[2:] for line in body if line.startswith("# ")]
    assert sections == here  # every benchmark ran, none crashed
    figures = [line for line in body if not line.startswith("# ")]
    parsed = []
    for line in figures:
        match = LINE.match(line)
        assert match is not None, f"not in the documented format: {line!r}"
        assert math.isfinite(float(match["value"])), line
        assert any(ch.isdigit() for ch in match["figure"]), f"no size in the figure's name: {line!r}"
        parsed.append(match)
    names = [m["figure"] for m in parsed]
    assert len(set(names)) == len(names), "two figures of one name"
    for prefix in ("console.first_data_all_panels", "console.stall_1000_changes", "sync.first_sync",
                   "queue_sort_", "panels_first_rows_all", "map national: pan/zoom frame"):
        assert any(name.startswith(prefix) for name in names), f"no figure {prefix}"

    count = CLOSING.match(closing)
    assert count is not None, f"the last line is not the closing count: {closing!r}"
    targets = [m for m in parsed if m["target"] != INFORMATIONAL]
    assert int(count["targets"]) == len(targets)
    assert int(count["met"]) == sum(m["verdict"] == "met" for m in targets)


def _fake_module(figures: list[Figure] | None) -> Any:
    def run(quick: bool) -> list[Figure]:
        if figures is None:
            raise RuntimeError("the server did not start")
        return figures

    return types.SimpleNamespace(run=run)


def test_a_crashed_benchmark_exits_1_after_the_others_ran_and_counts_as_a_target_not_met(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import console.bench.cli as cli

    fine = [Figure("a (10 rows)", 1.0, "s", 1.5, "raw 0.667 s", "ratio <= 2", True),
            Figure("b (10 rows)", 2.0, "ms", None, "none", INFORMATIONAL, True),
            Figure("c (10 rows)", 3.0, "ms", 4.0, "raw 0.750 ms", "ratio <= 2", False)]
    modules = {"crashing": _fake_module(None), "fine": _fake_module(fine)}
    monkeypatch.setattr(cli, "bench_modules", lambda: ["crashing", "fine"])
    monkeypatch.setattr(cli, "load", modules.__getitem__)

    status = run_bench(argparse.Namespace(only=[], quick=True))

    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert "# crashing crashed: RuntimeError: the server did not start" in out
    assert [line for line in out if LINE.match(line)] == [f.line() for f in fine]
    assert out[-1] == "1 of 3 targets met"  # a and c are targets, the crash a third; b informs


def test_a_run_whose_targets_are_not_met_still_exits_0(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import console.bench.cli as cli

    missed = [Figure("c (10 rows)", 3.0, "ms", 4.0, "raw 0.750 ms", "ratio <= 2", False)]
    monkeypatch.setattr(cli, "bench_modules", lambda: ["slow"])
    monkeypatch.setattr(cli, "load", {"slow": _fake_module(missed)}.__getitem__)

    assert run_bench(argparse.Namespace(only=["slow"], quick=False)) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 of 1 targets met"
