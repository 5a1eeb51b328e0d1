"""The Replica: a user profile's SQLite store of server rows, own pending mutations and meta."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import Connection, create_engine, event
from sqlalchemy.pool import QueuePool

from console.domain.clock import iso, now_utc, parse_time
from console.domain.errors import DomainError, Forbidden, InvalidValue, NotFound
from console.domain.mutations import MutationContext, apply_mutation, spec_for
from console.domain.records import RecordKind, owner_code
from console.domain.roles import Role, may
from console.listeners import Listeners
from console.private_files import create_private_file
from console.protocol.schema import Change, MutationIn, MutationResult, MutationStatus, Row, RowText, UserInfo
from console.replica.tables import metadata
from console.replica.types import (
    Actor,
    Conflict,
    OutboxEntry,
    OutboxStatus,
    ResultSummary,
    RowsChanged,
    ViewRow,
)

log = logging.getLogger("sitroom.replica")

Key = tuple[str, str]  # (record kind, id)

_DUMPS = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode

_UPSERT_ROW = (
    "INSERT INTO server_rows (kind, id, version, org_path, data, deleted, gen) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (kind, id) DO UPDATE SET gen = excluded.gen, "
    "org_path = CASE WHEN excluded.version >= version THEN excluded.org_path ELSE org_path END, "
    "data = CASE WHEN excluded.version >= version THEN excluded.data ELSE data END, "
    "deleted = CASE WHEN excluded.version >= version THEN excluded.deleted ELSE deleted END, "
    "version = max(version, excluded.version)"
)
_OUTBOX_COLUMNS = ("client_seq, kind, record_kind, record_id, base_version, payload, made_at, status, "
                   "attempts, last_error, error_code, actor, actor_org, chained_to, version, seq")
_LIVE = ("pending", "applied")  # statuses replayed on top of the server row


def _entry(r: Sequence[Any]) -> OutboxEntry:
    return OutboxEntry(
        client_seq=r[0], kind=r[1], record_kind=RecordKind(r[2]), record_id=r[3],
        base_version=r[4], payload=json.loads(r[5]), made_at=r[6], status=OutboxStatus(r[7]),
        attempts=r[8], last_error=r[9], error_code=r[10], actor=r[11], actor_org=r[12],
        chained_to=r[13], version=r[14], seq=r[15],
    )


# How long the rows of a kind are shared with the reads that follow (see Replica.rows): the panels'
# reads after one change announcement; memory is given back soon after.
ROWS_CACHE_S = 5.0


class Replica:
    """One SQLite file per user profile; thread-safe (writes are serialised, reads run beside)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        create_private_file(self.path, "the console replica", log)
        self.clock: Callable[[], datetime] = now_utc
        self._lock = threading.RLock()
        self._listeners: Listeners[RowsChanged] = Listeners()
        # The rows of a kind as last read, shared by the reads that follow until a write touches
        # the kind (see `rows`): (generation read under, when, rows).
        self._rows_lock = threading.Lock()
        self._generation = 0  # every write's announcement
        self._kind_generation: dict[RecordKind, int] = {}
        self._rows_cache: dict[RecordKind, tuple[tuple[int, int], float, tuple[ViewRow, ...]]] = {}
        self._engine = create_engine(
            f"sqlite:///{self.path}",
            poolclass=QueuePool, pool_size=4, max_overflow=8,
            connect_args={"check_same_thread": False, "timeout": 30},
        )
        event.listen(self._engine, "connect", self._on_connect)
        event.listen(self._engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
        with self._lock:
            metadata.create_all(self._engine)
            with self._engine.begin() as c:
                if self._meta(c, "client_id") is None:
                    self._set_meta(c, "client_id", uuid.uuid4().hex)
                    self._set_meta(c, "next_seq", 1)
                    self._set_meta(c, "gen", 0)

    @staticmethod
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (pysqlite's implicit transactions are unreliable).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        # FULL: a committed local write (and its outbox entry) survives a power cut.
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    def close(self) -> None:
        self._engine.dispose()

    # ------------------------------------------------------------------ listeners
    def subscribe(self, listener: Callable[[RowsChanged], None]) -> Callable[[], None]:
        return self._listeners.subscribe(listener)

    def _notify(self, keys: Iterable[Key], outbox_changed: bool = False) -> None:
        """Called after a write has committed: the rows cache forgets what it touched, then the
        listeners hear of it."""
        changes: dict[RecordKind, set[str]] = {}
        for kind, rid in keys:
            changes.setdefault(RecordKind(kind), set()).add(rid)
        with self._rows_lock:
            self._generation += 1  # a write that names no rows may still move an overlay
            for kind in changes:
                self._kind_generation[kind] = self._kind_generation.get(kind, 0) + 1
                self._rows_cache.pop(kind, None)
        ev = RowsChanged(changes, outbox_changed)
        if ev.empty:
            return
        self._listeners.emit(ev)

    # ------------------------------------------------------------------ meta
    @staticmethod
    def _meta(c: Connection, key: str) -> Any:
        r = c.exec_driver_sql("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if r is None else json.loads(r[0])

    @staticmethod
    def _metas(c: Connection, *keys: str) -> dict[str, Any]:
        found = {k: None for k in keys}
        marks = ",".join("?" * len(keys))
        for k, v in c.exec_driver_sql(f"SELECT key, value FROM meta WHERE key IN ({marks})", keys):
            found[k] = json.loads(v)
        return found

    @staticmethod
    def _set_meta(c: Connection, key: str, value: Any) -> None:
        c.exec_driver_sql(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )

    def meta_get(self, key: str) -> Any:
        with self._engine.connect() as c:
            return self._meta(c, key)

    def meta_set(self, key: str, value: Any) -> None:
        with self._lock, self._engine.begin() as c:
            self._set_meta(c, key, value)

    def meta_update(self, values: dict[str, Any]) -> None:
        with self._lock, self._engine.begin() as c:
            for k, v in values.items():
                self._set_meta(c, k, v)

    def client_id(self) -> str:
        return str(self.meta_get("client_id"))

    def user(self) -> UserInfo | None:
        raw = self.meta_get("user")
        return UserInfo.model_validate(raw) if raw else None

    def cursor(self) -> int | None:
        v = self.meta_get("cursor")
        return None if v is None else int(v)

    def server_epoch(self) -> str | None:
        v = self.meta_get("server_epoch")
        return None if v is None else str(v)

    def last_pull_at(self) -> datetime | None:
        v = self.meta_get("last_pull_at")
        return parse_time(v) if v else None

    # ------------------------------------------------------------------ reads
    _ROWS_SQL = (
        "SELECT s.id, s.version, s.org_path, s.data, 0 FROM server_rows s "
        "WHERE s.kind = ? AND s.deleted = 0 AND NOT EXISTS "
        "(SELECT 1 FROM overlay o WHERE o.kind = s.kind AND o.id = s.id) "
        "UNION ALL SELECT id, version, org_path, data, 1 FROM overlay WHERE kind = ? AND present = 1"
    )

    def _rows_token(self, kind: RecordKind) -> tuple[int, int]:
        return self._generation, self._kind_generation.get(kind, 0)

    def rows(self, kind: RecordKind | str) -> list[ViewRow]:
        """Every view row of `kind`. Several panels read the same kinds one after another (a
        national HQ's map, routes, deployment and charts each read the 17,795 polling stations
        or the 14,500 routes on the first load and after each change announcement); decoding
        the rows' JSON was half of the database worker's time. So the rows read are shared with
        the reads that follow for ROWS_CACHE_S, until a write touches the kind. The token is
        taken before the SELECT and bumped after a write commits, so rows that a write may
        have overtaken are never served again. The rows are shared: callers must not mutate
        a ViewRow's data (they never did)."""
        k = RecordKind(kind)
        now = time.monotonic()
        with self._rows_lock:
            token = self._rows_token(k)
            for stale in [key for key, (_t, at, _r) in self._rows_cache.items() if now - at > ROWS_CACHE_S]:
                del self._rows_cache[stale]
            cached = self._rows_cache.get(k)
        if cached is not None and cached[0] == token:
            return list(cached[2])
        with self._engine.connect() as c:
            got = c.exec_driver_sql(self._ROWS_SQL, (k.value, k.value)).fetchall()
        loads = json.loads
        rows = [ViewRow(k, r[0], r[1], r[2], loads(r[3]), bool(r[4])) for r in got]
        del got
        with self._rows_lock:
            if self._rows_token(k) == token:
                self._rows_cache[k] = (token, now, tuple(rows))
        return rows

    def rows_by_ids(self, kind: RecordKind | str, ids: Sequence[str]) -> list[ViewRow]:
        """The view rows of these ids that exist (one query per 500 ids), in no set order."""
        k = RecordKind(kind)
        out: list[ViewRow] = []
        loads = json.loads
        with self._engine.connect() as c:
            for i in range(0, len(ids), 500):
                chunk = tuple(ids[i:i + 500])
                marks = ",".join("?" * len(chunk))
                sql = (
                    "SELECT s.id, s.version, s.org_path, s.data, 0 FROM server_rows s "
                    f"WHERE s.kind = ? AND s.id IN ({marks}) AND s.deleted = 0 AND NOT EXISTS "
                    "(SELECT 1 FROM overlay o WHERE o.kind = s.kind AND o.id = s.id) "
                    "UNION ALL SELECT id, version, org_path, data, 1 FROM overlay "
                    f"WHERE kind = ? AND id IN ({marks}) AND present = 1"
                )
                for r in c.exec_driver_sql(sql, (k.value, *chunk, k.value, *chunk)):
                    out.append(ViewRow(k, r[0], r[1], r[2], loads(r[3]), bool(r[4])))
        return out

    def ids(self, kind: RecordKind | str) -> list[str]:
        k = RecordKind(kind).value
        sql = self._ROWS_SQL.replace("s.id, s.version, s.org_path, s.data, 0", "s.id").replace(
            "id, version, org_path, data, 1", "id")
        with self._engine.connect() as c:
            return [r[0] for r in c.exec_driver_sql(sql, (k, k))]

    def count(self, kind: RecordKind | str) -> int:
        k = RecordKind(kind).value
        with self._engine.connect() as c:
            n = c.exec_driver_sql(
                "SELECT (SELECT count(*) FROM server_rows s WHERE s.kind = ? AND s.deleted = 0 "
                "AND NOT EXISTS "
                "(SELECT 1 FROM overlay o WHERE o.kind = s.kind AND o.id = s.id)) + "
                "(SELECT count(*) FROM overlay WHERE kind = ? AND present = 1)", (k, k)).scalar()
        return int(n or 0)

    def row(self, kind: RecordKind | str, id: str) -> ViewRow | None:
        with self._engine.connect() as c:
            return self._view_row(c, RecordKind(kind), id)

    @staticmethod
    def _view_row(c: Connection, kind: RecordKind, rid: str) -> ViewRow | None:
        o = c.exec_driver_sql(
            "SELECT version, org_path, data, present FROM overlay WHERE kind = ? AND id = ?",
            (kind.value, rid)).fetchone()
        if o is not None:
            return ViewRow(kind, rid, o[0], o[1], json.loads(o[2]), True) if o[3] else None
        s = c.exec_driver_sql(
            "SELECT version, org_path, data FROM server_rows WHERE kind = ? AND id = ? AND deleted = 0",
            (kind.value, rid)).fetchone()
        return None if s is None else ViewRow(kind, rid, s[0], s[1], json.loads(s[2]), False)

    @staticmethod
    def _server_row(c: Connection, kind: str, rid: str) -> tuple[int, str, dict[str, Any] | None] | None:
        """(version, org_path, data or None if deleted) of the stored server row."""
        s = c.exec_driver_sql(
            "SELECT version, org_path, data, deleted FROM server_rows WHERE kind = ? AND id = ?",
            (kind, rid)).fetchone()
        if s is None:
            return None
        return s[0], s[1], (None if s[3] else json.loads(s[2]))

    def server_row(self, kind: RecordKind | str, id: str) -> Row | None:
        """The row exactly as the server last sent it (None if unknown or deleted)."""
        with self._engine.connect() as c:
            s = self._server_row(c, RecordKind(kind).value, id)
        if s is None or s[2] is None:
            return None
        return Row(kind=RecordKind(kind), id=id, version=s[0], org_path=s[1], data=s[2])

    def server_rows(self) -> list[Row]:
        """Every live server row (for checks and tests)."""
        with self._engine.connect() as c:
            got = c.exec_driver_sql(
                "SELECT kind, id, version, org_path, data FROM server_rows WHERE deleted = 0").fetchall()
        return [Row(kind=RecordKind(r[0]), id=r[1], version=r[2], org_path=r[3], data=json.loads(r[4]))
                for r in got]

    # ------------------------------------------------------------------ outbox reads
    def _entries(self, where: str, params: tuple[Any, ...] = (), limit: int = -1) -> list[OutboxEntry]:
        with self._engine.connect() as c:
            got = c.exec_driver_sql(
                f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE {where} ORDER BY client_seq LIMIT ?",
                (*params, limit)).fetchall()
        return [_entry(r) for r in got]

    def outbox(self) -> list[OutboxEntry]:
        return self._entries("status = 'pending'")

    def all_entries(self) -> list[OutboxEntry]:
        return self._entries("1 = 1")

    def pending_count(self) -> int:
        with self._engine.connect() as c:
            n = c.exec_driver_sql("SELECT count(*) FROM outbox WHERE status = 'pending'").scalar()
        return int(n or 0)

    def rejected_count(self) -> int:
        with self._engine.connect() as c:
            n = c.exec_driver_sql("SELECT count(*) FROM outbox WHERE status = 'rejected'").scalar()
        return int(n or 0)

    def rejected(self) -> list[OutboxEntry]:
        return self._entries("status = 'rejected'")

    def outbox_counts(self) -> tuple[int, int, int]:
        """(pending, rejected, conflicts) in one read: the status bar's figures after each write."""
        with self._engine.connect() as c:
            row = c.exec_driver_sql(
                "SELECT (SELECT count(*) FROM outbox WHERE status = 'pending'), "
                "(SELECT count(*) FROM outbox WHERE status = 'rejected'), "
                "(SELECT count(*) FROM conflicts)").one()
        return int(row[0]), int(row[1]), int(row[2])

    def conflicts_count(self) -> int:
        with self._engine.connect() as c:
            return int(c.exec_driver_sql("SELECT count(*) FROM conflicts").scalar() or 0)

    def conflicts(self) -> list[Conflict]:
        with self._engine.connect() as c:
            got = c.exec_driver_sql(
                "SELECT id, client_seq, kind, record_kind, record_id, mine_payload, mine_data, theirs, "
                "made_at, raised_at FROM conflicts ORDER BY id").fetchall()
        return [
            Conflict(id=r[0], client_seq=r[1], kind=r[2], record_kind=RecordKind(r[3]), record_id=r[4],
                     mine_payload=json.loads(r[5]), mine_data=json.loads(r[6]) if r[6] else None,
                     theirs=Row.model_validate_json(r[7]) if r[7] else None, made_at=r[8], raised_at=r[9])
            for r in got
        ]

    # ------------------------------------------------------------------ local writes
    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

    def _actor(self, c: Connection, actor: Actor | None) -> Actor:
        if actor is not None:
            return actor
        raw = self._meta(c, "user")
        if not raw:
            raise Forbidden("log in before making changes")
        user = UserInfo.model_validate(raw)
        return Actor(user.username, user.org_code, user.role)

    def _province_of(self, c: Connection) -> Callable[[str], str | None]:
        def province_of(code: str) -> str | None:
            org = self._view_row(c, RecordKind.ORG, code)
            if org is None:
                return None
            level = org.data.get("level")
            if level == "station":
                parent = org.data.get("parent_code")
                return str(parent) if parent else None
            return code if level == "provincial" else None

        return province_of

    def submit(self, kind: str, record_kind: RecordKind | str, record_id: str,
               payload: dict[str, Any], *, actor: Actor | None = None,
               at: datetime | None = None) -> OutboxEntry:
        """Apply a mutation locally and queue it for the server, in one transaction."""
        with self._lock, self._engine.begin() as c:
            entry = self._submit(c, kind, RecordKind(record_kind), record_id, payload, actor, at)
        self._notify([(entry.record_kind.value, record_id)], outbox_changed=True)
        return entry

    def _lookup(self, c: Connection) -> Callable[[RecordKind, str], dict[str, Any] | None]:
        """The domain's lookup for a new edit: the replica holds the user's scope only, so a
        record it lacks is refused here as the server would (units assigned, a unit's incident)."""
        def find(kind: RecordKind, rid: str) -> dict[str, Any] | None:
            row = self._view_row(c, RecordKind(kind), rid)
            return row.data if row is not None else None
        return find

    def _submit(self, c: Connection, kind: str, rk: RecordKind, rid: str, payload: dict[str, Any],
                actor: Actor | None, at: datetime | None) -> OutboxEntry:
        spec = spec_for(kind)
        who = self._actor(c, actor)
        if spec.system_only:
            raise Forbidden(f"{kind} is issued by the server only")
        if who.role is not None and not may(Role(who.role), kind):
            raise Forbidden(f"a {who.role} may not {kind}")
        made_at = iso(at if at is not None else self.clock())
        client_id = str(self._meta(c, "client_id"))
        current = self._view_row(c, rk, rid)
        ctx = MutationContext(actor=who.username, actor_org=who.org_code, at=made_at, console=client_id,
                              province_of=self._province_of(c), lookup=self._lookup(c))
        data = apply_mutation(kind, rk, rid, current.data if current else None, payload, ctx)
        try:
            payload_text = _DUMPS(payload)
        except (TypeError, ValueError) as exc:
            raise InvalidValue(f"payload is not plain JSON: {exc}") from None
        srow = self._server_row(c, rk.value, rid)
        live = c.exec_driver_sql(
            "SELECT client_seq, status, version FROM outbox WHERE record_kind = ? AND record_id = ? "
            "AND status IN ('pending', 'applied') ORDER BY client_seq", (rk.value, rid)).fetchall()
        base: int | None = None
        chained_to: int | None = None
        if not spec.creates:
            base = srow[0] if srow else 0
            for seq, status, version in live:
                if status == "applied" and version is not None:
                    base = max(base, version)
                elif status == "pending":
                    chained_to = seq  # builds on an edit whose resulting version is not known yet
        seq = int(self._meta(c, "next_seq"))
        try:
            MutationIn(client_seq=seq, kind=kind, record_kind=rk, record_id=rid, base_version=base,
                       payload=payload, made_at=made_at)
        except ValidationError as exc:
            raise InvalidValue(f"mutation does not fit the wire schema: {exc.errors()[0]['msg']}") from None
        c.exec_driver_sql(
            "INSERT INTO outbox (client_seq, kind, record_kind, record_id, base_version, payload, made_at, "
            "actor, actor_org, status, attempts, chained_to) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)",
            (seq, kind, rk.value, rid, base, payload_text, made_at, who.username, who.org_code, chained_to))
        self._set_meta(c, "next_seq", seq + 1)
        org_path = srow[1] if srow else self._org_path_for(c, rk, data, who)
        c.exec_driver_sql(
            "INSERT OR REPLACE INTO overlay (kind, id, version, org_path, data, present) "
            "VALUES (?, ?, ?, ?, ?, 1)",
            (rk.value, rid, srow[0] if srow else 0, org_path, _DUMPS(data)))
        return OutboxEntry(seq, kind, rk, rid, base, dict(payload), made_at, OutboxStatus.PENDING,
                           actor=who.username, actor_org=who.org_code, chained_to=chained_to)

    def _org_path_for(self, c: Connection, rk: RecordKind, data: dict[str, Any], who: Actor) -> str:
        try:
            code = owner_code(rk, data)
        except KeyError:
            code = who.org_code
        org = self._view_row(c, RecordKind.ORG, code)
        if org is not None and isinstance(org.data.get("path"), str):
            return str(org.data["path"])
        user = self._meta(c, "user")
        return str(user["org_path"]) if user else "/"

    # ------------------------------------------------------------------ the materialised view
    def _live_keys(self, c: Connection) -> set[Key]:
        """Rows whose view may differ from the server row: live outbox entries or an overlay."""
        return {(r[0], r[1]) for r in c.exec_driver_sql(
            "SELECT record_kind, record_id FROM outbox WHERE status IN ('pending', 'applied') "
            "UNION SELECT kind, id FROM overlay")}

    @staticmethod
    def _live_among(c: Connection, keys: set[Key], *, overlay: bool = True) -> set[Key]:
        """Those of `keys` with live outbox entries (or an overlay row): reads by key, not the
        whole outbox, which may hold thousands of entries while a page brings hundreds of rows."""
        found: set[Key] = set()
        by_kind: dict[str, list[str]] = {}
        for kind, rid in keys:
            by_kind.setdefault(kind, []).append(rid)
        for kind, ids in by_kind.items():
            for i in range(0, len(ids), 500):
                chunk = tuple(ids[i:i + 500])
                marks = ",".join("?" * len(chunk))
                # By (kind, id): the outbox's (record_kind, record_id) index and the overlay's key.
                sql = ("SELECT record_kind, record_id FROM outbox WHERE record_kind = ? "
                       f"AND record_id IN ({marks}) AND status IN ('pending', 'applied')")
                params: tuple[str, ...] = (kind, *chunk)
                if overlay:
                    sql += f" UNION SELECT kind, id FROM overlay WHERE kind = ? AND id IN ({marks})"
                    params += (kind, *chunk)
                found.update((r[0], r[1]) for r in c.exec_driver_sql(sql, params))
        return found

    def _recompute(self, c: Connection, keys: Iterable[Key]) -> None:
        """Rebuild the view of these rows: server row + own live mutations replayed in order."""
        keys = set(keys)
        if not keys:
            return
        # Acknowledged mutations the server rows already contain leave the replay (set-based:
        # a page of the feed usually settles hundreds of them at once).
        self._prune_applied(c)
        live = self._live_among(c, keys, overlay=False)
        settled = keys - live
        if settled:
            c.exec_driver_sql("DELETE FROM overlay WHERE kind = ? AND id = ?", list(settled))
        province_of = self._province_of(c)
        client_id = str(self._meta(c, "client_id"))
        for kind, rid in keys & live:
            srow = self._server_row(c, kind, rid)
            got = c.exec_driver_sql(
                f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE record_kind = ? AND record_id = ? "
                "AND status IN ('pending', 'applied') ORDER BY client_seq", (kind, rid)).fetchall()
            data = srow[2] if srow else None
            rk = RecordKind(kind)
            for e in map(_entry, got):
                ctx = MutationContext(actor=e.actor, actor_org=e.actor_org, at=e.made_at, console=client_id,
                                      province_of=province_of)
                try:
                    data = apply_mutation(e.kind, rk, rid, data, e.payload, ctx)
                except DomainError:
                    # No longer applies on the newer server row: the server will say so; until
                    # then the view shows what does apply.
                    continue
            who = Actor(got[0][11], got[0][12])
            org_path = srow[1] if srow else (self._org_path_for(c, rk, data, who) if data else "/")
            c.exec_driver_sql(
                "INSERT OR REPLACE INTO overlay (kind, id, version, org_path, data, present) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (kind, rid, srow[0] if srow else 0, org_path, _DUMPS(data) if data is not None else None,
                 1 if data is not None else 0))

    # ------------------------------------------------------------------ pulling
    def begin_snapshot(self, epoch: str, as_of: int, *, wipe: bool) -> None:
        """Start a (re-)snapshot: rows not seen again by its end are swept. `wipe` drops every
        server row first (a new server epoch: versions start again)."""
        with self._lock, self._engine.begin() as c:
            keys: set[Key] = set()
            if wipe:
                keys = {(r[0], r[1]) for r in c.exec_driver_sql("SELECT kind, id FROM server_rows")}
                c.exec_driver_sql("DELETE FROM server_rows")
                c.exec_driver_sql("DELETE FROM outbox WHERE status = 'applied'")
                self._recompute(c, self._live_keys(c))
            self._set_meta(c, "gen", int(self._meta(c, "gen") or 0) + 1)
            self._set_meta(c, "cursor", None)
            self._set_meta(c, "server_epoch", epoch)
            self._set_meta(c, "snapshot_as_of", as_of)
        self._notify(keys)

    def apply_snapshot_page(self, rows: Sequence[Row | RowText], *, done: bool, as_of: int) -> None:
        """Store one snapshot page; the last (`done`) sweeps unseen rows and sets the cursor."""
        with self._lock, self._engine.begin() as c:
            gen = int(self._meta(c, "gen") or 0)
            keys = self._upsert(c, rows, gen)
            if done:
                swept = c.exec_driver_sql("SELECT kind, id FROM server_rows WHERE gen < ?", (gen,)).fetchall()
                c.exec_driver_sql("DELETE FROM server_rows WHERE gen < ?", (gen,))
                keys.update((r[0], r[1]) for r in swept)
                keys.update(self._finish_pull(c, as_of))
            self._recompute(c, self._live_among(c, keys) if not done else self._live_keys(c))
        self._notify(keys)

    def apply_changes(self, changes: Sequence[Change[Row] | Change[RowText]], cursor: int,
                      epoch: str) -> None:
        """Store one page of the change feed together with its new cursor (one transaction).
        A cursor never goes backwards, nor does a row's version."""
        with self._lock, self._engine.begin() as c:
            m = self._metas(c, "cursor", "server_epoch", "gen")
            if m["cursor"] is None or m["server_epoch"] != epoch:
                return  # a re-snapshot started meanwhile; this page belongs to the old one
            if cursor < int(m["cursor"]):
                return
            keys = self._upsert(c, [ch.row for ch in changes], int(m["gen"] or 0))
            own = [(ch.row.version, ch.seq, ch.own_seq) for ch in changes if ch.own_seq is not None]
            if own:
                self._acknowledge(c, own)
            keys.update(self._finish_pull(c, cursor))
            self._recompute(c, self._live_among(c, keys))
        self._notify(keys, outbox_changed=bool(own))

    @staticmethod
    def _acknowledge(c: Connection, own: list[tuple[int, int, int]]) -> None:
        """Own mutations the feed shows applied, (version, seq, client_seq): acknowledged as a
        push answer would (the answer may have been lost, or not be recorded yet); entries
        based on them take the version as their base."""
        c.exec_driver_sql("UPDATE outbox SET status = 'applied', version = ?, seq = ?, "
                          "attempts = attempts + 1, last_error = NULL "
                          "WHERE client_seq = ? AND status = 'pending'", own)
        c.exec_driver_sql("UPDATE outbox SET base_version = ?, chained_to = NULL WHERE chained_to = ?",
                          [(version, client_seq) for version, _, client_seq in own])

    def _upsert(self, c: Connection, rows: Sequence[Row | RowText], gen: int) -> set[Key]:
        dumps = _DUMPS
        params = [(r.kind.value, r.id, r.version, r.org_path,
                   r.data if isinstance(r.data, str) else dumps(r.data), 1 if r.deleted else 0, gen)
                  for r in rows]
        if params:
            c.exec_driver_sql(_UPSERT_ROW, params)
        return {(p[0], p[1]) for p in params}

    def _finish_pull(self, c: Connection, cursor: int) -> set[Key]:
        """Set the cursor; acknowledged mutations the feed has passed are part of the rows now."""
        done = c.exec_driver_sql("DELETE FROM outbox WHERE status = 'applied' AND seq <= ? "
                                 "RETURNING record_kind, record_id", (cursor,)).fetchall()
        c.exec_driver_sql(
            "INSERT INTO meta (key, value) VALUES ('cursor', ?), ('last_pull_at', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (json.dumps(cursor), json.dumps(iso(self.clock()))))
        return {(r[0], r[1]) for r in done}

    def touch_pull(self) -> None:
        """A pull succeeded without changes: the data is current as of now."""
        self.meta_set("last_pull_at", iso(self.clock()))

    def reset_cursor(self) -> None:
        """The server no longer serves our cursor (410): re-snapshot; the outbox is kept."""
        self.meta_set("cursor", None)

    def rebind_client(self) -> str:
        """A new server database (epoch) knows nothing of this console: take a new client id and
        number the entries still waiting 1, 2, ... in their order. Entries whose result is known
        are never sent again; they move to negative numbers so the new numbering has no gaps."""
        new_id = uuid.uuid4().hex
        with self._lock, self._engine.begin() as c:
            rows = c.exec_driver_sql("SELECT client_seq, status FROM outbox ORDER BY client_seq").fetchall()
            pending = [seq for seq, status in rows if status == "pending"]
            done = [seq for seq, status in rows if status != "pending"]
            mapping = {old: new for new, old in enumerate(pending, start=1)}
            mapping.update({old: -new for new, old in enumerate(done, start=1)})
            # two steps through a disjoint range, so the primary key never collides
            shift = 1 + max([abs(s) for s in (*mapping, *mapping.values())], default=0)
            for old, new in mapping.items():
                for sql in ("UPDATE outbox SET client_seq = ? WHERE client_seq = ?",
                            "UPDATE outbox SET chained_to = ? WHERE chained_to = ?",
                            "UPDATE conflicts SET client_seq = ? WHERE client_seq = ?"):
                    c.exec_driver_sql(sql, (new + shift * 4, old))
            for sql in ("UPDATE outbox SET client_seq = client_seq - ? WHERE client_seq > ?",
                        "UPDATE outbox SET chained_to = chained_to - ? WHERE chained_to > ?",
                        "UPDATE conflicts SET client_seq = client_seq - ? WHERE client_seq > ?"):
                c.exec_driver_sql(sql, (shift * 4, shift * 2))
            self._set_meta(c, "client_id", new_id)
            self._set_meta(c, "next_seq", len(pending) + 1)
        self._notify([], outbox_changed=True)
        return new_id

    # ------------------------------------------------------------------ pushing
    def push_batch(self, limit: int, *, after: int = 0,
                   unsettled: Collection[int] = ()) -> list[OutboxEntry]:
        """The next pending entries after client_seq `after`, in client_seq order. The batch stops
        before an edit whose base version depends on the result of an earlier entry in the same
        batch or of an `unsettled` one (sent, its answer not recorded yet)."""
        batch: list[OutboxEntry] = []
        seqs: set[int] = set(unsettled)
        for e in self._entries("status = 'pending' AND client_seq > ?", (after,), limit=limit):
            if len(batch) >= limit:
                break
            if e.chained_to is not None and e.chained_to in seqs and spec_for(e.kind).checks_base:
                break
            batch.append(e)
            seqs.add(e.client_seq)
        return batch

    def note_push_failure(self, seqs: Sequence[int], error: str) -> None:
        with self._lock, self._engine.begin() as c:
            c.exec_driver_sql(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ? "
                "WHERE client_seq = ? AND status = 'pending'",
                [(error, s) for s in seqs])

    def record_results(self, results: Sequence[MutationResult]) -> ResultSummary:
        """Record the server's answers, in one transaction. Entries already answered are left.

        An applied entry stays in the replay (status 'applied') until the feed brings a server
        row that contains it, so the view does not change; rejected and conflicting entries
        leave the replay and their rows are recomputed."""
        summary = ResultSummary()
        leave: set[Key] = set()  # rows whose replay lost an entry
        touched: set[Key] = set()
        ordered = sorted(results, key=lambda x: x.client_seq)
        with self._lock, self._engine.begin() as c:
            # Whole entries (payload parsed) only for answers other than 'applied', the rare ones.
            keys = self._pending_keys(c, [r.client_seq for r in ordered])
            entries = self._pending_entries(c, [r.client_seq for r in ordered if r.client_seq in keys
                                                and r.status != MutationStatus.APPLIED])
            followers: dict[int, list[int]] = {}
            for seq, (_, _, chained_to) in keys.items():
                if chained_to is not None:
                    followers.setdefault(chained_to, []).append(seq)
            base_of: dict[int, int | None] = {}  # bases rewritten by earlier answers of this batch
            applied: list[tuple[int | None, int | None, int]] = []
            rebases: list[tuple[int | None, int]] = []
            deferred: list[tuple[str, int]] = []
            for r in ordered:
                pending = keys.get(r.client_seq)
                if pending is None:
                    continue  # answered before (or acknowledged by the feed)
                if r.status == MutationStatus.DEFERRED:
                    deferred.append(("deferred: an earlier mutation is missing", r.client_seq))
                    summary.deferred.append(r.client_seq)
                    continue
                key = (pending[0], pending[1])
                touched.add(key)
                new_base: int | None
                if r.status == MutationStatus.APPLIED:
                    applied.append((r.version, r.seq, r.client_seq))
                    summary.applied.append(r.client_seq)
                    new_base = r.version
                    for f in followers.get(r.client_seq, ()):
                        base_of[f] = new_base
                    rebases.append((new_base, r.client_seq))
                    continue
                found = entries[r.client_seq]
                e = replace(found, base_version=base_of.get(found.client_seq, found.base_version))
                if r.status == MutationStatus.REJECTED:
                    c.exec_driver_sql("UPDATE outbox SET status = 'rejected', error_code = ?, "
                                      "last_error = ?, attempts = attempts + 1 WHERE client_seq = ?",
                                      (r.error_code or "rejected", r.message or "", e.client_seq))
                    summary.rejected.append(replace(e, status=OutboxStatus.REJECTED, attempts=e.attempts + 1,
                                                    error_code=r.error_code or "rejected",
                                                    last_error=r.message or ""))
                    leave.add(key)
                    new_base = e.base_version
                else:
                    summary.conflicts.append(self._raise_conflict(c, e, r))
                    leave.add(key)
                    new_base = e.base_version
                for f in followers.get(e.client_seq, ()):
                    base_of[f] = new_base
                rebases.append((new_base, e.client_seq))
            if applied:
                c.exec_driver_sql("UPDATE outbox SET status = 'applied', version = ?, seq = ?, "
                                  "attempts = attempts + 1, last_error = NULL WHERE client_seq = ?", applied)
            if rebases:
                c.exec_driver_sql("UPDATE outbox SET base_version = ?, chained_to = NULL "
                                  "WHERE chained_to = ?", rebases)
            if deferred:
                c.exec_driver_sql("UPDATE outbox SET attempts = attempts + 1, last_error = ? "
                                  "WHERE client_seq = ?", deferred)
            if applied:
                leave.update(self._prune_applied(c))
            self._recompute(c, leave)
        self._notify(touched, outbox_changed=True)
        return summary

    @staticmethod
    def _pending_keys(c: Connection, seqs: Sequence[int]) -> dict[int, tuple[str, str, int | None]]:
        """client_seq -> (record kind, record id, chained_to) of these entries still pending."""
        found: dict[int, tuple[str, str, int | None]] = {}
        for i in range(0, len(seqs), 500):
            chunk = seqs[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for r in c.exec_driver_sql("SELECT client_seq, record_kind, record_id, chained_to FROM outbox "
                                       f"WHERE status = 'pending' AND client_seq IN ({marks})", tuple(chunk)):
                found[r[0]] = (r[1], r[2], r[3])
        return found

    def _pending_entries(self, c: Connection, seqs: Sequence[int]) -> dict[int, OutboxEntry]:
        found: dict[int, OutboxEntry] = {}
        for i in range(0, len(seqs), 500):
            chunk = seqs[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for r in c.exec_driver_sql(f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE status = 'pending' "
                                       f"AND client_seq IN ({marks})", tuple(chunk)):
                found[r[0]] = _entry(r)
        return found

    def _prune_applied(self, c: Connection) -> set[Key]:
        """Acknowledged entries the replica already holds the result of: the stored server row
        is at or past their version, or the feed cursor passed their position."""
        cursor = self._meta(c, "cursor")
        where = ("status = 'applied' AND (version <= (SELECT s.version FROM server_rows s "
                 "WHERE s.kind = outbox.record_kind AND s.id = outbox.record_id) OR seq <= ?)")
        params = (-1 if cursor is None else int(cursor),)
        keys = {(r[0], r[1]) for r in c.exec_driver_sql(
            f"SELECT record_kind, record_id FROM outbox WHERE {where}", params)}
        if keys:
            c.exec_driver_sql(f"DELETE FROM outbox WHERE {where}", params)
        return keys

    @staticmethod
    def _rebase_followers(c: Connection, seq: int, version: int | None) -> None:
        c.exec_driver_sql("UPDATE outbox SET base_version = ?, chained_to = NULL WHERE chained_to = ?",
                          (version, seq))

    def _raise_conflict(self, c: Connection, e: OutboxEntry, r: MutationResult) -> Conflict:
        mine = self._view_row(c, e.record_kind, e.record_id)
        theirs = r.server_row
        if theirs is not None:
            self._upsert(c, [theirs], int(self._meta(c, "gen") or 0))
        c.exec_driver_sql("UPDATE outbox SET status = 'conflict', error_code = ?, last_error = ?, "
                          "attempts = attempts + 1 WHERE client_seq = ?",
                          (r.error_code or "conflict", r.message or "", e.client_seq))
        raised_at = iso(self.clock())
        cid = c.exec_driver_sql(
            "INSERT INTO conflicts (client_seq, kind, record_kind, record_id, mine_payload, mine_data, "
            "theirs, made_at, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (e.client_seq, e.kind, e.record_kind.value, e.record_id, _DUMPS(e.payload),
             _DUMPS(mine.data) if mine else None, theirs.model_dump_json() if theirs else None,
             e.made_at, raised_at)).lastrowid
        return Conflict(int(cid or 0), e.client_seq, e.kind, e.record_kind, e.record_id, e.payload,
                        mine.data if mine else None, theirs, e.made_at, raised_at)

    # ------------------------------------------------------------------ the user's answers
    def dismiss_rejected(self, client_seq: int) -> None:
        with self._lock, self._engine.begin() as c:
            c.exec_driver_sql("DELETE FROM outbox WHERE client_seq = ? AND status = 'rejected'",
                              (client_seq,))
        self._notify([], outbox_changed=True)

    def resolve_conflict(self, conflict_id: int, choice: Literal["mine", "theirs", "merge"],
                         merged_payload: dict[str, Any] | None = None) -> OutboxEntry | None:
        """Settle a conflict. mine: my payload again on top of the server's row; merge: the
        given payload on top of it; theirs: drop my change. The mutation is re-queued with the
        current server version as its base. Raises DomainError (conflict kept) if it no longer
        applies."""
        if choice not in ("mine", "theirs", "merge"):
            raise InvalidValue(f"unknown conflict choice {choice!r}")
        if choice == "merge" and merged_payload is None:
            raise InvalidValue("a merge needs the merged payload")
        with self._lock, self._engine.begin() as c:
            got = c.exec_driver_sql(
                "SELECT client_seq, kind, record_kind, record_id, mine_payload FROM conflicts WHERE id = ?",
                (conflict_id,)).fetchone()
            if got is None:
                raise NotFound(f"conflict {conflict_id} does not exist")
            seq, kind, rk, rid, mine_payload = got
            who = c.exec_driver_sql("SELECT actor, actor_org FROM outbox WHERE client_seq = ?",
                                    (seq,)).fetchone()
            c.exec_driver_sql("DELETE FROM conflicts WHERE id = ?", (conflict_id,))
            c.exec_driver_sql("DELETE FROM outbox WHERE client_seq = ?", (seq,))
            entry: OutboxEntry | None = None
            if choice != "theirs":
                payload = json.loads(mine_payload) if choice == "mine" else dict(merged_payload or {})
                user = self._meta(c, "user")
                actor = None
                if who is not None and (user is None or user.get("username") != who[0]):
                    actor = Actor(who[0], who[1])
                entry = self._submit(c, kind, RecordKind(rk), rid, payload, actor, None)
            else:
                self._recompute(c, [(rk, rid)])
        self._notify([(rk, rid)], outbox_changed=True)
        return entry
