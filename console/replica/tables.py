"""The replica's SQLite tables (SQLAlchemy Core)."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, MetaData, PrimaryKeyConstraint, Table, Text

metadata = MetaData()

# Rows exactly as the server last sent them; deleted rows stay as tombstones so that versions
# never go backwards. `gen` marks the snapshot that last saw a row (a re-snapshot sweeps the rest).
server_rows = Table(
    "server_rows", metadata,
    Column("kind", Text, nullable=False),
    Column("id", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("org_path", Text, nullable=False),
    Column("data", Text, nullable=False),
    Column("deleted", Integer, nullable=False, default=0),
    Column("gen", Integer, nullable=False, default=0),
    PrimaryKeyConstraint("kind", "id"),
)

# The materialised view for rows with own unacknowledged mutations: the server row with them
# replayed. Rows without any are read straight from server_rows, which keeps bulk sync cheap.
overlay = Table(
    "overlay", metadata,
    Column("kind", Text, nullable=False),
    Column("id", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("org_path", Text, nullable=False),
    Column("data", Text, nullable=True),
    Column("present", Integer, nullable=False),  # 0: the replay leaves no row (hide it)
    PrimaryKeyConstraint("kind", "id"),
)

outbox = Table(
    "outbox", metadata,
    Column("client_seq", Integer, primary_key=True, autoincrement=False),
    Column("kind", Text, nullable=False),
    Column("record_kind", Text, nullable=False),
    Column("record_id", Text, nullable=False),
    Column("base_version", Integer, nullable=True),
    Column("payload", Text, nullable=False),
    Column("made_at", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("actor_org", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
    Column("error_code", Text, nullable=True),
    Column("chained_to", Integer, nullable=True),
    Column("version", Integer, nullable=True),
    Column("seq", Integer, nullable=True),
    Index("ix_outbox_record", "record_kind", "record_id"),
    Index("ix_outbox_status", "status"),
    Index("ix_outbox_chained", "chained_to"),
)

conflicts = Table(
    "conflicts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_seq", Integer, nullable=False),
    Column("kind", Text, nullable=False),
    Column("record_kind", Text, nullable=False),
    Column("record_id", Text, nullable=False),
    Column("mine_payload", Text, nullable=False),
    Column("mine_data", Text, nullable=True),
    Column("theirs", Text, nullable=True),
    Column("made_at", Text, nullable=False),
    Column("raised_at", Text, nullable=False),
)

meta = Table(
    "meta", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)
