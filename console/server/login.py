"""Logging in and out: the throttle (console.server.throttle), the password, the console's
binding to its user, the session (console.server.sessions) and the audit entries of each
outcome, failed and refused ones included."""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from console.domain.clock import iso
from console.domain.roles import Role
from console.protocol.schema import LoginRequest, LoginResponse, UserInfo
from console.server import audit_chain, auth, feed, orgs, sessions, throttle
from console.server.errors import ApiError
from console.server.settings import ServerState
from console.server.tables import Client, User


def user_info(session: Session, username: str, display_name: str, role: str, org_code: str) -> UserInfo:
    data = orgs.org_data(session, org_code) or {}
    path = orgs.org_path(session, org_code)
    if path is None:
        raise ApiError(403, "no_org_unit", f"your org unit {org_code!r} does not exist on this server")
    return UserInfo(username=username, display_name=display_name, role=Role(role), org_code=org_code,
                    org_path=path, org_name_ko=str(data.get("name_ko", "")),
                    org_name_en=str(data.get("name_en", "")))


def log_in(state: ServerState, body: LoginRequest, address: str) -> LoginResponse:
    """Check the throttle, the password and the console; open a session. Raises ApiError 429
    (locked out, with Retry-After), 401 (wrong user name or password), 409 (the console is
    another user's)."""
    policy = state.settings.login_throttle
    _charge(state, policy, body, address)

    # The password check is slow on purpose: keep it out of the (serialised) write transaction,
    # and check no more at once than the machine has cores (each takes its memory cost).
    hasher = state.settings.password_hasher
    try:
        with HASHING.slot(), state.db.read() as session:
            user = auth.authenticate(session, body.username, body.password, hasher)
            info = (user_info(session, user.username, user.display_name, user.role,
                              user.org_code) if user is not None else None)
    except Busy:
        with state.db.write() as session:  # the attempt was charged but not checked
            throttle.uncharge(session, body.username, address)
        raise _login_busy() from None
    if user is None or info is None:
        with state.db.write() as session:
            began = throttle.failed(session, policy, body.username, address, sessions.wall_now())
            _audit(session, state, body.username, "login.failed", _org_path_of(session, body.username),
                   f"wrong password or unknown or inactive user name, from {address}, "
                   f"console {body.client_id}")
            _audit_lockouts(session, state, began, body, address)
        raise ApiError(401, "invalid_credentials", "unknown user name or wrong password")

    rehash = (auth.hash_password(body.password, hasher)
              if auth.needs_rehash(user.password_hash, hasher) else None)
    now = sessions.wall_now()
    with state.db.write() as session:
        throttle.succeeded(session, user.username, address, now)
        owner = bind_client(session, body.client_id, user.username, address, now)
        if owner is not None:
            _audit(session, state, user.username, "login.refused", info.org_path,
                   f"console {body.client_id} is registered to another user; from {address}")
        else:
            if rehash:
                session.execute(update(User).where(User.username == user.username)
                                .values(password_hash=rehash))
            token, expires = sessions.create(session, user.username, body.client_id,
                                             lifetime=state.settings.token_ttl,
                                             policy=state.settings.sessions, now=now,
                                             address=address)
            # client_id stays empty: audit rows with a client id are that console's mutations.
            _audit(session, state, user.username, "login", info.org_path,
                   f"console {body.client_id}, from {address}")
            epoch = feed.meta(session).epoch
    if owner is not None:
        raise ApiError(409, "client_id_in_use",
                       f"this console ({body.client_id}) is registered to another user, and a "
                       "console belongs to one user for good: log in from your own profile on "
                       "this workstation (or a new one)")
    return LoginResponse(token=token, expires_at=iso(expires), user=info, server_epoch=epoch,
                         clock=state.clock.info())


def _charge(state: ServerState, policy: throttle.ThrottlePolicy, body: LoginRequest,
            address: str) -> None:
    """Count the attempt (console.server.throttle): raises 429 while a lockout is in force; waits
    its turn while the limit's worth of attempts of this name or address is being checked, up to
    LOGIN_WAIT seconds (then 503 with Retry-After)."""
    deadline = time.monotonic() + LOGIN_WAIT
    pause = 0.02
    while True:
        now = sessions.wall_now()
        # Cheap first: a locked-out name or address costs a read, not a write.
        with state.db.read() as session:
            lockout = throttle.locked(session, body.username, address, now)
        if lockout is not None:
            raise _throttled(lockout, now)
        with state.db.write() as session:
            charged = throttle.charge(session, policy, body.username, address, now)
        if charged.refusal is not None:
            raise _throttled(charged.refusal, now)
        if not charged.wait:
            return
        if time.monotonic() > deadline:
            raise _login_busy()
        time.sleep(_rng.uniform(pause / 2, pause))
        pause = min(pause * 2, 0.5)


class Busy(Exception):
    """More logins wait for a password check than HashingSlots lets queue."""


class HashingSlots:
    """At most `slots` password checks at once in this process, and at most `queue` waiting for
    one; a login beyond that is answered 503 at once (it would wait longer than a retry)."""

    def __init__(self, slots: int, queue: int) -> None:
        self._slots = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self.queue = queue
        self.waiting = 0

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._lock:
            if self.waiting >= self.queue:
                raise Busy
            self.waiting += 1
        try:
            self._slots.acquire()
        finally:
            with self._lock:
                self.waiting -= 1
        try:
            yield
        finally:
            self._slots.release()


HASHING = HashingSlots(max(2, os.cpu_count() or 2), queue=32)
LOGIN_WAIT = 20.0  # seconds a login waits for its turn behind other attempts of its name
_rng = random.Random()


def _login_busy() -> ApiError:
    wait = _rng.randint(2, 6)
    return ApiError(503, "login_busy", "many consoles are logging in at once; the console tries "
                                       f"again in {wait} s", {"retry_after": wait},
                    headers={"Retry-After": str(wait)})


def log_out(state: ServerState, token: str) -> bool:
    """End the session of `token` for good; False if it was unknown or already over."""
    with state.db.write() as session:
        ended = sessions.revoke_token(session, token, sessions.LOGGED_OUT)
        if ended is not None:
            _audit(session, state, ended.username, "logout", _org_path_of(session, ended.username),
                   f"console {ended.client_id}")
    return ended is not None


def resolve_caller(state: ServerState, token: str) -> auth.Caller | None:
    """The caller of a bearer token (see auth.resolve_token); moves its idle clock on when due."""
    with state.db.read() as session:
        caller = auth.resolve_token(session, token)
    if caller is not None and caller.session_stale:
        with state.db.write() as session:
            sessions.touch(session, caller.session_digest)
    return caller


def bind_client(session: Session, client_id: str, username: str, address: str,
                now: datetime) -> str | None:
    """Register the console to this user (and the address it registered from) if it is new;
    None if it is this user's, else the user it belongs to. A console never moves to another
    user."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(Client).values(client_id=client_id, username=username, last_seq=0,
                                          registered_at=now, registered_from=address[:64])
                    .on_conflict_do_nothing(index_elements=["client_id"]))
    owner = session.execute(select(Client.username).where(Client.client_id == client_id)).scalar_one()
    return None if owner == username else str(owner)


def _throttled(lockout: throttle.Lockout, now: datetime) -> ApiError:
    wait = lockout.retry_after(now)
    return ApiError(429, "too_many_attempts", lockout.message(now),
                    {"retry_after": wait, "locked": lockout.key_kind},
                    headers={"Retry-After": str(wait)})


def _org_path_of(session: Session, username: str) -> str | None:
    org = session.execute(select(User.org_code).where(User.username == username)).scalar_one_or_none()
    return orgs.org_path(session, org) if org is not None else None


def _audit(session: Session, state: ServerState, username: str, action: str,
           org_path: str | None, note: str) -> None:
    entry: dict[str, Any] = {"at": state.clock.now(), "username": username[:64], "client_id": None,
                             "action": action, "org_path": org_path, "note": note}
    audit_chain.append(session, [entry])


def _audit_lockouts(session: Session, state: ServerState, began: list[throttle.Lockout],
                    body: LoginRequest, address: str) -> None:
    for lockout in began:
        _audit(session, state, body.username, "login.throttled",
               _org_path_of(session, body.username) if lockout.key_kind == throttle.USER else None,
               f"{lockout.describe()} locked out until {iso(lockout.until)} after "
               f"{lockout.failures} failed logins (this attempt from {address}); attempts until "
               "then are refused without an entry each")
