"""The whole country played: the demo's simulator opens every polling station (or early-voting
station) of the country through the API, and a national HQ console's figure of stations open at
10:20 equals a direct count from the server's database (the issue's truth check at the scale of a
country)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from waiting import wait_for

from console.demo.scenario import DEFAULT_STATION, DEMO_PASSWORD, DemoDay, kst
from console.demo.session import DemoSession, start_demo
from console.demo.simulator import Simulator
from console.domain.clock import parse_time
from console.domain.records import RecordKind
from console.replica import Replica
from console.server.tables import FeedHead, RowRecord
from console.sync import SyncEngine
from console.views.deployment import SiteSource, operating_mask, summary_of

pytestmark = pytest.mark.once  # long (a country), and the figures compared show no time


@dataclass
class Country:
    day: DemoDay
    demo: DemoSession
    replica: Replica


@pytest.fixture(scope="module", params=[DemoDay.ELECTION, DemoDay.EARLY1], ids=["election", "early1"])
def country(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Country]:
    """The demo started late at 10:20 (it plays the day from 05:30 first), the simulator then
    stopped so the database holds still, and national HQ's console synced to its head."""
    day: DemoDay = request.param
    tmp: Path = tmp_path_factory.mktemp(day.value)
    demo = start_demo(seed=1, focus_station=DEFAULT_STATION, clock_start=kst(day.calendar_date, 10, 20),
                      speed=1.0, data_dir=tmp / "server", separate_process=False,
                      escalation_interval=None, day=day)
    assert isinstance(demo.simulator, Simulator)
    demo.simulator.stop()
    assert demo.simulator.stats.errors == []
    replica = Replica(tmp / "replica.sqlite3")
    engine = SyncEngine(demo.url, replica, long_poll_wait=1.0, push_interval=1.0, backoff_cap=1.0)
    try:
        engine.login("hq", DEMO_PASSWORD)
        engine.start()
        db = demo.server.database
        assert db is not None
        with db.read() as s:
            head = s.execute(select(FeedHead.seq)).scalar_one()
        wait_for(lambda: (replica.cursor() or 0) >= head, 180, "national HQ's console to sync")
        yield Country(day, demo, replica)
    finally:
        engine.close()
        replica.close()
        demo.stop()


def _open_in_database(country: Country) -> tuple[int, int]:
    """(stations of the day's kind, open ones), counted straight from the server's rows."""
    kind = "early_voting" if country.day.early_voting else "election_day"
    db = country.demo.server.database
    assert db is not None
    with db.read() as s:
        rows = s.execute(select(RowRecord.data).where(
            RowRecord.kind == RecordKind.POLLING_STATION.value, RowRecord.deleted.is_(False))).scalars()
        sites = [d for d in rows if d["kind"] == kind]
    return len(sites), sum(1 for d in sites if d["open"])


def test_national_hq_sees_every_station_of_the_day_open_as_the_database_holds(country: Country) -> None:
    sites, open_now = _open_in_database(country)
    expected = 3_500 if country.day.early_voting else 14_295
    assert sites == expected
    assert open_now == expected  # every one played, not a sample
    source = SiteSource(country.replica.user().org_path)  # type: ignore[union-attr]
    snapshot = source.load(country.replica).sites
    assert snapshot is not None
    summary = summary_of(snapshot, operating_mask(snapshot, kst(country.day.calendar_date, 10, 20)))
    assert summary.polls_open == open_now
    assert summary.polling_sites == sites


def test_the_morning_is_in_the_history(country: Country) -> None:
    """Started at 10:20, the morning's incidents and the day's order are there as played."""
    day = country.day.calendar_date
    created = [parse_time(str(r.data["created_at"])) for r in country.replica.rows(RecordKind.INCIDENT)]
    assert sum(1 for t in created if kst(day, 5, 30) <= t < kst(day, 10)) > 50
    orders = [r.data for r in country.replica.rows(RecordKind.DUTY_ORDER) if r.data["issuer_code"] == "NPA"]
    issued = sorted(parse_time(str(o["issued_at"])) for o in orders)
    if country.day == DemoDay.ELECTION:
        assert kst(day, 5, 40) in issued  # Level A, at its own time, not at the start
