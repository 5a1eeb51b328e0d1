"""SQLite: the server's request threads keep their database connections. A connection given back
past the pool's size is closed, and opening one (its pragmas, the schema read) took a third of
the long-polls' time while the morning's openings arrived (`sitroom bench --only burst`)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import event, text

from console.server.database import Database

pytestmark = pytest.mark.once
REQUEST_THREADS = 40  # AnyIO's worker threads: the most requests that read at once
ROUNDS = 3


def test_forty_reads_at_once_round_after_round_open_forty_connections_in_all(tmp_path: Any) -> None:
    db = Database(f"sqlite:///{tmp_path / 'server.db'}")
    opened: list[object] = []
    event.listen(db.engine, "connect", lambda conn, _record: opened.append(conn))
    try:
        for _ in range(ROUNDS):
            barrier = threading.Barrier(REQUEST_THREADS)
            errors: list[BaseException] = []

            def read(barrier: threading.Barrier = barrier, errors: list[BaseException] = errors) -> None:
                try:
                    with db.read() as session:
                        session.execute(text("SELECT 1"))
                        barrier.wait(timeout=30)  # all hold a connection at once
                except BaseException as exc:
                    errors.append(exc)

            threads = [threading.Thread(target=read) for _ in range(REQUEST_THREADS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            assert not errors
        assert len(opened) == REQUEST_THREADS
    finally:
        db.dispose()
