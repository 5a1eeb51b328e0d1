"""Map panel over a replica: layers from rows, shared selection with the incident queue, partial
refreshes, 'new incident here' through the incident form, file loading errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from console.domain.records import RecordKind
from console.domain.samples import incident_data
from console.geo.mercator import to_mercator
from console.ui.map.data import LayerKind
from console.ui.panels.incident_detail_panel import IncidentDetailPanel
from console.ui.panels.incident_queue_panel import IncidentQueuePanel
from console.ui.panels.map_panel import PANEL, MapPanel
from console.ui.qt import QDialog, Qt, QtGui

pytestmark = pytest.mark.gui
K = RecordKind
CITY_HALL = (37.5663, 126.9779)


def at(data: dict[str, Any], lat: float, lon: float) -> dict[str, Any]:
    return {**data, "lat": lat, "lon": lon}


def station_org(code: str = "S11140", jurisdiction: tuple[str, ...] = ("11140",)) -> dict[str, Any]:
    return {"code": code, "level": "station", "name_ko": "중부경찰서", "name_en": "Jungbu", "parent_code": "SEOUL",
            "path": f"/NPA/SEOUL/{code}/", "jurisdiction": list(jurisdiction), "personnel_total": 0,
            "personnel_on_duty": 0, "lat": 37.5636, "lon": 126.9895}


def polling(id: str, lat: float, lon: float, open_: bool = True) -> dict[str, Any]:
    return {"id": id, "kind": "election_day", "name": f"투표소 {id}", "station_code": "S11140", "lat": lat,
            "lon": lon, "district": "중구", "town": "", "officers_planned": 2, "officers_assigned": 2,
            "open": open_}


def seed(replica: Any) -> None:
    replica.put(K.INCIDENT, "inc-a", at(incident_data("inc-a", code=0), *CITY_HALL))
    replica.put(K.INCIDENT, "inc-b", at(incident_data("inc-b", code=3), 37.5759, 126.9769))
    replica.put(K.POLLING_STATION, "ps-1", polling("ps-1", 37.56, 126.99))
    replica.put(K.COUNTING_STATION, "cs-1", {"id": "cs-1", "name": "중구 개표소", "station_code": "S11140",
                                             "lat": 37.565, "lon": 127.01, "district": "중구",
                                             "officers_planned": 30, "officers_assigned": 30})
    replica.put(K.ROUTE, "rt-1", {"id": "rt-1", "polling_station_id": "ps-1", "counting_station_id": "cs-1",
                                  "station_code": "S11140", "planned_minutes": 20, "state": "waiting",
                                  "departed_at": None, "arrived_at": None, "officers": 2})
    replica.put(K.UNIT, "u-1", {"id": "u-1", "callsign": "중부1", "type": "patrol_car", "station_code": "S11140",
                                "status": "available", "lat": 37.57, "lon": 126.98, "position_at": None,
                                "personnel": 2, "incident_id": None})
    replica.put(K.ORG, "S11140", station_org())


def make_panel(qtbot, ctx, geography) -> MapPanel:  # type: ignore[no-untyped-def]
    panel = MapPanel(ctx, geography=geography)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: {LayerKind.INCIDENT, LayerKind.POLLING, LayerKind.ROUTE, LayerKind.UNIT,
                             LayerKind.STATION, LayerKind.JURISDICTION} <= panel.loaded_layers)
    # the seeding's own rows_changed arrive after the first reads: let them settle
    qtbot.wait(50)
    qtbot.waitUntil(lambda: not panel._loading and not panel._dirty)
    return panel


def opened(qtbot, job) -> bool:  # type: ignore[no-untyped-def]
    """Files open on a worker: wait for the job to end; True if the file was loaded."""
    qtbot.waitUntil(lambda: job.done, timeout=10_000)
    return bool(job.ok)


def test_panel_contract() -> None:
    assert PANEL.object_name == "map" and PANEL.title == "Map"


def test_layers_come_from_the_replica(qtbot, panel_ctx, memory_replica, geography) -> None:  # type: ignore[no-untyped-def]
    seed(memory_replica)
    panel = make_panel(qtbot, panel_ctx, geography)
    m = panel.map
    assert m.point_layer(LayerKind.INCIDENT).style_of("inc-a") == "0:open"
    assert m.point_layer(LayerKind.POLLING).style_of("ps-1") == "election_day:open"
    assert m.point_layer(LayerKind.UNIT).style_of("u-1") == "patrol_car:available"
    assert m.point_layer(LayerKind.STATION).position("S11140") is not None
    assert m.point_layer(LayerKind.COUNTING).count() == 1
    assert m.route_layer().states == ["waiting"]
    outline = m.layer(LayerKind.JURISDICTION).outlines["S11140"]  # type: ignore[attr-defined]
    assert len(outline) > 10  # computed on the worker, drawn by the map
    assert "NGII" in m.attribution.text()
    # the first jurisdiction load zooms to it
    b = m.view_bounds()
    x, y = to_mercator(CITY_HALL[1], CITY_HALL[0])
    assert b.xmin < x < b.xmax and b.ymin < y < b.ymax and b.xmax - b.xmin < 20_000


def test_the_map_opens_on_the_jurisdiction_once_it_arrives(qtbot, panel_ctx, memory_replica,  # type: ignore[no-untyped-def]
                                                            geography) -> None:
    # The first read finds no org rows yet (the snapshot is still running): the whole country.
    panel = make_panel(qtbot, panel_ctx, geography)
    assert not panel.homed
    wide = panel.map.view_bounds()
    memory_replica.put(K.ORG, "S11140", station_org())  # the station's row arrives later
    qtbot.waitUntil(lambda: panel.homed)
    b = panel.map.view_bounds()
    x, y = to_mercator(CITY_HALL[1], CITY_HALL[0])
    assert b.xmin < x < b.xmax and b.ymin < y < b.ymax
    assert b.xmax - b.xmin < 20_000 < wide.xmax - wide.xmin


def test_clicking_a_marker_selects_the_incident_in_the_queue(qtbot, panel_ctx, memory_replica,  # type: ignore[no-untyped-def]
                                                             geography) -> None:
    seed(memory_replica)
    queue = IncidentQueuePanel(panel_ctx)
    qtbot.addWidget(queue)
    queue.show()
    qtbot.waitUntil(lambda: queue._loaded and queue.model.rowCount() == 2)
    panel = make_panel(qtbot, panel_ctx, geography)
    pos = panel.map.view_to_widget(*to_mercator(126.9769, 37.5759))
    before = panel.map.view_bounds()
    with qtbot.waitSignal(panel_ctx.selection.selected) as blocker:
        qtbot.mouseClick(panel.map.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == ["incident", "inc-b"]
    qtbot.waitUntil(lambda: queue.selected_id() == "inc-b")
    assert panel.map.view_bounds() == before  # a click does not move the map under the mouse


def test_selecting_in_another_panel_brings_the_item_into_view(qtbot, panel_ctx, memory_replica, geography) -> None:  # type: ignore[no-untyped-def]
    seed(memory_replica)
    panel = make_panel(qtbot, panel_ctx, geography)
    x, y = to_mercator(CITY_HALL[1], CITY_HALL[0])
    # on screen already (the jurisdiction's home view): highlighted where it is, no pan
    home = panel.map.view_bounds()
    assert home.xmin < x < home.xmax and home.ymin < y < home.ymax
    panel_ctx.selection.select("incident", "inc-a")
    assert panel.map.view_bounds() == home
    assert panel.map.selected == (LayerKind.INCIDENT, "inc-a")
    # off screen: the map centres on it
    panel.map.pan_by(3.0, 0)
    panel_ctx.selection.select("incident", "inc-a")
    b = panel.map.view_bounds()
    assert (b.xmin + b.xmax) / 2 == pytest.approx(x, abs=50)
    assert (b.ymin + b.ymax) / 2 == pytest.approx(y, abs=50)
    panel_ctx.selection.select("org", "S11140")  # police stations are org rows
    assert panel.map.selected == (LayerKind.STATION, "S11140")


def test_a_changed_incident_refreshes_only_the_incident_layer(qtbot, panel_ctx, memory_replica,  # type: ignore[no-untyped-def]
                                                              geography) -> None:
    seed(memory_replica)
    panel = make_panel(qtbot, panel_ctx, geography)
    calls: list[str] = []
    for name in ("set_points", "upsert_points", "apply_batch", "set_routes", "set_jurisdictions"):
        original = getattr(panel.map, name)

        def spy(*args: Any, _name: str = name, _original: Any = original, **kwargs: Any) -> Any:
            batch = "whole" if kwargs.get("whole") is not None else "changed"
            calls.append(f"{_name}:{args[0] if _name.endswith(('points', 'batch')) else ''}"
                         + (f":{batch}" if _name == "apply_batch" else ""))
            return _original(*args, **kwargs)

        setattr(panel.map, name, spy)
    memory_replica.put(K.INCIDENT, "inc-b", at(incident_data("inc-b", code=1), 37.5759, 126.9769))
    layer = panel.map.point_layer(LayerKind.INCIDENT)
    qtbot.waitUntil(lambda: layer.style_of("inc-b") == "1:open")
    assert calls == [f"apply_batch:{LayerKind.INCIDENT}:changed"]  # the changed row, as one batch
    assert layer.halo is not None and layer.halo.count() == 2
    memory_replica.put(K.INCIDENT, "inc-c", at(incident_data("inc-c", code=2), 37.55, 126.97))
    qtbot.waitUntil(lambda: layer.count() == 3)


def test_a_site_opening_redraws_its_marker_and_no_route_a_site_moving_its_routes(  # type: ignore[no-untyped-def]
        qtbot, panel_ctx, memory_replica, geography) -> None:
    """A route line takes only its sites' positions and names: the morning's openings (14,295
    in four minutes) must not re-read and redraw every route several times a second."""
    seed(memory_replica)
    panel = make_panel(qtbot, panel_ctx, geography)
    drawn: list[Any] = []
    set_routes = panel.map.set_routes
    panel.map.set_routes = lambda routes: (drawn.append(routes), set_routes(routes))[1]  # type: ignore[method-assign]
    layer = panel.map.point_layer(LayerKind.POLLING)

    memory_replica.put(K.POLLING_STATION, "ps-1", {**polling("ps-1", 37.56, 126.99), "open": False,
                                                   "officers_assigned": 1})
    qtbot.waitUntil(lambda: layer.style_of("ps-1") != "election_day:open")
    qtbot.waitUntil(lambda: not panel._loading and not panel._dirty)
    assert drawn == []

    memory_replica.put(K.POLLING_STATION, "ps-1", polling("ps-1", 37.50, 127.05))  # moved
    qtbot.waitUntil(lambda: len(drawn) == 1)
    x, _y = to_mercator(127.05, 37.50)
    assert panel.map.route_layer().x0[0] == pytest.approx(x)
    memory_replica.put(K.COUNTING_STATION, "cs-1", {**memory_replica.row(K.COUNTING_STATION, "cs-1").data,
                                                    "name": "중구 제2개표소"})  # renamed: in the tooltip
    qtbot.waitUntil(lambda: len(drawn) == 2)
    assert "제2개표소" in panel.map.route_layer().tooltips[0]


def test_new_incident_here_opens_the_form_with_the_place_filled_in(qtbot, panel_ctx, memory_replica,  # type: ignore[no-untyped-def]
                                                                   geography, monkeypatch) -> None:
    seed(memory_replica)
    panel = make_panel(qtbot, panel_ctx, geography)
    detail = IncidentDetailPanel(panel_ctx)  # answers the shared create request
    qtbot.addWidget(detail)
    opened: list[Any] = []
    real_form = detail.incident_form

    def form(stations: list[tuple[str, str]], default: str, position: tuple[float, float]) -> Any:
        dialog = real_form(stations, default, position)
        dialog.title_edit.setText("투표소 앞 소란")
        dialog.exec = lambda: QDialog.DialogCode.Accepted  # type: ignore[method-assign]
        opened.append(dialog)
        return dialog

    monkeypatch.setattr(detail, "incident_form", form)
    x, y = to_mercator(CITY_HALL[1], CITY_HALL[0])
    with qtbot.waitSignal(panel_ctx.selection.create_requested) as request:
        panel.map.request_new_incident_at(x, y)
    assert request.args[0] == "incident" and request.args[1]["town"] == "태평로1가"
    qtbot.waitUntil(lambda: memory_replica.count(K.INCIDENT) == 3)
    dialog = opened[0]
    assert dialog.place.text() == "서울특별시 중구 태평로1가"
    assert (dialog.lat.value(), dialog.lon.value()) == pytest.approx(CITY_HALL, abs=1e-5)
    created = next(r for r in memory_replica.rows(K.INCIDENT) if r.id not in ("inc-a", "inc-b"))
    assert created.data["district"] == "서울특별시 중구" and created.data["town"] == "태평로1가"
    assert created.data["place"] == "서울특별시 중구 태평로1가"
    qtbot.waitUntil(lambda: panel_ctx.selection.id == created.id)


def test_a_malformed_geojson_is_explained_in_a_message_box(qtbot, panel_ctx, geography,  # type: ignore[no-untyped-def]
                                                           tmp_path: Path) -> None:
    panel = make_panel(qtbot, panel_ctx, geography)
    bad = tmp_path / "zones.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {},
         "geometry": {"type": "Polygon", "coordinates": [[[127, 37], [127.1, 37]]]}}]}))
    assert not opened(qtbot, panel.load_geojson(bad))
    assert "feature 0: Polygon ring has 2 points" in panel.last_error
    assert panel.message_box is not None and panel.message_box.isVisible()
    assert "feature 0" in panel.message_box.text()
    panel.message_box.close()
    good = tmp_path / "ok.geojson"
    good.write_text(json.dumps({"type": "Point", "coordinates": [127.0, 37.5]}))
    assert opened(qtbot, panel.load_geojson(good))
    assert panel.map.legend.layer_item("overlay:ok") is not None


def test_a_file_that_is_not_mbtiles_is_explained(qtbot, panel_ctx, geography, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    panel = make_panel(qtbot, panel_ctx, geography)
    junk = tmp_path / "tiles.mbtiles"
    junk.write_bytes(b"garbage" * 200)
    assert not opened(qtbot, panel.load_mbtiles(junk))
    assert "not an SQLite database" in panel.last_error
    assert panel.message_box is not None
    panel.message_box.close()


def test_a_tile_server_is_cached_and_keeps_serving_offline(qtbot, panel_ctx, geography, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                         monkeypatch) -> None:
    import http.server
    import threading

    from console.geo.tiles import tile_for_lonlat
    from console.ui.map.layers import TileLayer

    served: list[str] = []

    class Tiles(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.append(self.path)
            data = _png_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr("platformdirs.user_cache_dir", lambda *a, **k: str(tmp_path / "cache"))
    panel = make_panel(qtbot, panel_ctx, geography)
    url = f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
    assert panel.load_tile_url(url)
    layer = panel.map.layer("tiles")
    assert isinstance(layer, TileLayer)
    x, y = to_mercator(CITY_HALL[1], CITY_HALL[0])
    panel.map.set_view(type(panel.map.view_bounds())(x - 3000, y - 3000, x + 3000, y + 3000))
    key = tile_for_lonlat(CITY_HALL[1], CITY_HALL[0], layer.mosaic.zoom)
    qtbot.waitUntil(lambda: layer.mosaic.pending == 0 and layer.mosaic.cached(key), timeout=5000)
    assert served and panel.map.attribution.text().startswith("Tiles © 127.0.0.1")
    server.shutdown()
    server.server_close()
    # a new map over the same cache, with the server gone: the tiles still come
    panel.map.remove_layer("tiles")
    assert panel.load_tile_url(url)
    again = panel.map.layer("tiles")
    assert isinstance(again, TileLayer)
    again.view_changed(panel.map.view_bounds(), panel.map.resolution())
    qtbot.waitUntil(lambda: again.mosaic.pending == 0, timeout=15000)
    assert again.mosaic.cached(key)


def _png_bytes() -> bytes:
    from console.ui.qt import QtCore, QtGui

    img = QtGui.QImage(256, 256, QtGui.QImage.Format.Format_RGB32)
    img.fill(QtGui.QColor("#3366ff"))
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")  # type: ignore[call-overload]
    return bytes(buf.data().data())


def test_tooltips_follow_a_language_switch(qtbot, panel_ctx, memory_replica, geography) -> None:  # type: ignore[no-untyped-def]
    from console.ui.i18n import LanguageSwitcher

    seed(memory_replica)
    panel = make_panel(qtbot, panel_ctx, geography)
    layer = panel.map.point_layer(LayerKind.INCIDENT)

    def tip(id: str) -> str:
        return layer.tooltips[layer.ids.index(id)]

    assert tip("inc-a").startswith("Code 0")
    switcher = LanguageSwitcher()
    try:
        switcher.set_language("ko")
        qtbot.waitUntil(lambda: tip("inc-a").startswith("코드 0"))
    finally:
        switcher.set_language("en")
    qtbot.waitUntil(lambda: tip("inc-a").startswith("Code 0"))


def test_waiting_routes_are_faint_and_moving_ones_stand_out(qtbot, panel_ctx, memory_replica, geography) -> None:  # type: ignore[no-untyped-def]
    seed(memory_replica)
    panel = make_panel(qtbot, panel_ctx, geography)
    routes = panel.map.route_layer()
    assert routes.states == ["waiting"]
    background = QtGui.QColor(panel.map.palette_.background)

    def contrast(state: str) -> int:  # how far the line's colour stands from the map's background
        c = routes.pen_colour(state)
        return abs(c.red() - background.red()) + abs(c.green() - background.green()) + abs(
            c.blue() - background.blue())

    waiting = contrast("waiting")
    memory_replica.put(K.ROUTE, "rt-1", {**memory_replica.row(K.ROUTE, "rt-1").data, "state": "departed",
                                         "departed_at": "2025-06-03T11:05:00Z"})
    qtbot.waitUntil(lambda: routes.states != ["waiting"])
    moving = contrast(routes.states[0])
    assert waiting * 2 < moving


def test_routes_are_read_again_with_time_only_while_a_box_is_on_the_way(  # type: ignore[no-untyped-def]
        qtbot, panel_ctx, memory_replica, geography) -> None:
    """Only a box on the way becomes late with time: with every box waiting (the whole morning)
    the clock's re-read of the national routes held the worker 300 ms for nothing."""
    from console.ui.panels.map_panel import ROUTE_REFRESH_TICKS

    seed(memory_replica)
    panel = make_panel(qtbot, panel_ctx, geography)
    reads: list[Any] = []
    refresh = panel.refresh
    panel.refresh = lambda layer, ids=None: (reads.append((layer, ids)), refresh(layer, ids))[1]  # type: ignore[method-assign]
    for _ in range(ROUTE_REFRESH_TICKS):
        panel._on_tick()
    assert (LayerKind.ROUTE, None) not in reads  # the box waits
    memory_replica.put(K.ROUTE, "rt-1", {**memory_replica.row(K.ROUTE, "rt-1").data, "state": "departed",
                                         "departed_at": "2025-06-03T11:05:00Z"})
    qtbot.waitUntil(lambda: panel.map.route_layer().states != ["waiting"])
    reads.clear()
    for _ in range(ROUTE_REFRESH_TICKS):
        panel._on_tick()
    assert (LayerKind.ROUTE, None) in reads
