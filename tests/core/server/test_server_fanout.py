"""Fan-out that scales: one commit wakes a scope's long-polls with one database read per process,
pages are encoded once and sent gzip-compressed, catch-up work beyond its bound is refused 503
with Retry-After, and logins of one user name at once are never refused for their number."""

from __future__ import annotations

import gzip
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from server_testkit import PASSWORD, Api
from waiting import wait_for

from console.server import login as login_flow
from console.server import operations
from console.server.api import feed_reads_of
from console.server.embedded import EmbeddedServer
from console.server.longpoll import FeedReads


def _reads(server: EmbeddedServer) -> FeedReads:
    assert server._server is not None
    return feed_reads_of(server._server.config.app)


def _head(api: Api) -> int:
    return int(api.http.get(api.base + "/health", timeout=30).json()["feed_head"])


def _poll(api: Api, since: int, out: list[Any]) -> None:
    out.append(api.get("/changes", since=since, wait=20).json())


def test_one_commit_wakes_a_scopes_long_polls_with_one_read(server, api) -> None:
    pollers = [api("cmd1") for _ in range(8)]
    writer = api("op1")
    head = _head(writer)
    reads = _reads(server)
    out: list[Any] = []
    threads = [threading.Thread(target=_poll, args=(p, head, out)) for p in pollers]
    for t in threads:
        t.start()
    wait_for(lambda: reads.stats.reads >= 1 and reads.pending == 0, what="the polls' first read")
    time.sleep(0.3)  # all eight wait now (one read between them, or a few: they came one by one)
    before = reads.stats.reads
    rid, result = writer.create_incident("S1")
    assert result["status"] == "applied"
    for t in threads:
        t.join(30)
    assert len(out) == 8 and all([c["row"]["id"] for c in p["changes"]] == [rid] for p in out)
    assert reads.stats.reads - before == 1  # one database read for the eight
    # Idle long-polls do not ask the database: none of the tokens was looked up again either.
    assert reads.stats.caller_reads <= 9


def test_idle_long_polls_leave_the_database_alone(world, db_url) -> None:
    with EmbeddedServer(db_url, escalation_interval=None, poll_recheck=0.2) as srv:
        srv.stop()
        srv.database = world.db
        srv.start()
        polls = [Api(srv.url, "cmd1") for _ in range(5)]
        head = _head(polls[0])
        out: list[Any] = []
        threads = [threading.Thread(target=_poll, args=(p, head, out)) for p in polls]
        for t in threads:
            t.start()
        reads = _reads(srv)
        wait_for(lambda: reads.pending == 0 and reads.stats.reads >= 1, 60, what="first reads")  # a loaded CI machine
        time.sleep(0.3)
        before = reads.stats.reads
        time.sleep(1.5)  # seven looks of the watch: it reads the head, the polls read nothing
        assert reads.stats.reads == before
        assert not out
        polls[0].http.close()
        Api(srv.url, "op1").create_incident("S1")
        for t in threads:
            t.join(30)
        assert len(out) == 5


def test_a_catch_up_page_is_gzip_compressed_and_shared(server, world, api) -> None:
    with world.db.write() as session:
        operations.bulk_insert_rows(session, [
            ("polling_station", f"ps-{i}", {"id": f"ps-{i}", "name": f"투표소 {i}", "station_code": "S1",
                                            "lat": 37.5, "lon": 127.0, "kind": "election_day"})
            for i in range(60)])
    a, b = api("cmd1"), api("cmd1")
    plain = requests.get(f"{server.url}/api/v1/changes", params={"since": 0, "limit": 50},
                         headers={**a.http.headers, "Accept-Encoding": "identity"}, timeout=30)
    assert "Content-Encoding" not in plain.headers
    raw = requests.get(f"{server.url}/api/v1/changes", params={"since": 0, "limit": 50},
                       headers={**b.http.headers, "Accept-Encoding": "gzip"}, timeout=30, stream=True)
    assert raw.headers["Content-Encoding"] == "gzip"
    body = raw.raw.read()
    assert len(body) < len(plain.content) / 3
    assert gzip.decompress(body) == plain.content  # the same page, written once
    page = plain.json()
    assert 40 < len(page["changes"]) <= 50 and page["more"] and page["cursor"] == 50  # 1..50


def test_catch_up_beyond_its_bound_is_refused_503_with_retry_after(server, api) -> None:
    console = api("cmd1")
    console.get("/changes", since=0)  # the machinery exists now
    reads = _reads(server)
    reads.max_pending = 0
    try:
        r = console.get("/changes", since=1)
    finally:
        reads.max_pending = 64
    assert r.status_code == 503, r.text
    assert r.json()["code"] == "server_busy"
    assert 1 <= int(r.headers["Retry-After"]) <= 5
    assert console.get("/changes", since=1).status_code == 200


@pytest.mark.once
def test_logins_of_one_name_at_once_beyond_its_limit_all_get_in(server, world) -> None:
    limit = server.settings.login_throttle.max_failures_per_user

    def log_in(i: int) -> int:
        return requests.post(f"{server.url}/api/v1/login", timeout=60, json={
            "username": "cmd1", "password": PASSWORD, "client_id": f"console-many-{i}"}).status_code

    with ThreadPoolExecutor(limit * 3) as pool:
        statuses = list(pool.map(log_in, range(limit * 3)))
    assert statuses == [200] * (limit * 3)


def test_a_login_beyond_the_hashing_queue_is_told_to_come_back(server, monkeypatch) -> None:
    monkeypatch.setattr(login_flow, "HASHING", login_flow.HashingSlots(1, queue=0))
    r = requests.post(f"{server.url}/api/v1/login", timeout=30, json={
        "username": "cmd1", "password": PASSWORD, "client_id": "console-busy"})
    assert r.status_code == 503 and r.json()["code"] == "login_busy"
    assert int(r.headers["Retry-After"]) >= 1
    monkeypatch.setattr(login_flow, "HASHING", login_flow.HashingSlots(1, queue=4))
    # Its charge was taken back: five wrong guesses still lock, not four.
    for _ in range(4):
        assert requests.post(f"{server.url}/api/v1/login", timeout=30, json={
            "username": "cmd1", "password": "wrong one", "client_id": "console-busy"}).status_code == 401
    ok = requests.post(f"{server.url}/api/v1/login", timeout=30, json={
        "username": "cmd1", "password": PASSWORD, "client_id": "console-busy"})
    assert ok.status_code == 200, ok.text


def test_kept_callers_are_checked_again_revoked_ones_refused_live_ones_kept_alive(world, db_url) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from console.server import sessions
    from console.server.tables import SessionToken

    with EmbeddedServer(db_url, escalation_interval=None, poll_recheck=0.1) as srv:
        srv.stop()
        srv.database = world.db
        srv.start()
        kept, revoked = Api(srv.url, "cmd1"), Api(srv.url, "op1")
        for console in (kept, revoked):
            assert console.get("/changes", since=0, wait=0.2).status_code == 200
        reads = _reads(srv)
        reads.caller_ttl = 0.3
        looked_up = reads.stats.caller_reads
        long_ago = datetime.now(UTC) - timedelta(minutes=30)
        with world.db.write() as session:
            session.execute(update(SessionToken).values(last_seen_at=long_ago))
            assert sessions.revoke_user(session, "op1", sessions.BY_ADMIN) == 1
        wait_for(lambda: revoked.get("/changes", since=0).status_code == 401, timeout=10,
                 what="the revoked session refused")
        assert kept.get("/changes", since=0, wait=0.2).status_code == 200
        # The revoked one was looked up once (and refused); the kept one not again.
        assert reads.stats.caller_reads == looked_up + 1

        def seen_again() -> bool:
            with world.db.read() as session:
                row = session.get(SessionToken, sessions.token_digest(kept.login_body["token"]))
                assert row is not None
                return row.last_seen_at > long_ago + timedelta(minutes=1)

        wait_for(seen_again, timeout=10, what="the long-polling session's idle clock moved on")


def test_the_fast_path_takes_what_consoles_send_and_leaves_the_rest_to_fastapi() -> None:
    from console.server.fastpath import parse_query

    assert parse_query(b"since=12&limit=5000&wait=25.0&epoch=ab-12_c.d&data_as_text=true") == (
        12, 5000, 25.0, "ab-12_c.d", True)
    assert parse_query(b"since=0") == (0, 1000, 0.0, None, False)
    for odd in (b"", b"limit=5", b"since=-1", b"since=1&since=2", b"since=1&limit=0",
                b"since=1&limit=5001", b"since=1&wait=31", b"since=1&wait=nan", b"since=1&wait=1e3",
                b"since=1&data_as_text=yes", b"since=1&epoch=a%20b", b"since=99999999999999999999"):
        assert parse_query(odd) is None, odd


def test_consoles_at_different_cursors_meet_at_a_page_boundary(server, world, api) -> None:
    with world.db.write() as session:
        operations.bulk_insert_rows(session, [
            ("polling_station", f"ps-{i}", {"id": f"ps-{i}", "name": f"투표소 {i}", "station_code": "S1",
                                            "lat": 37.5, "lon": 127.0, "kind": "election_day"})
            for i in range(130)])
    console = api("hq")
    pages = {since: console.get("/changes", since=since, limit=50).json() for since in (3, 17, 49)}
    assert all(p["cursor"] == 50 and p["more"] for p in pages.values())
    assert [c["seq"] for c in pages[17]["changes"]] == list(range(18, 51))
    reads = _reads(server)
    before = reads.stats.reads
    after = [console.get("/changes", since=50, limit=50).json() for _ in range(3)]
    assert reads.stats.reads - before == 1  # the next page is one read for all three
    assert after[0] == after[1] == after[2] and after[0]["cursor"] == 100
    last = console.get("/changes", since=100, limit=50).json()
    head = _head(console)
    assert last["cursor"] == head and not last["more"]


def test_odd_requests_get_fastapis_answers(server, api) -> None:
    console = api("cmd1")
    assert console.get("/changes", since=-1).status_code == 422
    assert console.get("/changes", since=0, wait=31).status_code == 422
    r = requests.get(f"{server.url}/api/v1/changes", params={"since": 0}, timeout=30)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == "Bearer"
    r = requests.get(f"{server.url}/api/v1/changes", params={"since": 0}, timeout=30,
                     headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"
    fast = console.get("/changes", since=0, data_as_text="true")
    slow = console.get("/changes", since=0, data_as_text="1")  # FastAPI's own parsing
    assert fast.status_code == slow.status_code == 200 and fast.json() == slow.json()
    assert fast.headers["Cache-Control"] == "no-store"  # the security headers still apply


def test_a_push_is_not_queued_behind_long_poll_reads(server, api, monkeypatch) -> None:
    """The long-polls' reads have threads of their own: with every one of them busy (held here
    until the push is answered), a push and a login still go through."""
    from console.server import api as api_module

    release = threading.Event()
    read_changes = api_module._read_changes

    def held(*args: Any) -> Any:
        release.wait(20)
        return read_changes(*args)

    consoles = [api("cmd1") for _ in range(8)]
    writer = api("op1")
    monkeypatch.setattr(api_module, "_read_changes", held)
    out: list[Any] = []
    polls = [threading.Thread(target=lambda c=c, i=i: out.append(c.get("/changes", since=i).status_code))
             for i, c in enumerate(consoles)]  # eight cursors: eight reads, more than its threads
    for t in polls:
        t.start()
    try:
        wait_for(lambda: _reads(server).pending == 8, what="the reads queued")
        _rid, result = writer.create_incident("S1")
        assert result["status"] == "applied"
        assert Api(server.url, "cmd1").login_body["token"]
        assert not release.is_set() and not out  # answered while every read still waits
    finally:
        release.set()
        for t in polls:
            t.join(30)
    assert out == [200] * 8
