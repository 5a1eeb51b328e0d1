"""Fixtures of the truth checks: one world (server + database) and one watching console per role
and database backend, shared by the checks of a module (building them is the slow part)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from .watch import WatchingConsole, open_console, pump
from .world import World, database_urls, open_world

pytestmark = pytest.mark.gui

PG_ENV = "SITROOM_TEST_PG_URL"
# role -> the user whose console watches
ROLES = {"station": "s11110-cmd", "provincial": "seoul-hq", "national": "hq"}


@dataclass
class Watch:
    role: str
    world: World
    console: WatchingConsole


def _params() -> list[tuple[str, str]]:
    return [(role, backend) for backend in ("sqlite", "postgres") for role in ROLES]


@pytest.fixture(scope="module", params=_params(), ids=lambda p: f"{p[0]}-{p[1]}")
def watch(request: pytest.FixtureRequest, qapp, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Watch]:  # type: ignore[no-untyped-def]
    role, backend = request.param
    pg = os.environ.get(PG_ENV) or None
    if backend == "postgres" and pg is None:
        pytest.skip(f"the PostgreSQL truth checks need {PG_ENV}")
    tmp = tmp_path_factory.mktemp(f"truth-{role}-{backend}")
    urls = database_urls(backend, tmp, pg)
    world = open_world(next(urls))
    console: WatchingConsole | None = None
    try:
        prepare = getattr(request.module, "prepare_world", None)
        if prepare is not None:
            prepare(world)  # the module's changes before the console starts (none by default)
        console = open_console(world.url, ROLES[role], tmp / "profiles")
        console.wait_caught_up(world.server)
        change = getattr(request.module, "change_world", None)
        if change is not None:
            change(world, console)  # the module's changes while the console watches
            console.wait_caught_up(world.server)
        yield Watch(role, world, console)
    finally:
        if console is not None:
            console.close()
        world.server.close()
        for _ in urls:  # drops a PostgreSQL database
            pass
        pump(20)
