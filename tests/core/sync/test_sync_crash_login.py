"""Crash safety (a real SIGKILL between local commit and push), offline login, re-snapshot on 410,
and a server whose database was re-created."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from faultproxy import FaultProxy
from sync_helpers import (
    PASSWORD,
    Console,
    converged,
    new_incident,
    note_texts,
    open_console,
    seed,
    server_client_results,
    server_rows,
    wait_for,
)

from console.domain.records import RecordKind
from console.server.embedded import EmbeddedServer
from console.server.operations import create_org_unit, prune_feed, reset_password
from console.sync import LoginFailed, SyncEngine, SyncPhase
from console.sync.events import AuthExpired, SyncProgress

INC = RecordKind.INCIDENT
CHILD = Path(__file__).with_name("console_child.py")


NEW_PASSWORD = "a new passphrase for op1, 2025"

def test_sigkill_between_commit_and_push_loses_and_doubles_nothing(
        server: EmbeddedServer, tmp_path: Path, consoles: Callable[..., Console]) -> None:
    proxy = FaultProxy(server.url, seed=3)
    path = tmp_path / "killed" / "replica.sqlite3"
    child = subprocess.Popen([sys.executable, str(CHILD), proxy.url, "op1", PASSWORD, str(path), "S1-inc-0"],
                             stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[3])
    printed: list[int] = []
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        proxy.set_faults(drop_response=0.3, only_paths=("/api/v1/mutations",))
        while len(printed) < 40:
            printed.append(int(child.stdout.readline()))
        proxy.partition(True)  # from here on, commits are not pushed
        while len(printed) < 60:
            printed.append(int(child.stdout.readline()))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
        proxy.close()
    assert child.returncode == -signal.SIGKILL

    again = open_console(server.url, "op1", path, start=False)
    try:
        committed = again.replica.meta_get("next_seq") - 1
        assert committed >= printed[-1] and printed == list(range(1, len(printed) + 1))
        known = server_client_results(server, again.replica.client_id())
        waiting = {e.client_seq for e in again.replica.all_entries()}
        # every committed mutation is either answered by the server or still in the outbox
        assert set(range(1, committed + 1)) <= set(known) | waiting
        assert waiting - set(known), "the kill should leave unpushed mutations behind"
        again.engine.start()
        wait_for(lambda: converged(again, server), timeout=30, what="convergence after restart")
        results = server_client_results(server, again.replica.client_id())
        assert sorted(results) == list(range(1, committed + 1))
        notes = [t for t in note_texts(server) if t.startswith("kill-")]
        assert sorted(notes) == sorted(f"kill-{n}" for n in range(1, committed + 1))
    finally:
        again.close()


def test_offline_login_against_the_cached_verifier(server: EmbeddedServer, tmp_path: Path) -> None:
    path = tmp_path / "op1" / "replica.sqlite3"
    first = open_console(server.url, "op1", path)
    wait_for(lambda: converged(first, server), what="first sync")
    first.close()
    verifier = str(first.replica.meta_get("offline_verifier"))
    assert PASSWORD not in verifier

    server.stop()
    offline = open_console(server.url, "op1", path, login=False, start=False)
    try:
        with pytest.raises(LoginFailed):
            offline.engine.login("op1", "wrong password")
        with pytest.raises(LoginFailed):
            offline.engine.login("op1b", PASSWORD)  # nobody else's cache here
        result = offline.engine.login("op1", PASSWORD)
        assert result.offline and result.user.username == "op1"
        assert offline.engine.state.offline_login
        offline.engine.start()
        rid = offline.replica.new_id()
        offline.replica.submit("incident.create", INC, rid, new_incident(title="written offline"))
        server.start()
        wait_for(lambda: converged(offline, server), timeout=30, what="online again")
        assert not offline.engine.state.offline_login
        assert server_rows(server)[("incident", rid)].data["title"] == "written offline"
    finally:
        offline.close()


def test_offline_login_without_a_cache_fails(tmp_path: Path) -> None:
    from console.replica import Replica

    replica = Replica(tmp_path / "r.sqlite3")
    engine = SyncEngine("http://127.0.0.1:9", replica)
    try:
        with pytest.raises(LoginFailed) as err:
            engine.login("op1", PASSWORD)
        assert err.value.code == "offline_unavailable"
    finally:
        engine.close()
        replica.close()


def test_online_login_with_a_wrong_password_does_not_fall_back(server: EmbeddedServer,
                                                                consoles: Callable[..., Console]) -> None:
    a = consoles(server.url, "op1")
    wait_for(lambda: converged(a, server), what="first sync")
    # The server now refuses the password this console cached for offline logins: its refusal
    # must stand, though the cache would let the old password in (a fallback on any failure
    # would log in offline here, and the LoginFailed of a wrong password alone cannot show it).
    assert server.database is not None
    with server.database.write() as s:
        reset_password(s, "op1", NEW_PASSWORD)
    for password in (PASSWORD, "not the password"):
        with pytest.raises(LoginFailed) as err:
            a.engine.login("op1", password)
        assert err.value.code == "invalid_credentials", (password, err.value.code)
        assert not a.engine.state.offline_login
    assert a.engine.login("op1", NEW_PASSWORD).offline is False


def test_cursor_expired_resnapshots_and_keeps_the_outbox(server: EmbeddedServer,
                                                         consoles: Callable[..., Console]) -> None:
    a = consoles(server.url, "op1")
    b = consoles(server.url, "op1b")
    wait_for(lambda: converged(a, server), what="first sync")
    a.engine.stop()
    mine = a.replica.new_id()
    a.replica.submit("incident.create", INC, mine, new_incident(title="kept through re-snapshot"))
    theirs = b.replica.new_id()
    b.replica.submit("incident.create", INC, theirs, new_incident(title="while a was away"))
    wait_for(lambda: ("incident", theirs) in server_rows(server), what="b's write")
    assert server.database is not None
    with server.database.write() as s:
        assert prune_feed(s, 10**9) > 0
    progress_before = sum(isinstance(e, SyncProgress) for e in a.events)
    a.engine.start()
    wait_for(lambda: converged(a, server) and converged(b, server), timeout=30, what="re-snapshot")
    assert sum(isinstance(e, SyncProgress) for e in a.events) > progress_before
    assert server_rows(server)[("incident", mine)].data["title"] == "kept through re-snapshot"
    assert a.replica.row(INC, theirs) is not None


def test_new_server_database_rebinds_the_console(db_url: str, tmp_path: Path) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("one database kind is enough for this test")
    first = EmbeddedServer(db_url, escalation_interval=None).start()
    seed(first)
    port = first.port
    console = open_console(first.url, "op1", tmp_path / "c" / "replica.sqlite3")
    try:
        wait_for(lambda: converged(console, first), what="first sync")
        for i in range(3):
            console.replica.submit("incident.note", INC, "S1-inc-0", {"text": f"old {i}"})
        wait_for(lambda: console.replica.pending_count() == 0, what="pushed")
        old_client = console.replica.client_id()
        console.engine.stop()
        first.close()
        second = EmbeddedServer(f"sqlite:///{tmp_path / 'second.db'}", port=port, escalation_interval=None)
        second.start()
        try:
            seed(second)
            assert second.database is not None
            with second.database.write() as s:
                create_org_unit(s, "S9", "station", "S9", "S9", "SEOUL")
            console.replica.submit("incident.note", INC, "S1-inc-0", {"text": "new world"})
            console.engine.start()
            # the new database does not know the old token: the user logs in again
            wait_for(lambda: console.engine.state.phase == SyncPhase.AUTH_EXPIRED, what="auth expired")
            assert any(isinstance(e, AuthExpired) for e in console.events)
            console.engine.login("op1", PASSWORD)
            wait_for(lambda: converged(console, second), timeout=30, what="sync with the new database")
            assert console.replica.client_id() != old_client
            assert server_client_results(second, console.replica.client_id()) == {1: "applied"}
            assert [t for t in note_texts(second) if t.startswith(("old", "new"))] == ["new world"]
            assert console.engine.state.phase == SyncPhase.LIVE
        finally:
            second.close()
    finally:
        console.close()


def test_a_console_started_offline_keeps_the_server_clock(server: EmbeddedServer, tmp_path: Path) -> None:
    """The demo's server runs an accelerated scenario clock: a console started again without the
    server follows the clock it learnt (its data's time), not the workstation's."""
    from datetime import UTC, datetime, timedelta

    scenario = datetime(2025, 6, 3, 7, 0, tzinfo=UTC)
    server.clock.set(now=scenario, speed=144.0)
    path = tmp_path / "op1" / "replica.sqlite3"
    first = open_console(server.url, "op1", path)
    wait_for(lambda: converged(first, server), what="first sync")
    first.close()
    server.stop()

    offline = open_console(server.url, "op1", path, login=False, start=False)
    try:
        assert offline.engine.login("op1", PASSWORD).offline
        now = offline.engine.clock.now()
        # some real seconds at 144x since: minutes of scenario time, not the workstation's date
        assert scenario <= now < scenario + timedelta(hours=2)
        assert offline.engine.clock.speed == 144.0
        assert offline.replica.clock() >= now  # local writes are stamped on the same clock
    finally:
        offline.close()
