"""Initial schema: rows, feed, feed head, server meta, users, sessions, clients, audit.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-29
"""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from console.server.tables import UTCDateTime

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

JSONData = sa.JSON().with_variant(JSONB(), "postgresql")
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "rows",
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("org_path", sa.String(512), nullable=False),
        sa.Column("data", JSONData, nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    # text_pattern_ops lets PostgreSQL use the index for prefix (LIKE 'x%') scope queries
    # whatever the database collation.
    op.create_index("ix_rows_org_path", "rows", ["org_path"],
                    postgresql_ops={"org_path": "text_pattern_ops"})
    op.create_table(
        "feed",
        sa.Column("seq", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("org_path", sa.String(512), nullable=False),
        sa.Column("data", JSONData, nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    feed_head = op.create_table(
        "feed_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
    )
    server_meta = op.create_table(
        "server_meta",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("epoch", sa.String(36), nullable=False),
        sa.Column("feed_floor", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("display_name", sa.String(128), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("org_code", sa.String(32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(64), sa.ForeignKey("users.username", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_sessions_username", "sessions", ["username"])
    op.create_table(
        "clients",
        sa.Column("client_id", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(64), sa.ForeignKey("users.username", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "client_results",
        sa.Column("client_id", sa.String(64), sa.ForeignKey("clients.client_id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("client_seq", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("result", JSONData, nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("record_kind", sa.String(32), nullable=True),
        sa.Column("record_id", sa.String(64), nullable=True),
        sa.Column("org_path", sa.String(512), nullable=True),
        sa.Column("before", JSONData, nullable=True),
        sa.Column("after", JSONData, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_index("ix_audit_record", "audit", ["record_kind", "record_id"])
    op.create_index("ix_audit_org_path", "audit", ["org_path"],
                    postgresql_ops={"org_path": "text_pattern_ops"})
    op.bulk_insert(feed_head, [{"id": 1, "seq": 0}])
    # A new database gets a new epoch: consoles synced against another one must re-snapshot.
    op.bulk_insert(server_meta, [{"id": 1, "epoch": uuid.uuid4().hex, "feed_floor": 0}])


def downgrade() -> None:
    for index, table in (("ix_audit_org_path", "audit"), ("ix_audit_record", "audit"),
                         ("ix_sessions_username", "sessions"), ("ix_rows_org_path", "rows")):
        op.drop_index(index, table_name=table)
    for table in ("audit", "client_results", "clients", "sessions", "users", "server_meta",
                  "feed_head", "feed", "rows"):
        op.drop_table(table)
