"""Sync benchmarks: first sync of a national data set, flushing an offline outbox, and how fast
one console's write reaches many long-polling consoles. Each against a baseline from the same run.

Runs an embedded server (SQLite) on loopback in this process, seeded with console.server.operations.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import requests

from console.bench.figures import Figure
from console.domain.records import RecordKind
from console.domain.roles import Role
from console.protocol.schema import (
    API_PREFIX,
    MAX_PAGE,
    MAX_PUSH_BATCH,
    LoginRequest,
    LoginResponse,
    MutationIn,
    PushRequest,
    Row,
)
from console.replica import Replica
from console.sync import SyncEngine

PASSWORD = "bench password 1"
FIRST_SYNC_RUNS = 3
FLUSH_S_PER_10K = 3.0  # the outbox flush target: 10,000 mutations in under 3 s
AT = "2026-06-03T09:00:00Z"


# -- the data set ---------------------------------------------------------------------------------
OrgSpec = tuple[str, str, str]  # code, level, parent code
RowSpec = tuple[RecordKind, str, dict[str, Any]]  # kind, id, data


def national_rows(scale: float, seed: int = 1) -> tuple[list[OrgSpec], list[RowSpec]]:
    """(org units as (code, level, parent), other rows as (kind, id, data)) of a national election."""
    rng = random.Random(seed)
    n = {k: max(1, round(v * scale)) for k, v in {
        "polling": 14_295, "early": 3_500, "counting": 254, "routes": 14_500, "incidents": 10_000}.items()}
    orgs: list[tuple[str, str, str]] = [("NPA", "national", "")]
    stations: list[str] = []
    for p in range(18):
        orgs.append((f"P{p:02d}", "provincial", "NPA"))
    for s in range(259):  # the org tree is national at every scale
        code = f"S{s:03d}"
        orgs.append((code, "station", f"P{s % 18:02d}"))
        stations.append(code)

    def pos() -> tuple[float, float]:
        return round(rng.uniform(34.5, 38.0), 6), round(rng.uniform(126.5, 129.3), 6)

    rows: list[tuple[RecordKind, str, dict[str, Any]]] = []
    counting: list[tuple[str, str]] = []
    for i in range(n["counting"]):
        st = stations[i % len(stations)]
        lat, lon = pos()
        cid = f"cs-{i}"
        counting.append((cid, st))
        rows.append((RecordKind.COUNTING_STATION, cid, {
            "id": cid, "name": f"Counting station {i}", "station_code": st, "lat": lat, "lon": lon,
            "district": f"district {i}", "officers_planned": 30, "officers_assigned": 28}))
    polling: list[tuple[str, str]] = []
    for kind, count in (("election_day", n["polling"]), ("early_voting", n["early"])):
        for i in range(count):
            st = stations[rng.randrange(len(stations))]
            lat, lon = pos()
            pid = f"ps-{kind}-{i}"
            polling.append((pid, st))
            rows.append((RecordKind.POLLING_STATION, pid, {
                "id": pid, "kind": kind, "name": f"Polling station {i} ({kind})", "station_code": st,
                "lat": lat, "lon": lon, "district": f"district {i % 250}", "town": f"town {i % 3500}",
                "officers_planned": 2, "officers_assigned": rng.choice((0, 1, 2, 2, 2)), "open": True}))
    for i in range(n["routes"]):
        pid, st = polling[i % len(polling)]
        cid, _ = counting[i % len(counting)]
        rows.append((RecordKind.ROUTE, f"rt-{i}", {
            "id": f"rt-{i}", "polling_station_id": pid, "counting_station_id": cid, "station_code": st,
            "planned_minutes": rng.randint(10, 90)}))
    categories = ("bribery", "false_information", "election_violence", "disorder", "protest", "other")
    for i in range(n["incidents"]):
        st = stations[rng.randrange(len(stations))]
        lat, lon = pos()
        rows.append((RecordKind.INCIDENT, f"inc-{i}", {
            "id": f"inc-{i}", "category": rng.choice(categories), "code": rng.randint(0, 4),
            "title": f"Incident {i} near polling station", "station_code": st, "lat": lat, "lon": lon,
            "created_at": AT, "created_by": "bench", "place": "main gate", "description": "reported by 112",
            "timeline": [{"at": AT, "by": "bench", "kind": "created", "text": f"incident {i} created",
                          "console": ""}]}))
    return orgs, rows


# -- server set-up --------------------------------------------------------------------------------
def _cheap_hashing() -> None:
    """Logins are set-up here, not what is measured: hash cheaply so 100 consoles log in fast."""
    from argon2 import PasswordHasher

    from console.server import auth

    auth._hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


def _serve(db_url: str, port_out: Any, stop_in: Any, clock: tuple[str, float] | None = None) -> None:
    """The server process: an embedded server (on a scenario clock (start, speed) if given) until
    told to stop; a (time, speed) received meanwhile sets its clock."""
    from console.domain.clock import parse_time
    from console.server.clock import ServerClock
    from console.server.embedded import EmbeddedServer

    _cheap_hashing()
    server = EmbeddedServer(db_url, escalation_interval=None,
                            clock=ServerClock(parse_time(clock[0]), clock[1]) if clock else None).start()
    server.settings.sessions.max_per_user = 1000  # the propagation bench logs 100 consoles in as one user
    port_out.put(server.port)
    while (command := until_told(stop_in)) != "stop":
        at, speed = command
        server.clock.set(parse_time(at), speed)
    server.close()


def parent_gone() -> bool:
    """Whether the benchmark that started this process has died (a crash, a kill)."""
    import multiprocessing

    parent = multiprocessing.parent_process()
    return parent is not None and not parent.is_alive()


def until_told(inbox: Any) -> Any:
    """The next message in `inbox`. A helper process whose benchmark died exits instead: a crashed
    run must not leave its server and pollers running."""
    import os
    import queue

    while True:
        try:
            return inbox.get(timeout=1.0)
        except queue.Empty:
            if parent_gone():
                os._exit(1)


@dataclass
class BenchServer:
    """A server in its own process (as in the field: consoles never share its interpreter),
    and the parent's own handle on its database for seeding and checks."""

    url: str
    database: Any
    commands: Any = None

    def set_clock(self, now: datetime, speed: float) -> None:
        """Set the server's scenario clock (the server's own process does it)."""
        from console.domain.clock import iso

        self.commands.put((iso(now), speed))


@contextmanager
def bench_server(workdir: Path, clock: tuple[datetime, float] | None = None) -> Iterator[BenchServer]:
    """The server on `workdir`/server.db (seeded already, or seeded through `database`), on a
    scenario clock (start, speed) if given."""
    import multiprocessing

    from console.domain.clock import iso
    from console.server.database import Database

    db_url = f"sqlite:///{workdir / 'server.db'}"
    _cheap_hashing()
    ctx = multiprocessing.get_context("spawn")
    port_out: Any = ctx.Queue()
    stop_in: Any = ctx.Queue()
    proc = ctx.Process(target=_serve, daemon=True, args=(
        db_url, port_out, stop_in, (iso(clock[0]), clock[1]) if clock else None))
    proc.start()
    database = None
    try:
        port = port_out.get(timeout=120)
        database = Database(db_url)
        yield BenchServer(f"http://127.0.0.1:{port}", database, stop_in)
    finally:
        stop_in.put("stop")
        proc.join(30)
        if proc.is_alive():
            proc.terminate()
        if database is not None:
            database.dispose()


def seed_national(server: Any, scale: float) -> list[tuple[RecordKind, str, dict[str, Any]]]:
    from console.server.operations import bulk_insert_rows, create_org_unit, create_user

    orgs, rows = national_rows(scale)
    with server.database.write() as s:
        for code, level, parent in orgs:
            create_org_unit(s, code, level, code, code, parent or None, personnel_total=200,
                            personnel_on_duty=50)
        create_user(s, "hq", PASSWORD, Role.NATIONAL_HQ, "NPA")
        create_user(s, "op", PASSWORD, Role.STATION_OPERATOR, "S000")
    for i in range(0, len(rows), 5000):
        with server.database.write() as s:
            bulk_insert_rows(s, rows[i:i + 5000], validate=False)
    return rows


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"benchmark: timed out waiting for {what}")
        time.sleep(0.002)


# -- baselines ------------------------------------------------------------------------------------
def raw_sqlite_insert(path: Path, rows: list[Row]) -> float:
    """Seconds for a plain sqlite3 executemany of the same rows (JSON text), same durability."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE rows (kind TEXT, id TEXT, version INT, org_path TEXT, data TEXT, "
                 "PRIMARY KEY (kind, id))")
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO rows VALUES (?, ?, ?, ?, ?)",
                     [(r.kind.value, r.id, r.version, r.org_path, json.dumps(r.data)) for r in rows])
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


# -- (a) first sync -------------------------------------------------------------------------------
def first_sync(server: Any, workdir: Path, runs: int = FIRST_SYNC_RUNS) -> list[Figure]:
    """The national HQ's first sync into an empty replica, the same rows applied to an empty
    replica without HTTP, and the baseline: each the best of `runs` (one run is at the mercy of
    one fsync on a busy disk, and the baseline of a small set is only tens of ms)."""
    syncs, applies, raws = [], [], []
    rows: list[Row] = []
    for run in range(runs):
        replica = Replica(workdir / f"hq{run}" / "replica.sqlite3")
        engine = SyncEngine(server.url, replica)
        try:
            engine.login("hq", PASSWORD)
            started = time.perf_counter()
            engine.start()
            _wait(partial(_synced, replica), 600, "first sync")
            syncs.append(time.perf_counter() - started)
        finally:
            engine.close()
        rows = replica.server_rows()
        replica.close()
        raws.append(raw_sqlite_insert(workdir / f"raw{run}.sqlite3", rows))
        # the replica alone: the same rows as snapshot pages into an empty replica
        fresh = Replica(workdir / f"fresh{run}" / "replica.sqlite3")
        started = time.perf_counter()
        fresh.begin_snapshot("bench", 0, wipe=False)
        for i in range(0, len(rows), MAX_PAGE):
            fresh.apply_snapshot_page(rows[i:i + MAX_PAGE], done=i + MAX_PAGE >= len(rows), as_of=0)
        applies.append(time.perf_counter() - started)
        fresh.close()
    sync_s, apply_s, raw_s = min(syncs), min(applies), min(raws)
    n = len(rows)
    pages = -(-n // MAX_PAGE)
    return [
        Figure(f"sync.first_sync ({n:,} rows in {pages} pages of {MAX_PAGE:,}, HTTP snapshot + replica, "
               f"best of {runs})", sync_s, "s", sync_s / raw_s,
               f"raw sqlite3 executemany {raw_s:.3f} s", "ratio <= 3", sync_s / raw_s <= 3),
        Figure(f"sync.replica_snapshot_apply ({n:,} rows, best of {runs})", apply_s, "s", apply_s / raw_s,
               f"raw sqlite3 executemany {raw_s:.3f} s", "ratio <= 3", apply_s / raw_s <= 3),
    ]


# -- (b) outbox flush -----------------------------------------------------------------------------
def _create_payload(i: int) -> dict[str, Any]:
    return {"category": "disorder", "code": 2, "title": f"offline case {i}", "station_code": "S000",
            "lat": 37.5, "lon": 127.0}


def outbox_flush(server: Any, workdir: Path, count: int) -> list[Figure]:
    replica = Replica(workdir / "op" / "replica.sqlite3")
    engine = SyncEngine(server.url, replica)
    try:
        engine.login("op", PASSWORD)
        engine.start()
        _wait(lambda: replica.cursor() is not None, 120, "first sync of the operator")
        engine.stop()
        started = time.perf_counter()
        for i in range(count):
            replica.submit("incident.create", RecordKind.INCIDENT, uuid.uuid4().hex, _create_payload(i))
        queue_s = time.perf_counter() - started
        started = time.perf_counter()
        engine.start()
        _wait(lambda: replica.pending_count() == 0, 600, "outbox flush")
        flush_s = time.perf_counter() - started
    finally:
        engine.close()
        replica.close()

    # baseline: the same mutations posted straight with requests, batch by batch, no replica
    client_id = uuid.uuid4().hex
    session = requests.Session()
    login = LoginResponse.model_validate_json(session.post(
        server.url + API_PREFIX + "/login", timeout=30,
        json=LoginRequest(username="op", password=PASSWORD, client_id=client_id).model_dump()).content)
    headers = {"Authorization": f"Bearer {login.token}"}
    bodies = []
    for start in range(0, count, MAX_PUSH_BATCH):
        muts = [MutationIn(client_seq=i + 1, kind="incident.create", record_kind=RecordKind.INCIDENT,
                           record_id=uuid.uuid4().hex, payload=_create_payload(i), made_at=AT)
                for i in range(start, min(count, start + MAX_PUSH_BATCH))]
        bodies.append(PushRequest(client_id=client_id, mutations=muts).model_dump_json())
    started = time.perf_counter()
    for body in bodies:
        resp = session.post(server.url + API_PREFIX + "/mutations", data=body, timeout=600,
                            headers={**headers, "Content-Type": "application/json"})
        resp.raise_for_status()
    raw_s = time.perf_counter() - started
    session.close()
    batches = len(bodies)
    limit = FLUSH_S_PER_10K * count / 10_000
    target = (f"< {limit:g} s ({FLUSH_S_PER_10K:g} s per 10,000) and ratio <= 3" if count != 10_000
              else f"< {limit:g} s and ratio <= 3")
    return [
        Figure(f"sync.outbox_flush ({count:,} mutations queued offline in {batches} pushes of "
               f"{MAX_PUSH_BATCH}, until acknowledged)", flush_s, "s",
               flush_s / raw_s, f"raw HTTP posts of the same batches {raw_s:.3f} s", target,
               flush_s < limit and flush_s / raw_s <= 3),
        Figure(f"sync.offline_queue ({count:,} local writes with outbox entry)", queue_s / count * 1000,
               "ms/write", None, "none", "informational", True),
    ]


# -- (c) propagation ------------------------------------------------------------------------------
def _raw_pollers(url: str, indices: list[int], target_id: str | None, events: Any, control: Any,
                 tokens: list[str] | None = None) -> None:
    """The baseline: plain `requests` long-polls of /changes (no replica, no engine), each logged
    in as "watch" or with its session token (`tokens`, one per index). Reports (poller, version,
    wall time) of each change of `target_id`. With `target_id` None each poller notes when every
    feed seq reached it, and reports (poller, seqs, wall times) once told to stop (a burst's
    changes one message each would swamp the queue)."""
    import threading

    arrivals: dict[int, dict[int, float]] = {}
    # One login at a time: the pollers share one user name, and the server makes logins of one
    # name beyond its lockout limit wait their turn anyway; in turn, none waits on the others.
    logging_in = threading.Lock()

    def poll(i: int, token: str | None) -> None:
        session = requests.Session()
        if token is None:
            with logging_in:
                token = session.post(url + API_PREFIX + "/login", timeout=30, json=LoginRequest(
                    username="watch", password=PASSWORD, client_id=uuid.uuid4().hex).model_dump()
                ).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        # the feed head is told only to a caller with a token
        since = session.get(url + "/health", headers=headers, timeout=30).json()["feed_head"]
        seen = arrivals.setdefault(i, {})
        events.put(("ready", 1, 0.0))
        while True:
            try:
                answer = session.get(url + API_PREFIX + "/changes", params={"since": since, "wait": 25},
                                     headers=headers, timeout=40)
            except requests.RequestException:
                return
            if answer.status_code == 503:  # the server sheds load: come back when it says, as consoles do
                time.sleep(float(answer.headers.get("Retry-After", "1")) * random.uniform(1.0, 1.5))
                continue
            answer.raise_for_status()
            page = answer.json()
            now = time.time()
            for change in page["changes"]:
                if target_id is None:
                    seen.setdefault(change["seq"], now)
                elif change["row"]["id"] == target_id:
                    events.put((i, change["row"]["version"], now))
            since = page["cursor"]

    for n, i in enumerate(indices):
        threading.Thread(target=poll, args=(i, tokens[n] if tokens else None), daemon=True).start()
    until_told(control)
    if target_id is None:
        for i, seen in list(arrivals.items()):
            got = dict(seen)
            events.put((i, list(got), list(got.values())))


def _watch_consoles(url: str, workdir: str, indices: list[int], target_id: str, events: Any,
                    control: Any) -> None:
    """A worker process hosting some consoles (consoles are separate machines: they must not share
    the server's interpreter). Reports (console, version, wall time) whenever the target row changes."""
    opened: list[tuple[Replica, SyncEngine]] = []
    for i in indices:
        replica = Replica(Path(workdir) / f"watch{i}" / "replica.sqlite3")
        engine = SyncEngine(url, replica, long_poll_wait=25.0)
        engine.login("watch", PASSWORD)

        def on_change(event: Any, replica: Replica = replica, i: int = i) -> None:
            if target_id in event.changes.get(RecordKind.INCIDENT, ()):
                now = time.time()
                row = replica.server_row(RecordKind.INCIDENT, target_id)
                if row is not None:
                    events.put((i, row.version, now))

        replica.subscribe(on_change)
        engine.start()
        opened.append((replica, engine))
    _wait(lambda: all(r.cursor() is not None for r, _ in opened), 300, "consoles' first sync")
    for _ in opened:
        events.put(("ready", 1, 0.0))
    control.get()  # until the parent says stop
    for replica, engine in opened:
        engine.close()
        replica.close()


def propagation(server: Any, workdir: Path, consoles: int, writes: int) -> list[Figure]:
    """Write-to-seen latency at `consoles` long-polling consoles, against plain long-pollers."""
    target_id = "inc-0"
    with server.database.write() as s:
        from console.server.operations import create_user

        create_user(s, "watch", PASSWORD, Role.STATION_OPERATOR, _station_of(server, target_id))
    raw = _latencies(server, workdir, consoles, writes, target_id, raw=True)
    real = _latencies(server, workdir, consoles, writes, target_id, raw=False)
    raw_p99, p50, p99 = _pct(raw, 0.99), _pct(real, 0.5), _pct(real, 0.99)
    label = (f"{consoles} consoles long-polling in 4 processes, {writes} writes ({len(real)} arrivals), "
             "watcher replicas on tmpfs")
    return [
        Figure(f"sync.propagation_p50 ({label})", p50, "ms", p50 / _pct(raw, 0.5),
               f"plain requests long-pollers p50 {_pct(raw, 0.5):.0f} ms", "informational", True),
        Figure(f"sync.propagation_p99 ({label})", p99, "ms", p99 / raw_p99,
               f"plain requests long-pollers p99 {raw_p99:.0f} ms", "p99 < 500 ms", p99 < 500),
    ]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if q == 0.5:
        return statistics.median(ordered) * 1000
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


def _latencies(server: Any, workdir: Path, consoles: int, writes: int, target_id: str, *, raw: bool,
               processes: int = 4) -> list[float]:
    import multiprocessing

    # In the field every console has its own disk; 100 replicas on this one disk would queue
    # their fsyncs behind each other, so the watchers' replicas live on tmpfs when there is one.
    shm = Path("/dev/shm")
    watch_dir = Path(tempfile.mkdtemp(prefix="sitroom-watch-", dir=shm)) if shm.is_dir() else workdir
    ctx = multiprocessing.get_context("spawn")
    events: Any = ctx.Queue()
    control: Any = ctx.Queue()
    watchers = list(range(1, consoles))  # console 0 writes, the others watch
    groups = [watchers[k::processes] for k in range(processes)]
    workers = [ctx.Process(target=_raw_pollers, args=(server.url, g, target_id, events, control), daemon=True)
               if raw else
               ctx.Process(target=_watch_consoles, args=(server.url, str(watch_dir), g, target_id, events,
                                                         control), daemon=True)
               for g in groups if g]
    for w in workers:
        w.start()
    writer = Replica(workdir / "writer" / "replica.sqlite3")
    writer_engine = SyncEngine(server.url, writer, long_poll_wait=25.0)
    latencies: list[float] = []
    try:
        writer_engine.login("watch", PASSWORD)
        writer_engine.start()
        ready = 0
        while ready < len(watchers):
            tag, _, _ = events.get(timeout=600)
            ready += tag == "ready"
        _wait(lambda: writer.cursor() is not None, 120, "writer's first sync")
        time.sleep(1.0)  # every console is now inside its long-poll
        for n in range(writes):
            base = writer.server_row(RecordKind.INCIDENT, target_id)
            assert base is not None
            want = base.version + 1
            started = time.time()
            writer.submit("incident.note", RecordKind.INCIDENT, target_id, {"text": f"write {n}"})
            arrived: dict[int, float] = {}
            deadline = time.monotonic() + 60
            while len(arrived) < len(watchers):
                if time.monotonic() > deadline:
                    raise TimeoutError("benchmark: propagation to every console timed out")
                who, version, at = events.get(timeout=60)
                if version == want:
                    arrived.setdefault(who, at)
            latencies.extend(at - started for at in arrived.values())
            _wait(partial(_reached, writer, target_id, want), 60, "the writer's own feed")
            time.sleep(0.2)
    finally:
        for _ in workers:
            control.put("stop")
        for w in workers:
            w.join(30)
            if w.is_alive():
                w.terminate()
        writer_engine.close()
        writer.close()
        if watch_dir != workdir:
            shutil.rmtree(watch_dir, ignore_errors=True)
    return latencies


def _synced(replica: Replica) -> bool:
    return replica.cursor() is not None


def _reached(replica: Replica, rid: str, version: int) -> bool:
    row = replica.server_row(RecordKind.INCIDENT, rid)
    return row is not None and row.version >= version


def _station_of(server: Any, incident_id: str) -> str:
    from console.server.tables import RowRecord

    with server.database.read() as s:
        row = s.get(RowRecord, ("incident", incident_id))
        return str(row.data["station_code"])


@dataclass(frozen=True)
class Sizes:
    scale: float  # of the national data set (42,827 rows at 1.0)
    outbox: int  # mutations queued offline
    consoles: int  # long-polling consoles
    writes: int  # writes whose propagation is timed


FULL = Sizes(scale=1.0, outbox=10_000, consoles=100, writes=20)
QUICK = Sizes(scale=0.5, outbox=2_500, consoles=100, writes=5)


def run(quick: bool) -> list[Figure]:
    return measure(QUICK if quick else FULL)


def measure(sizes: Sizes) -> list[Figure]:
    scale = sizes.scale
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="sitroom-sync-bench-") as tmp:
        workdir = Path(tmp)
        with bench_server(workdir) as server:
            seed_national(server, scale)
            figures += first_sync(server, workdir)
            figures += outbox_flush(server, workdir, sizes.outbox)
            figures += propagation(server, workdir, sizes.consoles, sizes.writes)
    return figures
