"""Feed entries name the console mutation that made them (client id and client_seq), so a
console's pull acknowledges its own mutations even when their push answer was lost.

Revision ID: 0002_feed_origin
Revises: 0001_initial
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_feed_origin"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feed") as batch:
        batch.add_column(sa.Column("origin_client", sa.String(64), nullable=True))
        batch.add_column(sa.Column("origin_seq", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feed") as batch:
        batch.drop_column("origin_seq")
        batch.drop_column("origin_client")
