"""The demo's chain of command against a real seeded server: with plan_chain hooked into the
simulator's plan, as in the demo, the HQs' schedules and directives, the stations'
acknowledgements and their reports all land, with the server's scopes and roles."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from waiting import wait_for

from console.demo.scenario import DEFAULT_STATION, ELECTION_DAY, kst
from console.demo.session import start_demo
from console.demo.simulator import Simulator
from console.domain.clock import iso
from console.server.tables import RowRecord

pytestmark = pytest.mark.once


def test_the_morning_chain_of_command_lands_on_the_server(tmp_path: Path) -> None:
    start = kst(ELECTION_DAY, 7, 55)
    demo = start_demo(seed=5, focus_station=DEFAULT_STATION, clock_start=start, speed=600.0,
                      data_dir=tmp_path / "server", run_simulator=False, separate_process=False,
                      escalation_interval=None)
    try:
        sim = demo.simulator
        assert isinstance(sim, Simulator)
        sim.start(interval=0.1, plan_from=start)  # the demo user takes over at 07:55
        end = start + timedelta(minutes=25)
        wait_for(lambda: sim.now is not None and sim.now >= end, 300, "the simulated morning")
        sim.stop()
        assert sim.stats.errors == []
        with demo.server.database.read() as s:
            rows = [(r.kind, r.id, r.data) for r in s.query(RowRecord).filter(
                RowRecord.kind.in_(["report_schedule", "directive", "situation_report"])).all()]
        kinds = Counter(k for k, _i, _d in rows)
        stations = len(sim.sc.stations)
        assert kinds["report_schedule"] == 1 + len(sim.sc.provinces)
        assert kinds["directive"] == 1 + len(sim.sc.provinces)
        eight = iso(kst(ELECTION_DAY, 8))
        at_eight = [d for k, _i, d in rows if k == "situation_report" and d["slot"] == eight]
        assert len(at_eight) >= 0.85 * stations
        assert DEFAULT_STATION not in {d["office_code"] for d in at_eight}  # the demo user's to make
        # the offices' figures as they counted their calls since 05:30
        assert sum(d["content"]["incidents_opened"] for d in at_eight) > 0
        seven = {d["office_code"] for k, _i, d in rows if k == "situation_report"
                 and d["slot"] == iso(kst(ELECTION_DAY, 7))}
        assert DEFAULT_STATION in seven  # made by the shift before the user's
        acks = sum(len(d["acks"]) for k, _i, d in rows if k == "directive")
        assert acks >= 0.9 * (stations + len(sim.sc.provinces) - 1)
        rejected = sim.stats.rejected_codes
        assert sum(rejected.values()) <= sim.stats.pushed * 0.02, rejected
    finally:
        demo.stop()
