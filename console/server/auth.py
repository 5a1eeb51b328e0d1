"""Passwords (argon2) and their policy, and the calling user of a session (console.server.sessions)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from console.domain.roles import Role
from console.server import orgs, sessions
from console.server.apply import Actor
from console.server.common_passwords import COMMON_PASSWORDS
from console.server.sessions import token_digest as token_digest  # re-exported
from console.server.tables import User

DEFAULT_TOKEN_TTL = timedelta(hours=12)
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256  # what /login accepts


def password_policy_text() -> str:
    """The password policy in one sentence, for the prompt that asks for a new password."""
    return (f"A password needs at least {MIN_PASSWORD_LENGTH} characters (a phrase of a few words "
            "is easiest to remember); common passwords such as 'password123' or 'qwer1234!' and "
            "the user name are refused.")


# Decoration a person adds around a common password: 'Password123!', '!!qwerty2024'.
_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def check_password(password: str, username: str | None = None) -> str | None:
    """Why this password is refused (a sentence for the person choosing it), or None if it
    follows the policy (password_policy_text)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"a password has at most {MAX_PASSWORD_LENGTH} characters"
    folded = password.casefold()
    core = _DECORATION.sub("", folded)
    if len(set(folded)) == 1:
        return "a password of one character repeated is too easy to guess"
    if username and username.casefold() in (folded, core):
        return "a password must not be the user name"
    if not core:
        return ("a password of digits and symbols only is guessed quickly: put words in it "
                "(a phrase of a few words is easiest to remember)")
    if folded in COMMON_PASSWORDS or core in COMMON_PASSWORDS:
        return ("this password is one of the most common ones, which are guessed first: "
                "choose another (a phrase of a few words is easiest to remember)")
    return None

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


@dataclass(frozen=True)
class Caller:
    """The authenticated user of a request."""

    username: str
    display_name: str
    role: Role
    org_code: str
    scope_path: str
    client_id: str
    # The SHA-256 of the session's token, and whether its idle clock should be moved on.
    session_digest: str = ""
    session_stale: bool = False

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
                   now: datetime | None = None, *, policy: sessions.SessionPolicy | None = None,
                   address: str | None = None) -> tuple[str, datetime]:
    """A new session of `username` on console `client_id` ending after `ttl` at the latest:
    (token, end). See console.server.sessions.create."""
    return sessions.create(session, username, client_id, lifetime=ttl, policy=policy, now=now,
                           address=address)


def resolve_token(session: Session, token: str, now: datetime | None = None) -> Caller | None:
    """The caller of a bearer token, or None if it is unknown, ended (expired, idle too long,
    revoked) or its user is inactive."""
    found = sessions.resolve(session, token, now)
    if found is None:
        return None
    user = found.user
    scope = orgs.org_path(session, user.org_code)
    if scope is None:
        return None
    return Caller(username=user.username, display_name=user.display_name, role=Role(user.role),
                  org_code=user.org_code, scope_path=scope, client_id=found.token.client_id,
                  session_digest=found.token.token_sha256, session_stale=found.stale)
