"""Login sessions: random bearer tokens (only their SHA-256 is stored), each with an absolute
end and an idle timeout; revoked for good by logout, password reset, deactivation or the cap of
sessions per user (the oldest go); listed and revoked by `sitroom admin user sessions`.

Times here are the wall clock (UTC), not the scenario clock the demo runs on: a session lasts
hours of real time whatever the scenario's speed.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from console.server.tables import SessionToken, User

# A session used within this long is not written again (the idle clock is that coarse), so
# a console's every request does not cost a write; a quarter of the idle timeout if shorter.
TOUCH_EVERY = timedelta(minutes=1)

# Why a session ended before its time (SessionToken.revoked_reason).
LOGGED_OUT = "logged out"
PASSWORD_RESET = "password reset"
DEACTIVATED = "user deactivated"
OVER_CAP = "more sessions than allowed: the oldest ended"
BY_ADMIN = "revoked by an administrator"


@dataclass
class SessionPolicy:
    """The server's session settings (ServerSettings.sessions); the absolute lifetime is
    ServerSettings.token_ttl (`sitroom server --session-hours`)."""

    idle_timeout: timedelta = timedelta(hours=2)
    max_per_user: int = 10


def wall_now() -> datetime:
    return datetime.now(UTC)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def session_id(digest: str) -> str:
    """The short id an administrator sees and revokes by (a prefix of the token's SHA-256,
    which gives nothing of the token away)."""
    return digest[:12]


def create(session: Session, username: str, client_id: str, *, lifetime: timedelta,
           policy: SessionPolicy | None = None, now: datetime | None = None,
           address: str | None = None) -> tuple[str, datetime]:
    """A new session: (token, absolute end). Ends the user's oldest live sessions beyond the
    cap, and forgets sessions whose absolute end has passed."""
    policy = policy or SessionPolicy()
    now = now or wall_now()
    token = secrets.token_urlsafe(32)
    expires = now + lifetime
    idle = max(1, int(policy.idle_timeout.total_seconds()))
    session.add(SessionToken(token_sha256=token_digest(token), username=username,
                             client_id=client_id, created_at=now, expires_at=expires,
                             last_seen_at=now, idle_seconds=idle,
                             address=address[:64] if address else None))
    session.flush()
    session.execute(delete(SessionToken).where(SessionToken.username == username,
                                               SessionToken.expires_at < now))
    live = [digest for digest, _created in _live(session, username, now)]
    if len(live) > policy.max_per_user:
        _revoke(session, live[:len(live) - policy.max_per_user], OVER_CAP, now)
    return token, expires


def _live(session: Session, username: str, now: datetime) -> list[tuple[str, datetime]]:
    """The user's sessions still in force, oldest first: (digest, created)."""
    found = session.execute(
        select(SessionToken.token_sha256, SessionToken.created_at, SessionToken.last_seen_at,
               SessionToken.idle_seconds)
        .where(SessionToken.username == username, SessionToken.revoked_at.is_(None),
               SessionToken.expires_at > now)
        .order_by(SessionToken.created_at, SessionToken.token_sha256)
    ).all()
    return [(digest, created) for digest, created, seen, idle in found
            if seen + timedelta(seconds=idle) > now]


@dataclass(frozen=True)
class Resolved:
    """A session in force, its user, and whether its idle clock should be moved on."""

    token: SessionToken
    user: User
    stale: bool


def resolve(session: Session, token: str, now: datetime | None = None) -> Resolved | None:
    """The session of a bearer token if it is in force: not revoked, not past its end, not
    idle too long, and its user active. None otherwise."""
    now = now or wall_now()
    found = session.execute(
        select(SessionToken, User).join(User, User.username == SessionToken.username)
        .where(SessionToken.token_sha256 == token_digest(token))
    ).first()
    if found is None:
        return None
    row, user = found[0], found[1]
    idle = timedelta(seconds=row.idle_seconds)
    if (row.revoked_at is not None or row.expires_at <= now or row.last_seen_at + idle <= now
            or not user.active):
        return None
    stale = now - row.last_seen_at >= min(TOUCH_EVERY, idle / 4)
    return Resolved(row, user, stale)


def in_force_many(session: Session, digests: list[str], now: datetime | None = None,
                  chunk: int = 500) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Of these token digests, the sessions still in force (as `resolve` judges them): (digest ->
    (the user's org code, role) as they stand now; the digests whose idle clock is due to be
    moved on, for `touch_many`). A process checks the sessions of all its long-polling consoles
    this way in a few statements instead of one look-up each."""
    now = now or wall_now()
    found: dict[str, tuple[str, str]] = {}
    due: list[str] = []
    for start in range(0, len(digests), chunk):
        part = digests[start:start + chunk]
        rows = session.execute(
            select(SessionToken.token_sha256, SessionToken.revoked_at, SessionToken.expires_at,
                   SessionToken.last_seen_at, SessionToken.idle_seconds, User.org_code, User.role,
                   User.active)
            .join(User, User.username == SessionToken.username)
            .where(SessionToken.token_sha256.in_(part))).all()
        for digest, revoked, expires, seen, idle_s, org_code, role, active in rows:
            idle = timedelta(seconds=idle_s)
            if revoked is not None or expires <= now or seen + idle <= now or not active:
                continue
            found[digest] = (str(org_code), str(role))
            if now - seen >= min(TOUCH_EVERY, idle / 4):
                due.append(digest)
    return found, due


def touch_many(session: Session, digests: list[str], now: datetime | None = None,
               chunk: int = 500) -> None:
    """`touch` for many sessions, one UPDATE per chunk."""
    now = now or wall_now()
    for start in range(0, len(digests), chunk):
        session.execute(update(SessionToken).where(
            SessionToken.token_sha256.in_(digests[start:start + chunk]),
            SessionToken.revoked_at.is_(None), SessionToken.last_seen_at < now)
            .values(last_seen_at=now))


def touch(session: Session, digest: str, now: datetime | None = None) -> None:
    """Move the session's idle clock on (if it is still in force)."""
    now = now or wall_now()
    session.execute(update(SessionToken).where(
        SessionToken.token_sha256 == digest, SessionToken.revoked_at.is_(None),
        SessionToken.last_seen_at < now).values(last_seen_at=now))


def revoke_token(session: Session, token: str, reason: str = LOGGED_OUT,
                 now: datetime | None = None) -> SessionToken | None:
    """End the session of this token; returns it, or None if it was unknown or already over."""
    now = now or wall_now()
    row = session.get(SessionToken, token_digest(token), with_for_update=True)
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    _revoke(session, [row.token_sha256], reason, now)
    return row


def revoke_user(session: Session, username: str, reason: str, now: datetime | None = None) -> int:
    """End every session of the user still in force; returns how many."""
    now = now or wall_now()
    digests = list(session.scalars(select(SessionToken.token_sha256).where(
        SessionToken.username == username, SessionToken.revoked_at.is_(None),
        SessionToken.expires_at > now)))
    _revoke(session, digests, reason, now)
    return len(digests)


def revoke_by_id(session: Session, username: str, short_id: str, reason: str = BY_ADMIN,
                 now: datetime | None = None) -> int:
    """End the user's sessions whose id (see session_id) starts with `short_id`."""
    now = now or wall_now()
    if len(short_id) < 6:
        raise ValueError("give at least 6 characters of the session id")
    digests = [d for d in session.scalars(select(SessionToken.token_sha256).where(
        SessionToken.username == username, SessionToken.revoked_at.is_(None),
        SessionToken.expires_at > now)) if d.startswith(short_id.lower())]
    _revoke(session, digests, reason, now)
    return len(digests)


def _revoke(session: Session, digests: list[str], reason: str, now: datetime) -> None:
    for start in range(0, len(digests), 500):
        session.execute(update(SessionToken)
                        .where(SessionToken.token_sha256.in_(digests[start:start + 500]),
                               SessionToken.revoked_at.is_(None))
                        .values(revoked_at=now, revoked_reason=reason[:128]))


@dataclass(frozen=True)
class SessionInfo:
    id: str
    username: str
    client_id: str
    address: str | None
    created_at: datetime
    last_seen_at: datetime
    ends_at: datetime  # the earlier of the absolute end and the idle timeout
    state: str  # "active", "idle", "expired" or "revoked: <reason>"


def list_sessions(session: Session, username: str | None = None, now: datetime | None = None,
                  *, include_ended: bool = True) -> list[SessionInfo]:
    """The sessions (of one user, or everyone's) newest first."""
    now = now or wall_now()
    query = select(SessionToken)
    if username is not None:
        query = query.where(SessionToken.username == username)
    found: list[SessionInfo] = []
    for row in session.scalars(query.order_by(SessionToken.created_at.desc())):
        idle_end = row.last_seen_at + timedelta(seconds=row.idle_seconds)
        if row.revoked_at is not None:
            state = f"revoked: {row.revoked_reason or 'no reason given'}"
        elif row.expires_at <= now:
            state = "expired"
        elif idle_end <= now:
            state = "idle"
        else:
            state = "active"
        if state != "active" and not include_ended:
            continue
        found.append(SessionInfo(session_id(row.token_sha256), row.username, row.client_id,
                                 row.address, row.created_at, row.last_seen_at,
                                 min(row.expires_at, idle_end), state))
    return found
