"""`sitroom bench --only burst` at a tiny size (the first half minute of the openings, 3 consoles
polling): its four figures come out in the documented format with values that make sense. The
targets themselves are the benchmark's business (a busy CI machine is no benchmark rig)."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys

import pytest

from console.bench.figures import INFORMATIONAL, LINE

pytestmark = pytest.mark.gui

TINY = """
from datetime import timedelta
from console.bench import burst_bench
from console.demo.scenario import ELECTION_DAY, kst
until = kst(ELECTION_DAY, 5, 58) + timedelta(seconds=30)
for figure in burst_bench.measure(burst_bench.Sizes(speed=30.0, consoles=3, until=until)):
    print(figure.line(), flush=True)
"""


@pytest.mark.once
@pytest.mark.timeout(300)  # about 25 s: the national scenario is seeded and synced whatever the size
def test_the_burst_benchmark_at_a_tiny_size_gives_its_four_figures() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", TINY], capture_output=True, text=True, timeout=280,
                          env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    found = {}
    for line in done.stdout.splitlines():
        match = LINE.match(line)
        assert match is not None, f"not in the documented format: {line!r}"
        found[match["figure"].split(" ", 1)[0]] = match
    assert sorted(found) == ["burst.hq_console_stall", "burst.propagation_p50", "burst.propagation_p99",
                             "burst.throughput"]

    throughput = found["burst.throughput"]
    opened = int(re.search(r"([\d,]+) polling stations opened", throughput["figure"])[1].replace(",", ""))
    assert 1_000 < opened < 14_295  # a half minute of the four minutes' openings
    assert "05:57-05:58:30 KST at 30x" in throughput["figure"]
    assert float(throughput["value"]) > 0 and float(throughput["ratio"]) > 0
    assert throughput["unit"] == "mutations/s" and throughput["target"] == INFORMATIONAL

    p50, p99 = found["burst.propagation_p50"], found["burst.propagation_p99"]
    assert "3 consoles long-polling" in p99["figure"]
    arrivals = int(re.search(r"([\d,]+) arrivals", p99["figure"])[1].replace(",", ""))
    assert arrivals >= opened  # the national console alone sees every opening
    assert 0 <= float(p50["value"]) <= float(p99["value"]) and p99["unit"] == "ms"
    assert p99["target"] == "< 1000 ms"

    stall = found["burst.hq_console_stall"]
    assert math.isfinite(float(stall["value"])) and float(stall["value"]) >= 0
    assert stall["ratio"] != "n/a" and "idle event loop's longest stall" in stall["baseline"]
    assert "its replica had every change" in stall["baseline"]  # the console took the burst in
    assert stall["target"] == "< 100 ms"
