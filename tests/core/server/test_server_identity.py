"""Identity: consoles bound to their user, login throttling, sessions (idle timeout, revocation,
cap, admin listing), the password policy, and the console's logout ending its session."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from server_commands import run_admin
from server_testkit import PASSWORD, Api
from sqlalchemy import func, select, update

from console.domain.errors import InvalidValue
from console.server import auth, operations, sessions
from console.server.embedded import EmbeddedServer
from console.server.tables import AuditRecord, Client, LoginThrottle, SessionToken

pytestmark = pytest.mark.once  # shows no time; the same in every zone


def _login(url: str, username: str, password: str = PASSWORD,
           client_id: str = "console-identity-1") -> requests.Response:
    return requests.post(f"{url}/api/v1/login", timeout=30, json={
        "username": username, "password": password, "client_id": client_id})


def _audit(world: Any, action: str) -> list[AuditRecord]:
    with world.db.read() as session:
        return list(session.scalars(select(AuditRecord).where(AuditRecord.action == action)
                                    .order_by(AuditRecord.id)))



# -- consoles belong to one user ----------------------------------------------------------------
def test_a_console_belongs_for_good_to_the_user_who_registered_it(server, world, api) -> None:
    op1 = api("op1", client_id="console-of-op1")
    _rid, result = op1.create_incident("S1")
    assert result["status"] == "applied"
    with world.db.read() as session:
        client = session.get(Client, "console-of-op1")
        assert client is not None and client.username == "op1"
        assert client.registered_from == "127.0.0.1" and client.registered_at is not None

    # cmd1 sees the same station; with op1's console id it is refused, worded.
    r = _login(server.url, "cmd1", client_id="console-of-op1")
    assert r.status_code == 409, r.text
    assert r.json()["code"] == "client_id_in_use"
    assert "registered to another user" in r.json()["message"]
    refused = _audit(world, "login.refused")
    assert [e.username for e in refused] == ["cmd1"] and "console-of-op1" in (refused[0].note or "")

    # With its own console, cmd1's changes page marks none of op1's changes as its own.
    cmd1 = api("cmd1", client_id="console-of-cmd1")
    changes = cmd1.get("/changes", since=0).json()["changes"]
    assert any(c["row"]["kind"] == "incident" for c in changes)
    assert all("own_seq" not in c for c in changes)
    # op1 is still the owner.
    assert api("op1", client_id="console-of-op1").get("/me").status_code == 200


# -- throttling ---------------------------------------------------------------------------------
def test_guessing_a_password_is_throttled_and_audited(server, world) -> None:
    for _ in range(5):
        assert _login(server.url, "op1", "wrong password 1").status_code == 401
    r = _login(server.url, "op1")  # even the right password, while locked out
    assert r.status_code == 429, r.text
    assert r.json()["code"] == "too_many_attempts"
    assert "too many failed logins for this user name" in r.json()["message"]
    assert 14 * 60 <= int(r.headers["Retry-After"]) <= 15 * 60
    failed = _audit(world, "login.failed")
    assert len(failed) == 5 and {e.username for e in failed} == {"op1"}
    assert failed[0].org_path == "/NPA/SEOUL/S1/"  # the HQ above the user sees it
    throttled = _audit(world, "login.throttled")
    assert len(throttled) == 1 and "user name op1" in (throttled[0].note or "")
    # Another user from the same address is not locked out by op1's lockout.
    assert _login(server.url, "op2", client_id="console-identity-2").status_code == 200

    # When the lockout is over, the right password works and clears the count.
    with world.db.write() as session:
        session.execute(update(LoginThrottle).values(
            locked_until=datetime.now(UTC) - timedelta(seconds=1)))
    assert _login(server.url, "op1").status_code == 200


def test_parallel_guesses_are_checked_no_more_than_the_limit(server, world) -> None:
    def guess(i: int) -> int:
        return _login(server.url, "op1", f"wrong password {i}").status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(guess, range(40)))
    assert statuses.count(401) <= 5
    assert statuses.count(429) >= 35
    assert set(statuses) <= {401, 429}
    assert len(_audit(world, "login.failed")) == statuses.count(401)


def test_a_right_password_clears_the_user_names_count(server) -> None:
    for _ in range(4):
        assert _login(server.url, "op1", "wrong password").status_code == 401
    assert _login(server.url, "op1").status_code == 200
    for _ in range(4):
        assert _login(server.url, "op1", "wrong password").status_code == 401
    assert _login(server.url, "op1").status_code == 200


def test_one_address_trying_many_user_names_is_throttled(server, world) -> None:
    server.settings.login_throttle.max_failures_per_address = 6
    for i in range(6):
        assert _login(server.url, f"nobody{i}", "some password").status_code == 401
    r = _login(server.url, "op1")
    assert r.status_code == 429
    assert "from this workstation's network address" in r.json()["message"]
    assert int(r.headers["Retry-After"]) > 0
    assert any("address 127.0.0.1" in (e.note or "") for e in _audit(world, "login.throttled"))


def test_throttle_state_is_shared_by_server_processes(server, world, db_url) -> None:
    # A second server on the same database (another process in production) counts with it.
    with EmbeddedServer(db_url, escalation_interval=None) as other:
        for url in (server.url, other.url, server.url, other.url, server.url):
            assert _login(url, "op1", "wrong password").status_code == 401
        assert _login(other.url, "op1").status_code == 429
        assert _login(server.url, "op1").status_code == 429


def test_admin_unlocks_a_locked_out_user(server, world, db_url, capsys) -> None:
    for _ in range(5):
        _login(server.url, "op1", "wrong password")
    assert _login(server.url, "op1").status_code == 429
    assert run_admin("--db", db_url, "user", "unlock", "--list") == 0
    assert "op1" in capsys.readouterr().out
    assert run_admin("--db", db_url, "user", "unlock", "op1") == 0
    assert _login(server.url, "op1").status_code == 200
    assert len(_audit(world, "login.unlocked")) == 1


# -- sessions -----------------------------------------------------------------------------------
def _session_row(world: Any, token: str) -> SessionToken:
    with world.db.read() as session:
        row = session.get(SessionToken, sessions.token_digest(token))
        assert row is not None
        return row


def test_a_session_idle_too_long_ends_and_one_in_use_lives_on(server, world, api) -> None:
    idle = server.settings.sessions.idle_timeout
    busy, quiet = api("op1"), api("op2")
    busy_token = busy.login_body["token"]
    with world.db.write() as session:
        session.execute(update(SessionToken).values(
            last_seen_at=datetime.now(UTC) - idle + timedelta(seconds=30)))
    assert busy.get("/me").status_code == 200  # used in time: its idle clock moves on
    assert _session_row(world, busy_token).last_seen_at > datetime.now(UTC) - timedelta(seconds=30)
    with world.db.write() as session:
        session.execute(update(SessionToken).where(SessionToken.username == "op2").values(
            last_seen_at=datetime.now(UTC) - idle - timedelta(seconds=1)))
    r = quiet.get("/me")
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"
    assert busy.get("/me").status_code == 200


def test_logout_ends_the_session_for_good_and_is_audited(server, world, api) -> None:
    console = api("op1")
    token = console.login_body["token"]
    assert console.post("/logout", None).status_code == 204
    assert console.get("/me").status_code == 401
    assert console.post("/logout", None).status_code == 401  # already over
    row = _session_row(world, token)
    assert row.revoked_at is not None and row.revoked_reason == sessions.LOGGED_OUT
    assert [e.username for e in _audit(world, "logout")] == ["op1"]


def test_deactivation_ends_sessions_and_reactivation_brings_none_back(server, world, api) -> None:
    console = api("op1")
    with world.db.write() as session:
        operations.set_user_active(session, "op1", False)
    assert console.get("/me").status_code == 401
    with world.db.write() as session:
        operations.set_user_active(session, "op1", True)
    assert console.get("/me").status_code == 401  # the old token stays dead
    assert _session_row(world, console.login_body["token"]).revoked_reason == sessions.DEACTIVATED
    assert Api(server.url, "op1").get("/me").status_code == 200  # a new login works


def test_password_reset_ends_sessions_for_good(server, world, api) -> None:
    console = api("op1")
    with world.db.write() as session:
        operations.reset_password(session, "op1", "a brand new password")
    assert console.get("/me").status_code == 401
    assert _session_row(world, console.login_body["token"]).revoked_reason == sessions.PASSWORD_RESET


def test_sessions_beyond_the_cap_end_oldest_first(server, world) -> None:
    server.settings.sessions.max_per_user = 3
    consoles = [Api(server.url, "op1", client_id=f"console-cap-{i}") for i in range(5)]
    assert [c.get("/me").status_code for c in consoles] == [401, 401, 200, 200, 200]
    reasons = {_session_row(world, c.login_body["token"]).revoked_reason for c in consoles[:2]}
    assert reasons == {sessions.OVER_CAP}


def test_admin_lists_and_revokes_sessions(server, world, db_url, capsys) -> None:
    first = Api(server.url, "op1", client_id="console-admin-1")
    second = Api(server.url, "op1", client_id="console-admin-2")
    capsys.readouterr()
    assert run_admin("--db", db_url, "user", "sessions", "op1") == 0
    listing = capsys.readouterr().out
    assert "console-admin-1" in listing and "console-admin-2" in listing and "active" in listing
    short = sessions.session_id(sessions.token_digest(first.login_body["token"]))
    assert short in listing
    assert run_admin("--db", db_url, "user", "sessions", "op1", "--revoke", short) == 0
    assert first.get("/me").status_code == 401 and second.get("/me").status_code == 200
    assert run_admin("--db", db_url, "user", "sessions", "op1", "--revoke", "abcdef") == 1
    assert run_admin("--db", db_url, "user", "sessions", "op1", "--revoke-all") == 0
    assert second.get("/me").status_code == 401
    assert run_admin("--db", db_url, "user", "sessions", "op1", "--all") == 0
    assert capsys.readouterr().out.count(f"revoked: {sessions.BY_ADMIN}") == 2
    assert len(_audit(world, "user.sessions_revoked")) == 2


def test_the_consoles_logout_ends_its_server_session(server, world, tmp_path) -> None:
    from console.replica import Replica
    from console.sync import SyncEngine

    replica = Replica(tmp_path / "op1" / "replica.sqlite3")
    engine = SyncEngine(server.url, replica)
    try:
        engine.login("op1", PASSWORD)
        token = replica.meta_get("token")
        assert token and _session_row(world, token).revoked_at is None
        engine.logout()
        row = _session_row(world, token)
        assert row.revoked_at is not None and row.revoked_reason == sessions.LOGGED_OUT
        r = requests.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"},
                         timeout=30)
        assert r.status_code == 401
    finally:
        engine.close()
        replica.close()


# -- passwords ----------------------------------------------------------------------------------
@pytest.mark.parametrize("password", ["12345678", "password", "Password123!", "qwer1234!@#$",
                                      "1q2w3e4r5t", "aaaaaaaaaaaa", "0123456789", "Welcome2024!!"])
def test_common_and_short_passwords_are_refused(world, password) -> None:
    assert auth.check_password(password) is not None
    with world.db.write() as session, pytest.raises(InvalidValue):
        operations.create_user(session, "op9", password, "station_operator", "S1")
    with world.db.write() as session, pytest.raises(InvalidValue):
        operations.reset_password(session, "op1", password)
    with world.db.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditRecord).where(
            AuditRecord.action.in_(["user.create", "user.reset_password"]))) == len(world.users)


def test_the_password_policy_is_worded_for_the_prompt() -> None:
    text = auth.password_policy_text()
    assert f"at least {auth.MIN_PASSWORD_LENGTH} characters" in text
    assert auth.check_password("short") == f"a password needs at least {auth.MIN_PASSWORD_LENGTH} characters"
    assert "user name" in (auth.check_password("kimminsu2024", "kimminsu") or "")
    assert "common" in (auth.check_password("Password123!") or "")
    assert auth.check_password("three quiet rivers") is None
