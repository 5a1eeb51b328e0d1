"""One demo run without the UI: scenario, seeded embedded server on a scenario clock, simulator."""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from console.demo.scenario import DEMO_PASSWORD, DemoDay, Scenario, build_scenario, default_clock_start
from console.demo.seed import SeedReport, mint_tokens, seed_database
from console.demo.sim_process import SimulatorProcess
from console.demo.simulator import Simulator, simulator_usernames
from console.domain.clock import parse_time
from console.server.clock import ServerClock
from console.server.database import Database
from console.server.embedded import EmbeddedServer

log = logging.getLogger("sitroom.demo")


@dataclass
class DemoSession:
    scenario: Scenario
    server: EmbeddedServer
    simulator: Simulator | SimulatorProcess
    data_dir: Path
    seed_report: SeedReport
    build_seconds: float
    owns_data_dir: bool = True
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url

    def simulator_stats(self) -> dict[str, Any]:
        if isinstance(self.simulator, SimulatorProcess):
            return self.simulator.stats()
        return self.simulator.stats_dict()

    def stop(self) -> dict[str, Any]:
        """Stop everything; returns the simulator's final statistics."""
        if isinstance(self.simulator, SimulatorProcess):
            stats = self.simulator.stop()
        else:
            self.simulator.stop()
            stats = self.simulator.stats_dict()
        self.server.close()
        if self.owns_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
        return stats


def start_demo(*, seed: int, focus_station: str, clock_start: datetime, speed: float,
               data_dir: Path | None = None, run_simulator: bool = True, separate_process: bool = True,
               escalation_interval: float | None = 2.0, day: DemoDay = DemoDay.ELECTION,
               progress: Callable[[datetime], None] | None = None) -> DemoSession:
    """Build, seed and start everything for `day` (the clock should start on it); the caller opens
    a console on `session.url`. The simulator runs in its own process unless `separate_process`
    is False (tests drive it step by step in process).

    A start later than 05:30 plays the day from 05:30 up to `clock_start` at once, each event at
    its own time, before this returns (`progress` hears the scenario time reached); the server's
    clock is then set back to `clock_start` and its escalator let go, so the world is the one a
    day played from 05:30 would show at `clock_start`."""
    t0 = time.perf_counter()
    scenario = build_scenario(seed, focus_station, day)
    build_seconds = time.perf_counter() - t0
    owns = data_dir is None
    directory = Path(tempfile.mkdtemp(prefix="sitroom-demo-")) if data_dir is None else data_dir
    directory.mkdir(parents=True, exist_ok=True)
    db_path = directory / "server.db"
    if db_path.exists():
        db_path.unlink()  # a demo always starts from its scenario
    url = f"sqlite:///{db_path}"
    db = Database(url)
    db.upgrade()
    report = seed_database(db, scenario)
    # The escalator checks often, since scenario minutes pass in real seconds.
    # A late start plays the morning at once: the escalator waits for that (see catch_up), or it
    # would escalate incidents whose acknowledgement is still on its way.
    gate = threading.Event()
    release = threading.Event()
    server = EmbeddedServer(url, clock=ServerClock(clock_start, speed),
                            escalation_interval=escalation_interval, escalation_gate=gate)
    server.database = db
    server.start()
    credentials = mint_tokens(db, simulator_usernames(scenario))
    simulator: Simulator | SimulatorProcess
    if separate_process:
        simulator = SimulatorProcess(seed, focus_station, server.url, credentials, plan_from=clock_start,
                                     day=scenario.day.value)
    else:
        simulator = Simulator(scenario, server.url, seed=seed, password=DEMO_PASSWORD,
                              token_source=credentials.__getitem__, focus_station=focus_station)
    if run_simulator:
        if isinstance(simulator, SimulatorProcess):
            simulator.start()
        else:
            simulator.start(release=release)
        _catch_up(simulator, server, clock_start, day, progress)
        release.set()
        if isinstance(simulator, SimulatorProcess):
            simulator.release()
    gate.set()  # (a caller that starts the simulator itself owns its catch-up)
    log.info("demo ready at %s", server.url)
    return DemoSession(scenario, server, simulator, directory, report, build_seconds, owns)


def _catch_up(simulator: Simulator | SimulatorProcess, server: EmbeddedServer, start: datetime,
              day: DemoDay, progress: Callable[[datetime], None] | None, timeout: float = 900.0) -> None:
    """Wait while the simulator plays what a late start missed, then set the clock back to the
    start (it ran on meanwhile). Gives up after `timeout` seconds with a warning."""
    if start <= default_clock_start(day):
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stats = simulator.stats() if isinstance(simulator, SimulatorProcess) else simulator.stats_dict()
        if stats.get("planned") and not stats.get("catching_up"):
            server.clock.set(now=start)
            return
        if progress is not None and stats.get("now"):
            progress(parse_time(str(stats["now"])))
        time.sleep(0.25)
    log.warning("the simulator did not catch up with the late start in %.0f s", timeout)
