"""Panel test and preview support: an in-memory replica and a ready PanelContext.

``MemoryReplica`` follows the Replica API of the BRIEF closely enough for panels: reads, local
submit through the domain's mutation functions, subscribe. It has no outbox semantics beyond a
list. Use it to launch a panel standalone (``preview_panel``) and in GUI tests."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from console.domain.clock import iso
from console.domain.mutations import MutationContext, apply_mutation
from console.domain.records import RecordKind
from console.domain.roles import Role
from console.domain.samples import SAMPLE_NOW
from console.protocol.schema import UserInfo
from console.ui.events import ChangeBus, Selection
from console.ui.operations import MutationRequest, OperationRunner
from console.ui.panels.base import PanelContext
from console.ui.qt import QSettings
from console.ui.theme import ThemeManager


@dataclass
class MemoryViewRow:
    kind: RecordKind
    id: str
    version: int
    org_path: str
    data: dict[str, Any]
    pending: bool = False


@dataclass
class MemoryOutboxEntry:
    client_seq: int
    kind: str
    record_kind: RecordKind
    record_id: str
    payload: dict[str, Any]
    made_at: str
    error_code: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class MemoryRowsChanged:
    changes: dict[RecordKind, set[str]]
    outbox_changed: bool = False


@dataclass
class MemoryReplica:
    """Thread-safe in-memory stand-in for console.replica.Replica."""

    rows_by_kind: dict[RecordKind, dict[str, MemoryViewRow]] = field(default_factory=dict)
    outbox_entries: list[MemoryOutboxEntry] = field(default_factory=list)
    listeners: list[Callable[[MemoryRowsChanged], None]] = field(default_factory=list)

    user_info: UserInfo | None = None
    pulled_at: datetime | None = None

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        self._seq = 0
        self.clock: Callable[[], datetime] = lambda: SAMPLE_NOW

    def user(self) -> UserInfo | None:
        return self.user_info

    def client_id(self) -> str:
        return "memory-console"

    def last_pull_at(self) -> datetime | None:
        return self.pulled_at

    def new_id(self) -> str:
        return new_id()

    def conflicts_count(self) -> int:
        return 0

    def ids(self, kind: RecordKind) -> list[str]:
        with self._lock:
            return list(self.rows_by_kind.get(RecordKind(kind), {}))

    # reads
    def rows(self, kind: RecordKind) -> list[MemoryViewRow]:
        with self._lock:
            return list(self.rows_by_kind.get(RecordKind(kind), {}).values())

    def row(self, kind: RecordKind, id: str) -> MemoryViewRow | None:
        with self._lock:
            return self.rows_by_kind.get(RecordKind(kind), {}).get(id)

    def count(self, kind: RecordKind) -> int:
        with self._lock:
            return len(self.rows_by_kind.get(RecordKind(kind), {}))

    def rows_by_ids(self, kind: RecordKind, ids: Sequence[str]) -> list[MemoryViewRow]:
        with self._lock:
            table = self.rows_by_kind.get(RecordKind(kind), {})
            return [table[id] for id in ids if id in table]

    def outbox(self) -> list[MemoryOutboxEntry]:
        with self._lock:
            return [e for e in self.outbox_entries if e.error_code is None]

    def pending_count(self) -> int:
        return len(self.outbox())

    def rejected(self) -> list[MemoryOutboxEntry]:
        with self._lock:
            return [e for e in self.outbox_entries if e.error_code is not None]

    def conflicts(self) -> list[Any]:
        return []

    # writes
    def put(self, kind: RecordKind, id: str, data: dict[str, Any], *, org_path: str = "/NPA/",
            version: int = 1, notify: bool = True) -> None:
        """Store a server row (as a sync would)."""
        kind = RecordKind(kind)
        with self._lock:
            self.rows_by_kind.setdefault(kind, {})[id] = MemoryViewRow(kind, id, version, org_path, data)
        if notify:
            self.notify({kind: {id}})

    def put_many(self, kind: RecordKind, rows: Iterable[tuple[str, dict[str, Any]]],
                 org_path: str = "/NPA/") -> None:
        kind = RecordKind(kind)
        ids: set[str] = set()
        with self._lock:
            table = self.rows_by_kind.setdefault(kind, {})
            for id, data in rows:
                table[id] = MemoryViewRow(kind, id, 1, org_path, data)
                ids.add(id)
        self.notify({kind: ids})

    def submit(self, kind: str, record_kind: RecordKind, record_id: str, payload: dict[str, Any],
               *, actor: Any = None, at: datetime | None = None) -> MemoryOutboxEntry:
        record_kind = RecordKind(record_kind)
        user = self.user_info or sample_user()
        actor = MutationContext(actor=getattr(actor, "username", user.username),
                                actor_org=getattr(actor, "org_code", user.org_code),
                                at=iso(at or self.clock()), console=self.client_id())
        with self._lock:
            current = self.row(record_kind, record_id)
            data = apply_mutation(kind, record_kind, record_id,
                                  dict(current.data) if current else None, payload, actor)
            version = current.version if current else 0
            path = current.org_path if current else "/NPA/"
            self.rows_by_kind.setdefault(record_kind, {})[record_id] = MemoryViewRow(
                record_kind, record_id, max(version, 1), path, data, pending=True)
            self._seq += 1
            entry = MemoryOutboxEntry(self._seq, kind, record_kind, record_id, payload, actor.at)
            self.outbox_entries.append(entry)
        self.notify({record_kind: {record_id}}, outbox_changed=True)
        return entry

    def subscribe(self, listener: Callable[[MemoryRowsChanged], None]) -> Callable[[], None]:
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    def notify(self, changes: dict[RecordKind, set[str]], outbox_changed: bool = False) -> None:
        event = MemoryRowsChanged(changes, outbox_changed)
        for listener in list(self.listeners):
            listener(event)


class ManualClock:
    """The console clock of tests and previews: it stands at `start` (10:20 KST on election day by
    default) until moved, so no test reads an expected value from the wall clock. `update(now,
    speed)` puts it at `now` and lets it run `speed` times real time from there (0: stands)."""

    def __init__(self, start: datetime = SAMPLE_NOW, speed: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._base, self._at, self.speed = start, time.monotonic(), speed

    def now(self) -> datetime:
        with self._lock:
            return self._base + timedelta(seconds=(time.monotonic() - self._at) * self.speed)

    def update(self, now: datetime, speed: float = 0.0) -> None:
        with self._lock:
            self._base, self._at, self.speed = now, time.monotonic(), speed

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._base += timedelta(seconds=seconds)


def sample_user(role: Role = Role.STATION_COMMANDER, org_code: str = "S11110",
                org_path: str = "/NPA/SEOUL/S11110/") -> UserInfo:
    return UserInfo(username="kim", display_name="Kim Minsu", role=role, org_code=org_code,
                    org_path=org_path, org_name_ko="종로경찰서", org_name_en="Jongno Police Station")


def new_id() -> str:
    return uuid.uuid4().hex


def make_context(replica: Any | None = None, user: UserInfo | None = None,
                 settings: QSettings | None = None) -> PanelContext:
    """A PanelContext over `replica` (a fresh MemoryReplica by default) whose submits go to
    `replica.submit` with the user as actor."""
    user = user or sample_user()
    replica = replica if replica is not None else MemoryReplica(user_info=user)
    if isinstance(replica, MemoryReplica) and replica.user_info is None:
        replica.user_info = user
    clock = ManualClock()
    if isinstance(replica, MemoryReplica):
        replica.clock = clock.now

    def submitter(req: MutationRequest) -> Any:
        return replica.submit(req.kind, req.record_kind, req.record_id, dict(req.payload))

    changes = ChangeBus()
    if hasattr(replica, "subscribe"):
        replica.subscribe(changes.listener())
    return PanelContext(replica=replica, ops=OperationRunner(submitter), selection=Selection(),
                        changes=changes, clock=clock, user=user, theme=ThemeManager("dark"),
                        settings=settings)


def dispose_context(ctx: PanelContext) -> None:
    """End a context made by make_context on the GUI thread: its QObjects are deleted by Qt
    here rather than by a garbage collection that might run in some worker thread later."""
    ctx.changes.stop()
    ctx.ops.shutdown(wait=True)
    for obj in (ctx.changes, ctx.ops, ctx.selection, ctx.theme):
        obj.deleteLater()


def open_replica(path: Any, user: UserInfo | None = None) -> Any:
    """A real console.replica.Replica at `path`, logged in as `user` (for tests and previews)."""
    from console.replica import Replica

    replica = Replica(path)
    replica.meta_update({"user": (user or sample_user()).model_dump(mode="json")})
    return replica


def load_server_rows(replica: Any, rows: Iterable[tuple[RecordKind, str, dict[str, Any], str]],
                     version: int = 1) -> None:
    """Store rows as if a snapshot brought them: (kind, id, data, org_path)."""
    from console.protocol.schema import Row

    page = [Row(kind=k, id=i, version=version, org_path=p, data=d) for k, i, d, p in rows]
    epoch = replica.server_epoch() or "test-epoch"
    replica.begin_snapshot(epoch, 1, wipe=False)
    replica.apply_snapshot_page(page, done=True, as_of=1)


def feed_changes(replica: Any, rows: Iterable[tuple[RecordKind, str, dict[str, Any], str]], *,
                 first_seq: int, version: int = 2, page: int = 500) -> int:
    """Apply rows as change-feed pages (what a live pull does); returns the next seq."""
    from console.protocol.schema import Change, Row

    epoch = replica.server_epoch() or "test-epoch"
    seq = first_seq
    batch: list[Any] = []
    for k, i, d, p in rows:
        batch.append(Change(seq=seq, row=Row(kind=k, id=i, version=version, org_path=p, data=d)))
        seq += 1
        if len(batch) >= page:
            replica.apply_changes(batch, seq - 1, epoch)
            batch = []
    if batch:
        replica.apply_changes(batch, seq - 1, epoch)
    return seq


class StallProbe:
    """Measures how long the GUI event loop goes without running a timer: a QTimer ticks every
    `interval_ms`; the longest gap between ticks minus the interval is the longest stall."""

    def __init__(self, interval_ms: int = 5) -> None:
        import time

        from console.ui.qt import QTimer

        self._time = time.perf_counter
        self.interval_ms = interval_ms
        self.max_gap_ms = 0.0
        self.ticks = 0
        self._last = 0.0
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = self._time()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._timer.deleteLater()  # deleted by Qt on this (GUI) thread, not by a later GC

    def _tick(self) -> None:
        now = self._time()
        self.max_gap_ms = max(self.max_gap_ms, (now - self._last) * 1000.0)
        self._last = now
        self.ticks += 1

    @property
    def longest_stall_ms(self) -> float:
        return max(0.0, self.max_gap_ms - self.interval_ms)
