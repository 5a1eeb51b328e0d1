"""Sync test helpers: an embedded server (SQLite or PostgreSQL) seeded with a small org tree,
consoles (replica + engine) logged in to it, and waiting helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from pg_databases import create_pg_database
from waiting import wait_for  # noqa: F401 (the sync tests take it from here)

from console.domain.records import RecordKind
from console.domain.roles import Role
from console.protocol.schema import Row
from console.replica import Replica
from console.server import auth as server_auth
from console.server.embedded import EmbeddedServer
from console.server.operations import bulk_insert_rows, create_org_unit, create_user
from console.server.tables import RowRecord
from console.sync import SyncEngine
from console.sync.events import SyncEvent

PASSWORD = "correct horse battery"

# The server's argon2 parameters cost ~0.5 s per hash or login check; these tests log in often
# and test sync, not password hashing, so the server hashes cheaply here.
server_auth._hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)

# username -> (role, org)
USERS: dict[str, tuple[Role, str]] = {
    "op1": (Role.STATION_OPERATOR, "S1"),
    "op1b": (Role.STATION_OPERATOR, "S1"),
    "cmd1": (Role.STATION_COMMANDER, "S1"),
    "op2": (Role.STATION_OPERATOR, "S2"),
    "seoul": (Role.PROVINCIAL_HQ, "SEOUL"),
    "opb": (Role.STATION_OPERATOR, "B1"),
}


def seed(server: EmbeddedServer, incidents_per_station: int = 3) -> None:
    assert server.database is not None
    with server.database.write() as s:
        create_org_unit(s, "NPA", "national", "경찰청", "National Police Agency")
        create_org_unit(s, "SEOUL", "provincial", "서울청", "Seoul", "NPA")
        create_org_unit(s, "BUSAN", "provincial", "부산청", "Busan", "NPA")
        for code, parent in (("S1", "SEOUL"), ("S2", "SEOUL"), ("B1", "BUSAN")):
            create_org_unit(s, code, "station", code, code, parent, personnel_total=100, personnel_on_duty=20,
                            lat=37.5, lon=127.0)
        for name, (role, org) in USERS.items():
            create_user(s, name, PASSWORD, role, org)
        rows: list[tuple[RecordKind | str, str, dict[str, Any]]] = []
        for code in ("S1", "S2", "B1"):
            for i in range(incidents_per_station):
                rows.append((RecordKind.INCIDENT, f"{code}-inc-{i}", incident_data(f"{code}-inc-{i}", code)))
            rows.append((RecordKind.UNIT, f"{code}-car-1", {"id": f"{code}-car-1", "callsign": f"{code} car 1",
                                                             "type": "patrol_car", "station_code": code}))
        bulk_insert_rows(s, rows)


def incident_data(rid: str, station: str) -> dict[str, Any]:
    return {"id": rid, "category": "disorder", "code": 2, "title": f"disorder {rid}", "station_code": station,
            "lat": 37.5, "lon": 127.0, "created_at": "2026-06-03T09:00:00Z", "created_by": "seed"}


def new_incident(station: str = "S1", **extra: Any) -> dict[str, Any]:
    payload = {"category": "disorder", "code": 2, "title": "noise", "station_code": station,
               "lat": 37.5, "lon": 127.0}
    payload.update(extra)
    return payload


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh server database: a SQLite file, or a new PostgreSQL database (dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.db'}"
        return
    url, drop = create_pg_database(request.getfixturevalue("pg_url"), "sitroom_sync")
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def server(db_url: str) -> Iterator[EmbeddedServer]:
    srv = EmbeddedServer(db_url, escalation_interval=None)
    srv.start()
    seed(srv)
    yield srv
    srv.close()


@dataclass
class Console:
    """One console: its replica, its engine and the events it announced."""

    name: str
    replica: Replica
    engine: SyncEngine
    events: list[SyncEvent] = field(default_factory=list)

    def close(self) -> None:
        self.engine.close()
        self.replica.close()


def open_console(url: str, username: str, path: Path, *, login: bool = True, start: bool = True,
                 **engine_kw: Any) -> Console:
    replica = Replica(path)
    engine_kw.setdefault("long_poll_wait", 5.0)
    engine_kw.setdefault("push_interval", 2.0)
    engine_kw.setdefault("backoff_cap", 1.0)
    engine = SyncEngine(url, replica, **engine_kw)
    console = Console(username, replica, engine)
    engine.subscribe(console.events.append)
    if login:
        engine.login(username, PASSWORD)
    if start:
        engine.start()
    return console


@pytest.fixture
def consoles(tmp_path: Path) -> Iterator[Callable[..., Console]]:
    opened: list[Console] = []

    def make(url: str, username: str, *, name: str | None = None, **kw: Any) -> Console:
        c = open_console(url, username, tmp_path / (name or username) / "replica.sqlite3", **kw)
        opened.append(c)
        return c

    yield make
    for c in opened:
        c.close()


def server_rows(server: EmbeddedServer) -> dict[tuple[str, str], Row]:
    assert server.database is not None
    with server.database.read() as s:
        return {(r.kind, r.id): Row(kind=RecordKind(r.kind), id=r.id, version=r.version, org_path=r.org_path,
                                    data=r.data)
                for r in s.query(RowRecord).all() if not r.deleted}


def visible(row: Row, scope: str) -> bool:
    from console.domain.org import visible_in_scope
    from console.domain.records import INHERITED_KINDS

    return visible_in_scope(row.org_path, scope, inherited=row.kind in INHERITED_KINDS)


def converged(console: Console, server: EmbeddedServer) -> bool:
    """The console is idle and its replica equals the server's rows in its user's scope."""
    user = console.replica.user()
    assert user is not None
    if console.replica.all_entries() and any(e.status in ("pending", "applied")
                                             for e in console.replica.all_entries()):
        return False
    want = {k: r for k, r in server_rows(server).items() if visible(r, user.org_path)}
    have = {(r.kind.value, r.id): r for r in console.replica.server_rows()}
    if want.keys() != have.keys():
        return False
    if any(want[k].version != have[k].version or want[k].data != have[k].data for k in want):
        return False
    # and the view shows exactly the server rows (no stale overlay)
    for kind in RecordKind:
        view = {r.id: r for r in console.replica.rows(kind)}
        if {i for (k, i) in want if k == kind.value} != set(view) or any(r.pending for r in view.values()):
            return False
    return True


def server_client_results(server: EmbeddedServer, client_id: str) -> dict[int, str]:
    """client_seq -> status of every result the server stored for a console."""
    from console.server.tables import ClientResult

    assert server.database is not None
    with server.database.read() as s:
        return {r.client_seq: str(r.result["status"])
                for r in s.query(ClientResult).filter(ClientResult.client_id == client_id).all()}


def audit_count(server: EmbeddedServer, client_id: str) -> int:
    """Applied mutations of a console, as the server's audit log records them."""
    from console.server.tables import AuditRecord

    assert server.database is not None
    with server.database.read() as s:
        # (refused attempts are audited too, as "mutation.refused": they changed nothing)
        return s.query(AuditRecord).filter(AuditRecord.client_id == client_id,
                                           AuditRecord.action != "mutation.refused").count()


def note_texts(server: EmbeddedServer) -> list[str]:
    """Every incident note on the server, duplicates included."""
    return [t["text"] for (kind, _), row in server_rows(server).items() if kind == "incident"
            for t in row.data["timeline"] if t["kind"] == "note"]
