"""The election-day morning burst: every polling station of the country opens between 05:58 and
06:02, pushed by the demo's simulator, while consoles long-poll and a national HQ console renders.

The demo scenario (seed 1) is seeded into a fresh SQLite server database; the server runs in its
own process (sync_bench.bench_server) on the scenario clock. The simulator (the real one, playing
every site) runs in its own process with minted sessions: it first plays the day from 05:30 up to
05:57 at once, then, on "go", follows the server's clock, set to 05:57 at `speed` scenario seconds
per real second, until the openings are all pushed. Meanwhile raw long-pollers
(sync_bench._raw_pollers, logged in as the scenario's users: national, provincial and station
consoles) note when each feed seq reaches them, and the main window of a national HQ console
(console_bench.national_console) takes the burst in through its own long-poll while a QTimer on
its GUI thread measures the longest stall, from "go" until its replica holds every change of
the burst (and half a second more for the panels to take the last ones in).

Figures: the server's throughput (mutations applied per second while the simulator pushed the
burst) against a raw SQLite insert of the same rows; propagation p50/p99 from the push's response
(the simulator has heard the commit) to each poller's arrival of its seq (an arrival before the
response counts as 0); the HQ console's longest GUI stall against the idle loop's. The GUI is
imported only inside functions, so this module imports without Qt.
"""

from __future__ import annotations

import contextlib
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from console.bench.figures import Figure
from console.demo.api_client import ApiClient
from console.demo.scenario import DEMO_PASSWORD, ELECTION_DAY, KST, kst
from console.demo.simulator import Simulator
from console.domain.clock import iso, parse_time
from console.protocol.schema import MutationStatus, PushRequest, PushResponse

SEED = 1
START = kst(ELECTION_DAY, 5, 57)  # the burst starts here: openings run 05:58-06:02
OPENINGS_FROM = kst(ELECTION_DAY, 5, 58)
BURST_END = kst(ELECTION_DAY, 6, 2) + timedelta(seconds=15)  # every opening is due by then
STEP_INTERVAL = 0.25  # the simulator's pace, as Simulator.start follows the clock
POLLER_PROCESSES = 4
PROPAGATION_TARGET_MS = 1000.0
STALL_TARGET_MS = 100.0
SETTLE_LIMIT_S = 90.0  # any wait (first sync, catch-up, the burst) gives up after this


@dataclass(frozen=True)
class Sizes:
    speed: float  # scenario seconds per real second while the burst plays
    consoles: int  # raw long-pollers
    until: datetime = BURST_END  # the scenario time the burst is played to


# The whole burst either way; the quick run at a pace the server keeps up with here (about 900
# changes a second with 40 consoles polling, on 2 cores), the full one with 100 consoles.
FULL = Sizes(speed=4.0, consoles=100)  # 05:57-06:02:15 in 79 s
QUICK = Sizes(speed=16.0, consoles=40)  # ... in 20 s


# -- the simulator, in its own process -----------------------------------------------------------
@dataclass
class Push:
    """One push request of the simulator: when it was sent and answered, the seqs it got."""

    at: str  # the scenario time the simulator had played to
    sent: float
    answered: float
    seqs: list[int]
    others: int  # mutations not applied (conflict, rejected, deferred)


@dataclass
class _TimedClient(ApiClient):
    """The simulator's API client, noting every push request (wall clock, as the pollers)."""

    pushes: list[Push] = field(default_factory=list)
    played_to: Callable[[], datetime | None] = lambda: None

    def _post_with_retry(self, request: PushRequest, attempts: int = 3) -> PushResponse:
        sent = time.time()
        response = super()._post_with_retry(request, attempts)
        seqs = [r.seq for r in response.results if r.status == MutationStatus.APPLIED and r.seq is not None]
        at = self.played_to()
        self.pushes.append(Push(iso(at) if at else "", sent, time.time(), seqs,
                                len(response.results) - len(seqs)))
        return response


class _TimedSimulator(Simulator):
    """The demo's simulator, its pushes timed."""

    pushes: list[Push]

    def _client(self, username: str) -> ApiClient:
        client = self._clients.get(username)
        if client is None:
            assert self.token_source is not None
            client_id, token = self.token_source(username)
            client = _TimedClient(self.base_url, username, client_id=client_id, token=token,
                                  pushes=self.pushes, played_to=lambda: self.now)
            self._clients[username] = client
        return client


def _simulate(url: str, credentials: dict[str, tuple[str, str]], until: str, go: Any,
              events: Any) -> None:
    """Plays 05:30-05:57 at once, says "ready", waits for `go`, then follows the server's clock
    up to `until` and reports its pushes."""
    import os

    from console.bench.sync_bench import parent_gone

    try:
        from console.demo.scenario import build_scenario

        scenario = build_scenario(SEED)
        sim = _TimedSimulator(scenario, url, seed=SEED, token_source=credentials.__getitem__)
        sim.pushes = []
        sim.plan(START)  # from 05:30: what the morning brought before 05:57 is played at once
        sim.step(START)
        caught_up = len(sim.pushes)
        events.put(("ready", sim.stats.pushed))
        while not go.wait(1.0):
            if parent_gone():
                os._exit(1)
        clock = ApiClient(url, "health").health().clock
        sim.sync_clock(parse_time(clock.now), clock.speed)
        end = parse_time(until)
        lag = 0.0
        while True:
            began = time.monotonic()
            target = min(sim.scenario_now(), end)
            sim.step(target)
            lag = max(lag, (sim.scenario_now() - target).total_seconds())
            events.put(("progress", f"played to {target.astimezone(KST):%H:%M:%S}, "
                                    f"{sim.stats.pushed:,} mutations pushed, {lag:.0f} s behind"))
            if target >= end:
                break
            time.sleep(max(0.0, STEP_INTERVAL - (time.monotonic() - began)))
        sim.stop()
        events.put(("done", {"pushes": [(p.at, p.sent, p.answered, p.seqs, p.others)
                                        for p in sim.pushes[caught_up:]],
                             "lag": lag, "errors": sim.stats.errors[:5],
                             "by_status": dict(sim.stats.by_status)}))
    except BaseException as exc:  # the parent would otherwise wait in vain
        events.put(("failed", f"{type(exc).__name__}: {exc}"))


# -- the consoles ---------------------------------------------------------------------------------
def poller_users(scenario: Any, consoles: int) -> list[str]:
    """Who the long-pollers are: a national viewer, every provincial HQ, and station operators
    spread over the country for the rest."""
    users = ["viewer"] + [f"{p.code.lower()}-hq" for p in scenario.provinces]
    stations = scenario.stations
    rest = max(0, consoles - len(users))
    users += [f"{stations[k * len(stations) // rest].code.lower()}-op" for k in range(rest)] if rest else []
    return users[:consoles]


def _mix(users: list[str]) -> str:
    national = sum(1 for u in users if u == "viewer")
    provincial = sum(1 for u in users if u.endswith("-hq"))
    return f"{national} national, {provincial} provincial, {len(users) - national - provincial} station"


# -- the run --------------------------------------------------------------------------------------
def run(quick: bool) -> list[Figure]:
    return measure(QUICK if quick else FULL)


def measure(sizes: Sizes) -> list[Figure]:
    import multiprocessing

    from console.bench.console_bench import _settle, national_console
    from console.bench.gui import app, spin, until
    from console.bench.sync_bench import _raw_pollers, bench_server
    from console.demo.scenario import build_scenario
    from console.demo.seed import mint_tokens, seed_database
    from console.demo.simulator import simulator_usernames
    from console.protocol.schema import ClockInfo
    from console.server.database import Database
    from console.ui.testing import StallProbe

    app()
    scenario = build_scenario(SEED)
    with tempfile.TemporaryDirectory(prefix="sitroom-burst-bench-") as tmp:
        workdir = Path(tmp)
        database = Database(f"sqlite:///{workdir / 'server.db'}")
        try:
            database.upgrade()
            seed_database(database, scenario)
            credentials = mint_tokens(database, simulator_usernames(scenario))
            users = poller_users(scenario, sizes.consoles)
            tokens = [token for _client, token in mint_tokens(database, users).values()]
        finally:
            database.dispose()
        mp = multiprocessing.get_context("spawn")
        # Until "go" the clock runs at real speed: the morning up to 05:57 is played at once.
        with bench_server(workdir, clock=(START, 1.0)) as server:
            go: Any = mp.Event()
            sim_events: Any = mp.Queue()
            simulator = mp.Process(target=_simulate, daemon=True, args=(
                server.url, credentials, iso(sizes.until), go, sim_events))
            simulator.start()
            poll_events: Any = mp.Queue()
            control: Any = mp.Queue()
            groups = [list(range(len(users)))[k::POLLER_PROCESSES] for k in range(POLLER_PROCESSES)]
            pollers = [mp.Process(target=_raw_pollers, daemon=True, args=(
                server.url, g, None, poll_events, control, [tokens[i] for i in g])) for g in groups if g]
            for p in pollers:
                p.start()
            try:
                # The console starts meanwhile: its first sync overlaps the simulator's catch-up.
                with national_console(server.url, workdir / "console", "hq", DEMO_PASSWORD) as console:
                    _wait_ready(sim_events, poll_events, len(users), spin)
                    state = _settle(console, console.started, all_channels=True,
                                    ready=lambda: bool(console.synced), timeout=SETTLE_LIMIT_S)
                    if not state.done:
                        raise TimeoutError(f"benchmark: the HQ console did not settle: {state.waiting}")
                    idle = StallProbe()
                    idle.start()
                    spin(3.5)  # the panels' clock ticks (every 1-10 s) are part of idle
                    idle.stop()

                    # -- go ------------------------------------------------------------------------
                    probe = StallProbe()
                    probe.start()
                    server.set_clock(START, sizes.speed)
                    # as the console's next health check would learn it
                    console.session.engine.clock.update(ClockInfo(now=iso(START), speed=sizes.speed))
                    go.set()
                    tag, report = _wait_spinning(sim_events, (sizes.until - START).total_seconds()
                                                 / sizes.speed + SETTLE_LIMIT_S, spin)
                    if tag != "done":
                        raise RuntimeError(f"benchmark: the simulator failed: {report}")
                    last_seq = max((max(p[3]) for p in report["pushes"] if p[3]), default=0)
                    last_push = max((p[2] for p in report["pushes"]), default=time.time())
                    caught_up = until(lambda: (console.replica.cursor() or 0) >= last_seq, SETTLE_LIMIT_S)
                    behind = time.time() - last_push
                    spin(0.5)  # what the last changes bring the panels
                    probe.stop()
            finally:
                for _ in pollers:
                    control.put("stop")
                arrivals = _collect(poll_events, len(users))
                for p in [*pollers, simulator]:
                    p.join(10)
                    if p.is_alive():
                        p.terminate()
            return _figures(sizes, users, report, arrivals, idle.longest_stall_ms, probe.longest_stall_ms,
                            behind if caught_up else None, server, workdir)


def _wait_ready(sim_events: Any, poll_events: Any, pollers: int, spin: Any) -> None:
    """Until the simulator has played up to 05:57 and every poller waits, the console's event
    loop running."""
    import queue

    deadline = time.monotonic() + SETTLE_LIMIT_S
    simulator, ready = False, 0
    while not simulator or ready < pollers:
        if time.monotonic() > deadline:
            raise TimeoutError(f"benchmark: timed out waiting for the simulator's catch-up to 05:57 "
                               f"({'done' if simulator else 'not done'}) and the long-pollers "
                               f"({ready} of {pollers} ready)")
        spin(0.05)
        with contextlib.suppress(queue.Empty):
            tag, message = sim_events.get_nowait()
            if tag != "ready":
                raise RuntimeError(f"benchmark: the simulator failed: {message}")
            simulator = True
        with contextlib.suppress(queue.Empty):
            while True:
                poll_events.get_nowait()
                ready += 1


def _wait_spinning(events: Any, timeout: float, spin: Any) -> Any:
    """The simulator's last word, running the console's event loop meanwhile."""
    import queue

    deadline = time.monotonic() + timeout
    progress = "nothing played"
    while time.monotonic() < deadline:
        spin(0.05)
        try:
            while True:
                tag, message = events.get_nowait()
                if tag != "progress":
                    return tag, message
                progress = message
        except queue.Empty:
            continue
    raise TimeoutError(f"benchmark: the simulator did not finish the burst in {timeout:.0f} s ({progress})")


def _collect(events: Any, count: int) -> list[tuple[int, list[int], list[float]]]:
    """Each poller's arrivals (sent once it is told to stop)."""
    import queue

    out: list[tuple[int, list[int], list[float]]] = []
    deadline = time.monotonic() + 30
    while len(out) < count and time.monotonic() < deadline:
        try:
            item = events.get(timeout=1)
        except queue.Empty:
            continue
        if item[0] != "ready":
            out.append(item)
    return out


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    if q == 0.5:
        return statistics.median(ordered) * 1000
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


def _figures(sizes: Sizes, users: list[str], report: dict[str, Any],
             arrivals: list[tuple[int, list[int], list[float]]], idle_ms: float, stall_ms: float,
             behind: float | None, server: Any, workdir: Path) -> list[Figure]:
    from console.bench.sync_bench import raw_sqlite_insert

    pushes = report["pushes"]
    committed: dict[int, float] = {}
    for _at, _sent, answered, seqs, _others in pushes:
        for seq in seqs:
            committed[seq] = answered
    applied = len(committed)
    # The server's pace while the stations open: the pushes played from 05:58 on (the minute
    # before holds a handful of changes, and would only dilute it).
    opening = [p for p in pushes if p[0] and parse_time(p[0]) >= OPENINGS_FROM]
    in_openings = sum(len(p[3]) for p in opening)
    span = (max(p[2] for p in opening) - min(p[1] for p in opening)) if opening else 0.0
    throughput = in_openings / span if span > 0 else float("nan")
    latencies: list[float] = []
    for _i, seqs, times in arrivals:
        for seq, at in zip(seqs, times, strict=True):
            answered = committed.get(seq)
            if answered is not None:
                latencies.append(max(0.0, at - answered))
    rows = _burst_rows(server, sorted(committed))
    openings = sum(1 for r in rows if r.kind.value == "polling_station" and r.data.get("open") is True)
    raw_s = raw_sqlite_insert(workdir / "raw.sqlite3", rows)
    raw_rate = len(rows) / raw_s if raw_s > 0 else float("nan")
    window = f"{START.strftime('%H:%M')}-{sizes.until.strftime('%H:%M:%S')} KST"
    refused = sum(p[4] for p in pushes)
    label = (f"{applied:,} mutations applied{f' ({refused:,} not)' if refused else ''}, {openings:,} "
             f"polling stations opened, {window} at {sizes.speed:g}x, {len(pushes):,} pushes")
    consoles = f"{len(users)} consoles long-polling in {POLLER_PROCESSES} processes ({_mix(users)})"
    p50, p99 = _pct(latencies, 0.5), _pct(latencies, 0.99)
    return [
        Figure(f"burst.throughput ({label})", throughput, "mutations/s",
               throughput / raw_rate if raw_rate else None,
               f"raw sqlite3 executemany of the same {len(rows):,} rows {raw_rate:,.0f} rows/s; "
               f"the simulator's lag at most {report['lag']:.1f} s", "informational", True),
        Figure(f"burst.propagation_p50 ({label}; {consoles}; {len(latencies):,} arrivals)", p50, "ms",
               None, "none", "informational", True),
        Figure(f"burst.propagation_p99 ({label}; {consoles}; {len(latencies):,} arrivals)", p99, "ms",
               None, "none", f"< {PROPAGATION_TARGET_MS:g} ms",
               bool(latencies) and p99 < PROPAGATION_TARGET_MS),
        Figure(f"burst.hq_console_stall (national HQ, every panel, during the burst of {label})",
               stall_ms, "ms", stall_ms / idle_ms if idle_ms > 0 else None,
               f"idle event loop's longest stall {idle_ms:.0f} ms; "
               + (f"its replica had every change {behind:.1f} s after the last push" if behind is not None
                  else f"its replica did NOT get every change in {SETTLE_LIMIT_S:g} s"),
               f"< {STALL_TARGET_MS:g} ms", behind is not None and stall_ms < STALL_TARGET_MS),
    ]


def _burst_rows(server: Any, seqs: list[int]) -> list[Any]:
    """The rows the burst changed (only the simulator writes meanwhile), as the server holds them."""
    from sqlalchemy import and_, select

    from console.domain.records import RecordKind
    from console.protocol.schema import Row
    from console.server.tables import FeedEntry, RowRecord

    if not seqs:
        return []
    changed = (select(FeedEntry.kind, FeedEntry.id).where(FeedEntry.seq.between(seqs[0], seqs[-1]))
               .distinct().subquery())
    with server.database.read() as s:
        found = s.execute(
            select(RowRecord.kind, RowRecord.id, RowRecord.version, RowRecord.org_path, RowRecord.data)
            .join(changed, and_(changed.c.kind == RowRecord.kind, changed.c.id == RowRecord.id))).all()
    return [Row(kind=RecordKind(kind), id=id, version=version, org_path=path, data=data)
            for kind, id, version, path, data in found]
