"""Every figure of every panel equals a direct count from the server's database, for a station
commander, a provincial HQ and a national HQ, once the console's first sync has reached the
server's feed head (the world at 20:50 KST on election day; see world.py)."""

from __future__ import annotations

import pytest

from . import figures
from .conftest import Watch
from .watch import settle

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("figure", figures.EVERY_PANEL, ids=lambda f: f.__name__)
def test_every_figure_equals_the_database(watch: Watch, figure: figures.Figure) -> None:
    found = settle(lambda: figure(watch.console, watch.world.server))
    assert not found, "\n".join(found)
