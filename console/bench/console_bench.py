"""A national HQ console as its user meets it: from start until every panel shows the data of its
first sync (against that first sync), and the longest GUI stall while the views recompute after
1,000 changes arrive through the replica (against the idle event loop's longest stall).

A real server (its own process, SQLite) holds the national data set; the console is the main
window with every panel, logged in as national HQ over HTTP on loopback, its replica on disk, as
`console.ui.launcher` builds it. The 1,000 changes are mutations another national HQ console
pushes to the server (new incidents, incidents acknowledged, ballot boxes departing and arriving,
officers posted, units moving): they reach this console by its own long-poll.

"Every panel has its data" is observed, not declared. Each read a panel asks of the
OperationRunner is noted (the panel that asked, its key or its owner as the channel, which
record kinds it read from the replica, when it was asked and when its answer had been handed to
the panel). A channel has its data once an answer has been shown whose read was asked after the
last change announcement (ChangeBus.rows_changed) of any kind the channel reads; reads a panel
starts while taking in such an answer (a queue re-sorting a new snapshot) are waited for too. A
panel has its data when all its channels do.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from console.bench.figures import Figure
from console.bench.gui import app, spin
from console.domain.clock import iso
from console.domain.records import RecordKind
from console.domain.roles import Role

K = RecordKind
PASSWORD = "bench password 1"
CHANGES = 1000
STALL_TARGET_MS = 100.0
FIRST_DATA_TARGET = 2.0  # ratio: start to every panel's data / the console's own first sync
# How long a wait (a first sync, every panel settling) may take before the figure is given up
# with what it still waits for: about 20x what it takes here, and well inside a test's limit.
SETTLE_LIMIT_S = 90.0
# Quick keeps the national scale: building the window (1-1.6 s) is a fixed cost in the
# numerator, so at half scale the ratio read 4.2 where the full run's read 2.7-4.0; the scale
# costs a quick run about 6 s (the server's seed and the first syncs).
SCALE_FULL, SCALE_QUICK = 1.0, 1.0
# The mix of the 1,000 changes: what an election evening brings a national HQ in a minute.
CHANGE_MIX = (("incident.create", 0.2), ("incident.transition", 0.2), ("route.advance", 0.25),
              ("site.deployment", 0.2), ("unit.status", 0.15))


# -- the data set and the server ------------------------------------------------------------------
Spec = tuple[RecordKind, str, dict[str, Any]]


def national_data(scale: float, now: datetime) -> tuple[list[tuple[str, str, str]], list[Spec]]:
    """(org units, rows) of a national election evening: the panels benchmark's sites, routes
    (boxes on the move) and units, and the sync benchmark's incidents, reported in the last
    six hours."""
    from console.bench.panels_bench import national_replica_rows
    from console.bench.sync_bench import national_rows

    orgs, base = national_rows(scale, seed=3)
    rng = random.Random(9)
    rows: list[Spec] = [(kind, id, data) for kind, id, data, _path in national_replica_rows(scale, now)
                        if kind != K.ORG]
    for kind, id, data in base:
        if kind == K.INCIDENT:
            at = iso(now - timedelta(seconds=rng.randrange(6 * 3600)))
            rows.append((kind, id, {**data, "created_at": at,
                                    "timeline": [{**data["timeline"][0], "at": at}]}))
    return orgs, rows


def seed(server: Any, scale: float, now: datetime) -> list[Spec]:
    from console.server.operations import bulk_insert_rows, create_org_unit, create_user

    orgs, rows = national_data(scale, now)
    with server.database.write() as s:
        for code, level, parent in orgs:
            create_org_unit(s, code, level, f"{code} 관서", f"Office {code}", parent or None,
                            personnel_total=200, personnel_on_duty=50)
        create_user(s, "hq", PASSWORD, Role.NATIONAL_HQ, "NPA")
        create_user(s, "hq2", PASSWORD, Role.NATIONAL_HQ, "NPA")
    for i in range(0, len(rows), 5000):
        with server.database.write() as s:
            bulk_insert_rows(s, rows[i:i + 5000], validate=False)
    return rows


def change_bodies(rows: list[Spec], now: datetime, count: int, client_id: str,
                  seed: int = 13) -> tuple[list[str], set[tuple[RecordKind, str]]]:
    """Push bodies (JSON) of `count` mutations of CHANGE_MIX, and the rows they change."""
    from console.protocol.schema import MAX_PUSH_BATCH, MutationIn, PushRequest

    rng = random.Random(seed)
    by_kind: dict[RecordKind, list[Spec]] = {}
    for spec in rows:
        by_kind.setdefault(spec[0], []).append(spec)
    made_at = iso(now)
    stations = sorted({str(d["station_code"]) for _k, _i, d in by_kind[K.INCIDENT]})
    muts: list[tuple[str, RecordKind, str, int | None, dict[str, Any]]] = []
    for kind, share in CHANGE_MIX:
        n = round(count * share)
        if kind == "incident.create":
            for _ in range(n):
                muts.append((kind, K.INCIDENT, uuid.uuid4().hex, None, {
                    "category": rng.choice(("disorder", "protest", "bribery", "other")),
                    "code": rng.choice((1, 2, 2, 3, 3, 4)), "title": "reported at the polling station",
                    "station_code": rng.choice(stations), "lat": round(rng.uniform(34.5, 38.0), 6),
                    "lon": round(rng.uniform(126.5, 129.3), 6)}))
        elif kind == "incident.transition":
            for _k, id, _d in rng.sample(by_kind[K.INCIDENT], n):
                muts.append((kind, K.INCIDENT, id, 1, {"to": "acknowledged"}))
        elif kind == "route.advance":
            movable = [s for s in by_kind[K.ROUTE] if s[2].get("state", "waiting") != "arrived"]
            for _k, id, d in rng.sample(movable, n):
                to = "arrived" if d.get("state") == "departed" else "departed"
                muts.append((kind, K.ROUTE, id, 1, {"to": to}))
        elif kind == "site.deployment":
            sites = [s for s in by_kind[K.POLLING_STATION] if s[2].get("kind") == "election_day"]
            for _k, id, d in rng.sample(sites, n):
                assigned = (int(d.get("officers_assigned", 0)) + 1) % 3
                muts.append((kind, K.POLLING_STATION, id, 1, {"officers_assigned": assigned}))
        elif kind == "unit.status":
            for _k, id, _d in rng.sample(by_kind[K.UNIT], n):
                muts.append((kind, K.UNIT, id, 1, {
                    "status": rng.choice(("available", "dispatched", "on_scene", "returning")),
                    "lat": round(rng.uniform(34.5, 38.0), 6), "lon": round(rng.uniform(126.5, 129.3), 6)}))
    rng.shuffle(muts)
    muts = muts[:count]
    bodies = []
    for start in range(0, len(muts), MAX_PUSH_BATCH):
        batch = [MutationIn(client_seq=start + i + 1, kind=kind, record_kind=rk, record_id=id,
                            base_version=base, payload=payload, made_at=made_at)
                 for i, (kind, rk, id, base, payload) in enumerate(muts[start:start + MAX_PUSH_BATCH])]
        bodies.append(PushRequest(client_id=client_id, mutations=batch).model_dump_json())
    return bodies, {(rk, id) for _kind, rk, id, _base, _payload in muts}


def _push(url: str, client_id: str, bodies: list[str], control: Any, events: Any) -> None:
    """Another national HQ console, in its own process: logs in, waits for "go", pushes."""
    import requests

    from console.bench.sync_bench import _cheap_hashing
    from console.protocol.schema import API_PREFIX, LoginRequest

    _cheap_hashing()
    session = requests.Session()
    try:
        token = session.post(url + API_PREFIX + "/login", timeout=60, json=LoginRequest(
            username="hq2", password=PASSWORD, client_id=client_id).model_dump()).json()["token"]
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        events.put(("ready", ""))
        control.get()
        problems: list[str] = []
        for body in bodies:
            resp = session.post(url + API_PREFIX + "/mutations", data=body, headers=headers, timeout=120)
            resp.raise_for_status()
            problems += [f"{r['record_kind']} {r['record_id']}: {r.get('error_code')} {r.get('message')}"
                         for r in resp.json()["results"] if r["status"] != "applied"]
        events.put(("done", json.dumps(problems[:5] + ([f"... {len(problems)} in all"] if problems else []))))
    except BaseException as exc:  # reported to the parent, which would otherwise wait in vain
        events.put(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        session.close()


# -- watching the reads ---------------------------------------------------------------------------
@dataclass(eq=False)
class Read:
    """One read a panel asked of the OperationRunner."""

    panel: str
    channel: str
    issued: float
    key: str | None
    parent: Read | None = None  # the read whose answer the panel was taking in when it asked
    kinds: set[RecordKind] = field(default_factory=set)
    delivered: float | None = None  # its answer reached the GUI thread
    shown: float | None = None  # ... and the panel had taken it in
    open_followups: int = 0
    tail: float | None = None  # shown, or later if follow-up reads were shown later


_reading = threading.local()


class ReadRecorder:
    """The replica as the panels see it (they read only through ReplicaReads): notes which
    record kinds the read running on this thread touches; everything else passes through."""

    def __init__(self, replica: Any) -> None:
        self._replica = replica

    @staticmethod
    def _note(kind: Any) -> None:
        read: Read | None = getattr(_reading, "read", None)
        if read is not None:
            read.kinds.add(RecordKind(kind))

    def rows(self, kind: RecordKind) -> Any:
        self._note(kind)
        return self._replica.rows(kind)

    def row(self, kind: RecordKind, id: str) -> Any:
        self._note(kind)
        return self._replica.row(kind, id)

    def count(self, kind: RecordKind) -> int:
        self._note(kind)
        return int(self._replica.count(kind))

    def rows_by_ids(self, kind: RecordKind, ids: Any) -> Any:
        self._note(kind)
        return self._replica.rows_by_ids(kind, ids)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._replica, name)


class Announcements:
    """When the ChangeBus announced which kinds: connected first, so it runs before any panel."""

    def __init__(self) -> None:
        self.log: list[tuple[float, frozenset[RecordKind]]] = []

    def on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        self.log.append((time.perf_counter(), frozenset(RecordKind(k) for k in changes)))

    def last(self, since: float) -> dict[RecordKind, float]:
        out: dict[RecordKind, float] = {}
        for at, kinds in self.log:
            if at >= since:
                for kind in kinds:
                    out[kind] = at
        return out


def _make_runner_class() -> type:
    from console.ui.operations import OperationRunner

    class WatchedRunner(OperationRunner):  # type: ignore[misc]  # PySide's QObject subclassing
        """The console's OperationRunner, noting every read (see the module's docstring)."""

        def __init__(self, panel_of: Callable[[FrameType | None], str | None]) -> None:
            super().__init__()
            self.panel_of = panel_of
            self.reads: list[Read] = []
            self._delivering: Read | None = None
            self._undelivered: dict[str, Read] = {}

        def query(self, fn: Callable[[], Any], on_done: Callable[[Any], None], *, key: str | None = None,
                  on_error: Callable[[BaseException], None] | None = None) -> None:
            panel = self.panel_of(sys._getframe(1)) or "(no panel)"
            owner = getattr(on_done, "__self__", None)
            channel: str = key or (f"{type(owner).__name__}@{id(owner):x}" if owner is not None
                                   else str(getattr(on_done, "__qualname__", "?")))
            parent = self._delivering
            if parent is not None and (parent.panel, parent.channel) == (panel, channel):
                parent = parent.parent  # the channel's next read (a feed's next update), no follow-up
            counted = False
            # A keyed read not answered yet is dropped by this one (the runner answers only the
            # newest of a key): a follow-up so dropped is waited for through its replacement.
            superseded = self._undelivered.get(key) if key else None
            if superseded is not None and superseded.parent is not None:
                if parent is None:
                    parent, counted = superseded.parent, True
                else:
                    superseded.parent.open_followups -= 1
                    self._settle_up(superseded.parent)
            read = Read(panel, channel, time.perf_counter(), key, parent)
            if parent is not None and not counted:
                parent.open_followups += 1
            if key:
                self._undelivered[key] = read
            self.reads.append(read)

            def run() -> Any:
                _reading.read = read
                try:
                    return fn()
                finally:
                    _reading.read = None

            def done(result: Any) -> None:
                read.delivered = time.perf_counter()
                outer, self._delivering = self._delivering, read
                try:
                    on_done(result)
                finally:
                    self._delivering = outer
                    read.shown = time.perf_counter()
                    self._finish(read)

            super().query(run, done, key=key, on_error=on_error)

        def _finish(self, read: Read) -> None:
            if read.key and self._undelivered.get(read.key) is read:
                del self._undelivered[read.key]
            read.tail = max(read.tail or 0.0, read.shown or 0.0)
            self._settle_up(read)

        @staticmethod
        def _settle_up(node: Read) -> None:
            """A read taken in with all its follow-ups: its parent waits for one fewer."""
            while node.shown is not None and node.open_followups == 0 and node.parent is not None:
                up = node.parent
                up.open_followups -= 1
                up.tail = max(up.tail or 0.0, node.tail or 0.0)
                node = up

    return WatchedRunner


def panel_finder(modules: dict[str, str]) -> Callable[[FrameType | None], str | None]:
    """Which panel asked: the first object on the calling stack that is a panel's, or whose
    QObject parents include one (a panel's feed, model or chart)."""
    from console.ui.qt import QObject

    def of_object(obj: Any) -> str | None:
        for _ in range(40):
            if obj is None:
                return None
            name = modules.get(type(obj).__module__)
            if name is not None:
                return name
            obj = obj.parent() if isinstance(obj, QObject) else None
        return None

    def find(frame: FrameType | None) -> str | None:
        while frame is not None:
            owner = frame.f_locals.get("self")
            if owner is not None:
                name = of_object(owner)
                if name is not None:
                    return name
            frame = frame.f_back
        return None

    return find


@dataclass
class Catchup:
    """When each panel had caught up with the changes announced since `since`."""

    done: bool
    panels: dict[str, float]  # panel -> when its last channel caught up
    waiting: list[str]  # panels (channels) not caught up yet


def catch_up(reads: list[Read], announced: Announcements, since: float, *,
             all_channels: bool) -> Catchup:
    """Per channel: the first read asked after the last announcement of any kind the channel
    reads (announced since `since`), taken in with all its follow-ups. With `all_channels`, every
    channel must have such a read (a first load); otherwise only those whose kinds changed."""
    last = announced.last(since)
    channels: dict[tuple[str, str], list[Read]] = {}
    for read in reads:
        if read.parent is None and read.panel != "(no panel)":
            channels.setdefault((read.panel, read.channel), []).append(read)
    panels: dict[str, float] = {}
    waiting: list[str] = []
    for (panel, channel), chain in channels.items():
        kinds = set().union(*(r.kinds for r in chain))
        changed = [last[k] for k in kinds if k in last]
        if not changed and not all_channels:
            continue
        after = max(changed, default=since)
        caught = next((r for r in chain if r.issued >= after and r.tail is not None
                       and r.open_followups == 0), None)
        if caught is None or caught.tail is None:
            waiting.append(f"{panel} ({channel})")
            continue
        panels[panel] = max(panels.get(panel, 0.0), caught.tail)
    return Catchup(not waiting, panels, waiting)


# -- the console ----------------------------------------------------------------------------------
@dataclass
class Console:
    window: Any
    ops: Any
    changes: Any
    session: Any
    replica: Any
    announced: Announcements
    pacer: Any
    started: float  # the window began to be built
    sync_started: float
    synced: list[float]  # when the first sync's last page was in (filled by the engine's thread)
    changed: set[tuple[RecordKind, str]]  # rows the replica announced since `watch_changes`


@contextmanager
def national_console(url: str, workdir: Path, username: str = "hq", password: str = PASSWORD
                     ) -> Iterator[Console]:
    """The main window of a national HQ console, logged in, syncing, as the launcher runs it."""
    from console.ui.events import ChangeBus, Selection
    from console.ui.gc_pacer import GcPacer
    from console.ui.i18n import LanguageSwitcher
    from console.ui.main_window import MainWindow, SessionActions
    from console.ui.panels.base import PanelContext, discover_panels
    from console.ui.qt import QSettings
    from console.ui.session import Session, log_in
    from console.ui.theme import ThemeManager

    theme = ThemeManager("dark")
    theme.apply()
    languages = LanguageSwitcher()
    languages.set_language("ko")
    settings = QSettings(str(workdir / "console.ini"), QSettings.Format.IniFormat)
    specs = discover_panels()
    modules = {spec.factory.__module__: spec.object_name for spec in specs}
    ops = _make_runner_class()(panel_finder(modules))
    logged_in = log_in(url, username, password, workdir / "profile")
    replica = logged_in.replica
    synced: list[float] = []
    changed: set[tuple[RecordKind, str]] = set()

    def on_engine(event: Any) -> None:  # the engine's thread
        from console.sync.events import SyncProgress

        if isinstance(event, SyncProgress) and not synced and event.done >= event.total:
            synced.append(time.perf_counter())

    def on_rows(event: Any) -> None:  # the engine's thread
        for kind, ids in event.changes.items():
            changed.update((RecordKind(kind), id) for id in ids)

    unsubscribe = logged_in.engine.subscribe(on_engine)
    unsubscribe_rows = replica.subscribe(on_rows)
    started = time.perf_counter()
    changes = ChangeBus()
    announced = Announcements()
    changes.rows_changed.connect(announced.on_rows_changed)
    session = Session(logged_in, changes, ops)
    ctx = PanelContext(replica=ReadRecorder(replica), ops=ops, selection=Selection(), changes=changes,
                       clock=logged_in.engine.clock, user=logged_in.user, theme=theme,
                       console_id=logged_in.console_id, settings=settings)
    window = MainWindow(ctx, settings, languages, specs=specs,
                        actions=SessionActions(sync_now=session.sync_now))
    window.resize(1920, 1080)
    window.show()
    sync_started = time.perf_counter()
    session.start()
    pacer = GcPacer(parent=window)
    changes.rows_changed.connect(pacer.activity)
    pacer.start()
    console = Console(window, ops, changes, session, replica, announced, pacer, started, sync_started,
                      synced, changed)
    try:
        yield console
    finally:
        unsubscribe()
        unsubscribe_rows()
        pacer.stop()
        window.close()
        session.stop()
        changes.stop()
        ops.shutdown(wait=True)
        spin(0.05)
        for obj in (window, session, changes, ops):
            obj.deleteLater()
        languages.remove()
        spin(0.05)


def _settle(console: Console, since: float, *, all_channels: bool, ready: Callable[[], bool],
            timeout: float) -> Catchup:
    """Run the event loop until `ready()` and every panel has caught up (and stays so for a
    moment with nothing in flight), or until `timeout`."""
    state = Catchup(False, {}, ["(not started)"])
    calm_since: float | None = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        spin(0.02)
        if not ready():
            continue
        state = catch_up(console.ops.reads, console.announced, since, all_channels=all_channels)
        if state.done and console.ops.in_flight == 0:
            calm_since = calm_since or time.monotonic()
            if time.monotonic() - calm_since >= 0.5:
                return state
        else:
            calm_since = None
    return state


# -- the figures ----------------------------------------------------------------------------------
def headless_first_sync(url: str, workdir: Path) -> float:
    """Seconds for the same user's first sync with no console around it (engine and replica)."""
    from console.replica import Replica
    from console.sync import SyncEngine

    replica = Replica(workdir / "replica.sqlite3")
    engine = SyncEngine(url, replica)
    try:
        engine.login("hq", PASSWORD)
        started = time.perf_counter()
        engine.start()
        deadline = time.monotonic() + SETTLE_LIMIT_S
        while replica.cursor() is None:
            if time.monotonic() > deadline:
                raise TimeoutError("benchmark: the headless first sync timed out")
            time.sleep(0.002)
        return time.perf_counter() - started
    finally:
        engine.close()
        replica.close()


def run(quick: bool) -> list[Figure]:
    return measure(SCALE_QUICK if quick else SCALE_FULL)


def measure(scale: float) -> list[Figure]:
    import multiprocessing

    from console.bench.sync_bench import bench_server
    from console.ui.testing import StallProbe

    app()
    now = datetime.now(UTC)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="sitroom-console-bench-") as tmp:
        workdir = Path(tmp)
        with bench_server(workdir) as server:
            rows = seed(server, scale, now)
            counts = {k: sum(1 for r in rows if r[0] == k) for k in (K.INCIDENT, K.ROUTE, K.POLLING_STATION,
                                                                      K.UNIT)}
            size = (f"{len(rows):,} rows: {counts[K.INCIDENT]:,} incidents, {counts[K.ROUTE]:,} routes, "
                    f"{counts[K.POLLING_STATION]:,} polling stations, {counts[K.UNIT]:,} units")
            # The writer of the 1,000 changes starts and logs in first: a process starting up
            # beside the console would take its CPU while it is timed.
            client_id = uuid.uuid4().hex
            bodies, targets = change_bodies(rows, now, CHANGES, client_id)
            mp = multiprocessing.get_context("spawn")
            control: Any = mp.Queue()
            events: Any = mp.Queue()
            writer = mp.Process(target=_push, args=(server.url, client_id, bodies, control, events),
                                daemon=True)
            writer.start()
            try:
                tag, message = events.get(timeout=120)
                if tag != "ready":
                    raise RuntimeError(f"benchmark: the writer console failed: {message}")
                headless = headless_first_sync(server.url, workdir / "headless")
                with national_console(server.url, workdir / "console") as console:
                    state = _settle(console, console.started, all_channels=True,
                                    ready=lambda: bool(console.synced), timeout=SETTLE_LIMIT_S)
                    if not console.synced:
                        raise TimeoutError("benchmark: the console's first sync did not finish")
                    figures.append(_first_data_figure(console, state, headless, size))

                    # -- 1,000 changes through the replica ------------------------------------------
                    idle = StallProbe()
                    idle.start()
                    spin(3.5)  # the panels' clock ticks (every 1-10 s) are part of idle
                    idle.stop()
                    console.changed.clear()
                    probe = StallProbe()
                    probe.start()
                    started = time.perf_counter()
                    control.put("go")
                    state = _settle(console, started, all_channels=False,
                                    ready=lambda: targets <= console.changed, timeout=SETTLE_LIMIT_S)
                    caught_up = time.perf_counter() - started
                    probe.stop()
                    tag, message = events.get(timeout=60)
                    if tag != "done" or json.loads(message):
                        raise RuntimeError(f"benchmark: the 1,000 changes were not all applied: {message}")
                    figures.append(_stall_figure(probe.longest_stall_ms, idle.longest_stall_ms, state,
                                                 caught_up, size, len(targets),
                                                 _longest_take_in(console.ops.reads, started)))
            finally:
                writer.join(30)
                if writer.is_alive():
                    writer.terminate()
    return figures


def _first_data_figure(console: Console, state: Catchup, headless: float, size: str) -> Figure:
    synced = console.synced[0] if console.synced else float("nan")
    first_sync = synced - console.sync_started
    if state.done:
        last_panel, last_at = max(state.panels.items(), key=lambda p: p[1])
        took = last_at - console.started
        note = f"last: {last_panel} at {took:.1f} s"
    else:
        took = time.perf_counter() - console.started
        note = f"still waiting for {', '.join(state.waiting)}"
    ratio = took / first_sync
    return Figure(f"console.first_data_all_panels (national HQ, {len(console.window.panels)} panels, {size})",
                  took, "s", ratio,
                  f"its own first sync {first_sync:.2f} s (headless first sync {headless:.2f} s); {note}",
                  f"ratio <= {FIRST_DATA_TARGET:g}", state.done and ratio <= FIRST_DATA_TARGET)


def _longest_take_in(reads: list[Read], since: float) -> str:
    """The panel that took longest to take in one answer on the GUI thread since `since`."""
    taken = [(r.shown - r.delivered, r.panel) for r in reads
             if r.delivered is not None and r.shown is not None and r.delivered >= since]
    if not taken:
        return "no answers"
    seconds, panel = max(taken)
    return f"longest answer taken in: {panel} {seconds * 1000:.0f} ms"


def _stall_figure(stall: float, idle: float, state: Catchup, caught_up: float, size: str,
                  changed: int, take_in: str) -> Figure:
    note = (f"every panel caught up in {caught_up:.1f} s; {take_in}" if state.done
            else f"not caught up after {caught_up:.0f} s: {', '.join(state.waiting)}")
    return Figure(f"console.stall_{changed}_changes (national HQ, every panel, {size})",
                  stall, "ms", stall / idle if idle > 0 else None,
                  f"idle event loop's longest stall {idle:.0f} ms; {note}",
                  f"< {STALL_TARGET_MS:g} ms", state.done and stall < STALL_TARGET_MS)
