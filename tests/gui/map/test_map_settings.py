"""The map's settings per user survive a restart: base map, layers, labels, clusters, legend and the
last view; the first start still opens on the jurisdiction; Reset map forgets them."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from test_map_panel import CITY_HALL, opened, seed

from console.geo.boundaries import BoundaryLevel
from console.geo.mercator import to_mercator
from console.ui.map.data import LayerKind
from console.ui.map.layers import TileLayer
from console.ui.map.settings import MAP_SETTINGS_VERSION, MapSettings
from console.ui.panels.map_panel import MapPanel
from console.ui.qt import QSettings, Qt, QtCore, QtGui

pytestmark = pytest.mark.gui


def open_settings(path: Path) -> QSettings:
    """A new QSettings over the file, as a restarted console opens it."""
    return QSettings(str(path), QSettings.Format.IniFormat)


def make_panel(qtbot, ctx, geography, settings: QSettings) -> MapPanel:  # type: ignore[no-untyped-def]
    panel = MapPanel(ctx, geography=geography, settings=settings)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: LayerKind.JURISDICTION in panel.loaded_layers and LayerKind.INCIDENT
                    in panel.loaded_layers)
    qtbot.wait(50)
    qtbot.waitUntil(lambda: not panel._loading and not panel._dirty)
    qtbot.waitUntil(lambda: not panel.files.busy)  # a saved base map reopens on the file worker
    return panel


def centre(panel: MapPanel) -> tuple[float, float]:
    b = panel.map.view_bounds()
    return (b.xmin + b.xmax) / 2, (b.ymin + b.ymax) / 2


def close(qtbot, panel: MapPanel) -> None:  # type: ignore[no-untyped-def]
    panel.close()  # hidden: a pending view is saved and the file written


def mbtiles(path: Path) -> Path:
    img = QtGui.QImage(256, 256, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor("#3366ff"))
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")  # type: ignore[call-overload]
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    db.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "Test map"), ("minzoom", "0"),
                                                         ("maxzoom", "6"), ("attribution", "© Test")])
    db.execute("INSERT INTO tiles VALUES (0, 0, 0, ?)", (bytes(buf.data().data()),))
    db.commit()
    db.close()
    return path


def test_the_settings_survive_the_panel_being_made_again(qtbot, panel_ctx, memory_replica, geography,  # type: ignore[no-untyped-def]
                                                         tmp_path: Path) -> None:
    seed(memory_replica)
    ini = tmp_path / "console.ini"
    first = make_panel(qtbot, panel_ctx, geography, open_settings(ini))
    home = centre(first)  # the first start: the jurisdiction
    x, y = to_mercator(CITY_HALL[1], CITY_HALL[0])
    assert abs(home[0] - x) < 5000 and abs(home[1] - y) < 5000
    # the user's choices: from the legend, the toolbar, the keyboard
    first.map.legend.layer_item(LayerKind.UNIT).setCheckState(0, Qt.CheckState.Unchecked)  # type: ignore[union-attr]
    first.act_labels[BoundaryLevel.TOWN].setChecked(False)
    first.act_clusters.setChecked(False)
    first.act_legend.setChecked(False)
    assert opened(qtbot, first.load_mbtiles(mbtiles(tmp_path / "base.mbtiles")))
    first.map.view.setFocus()
    qtbot.keyClick(first.map.view, Qt.Key.Key_Left)
    qtbot.keyClick(first.map.view, Qt.Key.Key_Minus)
    moved = centre(first)
    zoom = first.map.zoom_level()
    assert moved != home
    close(qtbot, first)

    again = make_panel(qtbot, panel_ctx, geography, open_settings(ini))
    m = again.map
    assert not m.layer(LayerKind.UNIT).visible and m.layer(LayerKind.INCIDENT).visible
    assert m.label_levels == {BoundaryLevel.PROVINCE, BoundaryLevel.DISTRICT}
    assert not again.act_labels[BoundaryLevel.TOWN].isChecked()
    assert not m.clustering and not again.act_clusters.isChecked()
    assert not again.act_legend.isChecked() and m.legend.isHidden()
    assert isinstance(m.layer("tiles"), TileLayer)
    assert again.basemap == {"kind": "mbtiles", "path": str((tmp_path / "base.mbtiles").resolve())}
    # the last view, not the jurisdiction (which arrived after the restore and did not move it)
    assert centre(again) == pytest.approx(moved, abs=60)
    assert m.zoom_level() == pytest.approx(zoom, abs=0.05)
    assert again.homed


def test_a_base_map_switched_off_and_no_base_map_are_remembered(qtbot, panel_ctx, memory_replica, geography,  # type: ignore[no-untyped-def]
                                                                tmp_path: Path) -> None:
    seed(memory_replica)
    ini = tmp_path / "console.ini"
    first = make_panel(qtbot, panel_ctx, geography, open_settings(ini))
    assert opened(qtbot, first.load_mbtiles(mbtiles(tmp_path / "base.mbtiles")))
    first.map.set_layer_visible("tiles", False)  # from the legend: kept, but off
    close(qtbot, first)
    second = make_panel(qtbot, panel_ctx, geography, open_settings(ini))
    assert not second.map.layer("tiles").visible
    second.act_no_basemap.trigger()
    assert "tiles" not in second.map._layers and second.basemap is None
    close(qtbot, second)
    third = make_panel(qtbot, panel_ctx, geography, open_settings(ini))
    assert third.basemap is None and "tiles" not in third.map._layers
    assert opened(qtbot, third.load_mbtiles(tmp_path / "base.mbtiles"))  # chosen again: shown
    assert third.map.layer("tiles").visible


def test_without_saved_settings_the_map_opens_on_the_jurisdiction(qtbot, panel_ctx, memory_replica,  # type: ignore[no-untyped-def]
                                                                  geography, tmp_path: Path) -> None:
    seed(memory_replica)
    ini = tmp_path / "console.ini"
    panel = make_panel(qtbot, panel_ctx, geography, open_settings(ini))
    qtbot.wait(700)  # longer than the view's save delay: nothing moved by the user is saved
    close(qtbot, panel)
    again = make_panel(qtbot, panel_ctx, geography, open_settings(ini))
    assert again.saved_view is None
    x, y = to_mercator(CITY_HALL[1], CITY_HALL[0])
    b = again.map.view_bounds()
    assert b.xmin < x < b.xmax and b.ymin < y < b.ymax and b.xmax - b.xmin < 20_000


def test_reset_map_restores_the_defaults_and_forgets_the_saved_ones(qtbot, panel_ctx, memory_replica,  # type: ignore[no-untyped-def]
                                                                   geography, tmp_path: Path) -> None:
    seed(memory_replica)
    ini = tmp_path / "console.ini"
    panel = make_panel(qtbot, panel_ctx, geography, open_settings(ini))
    home = centre(panel)
    panel.map.set_layer_visible(LayerKind.POLLING, False)
    panel.act_labels[BoundaryLevel.PROVINCE].setChecked(False)
    panel.act_clusters.setChecked(False)
    assert opened(qtbot, panel.load_mbtiles(mbtiles(tmp_path / "base.mbtiles")))
    panel.user_moved = True
    panel.map.zoom_by(0.25)
    panel.save_settings()
    panel.act_reset.trigger()
    m = panel.map
    assert all(layer.visible for layer in m.layers)
    assert "tiles" not in m._layers and panel.basemap is None
    assert m.label_levels == set(BoundaryLevel) and m.clustering and panel.act_clusters.isChecked()
    assert centre(panel) == pytest.approx(home, abs=60)  # back on the jurisdiction
    assert open_settings(ini).value(f"map/{panel_ctx.user.username}/state") is None
    close(qtbot, panel)
    again = make_panel(qtbot, panel_ctx, geography, open_settings(ini))
    assert again.map.layer(LayerKind.POLLING).visible and again.saved_view is None


def test_settings_are_per_user_and_of_one_version(qtbot, panel_ctx, memory_replica, geography,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path) -> None:
    seed(memory_replica)
    ini = tmp_path / "console.ini"
    settings = open_settings(ini)
    user = panel_ctx.user.username
    saved = MapSettings(layers={LayerKind.ROUTE: False}, clusters=False)
    settings.setValue("map/someone_else/version", MAP_SETTINGS_VERSION)
    settings.setValue("map/someone_else/state", saved.to_json())
    panel = make_panel(qtbot, panel_ctx, geography, settings)
    assert panel.map.layer(LayerKind.ROUTE).visible and panel.map.clustering  # not this user's
    close(qtbot, panel)
    settings.setValue(f"map/{user}/version", MAP_SETTINGS_VERSION + 1)  # from another version
    settings.setValue(f"map/{user}/state", saved.to_json())
    newer = make_panel(qtbot, panel_ctx, geography, settings)
    assert newer.map.layer(LayerKind.ROUTE).visible
    close(qtbot, newer)
    settings.setValue(f"map/{user}/version", MAP_SETTINGS_VERSION)
    settings.setValue(f"map/{user}/state", "{not json")  # damaged: ignored, not a crash
    assert make_panel(qtbot, panel_ctx, geography, settings).map.clustering


def test_malformed_fields_keep_their_defaults() -> None:
    s = MapSettings.from_json('{"basemap": {"kind": "ftp", "url": "x"}, "layers": {"unit": "no", "route": false},'
                              ' "labels": ["town", "planet"], "clusters": 1, "view": [500, 37, 9]}')
    assert s.basemap is None and s.layers == {"route": False} and s.labels == ["town"]
    assert s.clusters is True and s.view is None
    full = MapSettings(basemap={"kind": "url", "url": "https://t/{z}/{x}/{y}.png"}, view=(127.0, 37.5, 11.5))
    assert MapSettings.from_json(full.to_json()) == full


def test_the_settings_survive_the_main_window_being_made_again(qtbot, panel_ctx, memory_replica,  # type: ignore[no-untyped-def]
                                                               geography, tmp_path: Path,
                                                               monkeypatch) -> None:
    from console.ui.i18n import LanguageSwitcher
    from console.ui.main_window import MainWindow
    from console.ui.panels.base import discover_panels

    monkeypatch.setattr("console.geo.boundaries.BaseGeography.load", lambda *a, **k: geography)
    seed(memory_replica)
    ini = tmp_path / "console.ini"
    languages = LanguageSwitcher()
    languages.set_language("en")

    def window(settings: QSettings) -> tuple[Any, MapPanel]:
        ctx = dataclasses.replace(panel_ctx, settings=settings)  # as the launcher makes it
        w = MainWindow(ctx, settings, languages, specs=discover_panels(names={"map"}))
        qtbot.addWidget(w)
        w.resize(1400, 900)
        w.show()
        qtbot.waitExposed(w)
        panel = w.panels["map"]
        assert isinstance(panel, MapPanel)
        qtbot.waitUntil(lambda: LayerKind.JURISDICTION in panel.loaded_layers)
        return w, panel

    w1, p1 = window(open_settings(ini))
    p1.act_clusters.setChecked(False)
    p1.map.set_layer_visible(LayerKind.ROUTE, False)
    p1.user_moved = True
    p1.map.zoom_by(0.5)
    state = p1.map.view_state()
    w1.close()  # the window saves its layout; the hidden panel its pending view

    _w2, p2 = window(open_settings(ini))
    assert not p2.map.clustering and not p2.map.layer(LayerKind.ROUTE).visible
    lon, lat, zoom = p2.map.view_state()
    assert (lon, lat) == pytest.approx(state[:2], abs=1e-3) and zoom == pytest.approx(state[2], abs=0.05)
