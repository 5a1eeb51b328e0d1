"""A normal server stop closes its long-polls cleanly: the waiting consoles get their (empty)
page at once, nothing is logged at ERROR, nobody gets an HTTP 500; a request that still arrives
while the server stops is told 503 `server_stopping` with Retry-After."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from server_testkit import Api, seed_world

from console.server.app import create_app, release_long_polls
from console.server.database import Database
from console.server.embedded import EmbeddedServer
from console.server.settings import ServerSettings

LONG_POLL_WAIT = 25.0  # far longer than any stop may take
LOGGERS = ("sitroom", "sitroom.server", "sitroom.server.http", "uvicorn", "uvicorn.error")


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def errors(self) -> list[str]:
        return [f"{r.name}: {r.getMessage()}" for r in self.records
                if r.levelno >= logging.ERROR or r.exc_info]

    def statuses(self) -> list[int]:
        return [int(r.fields["status"]) for r in self.records  # type: ignore[attr-defined]
                if isinstance(getattr(r, "fields", None), dict) and r.fields.get("event") == "request"]  # type: ignore[attr-defined]


@pytest.fixture
def records() -> Iterator[Records]:
    handler = Records()
    for name in LOGGERS:
        logging.getLogger(name).addHandler(handler)
    yield handler
    for name in LOGGERS:
        logging.getLogger(name).removeHandler(handler)


def open_long_polls(base: str, consoles: int = 3) -> tuple[list[threading.Thread], list[Any]]:
    apis = [Api(base, "op1") for _ in range(consoles)]
    cursor = apis[0].get("/changes", since=0).json()["cursor"]
    answers: list[Any] = []

    def poll(api: Api) -> None:
        try:
            answers.append(api.get("/changes", since=cursor, wait=LONG_POLL_WAIT).status_code)
        except requests.RequestException as exc:
            answers.append(exc)

    threads = [threading.Thread(target=poll, args=(a,), daemon=True) for a in apis]
    for t in threads:
        t.start()
    time.sleep(0.5)  # the requests are in and waiting
    assert not answers, "the long-polls answered before the stop"
    return threads, answers


def test_embedded_stop_answers_long_polls_without_error_or_500(tmp_path: Path, records: Records) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    server = EmbeddedServer(url, escalation_interval=None, log_level="info")
    server.start()
    try:
        assert server.database is not None
        seed_world(server.database)
        threads, answers = open_long_polls(server.url)
        started = time.monotonic()
        server.stop()
        for t in threads:
            t.join(5)
        took = time.monotonic() - started
    finally:
        server.close()
    assert answers == [200, 200, 200]
    assert took < 2.0, f"the stop waited {took:.1f}s for the long-polls"
    assert records.errors() == []
    assert 500 not in records.statuses() and records.statuses()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_sitroom_server_stopped_by_signal_closes_long_polls_cleanly(tmp_path: Path, how: signal.Signals) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    db = Database(url)
    db.upgrade()
    seed_world(db)
    db.dispose()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "console", "server", "--db", url, "--port", str(port),
                             "--escalation-interval", "0"], stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(base + "/health", timeout=1)
                break
            except requests.RequestException:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError("the server did not start") from None
                time.sleep(0.1)
        threads, answers = open_long_polls(base)
        started = time.monotonic()
        proc.send_signal(how)
        _, err = proc.communicate(timeout=30)
        took = time.monotonic() - started
        for t in threads:
            t.join(5)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert [e for e in lines if e["level"] in ("error", "critical") or "exception" in e] == []
    assert [e for e in lines if e.get("event") == "request" and e["status"] >= 500] == []
    assert answers == [200, 200, 200]
    # Well inside uvicorn's graceful-shutdown timeout (3 s), which it no longer waits out.
    assert took < 2.5, f"the stop took {took:.1f}s"


async def call(app: Any, path: str) -> tuple[int, dict[str, str], bytes]:
    """One GET through the whole ASGI application, as uvicorn would make it."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    route, _, query = path.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": route, "raw_path": route.encode(), "query_string": query.encode(),
             "root_path": "", "headers": [(b"host", b"test")], "client": ("127.0.0.1", 1),
             "server": ("127.0.0.1", 80)}
    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return int(start["status"]), headers, b"".join(m.get("body", b"") for m in sent
                                                      if m["type"] == "http.response.body")


def test_a_request_arriving_while_the_server_stops_is_told_to_come_back(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    db = Database(url)
    app = create_app(ServerSettings(db_url=url, escalation_interval=None), db)
    seed_world(db)
    try:
        assert asyncio.run(call(app, "/health"))[0] == 200
        release_long_polls(app)  # what a stop does first
        for path in ("/health", "/api/v1/me", "/api/v1/changes?since=0&wait=20"):
            status, headers, body = asyncio.run(call(app, path))
            assert status == 503, path
            assert json.loads(body)["code"] == "server_stopping"
            assert int(headers["retry-after"]) > 0
    finally:
        db.dispose()
