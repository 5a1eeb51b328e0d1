"""A small election world on a real server: the demo scenario cut down to two provinces and three
stations, set as it stands at 20:50 KST on election day (Level A in force, not acknowledged by
one station; incidents through the day; ballot boxes waiting, moving, arrived and late), seeded
into a real server database whose scenario clock stands at that moment."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from pg_databases import create_pg_database
from sqlalchemy import select

from console.demo.scenario import (
    ELECTION_DAY,
    NATIONAL_CODE,
    Scenario,
    build_scenario,
    kst,
)
from console.domain.clock import iso
from console.domain.duty import Acknowledgement, DutyLevel, DutyOrder
from console.domain.election import RouteState
from console.domain.incidents import (
    Incident,
    IncidentCategory,
    IncidentStatus,
    PriorityCode,
    TimelineEntry,
    TimelineKind,
    route_for,
)
from console.domain.records import RecordKind
from console.domain.roles import Role
from console.domain.units import UnitStatus
from console.server import auth
from console.server.clock import ServerClock
from console.server.embedded import EmbeddedServer
from console.server.operations import bulk_insert_rows, create_user
from console.server.tables import FeedHead

K = RecordKind
PASSWORD = "truth-check-password"
# The moment the world stands at, and the console clocks with it.
NOW = kst(ELECTION_DAY, 20, 50)
STATIONS = ("S11110", "S11110B", "S26110")  # 종로, 혜화 (Seoul); 부산중부 (Busan)
PROVINCES = ("SEOUL", "BUSAN")
ORGS = (NATIONAL_CODE, *PROVINCES, *STATIONS)
# username -> (role, org): one user per role under test, and one per office that changes the
# world while a console watches.
USERS: dict[str, tuple[Role, str]] = {
    "s11110-cmd": (Role.STATION_COMMANDER, "S11110"),
    "s11110-op": (Role.STATION_OPERATOR, "S11110"),
    "s11110-op2": (Role.STATION_OPERATOR, "S11110"),
    "s11110b-cmd": (Role.STATION_COMMANDER, "S11110B"),
    "s26110-cmd": (Role.STATION_COMMANDER, "S26110"),
    "seoul-hq": (Role.PROVINCIAL_HQ, "SEOUL"),
    "busan-hq": (Role.PROVINCIAL_HQ, "BUSAN"),
    "hq": (Role.NATIONAL_HQ, NATIONAL_CODE),
}
LEVEL_A = "DO-LEVEL-A"


def small_scenario() -> Scenario:
    """The demo's election (seed 1), only the offices of ORGS and what belongs to them."""
    sc = build_scenario(1)
    keep = set(ORGS)
    sc.orgs = [o for o in sc.orgs if o.code in keep]
    sc.polling_stations = [p for p in sc.polling_stations if p.station_code in keep]
    sc.counting_stations = [c for c in sc.counting_stations if c.station_code in keep]
    sc.routes = [r for r in sc.routes if r.station_code in keep]
    sc.units = [u for u in sc.units if u.station_code in keep]
    sc.incidents = [i for i in sc.incidents if i.station_code in keep]
    for order in sc.duty_orders:
        order.targets = [t for t in order.targets if t in keep]
        order.acks = {c: a for c, a in order.acks.items() if c in keep}
    sc.users = []
    sc.index()
    _set_the_day(sc)
    return sc


def _at(hour: int, minute: int = 0, day_offset: int = 0) -> str:
    return iso(kst(ELECTION_DAY + timedelta(days=day_offset), hour, minute))


def _set_the_day(sc: Scenario) -> None:
    """What the day has done by NOW (deterministic: the figures must be knowable)."""
    # Level A from 06:00, issued 05:40; 종로 has not acknowledged it.
    targets = [o.code for o in sc.orgs if o.code != NATIONAL_CODE]
    acks = {code: Acknowledgement(by=f"{code.lower()}-cmd", at=_at(5, 45))
            for code in targets if code != "S11110"}
    sc.duty_orders.append(DutyOrder(LEVEL_A, DutyLevel.LEVEL_A, NATIONAL_CODE, targets, _at(6), None,
                                    "제21대 대통령선거 선거일 갑호비상", reason_en="Election day: Level A",
                                    issued_by="hq", issued_at=_at(5, 40), acks=acks))
    # 혜화 is fully staffed (meets Level A); the others keep the scenario's 40-60 % (short).
    sc.org("S11110B").personnel_on_duty = sc.org("S11110B").personnel_total

    # Polling stations closed at 20:00; three still finishing (open); officers stay at their posts.
    for n, ps in enumerate(sorted(sc.election_day_polling(), key=lambda p: p.id)):
        ps.open = n % 97 == 5
    for cs in sc.counting_stations:
        cs.officers_assigned = 28 if cs.station_code == "S11110" else 30

    # Ballot boxes: a fifth arrived, two fifths on the road (some late), the rest waiting.
    for n, route in enumerate(sorted(sc.routes, key=lambda r: r.id)):
        if n % 5 == 0:
            route.advance(RouteState.DEPARTED, _at(20, 2))
            route.advance(RouteState.ARRIVED, _at(20, 2 + min(route.planned_minutes, 45)))
        elif n % 5 in (1, 2):
            # Departed between 20:00 and 20:40: the long trips are late by now.
            route.advance(RouteState.DEPARTED, _at(20, n % 41))

    # Units out on calls, with fresh positions.
    for n, unit in enumerate(sorted(sc.units, key=lambda u: u.id)):
        if n % 7 == 0:
            unit.status = UnitStatus.DISPATCHED
            unit.position_at = _at(20, 40)
        elif n % 11 == 0:
            unit.status = UnitStatus.ON_SCENE
            unit.position_at = _at(20, 30)
        elif n % 13 == 0:
            unit.status = UnitStatus.OFF_DUTY

    # The day's incidents: (station, hh, mm, day offset, category, code, status). One at 05:59 is
    # on the previous operation day (as are the scenario's 00:00-05:30 ones); one at 06:00 opens
    # today's.
    day = [
        ("S26110", 0, 30, 0, IncidentCategory.VIOLENCE, 2, IncidentStatus.RESOLVED),
        ("S11110B", 3, 10, 0, IncidentCategory.BRIBERY, 2, IncidentStatus.ACKNOWLEDGED),
        ("S11110", 5, 59, 0, IncidentCategory.DISORDER, 3, IncidentStatus.RESOLVED),
        ("S11110", 6, 0, 0, IncidentCategory.DEEPFAKE, 2, IncidentStatus.NEW),
        ("S11110", 8, 15, 0, IncidentCategory.BRIBERY, 3, IncidentStatus.RESOLVED),
        ("S11110", 14, 0, 0, IncidentCategory.DISORDER, 2, IncidentStatus.ACKNOWLEDGED),
        ("S11110", 19, 10, 0, IncidentCategory.VIOLENCE, 1, IncidentStatus.ACKNOWLEDGED),
        ("S11110", 20, 40, 0, IncidentCategory.VIOLENCE, 0, IncidentStatus.NEW),
        ("S11110B", 11, 30, 0, IncidentCategory.FALSE_INFORMATION, 3, IncidentStatus.NEW),
        ("S11110B", 20, 20, 0, IncidentCategory.BALLOT_TRANSPORT, 1, IncidentStatus.NEW),
        ("S26110", 9, 5, 0, IncidentCategory.BRIBERY, 2, IncidentStatus.CLOSED),
        ("S26110", 16, 45, 0, IncidentCategory.PROTEST, 4, IncidentStatus.NEW),
    ]
    for n, (station, hh, mm, offset, category, code, status) in enumerate(day, start=1):
        org = sc.org(station)
        at = _at(hh, mm, offset)
        actor = f"{station.lower()}-op"
        inc = Incident(f"INC-DAY-{n:03d}", category, PriorityCode(code), f"{category.value} {station} {hh:02d}:{mm:02d}",
                       station, org.lat or 37.5, org.lon or 127.0, at, actor, title_en=f"{category.value} case")
        inc.timeline.append(TimelineEntry.event(at, actor, TimelineKind.CREATED,
                                                {"code": code, "category": category.value, "title": inc.title}))
        inc.routed_to = route_for(inc.category, sc.province_of(station))
        if status != IncidentStatus.NEW:
            inc.status = status
            inc.acknowledged_at = at
        if status in (IncidentStatus.RESOLVED, IncidentStatus.CLOSED):
            inc.resolved_at = at
        sc.incidents.append(inc)


def seed(server: EmbeddedServer, sc: Scenario) -> None:
    """The scenario's rows and the test users, as an operator's import would put them."""
    assert server.database is not None
    hasher = auth.cheap_hasher()
    rows: list[tuple[RecordKind | str, str, dict[str, Any]]] = [(r.kind, r.id, r.data) for r in sc.rows()]
    with server.database.write() as s:
        bulk_insert_rows(s, rows, at=NOW - timedelta(hours=16), by="truth-test", validate=False)
        for username, (role, org) in USERS.items():
            create_user(s, username, PASSWORD, role, org, hasher=hasher)


def start_server(db_url: str) -> EmbeddedServer:
    """A real server on loopback whose scenario clock stands (nearly) still at NOW."""
    # ServerClock needs a positive speed: one scenario second per 10^6 real seconds stands still
    # for any test's length, so the rows the server writes carry NOW.
    server = EmbeddedServer(db_url, clock=ServerClock(NOW, speed=1e-6), escalation_interval=None,
                            password_hasher=auth.cheap_hasher())
    server.start()
    return server


def feed_head(server: EmbeddedServer) -> int:
    assert server.database is not None
    with server.database.read() as s:
        return int(s.execute(select(FeedHead.seq)).scalar_one())


@dataclass
class World:
    server: EmbeddedServer
    scenario: Scenario

    @property
    def url(self) -> str:
        return self.server.url


def open_world(db_url: str) -> World:
    server = start_server(db_url)
    sc = small_scenario()
    seed(server, sc)
    return World(server, sc)


def database_urls(backend: str, tmp: Path, pg_base: str | None) -> Iterator[str]:
    """A fresh server database URL for `backend` ("sqlite" or "postgres"), dropped after."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'server.db'}"
        return
    assert pg_base is not None
    url, drop = create_pg_database(pg_base, "sitroom_truth")
    try:
        yield url
    finally:
        drop()


def incident_payload(station: str, title: str, code: int, category: str = "disorder") -> dict[str, Any]:
    return {"category": category, "code": code, "title": title, "station_code": station,
            "lat": 37.57, "lon": 126.98}



class Writer:
    """Another person at another console (Qt-free: a replica and its sync engine), changing the
    world through the server's API while the console under test watches."""

    def __init__(self, world: World, username: str, profile: Path) -> None:
        from console.replica import Replica
        from console.sync import SyncEngine

        profile.mkdir(parents=True, exist_ok=True)
        self.replica = Replica(profile / f"{username}.sqlite3")
        self.engine = SyncEngine(world.url, self.replica, long_poll_wait=2.0, push_interval=0.5,
                                 backoff_cap=0.5)
        self.engine.login(username, PASSWORD)
        self.engine.start()

    def wait_synced(self, timeout: float = 15.0) -> None:
        import time

        deadline = time.monotonic() + timeout
        while self.replica.cursor() is None or self.replica.pending_count():
            if time.monotonic() > deadline:
                raise AssertionError("a writer's replica did not sync in time")
            time.sleep(0.02)

    def submit(self, kind: str, record_kind: RecordKind, record_id: str, payload: dict[str, Any]) -> None:
        self.replica.submit(kind, record_kind, record_id, payload)

    def close(self) -> None:
        """Once every change it made is applied; a refused one fails the test (it is no truth check)."""
        try:
            self.wait_synced()
            rejected = [(e.kind, e.record_id, e.error_code) for e in self.replica.rejected()]
            assert not rejected, f"the server refused a writer's change: {rejected}"
            assert self.replica.conflicts_count() == 0, "a writer's change conflicted"
        finally:
            self.engine.close()
            self.replica.close()
