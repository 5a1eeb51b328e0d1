"""The engine's parts on their own: connectivity rules, backoff, the server clock, the verifier."""

from __future__ import annotations

import random
from datetime import timedelta

from console.domain.clock import parse_time
from console.protocol.schema import ClockInfo
from console.sync.clock import ServerClock
from console.sync.connectivity import ConnectivityMonitor
from console.sync.credentials import check_verifier, make_verifier
from console.sync.engine import Backoff
from console.sync.events import Connectivity


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_connectivity_offline_degraded_online() -> None:
    t = FakeTime()
    m = ConnectivityMonitor(window=5, slow=1.0, memory=30.0, now=t)
    assert m.state == Connectivity.OFFLINE  # never reached yet
    m.record(True, 0.05)
    assert m.state == Connectivity.ONLINE
    m.record(False)
    assert m.state == Connectivity.DEGRADED  # one failure among the recent requests
    m.record(False)
    assert m.state == Connectivity.OFFLINE  # two in a row
    m.record(True, 0.05)
    # Back from the outage: online at once (its failures say nothing about the connection now).
    assert m.state == Connectivity.ONLINE
    m.record(False)
    m.record(True, 0.05)
    assert m.state == Connectivity.DEGRADED  # a failure while connected: recent
    t.now += 31
    m.record(True, 0.05)
    assert m.state == Connectivity.ONLINE  # the failures are forgotten
    m.record(True, 2.5)
    assert m.state == Connectivity.DEGRADED  # slow
    m.record(True, None)  # a long-poll: its duration says nothing about speed
    assert m.state == Connectivity.DEGRADED
    for _ in range(5):
        m.record(True, 0.05)
    assert m.state == Connectivity.ONLINE


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    b = Backoff(base=0.5, cap=8.0, rng=random.Random(1))
    delays = [b.next() for _ in range(10)]
    assert delays[0] <= 1.0 and max(delays) <= 8.0 and delays[-1] >= 4.0
    assert len(set(delays)) == len(delays)  # jittered
    b.reset()
    assert b.next() <= 1.0


def test_server_clock_follows_speed() -> None:
    clock = ServerClock()
    clock.update(ClockInfo(now="2026-06-03T06:00:00Z", speed=60.0))
    clock._at -= 2.0  # two real seconds ago
    now = clock.now()
    assert now - parse_time("2026-06-03T06:00:00Z") >= timedelta(minutes=2)
    assert now - parse_time("2026-06-03T06:00:00Z") < timedelta(minutes=3)


def test_a_saved_clock_restores_real_time_on_and_a_scenario_where_it_was_left() -> None:
    from console.domain.clock import iso, now_utc

    an_hour_ago = iso(now_utc() - timedelta(hours=1))
    real = ServerClock()
    real.restore({"server": "2026-06-03T06:00:00Z", "wall": an_hour_ago, "speed": 1.0})
    late = real.now() - parse_time("2026-06-03T06:00:00Z")
    assert timedelta(minutes=59) < late < timedelta(minutes=61)  # the hour the console was off
    scenario = ServerClock()
    scenario.restore({"server": "2026-06-03T06:00:00Z", "wall": an_hour_ago, "speed": 144.0})
    # not 144 hours on: a scenario server may have been stopped; it is taken up where it was left
    assert scenario.now() - parse_time("2026-06-03T06:00:00Z") < timedelta(minutes=5)
    assert scenario.speed == 144.0
    broken = ServerClock()
    broken.restore({"server": "not a time"})
    assert not broken.synced


def test_offline_verifier_never_holds_the_password() -> None:
    v = make_verifier("op1", "s3cret password")
    assert "s3cret" not in repr(v)
    assert check_verifier(v, "op1", "s3cret password")
    assert not check_verifier(v, "op1", "wrong")
    assert not check_verifier(v, "op2", "s3cret password")
    assert not check_verifier(None, "op1", "s3cret password")
    assert make_verifier("op1", "s3cret password")["salt"] != v["salt"]
