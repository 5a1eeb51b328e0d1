"""The change feed: gap-free sequence numbers, row writes, and reading changes in a scope.

Every writer locks the `feed_head` row inside its own transaction before it takes feed numbers
(`UPDATE feed_head ... RETURNING`, or `FeedBatch`, which locks it once and numbers a whole batch).
That row lock is held until commit, so a second writer cannot take a number until the first has
committed: feed entries become visible strictly in seq order, and any reader that sees entry N
also sees every entry below N. Readers take the head first and read only up to it.

Lock order: the feed head first, then the rows a writer changes (a writer that locked a row and
then waited for the head could deadlock with a batch that holds the head and wants that row).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property
from json.encoder import encode_basestring, encode_basestring_ascii
from operator import itemgetter
from typing import Any, Protocol

from sqlalchemy import Table, Text, bindparam, cast, func, insert, select, update
from sqlalchemy.orm import Session

from console.domain.records import RecordKind
from console.protocol.schema import Row
from console.server import audit_chain
from console.server.scope import visible_clause
from console.server.tables import FeedEntry, FeedHead, RowRecord, ServerMeta, dumps_json

HEAD_ID = 1


def lock(session: Session) -> int:
    """Lock the feed head until commit (before locking any row); returns the head."""
    return int(session.execute(
        select(FeedHead.seq).where(FeedHead.id == HEAD_ID).with_for_update()
    ).scalar_one())


def reserve(session: Session, count: int = 1) -> int:
    """Lock the feed head and take `count` numbers; returns the first one. Rows inserted after
    it (bulk inserts) are locked after the head, as the lock order wants."""
    if session.info.get(_OPEN_BATCH):
        raise RuntimeError("a FeedBatch is numbering this transaction: flush it first")
    last = session.execute(
        update(FeedHead).where(FeedHead.id == HEAD_ID).values(seq=FeedHead.seq + count)
        .returning(FeedHead.seq)
    ).scalar_one()
    session.info["feed_written"] = True
    session.info["feed_changes"] = None  # numbers for rows written elsewhere: any scope may see them
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
    """A row's state: one to write, or, in a FeedBatch, one read from the database (locked) or
    written by the batch."""

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
            insert_many(session, RowRecord.__table__, [dict(v, updated_at=at) for v in values])
        else:
            for w in part:
                store_row(session, w, at, new=False)
        insert_many(session, FeedEntry.__table__,
                    [dict(v, seq=first + start + i, at=at) for i, v in enumerate(values)])
    return first


_ROWS: Table = RowRecord.__table__  # type: ignore[assignment]  # declared as FromClause
# Prepared once: built per call, a statement with inline values costs more than the database.
_INSERT_ROW = insert(_ROWS)
_UPDATE_ROW = (update(_ROWS)
               .where(_ROWS.c.kind == bindparam("w_kind"), _ROWS.c.id == bindparam("w_id"))
               .values({c: bindparam(c) for c in ("version", "org_path", "data", "deleted",
                                                   "updated_at")}))


def store_row(session: Session, write: RowWrite, at: datetime, *, new: bool) -> None:
    """Insert or update one row (no feed entry: see write_rows and FeedBatch)."""
    values = {"version": write.version, "org_path": write.org_path, "data": write.data,
              "deleted": write.deleted, "updated_at": at}
    connection = session.connection()
    if new:
        connection.execute(_INSERT_ROW, {"kind": write.kind, "id": write.id, **values})
    else:
        connection.execute(_UPDATE_ROW, {"w_kind": write.kind, "w_id": write.id, **values})


_OPEN_BATCH = "sitroom_feed_batch_open"

RowKey = tuple[str, str]  # (kind, id)


_ROW_COLUMNS = (_ROWS.c.kind, _ROWS.c.id, _ROWS.c.version, _ROWS.c.org_path, _ROWS.c.data,
                _ROWS.c.deleted)
_LOCK_ROWS = (select(*_ROW_COLUMNS)
              .where(_ROWS.c.kind == bindparam("kind"), _ROWS.c.id.in_(bindparam("ids", expanding=True)))
              .with_for_update())


class FeedBatch:
    """Many row changes of one write transaction, stored together by `flush()`: the rows, their
    feed entries and audit records, one executemany (or COPY) each instead of statements per
    change, and the feed head moved once.

    Creating it locks the feed head (`lock`, so before any row lock) until commit. The rows a
    change needs are read, locked, through the batch (`prefetch`, `current`), which then keeps
    them with the batch's own changes on top, so later changes see earlier ones before they are
    stored. `add` numbers a change at once (its seq is known before commit). Nothing is written
    until `flush`, which must run before the transaction commits."""

    def __init__(self, session: Session) -> None:
        if session.info.get(_OPEN_BATCH):
            raise RuntimeError("this transaction already has an open FeedBatch")
        self.session = session
        self.head = lock(session)
        self._rows: dict[RowKey, RowWrite | None] = {}  # read (None: no such row) or written
        self._in_table: set[RowKey] = set()  # rows that exist in the table (deleted or not)
        self._written: dict[RowKey, datetime] = {}  # rows to store, and when they changed
        self._audited: set[RowKey] = set()  # flushed rows whose audit entries wait for commit
        self._feed: list[dict[str, Any]] = []
        self._audit: list[dict[str, Any]] = []
        session.info[_OPEN_BATCH] = True

    def __len__(self) -> int:
        return len(self._feed)

    def prefetch(self, keys: Iterable[RowKey]) -> None:
        """Read and lock these rows with a few statements (rather than one each, later)."""
        by_kind: dict[str, list[str]] = {}
        for kind, rid in keys:
            if (kind, rid) not in self._rows:
                by_kind.setdefault(kind, []).append(rid)
        connection = self.session.connection()
        for kind, ids in by_kind.items():
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                for key in zip([kind] * len(chunk), chunk, strict=True):
                    self._rows[key] = None
                for found in connection.execute(_LOCK_ROWS, {"kind": kind, "ids": chunk}):
                    self._keep(RowWrite(*found))

    def current(self, kind: str, rid: str) -> RowWrite | None:
        """The row as it stands in this transaction (deleted ones too), locked; None if none."""
        key = (kind, rid)
        if key not in self._rows:
            self.prefetch([key])
        row = self._rows[key]
        if row is not None and (key in self._written or key in self._audited):
            # Changed earlier in this batch: that change's data waits (in the feed and audit
            # entries; audit entries until commit) to be stored, so the next change must not
            # reach into it.
            row = replace(row, data=copy.deepcopy(row.data))
        return row

    def _keep(self, row: RowWrite) -> None:
        key = (row.kind, row.id)
        self._rows[key] = row
        self._in_table.add(key)

    def add(self, write: RowWrite, at: datetime, audit: dict[str, Any],
            origin: tuple[str, int] | None = None) -> int:
        """A row change: its new state and feed entry are stored at `flush`, and `audit` (the
        columns of an AuditRecord) at commit, chained (console.server.audit_chain). `origin`
        is the console mutation that made it (client id, client_seq). Returns its seq."""
        key = (write.kind, write.id)
        self._rows[key] = write
        self._written[key] = at
        seq = self.head + len(self._feed) + 1
        self._feed.append({"seq": seq, "kind": write.kind, "id": write.id, "version": write.version,
                           "org_path": write.org_path, "data": write.data,
                           "deleted": write.deleted, "at": at,
                           "origin_client": origin[0] if origin else None,
                           "origin_seq": origin[1] if origin else None})
        self._audit.append(audit)
        return seq

    def flush(self) -> int:
        """Store the changed rows and feed entries, queue the audit records and move the head;
        returns the new head. The batch stays usable (for more changes and another flush)."""
        session = self.session
        if not self._feed:
            return self.head
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for key, at in self._written.items():
            row = self._rows[key]
            assert row is not None
            values = {"kind": row.kind, "id": row.id, "version": row.version,
                      "org_path": row.org_path, "data": row.data, "deleted": row.deleted,
                      "updated_at": at}
            (updates if key in self._in_table else inserts).append(values)
        # The objects stay referenced until the end, so their ids are unique meanwhile.
        encoded: dict[int, Any] = {}
        insert_many(session, _ROWS, inserts, encoded)
        _update_rows(session, updates, encoded)
        insert_many(session, FeedEntry.__table__, self._feed, encoded)
        audit_chain.append(session, self._audit)  # chained and written at commit
        self.head = int(self._feed[-1]["seq"])
        session.execute(update(FeedHead).where(FeedHead.id == HEAD_ID).values(seq=self.head))
        # What the commit wakes (console.server.notifier); None: numbers were reserved for rows
        # written elsewhere, which any scope may see.
        changes = session.info.get("feed_changes", set())
        if changes is not None:
            session.info["feed_changes"] = changes | {(str(e["kind"]), str(e["org_path"]))
                                                      for e in self._feed}
        session.info["feed_written"] = True
        self._in_table.update(self._written)
        self._audited.update(self._written)
        self._written, self._feed, self._audit = {}, [], []
        return self.head

    def close(self) -> int:
        """Flush, and let later statements of the transaction take numbers with `reserve`."""
        head = self.flush()
        self.session.info.pop(_OPEN_BATCH, None)
        return head

    def discard(self) -> None:
        """Forget everything not flushed (the transaction is being rolled back)."""
        self._written, self._feed, self._audit = {}, [], []
        self.session.info.pop(_OPEN_BATCH, None)


# Columns stored as JSON and as UTC timestamps, for the driver-level bulk writes below.
_JSON_COLUMNS = frozenset({"data", "before", "after", "result"})
_TIME_COLUMNS = frozenset({"at", "updated_at", "created_at", "expires_at"})


def insert_many(session: Session, table: Any, values: list[dict[str, Any]],
                encoded: dict[int, Any] | None = None) -> None:
    """Core executemany inserts (the ORM's bulk path costs several times more); the driver's
    executemany on SQLite, COPY on PostgreSQL (where psycopg's executemany pays a round trip
    per row). All rows must have the same keys."""
    if not values:
        return
    dialect = session.get_bind().dialect.name
    if len(values) > 50 and dialect == "postgresql":
        _copy_rows(session, table, values)
    elif len(values) > 1 and dialect == "sqlite":
        columns = list(values[0])
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        _sqlite_executemany(session, f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})',
                            columns, values, encoded)
    else:
        session.execute(insert(table), values)


_ROW_STATE = ["version", "org_path", "data", "deleted", "updated_at"]


def _update_rows(session: Session, values: list[dict[str, Any]],
                 encoded: dict[int, Any] | None = None) -> None:
    if not values:
        return
    if session.get_bind().dialect.name == "sqlite":
        sets = ", ".join(f'"{c}" = ?' for c in _ROW_STATE)
        _sqlite_executemany(session, f'UPDATE "rows" SET {sets} WHERE "kind" = ? AND "id" = ?',
                            [*_ROW_STATE, "kind", "id"], values, encoded)
    else:
        session.connection().execute(
            _UPDATE_ROW, [{"w_kind": v["kind"], "w_id": v["id"], **{c: v[c] for c in _ROW_STATE}}
                          for v in values])


def _sqlite_executemany(session: Session, sql: str, columns: list[str],
                        values: list[dict[str, Any]], encoded: dict[int, Any] | None = None) -> None:
    # The driver's executemany without SQLAlchemy's per-row type processing; values are
    # encoded as SQLAlchemy stores them (JSON text, naive UTC 'YYYY-MM-DD HH:MM:SS.ffffff').
    # A JSON None becomes SQL NULL (read back as None, like the JSON null the ORM would store).
    # `encoded` (id of a value -> its encoding) lets a batch encode each object once, though it
    # goes into several tables (a change's data is in rows, feed and audit).
    memo: dict[int, Any] = {} if encoded is None else encoded
    dumps = dumps_json

    def encode_json(value: Any) -> Any:
        if value is None:
            return None
        key = id(value)
        text = memo.get(key)
        if text is None:
            text = memo[key] = dumps(value)
        return text

    def encode_time(value: datetime | None) -> Any:
        if value is None:
            return None
        key = id(value)
        text = memo.get(key)
        if text is None:
            text = memo[key] = value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return text

    get = itemgetter(*columns) if len(columns) > 1 else (lambda v: (v[columns[0]],))
    encoded_columns = [(i, encode_json if c in _JSON_COLUMNS else encode_time)
                       for i, c in enumerate(columns) if c in _JSON_COLUMNS or c in _TIME_COLUMNS]
    rows: list[Any] = []
    for v in values:
        row = list(get(v))
        for i, encode in encoded_columns:
            row[i] = encode(row[i])
        rows.append(row)
    dbapi = session.connection().connection.driver_connection
    assert dbapi is not None
    dbapi.executemany(sql, rows)


def _copy_rows(session: Session, table: Any, values: list[dict[str, Any]]) -> None:
    from psycopg.types.json import Jsonb

    columns = list(values[0])
    dbapi = session.connection().connection.driver_connection
    assert dbapi is not None
    names = ", ".join(f'"{c}"' for c in columns)
    with dbapi.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for v in values:
            copy.write_row([
                None if v[c] is None
                else Jsonb(v[c]) if c in _JSON_COLUMNS
                # timestamps are stored as naive UTC (see tables.UTCDateTime)
                else v[c].astimezone(UTC).replace(tzinfo=None) if c in _TIME_COLUMNS
                else v[c]
                for c in columns])


class RowFields(Protocol):
    """What a stored row offers: a RowRecord, a FeedEntry or a selected row of their columns."""

    @property
    def kind(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def org_path(self) -> str: ...
    @property
    def data(self) -> dict[str, Any]: ...
    @property
    def deleted(self) -> bool: ...


def as_row(record: RowFields) -> Row:
    return Row(kind=RecordKind(record.kind), id=record.id, version=record.version, org_path=record.org_path,
               data=dict(record.data), deleted=record.deleted)


# -- rows as wire JSON ------------------------------------------------------------------------
# Pages of thousands of rows are written straight from the stored JSON text: parsing `data`
# and serialising it again through pydantic cost most of a snapshot's time.
def wire_columns(table: type[RowRecord] | type[FeedEntry]) -> tuple[Any, ...]:
    """The columns `row_json` takes, in its argument order (`data` as its stored JSON text)."""
    return (table.kind, table.id, table.version, table.org_path,
            cast(table.data, Text).label("data"), table.deleted)


_quote = encode_basestring_ascii
_text = encode_basestring  # the response is UTF-8: Hangul stays as it is


def row_json(kind: str, id: str, version: int, org_path: str, data: str, deleted: bool, *,
             as_text: bool = False) -> str:
    """One `Row` as JSON, as `Row.model_dump_json()` would give it (`data` is JSON text); with
    `as_text`, a `RowText` (the data as a JSON string)."""
    return (f'{{"kind":{_quote(kind)},"id":{_quote(id)},"version":{int(version)},'
            f'"org_path":{_quote(org_path)},"data":{_text(data) if as_text else data},'
            f'"deleted":{"true" if deleted else "false"}}}')


def json_text(value: str | None) -> str:
    """A string (or null) as JSON."""
    return "null" if value is None else _quote(value)


RowFieldsTuple = tuple[str, str, int, str, str, bool]  # row_json's arguments


@dataclass(frozen=True)
class ChangesRead:
    head: int
    entries: list[tuple[int, RowFieldsTuple, str | None, int | None]]  # seq, row, origin client, seq
    more: bool
    end: int = -1  # the last seq this page covers, in scope or not (-1: the head)
    filled: bool = False  # it holds as many entries as asked before reaching its end
    _rows: dict[bool, list[str]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def cursor(self) -> int:
        # A page that filled up continues after its last entry; otherwise everything up to
        # where it ends (a page boundary or the head, in scope or not) has been seen.
        if self.filled:
            return self.entries[-1][0]
        return self.head if self.end < 0 else self.end

    @cached_property
    def origins(self) -> frozenset[str]:
        return frozenset(e[2] for e in self.entries if e[2] is not None)

    def rows_json(self, as_text: bool) -> list[str]:
        """The rows as JSON, written once per form for every reader of this page."""
        found = self._rows.get(as_text)
        if found is None:
            found = self._rows[as_text] = [row_json(*e[1], as_text=as_text) for e in self.entries]
        return found

    def changes_json(self, client_id: str | None = None, as_text: bool = False) -> str:
        """The entries as the JSON list of `Change`; the changes made by `client_id`'s own
        mutations carry their `own_seq`."""
        rows = self.rows_json(as_text)
        if client_id is None or client_id not in self.origins:
            return "[" + ",".join(f'{{"seq":{e[0]},"row":{row}}}'
                                  for e, row in zip(self.entries, rows, strict=True)) + "]"
        return "[" + ",".join(
            f'{{"seq":{e[0]},"row":{row},"own_seq":{e[3]}}}' if e[2] == client_id
            else f'{{"seq":{e[0]},"row":{row}}}'
            for e, row in zip(self.entries, rows, strict=True)) + "]"


def read_changes(session: Session, since: int, scope_path: str, limit: int) -> ChangesRead:
    """The changes in the scope after `since`. A page ends at the next multiple of `limit` in
    feed order (or at the head): consoles that come back at different cursors (switched off at
    different times, cut off at different moments) meet at the first boundary, and from there
    on ask the same questions, which each server process reads and encodes once for all of
    them (console.server.longpoll). A page never holds more than `limit` entries."""
    top = head(session)
    end = min(top, (since // limit + 1) * limit)
    found = session.execute(
        select(FeedEntry.seq, FeedEntry.origin_client, FeedEntry.origin_seq, *wire_columns(FeedEntry))
        .where(FeedEntry.seq > since, FeedEntry.seq <= end,
               visible_clause(FeedEntry.org_path, FeedEntry.kind, scope_path))
        .order_by(FeedEntry.seq).limit(limit + 1)
    ).all()
    filled = len(found) > limit  # cannot happen: the page spans at most `limit` numbers
    entries = [(int(seq), (kind, rid, version, org_path, data, deleted), origin,
                None if origin_seq is None else int(origin_seq))
               for seq, origin, origin_seq, kind, rid, version, org_path, data, deleted in found[:limit]]
    return ChangesRead(head=top, entries=entries, more=filled or end < top, end=end, filled=filled)


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
    # Wake every long-poll at commit: pages kept for cursors now below the floor must not be
    # served again (console.server.longpoll); their consoles are told 410 and re-snapshot.
    session.info["feed_written"] = True
    session.info["feed_changes"] = None
    return int(dropped or 0)


def count_rows(session: Session, scope_path: str) -> int:
    return int(session.execute(
        select(func.count()).select_from(RowRecord).where(
            RowRecord.deleted.is_(False),
            visible_clause(RowRecord.org_path, RowRecord.kind, scope_path))
    ).scalar_one())
