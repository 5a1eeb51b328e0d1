"""The same truth checks once the world has moved on while the console watched: people at other
consoles (a station operator and commander, the provincial HQ, a Busan commander) create and move
incidents, send and receive ballot boxes, dispatch units, acknowledge an order, report personnel
and order a new level; the console's replica follows the change feed to the server's head and
every figure of every panel equals the database again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from console.domain.clock import iso

from . import figures
from .conftest import Watch
from .watch import WatchingConsole, settle
from .world import LEVEL_A, NOW, K, World, Writer, incident_payload

pytestmark = pytest.mark.gui


def change_world(world: World, console: WatchingConsole) -> None:
    profile = console.replica.path.parent / "writers"
    sc = world.scenario
    routes = sorted(sc.routes, key=lambda r: r.id)
    waiting = [r for r in routes if r.state == "waiting"]
    moving = [r for r in routes if r.state == "departed"]
    units = sorted(sc.units, key=lambda u: u.id)

    op = Writer(world, "s11110-op", profile)
    cmd = Writer(world, "s11110-cmd", profile)
    seoul = Writer(world, "seoul-hq", profile)
    busan = Writer(world, "s26110-cmd", profile)
    writers = (op, cmd, seoul, busan)
    for w in writers:
        w.wait_synced()
    try:
        op.submit("incident.create", K.INCIDENT, "INC-LIVE-1", incident_payload("S11110", "투표소 앞 폭행", 0, "violence"))
        op.submit("incident.transition", K.INCIDENT, "INC-DAY-008", {"to": "acknowledged"})  # 20:40 code 0
        op.submit("incident.transition", K.INCIDENT, "INC-DAY-007", {"to": "resolved"})  # 19:10 code 1
        for r in [r for r in waiting if r.station_code == "S11110"][:4]:
            op.submit("route.advance", K.ROUTE, r.id, {"to": "departed"})
        for u in [u for u in units if u.station_code == "S11110" and u.status == "available"][:3]:
            op.submit("unit.status", K.UNIT, u.id, {"status": "dispatched"})
        cmd.submit("duty.acknowledge", K.DUTY_ORDER, LEVEL_A, {"org_code": "S11110"})
        cmd.submit("org.personnel", K.ORG, "S11110", {"personnel_on_duty": 500})
        # Seoul lowers its stations to Level B from a minute ago: the newest order wins.
        seoul.submit("duty.issue", K.DUTY_ORDER, "DO-SEOUL-B", {
            "level": "level_b", "targets": ["S11110", "S11110B"], "effective_from": iso(NOW - timedelta(minutes=1)),
            "reason": "개표 진행: 을호비상으로 조정", "reason_en": "Counting under way: Level B"})
        busan.submit("incident.create", K.INCIDENT, "INC-LIVE-2", incident_payload("S26110", "개표소 앞 집회", 1, "protest"))
        for r in [r for r in moving if r.station_code == "S26110"][:5]:
            busan.submit("route.advance", K.ROUTE, r.id, {"to": "arrived"})
    finally:
        for w in writers:
            w.close()


@pytest.mark.parametrize("figure", figures.EVERY_PANEL, ids=lambda f: f.__name__)
def test_every_figure_equals_the_database(watch: Watch, figure: figures.Figure) -> None:
    found = settle(lambda: figure(watch.console, watch.world.server))
    assert not found, "\n".join(found)
