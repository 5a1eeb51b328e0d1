"""Test databases on the test PostgreSQL: a fresh empty one per test or module, dropped after."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def create_pg_database(base: str, prefix: str = "sitroom_test") -> tuple[str, Callable[[], None]]:
    """A new empty database on the test PostgreSQL at `base`, and a function that drops it (even
    while a stopped-but-not-closed server still holds connections)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(base).set(database=name).render_as_string(hide_password=False), drop
