"""The simulator in its own process: the embedded server, the console and the simulator would
otherwise share one interpreter lock, and the server's throughput is what the demo is short of."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue
import time
from datetime import datetime
from typing import Any

from console.domain.clock import iso, parse_time


def _child(seed: int, focus: str, base_url: str, credentials: dict[str, tuple[str, str]],
           stop: Any, release: Any, stats: Any, rate_scale: float | None,
           plan_from: str | None, day: str) -> None:
    import logging

    from console.demo.scenario import DemoDay, build_scenario
    from console.demo.simulator import Simulator

    logging.basicConfig(level=logging.WARNING)
    scenario = build_scenario(seed, focus, DemoDay(day))
    kwargs: dict[str, Any] = {}
    if rate_scale is not None:
        kwargs["rate_scale"] = rate_scale
    sim = Simulator(scenario, base_url, seed=seed, token_source=credentials.__getitem__,
                    focus_station=focus, **kwargs)
    # Plan from the clock's start, not from when this process got going: what was missed
    # meanwhile is played at once.
    sim.start(plan_from=parse_time(plan_from) if plan_from else None, release=release)
    try:
        while not stop.wait(1.0):
            _offer(stats, sim.stats_dict())
    finally:
        sim.stop()
        _offer(stats, sim.stats_dict())


def _offer(q: Any, item: dict[str, Any]) -> None:
    with contextlib.suppress(queue.Full):
        q.put_nowait(item)


class SimulatorProcess:
    """Runs `Simulator` for a seeded scenario of `day` in a child process, against `base_url`."""

    def __init__(self, seed: int, focus: str, base_url: str, credentials: dict[str, tuple[str, str]],
                 *, rate_scale: float | None = None,
                 plan_from: datetime | None = None, day: str = "election") -> None:
        ctx = mp.get_context("spawn")  # never fork a process that runs Qt and a server thread
        self._stop = ctx.Event()
        self._release = ctx.Event()  # a late start waits for it once caught up (Simulator.start)
        self._stats_q: Any = ctx.Queue(maxsize=1000)
        self._last: dict[str, Any] = {}
        self._process = ctx.Process(
            target=_child, name="sitroom-simulator", daemon=True,
            args=(seed, focus, base_url, credentials, self._stop, self._release, self._stats_q, rate_scale,
                  iso(plan_from) if plan_from else None, str(day)))

    def start(self) -> None:
        self._process.start()

    def release(self) -> None:
        """Let a simulator that has caught up on a late start follow the clock."""
        self._release.set()

    def stats(self) -> dict[str, Any]:
        while True:
            try:
                self._last = self._stats_q.get_nowait()
            except queue.Empty:
                return self._last

    def scenario_now(self) -> datetime | None:
        now = self.stats().get("now")
        return parse_time(now) if now else None

    def stop(self, timeout: float = 20.0) -> dict[str, Any]:
        self._stop.set()
        deadline = time.monotonic() + timeout
        while self._process.is_alive() and time.monotonic() < deadline:
            self.stats()
            self._process.join(timeout=0.2)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5)
        return self.stats()
