"""GET /metrics (Prometheus text), who may scrape it, the request log line, and whose address
the login throttle counts behind a load balancer (--trusted-proxy)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from server_commands import run_server
from server_testkit import PASSWORD, Api, seed_world
from waiting import wait_for

from console.server.database import Database
from console.server.embedded import EmbeddedServer
from console.server.throttle import ThrottlePolicy

TOKEN = "metrics-token-0123456789abcdef"


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[EmbeddedServer]:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    db = Database(url)
    db.upgrade()
    seed_world(db)
    srv = EmbeddedServer(url, escalation_interval=None, trusted_proxies=["127.0.0.1"])
    srv.database = db
    srv.settings.metrics_token = TOKEN
    srv.settings.login_throttle = ThrottlePolicy(max_failures_per_user=50, max_failures_per_address=2)
    srv.start()
    yield srv
    srv.close()


def scrape(server: EmbeddedServer, **headers: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    r = requests.get(f"{server.url}/metrics", headers=headers, timeout=10)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    values: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(r.text):
        for sample in family.samples:
            values[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return values


def value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_requests_pushes_logins_long_polls_and_the_feed_head(sqlite_server: EmbeddedServer) -> None:
    before = scrape(sqlite_server)
    op1 = Api(sqlite_server.url, "op1")
    wrong = requests.post(f"{sqlite_server.url}/api/v1/login", timeout=10, json={
        "username": "op1", "password": "not the password", "client_id": "console-wrong-1"})
    assert wrong.status_code == 401
    results = op1.push(op1.mutation("incident.create", "incident", "inc-m-1", {
        "category": "disorder", "code": 2, "title": "noise", "station_code": "S1", "lat": 37.5, "lon": 127.0}),
        op1.mutation("incident.create", "incident", "inc-m-2", {
            "category": "disorder", "code": 2, "title": "noise", "station_code": "S1", "lat": 37.5, "lon": 127.0}))
    assert [r["status"] for r in results] == ["applied", "applied"]
    head = op1.http.get(f"{sqlite_server.url}/health", timeout=10).json()["feed_head"]

    # A long-poll waiting at the head is counted while it waits.
    answered: list[int] = []
    poll = threading.Thread(target=lambda: answered.append(
        op1.get("/changes", since=head, wait=20).status_code))
    poll.start()
    wait_for(lambda: value(scrape(sqlite_server), "sitroom_long_polls_open") >= 1, timeout=10)
    op1.push(op1.mutation("incident.create", "incident", "inc-m-3", {
        "category": "disorder", "code": 2, "title": "noise", "station_code": "S1", "lat": 37.5, "lon": 127.0}))
    poll.join(20)
    assert answered == [200]

    after = scrape(sqlite_server)
    assert value(after, "sitroom_long_polls_open") == 0
    assert value(after, "sitroom_feed_head") == head + 1
    assert value(after, "sitroom_logins_total", outcome="ok") - value(before, "sitroom_logins_total", outcome="ok") == 1
    assert value(after, "sitroom_logins_total", outcome="failed") - value(
        before, "sitroom_logins_total", outcome="failed") == 1
    assert value(after, "sitroom_mutations_total", status="applied") - value(
        before, "sitroom_mutations_total", status="applied") == 3
    assert value(after, "sitroom_push_batch_size_count") - value(before, "sitroom_push_batch_size_count") == 2
    assert value(after, "sitroom_push_batch_size_sum") - value(before, "sitroom_push_batch_size_sum") == 3
    pushes = ("sitroom_http_requests_total", {"method": "POST", "endpoint": "/api/v1/mutations", "status": "200"})
    assert value(after, pushes[0], **pushes[1]) - value(before, pushes[0], **pushes[1]) == 2
    assert value(after, "sitroom_http_request_duration_seconds_count", method="GET",
                 endpoint="/api/v1/changes") >= 1
    assert value(after, "sitroom_db_pool_capacity") > 0
    assert ("sitroom_db_connections_in_use", ()) in after


def test_metrics_are_refused_to_a_forwarded_request_unless_it_has_the_token(sqlite_server: EmbeddedServer) -> None:
    # Through a proxy on this machine (HAProxy connects from 127.0.0.1 too) it is not "local".
    forwarded = requests.get(f"{sqlite_server.url}/metrics", headers={"X-Forwarded-For": "10.9.8.7"}, timeout=10)
    assert forwarded.status_code == 404
    assert "sitroom_" not in forwarded.text
    wrong = requests.get(f"{sqlite_server.url}/metrics", timeout=10, headers={
        "X-Forwarded-For": "10.9.8.7", "Authorization": "Bearer not-the-token-at-all"})
    assert wrong.status_code == 404
    assert "sitroom_http_requests_total" in str(scrape(sqlite_server, **{
        "X-Forwarded-For": "10.9.8.7", "Authorization": f"Bearer {TOKEN}"}))


def test_each_request_logs_one_json_line_with_user_client_and_duration(sqlite_server: EmbeddedServer) -> None:
    lines: list[dict[str, Any]] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            fields = getattr(record, "fields", None)
            if isinstance(fields, dict) and fields.get("event") == "request":
                lines.append(fields)

    handler = Keep()
    logger = logging.getLogger("sitroom.server.http")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)  # `sitroom server`'s default; the embedded server says warning
    try:
        op1 = Api(sqlite_server.url, "op1", client_id="console-log-test-1")
        assert op1.get("/me").status_code == 200
        wait_for(lambda: any(line["path"] == "/api/v1/me" for line in lines), timeout=5)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    me = next(line for line in lines if line["path"] == "/api/v1/me")
    assert me["user"] == "op1" and me["client_id"] == "console-log-test-1" and me["status"] == 200
    assert me["duration_ms"] >= 0 and me["method"] == "GET"
    login = next(line for line in lines if line["path"] == "/api/v1/login")
    assert login["user"] == "op1" and login["client_id"] == "console-log-test-1"


def _fail_login(server: EmbeddedServer, username: str, forwarded_for: str | None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return requests.post(f"{server.url}/api/v1/login", headers=headers, timeout=10, json={
        "username": username, "password": PASSWORD + "x", "client_id": f"console-{username}-x"}).status_code


def test_the_address_throttle_counts_the_consoles_address_given_by_a_trusted_proxy(
        sqlite_server: EmbeddedServer) -> None:
    # The proxy (127.0.0.1, trusted) names two consoles: each has its own count of failures.
    assert [_fail_login(sqlite_server, u, "10.0.0.1") for u in ("op1", "op2")] == [401, 401]
    assert _fail_login(sqlite_server, "cmd1", "10.0.0.1") == 429
    assert _fail_login(sqlite_server, "cmd1", "10.0.0.2") == 401


def test_an_untrusted_forwarded_for_is_ignored(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    db = Database(url)
    db.upgrade()
    seed_world(db)
    srv = EmbeddedServer(url, escalation_interval=None)  # no trusted proxy
    srv.database = db
    srv.settings.login_throttle = ThrottlePolicy(max_failures_per_user=50, max_failures_per_address=2)
    with srv:
        # Rotating the header does not escape the address throttle: the peer is what counts.
        assert [_fail_login(srv, u, f"10.0.0.{i}") for i, u in enumerate(("op1", "op2"))] == [401, 401]
        assert _fail_login(srv, "cmd1", "10.0.0.9") == 429


def test_workers_are_refused_on_sqlite_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "server.db"
    assert run_server("--db", f"sqlite:///{db}", "--workers", "2", "--port", "0") == 2
    err = capsys.readouterr().err
    assert "--workers 2 needs PostgreSQL" in err and "single-process" in err
    assert not db.exists()  # refused before anything was opened


def test_bad_trusted_proxy_and_metrics_token_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'server.db'}"
    assert run_server("--db", db, "--trusted-proxy", "haproxy.local", "--check") == 2
    assert "--trusted-proxy 'haproxy.local' is not an address or network" in capsys.readouterr().err
    short = tmp_path / "token"
    short.write_text("short\n")
    assert run_server("--db", db, "--metrics-token-file", str(short), "--check") == 2
    assert "shorter than 16 characters" in capsys.readouterr().err
