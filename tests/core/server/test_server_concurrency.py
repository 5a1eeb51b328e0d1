"""Many writers at once: the feed stays gap-free and every concurrent reader sees an ordered,
gap-free prefix of it (the feed_head lock orders commits)."""

from __future__ import annotations

import threading
import uuid

import pytest
from server_testkit import Api, seed_world
from sqlalchemy import select

from console.server import feed
from console.server.embedded import EmbeddedServer
from console.server.tables import FeedEntry

WRITERS = [("op1", "S1"), ("op1", "S1"), ("op2", "S2"), ("opb", "B1"), ("cmd1", "S1"), ("seoul", "S2"),
           ("hq", "B1"), ("op2", "S2")]
PER_WRITER = 15


def _head(database) -> int:
    with database.read() as session:  # /health tells the feed head to a logged-in caller only
        return feed.head(session)


def _run(db_url: str, database) -> None:
    seed_world(database)
    with EmbeddedServer(db_url, escalation_interval=None) as srv:
        srv.stop()
        srv.database = database
        srv.start()
        start = _head(database)
        barrier = threading.Barrier(len(WRITERS) + 3, timeout=60)
        done = threading.Event()
        errors: list[BaseException] = []
        observed: list[list[int]] = [[], [], []]

        def writer(user: str, station: str) -> None:
            try:
                console = Api(srv.url, user)
                barrier.wait()
                for _ in range(PER_WRITER):
                    rid = uuid.uuid4().hex
                    r = console.push_one("incident.create", "incident", rid, {
                        "category": "protest", "code": 3, "title": "rally", "station_code": station,
                        "lat": 37.5, "lon": 127.0})
                    assert r["status"] == "applied", r
            except BaseException as exc:
                errors.append(exc)
                barrier.abort()  # the others must not wait for a writer that failed

        def reader(index: int) -> None:
            try:
                console = Api(srv.url, "hq")
                barrier.wait()
                cursor = 0
                while True:
                    finished = done.is_set()
                    page = console.get("/changes", since=cursor, limit=37, wait=0 if finished else 1).json()
                    observed[index].extend(c["seq"] for c in page["changes"])
                    cursor = page["cursor"]
                    if finished and not page["more"]:
                        return
            except BaseException as exc:
                errors.append(exc)
                barrier.abort()

        threads = [threading.Thread(target=writer, args=w) for w in WRITERS]
        readers = [threading.Thread(target=reader, args=(i,)) for i in range(3)]
        for t in threads + readers:
            t.start()
        for t in threads:
            t.join(120)
        done.set()
        for t in readers:
            t.join(60)
        assert not errors, errors
        head = _head(database)
        assert head == start + len(WRITERS) * PER_WRITER
        with database.read() as session:
            seqs = list(session.scalars(select(FeedEntry.seq).order_by(FeedEntry.seq)))
        assert seqs == list(range(1, head + 1))
        for seen in observed:
            # the national HQ sees every row: a gap-free prefix means exactly 1, 2, 3, ...
            assert seen == list(range(1, head + 1))


@pytest.mark.postgres
def test_concurrent_writers_and_readers_on_postgresql(pg_db_url) -> None:
    from console.server.database import Database

    database = Database(pg_db_url)
    database.upgrade()
    try:
        _run(pg_db_url, database)
    finally:
        database.dispose()


def test_concurrent_writers_and_readers_on_sqlite(tmp_path) -> None:
    from console.server.database import Database

    url = f"sqlite:///{tmp_path / 'server.db'}"
    database = Database(url)
    database.upgrade()
    try:
        _run(url, database)
    finally:
        database.dispose()
