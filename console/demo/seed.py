"""Seeding a server database with a scenario: rows in one bulk insert, users with a shared hash."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from console.demo.scenario import Scenario
from console.server import auth, operations
from console.server.database import Database
from console.server.tables import User


@dataclass(frozen=True)
class SeedReport:
    rows: int
    users: int
    seconds: float


def seed_database(db: Database, scenario: Scenario, *, at: datetime | None = None) -> SeedReport:
    """Insert every row of `scenario` and its users into an empty database, in one transaction."""
    started = time.perf_counter()
    rows = [(r.kind, r.id, r.data) for r in scenario.rows()]
    with db.write() as session:
        # Rows come from domain entities already validated when the scenario was built.
        operations.bulk_insert_rows(session, rows, at=at, by="demo", validate=False,
                                    note=f"demo scenario seed {scenario.seed}")
        first, *others = scenario.users
        operations.create_user(session, first.username, first.password, first.role, first.org_code,
                               first.display_name, at=at, by="demo")
        # argon2 costs ~0.25 s a hash here; all demo users share one password, so they share
        # one hash (a salted hash verifies the same password whoever holds it).
        shared = session.get(User, first.username)
        assert shared is not None
        when = at or datetime.now(UTC)
        for u in others:
            if u.password != first.password:
                operations.create_user(session, u.username, u.password, u.role, u.org_code,
                                       u.display_name, at=at, by="demo")
                continue
            session.add(User(username=u.username, display_name=u.display_name,
                             password_hash=shared.password_hash, role=u.role.value,
                             org_code=u.org_code, active=True, created_at=when))
    return SeedReport(len(rows), len(scenario.users), time.perf_counter() - started)


def mint_tokens(db: Database, usernames: list[str], ttl: timedelta = timedelta(hours=24)
                ) -> dict[str, tuple[str, str]]:
    """Sessions for the simulator's users without a password check (the demo owns the database;
    ~300 argon2 checks would cost over a minute): username -> (client id, bearer token)."""
    result: dict[str, tuple[str, str]] = {}
    with db.write() as session:
        for username in usernames:
            client_id = f"sim-{uuid.uuid4().hex[:24]}"
            token, _expires = auth.create_session(session, username, client_id, ttl)
            result[username] = (client_id, token)
    return result
