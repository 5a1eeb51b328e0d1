"""A seeded PostgreSQL database for the scale-out tests (the processes: tests/server_processes)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pg_databases import create_pg_database
from server_processes import ServerProcess, free_port
from server_testkit import seed_world

from console.server.database import Database

__all__ = ["ServerProcess", "free_port", "seeded_pg_database"]

@contextmanager
def seeded_pg_database(base: str, prefix: str) -> Iterator[str]:
    url, drop = create_pg_database(base, prefix)
    db = Database(url)
    try:
        db.upgrade()
        seed_world(db)
    finally:
        db.dispose()
    try:
        yield url
    finally:
        drop()
