"""Fixtures for the server tests: a fresh database (SQLite file or a PostgreSQL schema), an
org tree with users, an embedded server on loopback and a small HTTP client."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from server_testkit import Api, World, seed_world
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from console.server import auth, logs
from console.server.database import Database
from console.server.embedded import EmbeddedServer


@pytest.fixture(autouse=True)
def _server_logs_go_with_the_test() -> Iterator[None]:
    """`sitroom server` sends its logs to the stderr of the moment, in a test a capture that ends
    with the test: a handler it made during a test goes with it."""
    before = logs._handler
    yield
    if logs._handler is not before and logs._handler is not None:
        for name in logs.LOGGERS:
            logging.getLogger(name).removeHandler(logs._handler)
        logs._handler = before


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Production cost is ~50 ms a hash; tests log in hundreds of times.
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def _pg_schema_url(base: str, schema: str) -> str:
    url = make_url(base)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """A URL to an empty database: a SQLite file, or a fresh schema on the test PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.db'}"
        return
    base = request.getfixturevalue("pg_url")
    yield from _pg_schema(base)


@pytest.fixture
def pg_db_url(pg_url: str) -> Iterator[str]:
    """PostgreSQL only (concurrency tests)."""
    yield from _pg_schema(pg_url)


def _pg_schema(base: str) -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(base, schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    db = Database(db_url)
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture
def world(database: Database) -> World:
    return seed_world(database)


@pytest.fixture
def server(world: World, db_url: str) -> Iterator[EmbeddedServer]:
    srv = EmbeddedServer(db_url, escalation_interval=None)
    srv.database = world.db  # share the engine (and its commit notifications)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def api(server: EmbeddedServer) -> Any:
    """A factory: api('op1') is a console logged in as op1."""
    def make(username: str | None = None, client_id: str | None = None) -> Api:
        return Api(server.url, username, client_id)
    return make
