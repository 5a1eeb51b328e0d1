"""MapView: selection by click and by call, layers and legend, keyboard, context menu, tiles, LOD."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from console.geo.boundaries import LOD_TOLERANCES, BoundaryLevel
from console.geo.geojson import parse_geojson
from console.geo.mbtiles import MBTilesSource
from console.geo.mercator import to_mercator
from console.geo.tiles import Bounds, TileKey, tile_for_lonlat
from console.ui.map.data import LayerKind, PointSet
from console.ui.map.items import nice_scale_length
from console.ui.map.map_view import MapView
from console.ui.qt import Qt, QtCore, QtGui, QtWidgets

pytestmark = pytest.mark.gui

CITY_HALL = (37.5663, 126.9779)
GWANGHWAMUN = (37.5759, 126.9769)


def make_view(qtbot, geography=None, **kwargs) -> MapView:  # type: ignore[no-untyped-def]
    view = MapView(geography, **kwargs)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    return view


def incidents() -> PointSet:
    return PointSet.from_records([
        ("urgent", CITY_HALL[0], CITY_HALL[1], "0:open", "code 0 at City Hall"),
        ("minor", GWANGHWAMUN[0], GWANGHWAMUN[1], "3:open", "code 3 at Gwanghwamun"),
        ("done", 35.1798, 129.0750, "2:closed", "closed in Busan"),
    ])


def seoul_view(view: MapView, span: float = 6000.0) -> None:
    x, y = to_mercator(CITY_HALL[1], CITY_HALL[0])
    view.set_view(Bounds(x - span / 2, y - span / 2, x + span / 2, y + span / 2), padding=0)


def click_at(qtbot, view: MapView, lat: float, lon: float,  # type: ignore[no-untyped-def]
             button=Qt.MouseButton.LeftButton) -> None:
    pos = view.view_to_widget(*to_mercator(lon, lat))
    qtbot.mouseClick(view.view.viewport(), button, pos=pos)


def test_clicking_a_marker_emits_its_kind_and_id(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.set_points(LayerKind.INCIDENT, incidents())
    seoul_view(view)
    with qtbot.waitSignal(view.item_selected) as blocker:
        click_at(qtbot, view, *GWANGHWAMUN)
    assert blocker.args == [LayerKind.INCIDENT, "minor"]
    assert view.selected == (LayerKind.INCIDENT, "minor")


def test_clicking_empty_map_selects_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.set_points(LayerKind.INCIDENT, incidents())
    seoul_view(view)
    with qtbot.assertNotEmitted(view.item_selected):
        click_at(qtbot, view, CITY_HALL[0] - 0.01, CITY_HALL[1] + 0.015)


def test_the_top_layer_wins_when_symbols_overlap(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.set_points(LayerKind.POLLING, PointSet.from_records(
        [("ps1", CITY_HALL[0], CITY_HALL[1], "election_day:open", "polling")]))
    view.set_points(LayerKind.INCIDENT, incidents())
    seoul_view(view)
    with qtbot.waitSignal(view.item_selected) as blocker:
        click_at(qtbot, view, *CITY_HALL)
    assert blocker.args == [LayerKind.INCIDENT, "urgent"]


def test_select_centres_on_the_item(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.set_points(LayerKind.INCIDENT, incidents())
    seoul_view(view)
    span_before = view.view_bounds().xmax - view.view_bounds().xmin
    assert view.select(LayerKind.INCIDENT, "done")
    b = view.view_bounds()
    x, y = to_mercator(129.0750, 35.1798)
    assert (b.xmin + b.xmax) / 2 == pytest.approx(x, abs=span_before * 0.01)
    assert (b.ymin + b.ymax) / 2 == pytest.approx(y, abs=span_before * 0.01)
    assert b.xmax - b.xmin == pytest.approx(span_before, rel=0.01)  # centred, not zoomed
    hx, hy = view.highlight.getData()
    assert list(hx) == pytest.approx([x]) and list(hy) == pytest.approx([y])
    assert not view.select(LayerKind.INCIDENT, "nope")


def test_layer_toggle_from_the_legend(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.set_points(LayerKind.INCIDENT, incidents())
    seoul_view(view)
    item = view.legend.layer_item(LayerKind.INCIDENT)
    assert item is not None and item.childCount() >= 5  # every 112 code explained
    item.setCheckState(0, Qt.CheckState.Unchecked)
    layer = view.layer(LayerKind.INCIDENT)
    assert not layer.visible and not any(i.isVisible() for i in layer.items())
    with qtbot.assertNotEmitted(view.item_selected):  # a hidden layer cannot be clicked
        click_at(qtbot, view, *GWANGHWAMUN)
    view.set_layer_visible(LayerKind.INCIDENT, True)
    assert item.checkState(0) == Qt.CheckState.Checked and layer.items()[0].isVisible()


def test_every_layer_has_a_legend_entry_for_its_symbols(qtbot, geography) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot, geography)
    texts = {}
    for i in range(view.legend.topLevelItemCount()):
        top = view.legend.topLevelItem(i)
        assert top is not None
        texts[top.data(0, Qt.ItemDataRole.UserRole)] = [
            top.child(j).text(0) for j in range(top.childCount())]  # type: ignore[union-attr]
    assert {"Code 0", "Code 1", "Code 4"} <= set(texts[LayerKind.INCIDENT])
    assert {"Late", "Moving", "Waiting", "Arrived"} == set(texts[LayerKind.ROUTE])
    assert "Patrol car" in texts[LayerKind.UNIT] and "Off duty" in texts[LayerKind.UNIT]
    polling_symbols = [t for t in texts[LayerKind.POLLING] if not t.startswith("Cluster")]
    assert len(polling_symbols) == 5  # two shapes, three colours
    assert "Early-voting station" in texts[LayerKind.POLLING]
    assert len(texts["boundaries"]) == 3
    # the layers that cluster say what a cluster is, and the incidents' what its colour means
    assert any(t.startswith("Cluster") for t in texts[LayerKind.POLLING])
    assert any("most urgent" in t for t in texts[LayerKind.INCIDENT])
    assert any("Code 0 and 1: always shown" in t for t in texts[LayerKind.INCIDENT])
    view.set_clustering(False)  # no clusters, no cluster lines
    top = view.legend.layer_item(LayerKind.POLLING)
    assert top is not None
    assert not any(top.child(j).text(0).startswith("Cluster")  # type: ignore[union-attr]
                   for j in range(top.childCount()))


def test_keyboard_pans_and_zooms(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    seoul_view(view, 20_000)
    view.view.setFocus()
    b0, res0 = view.view_bounds(), view.resolution()
    qtbot.keyClick(view.view, Qt.Key.Key_Right)
    b1 = view.view_bounds()
    assert b1.xmin > b0.xmin and b1.ymin == pytest.approx(b0.ymin)
    qtbot.keyClick(view.view, Qt.Key.Key_Up)
    assert view.view_bounds().ymin > b1.ymin
    qtbot.keyClick(view.view, Qt.Key.Key_Plus)
    assert view.resolution() < res0
    qtbot.keyClick(view.view, Qt.Key.Key_Minus)
    qtbot.keyClick(view.view, Qt.Key.Key_Minus)
    assert view.resolution() > res0


def test_zoom_to_all_and_to_jurisdiction(qtbot, geography) -> None:  # type: ignore[no-untyped-def]
    from console.ui.map.data import Jurisdiction

    view = make_view(qtbot, geography)
    view.set_points(LayerKind.INCIDENT, incidents())
    view.zoom_to_all()
    b = view.view_bounds()
    for lat, lon in (CITY_HALL, (35.1798, 129.0750)):
        x, y = to_mercator(lon, lat)
        assert b.xmin < x < b.xmax and b.ymin < y < b.ymax
    view.set_jurisdictions([Jurisdiction("S11140", "중부경찰서", ["11140"])])
    assert view.zoom_to_jurisdiction("S11140")
    b = view.view_bounds()
    x, y = to_mercator(CITY_HALL[1], CITY_HALL[0])
    assert b.xmin < x < b.xmax and b.ymin < y < b.ymax
    assert b.xmax - b.xmin < 15_000


def test_new_incident_here_gives_position_district_and_town(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    x, y = to_mercator(CITY_HALL[1], CITY_HALL[0])
    menu = view.context_menu(x, y)
    action = next(a for a in menu.actions() if a.objectName() == "new_incident_here")
    with qtbot.waitSignal(view.new_incident_requested) as blocker:
        action.trigger()
    lat, lon, district, town = blocker.args
    assert (lat, lon) == pytest.approx(CITY_HALL, abs=1e-5)
    assert (district, town) == ("서울특별시 중구", "태평로1가")


def test_right_click_opens_the_context_menu(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    seoul_view(view)
    click_at(qtbot, view, *CITY_HALL, button=Qt.MouseButton.RightButton)
    menu = view.last_context_menu
    assert menu is not None and menu.isVisible()
    assert any(a.objectName() == "new_incident_here" for a in menu.actions())
    menu.close()


def test_live_update_changes_one_point_and_keeps_the_rest(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.set_points(LayerKind.INCIDENT, incidents())
    layer = view.point_layer(LayerKind.INCIDENT)
    halo = layer.halo
    assert halo is not None and halo.count() == 1
    view.upsert_points(LayerKind.INCIDENT, PointSet.from_records(
        [("minor", GWANGHWAMUN[0], GWANGHWAMUN[1], "1:open", "now code 1"),
         ("new", 37.55, 126.99, "4:open", "new one")]))
    assert layer.count() == 4 and layer.style_of("minor") == "1:open" and halo.count() == 2
    assert layer.style_of("urgent") == "0:open"
    view.remove_points(LayerKind.INCIDENT, ["urgent"])
    assert layer.position("urgent") is None and halo.count() == 1 and layer.count() == 3


def test_boundary_detail_and_labels_follow_the_zoom(qtbot, geography) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot, geography)
    layer = view.boundary_layer()
    assert layer is not None
    view.zoom_to_all()  # the nation
    assert layer.current_lod[BoundaryLevel.TOWN] is None
    # at national zoom a province's name heads its roll-up badge, no other names are drawn
    assert {"11", "26"} <= set(view.labeler.badge_boxes) and not view.labels.texts()
    seoul_view(view, 8000)
    assert layer.current_lod[BoundaryLevel.TOWN] is not None
    assert layer.current_lod[BoundaryLevel.PROVINCE] == len(LOD_TOLERANCES[BoundaryLevel.PROVINCE]) - 1
    texts = view.labels.texts()
    assert "서울특별시" not in texts and len(texts) > 3
    assert len(texts) == len(set(texts)) or len(texts) < 150


def test_scale_bar_uses_round_ground_lengths(qtbot) -> None:  # type: ignore[no-untyped-def]
    assert nice_scale_length(1234.0) == 1000.0
    assert nice_scale_length(4999.0) == 2000.0
    assert nice_scale_length(0.7) == pytest.approx(0.5)
    view = make_view(qtbot)
    seoul_view(view, 6000)
    assert view.scale_bar.text in {"1 km", "500 m", "2 km"}
    assert 40 < view.scale_bar.pixels <= 140


def _png(colour: str) -> bytes:
    img = QtGui.QImage(256, 256, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor(colour))
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")  # type: ignore[call-overload]
    return bytes(buf.data().data())


def test_mbtiles_tiles_fill_the_view_without_seams_and_show_attribution(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    z = 12
    centre = tile_for_lonlat(CITY_HALL[1], CITY_HALL[0], z)
    path = tmp_path / "seoul.mbtiles"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    db.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "Seoul test"), ("minzoom", str(z)),
                                                         ("maxzoom", str(z)), ("attribution", "© Test Maps")])
    red = _png("#ff0000")
    db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                   [(z, centre.x + dx, (1 << z) - 1 - (centre.y + dy), red)
                    for dx in range(-3, 4) for dy in range(-3, 4)])
    db.commit()
    db.close()
    view = make_view(qtbot, legend=False)
    layer = view.add_tile_source(MBTilesSource(path))
    seoul_view(view, 12_000)
    qtbot.waitUntil(lambda: layer.mosaic.pending == 0 and layer.mosaic.cached(centre))
    assert layer.mosaic.zoom == z
    assert view.attribution.isVisible() and view.attribution.text() == "© Test Maps"
    image = view.view.grab().toImage()
    # a row across the middle: every pixel red, so no background shows between tiles
    y = image.height() // 2
    row = [QtGui.QColor(image.pixel(x, y)) for x in range(40, image.width() - 40)]
    assert all(c.red() > 200 and c.green() < 60 and c.blue() < 60 for c in row)
    view.set_layer_visible("tiles", False)
    assert not view.attribution.isVisible()


def test_a_tile_missing_from_the_file_leaves_the_rest(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from console.geo.tile_source import TileSource

    class Holey:
        name, attribution, min_zoom, max_zoom = "holey", "", 0, 14

        def tile(self, key: TileKey) -> bytes | None:
            return None if (key.x + key.y) % 2 else _png("#00ff00")

        def close(self) -> None:
            pass

    assert isinstance(Holey(), TileSource)
    view = make_view(qtbot, legend=False)
    layer = view.add_tile_source(Holey())
    seoul_view(view, 12_000)
    qtbot.waitUntil(lambda: layer.mosaic.pending == 0)
    assert any(layer.mosaic.cached(k) for k in layer.mosaic._wanted)
    assert not all(layer.mosaic.cached(k) for k in layer.mosaic._wanted)
    view.view.grab()  # painting with holes must not fail


def test_geojson_overlay_becomes_a_layer(qtbot) -> None:  # type: ignore[no-untyped-def]
    overlay = parse_geojson({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "집회 장소"},
         "geometry": {"type": "Point", "coordinates": [CITY_HALL[1], CITY_HALL[0]]}}]}, name="rally")
    view = make_view(qtbot)
    layer = view.add_overlay(overlay)
    assert view.legend.layer_item("overlay:rally") is not None
    seoul_view(view)
    hit = view.hit_test(*to_mercator(CITY_HALL[1], CITY_HALL[0]))
    assert hit is not None and hit.tooltip == "집회 장소"
    assert layer.bounds() is not None


def test_status_line_shows_coordinates_and_district(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    seoul_view(view)
    pos = view.view_to_widget(*to_mercator(CITY_HALL[1], CITY_HALL[0]))
    qtbot.mouseMove(view.view.viewport(), pos)
    qtbot.waitUntil(lambda: "중구" in view.status.text(), timeout=3000)
    assert "37.566" in view.status.text() and "126.97" in view.status.text()


def test_renders_in_both_themes(qtbot, geography) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot, geography)
    view.set_points(LayerKind.INCIDENT, incidents())
    colours = []
    for theme in ("dark", "light"):
        view.set_theme(theme)
        image = view.view.grab().toImage()
        colours.append(QtGui.QColor(image.pixel(3, 3)).lightness())
    assert colours[0] < 60 < 180 < colours[1]
    assert isinstance(view.legend, QtWidgets.QTreeWidget)
    assert np.isfinite(view.resolution())


def test_hovering_a_marker_shows_its_tooltip(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.set_points(LayerKind.INCIDENT, incidents())
    seoul_view(view)
    pos = view.view_to_widget(*to_mercator(GWANGHWAMUN[1], GWANGHWAMUN[0]))
    qtbot.mouseMove(view.view.viewport(), pos)
    qtbot.waitUntil(lambda: QtWidgets.QToolTip.text() == "code 3 at Gwanghwamun", timeout=3000)


def test_tiles_are_placed_north_up_in_their_cell(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from console.geo.tiles import tile_bounds

    z = 11
    key = tile_for_lonlat(CITY_HALL[1], CITY_HALL[0], z)
    img = QtGui.QImage(256, 256, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor("#ff0000"))
    painter = QtGui.QPainter(img)
    painter.fillRect(0, 0, 256, 128, QtGui.QColor("#0000ff"))  # the image's top half: north
    painter.fillRect(0, 0, 64, 256, QtGui.QColor("#00ff00"))  # the left quarter: west
    painter.end()
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")  # type: ignore[call-overload]
    path = tmp_path / "one.mbtiles"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    db.executemany("INSERT INTO metadata VALUES (?, ?)", [("minzoom", str(z)), ("maxzoom", str(z))])
    db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, key.x, (1 << z) - 1 - key.y, bytes(buf.data().data())))
    db.commit()
    db.close()
    view = make_view(qtbot, legend=False)
    layer = view.add_tile_source(MBTilesSource(path))
    b = tile_bounds(key)
    view.set_view(b, padding=0.1)
    qtbot.waitUntil(lambda: layer.mosaic.cached(key))
    image = view.view.grab().toImage()

    def colour_at(fx: float, fy: float) -> QtGui.QColor:
        """The pixel at a fraction of the tile (fx from west, fy from south)."""
        p = view.view_to_widget(b.xmin + fx * (b.xmax - b.xmin), b.ymin + fy * (b.ymax - b.ymin))
        return QtGui.QColor(image.pixel(p.x(), p.y()))

    assert colour_at(0.6, 0.8).blue() > 200  # north-east: blue
    assert colour_at(0.6, 0.2).red() > 200  # south-east: red
    assert colour_at(0.1, 0.5).green() > 200  # west: green


def test_the_same_routes_read_again_redraw_only_the_states_that_changed(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The routes are read again every 30 s to re-derive which boxes are late: when the lines are
    those drawn already, a state that changed redraws its colours only, and nothing redraws
    nothing (all 14,295 of a national HQ were redrawn each time, up to 150 ms)."""
    from console.ui.map.data import RouteSet

    view = make_view(qtbot)

    def routes(states: list[str], lon: float = 127.0) -> RouteSet:
        return RouteSet(["r1", "r2"], np.array([lon, 127.1]), np.array([37.5, 37.6]),
                        np.array([127.2, 127.2]), np.array([37.55, 37.55]), states,
                        [f"route {s}" for s in states])

    view.set_routes(routes(["waiting", "waiting"]))
    layer = view.route_layer()
    redrawn: list[set[str]] = []
    redraw = layer._redraw
    layer._redraw = lambda states: (redrawn.append(set(states)), redraw(states))[1]  # type: ignore[method-assign]

    view.set_routes(routes(["waiting", "waiting"]))
    assert redrawn == [set()]
    view.set_routes(routes(["waiting", "departed"]))
    assert redrawn[-1] == {"waiting", "departed"} and layer.states == ["waiting", "departed"]
    assert layer.tooltips == ["route waiting", "route departed"]
    view.set_routes(routes(["waiting", "departed"], lon=126.9))  # a site moved: every line again
    assert redrawn[-1] == {"waiting", "departed"}
    assert layer.x0[0] == pytest.approx(to_mercator(126.9, 37.5)[0])
