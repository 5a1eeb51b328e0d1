"""The line canvas: a pulsing urgent incident repaints its rings from a pixmap of the still view's
lines, not every route and boundary again; a pan or a changed line draws them afresh."""

from __future__ import annotations

import numpy as np

from console.ui.map.data import LayerKind, PointSet, RouteSet
from console.ui.map.map_view import MapView
from console.ui.qt import QApplication


def _routes(n: int = 400, spread: float = 0.3) -> RouteSet:
    rng = np.random.default_rng(4)
    lon, lat = 126.9 + rng.random(n) * spread, 37.45 + rng.random(n) * spread * 0.7
    return RouteSet([f"r{i}" for i in range(n)], lon, lat, lon + spread / 15, lat + spread / 30, ["late"] * n)


def test_pulses_repaint_from_the_cached_lines_and_a_pan_draws_them_afresh(qtbot, geography) -> None:  # type: ignore[no-untyped-def]
    view = MapView(geography, legend=False)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    view.set_routes(_routes())
    view.set_points(LayerKind.INCIDENT, PointSet(["u"], [127.0], [37.55], ["0:open"], ["urgent"]))
    view.zoom_to_item(LayerKind.INCIDENT, "u", 40_000)
    QApplication.processEvents()
    view.view.viewport().repaint()  # the new view, drawn whole
    canvas = view.lines
    assert canvas.curves() and canvas.cache_builds == 0
    for _ in range(5):  # five pulses: the first draws the lines into the pixmap, the rest copy it
        view.halo_step()
        view.view.viewport().repaint(view.view.viewport().rect().adjusted(400, 250, -400, -250))
    assert canvas.cache_builds == 1
    view.pan_by(0.1, 0)  # a new view: drawn whole, the pixmap forgotten
    view.view.viewport().repaint()
    view.view.viewport().repaint(view.view.viewport().rect().adjusted(400, 250, -400, -250))
    assert canvas.cache_builds == 2
    view.set_route_states({"r1": "moving"})  # a changed line: the pixmap is made again
    view.view.viewport().repaint(view.view.viewport().rect().adjusted(400, 250, -400, -250))
    assert canvas.cache_builds == 3


def test_a_pulse_repaints_only_the_rings(qtbot, geography) -> None:  # type: ignore[no-untyped-def]
    view = MapView(geography, legend=False)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    view.set_points(LayerKind.INCIDENT, PointSet(["a", "b"], [126.5, 129.0], [37.5, 35.2], ["0:open", "1:open"],
                                                 ["", ""]))
    halo = view.point_layer(LayerKind.INCIDENT).halo
    assert halo is not None
    asked: list[object] = []
    original = halo.update
    halo.update = lambda *args: (asked.append(args), original(*args))[1]  # type: ignore[method-assign]
    view.halo_step()
    # one small square per ring on screen, never the item's country-wide rectangle
    assert len(asked) == 2 and all(len(a) == 1 for a in asked)
    res = view.resolution()
    assert all(a[0].width() / res < 60 for a in asked)  # type: ignore[attr-defined]


def test_routes_show_by_zoom_late_nationally_moving_in_a_province_all_at_station_zoom(  # type: ignore[no-untyped-def]
        qtbot) -> None:
    view = MapView(legend=False)
    qtbot.addWidget(view)
    view.resize(900, 600)
    routes = _routes(40, spread=0.02)  # all within 2 km
    routes.states = ["waiting", "moving", "arrived", "late"] * 10
    view.set_routes(routes)
    layer = view.route_layer()

    def drawn() -> set[str]:
        return {state for state in ("waiting", "moving", "arrived", "late")
                if any(c.isVisible() for c in view.lines.curves() if c in layer.curves_of(state))}

    for span, expected in ((900_000, {"late"}), (120_000, {"moving", "late"}),
                           (8_000, {"waiting", "moving", "arrived", "late"})):
        view.zoom_to_item(LayerKind.ROUTE, "r1", span)
        assert drawn() == expected, span
