"""The simulator drives a seeded embedded server for a simulated hour through the HTTP API, and
a headless console (replica + sync engine) converges to what the server holds in its scope."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from console.demo.scenario import DEFAULT_STATION, DEMO_PASSWORD, ELECTION_DAY, kst
from console.demo.session import start_demo
from console.demo.simulator import Simulator
from console.domain.org import visible_in_scope
from console.domain.records import INHERITED_KINDS, RecordKind
from console.replica import Replica
from console.server.tables import RowRecord
from console.sync import SyncEngine


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def server_rows_in_scope(session_db: object, scope: str) -> dict[tuple[str, str], tuple[int, dict]]:
    with session_db.read() as s:  # type: ignore[attr-defined]
        return {
            (r.kind, r.id): (r.version, r.data) for r in s.query(RowRecord).all()
            if not r.deleted and visible_in_scope(r.org_path, scope,
                                                  inherited=RecordKind(r.kind) in INHERITED_KINDS)
        }


def test_a_simulated_hour_applies_cleanly_and_the_console_converges(tmp_path: Path) -> None:
    start = kst(ELECTION_DAY, 9)
    # 600x: the hour passes in six seconds of server clock; the simulator catches up as it can.
    demo = start_demo(seed=5, focus_station=DEFAULT_STATION, clock_start=start, speed=600.0,
                      data_dir=tmp_path / "server", run_simulator=False, separate_process=False,
                      escalation_interval=1.0)
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
        stats = sim.stats
        assert stats.errors == []
        assert stats.incidents_created > 0
        assert stats.by_status["applied"] > 300
        # Conflicts with the escalator are retried; what stays rejected is rare.
        assert stats.by_status["rejected"] <= stats.pushed * 0.02

        assert demo.server.database is not None
        user = replica.user()
        assert user is not None and user.username == "s11110-cmd"
        db = demo.server.database

        def converged() -> bool:
            want = server_rows_in_scope(db, user.org_path)
            have = {(r.kind.value, r.id): (r.version, r.data) for r in replica.server_rows()}
            return want == have and replica.pending_count() == 0

        wait_for(converged, 120, "the console to converge")
        orders = [r for r in replica.rows(RecordKind.DUTY_ORDER) if r.data["level"] == "level_a"]
        # The province's Level A order for its stations reached the station console.
        assert any(DEFAULT_STATION in r.data["targets"] for r in orders)
        assert any(r.data["station_code"] == DEFAULT_STATION for r in replica.rows(RecordKind.INCIDENT))
    finally:
        engine.close()
        replica.close()
        demo.stop()
