"""Units, ballot-box routes and deployment panels at national scale: how long an HQ console
takes to show their first rows from a replica, and the longest GUI stall while 1,000 changed
rows arrive as change-feed pages, each against a baseline measured in the same run."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from console.bench.figures import Figure
from console.bench.sync_bench import national_rows
from console.domain.clock import iso
from console.domain.records import RecordKind

K = RecordKind
CHANGES = 1000
FIRST_ROWS_TARGET = 10.0  # ratio to a raw read + sorted() of the same rows
STALL_TARGET_MS = 100.0
UNIT_TYPES = ("patrol_car",) * 10 + ("local_unit",) * 4 + ("mobile_patrol", "investigation",
                                                             "intelligence", "strike_squad")
UNIT_STATUSES = ("available", "available", "dispatched", "on_scene", "returning", "off_duty")
PANELS = ("units", "routes", "deployment")
PANEL_KINDS: dict[str, tuple[RecordKind, ...]] = {
    "units": (K.UNIT,),
    "routes": (K.ROUTE, K.POLLING_STATION, K.COUNTING_STATION, K.ORG),
    "deployment": (K.POLLING_STATION, K.COUNTING_STATION, K.ORG),
}


def _app() -> Any:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from console.ui.qt import QApplication

    app = QApplication.instance()
    return app if app is not None else QApplication([])


# -- the data set ---------------------------------------------------------------------------------
Spec = tuple[RecordKind, str, dict[str, Any], str]  # kind, id, data, org path


def national_replica_rows(scale: float, now: datetime, seed: int = 3) -> list[Spec]:
    """The national data set of the sync benchmark with org paths, ORG rows, about 4,900 units
    (sync_bench has none) and ballot boxes on the move: a third departed, a fifth arrived."""
    rng = random.Random(seed)
    orgs, rows = national_rows(scale, seed)
    parent = {code: p for code, _level, p in orgs}

    def path(code: str) -> str:
        parts = [code]
        while parent.get(parts[-1]):
            parts.append(parent[parts[-1]])
        return "/" + "/".join(reversed(parts)) + "/"

    out: list[Spec] = [(K.ORG, code, {"code": code, "level": level, "name_ko": f"{code} 관서",
                                      "name_en": f"Office {code}", "parent_code": p or None,
                                      "path": path(code)}, path(code)) for code, level, p in orgs]
    for kind, id, data in rows:
        if kind == K.INCIDENT:
            continue
        if kind == K.ROUTE:
            draw = rng.random()
            if draw < 0.55:
                departed = now - timedelta(minutes=rng.randint(1, 150))
                data = {**data, "state": "departed", "departed_at": iso(departed)}
                if draw < 0.2:
                    arrived = departed + timedelta(minutes=rng.randint(5, 60))
                    data.update(state="arrived", arrived_at=iso(arrived))
        out.append((kind, id, data, path(str(data["station_code"]))))
    stations = [code for code, level, _p in orgs if level == "station"]
    n_units = max(20, round(4900 * scale))
    for i in range(n_units):
        station = stations[i % len(stations)]
        utype = rng.choice(UNIT_TYPES)
        out.append((K.UNIT, f"U-{station}-{i:05d}", {
            "id": f"U-{station}-{i:05d}", "callsign": f"{station}-{utype[:2].upper()}{i:05d}", "type": utype,
            "station_code": station, "status": rng.choice(UNIT_STATUSES),
            "lat": round(rng.uniform(34.5, 38.0), 6), "lon": round(rng.uniform(126.5, 129.3), 6),
            "position_at": iso(now - timedelta(seconds=rng.randint(0, 600))), "personnel": 2,
            "incident_id": None}, path(station)))
    return out


def changed_rows(specs: list[Spec], now: datetime, count: int, seed: int = 5) -> list[Spec]:
    """`count` rows changed as a live election evening changes them: boxes departing and
    arriving, officers posted to polling stations, units changing status and position."""
    rng = random.Random(seed)
    by_kind: dict[RecordKind, list[Spec]] = {}
    for spec in specs:
        by_kind.setdefault(spec[0], []).append(spec)
    polling = [s for s in by_kind[K.POLLING_STATION] if s[2].get("kind") == "election_day"]
    share = {K.ROUTE: 0.4, K.POLLING_STATION: 0.35, K.UNIT: 0.25}
    out: list[Spec] = []
    for kind, part in share.items():
        pool = polling if kind == K.POLLING_STATION else by_kind[kind]
        for kind_, id, data, path in rng.sample(pool, min(len(pool), round(count * part))):
            new = dict(data)
            if kind == K.ROUTE:
                if new.get("state") == "departed":
                    new.update(state="arrived", arrived_at=iso(now))
                elif new.get("state") != "arrived":
                    departed = now - timedelta(minutes=rng.randint(0, 120))
                    new.update(state="departed", departed_at=iso(departed))
                else:
                    new["planned_minutes"] = int(new["planned_minutes"]) + 1
            elif kind == K.POLLING_STATION:
                new.update(officers_assigned=rng.choice((0, 1, 2)), open=rng.random() < 0.9)
            else:
                new.update(status=rng.choice(UNIT_STATUSES), lat=round(rng.uniform(34.5, 38.0), 6),
                           position_at=iso(now))
            out.append((kind_, id, new, path))
    rng.shuffle(out)
    return out[:count]


# -- baselines ------------------------------------------------------------------------------------
def raw_read_sorted(db: Path, kinds: tuple[RecordKind, ...], ids: list[str] | None = None) -> float:
    """Seconds for a plain sqlite3 read + json.loads of the rows of `kinds` (or only `ids`) and
    one sorted() of them: the least any panel must do to show them."""
    conn = sqlite3.connect(db)
    started = time.perf_counter()
    marks = ",".join("?" * len(kinds))
    sql = f"SELECT id, data FROM server_rows WHERE kind IN ({marks}) AND deleted = 0"
    params: list[str] = [k.value for k in kinds]
    got: list[tuple[str, dict[str, Any]]] = []
    if ids is None:
        got = [(r[0], json.loads(r[1])) for r in conn.execute(sql, params)]
    else:
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            got += [(r[0], json.loads(r[1])) for r in conn.execute(
                sql + f" AND id IN ({','.join('?' * len(chunk))})", [*params, *chunk])]
    sorted(got, key=lambda r: (str(r[1].get("station_code", "")), r[0]))
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


# -- measuring ------------------------------------------------------------------------------------
def _spin(seconds: float) -> None:
    """Run the Qt event loop (in C++, as the console does) for `seconds`."""
    from console.ui.qt import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(max(1, int(seconds * 1000)), loop.quit)
    loop.exec()


def _until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        _spin(0.005)
    return True


def _settled(ctx: Any, quiet_s: float = 1.0, timeout: float = 300.0) -> None:
    """Until no database work has been in flight for `quiet_s` (the panels caught up)."""
    deadline = time.monotonic() + timeout
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        _spin(0.02)
        if ctx.ops.in_flight:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            return


def _open(ctx: Any, names: tuple[str, ...],
          timeout: float = 600) -> tuple[Any, dict[str, Any], dict[str, float], float]:
    """Build the panels `names` in one window, as a console opens them; (window, panels, seconds
    until each showed its first rows, the longest GUI stall meanwhile in ms)."""
    from console.ui.panels import deployment_panel, routes_panel, units_panel
    from console.ui.qt import QHBoxLayout, QWidget
    from console.ui.testing import StallProbe

    modules = {"units": units_panel, "routes": routes_panel, "deployment": deployment_panel}
    host = QWidget()
    row = QHBoxLayout(host)
    host.resize(600 * len(names), 900)
    host.show()
    probe = StallProbe()
    probe.start()
    started = time.perf_counter()
    panels: dict[str, Any] = {name: modules[name].build(ctx) for name in names}
    for panel in panels.values():
        row.addWidget(panel)
    first: dict[str, float] = {}

    def shown() -> bool:
        for name, panel in panels.items():
            if name not in first and panel.table.rowCount() > 0:
                first[name] = time.perf_counter() - started
        return len(first) == len(panels)

    _until(shown, timeout)
    probe.stop()
    return host, panels, first, probe.longest_stall_ms


def _warm_up() -> None:
    """Show a table once: Qt's first widget pays for styles and fonts (~25 ms here), which
    would be charged to whichever panel the benchmark builds first."""
    from console.ui.qt import QTableWidget

    table = QTableWidget(3, 3)
    table.show()
    _spin(0.05)
    table.close()
    table.deleteLater()


def _close(host: Any, panels: dict[str, Any]) -> None:
    for panel in panels.values():
        panel.close()
        panel.deleteLater()
    host.close()
    host.deleteLater()


# Quick keeps the national scale: at 0.3 the units panel's baseline is a 6 ms read, the
# fixed cost of building a table swamps the ratio (11.5 against 4.6 at full scale), and the
# full scale costs a quick run only about 5 s more (the settling waits are most of its time).
SCALE_FULL, SCALE_QUICK = 1.0, 1.0


def run(quick: bool) -> list[Figure]:
    return measure(SCALE_QUICK if quick else SCALE_FULL)


def measure(scale: float) -> list[Figure]:
    _app()
    from console.domain.roles import Role
    from console.ui.gc_pacer import GcPacer
    from console.ui.testing import (
        StallProbe,
        dispose_context,
        feed_changes,
        load_server_rows,
        make_context,
        open_replica,
        sample_user,
    )

    now = datetime.now(UTC)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "replica.sqlite3"
        hq = sample_user(role=Role.NATIONAL_HQ, org_code="NPA", org_path="/NPA/")
        replica = open_replica(db, hq)
        specs = national_replica_rows(scale, now)
        load_server_rows(replica, specs)  # one snapshot: a second one would replace the first
        sizes = {kind: sum(1 for s in specs if s[0] == kind)
                 for kind in (K.UNIT, K.ROUTE, K.POLLING_STATION, K.COUNTING_STATION)}
        shown = {"units": f"{sizes[K.UNIT]:,} units", "routes": f"{sizes[K.ROUTE]:,} routes",
                 "deployment": f"{sizes[K.POLLING_STATION]:,} polling and {sizes[K.COUNTING_STATION]:,} "
                               "counting stations"}
        raws = {name: min(raw_read_sorted(db, PANEL_KINDS[name]) for _ in range(3)) for name in PANELS}
        pacer = GcPacer()  # as the console runs (console.ui.launcher): no full collections mid-work
        pacer.start()
        _warm_up()

        # -- time to first rows: each panel alone, then the three together as an HQ opens them ---
        replica.close()
        for name in PANELS:
            runs = []
            for _ in range(3):  # the best of three: the baselines are best of three too
                # A replica of its own per run: a context's change listener stays subscribed to it.
                replica = open_replica(db, hq)
                ctx = make_context(replica, hq)
                host, panels, first, _stall = _open(ctx, (name,))
                _settled(ctx, quiet_s=0.3)
                _close(host, panels)
                dispose_context(ctx)
                replica.close()
                runs.append(first.get(name, float("nan")))
            took, raw = min(runs), raws[name]
            figures.append(Figure(f"panels_first_rows_{name} ({shown[name]}, best of 3)", took * 1000, "ms",
                                  took / raw,
                                  f"raw sqlite read + sorted() of its rows {raw * 1000:.0f} ms",
                                  f"ratio <= {FIRST_ROWS_TARGET:g}", took / raw <= FIRST_ROWS_TARGET))
        replica = open_replica(db, hq)
        ctx = make_context(replica, hq)
        host, panels, first, load_stall = _open(ctx, PANELS)
        _settled(ctx)
        label = (f"{sizes[K.UNIT]:,} units, {sizes[K.ROUTE]:,} routes, "
                 f"{sizes[K.POLLING_STATION]:,} polling stations")
        raw_all = sum(raws.values())
        took = max(first.values(), default=float("nan"))
        figures.append(Figure(f"panels_first_rows_all ({label})", took * 1000, "ms", took / raw_all,
                              f"raw reads + sorted() of the three panels' rows {raw_all * 1000:.0f} ms; "
                              f"longest GUI stall meanwhile {load_stall:.0f} ms",
                              f"ratio <= {FIRST_ROWS_TARGET:g}", took / raw_all <= FIRST_ROWS_TARGET))

        # -- the longest GUI stall while 1,000 changed rows arrive as change-feed pages ----------
        changes = changed_rows(specs, now, CHANGES)
        ids = [c[1] for c in changes]
        raw = min(raw_read_sorted(db, (K.UNIT, K.ROUTE, K.POLLING_STATION), ids) for _ in range(3))
        idle = StallProbe()
        idle.start()
        _spin(3.5)  # the panels' clock ticks (every 1-5 s) are part of idle
        idle.stop()
        probe = StallProbe()
        done = threading.Event()

        def feed() -> None:
            seq = 2
            for i in range(0, len(changes), 50):  # live pulls: 50 changes every 50 ms
                seq = feed_changes(replica, changes[i:i + 50], first_seq=seq, page=50)
                time.sleep(0.05)
            done.set()

        probe.start()
        started = time.perf_counter()
        worker = threading.Thread(target=feed)
        worker.start()
        _until(done.is_set, 300)
        _settled(ctx)
        caught_up = time.perf_counter() - started
        probe.stop()
        worker.join()
        stall = probe.longest_stall_ms
        figures.append(Figure(f"panels_stall_{CHANGES}_changes (over {label})", stall, "ms",
                              stall / (raw * 1000),
                              f"raw sqlite read + sorted() of the changed rows {raw * 1000:.1f} ms; "
                              f"idle probe {idle.longest_stall_ms:.0f} ms; caught up in {caught_up:.1f} s",
                              f"< {STALL_TARGET_MS:g} ms", stall < STALL_TARGET_MS))
        _close(host, panels)
        dispose_context(ctx)
        replica.close()
        pacer.stop()
        pacer.deleteLater()
    return figures
