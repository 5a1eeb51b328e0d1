"""The simulator drives a seeded embedded server for a simulated hour through the HTTP API, and
a headless console (replica + sync engine) converges to what the server holds in its scope."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from waiting import wait_for

from console.demo.scenario import DEFAULT_STATION, DEMO_PASSWORD, ELECTION_DAY, kst
from console.demo.session import start_demo
from console.demo.simulator import Simulator
from console.domain.org import visible_in_scope
from console.domain.records import INHERITED_KINDS, RecordKind
from console.replica import Replica
from console.server.tables import RowRecord
from console.sync import SyncEngine

# Long (a real server playing the day from 05:30), and the simulator's times are zone-aware
# throughout: run in the first zone of the test command only.
pytestmark = pytest.mark.once


def server_rows_in_scope(session_db: object, scope: str) -> dict[tuple[str, str], tuple[int, dict]]:
    with session_db.read() as s:  # type: ignore[attr-defined]
        return {
            (r.kind, r.id): (r.version, r.data) for r in s.query(RowRecord).all()
            if not r.deleted and visible_in_scope(r.org_path, scope,
                                                  inherited=RecordKind(r.kind) in INHERITED_KINDS)
        }


@contextmanager
def simulated_hour(tmp_path: Path, start: datetime, **options: Any) -> Iterator[tuple[Any, Replica, Simulator]]:
    """A seeded server whose simulator plays one hour from `start` at 600x (six seconds of server
    clock; the simulator catches up as it can), with a station commander's headless console
    syncing beside it. Yields (demo, replica, simulator) once the hour is played, cleanly."""
    demo = start_demo(seed=5, focus_station=DEFAULT_STATION, clock_start=start, speed=600.0,
                      data_dir=tmp_path / "server", run_simulator=False, separate_process=False,
                      escalation_interval=1.0, **options)
    replica = Replica(tmp_path / "console" / "replica.sqlite3")
    engine = SyncEngine(demo.url, replica, long_poll_wait=2.0, push_interval=1.0, backoff_cap=1.0)
    try:
        engine.login("s11110-cmd", DEMO_PASSWORD)
        engine.start()
        sim = demo.simulator
        assert isinstance(sim, Simulator)
        sim.start(interval=0.1)
        end = start + timedelta(hours=1)
        wait_for(lambda: sim.now is not None and sim.now >= end, 240, "the simulated hour")
        sim.stop()
        assert sim.stats.errors == []
        assert sim.stats.incidents_created > 0
        # Conflicts with the escalator are retried; what stays rejected is rare.
        assert sim.stats.by_status["rejected"] <= sim.stats.pushed * 0.02
        user = replica.user()
        assert user is not None and user.username == "s11110-cmd"
        yield demo, replica, sim
    finally:
        engine.close()
        replica.close()
        demo.stop()


def wait_converged(db: Any, replica: Replica) -> None:
    user = replica.user()
    assert user is not None

    def converged() -> bool:
        want = server_rows_in_scope(db, user.org_path)
        have = {(r.kind.value, r.id): (r.version, r.data) for r in replica.server_rows()}
        return want == have and replica.pending_count() == 0

    wait_for(converged, 120, "the console to converge")


def test_a_simulated_hour_applies_cleanly_and_the_console_converges(tmp_path: Path) -> None:
    with simulated_hour(tmp_path, kst(ELECTION_DAY, 9)) as (demo, replica, sim):
        assert sim.stats.by_status["applied"] > 300
        wait_converged(demo.server.database, replica)
        orders = [r for r in replica.rows(RecordKind.DUTY_ORDER) if r.data["level"] == "level_a"]
        # The province's Level A order for its stations reached the station console.
        assert any(DEFAULT_STATION in r.data["targets"] for r in orders)
        assert any(r.data["station_code"] == DEFAULT_STATION for r in replica.rows(RecordKind.INCIDENT))


def test_a_simulated_early_voting_hour_applies_cleanly_at_early_voting_stations(tmp_path: Path) -> None:
    """The first early-voting day from 09:00: the early-voting order down the chain, the
    early-voting stations open and the polling stations shut, every new incident at an
    early-voting station; the station console converges."""
    from console.demo.scenario import EARLY_VOTING_DAYS, DemoDay

    with simulated_hour(tmp_path, kst(EARLY_VOTING_DAYS[0], 9), day=DemoDay.EARLY1) as (demo, replica, sim):
        assert sim.stats.by_status["applied"] > 3_500  # every early-voting station opened, and more
        db = demo.server.database
        assert db is not None
        rows = server_rows_in_scope(db, "/")
        sites = {i: d for (k, i), (_v, d) in rows.items() if k == RecordKind.POLLING_STATION.value}
        early = {(d["station_code"], d["district"], d["town"]) for d in sites.values() if d["kind"] == "early_voting"}
        early_names = {d["name"] for d in sites.values() if d["kind"] == "early_voting"}
        assert all(d["open"] == (d["kind"] == "early_voting") for d in sites.values())
        new = [d for (k, _i), (_v, d) in rows.items()
               if k == RecordKind.INCIDENT.value and str(d["created_by"]).startswith("sim-")]
        assert len(new) == sim.stats.incidents_created
        for d in new:
            assert (d["station_code"], d["district"], d["town"]) in early, d
            assert d["place"] in early_names or d["place"] == "", d
        assert not any(v > 1 for (k, _i), (v, _d) in rows.items() if k == RecordKind.ROUTE.value)

        wait_converged(db, replica)
        orders = [r for r in replica.rows(RecordKind.DUTY_ORDER) if r.data["level"] == "level_b"]
        focus_order = next(r for r in orders if DEFAULT_STATION in r.data["targets"])
        # Started at 09:00: the shift before the user acknowledged it (issued 05:40).
        assert focus_order.data["acks"][DEFAULT_STATION]["by"] == f"sim-{DEFAULT_STATION.lower()}"
        own = [r.data for r in replica.rows(RecordKind.POLLING_STATION)]
        assert any(d["open"] for d in own if d["kind"] == "early_voting")
        assert not any(d["open"] for d in own if d["kind"] == "election_day")


def test_the_simulator_process_plays_the_chosen_day(tmp_path: Path) -> None:
    """What `sitroom demo --day early2` runs: the simulator in its own process, on the same day as
    the seeded server."""
    from console.demo.scenario import EARLY_VOTING_DAYS, DemoDay
    from console.demo.sim_process import SimulatorProcess

    start = kst(EARLY_VOTING_DAYS[1], 5, 50)
    demo = start_demo(seed=2, focus_station=DEFAULT_STATION, clock_start=start, speed=600.0,
                      data_dir=tmp_path / "server", day=DemoDay.EARLY2)
    try:
        sim = demo.simulator
        assert isinstance(sim, SimulatorProcess)
        db = demo.server.database
        assert db is not None

        def early_voting_open() -> bool:
            rows = server_rows_in_scope(db, "/")
            early = [d for (k, _i), (_v, d) in rows.items()
                     if k == RecordKind.POLLING_STATION.value and d["kind"] == "early_voting"]
            return len(early) == 3_500 and all(d["open"] for d in early)

        wait_for(early_voting_open, 120, "the early-voting stations to open")
        wait_for(lambda: sim.stats().get("incidents_created", 0) > 0, 60, "an incident")
    finally:
        stats = demo.stop()
    assert stats["error_count"] == 0
