"""Every figure of every panel equals a direct count from the server's database, for a station
commander, a provincial HQ and a national HQ, once the console's first sync has reached the
server's feed head (the world at 20:50 KST on election day; see world.py)."""

from __future__ import annotations

import pytest

from . import figures
from .conftest import Watch
from .watch import settle

pytestmark = pytest.mark.gui


def check(found: list[str]) -> None:
    assert not found, "\n".join(found)


def test_queue_shows_the_open_incidents_of_the_scope(watch: Watch) -> None:
    check(settle(lambda: figures.queue(watch.console, watch.world.server)))


def test_duty_level_and_compliance(watch: Watch) -> None:
    check(settle(lambda: figures.duty(watch.console, watch.world.server)))


def test_deployment_sites_and_officers(watch: Watch) -> None:
    check(settle(lambda: figures.deployment(watch.console, watch.world.server)))


def test_route_states(watch: Watch) -> None:
    check(settle(lambda: figures.routes(watch.console, watch.world.server)))


def test_units_by_status(watch: Watch) -> None:
    check(settle(lambda: figures.units(watch.console, watch.world.server)))


def test_charts_view_over_the_real_replica(watch: Watch) -> None:
    check(settle(lambda: figures.charts_view(watch.console, watch.world.server)))


def test_charts_panel(watch: Watch) -> None:
    check(settle(lambda: figures.charts_panel(watch.console, watch.world.server)))
