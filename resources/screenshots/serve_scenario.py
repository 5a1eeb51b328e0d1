"""A local server with the demo's national scenario, for looking at the console and taking
screenshots: `python resources/screenshots/serve_scenario.py [--port 8700] [--db PATH]`.

Prints the URL and a few users (password: the scenario's), then serves until interrupted."""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any


def live_incidents(server: Any, scenario: Any, n: int, station: str = "S11110") -> None:
    """`n` incidents of the last three hours at `station` and its neighbours, in every state,
    and a Level A order from Seoul that the station has not acknowledged yet."""
    from console.demo.incident_catalogue import pick_template
    from console.domain.clock import iso
    from console.domain.mutations import MutationContext, apply_mutation
    from console.domain.records import RecordKind
    from console.server.operations import bulk_insert_rows, issue_duty_order

    rng = random.Random(3)
    now = datetime.now(UTC)
    units = [r.id for r in scenario.rows() if r.kind == RecordKind.UNIT and r.data["station_code"] == station]
    sites = [r.data for r in scenario.rows()
             if r.kind == RecordKind.POLLING_STATION and r.data["station_code"] == station]
    rows = []
    flow = ["new", "acknowledged", "dispatched", "on_scene", "resolved"]
    for i in range(n):
        tpl = pick_template(rng)
        site = rng.choice(sites)
        at = now - timedelta(seconds=int(rng.expovariate(1 / 2400)) + 20)
        ctx = MutationContext(actor=f"{station.lower()}-op", actor_org=station, at=iso(at), console="seed")
        rid = f"LIVE-{i:04d}"
        data = apply_mutation("incident.create", RecordKind.INCIDENT, rid, None, {
            "category": tpl.category.value, "code": int(rng.choice(tpl.codes)),
            "title": rng.choice(tpl.titles),
            "station_code": station, "lat": site["lat"] + rng.uniform(-0.002, 0.002),
            "lon": site["lon"] + rng.uniform(-0.002, 0.002),
            "place": site["name"] if tpl.at_polling_station else "", "district": site.get("district", ""),
            "town": site.get("town", "")}, ctx)
        age_min = (now - at).total_seconds() / 60
        steps = min(len(flow) - 1, int(age_min / 12) + rng.randint(0, 1)) if rng.random() > 0.15 else 0
        for step in flow[1:steps + 1]:
            if step == "dispatched":
                chosen = rng.sample(units, k=min(len(units), rng.randint(1, 2)))
                data = apply_mutation("incident.assign", RecordKind.INCIDENT, rid, data,
                                      {"unit_ids": chosen}, ctx)
            data = apply_mutation("incident.transition", RecordKind.INCIDENT, rid, data, {"to": step}, ctx)
        rows.append((RecordKind.INCIDENT, rid, data))
    assert server.database is not None
    with server.database.write() as session:
        bulk_insert_rows(session, rows, by="screenshots", validate=True)
        seoul = [r.id for r in scenario.rows() if r.kind == RecordKind.ORG
                 and r.data.get("parent_code") == "SEOUL"][:6]
        issue_duty_order(session, "SEOUL", "level_a", sorted({station, *seoul}),
                         iso(now - timedelta(minutes=4)), None, "선거일 갑호비상 / Election day Level A",
                         by="seoul-hq")
    print(f"added {len(rows)} incidents at {station} and a Level A order", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--db", type=Path, help="SQLite file (default: a temporary one)")
    parser.add_argument("--incidents", type=int, default=60,
                        help="incidents of the last hours to add around the focus station")
    args = parser.parse_args()
    from console.demo.scenario import build_scenario
    from console.demo.seed import seed_database
    from console.server.embedded import EmbeddedServer

    db = args.db or Path(tempfile.mkdtemp(prefix="sitroom-shots-")) / "server.db"
    fresh = not db.exists()
    server = EmbeddedServer(f"sqlite:///{db}", port=args.port)
    server.start()
    scenario = build_scenario()
    if fresh:
        assert server.database is not None
        report = seed_database(server.database, scenario)
        print(f"seeded {report.rows} rows, {report.users} users in {report.seconds:.1f}s", flush=True)
        live_incidents(server, scenario, args.incidents)
    print(f"serving {server.url}", flush=True)
    for u in scenario.users[:12]:
        print(f"  {u.username:24s} {u.role.value:18s} {u.org_code:10s} password {u.password}", flush=True)
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        server.close()


if __name__ == "__main__":
    main()
