"""Coming back after an outage without felling the server: a console resumes its session by its
token (no password, so no password check on the server), backs off with jitter, and waits at
least as long as a busy server's Retry-After says."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sync_helpers import PASSWORD, Console, converged, new_incident, open_console, wait_for

from console.domain.records import RecordKind
from console.replica import Replica
from console.server import sessions
from console.server.embedded import EmbeddedServer
from console.server.tables import AuditRecord
from console.sync import SyncEngine
from console.sync.connectivity import Connectivity
from console.sync.engine import Backoff, LoginFailed
from console.sync.http import ApiClient, ServerBusy


def _logins(server: EmbeddedServer) -> int:
    assert server.database is not None
    with server.database.read() as s:
        return int(s.execute(select(func.count()).select_from(AuditRecord)
                             .where(AuditRecord.action == "login")).scalar_one())


def test_a_restarted_console_resumes_its_session_without_a_password(
        server: EmbeddedServer, consoles: Callable[..., Console], tmp_path: Path) -> None:
    first = consoles(server.url, "op1")
    wait_for(lambda: converged(first, server), what="first sync")
    first.engine.close()  # the console program ends; its replica keeps the token
    first.replica.close()
    logins = _logins(server)
    writer = consoles(server.url, "op1b")
    rid = writer.replica.new_id()
    writer.replica.submit("incident.create", RecordKind.INCIDENT, rid, new_incident(title="meanwhile"))

    again = open_console(server.url, "op1", tmp_path / "op1" / "replica.sqlite3", login=False, start=False)
    try:
        result = again.engine.resume("op1")
        assert result is not None and not result.offline and result.user.username == "op1"
        again.engine.start()
        wait_for(lambda: converged(again, server)
                 and again.replica.server_row(RecordKind.INCIDENT, rid) is not None,
                 what="the resumed console's catch-up")
        assert _logins(server) == logins + 1  # op1b's login only: op1 checked no password
        assert again.engine.resume("op2") is None  # another user's profile: a login it is
    finally:
        again.close()


def test_logging_in_again_with_the_profiles_password_resumes_its_session(
        server: EmbeddedServer, consoles: Callable[..., Console], tmp_path: Path) -> None:
    """The login dialog after a restart: the right password, checked against the profile's own
    verifier, resumes the kept session (the server checks no password); a wrong one does not."""
    first = consoles(server.url, "op1")
    wait_for(lambda: converged(first, server), what="first sync")
    first.engine.close()
    first.replica.close()
    logins = _logins(server)
    replica = Replica(tmp_path / "op1" / "replica.sqlite3")
    engine = SyncEngine(server.url, replica)
    try:
        with pytest.raises(LoginFailed):
            engine.login("op1", "not the password")
        result = engine.login("op1", PASSWORD)
        assert not result.offline and result.user.username == "op1"
        assert _logins(server) == logins  # no password checked by the server
    finally:
        engine.close()
        replica.close()


def test_a_revoked_session_is_not_resumed(server: EmbeddedServer, consoles: Callable[..., Console],
                                          tmp_path: Path) -> None:
    first = consoles(server.url, "op1")
    wait_for(lambda: converged(first, server), what="first sync")
    first.engine.close()
    first.replica.close()
    assert server.database is not None
    with server.database.write() as s:
        assert sessions.revoke_user(s, "op1", sessions.BY_ADMIN) >= 1
    replica = Replica(tmp_path / "op1" / "replica.sqlite3")
    engine = SyncEngine(server.url, replica)
    try:
        assert engine.resume("op1") is None
        assert replica.meta_get("token") is None  # forgotten: the next start asks the password
    finally:
        engine.close()
        replica.close()


# -- a server that sheds load ---------------------------------------------------------------------
class _Busy(BaseHTTPRequestHandler):
    hits: list[tuple[str, float]] = []
    retry_after = "2"

    def do_GET(self) -> None:
        # The pull's calls carry the token; the probe's (GET /health while offline) do not.
        if self.headers.get("Authorization"):
            type(self).hits.append((self.path.split("?")[0], time.monotonic()))
        body = (b'{"code":"server_busy","message":"the server is catching up many consoles",'
                b'"detail":null}')
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.send_header("Retry-After", type(self).retry_after)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def busy_server() -> Iterator[str]:
    _Busy.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Busy)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_busy_answer_says_when_to_come_back_and_is_no_outage(busy_server: str) -> None:
    from console.sync.connectivity import ConnectivityMonitor

    monitor = ConnectivityMonitor()
    api = ApiClient(busy_server, monitor)
    try:
        for _ in range(5):
            with pytest.raises(ServerBusy) as err:
                api.request("GET", "/changes", params={"since": 0})
            assert err.value.retry_after == 2.0
    finally:
        api.close()
    assert monitor.state != Connectivity.OFFLINE


def test_backoff_never_comes_back_before_retry_after() -> None:
    backoff = Backoff(base=0.1, cap=1.0, rng=random.Random(7))
    told = ServerBusy("503", retry_after=3.0)
    delays = [backoff.after(told) for _ in range(50)]
    assert min(delays) >= 3.0 and max(delays) <= 4.5
    assert len({round(d, 3) for d in delays}) > 40  # jittered: consoles told together spread out
    plain = [Backoff(base=0.5, cap=30.0, rng=random.Random(i)).after(OSError()) for i in range(20)]
    assert len({round(d, 3) for d in plain}) == 20 and all(0.5 <= d <= 1.0 for d in plain)


def test_the_engine_waits_out_retry_after(busy_server: str, tmp_path: Path) -> None:
    replica = Replica(tmp_path / "busy" / "replica.sqlite3")
    # A backoff capped at 0.1 s alone would ask twenty times in these two seconds.
    engine = SyncEngine(busy_server, replica, backoff_cap=0.1)
    engine._token = "a token the stub does not check"
    try:
        engine.start()
        time.sleep(2.5)
    finally:
        engine.close()
        replica.close()
    asked = [at for path, at in _Busy.hits if path == "/health"]
    assert 1 <= len(asked) <= 2, asked
    if len(asked) == 2:
        assert asked[1] - asked[0] >= 2.0
