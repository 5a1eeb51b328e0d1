"""The change feed: gap-free sequence numbers, row writes, and reading changes in a scope.

Every writer takes its feed numbers with `UPDATE feed_head ... RETURNING` inside its own
transaction. That row lock is held until commit, so a second writer cannot take a number until
the first has committed: feed entries become visible strictly in seq order, and any reader that
sees entry N also sees every entry below N. Readers take the head first and read only up to it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from console.domain.records import RecordKind
from console.protocol.schema import Row
from console.server.scope import visible_clause
from console.server.tables import FeedEntry, FeedHead, RowRecord, ServerMeta

HEAD_ID = 1


def reserve(session: Session, count: int = 1) -> int:
    """Lock the feed head and take `count` numbers; returns the first one. Call it as the last
    lock of a transaction (after any row locks) so writers never wait on each other in a cycle."""
    last = session.execute(
        update(FeedHead).where(FeedHead.id == HEAD_ID).values(seq=FeedHead.seq + count)
        .returning(FeedHead.seq)
    ).scalar_one()
    session.info["feed_written"] = True
    return int(last) - count + 1


def head(session: Session) -> int:
    return int(session.execute(select(FeedHead.seq).where(FeedHead.id == HEAD_ID)).scalar_one())


def meta(session: Session) -> ServerMeta:
    found = session.get(ServerMeta, 1)
    if found is None:
        raise RuntimeError("server_meta is missing: the database was not initialised by sitroom")
    return found


@dataclass(frozen=True)
class RowWrite:
    kind: str
    id: str
    version: int
    org_path: str
    data: dict[str, Any]
    deleted: bool = False


def write_rows(session: Session, writes: Sequence[RowWrite], at: datetime, *, new: bool,
               first_seq: int | None = None, chunk: int = 1000) -> int:
    """Store rows and their feed entries; returns the first seq used. `new` rows are inserted
    (executemany in chunks), others updated one by one. The caller holds no feed numbers yet
    unless it passes `first_seq` from `reserve`."""
    if not writes:
        return first_seq or 0
    first = reserve(session, len(writes)) if first_seq is None else first_seq
    for start in range(0, len(writes), chunk):
        part = writes[start:start + chunk]
        values = [{"kind": w.kind, "id": w.id, "version": w.version, "org_path": w.org_path,
                   "data": w.data, "deleted": w.deleted} for w in part]
        if new:
            _insert_many(session, RowRecord.__table__, [dict(v, updated_at=at) for v in values])
        else:
            for v in values:
                session.execute(
                    update(RowRecord).where(RowRecord.kind == v["kind"], RowRecord.id == v["id"])
                    .values(version=v["version"], org_path=v["org_path"], data=v["data"],
                            deleted=v["deleted"], updated_at=at)
                    .execution_options(synchronize_session=False)
                )
        _insert_many(session, FeedEntry.__table__,
                     [dict(v, seq=first + start + i, at=at) for i, v in enumerate(values)])
    return first


def _insert_many(session: Session, table: Any, values: list[dict[str, Any]]) -> None:
    """Core executemany inserts (the ORM's bulk path costs several times more); COPY on
    PostgreSQL, where psycopg's executemany pays a round trip per row."""
    dialect = session.get_bind().dialect.name
    if len(values) > 50 and dialect == "postgresql":
        _copy_rows(session, table, values)
    elif len(values) > 50 and dialect == "sqlite":
        _sqlite_executemany(session, table, values)
    else:
        session.execute(insert(table), values)


def _sqlite_executemany(session: Session, table: Any, values: list[dict[str, Any]]) -> None:
    # The driver's executemany without SQLAlchemy's per-row type processing; values are
    # encoded as SQLAlchemy stores them (JSON text, naive UTC 'YYYY-MM-DD HH:MM:SS.ffffff').
    columns = list(values[0])
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)

    def encode(column: str, value: Any) -> Any:
        if column == "data":
            return json.dumps(value)
        if column in ("at", "updated_at"):
            return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return value

    dbapi = session.connection().connection.driver_connection
    assert dbapi is not None
    dbapi.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})',
                      [tuple(encode(c, v[c]) for c in columns) for v in values])


def _copy_rows(session: Session, table: Any, values: list[dict[str, Any]]) -> None:
    from psycopg.types.json import Jsonb

    columns = list(values[0])
    json_columns = {c for c in columns if c == "data"}
    time_columns = {c for c in columns if c in ("at", "updated_at")}
    dbapi = session.connection().connection.driver_connection
    assert dbapi is not None
    names = ", ".join(f'"{c}"' for c in columns)
    with dbapi.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for v in values:
            copy.write_row([
                Jsonb(v[c]) if c in json_columns
                # timestamps are stored as naive UTC (see tables.UTCDateTime)
                else v[c].astimezone(UTC).replace(tzinfo=None) if c in time_columns
                else v[c]
                for c in columns])


def as_row(record: RowRecord | FeedEntry) -> Row:
    return Row(kind=RecordKind(record.kind), id=record.id, version=record.version, org_path=record.org_path,
               data=dict(record.data), deleted=record.deleted)


@dataclass(frozen=True)
class ChangesRead:
    head: int
    entries: list[FeedEntry]
    more: bool

    @property
    def cursor(self) -> int:
        # With a full page, continue after its last entry; otherwise everything up to the head
        # (in scope or not) has been seen.
        return self.entries[-1].seq if self.more else self.head


def read_changes(session: Session, since: int, scope_path: str, limit: int) -> ChangesRead:
    top = head(session)
    entries = list(session.scalars(
        select(FeedEntry)
        .where(FeedEntry.seq > since, FeedEntry.seq <= top,
               visible_clause(FeedEntry.org_path, FeedEntry.kind, scope_path))
        .order_by(FeedEntry.seq).limit(limit + 1)
    ).all())
    more = len(entries) > limit
    return ChangesRead(head=top, entries=entries[:limit], more=more)


def prune(session: Session, below: int) -> int:
    """Drop feed entries below seq `below` and raise the floor; consoles with an older cursor
    get 410 and re-snapshot. Returns the number of entries dropped."""
    info = meta(session)
    below = min(below, head(session) + 1)
    if below <= info.feed_floor:
        return 0
    dropped = session.execute(
        FeedEntry.__table__.delete().where(FeedEntry.seq < below)  # type: ignore[attr-defined]
    ).rowcount
    info.feed_floor = below - 1
    return int(dropped or 0)


def count_rows(session: Session, scope_path: str) -> int:
    return int(session.execute(
        select(func.count()).select_from(RowRecord).where(
            RowRecord.deleted.is_(False),
            visible_clause(RowRecord.org_path, RowRecord.kind, scope_path))
    ).scalar_one())
