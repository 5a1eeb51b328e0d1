"""Map files open off the GUI thread: a 'Loading…' bar with Cancel while they do, a deadline, worded
failures in a message box, and nothing from a cancelled or overdue load reaches the map."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from test_map_panel import make_panel, opened

from console.geo.load_control import LoadControl
from console.geo.mbtiles import MBTilesSource
from console.ui.map import overlay_loader
from console.ui.map.layers import TileLayer
from console.ui.map.overlay_loader import JobState, MapFileKind, MapFileLoader
from console.ui.map.settings import MapSettings
from console.ui.qt import QPushButton, QtCore, QtGui, QTimer

pytestmark = [pytest.mark.gui, pytest.mark.once]

ENDLESS_VIEW = ("CREATE VIEW tiles AS SELECT * FROM (WITH RECURSIVE r(n) AS (SELECT 0 UNION ALL "
                "SELECT n + 1 FROM r) SELECT n * 0 AS zoom_level, n * 0 AS tile_column, n * 0 AS tile_row, "
                "x'00' AS tile_data FROM r WHERE n < 0)")


def png() -> bytes:
    img = QtGui.QImage(256, 256, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor("#3366ff"))
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")  # type: ignore[call-overload]
    return bytes(buf.data().data())


def good_mbtiles(path: Path) -> Path:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    db.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "Good"), ("minzoom", "0"), ("maxzoom", "6")])
    db.execute("INSERT INTO tiles VALUES (0, 0, 0, ?)", (png(),))
    db.commit()
    db.close()
    return path


def endless_mbtiles(path: Path) -> Path:
    """Opening it never ends by itself: only the loader's deadline or Cancel stops it."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute(ENDLESS_VIEW)
    db.commit()
    db.close()
    return path


class Ticks:
    """Counts GUI-thread timer ticks: a blocked event loop counts none."""

    def __init__(self) -> None:
        self.count = 0
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.count += 1


def test_an_endless_mbtiles_shows_loading_and_cancel_stops_it(qtbot, panel_ctx, geography,  # type: ignore[no-untyped-def]
                                                              tmp_path: Path) -> None:
    panel = make_panel(qtbot, panel_ctx, geography)
    ticks = Ticks()
    job = panel.load_mbtiles(endless_mbtiles(tmp_path / "endless.mbtiles"))
    bar = panel.loading_bar
    qtbot.waitUntil(bar.isVisible)
    assert bar.label.text() == "Opening base map endless.mbtiles…"
    before = ticks.count
    qtbot.wait(300)
    assert ticks.count - before >= 5  # the GUI thread kept running while SQLite worked
    assert job.state is JobState.LOADING
    cancel = bar.findChild(QPushButton, "map_loading_cancel")
    assert cancel is not None and cancel.text() == "Cancel"
    started = time.monotonic()
    cancel.click()
    assert job.state is JobState.CANCELLED and not bar.isVisible()
    assert time.monotonic() - started < 0.5
    assert panel.message_box is None  # a cancel is not an error
    assert "tiles" not in panel.map._layers and panel.basemap is None
    qtbot.wait(200)  # the worker stops at SQLite's next progress check; nothing arrives
    assert "tiles" not in panel.map._layers


def test_an_mbtiles_past_its_deadline_is_explained(qtbot, panel_ctx, geography, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    panel = make_panel(qtbot, panel_ctx, geography)
    panel.files.timeouts[MapFileKind.BASEMAP] = 0.5
    assert not opened(qtbot, panel.load_mbtiles(endless_mbtiles(tmp_path / "endless.mbtiles")))
    assert panel.last_error == ("endless.mbtiles: no answer within 0.5 s while finding its zoom levels; the "
                                "file may be damaged, or its tiles table a view that never ends")
    assert panel.message_box is not None and panel.message_box.windowTitle() == "MBTiles not opened"
    assert not panel.loading_bar.isVisible()


@pytest.mark.parametrize(("content", "expected"), [
    ('{"type": "Point", "coordinates": ' + "[" * 900 + "]" * 900 + "}", "nested more than 64 levels deep"),
    ('{"type": "Feature", "properties": {"name": "서울"}, "geometry": null}'.encode("cp949"),
     "It reads as Korean EUC-KR/CP949 text: save it as UTF-8."),
    (b"", "the file is empty"),
], ids=["nested-900", "cp949", "empty"])
def test_a_hostile_geojson_is_explained_in_a_message_box(qtbot, panel_ctx, geography, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                         content: str | bytes, expected: str) -> None:
    panel = make_panel(qtbot, panel_ctx, geography)
    path = tmp_path / "hostile.geojson"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    assert not opened(qtbot, panel.load_geojson(path))
    assert panel.message_box is not None and panel.message_box.windowTitle() == "GeoJSON not loaded"
    assert expected in panel.message_box.text() and panel.message_box.text().startswith("hostile.geojson: ")
    assert not any(name.startswith("overlay:") for name in panel.map._layers)


def test_a_newer_base_map_replaces_one_still_opening(qtbot, panel_ctx, geography, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    panel = make_panel(qtbot, panel_ctx, geography)
    slow = panel.load_mbtiles(endless_mbtiles(tmp_path / "endless.mbtiles"))
    assert opened(qtbot, panel.load_mbtiles(good_mbtiles(tmp_path / "good.mbtiles")))
    assert slow.state is JobState.CANCELLED
    layer = panel.map.layer("tiles")
    assert isinstance(layer, TileLayer) and layer.mosaic.source.name == "Good"
    assert panel.basemap == {"kind": "mbtiles", "path": str((tmp_path / "good.mbtiles").resolve())}


def test_reset_map_cancels_a_base_map_still_opening(qtbot, panel_ctx, geography, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    panel = make_panel(qtbot, panel_ctx, geography)
    job = panel.load_mbtiles(endless_mbtiles(tmp_path / "endless.mbtiles"))
    panel.act_reset.trigger()
    assert job.state is JobState.CANCELLED and not panel.files.busy


def test_a_saved_base_map_that_never_opens_does_not_hold_up_the_start(qtbot, panel_ctx, geography,  # type: ignore[no-untyped-def]
                                                                      tmp_path: Path) -> None:
    from console.ui.panels.map_panel import MapPanel

    path = endless_mbtiles(tmp_path / "endless.mbtiles")
    panel = MapPanel(panel_ctx, geography=geography)
    qtbot.addWidget(panel)
    panel.files.timeouts[MapFileKind.BASEMAP] = 0.5
    started = time.monotonic()
    panel.apply_settings(MapSettings(basemap={"kind": "mbtiles", "path": str(path)}))
    assert time.monotonic() - started < 0.5
    assert panel.files.busy and panel.basemap == {"kind": "mbtiles", "path": str(path)}
    qtbot.waitUntil(lambda: not panel.files.busy, timeout=10_000)
    assert "no answer within 0.5 s" in panel.last_error
    assert panel.basemap == {"kind": "mbtiles", "path": str(path)}  # still the choice: tried next start


def test_a_load_that_ignores_its_deadline_is_given_up_and_its_late_result_dropped(  # type: ignore[no-untyped-def]
        qtbot, monkeypatch, tmp_path: Path) -> None:
    release = threading.Event()
    closed: list[bool] = []

    class Late:
        def close(self) -> None:
            closed.append(True)

    def stuck(path: Path, control: LoadControl) -> Any:  # a read the operating system never returns
        release.wait(10)
        return Late()

    monkeypatch.setattr(overlay_loader, "load_geojson", stuck)
    loader = MapFileLoader(overlay_timeout=0.2, grace=0.3)
    finished: list[Any] = []
    loader.finished.connect(finished.append)
    job = loader.open_overlay(tmp_path / "stuck.geojson")
    qtbot.waitUntil(lambda: job.done, timeout=5000)
    assert job.state is JobState.FAILED and finished == [job]
    assert job.message == ("stuck.geojson: no answer within 0.5 s; the file may be damaged or too large, or "
                           "its drive may not answer")
    assert job.control.cancelled
    release.set()
    qtbot.waitUntil(lambda: closed == [True], timeout=5000)  # the late result: closed, not used
    assert finished == [job] and job.result is None
    loader.shutdown()


def test_a_cancelled_base_map_that_opens_anyway_is_closed(qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    sources: list[MBTilesSource] = []

    def slow_open(path: Path, control: LoadControl) -> MBTilesSource:
        release.wait(10)
        sources.append(MBTilesSource(path))  # no look at the control: it opens regardless
        return sources[-1]

    monkeypatch.setattr(overlay_loader, "MBTilesSource", slow_open)
    loader = MapFileLoader()
    job = loader.open_basemap(good_mbtiles(tmp_path / "good.mbtiles"))
    loader.cancel()
    assert job.state is JobState.CANCELLED
    release.set()
    qtbot.waitUntil(lambda: bool(sources) and sources[0]._closing, timeout=5000)
    loader.shutdown()


def test_an_unexpected_error_is_still_worded(qtbot, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def broken(path: Path, control: LoadControl) -> Any:
        raise KeyError("surprise")

    monkeypatch.setattr(overlay_loader, "load_geojson", broken)
    loader = MapFileLoader()
    job = loader.open_overlay(tmp_path / "x.geojson")
    qtbot.waitUntil(lambda: job.done, timeout=5000)
    assert job.state is JobState.FAILED
    assert job.message == "x.geojson: could not be read (KeyError: 'surprise')"
    loader.shutdown()
