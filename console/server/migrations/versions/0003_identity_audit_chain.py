"""Identity and a tamper-evident audit: the audit log becomes a hash chain (entries written before
are chained here, in id order), with its head row and the OS account of admin entries; sessions
get an idle clock, revocation and the address they came from; consoles record where they were
registered from; failed logins are counted per user name and address (login_throttle).

Revision ID: 0003_identity_audit_chain
Revises: 0002_feed_origin
Create Date: 2026-12-02
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from console.server.audit_chain import ENTRY_COLUMNS, GENESIS, chain_rows
from console.server.tables import UTCDateTime

revision = "0003_identity_audit_chain"
down_revision = "0002_feed_origin"
branch_labels = None
depends_on = None

JSONData = sa.JSON().with_variant(JSONB(), "postgresql")
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
CHUNK = 2000


def upgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.add_column(sa.Column("os_user", sa.String(64), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("entry_hash", sa.String(64), nullable=True))
    last_id, last_hash = _chain_existing_entries()
    with op.batch_alter_table("audit") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(64), nullable=False)
        batch.alter_column("entry_hash", existing_type=sa.String(64), nullable=False)
    audit_head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(audit_head, [{"id": 1, "last_id": last_id, "last_hash": last_hash}])

    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("last_seen_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("idle_seconds", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("revoked_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("revoked_reason", sa.String(128), nullable=True))
        batch.add_column(sa.Column("address", sa.String(64), nullable=True))
    # Sessions begun before: idle since their login, with the default idle timeout (2 h).
    op.execute("UPDATE sessions SET last_seen_at = created_at, idle_seconds = 7200")
    with op.batch_alter_table("sessions") as batch:
        batch.alter_column("last_seen_at", existing_type=UTCDateTime(), nullable=False)
        batch.alter_column("idle_seconds", existing_type=sa.Integer(), nullable=False)

    with op.batch_alter_table("clients") as batch:
        batch.add_column(sa.Column("registered_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("registered_from", sa.String(64), nullable=True))

    op.create_table(
        "login_throttle",
        sa.Column("key_kind", sa.String(16), primary_key=True),
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", UTCDateTime(), nullable=False),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_login_throttle_expires_at", "login_throttle", ["expires_at"])


def _chain_existing_entries() -> tuple[int, str]:
    """Chain the entries already written, in id order; returns the last id and hash."""
    bind = op.get_bind()
    audit = sa.table(
        "audit", sa.column("id", BigId), sa.column("at", UTCDateTime()),
        sa.column("username", sa.String()), sa.column("os_user", sa.String()),
        sa.column("client_id", sa.String()), sa.column("action", sa.String()),
        sa.column("record_kind", sa.String()), sa.column("record_id", sa.String()),
        sa.column("org_path", sa.String()), sa.column("before", JSONData),
        sa.column("after", JSONData), sa.column("note", sa.Text()),
        sa.column("prev_hash", sa.String()), sa.column("entry_hash", sa.String()))
    set_hashes = (sa.update(audit).where(audit.c.id == sa.bindparam("b_id"))
                  .values(prev_hash=sa.bindparam("b_prev"), entry_hash=sa.bindparam("b_hash")))
    last_id, last_hash = 0, GENESIS
    while True:
        found = bind.execute(sa.select(*(audit.c[c] for c in ENTRY_COLUMNS))
                             .where(audit.c.id > last_id).order_by(audit.c.id).limit(CHUNK)).all()
        if not found:
            return last_id, last_hash
        entries: list[dict[str, Any]] = [dict(r._mapping) for r in found]
        last_hash = chain_rows(entries, last_hash)
        bind.execute(set_hashes, [{"b_id": e["id"], "b_prev": e["prev_hash"], "b_hash": e["entry_hash"]}
                                  for e in entries])
        last_id = int(entries[-1]["id"])


def downgrade() -> None:
    op.drop_index("ix_login_throttle_expires_at", table_name="login_throttle")
    op.drop_table("login_throttle")
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("registered_from")
        batch.drop_column("registered_at")
    with op.batch_alter_table("sessions") as batch:
        for column in ("address", "revoked_reason", "revoked_at", "idle_seconds", "last_seen_at"):
            batch.drop_column(column)
    op.drop_table("audit_head")
    with op.batch_alter_table("audit") as batch:
        for column in ("entry_hash", "prev_hash", "os_user"):
            batch.drop_column(column)
