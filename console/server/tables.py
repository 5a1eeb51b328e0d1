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
    expires_at: Mapped[datetime]


class Client(Base):
    """A console installation, bound to one user, and the last client_seq applied for it."""

    __tablename__ = "clients"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), ForeignKey("users.username", ondelete="CASCADE"))
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)


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
