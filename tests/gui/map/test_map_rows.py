"""Replica rows -> map points: the incident tooltip names the incident in the console's language,
and a route written by a newer version still shows its state."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from console.domain.samples import SAMPLE_NOW, incident_data
from console.ui.map import rows as maprows

pytestmark = pytest.mark.gui


@pytest.fixture
def korean(qapp):  # type: ignore[no-untyped-def]
    from console.ui.i18n import LanguageSwitcher

    switcher = LanguageSwitcher()
    yield switcher
    switcher.set_language("en")


def row(id: str, data: dict) -> SimpleNamespace:
    return SimpleNamespace(id=id, data=data)


def test_incident_tooltip_gives_the_title_in_the_console_language(korean) -> None:  # type: ignore[no-untyped-def]
    data = incident_data("df", code=2, category="deepfake", title="후보자 딥페이크 영상 유포")
    data.update(title_en="Deepfake video of a candidate circulating", district="종로구", town="사직동")
    plain = incident_data("old", code=3, title="투표소 내 소란")  # written before title_en

    english = maprows.incident_points([row("df", data), row("old", plain)]).tooltips
    assert english[0].splitlines()[:3] == ["Code 2 · Deepfake", "Deepfake video of a candidate circulating",
                                           "종로구 사직동"]
    assert english[1].splitlines()[1] == "투표소 내 소란"  # no English title: as written

    korean.set_language("ko")
    hangul = maprows.incident_points([row("df", data)]).tooltips
    assert hangul[0].splitlines()[:2] == ["코드 2 · 딥페이크", "후보자 딥페이크 영상 유포"]


def test_a_route_from_a_newer_version_keeps_its_state(qapp) -> None:  # type: ignore[no-untyped-def]

    polling = row("PS1", {"name": "A", "lat": 37.57, "lon": 126.98})
    counting = row("CS1", {"name": "B", "lat": 37.58, "lon": 126.99})
    route = {"id": "R1", "polling_station_id": "PS1", "counting_station_id": "CS1", "station_code": "S1",
             "planned_minutes": 30, "state": "arrived", "departed_at": "2026-06-03T11:10:00Z",
             "arrived_at": "2026-06-03T11:30:00Z", "officers": 2,
             "convoy_size": 2}  # a field this version does not know
    routes = maprows.route_set([row("R1", route)], [polling], [counting], SAMPLE_NOW)
    assert routes.states == ["arrived"]


def test_map_and_routes_panel_show_the_same_late_boxes(qtbot, tmp_path, memory_replica, geography) -> None:  # type: ignore[no-untyped-def]
    """One late threshold per user: set in the routes panel, the map follows (through the setting's
    announcement); both show the same late set at every threshold; the next console remembers it."""
    from datetime import timedelta

    from console.domain.clock import iso
    from console.domain.records import RecordKind as K
    from console.ui.map.data import LayerKind
    from console.ui.panels.map_panel import MapPanel
    from console.ui.panels.routes_panel import RoutesPanel
    from console.ui.qt import QSettings
    from console.ui.route_lateness import late_threshold
    from console.ui.testing import dispose_context, make_context

    now = SAMPLE_NOW
    for n, minutes_ago in enumerate((5, 25, 40, 70, 200)):  # 10-minute trips left that long ago
        memory_replica.put(K.POLLING_STATION, f"PS{n}", {
            "id": f"PS{n}", "kind": "election_day", "name": f"제{n}투표소", "station_code": "S11110",
            "lat": 37.57 + n / 100, "lon": 126.98, "officers_planned": 2, "officers_assigned": 2, "open": False})
        memory_replica.put(K.ROUTE, f"R{n}", {
            "id": f"R{n}", "polling_station_id": f"PS{n}", "counting_station_id": "CS1", "station_code": "S11110",
            "planned_minutes": 10, "state": "departed", "departed_at": iso(now - timedelta(minutes=minutes_ago)),
            "arrived_at": None, "officers": 2})
    memory_replica.put(K.COUNTING_STATION, "CS1", {"id": "CS1", "name": "개표소", "station_code": "S11110",
                                                   "lat": 37.6, "lon": 127.0, "officers_planned": 30,
                                                   "officers_assigned": 30})
    settings = QSettings(str(tmp_path / "console.ini"), QSettings.Format.IniFormat)
    ctx = make_context(memory_replica, settings=settings)
    try:
        routes = RoutesPanel(ctx)
        qtbot.addWidget(routes)
        routes.show()
        world = MapPanel(ctx, geography=geography)
        qtbot.addWidget(world)
        world.show()
        layer = world.map.route_layer()

        def map_late() -> set[str]:
            return {id for id, s in zip(layer.ids, layer.states, strict=True) if s == "late"}

        qtbot.waitUntil(lambda: routes.table.rowCount() == 5 and len(layer.ids) == 5)
        assert routes.late_ids() == map_late() == {"R2", "R3", "R4"}  # the default 15 minutes
        # Minutes past the planned arrival: R0 -5, R1 15, R2 30, R3 60, R4 190; late iff more than the threshold.
        for minutes, late in ((40, {"R3", "R4"}), (59, {"R3", "R4"}), (60, {"R4"}), (5, {"R1", "R2", "R3", "R4"}),
                              (0, {"R1", "R2", "R3", "R4"}), (180, {"R4"})):
            routes.threshold.setValue(minutes)
            assert routes.late_ids() == late
            qtbot.waitUntil(lambda late=late: map_late() == late)  # type: ignore[misc]
        assert LayerKind.ROUTE in world.loaded_layers
        routes.threshold.setValue(30)
        settings.sync()
    finally:
        dispose_context(ctx)
    # A new console of the same user starts with the user's threshold.
    again = make_context(memory_replica, settings=QSettings(str(tmp_path / "console.ini"),
                                                            QSettings.Format.IniFormat))
    try:
        assert late_threshold(again).minutes == 30
        panel = RoutesPanel(again)
        qtbot.addWidget(panel)
        assert panel.threshold.value() == 30
    finally:
        dispose_context(again)
