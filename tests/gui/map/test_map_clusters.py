"""Clusters on the map: zoomed out, polling stations and incidents gather into count badges that
split as the map zooms in; a code 0 incident is never hidden in one; a click on one zooms in."""

from __future__ import annotations

import numpy as np
import pytest

from console.geo.mercator import to_lonlat, to_mercator
from console.geo.tiles import Bounds
from console.ui.map.data import LayerKind, PointSet
from console.ui.map.map_view import MapView
from console.ui.qt import Qt, QtGui

pytestmark = pytest.mark.gui

SEOUL = (126.978, 37.566)
URGENT = (126.9779, 37.5663)  # City Hall, inside the thick of the incidents


def make_view(qtbot) -> MapView:  # type: ignore[no-untyped-def]
    view = MapView(legend=False)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    return view


def around(n: int, spread_m: float, seed: int, lonlat: tuple[float, float] = SEOUL) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x, y = to_mercator(*lonlat)
    lon, lat = to_lonlat(x + rng.normal(0, spread_m, n), y + rng.normal(0, spread_m, n))
    return np.asarray(lon), np.asarray(lat)


def polling(n: int = 3000) -> PointSet:
    lon, lat = around(n, 20_000, 1)
    return PointSet([f"ps{i}" for i in range(n)], lon, lat, ["election_day:open"] * n, [""] * n)


def incidents(n: int = 2000) -> PointSet:
    """Many code 2-4 and closed incidents around Seoul, and one open code 0 among them."""
    lon, lat = around(n, 15_000, 2)
    rng = np.random.default_rng(3)
    styles = [f"{c}:{'closed' if k else 'open'}" for c, k in zip(rng.integers(2, 5, n), rng.random(n) < 0.5,
                                                                   strict=True)]
    lon[0], lat[0] = URGENT
    styles[0] = "0:open"
    return PointSet([f"in{i}" for i in range(n)], lon, lat, styles, [f"incident {i}" for i in range(n)])


def at_span(view: MapView, span: float, lonlat: tuple[float, float] = SEOUL) -> None:
    x, y = to_mercator(*lonlat)
    view.set_view(Bounds(x - span / 2, y - span / 2, x + span / 2, y + span / 2), padding=0)


def test_points_gather_into_clusters_zoomed_out_and_split_as_the_map_zooms_in(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.set_points(LayerKind.POLLING, polling())
    layer = view.point_layer(LayerKind.POLLING)
    counts = []
    for span in (180_000, 90_000, 40_000):  # a province, a metropolitan city, a city
        at_span(view, span)
        c = layer.clusters
        assert len(c) > 0 and int(c.count.sum()) + int((c.member < 0).sum()) == 3000
        counts.append((len(c), len(c.shown)))
    assert counts[0][0] < counts[1][0] < counts[2][0]  # more, smaller clusters each step in
    assert counts[0][1] <= counts[1][1] <= counts[2][1]
    # each cluster of the closer view lies inside one cluster of the farther (they split)
    at_span(view, 180_000)
    far = layer.clusters
    at_span(view, 90_000)
    near = layer.clusters
    for i in range(len(near)):
        assert len({int(p) for p in far.member[near.members(i)]}) == 1
    at_span(view, 15_000)  # a district: every point on its own
    assert len(layer.clusters) == 0 and len(layer.clusters.shown) == 3000
    assert layer.scatter.x.size == 3000


def test_a_code_0_incident_is_visible_at_national_zoom(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.set_points(LayerKind.POLLING, polling())
    view.set_points(LayerKind.INCIDENT, incidents())
    at_span(view, 180_000)  # a province: clustered, the code 0's cluster red
    layer = view.point_layer(LayerKind.INCIDENT)
    assert len(layer.clusters) < 100 and len(layer.clusters.shown) < 300  # really clustered
    assert layer.is_shown("in0")  # on its own, not only counted
    cluster = int(layer.clusters.member[0])
    assert cluster >= 0 and layer.clusters.rank[cluster] == 0  # its cluster is code 0 red
    at_span(view, 900_000)  # the nation: the layer is read from the roll-ups, the code 0 still drawn
    assert layer.rolled_up and not layer.scatter.isVisible() and not len(layer.clusters)
    assert layer.halo is not None and layer.halo.count() == 1 and layer.halo.isVisible()  # and pulsing
    # on screen: the code 0 red at its place, above every badge
    image = view.view.grab().toImage()
    p = view.view_to_widget(*to_mercator(*URGENT))
    dpr = image.devicePixelRatio()
    colour = QtGui.QColor(image.pixel(int(p.x() * dpr), int(p.y() * dpr)))
    assert colour.red() > 200 and colour.green() < 80 and colour.blue() < 80
    # hovering its place names the incident, not the cluster
    hit = view.hit_test(*to_mercator(*URGENT))
    assert hit is not None and (hit.kind, hit.id) == (LayerKind.INCIDENT, "in0")


def test_clicking_a_cluster_zooms_into_it_until_it_splits(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.set_points(LayerKind.INCIDENT, incidents())
    at_span(view, 150_000)  # a province (at national zoom the layers are rolled up)
    layer = view.point_layer(LayerKind.INCIDENT)
    c = layer.clusters
    # the biggest cluster but the code 0's (drawn over its own, the code 0 takes the click there)
    big = next(int(i) for i in np.argsort(-c.count) if i != c.member[0])
    members = set(c.members(big).tolist())
    selected: list[tuple[str, str]] = []
    view.item_selected.connect(lambda kind, id_: selected.append((kind, id_)))
    before = view.view_bounds()
    x, y = layer.badge_position(big)
    hit = view.hit_test(x, y)
    assert hit is not None and hit.cluster == big and str(int(c.count[big])) in hit.tooltip
    qtbot.mouseClick(view.view.viewport(), Qt.MouseButton.LeftButton, pos=view.view_to_widget(x, y))
    after = view.view_bounds()
    assert after.xmax - after.xmin <= (before.xmax - before.xmin) / 2
    assert selected == []  # a cluster is not an item
    # the members are on screen, in more than one cluster or on their own now
    bx0, by0, bx1, by1 = c.bounds(big)
    assert after.xmin <= bx0 and bx1 <= after.xmax and after.ymin <= by0 and by1 <= after.ymax
    now = layer.clusters
    groups = {int(now.member[i]) for i in members}
    assert len(groups) > 1 or -1 in groups


def test_the_selected_point_is_drawn_on_its_own_inside_a_cluster(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.set_points(LayerKind.POLLING, polling())
    at_span(view, 180_000)
    layer = view.point_layer(LayerKind.POLLING)
    assert not layer.is_shown("ps7")
    assert view.select(LayerKind.POLLING, "ps7", centre=False)
    assert layer.is_shown("ps7")
    view.clear_selection()
    assert not layer.is_shown("ps7")


def test_clustering_can_be_switched_off(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.set_points(LayerKind.POLLING, polling())
    at_span(view, 180_000)
    layer = view.point_layer(LayerKind.POLLING)
    assert len(layer.clusters) > 0
    view.set_clustering(False)
    assert len(layer.clusters) == 0 and layer.scatter.x.size == 3000
    view.set_clustering(True)
    assert len(layer.clusters) > 0


def test_a_live_change_regroups_the_clusters(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.set_points(LayerKind.INCIDENT, incidents())
    at_span(view, 180_000)
    layer = view.point_layer(LayerKind.INCIDENT)
    total = int(layer.clusters.count.sum()) + int((layer.clusters.member < 0).sum())
    lon, lat = URGENT
    view.upsert_points(LayerKind.INCIDENT, PointSet(["new"], [lon + 0.001], [lat], ["1:open"], ["new code 1"]))
    c = layer.clusters
    assert int(c.count.sum()) + int((c.member < 0).sum()) == total + 1
    assert layer.is_shown("new") and layer.halo is not None and layer.halo.count() == 2


def test_the_legend_explains_clusters_in_korean(qtbot) -> None:  # type: ignore[no-untyped-def]
    from console.ui.i18n import LanguageSwitcher

    switcher = LanguageSwitcher()
    try:
        switcher.set_language("ko")
        view = MapView()
        qtbot.addWidget(view)
        view.set_points(LayerKind.INCIDENT, incidents())
        at_span(view, 60_000)  # a province's zoom in the widget's default size
        texts = {}
        for i in range(view.legend.topLevelItemCount()):
            top = view.legend.topLevelItem(i)
            assert top is not None
            texts[top.data(0, Qt.ItemDataRole.UserRole)] = [
                (top.child(j).text(0), top.child(j).toolTip(0)) for j in range(top.childCount())]  # type: ignore[union-attr]
        incident_lines = dict(texts[LayerKind.INCIDENT])
        assert "묶음(가장 긴급한 코드 색)" in incident_lines
        assert "가장 긴급한 코드" in incident_lines["묶음(가장 긴급한 코드 색)"]  # the tooltip explains
        assert "코드 0·1: 항상 개별 표시" in incident_lines
        assert "투표소 묶음" in dict(texts[LayerKind.POLLING])
        layer = view.point_layer(LayerKind.INCIDENT)
        assert layer.cluster_tooltip(0).startswith("사건 ") and "클릭하면 확대" in layer.cluster_tooltip(0)
    finally:
        switcher.set_language("en")


def test_units_cluster_too_and_their_clusters_count_by_status(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    lon, lat = around(400, 20_000, 9)
    statuses = ["available", "dispatched"] * 200
    view.set_points(LayerKind.UNIT, PointSet([f"u{i}" for i in range(400)], lon, lat,
                                             [f"patrol_car:{s}" for s in statuses], [""] * 400))
    at_span(view, 180_000)
    layer = view.point_layer(LayerKind.UNIT)
    assert 0 < len(layer.clusters) < 20
    big = int(np.argmax(layer.clusters.count))
    tip = layer.cluster_tooltip(big).splitlines()
    assert tip[0] == f"{int(layer.clusters.count[big])} units"
    assert {line.split(":")[0] for line in tip[1:-1]} == {"Available", "Dispatched"}


def test_a_code_0_incident_is_drawn_over_area_names_and_other_layers(qtbot, geography) -> None:  # type: ignore[no-untyped-def]
    from console.geo.boundaries import BoundaryLevel

    view = MapView(geography, legend=False)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    labels = geography.labels[BoundaryLevel.PROVINCE]
    i = labels.names.index("서울특별시")
    x, y = float(labels.x[i]), float(labels.y[i])  # right under the name "서울특별시"
    lon, lat = to_lonlat(x, y)
    view.set_points(LayerKind.UNIT, PointSet(["u"], [lon], [lat], ["patrol_car:available"], [""]))
    view.set_points(LayerKind.INCIDENT, PointSet(["zero"], [lon], [lat], ["0:open"], [""]))
    at_span(view, 900_000, (lon, lat))
    # Seoul's badge (its name and figures) is placed clear of the urgent incident
    x0, y0, x1, y1 = view.labeler.badge_boxes["11"]
    p = view.view_to_widget(x, y)
    assert not (x0 <= p.x() <= x1 and y0 <= p.y() <= y1)
    at_span(view, 150_000, (lon, lat))  # a province: its name drawn as a label again
    assert "서울특별시" in view.labels.texts()
    image = view.view.grab().toImage()
    p = view.view_to_widget(x, y)
    dpr = image.devicePixelRatio()
    colour = QtGui.QColor(image.pixel(int(p.x() * dpr), int(p.y() * dpr)))
    assert colour.red() > 200 and colour.green() < 80 and colour.blue() < 80
