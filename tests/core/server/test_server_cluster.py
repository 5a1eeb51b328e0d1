"""Several server processes on one PostgreSQL: a commit through one wakes the long-polls of
another (LISTEN/NOTIFY), the escalator runs in exactly one and moves when it dies, and
`--workers N` serves from N processes."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cluster_processes import ServerProcess, seeded_pg_database
from server_testkit import Api
from sqlalchemy import create_engine, text
from waiting import wait_for

from console.server import notifier
from console.server.embedded import EmbeddedServer

pytestmark = pytest.mark.postgres


def test_a_notification_payload_names_the_scopes_and_a_huge_one_wakes_everyone() -> None:
    changes = {("incident", "/NPA/SEOUL/S1/"), ("org_unit", "/NPA/SEOUL/")}
    assert notifier.decode_changes(notifier.encode_changes(changes)) == changes
    assert notifier.encode_changes(None) == ""
    assert notifier.decode_changes("") is None
    huge = {("incident", f"/NPA/P{i:04d}/S{i:05d}/") for i in range(1000)}
    assert notifier.encode_changes(huge) == ""  # over PostgreSQL's 8,000 bytes: every scope
    assert notifier.decode_changes("{not json") is None


@pytest.fixture
def pg_database(pg_url: str) -> Iterator[str]:
    with seeded_pg_database(pg_url, "sitroom_cluster") as url:
        yield url


def test_a_write_through_one_server_wakes_a_long_poll_on_another(pg_database: str) -> None:
    with EmbeddedServer(pg_database, escalation_interval=None, poll_recheck=30.0) as a, \
            EmbeddedServer(pg_database, escalation_interval=None, poll_recheck=30.0) as b:
        writer = Api(a.url, "op1")
        reader = Api(b.url, "viewer1")
        head = reader.get("/changes", since=0, limit=1000).json()["cursor"]
        answer: list[tuple[float, dict[str, object]]] = []

        def poll() -> None:
            r = reader.get("/changes", since=head, wait=25)
            answer.append((time.perf_counter(), r.json()))

        thread = threading.Thread(target=poll)
        thread.start()
        time.sleep(0.5)  # the long-poll is waiting on b
        wrote = time.perf_counter()
        _, result = writer.create_incident("S1")
        pushed = time.perf_counter()
        assert result["status"] == "applied"
        thread.join(25)
        assert answer, "the long-poll on b did not answer"
        arrived, page = answer[0]
        # b's periodic re-check is 30 s away: only the notification can have woken it this soon.
        assert arrived - wrote < 5.0
        assert [c["seq"] for c in page["changes"]] == [result["seq"]]  # type: ignore[index]
        print(f"\nwrite through A (push answered in {(pushed - wrote) * 1000:.1f} ms) -> long-poll on B "
              f"answered {(arrived - wrote) * 1000:.1f} ms after the push began")


def _lease_holder(engine: object) -> int | None:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        names = conn.execute(text(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()")).scalars().all()
    pids = [int(m.group(1)) for n in names if (m := re.search(r"sitroom-escalator pid=(\d+)", n or ""))]
    assert len(pids) <= 1, f"more than one escalator: {names}"
    return pids[0] if pids else None


def test_the_escalator_runs_in_one_process_and_another_takes_over_when_it_dies(
        pg_database: str, tmp_path: Path) -> None:
    servers = [ServerProcess(pg_database, tmp_path / f"server{i}.log", "--escalation-interval", "0.3")
               for i in range(2)]
    engine = create_engine(pg_database)
    try:
        for server in servers:
            server.wait_ready()
        wait_for(lambda: _lease_holder(engine) is not None, timeout=20, what="an escalator")
        time.sleep(1.0)  # several passes of both: still exactly one holder
        holder = _lease_holder(engine)
        assert holder in {s.pid for s in servers}
        dead = next(s for s in servers if s.pid == holder)
        survivor = next(s for s in servers if s.pid != holder)
        started = time.perf_counter()
        dead.kill()
        wait_for(lambda: _lease_holder(engine) == survivor.pid, timeout=20, what="the takeover")
        print(f"\nescalator taken over {time.perf_counter() - started:.2f} s after its holder was killed")
        assert "this process runs the escalator now" in survivor.log()
    finally:
        for server in servers:
            server.stop()
        engine.dispose()


@pytest.mark.once  # about 11 s (two worker interpreters start), shows no time
def test_workers_serve_from_several_processes_and_add_up_their_metrics(
        pg_database: str, tmp_path: Path) -> None:
    server = ServerProcess(pg_database, tmp_path / "server.log", "--workers", "2", "--escalation-interval", "0.3")
    try:
        server.wait_ready()
        def started() -> set[int]:
            log = server.log_path.read_text()
            return {int(p) for p in re.findall(r'"msg": "Started server process \[(\d+)\]"', log)}

        # The instance answers once one worker is up; on a loaded machine the second may start
        # a moment later: both must have started, whenever that is.
        wait_for(lambda: len(started()) == 2, timeout=30, what="both workers started")
        for _ in range(40):  # new connections are spread over the workers by the kernel
            with requests.Session() as s:
                s.get(f"{server.url}/health", timeout=5)
        pids = started()
        assert len(pids) == 2, server.log()
        op1 = Api(server.url, "op1")
        assert op1.create_incident("S1")[1]["status"] == "applied"
        metrics = requests.get(f"{server.url}/metrics", timeout=5).text
        health = re.search(r'^sitroom_http_requests_total\{endpoint="/health",method="GET",status="200"\} (\S+)$',
                           metrics, re.M)
        assert health is not None and float(health.group(1)) >= 40  # both workers' counts
        assert re.search(r"^sitroom_escalator_leader 1\.0$", metrics, re.M)  # one of the two

        # A worker that dies is replaced; the instance answers throughout.
        os.kill(min(pids), signal.SIGKILL)
        assert requests.get(f"{server.url}/health", timeout=5).status_code == 200
        wait_for(lambda: len(set(re.findall(r'"msg": "Started server process \[(\d+)\]"',
                                            server.log_path.read_text()))) == 3, timeout=30, what="a new worker")
        assert '"msg": "worker died; starting another"' in server.log_path.read_text()
        assert requests.get(f"{server.url}/health", timeout=5).status_code == 200
    finally:
        server.stop()
    assert server.process.returncode == 0, server.log()


def test_a_lost_listening_connection_is_opened_again(pg_database: str) -> None:
    engine = create_engine(pg_database)

    def listeners() -> list[int]:
        with engine.connect() as conn:
            return list(conn.execute(text(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'sitroom-feed-listener' "
                "AND datname = current_database()")).scalars())

    try:
        with EmbeddedServer(pg_database, escalation_interval=None, poll_recheck=30.0) as srv:
            first = listeners()
            assert len(first) == 1  # one listening connection for the process
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first[0]})
            wait_for(lambda: len(again := listeners()) == 1 and again != first, timeout=20,
                     what="a new listening connection")
            writer, reader = Api(srv.url, "op1"), Api(srv.url, "viewer1")
            head = reader.get("/changes", since=0, limit=1000).json()["cursor"]
            answer: list[dict[str, object]] = []
            thread = threading.Thread(target=lambda: answer.append(
                reader.get("/changes", since=head, wait=25).json()))
            thread.start()
            time.sleep(0.5)
            started = time.perf_counter()
            _, result = writer.create_incident("S1")
            thread.join(25)
            assert answer and time.perf_counter() - started < 5.0  # woken, not the 30 s re-check
            assert [c["seq"] for c in answer[0]["changes"]] == [result["seq"]]  # type: ignore[union-attr]
    finally:
        engine.dispose()
