"""A demo-seeded server database for the situation report's tests: the demo's scenario (seed 1)
for two provinces and three stations, seeded as `sitroom demo` seeds it."""

from __future__ import annotations

from pathlib import Path

from truth.world import ORGS

from console.demo.scenario import build_scenario
from console.demo.seed import seed_database
from console.server.database import Database


def seed_demo_database(folder: Path) -> str:
    """The database's URL."""
    sc = build_scenario(1)
    keep = set(ORGS)
    sc.orgs = [o for o in sc.orgs if o.code in keep]
    for name in ("polling_stations", "counting_stations", "routes", "units", "incidents"):
        setattr(sc, name, [x for x in getattr(sc, name) if x.station_code in keep])
    for order in sc.duty_orders:
        order.targets = [t for t in order.targets if t in keep]
        order.acks = {c: a for c, a in order.acks.items() if c in keep}
    sc.users = [u for u in sc.users if u.org_code in keep]
    url = f"sqlite:///{folder / 'server.db'}"
    db = Database(url)
    db.upgrade()
    seed_database(db, sc)
    db.dispose()
    return url
