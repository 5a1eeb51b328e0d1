"""The server's tables as typed SQLAlchemy models (the migrations create exactly these)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases: SQLite has no zones, so store naive UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; give a time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def dumps_json(value: Any) -> str:
    """JSON text as the server stores it on SQLite: compact ASCII (snapshot pages are written
    straight from it, see console.server.feed.row_json; ASCII, so no string can make it
    unencodable)."""
    return _ENCODE(value)


_ENCODE = json.JSONEncoder(separators=(",", ":")).encode  # made once: json.dumps makes one per call


# JSONB on PostgreSQL (compact, indexable), JSON text elsewhere.
JSONData = JSON().with_variant(JSONB(), "postgresql")
# SQLite only auto-increments INTEGER PRIMARY KEY, not BIGINT.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSONData, datetime: UTCDateTime}


class RowRecord(Base):
    """The current state of every synchronised row."""

    __tablename__ = "rows"
    __table_args__ = (Index("ix_rows_org_path", "org_path"),)

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    org_path: Mapped[str] = mapped_column(String(512))
    data: Mapped[dict[str, Any]]
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime]


class FeedEntry(Base):
    """The change feed: one entry per accepted change, numbered without gaps."""

    __tablename__ = "feed"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(32))
    id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    org_path: Mapped[str] = mapped_column(String(512))
    data: Mapped[dict[str, Any]]
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime]
    # The console mutation that made this change, if one did: its pull acknowledges it.
    origin_client: Mapped[str | None] = mapped_column(String(64), default=None)
    origin_seq: Mapped[int | None] = mapped_column(BigInteger, default=None)


class FeedHead(Base):
    """One row holding the last feed seq; every writer locks it, so seqs commit in order."""

    __tablename__ = "feed_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)


class ServerMeta(Base):
    """One row: the database's epoch (new when re-created) and the retained feed floor."""

    __tablename__ = "server_meta"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    epoch: Mapped[str] = mapped_column(String(36))
    feed_floor: Mapped[int] = mapped_column(BigInteger)


class User(Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(128))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(32))
    org_code: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class SessionToken(Base):
    """A login session; only the SHA-256 of the token is kept."""

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_username", "username"),)

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), ForeignKey("users.username", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    # The absolute end of the session (ServerSettings.token_ttl after login).
    expires_at: Mapped[datetime]
    # Moved on when the session is used (coarsely, see console.server.sessions); the session
    # ends after idle_seconds without use (the idle timeout in force when it began).
    last_seen_at: Mapped[datetime]
    idle_seconds: Mapped[int] = mapped_column(Integer)
    # Ended before its time (logout, password reset, deactivation, the cap): kept for the
    # listing until it would have expired, never brought back.
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_reason: Mapped[str | None] = mapped_column(String(128), default=None)
    # The network address the login came from.
    address: Mapped[str | None] = mapped_column(String(64), default=None)


class Client(Base):
    """A console installation, bound for good to the user who registered it (at login) and
    the workstation address it registered from, and the last client_seq applied for it."""

    __tablename__ = "clients"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), ForeignKey("users.username", ondelete="CASCADE"))
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    registered_at: Mapped[datetime | None] = mapped_column(default=None)
    registered_from: Mapped[str | None] = mapped_column(String(64), default=None)


class ClientResult(Base):
    """The stored result of each client mutation, returned again on a retried push."""

    __tablename__ = "client_results"

    client_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("clients.client_id", ondelete="CASCADE"), primary_key=True
    )
    client_seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    result: Mapped[dict[str, Any]]


class AuditRecord(Base):
    """Who changed what, when, from which console: before and after of every change."""

    __tablename__ = "audit"
    __table_args__ = (
        Index("ix_audit_record", "record_kind", "record_id"),
        Index("ix_audit_org_path", "org_path"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    username: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    record_kind: Mapped[str | None] = mapped_column(String(32))
    record_id: Mapped[str | None] = mapped_column(String(64))
    org_path: Mapped[str | None] = mapped_column(String(512))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONData)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONData)
    note: Mapped[str | None] = mapped_column(Text)
    # The operating-system account that ran `sitroom admin` for this entry (None: the server).
    os_user: Mapped[str | None] = mapped_column(String(64), default=None)
    # The hash chain (console.server.audit_chain): the previous entry's hash, and this entry's
    # (over the previous hash and the entry's canonical form). Written at commit, never by hand.
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """One row: the last audit entry's id and hash. Every audit writer locks it at commit, so
    entries are numbered and chained in one order (console.server.audit_chain)."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))


class LoginThrottle(Base):
    """Recent failed logins of one user name or one network address, and its lockout
    (console.server.throttle). In the database, so every server process sees the same."""

    __tablename__ = "login_throttle"
    __table_args__ = (Index("ix_login_throttle_expires_at", "expires_at"),)

    key_kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # "user" or "address"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[datetime]
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    # When the row means nothing any more (window and lockout over): dropped after that.
    expires_at: Mapped[datetime]
