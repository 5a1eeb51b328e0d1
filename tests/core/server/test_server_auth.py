"""Login, sessions, expiry and the 401 answers, over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import requests
from server_testkit import PASSWORD, Api
from sqlalchemy import update

from console.server import operations
from console.server.tables import SessionToken


def test_login_returns_token_user_epoch_and_clock(server, api) -> None:
    console = api()
    body = console.login("op1")
    assert body["user"] == {
        "username": "op1", "display_name": "op1", "role": "station_operator", "org_code": "S1",
        "org_path": "/NPA/SEOUL/S1/", "org_name_ko": "종로경찰서", "org_name_en": "Jongno Police Station"}
    health = console.http.get(f"{server.url}/health").json()  # the epoch needs the token
    assert body["server_epoch"] == health["server_epoch"]
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(hours=11, minutes=59) < expires - datetime.now(UTC) <= timedelta(hours=12)
    assert body["clock"]["speed"] == 1.0
    me = console.get("/me")
    assert me.status_code == 200 and me.json()["org_path"] == "/NPA/SEOUL/S1/"


def test_wrong_password_and_unknown_user_are_401(server) -> None:
    for username, password in (("op1", "wrong password"), ("nobody", PASSWORD)):
        r = requests.post(f"{server.url}/api/v1/login",
                          json={"username": username, "password": password, "client_id": "console-0001"})
        assert r.status_code == 401
        assert r.json()["code"] == "invalid_credentials"


def test_missing_or_unknown_token_is_401_unauthenticated(server) -> None:
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}):
        for path in ("/me", "/snapshot", "/changes?since=0"):
            r = requests.get(f"{server.url}/api/v1{path}", headers=headers)
            assert r.status_code == 401, (path, headers)
            assert r.json()["code"] == "unauthenticated"
    r = requests.post(f"{server.url}/api/v1/mutations", json={"client_id": "console-0001", "mutations": []})
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"


def test_expired_session_is_refused(server, world, api) -> None:
    console = api("op1")
    assert console.get("/me").status_code == 200
    with world.db.write() as session:
        session.execute(update(SessionToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    r = console.get("/me")
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"


def test_logout_ends_the_session(server, api) -> None:
    console = api("op1")
    assert console.post("/logout", None).status_code == 204
    assert console.get("/me").status_code == 401


def test_deactivated_user_and_reset_password_end_access(server, world, api) -> None:
    console = api("op1")
    with world.db.write() as session:
        operations.reset_password(session, "op1", "a brand new password")
    assert console.get("/me").status_code == 401  # old sessions ended
    Api(server.url).login("op1", "a brand new password")
    with world.db.write() as session:
        operations.set_user_active(session, "op2", False)
    r = requests.post(f"{server.url}/api/v1/login",
                      json={"username": "op2", "password": PASSWORD, "client_id": "console-0002"})
    assert r.status_code == 401


def test_invalid_request_is_422_with_error_body(server) -> None:
    r = requests.post(f"{server.url}/api/v1/login", json={"username": "op1"})
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "validation_error"
    assert {tuple(d["loc"]) for d in body["detail"]} >= {("body", "password"), ("body", "client_id")}
    r = requests.get(f"{server.url}/no/such/path")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_login_upgrades_an_old_password_hash(server, world, api) -> None:
    from argon2 import PasswordHasher

    from console.server import auth
    from console.server.tables import User

    old = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(PASSWORD)
    with world.db.write() as session:
        session.execute(update(User).where(User.username == "op1").values(password_hash=old))
    assert auth.needs_rehash(old)
    api("op1")
    with world.db.read() as session:
        user = session.get(User, "op1")
        assert user is not None
        new = user.password_hash
    assert new != old and not auth.needs_rehash(new) and auth.verify_password(new, PASSWORD)


def test_the_server_hashes_with_the_hasher_of_its_settings(world, db_url) -> None:
    """ServerSettings.password_hasher (here through EmbeddedServer): logins check with it, and a
    stored hash made with other parameters is replaced by one made with it."""
    from argon2 import PasswordHasher

    from console.server import auth
    from console.server.embedded import EmbeddedServer
    from console.server.tables import User

    cheap = auth.cheap_hasher()
    older = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    with world.db.write() as session:
        operations.create_user(session, "cheap1", PASSWORD, "station_operator", "S1", hasher=cheap)
        operations.create_user(session, "older1", PASSWORD, "station_operator", "S1", hasher=older)

    def stored_hash(username: str) -> str:
        with world.db.read() as session:
            user = session.get(User, username)
            assert user is not None
            return user.password_hash

    cheap_hash = stored_hash("cheap1")
    assert "m=1024,t=1,p=1" in cheap_hash and "m=2048,t=2,p=1" in stored_hash("older1")
    srv = EmbeddedServer(db_url, escalation_interval=None, password_hasher=cheap)
    srv.database = world.db
    with srv:
        Api(srv.url, "cheap1")
        assert stored_hash("cheap1") == cheap_hash  # already made with these parameters
        Api(srv.url, "older1")
        rehashed = stored_hash("older1")
        assert "m=1024,t=1,p=1" in rehashed and cheap.verify(rehashed, PASSWORD)
        for username, password in (("older1", "wrong password"), ("nobody", PASSWORD)):
            r = requests.post(f"{srv.url}/api/v1/login", json={
                "username": username, "password": password, "client_id": "console-0001"})
            assert r.status_code == 401 and r.json()["code"] == "invalid_credentials"
