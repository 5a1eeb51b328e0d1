"""`sitroom bench --only scale`: the whole country's consoles on PostgreSQL.

A fresh PostgreSQL database ($SITROOM_BENCH_PG_URL, else $SITROOM_TEST_PG_URL, else the local
server as postgres), real `sitroom server` processes on loopback (one; then two behind HAProxy
when `haproxy` is installed), and consoles as asyncio long-pollers in several processes
(console.bench.scale_load). Figures:
- propagation p50/p99 from one console's push to every other console's pull, at 100, 1,000 and
  2,000 consoles (20 writes 0.5 s apart), against 100 consoles and a bare PostgreSQL
  LISTEN/NOTIFY round trip (the floor);
- the reconnect storm: consoles that were away while 20,000 changes were written all come back
  within one second; the time until every one is caught up, the server's peak memory, and that
  nothing failed but 503s the consoles retried;
- the server's memory per idle long-polling console.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests

from console.bench.figures import INFORMATIONAL, Figure
from console.bench.scale_load import LIVE, STORM, Plan, Report, run_consoles

PASSWORD = "scale bench password 1"
TARGET_P99_MS = 500.0
WATCH_SCOPES = (("watch_hq", "national_hq", "NPA"), ("watch_prov", "provincial_hq", "P00"),
                ("watch_station", "station_commander", "S000"))
TARGET_ID = "inc-target"


@dataclass(frozen=True)
class Sizes:
    rows: tuple[int, ...]  # consoles per propagation row; the first is the baseline
    haproxy_consoles: int
    writes: int
    storm_consoles: int
    storm_changes: int
    processes: int


FULL = Sizes(rows=(100, 1000, 2000), haproxy_consoles=1000, writes=20, storm_consoles=1000,
             storm_changes=20_000, processes=4)
QUICK = Sizes(rows=(10, 40), haproxy_consoles=40, writes=5, storm_consoles=20, storm_changes=500,
              processes=2)


# -- PostgreSQL -----------------------------------------------------------------------------------
def admin_url() -> str:
    return (os.environ.get("SITROOM_BENCH_PG_URL") or os.environ.get("SITROOM_TEST_PG_URL")
            or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"sitroom_scale_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url()).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def listen_notify_floor(url: str, rounds: int) -> list[float]:
    """Seconds from a committed NOTIFY to its arrival at a LISTEN connection (psycopg)."""
    import psycopg

    from console.server.notifier import libpq_url

    conninfo = libpq_url(url)
    seconds: list[float] = []
    with psycopg.connect(conninfo, autocommit=True) as listener, \
            psycopg.connect(conninfo, autocommit=True) as sender:
        listener.execute("LISTEN sitroom_floor")
        for i in range(rounds):
            started = time.perf_counter()
            sender.execute("SELECT pg_notify('sitroom_floor', %s)", (str(i),))
            for _ in listener.notifies(timeout=5, stop_after=1):
                seconds.append(time.perf_counter() - started)
    return seconds


def seed(url: str, consoles: int) -> tuple[Any, list[str]]:
    """The org tree, the watchers' users and one session token per console (minted, as a
    console that resumed its session holds one), the target incident. Returns (database,
    tokens)."""
    from console.bench.sync_bench import national_rows
    from console.domain.records import RecordKind
    from console.server import auth, sessions
    from console.server.database import Database
    from console.server.operations import bulk_insert_rows, create_org_unit, create_user

    db = Database(url)
    db.upgrade()
    orgs, _ = national_rows(0.001)
    cheap = auth.cheap_hasher()
    with db.write() as s:
        for code, level, parent in orgs:
            create_org_unit(s, code, level, code, code, parent or None, personnel_total=200,
                            personnel_on_duty=50)
        for name, role, org in WATCH_SCOPES:
            create_user(s, name, PASSWORD, role, org, hasher=cheap)
        create_user(s, "writer", PASSWORD, "station_operator", "S000", hasher=cheap)
        bulk_insert_rows(s, [(RecordKind.INCIDENT, TARGET_ID, _incident(TARGET_ID, 0))])
    policy = sessions.SessionPolicy(idle_timeout=timedelta(hours=2), max_per_user=10**6)
    tokens: list[str] = []
    with db.write() as s:
        for i in range(consoles):
            name = WATCH_SCOPES[i % len(WATCH_SCOPES)][0]
            token, _ = sessions.create(s, name, f"scale-{i}", lifetime=timedelta(hours=4), policy=policy)
            tokens.append(token)
    return db, tokens


def _incident(rid: str, i: int) -> dict[str, Any]:
    return {"id": rid, "category": "disorder", "code": 2, "title": f"Scale bench incident {i}",
            "station_code": "S000", "lat": 37.5, "lon": 127.0, "created_at": "2026-06-03T09:00:00Z",
            "created_by": "bench", "place": "main gate", "description": "reported by 112"}


# -- servers --------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sitroom() -> list[str]:
    return [sys.executable, "-m", "console"]


@contextlib.contextmanager
def sitroom_server(url: str, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """One `sitroom server` process on loopback (its log kept in a temporary file, shown if it
    fails to start)."""
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed after the server)
    proc = subprocess.Popen([*_sitroom(), "server", "--db", url, "--port", str(port),
                             "--escalation-interval", "0", "--log-level", "warning"],
                            stdout=subprocess.DEVNULL, stderr=log)
    try:
        try:
            _wait_up(f"http://127.0.0.1:{port}", proc)
        except (RuntimeError, TimeoutError) as exc:
            log.seek(0)
            raise RuntimeError(f"{exc}: {log.read().decode(errors='replace')[-2000:]}") from None
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _wait_up(base: str, proc: subprocess.Popen[bytes] | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(base + "/health", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise TimeoutError(f"benchmark: {base} did not answer")


HAPROXY_CONFIG = """\
global
    maxconn 8000
defaults
    mode http
    timeout connect 5s
    timeout client 65s
    timeout server 65s
    timeout http-keep-alive 30s
    timeout queue 15s
    retries 3
    option redispatch 1
frontend sitroom
    bind 127.0.0.1:{port}
    default_backend sitroom_servers
backend sitroom_servers
    balance leastconn
    option httpchk
    http-check send meth GET uri /health
    default-server inter 2s fall 2 rise 2
{servers}
"""


@contextlib.contextmanager
def haproxy(port: int, backends: list[int], workdir: Path) -> Iterator[None]:
    """HAProxy (packaging/haproxy/sitroom.cfg's settings, plain HTTP on loopback) in front."""
    config = workdir / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=port, servers="\n".join(
        f"    server s{i} 127.0.0.1:{p} check" for i, p in enumerate(backends))))
    proc = subprocess.Popen([str(shutil.which("haproxy")), "-f", str(config), "-db"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_up(f"http://127.0.0.1:{port}")
        yield
    finally:
        proc.terminate()
        proc.wait(10)


def rss_kib(pid: int) -> int:
    """Resident memory of a process (Linux /proc), KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class PeakMemory:
    """The largest RSS of a process, sampled every 50 ms while in use."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(OSError):
                self.peak = max(self.peak, rss_kib(self.pid))
            self._stop.wait(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._stop.set()
        self._thread.join()


# -- consoles -------------------------------------------------------------------------------------
class Consoles:
    """Load-generator processes running one plan each (tokens split among them)."""

    def __init__(self, port: int, mode: str, tokens: list[str], processes: int, since: int,
                 epoch: str, **plan: Any) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.events: Any = ctx.Queue()
        self.controls = [ctx.Queue() for _ in range(processes)]
        groups = [tokens[k::processes] for k in range(processes)]
        self.procs = [ctx.Process(target=run_consoles, daemon=True, args=(
            Plan("127.0.0.1", port, mode, group, since, epoch, **plan), self.events, control))
            for group, control in zip(groups, self.controls, strict=True) if group]
        self.count = len(tokens)
        self.done: list[Report] = []

    def start(self, timeout: float = 120) -> None:
        for proc in self.procs:
            proc.start()
        ready = 0
        deadline = time.monotonic() + timeout
        while ready < self.count:
            tag, n = self.events.get(timeout=max(1.0, deadline - time.monotonic()))
            if tag == "ready":
                ready += n
            else:  # a storm's process may be done before another is ready
                self.done.append(n)

    def finish(self, timeout: float = 120) -> list[Report]:
        """Tell them to stop (a storm's stop by themselves) and gather their reports."""
        for control in self.controls:
            control.put("stop")
        reports: list[Report] = list(self.done)
        deadline = time.monotonic() + timeout
        while len(reports) < len(self.procs):
            tag, report = self.events.get(timeout=max(1.0, deadline - time.monotonic()))
            if tag == "done":
                reports.append(report)
        for proc in self.procs:
            proc.join(10)
            if proc.is_alive():
                proc.terminate()
        return reports

    def wait_storm(self, timeout: float) -> list[Report]:
        reports: list[Report] = list(self.done)
        deadline = time.monotonic() + timeout
        while len(reports) < len(self.procs):
            tag, report = self.events.get(timeout=max(1.0, deadline - time.monotonic()))
            if tag == "done":
                reports.append(report)
        return reports


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    if q == 0.5:
        return statistics.median(ordered)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


@dataclass
class Propagation:
    consoles: int
    p50_ms: float
    p99_ms: float
    seen_within_10s: float  # share of (write, console) pairs
    push_ms: float  # the writer's own push, median
    rss_per_console_kib: float


def propagation(port: int, server_pids: list[int], tokens: list[str], consoles: int, writes: int,
                processes: int) -> Propagation:
    from console.sync.http import ApiClient

    base = f"http://127.0.0.1:{port}"
    writer = ApiClient(base)
    client_id = uuid.uuid4().hex
    body = writer.request("POST", "/login", auth=False, json={
        "username": "writer", "password": PASSWORD, "client_id": client_id}).json()
    writer.token = body["token"]
    health = writer.request("GET", "/health").json()
    head, epoch = int(health["feed_head"]), str(health["server_epoch"])
    version = _target_version(writer, head)
    for _ in range(3):  # warm up: imports, pools, first pages
        requests.get(base + "/health", timeout=5)
    time.sleep(0.5)
    rss_before = sum(rss_kib(p) for p in server_pids)
    group = Consoles(port, LIVE, tokens[:consoles], processes, head, epoch)
    group.start()
    time.sleep(2.0)  # every console is inside its long-poll now
    rss_idle = sum(rss_kib(p) for p in server_pids)
    written: dict[int, float] = {}
    pushes: list[float] = []
    try:
        for n in range(writes):
            started = time.time()
            answer = writer.request("POST", "/mutations", read_timeout=60, json={
                "client_id": client_id, "mutations": [{
                    "client_seq": n + 1, "kind": "incident.note", "record_kind": "incident",
                    "record_id": TARGET_ID, "base_version": version + n,
                    "payload": {"text": f"scale write {n}"}, "made_at": "2026-06-03T09:00:00Z"}]}).json()
            pushes.append(time.time() - started)
            result = answer["results"][0]
            if result.get("status") != "applied":
                raise RuntimeError(f"benchmark: the writer's push was not applied: {result}")
            written[int(result["seq"])] = started
            time.sleep(max(0.0, 0.5 - (time.time() - started)))
        time.sleep(10.0)  # the last write's ten seconds
    finally:
        reports = group.finish()
        writer.close()
    latencies: list[float] = []
    seen = 0
    for report in reports:
        for seq, started in written.items():
            times = report.arrivals.get(seq, [])
            latencies.extend(t - started for t in times)
            seen += sum(1 for t in times if t - started <= 10.0)
    others = consoles * len(written)
    return Propagation(consoles, _pct(latencies, 0.5) * 1000, _pct(latencies, 0.99) * 1000,
                       seen / others if others else 0.0, _pct(pushes, 0.5) * 1000,
                       (rss_idle - rss_before) / consoles)


def _target_version(api: Any, head: int) -> int:
    since = 0
    version = 0
    while True:
        page = api.request("GET", "/changes", params={"since": since, "limit": 5000}).json()
        for change in page["changes"]:
            if change["row"]["id"] == TARGET_ID:
                version = int(change["row"]["version"])
        since = int(page["cursor"])
        if not page["more"] and since >= head:
            return version


# -- the reconnect storm --------------------------------------------------------------------------
@dataclass
class Storm:
    consoles: int
    changes: int
    caught_up_s: float
    peak_rss_mib: float
    statuses: dict[int, int]
    errors: list[str]
    wire_mib: float
    unfinished: int


STORM_BEHIND = 300  # the consoles lost the server at different moments: cursors this far apart


def storm(port: int, server_pid: int, db: Any, tokens: list[str], changes: int,
          processes: int) -> Storm:
    """The consoles were away while `changes` changes were written (each lost the server at its
    own moment: their cursors are spread over the last STORM_BEHIND changes before); then they
    all come back within one second and catch up."""
    from console.domain.records import RecordKind
    from console.server import feed
    from console.server.operations import bulk_insert_rows

    with db.read() as s:
        since, epoch = feed.head(s), feed.meta(s).epoch
    for start in range(0, changes, 2000):
        with db.write() as s:
            bulk_insert_rows(s, [(RecordKind.INCIDENT, f"storm-{i}", _incident(f"storm-{i}", i))
                                 for i in range(start, min(changes, start + 2000))], validate=False)
    with db.read() as s:
        target = feed.head(s)
    time.sleep(1.0)  # the server's own wake-ups of these writes are over
    group = Consoles(port, STORM, tokens, processes, since, epoch, target=target, spread=1.0,
                     behind=STORM_BEHIND)
    with PeakMemory(server_pid) as memory:
        group.start()
        reports = group.wait_storm(timeout=600)
    started = min(r.started for r in reports)  # the consoles come back within `spread` of it
    finished = [t for r in reports for t in r.finished]
    statuses: dict[int, int] = {}
    for r in reports:
        for status, n in r.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    for proc in group.procs:
        proc.join(10)
    return Storm(len(tokens), target - since, max(finished) - started if finished else float("nan"),
                 memory.peak / 1024, statuses, [e for r in reports for e in r.errors],
                 sum(r.wire_bytes for r in reports) / 2**20, len(tokens) - len(finished))


# -- the run --------------------------------------------------------------------------------------
def run(quick: bool) -> list[Figure]:
    return measure(QUICK if quick else FULL)


def measure(sizes: Sizes) -> list[Figure]:
    figures: list[Figure] = []
    consoles = max(*sizes.rows, sizes.haproxy_consoles, sizes.storm_consoles)
    with fresh_database() as url, tempfile.TemporaryDirectory(prefix="sitroom-scale-") as tmp:
        floor = listen_notify_floor(url, 200 if sizes is FULL else 30)
        floor_ms = _pct(floor, 0.5) * 1000, _pct(floor, 0.99) * 1000
        db, tokens = seed(url, consoles)
        try:
            port = free_port()
            rows: list[Propagation] = []
            with sitroom_server(url, port) as proc:
                for n in sizes.rows:
                    rows.append(propagation(port, [proc.pid], tokens, n, sizes.writes, sizes.processes))
                figures += _propagation_figures(rows, floor_ms, "1 server process")
                storm_result = storm(port, proc.pid, db, tokens[:sizes.storm_consoles],
                                     sizes.storm_changes, sizes.processes)
            figures += _storm_figures(storm_result)
            figures += _memory_figures(rows)
            figures += _haproxy_figures(url, tokens, sizes, rows[0], floor_ms, Path(tmp))
        finally:
            db.dispose()
    return figures


def _propagation_figures(rows: list[Propagation], floor_ms: tuple[float, float],
                         where: str, baseline: Propagation | None = None) -> list[Figure]:
    base = baseline or rows[0]
    figures: list[Figure] = []
    for row in rows:
        label = (f"{row.consoles:,} consoles, {where}, PostgreSQL; "
                 f"{row.seen_within_10s:.0%} of writes seen within 10 s; own push {row.push_ms:.0f} ms")
        figures.append(Figure(f"scale.propagation_p50 ({label})", row.p50_ms, "ms",
                              row.p50_ms / floor_ms[0],
                              f"bare PostgreSQL LISTEN/NOTIFY p50 {floor_ms[0]:.2f} ms",
                              INFORMATIONAL, True))
        target = row.consoles >= 1000 and row is not base
        figures.append(Figure(
            f"scale.propagation_p99 ({label}; vs floor p99 {floor_ms[1]:.2f} ms: "
            f"{row.p99_ms / floor_ms[1]:.0f}x)", row.p99_ms, "ms", row.p99_ms / base.p99_ms,
            f"{base.consoles:,} consoles p99 {base.p99_ms:.0f} ms",
            f"p99 < {TARGET_P99_MS:.0f} ms" if target and row.consoles == 1000 else INFORMATIONAL,
            row.p99_ms < TARGET_P99_MS or not (target and row.consoles == 1000)))
    return figures


def _storm_figures(result: Storm) -> list[Figure]:
    retried = result.statuses.get(503, 0)
    clean = not result.errors and result.unfinished == 0 and set(result.statuses) <= {200, 503}
    label = (f"{result.consoles:,} consoles back within 1 s after {result.changes:,} changes, "
             f"their cursors spread over the {STORM_BEHIND} before; "
             f"{retried} answers 503 retried, {len(result.errors)} other failures, "
             f"{result.unfinished} not caught up; {result.wire_mib:.0f} MiB sent, "
             f"{result.wire_mib * 1024 / max(1, result.consoles):.0f} KiB a console")
    return [
        Figure(f"scale.reconnect_storm ({label})", result.caught_up_s, "s", None, "none",
               "every console caught up, no failure but 503s retried", clean),
        Figure(f"scale.reconnect_storm_peak_rss ({result.consoles:,} consoles, server process)",
               result.peak_rss_mib, "MiB", None, "none", INFORMATIONAL, True),
    ]


MAX_KIB_PER_CONSOLE = 64.0


def _memory_figures(rows: list[Propagation]) -> list[Figure]:
    row = rows[-1]
    return [Figure(f"scale.rss_per_idle_console ({row.consoles:,} idle long-polls, server RSS "
                   "with them open minus before)", row.rss_per_console_kib, "KiB", None, "none",
                   f"<= {MAX_KIB_PER_CONSOLE:.0f} KiB", row.rss_per_console_kib <= MAX_KIB_PER_CONSOLE)]


def _haproxy_figures(url: str, tokens: list[str], sizes: Sizes, baseline: Propagation,
                     floor_ms: tuple[float, float], workdir: Path) -> list[Figure]:
    if shutil.which("haproxy") is None:
        print("# scale: haproxy is not installed: 2 server processes behind HAProxy not measured",
              flush=True)
        return []
    ports = [free_port(), free_port()]
    front = free_port()
    with sitroom_server(url, ports[0]) as one, sitroom_server(url, ports[1]) as two, \
            haproxy(front, ports, workdir):
        row = propagation(front, [one.pid, two.pid], tokens, sizes.haproxy_consoles, sizes.writes,
                          sizes.processes)
    return _propagation_figures([row], floor_ms, "2 server processes behind HAProxy", baseline)
