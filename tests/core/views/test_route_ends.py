"""What a route line takes from its sites (position and name), and which site changes move it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from console.views.map_rows import route_ends, route_ends_moved


def site(id: str, **data: Any) -> SimpleNamespace:
    base = {"id": id, "name": f"투표소 {id}", "lat": 37.5, "lon": 127.0, "open": False,
            "officers_assigned": 1}
    return SimpleNamespace(id=id, data={**base, **data})


KNOWN = route_ends([site("ps-1"), site("ps-2")])


def test_opening_closing_or_staffing_a_site_moves_no_route() -> None:
    assert not route_ends_moved(KNOWN, {"ps-1": site("ps-1", open=True, officers_assigned=2),
                                        "ps-2": site("ps-2", open=True)})


def test_a_site_moved_renamed_new_or_gone_moves_its_routes() -> None:
    assert route_ends_moved(KNOWN, {"ps-1": site("ps-1", lat=37.6)})
    assert route_ends_moved(KNOWN, {"ps-2": site("ps-2", lon=127.1)})
    assert route_ends_moved(KNOWN, {"ps-1": site("ps-1", name="제2투표소")})
    assert route_ends_moved(KNOWN, {"ps-3": site("ps-3")})  # a route may now have both ends
    assert route_ends_moved(KNOWN, {"ps-1": None})


def test_a_site_gone_that_no_route_was_drawn_from_moves_nothing() -> None:
    assert not route_ends_moved(KNOWN, {"ps-9": None})
