"""`sitroom bench --only scale` at a tiny size on the test PostgreSQL: its figures come out in
the documented format with values that make sense (the targets are the benchmark's business: a
busy CI machine is no benchmark rig)."""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys

import pytest

from console.bench.figures import INFORMATIONAL, LINE

pytestmark = pytest.mark.postgres

TINY = """
from console.bench import scale_bench
sizes = scale_bench.Sizes(rows=(4, 8), haproxy_consoles=6, writes=3, storm_consoles=6,
                          storm_changes=300, processes=2)
for figure in scale_bench.measure(sizes):
    print(figure.line(), flush=True)
"""


@pytest.mark.once
@pytest.mark.timeout(300)  # about a minute: servers, HAProxy and load processes start and stop
def test_the_scale_benchmark_at_a_tiny_size_gives_its_figures(pg_url: str) -> None:
    env = dict(os.environ, SITROOM_BENCH_PG_URL=pg_url)
    done = subprocess.run([sys.executable, "-c", TINY], capture_output=True, text=True, timeout=280,
                          env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    found: dict[str, list[re.Match[str]]] = {}
    for line in done.stdout.splitlines():
        if line.startswith("#"):
            continue
        match = LINE.match(line)
        assert match is not None, f"not in the documented format: {line!r}"
        found.setdefault(match["figure"].split(" ", 1)[0], []).append(match)
    haproxy = shutil.which("haproxy") is not None
    assert sorted(found) == ["scale.propagation_p50", "scale.propagation_p99", "scale.reconnect_storm",
                             "scale.reconnect_storm_peak_rss", "scale.rss_per_idle_console"]
    p99s = found["scale.propagation_p99"]
    assert len(p99s) == (3 if haproxy else 2)
    for p50, p99 in zip(found["scale.propagation_p50"], p99s, strict=True):
        assert "100% of writes seen within 10 s" in p99["figure"]
        assert 0 < float(p50["value"]) <= float(p99["value"]) < 10_000
        assert "LISTEN/NOTIFY" in p50["baseline"] and float(p50["ratio"]) > 1
    assert "4 consoles p99" in p99s[1]["baseline"]
    if haproxy:
        assert "2 server processes behind HAProxy" in p99s[2]["figure"]

    storm = found["scale.reconnect_storm"][0]
    assert "6 consoles back within 1 s after 300 changes" in storm["figure"]
    assert "0 other failures, 0 not caught up" in storm["figure"]
    assert storm["verdict"] == "met" and 0 < float(storm["value"]) < 60
    peak = found["scale.reconnect_storm_peak_rss"][0]
    assert 20 < float(peak["value"]) < 4000 and peak["target"] == INFORMATIONAL
    per_console = found["scale.rss_per_idle_console"][0]
    assert math.isfinite(float(per_console["value"])) and per_console["unit"] == "KiB"
