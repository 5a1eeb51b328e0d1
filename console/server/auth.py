"""Passwords (argon2), login sessions (random tokens, SHA-256 stored) and the calling user."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from console.domain.roles import Role
from console.server import orgs
from console.server.apply import Actor
from console.server.tables import SessionToken, User

DEFAULT_TOKEN_TTL = timedelta(hours=12)
MIN_PASSWORD_LENGTH = 8

# The process default: argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile).
# A server can take another through ServerSettings.password_hasher; the name `_hasher` stays,
# as some tests and benchmarks still swap it.
_hasher = PasswordHasher()


def cheap_hasher() -> PasswordHasher:
    """argon2id at its lowest cost (a millisecond a hash): for tests and benchmarks that log in
    many consoles (ServerSettings.password_hasher, EmbeddedServer(password_hasher=...)).
    Never for real passwords."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _chosen(hasher: PasswordHasher | None) -> PasswordHasher:
    # Looked up at each call, so a replaced `_hasher` counts.
    return hasher if hasher is not None else _hasher


def hash_password(password: str, hasher: PasswordHasher | None = None) -> str:
    return _chosen(hasher).hash(password)


def verify_password(password_hash: str, password: str, hasher: PasswordHasher | None = None) -> bool:
    try:
        return _chosen(hasher).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, hasher: PasswordHasher | None = None) -> bool:
    """Whether the hash was made with other parameters than `hasher`'s (then store a new one)."""
    return _chosen(hasher).check_needs_rehash(password_hash)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Caller:
    """The authenticated user of a request."""

    username: str
    display_name: str
    role: Role
    org_code: str
    scope_path: str
    client_id: str

    def actor(self, client_id: str | None = None) -> Actor:
        return Actor(username=self.username, org_code=self.org_code, scope_path=self.scope_path,
                     role=self.role, client_id=client_id or self.client_id)


def authenticate(session: Session, username: str, password: str,
                 hasher: PasswordHasher | None = None) -> User | None:
    """The active user with this password, or None. Verifying costs tens of milliseconds by
    design, so call it in a read transaction and store a rehash (needs_rehash) separately."""
    user = session.get(User, username)
    if user is None:
        # Spend the same time as a real check, so user names cannot be probed by timing.
        verify_password(_dummy_hash(_chosen(hasher)), password, hasher)
        return None
    if not verify_password(user.password_hash, password, hasher) or not user.active:
        return None
    return user


def _dummy_hash(hasher: PasswordHasher) -> str:
    return _dummy_hash_of(hasher.time_cost, hasher.memory_cost, hasher.parallelism,
                          hasher.hash_len, hasher.salt_len, hasher.type)


@functools.cache
def _dummy_hash_of(time_cost: int, memory_cost: int, parallelism: int, hash_len: int,
                   salt_len: int, kind: Type) -> str:
    """A hash of no one's password, made with these parameters (so checking it costs as much
    as checking a user's)."""
    return PasswordHasher(time_cost, memory_cost, parallelism, hash_len, salt_len,
                          type=kind).hash("not a password of anyone")


def create_session(session: Session, username: str, client_id: str, ttl: timedelta,
                   now: datetime | None = None) -> tuple[str, datetime]:
    now = now or datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    expires = now + ttl
    session.add(SessionToken(token_sha256=token_digest(token), username=username,
                             client_id=client_id, created_at=now, expires_at=expires))
    # Expired sessions of this user are of no use; keep the table small.
    session.execute(delete(SessionToken).where(SessionToken.username == username,
                                               SessionToken.expires_at < now))
    return token, expires


def resolve_token(session: Session, token: str, now: datetime | None = None) -> Caller | None:
    """The caller of a bearer token, or None if it is unknown, expired, or the user is inactive."""
    now = now or datetime.now(UTC)
    found = session.execute(
        select(SessionToken, User).join(User, User.username == SessionToken.username)
        .where(SessionToken.token_sha256 == token_digest(token))
    ).first()
    if found is None:
        return None
    token_row, user = found[0], found[1]
    if token_row.expires_at <= now or not user.active:
        return None
    scope = orgs.org_path(session, user.org_code)
    if scope is None:
        return None
    return Caller(username=user.username, display_name=user.display_name, role=Role(user.role),
                  org_code=user.org_code, scope_path=scope, client_id=token_row.client_id)
