"""Routes, deployment and charts panels over a memory replica, and the chart widgets standalone."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from console.domain.clock import OPERATION_TZ, iso
from console.domain.records import RecordKind
from console.domain.samples import SAMPLE_NOW

pytestmark = pytest.mark.gui
K = RecordKind


def cell(table, row: int, col: int) -> str:  # type: ignore[no-untyped-def]
    item = table.item(row, col)
    assert item is not None
    return str(item.text())
PATH = "/NPA/SEOUL/S11110/"


def route(rid: str, state: str = "waiting", departed: datetime | None = None,
          arrived: datetime | None = None, planned: int = 10) -> dict:
    return {"id": rid, "polling_station_id": f"PS-{rid}", "counting_station_id": "CS-1",
            "station_code": "S11110", "planned_minutes": planned, "state": state,
            "departed_at": iso(departed) if departed else None,
            "arrived_at": iso(arrived) if arrived else None, "officers": 2}


def polling(pid: str, assigned: int, kind: str = "election_day", open: bool = True) -> dict:
    return {"id": pid, "kind": kind, "name": f"{pid} 투표소", "station_code": "S11110", "lat": 37.57,
            "lon": 126.98, "district": "종로구", "town": "사직동", "officers_planned": 2,
            "officers_assigned": assigned, "open": open}


def test_routes_panel_counts_states_and_raises_late_boxes(qtbot, panel_ctx, memory_replica) -> None:
    from console.ui.panels.routes_panel import RoutesPanel

    now = SAMPLE_NOW
    memory_replica.put_many(K.ROUTE, [
        ("r1", route("r1")),
        ("r2", route("r2", "departed", departed=now - timedelta(minutes=90))),  # due 80 min ago
        ("r3", route("r3", "departed", departed=now - timedelta(minutes=5))),
        ("r4", route("r4", "arrived", departed=now - timedelta(minutes=40), arrived=now - timedelta(minutes=30))),
    ], org_path=PATH)
    memory_replica.put_many(K.POLLING_STATION, [(f"PS-r{i}", polling(f"PS-r{i}", 2)) for i in range(1, 5)],
                            org_path=PATH)
    panel = RoutesPanel(panel_ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 4)
    counts = {state.value: n for state, n in panel.counts().items()}
    assert counts == {"waiting": 1, "moving": 1, "arrived": 1, "late": 1}
    assert panel.alert.isVisible()
    assert "PS-r2" in panel.alert_label.text()
    assert cell(panel.table, 0, 1) == "PS-r2 투표소"  # the late box comes first
    # A threshold beyond its delay makes it merely moving.
    panel.threshold.setValue(120)
    qtbot.waitUntil(lambda: not panel.alert.isVisible())


def test_deployment_panel_puts_shortfalls_first(qtbot, panel_ctx, memory_replica) -> None:
    from console.ui.panels.deployment_panel import DeploymentPanel

    memory_replica.put_many(K.POLLING_STATION, [
        ("a", polling("a", 2)), ("b", polling("b", 1)), ("c", polling("c", 2)),
        ("ev", polling("ev", 0, kind="early_voting", open=False)),  # empty on election day: not counted
    ], org_path=PATH)
    panel = DeploymentPanel(panel_ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3)
    assert cell(panel.table, 0, 0) == "b 투표소"
    assert cell(panel.table, 0, 4) == "1"
    assert "5 of 6" in panel.summary.text()
    panel.only_short.setChecked(True)
    assert panel.table.rowCount() == 1


def test_charts_panel_rolls_up_incidents_personnel_and_routes(qtbot, panel_ctx, memory_replica) -> None:
    from console.ui.panels.charts_panel import ChartsPanel
    from console.views.charts import CATEGORIES

    # 05:30 KST: the incidents of the last minutes are on the operation day begun at 06:00 yesterday
    # (a calendar-day window dropped them; the test failed from 15:00 to 21:00 UTC by the wall clock).
    now = datetime(2025, 6, 4, 5, 30, tzinfo=OPERATION_TZ)
    panel_ctx.clock.update(now, speed=0.0)
    memory_replica.put(K.ORG, "S11110", {
        "code": "S11110", "level": "station", "name_ko": "종로경찰서", "name_en": "Jongno Police Station",
        "parent_code": "SEOUL", "path": PATH, "jurisdiction": ["11110"], "personnel_total": 300,
        "personnel_on_duty": 250, "lat": 37.57, "lon": 126.98}, org_path=PATH)
    memory_replica.put(K.DUTY_ORDER, "o1", {
        "id": "o1", "level": "level_a", "issuer_code": "SEOUL", "targets": ["S11110"],
        "effective_from": iso(now - timedelta(hours=1)), "effective_until": None, "reason": "",
        "issued_by": "x", "issued_at": iso(now - timedelta(hours=1)), "acks": {}, "cancelled": False},
        org_path="/NPA/SEOUL/")
    incidents = [
        (f"i{n}", {"id": f"i{n}", "category": cat, "code": 2, "title": "t", "station_code": "S11110",
                   "lat": 37.57, "lon": 126.98, "created_at": iso(now - timedelta(minutes=n)),
                   "created_by": "op"})
        for n, cat in enumerate(("bribery", "bribery", "disorder"))
    ]
    memory_replica.put_many(K.INCIDENT, incidents, org_path=PATH)
    memory_replica.put(K.ROUTE, "r1", route("r1", "arrived", departed=now - timedelta(minutes=30),
                                            arrived=now - timedelta(minutes=20)), org_path=PATH)
    panel = ChartsPanel(panel_ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.data is not None)
    data = panel.data
    assert data is not None
    assert data.incidents.sum() == 3
    assert data.incidents[CATEGORIES.index("bribery")].sum() == 2  # type: ignore[arg-type]
    # Level A requires everyone: 250 of 300 on duty is short.
    assert list(data.required) == [300.0] and list(data.on_duty) == [250.0]
    assert list(panel.personnel.short) == []  # a chart behind its tab is drawn when shown
    panel.tabs.setCurrentWidget(panel.personnel)
    assert list(panel.personnel.short) == [True]
    assert len(data.arrived) == 1 and data.routes == 1
    panel_ctx.theme.set_theme("light")  # redraws without error in the other theme
    assert panel.incidents.colours.background == "#ffffff"


def test_chart_widgets_take_plain_arrays(qtbot) -> None:
    from console.ui.charts.incidents_by_hour import IncidentsByHourChart
    from console.ui.charts.routes_progress import RoutesProgressChart

    chart = IncidentsByHourChart()
    qtbot.addWidget(chart)
    counts = np.zeros((2, 24))
    counts[0, 6], counts[1, 6], counts[1, 7] = 2, 3, 1
    chart.set_data(counts, ["금품선거", "투표소 소란"], now_hour=7.5)
    assert list(chart.totals[5:8]) == [0, 5, 1]
    assert "금품선거" in chart.legend_label.text()
    with pytest.raises(ValueError):
        chart.set_data(counts, ["one label only"])

    x, y = RoutesProgressChart.cumulative(np.array([19.0, 20.5, 21.0, 23.0]), 20.0, 22.0)
    assert list(x) == [20.0, 20.5, 21.0, 22.0]
    assert list(y) == [1.0, 2.0, 3.0]


def test_routes_panel_rolls_up_offices_for_hq(qtbot, memory_replica) -> None:
    from console.ui.panels.routes_panel import RoutesPanel
    from console.ui.testing import make_context, sample_user
    from console.views.offices import office_below

    assert office_below("/NPA/SEOUL/S11110/", "/NPA/") == "SEOUL"
    assert office_below("/NPA/SEOUL/S11110/", "/NPA/SEOUL/") == "S11110"
    now = SAMPLE_NOW
    memory_replica.put_many(K.ROUTE, [("s1", route("s1")),
                                      ("s2", route("s2", "departed", departed=now - timedelta(hours=2)))],
                            org_path=PATH)
    busan = {**route("b1"), "station_code": "S26350"}
    memory_replica.put_many(K.ROUTE, [("b1", busan)], org_path="/NPA/BUSAN/S26350/")
    memory_replica.put_many(K.ORG, [
        ("SEOUL", {"code": "SEOUL", "name_ko": "서울경찰청", "name_en": "Seoul Metropolitan Police Agency"}),
        ("BUSAN", {"code": "BUSAN", "name_ko": "부산경찰청", "name_en": "Busan Police Agency"})])
    ctx = make_context(memory_replica, sample_user(role="national_hq", org_code="NPA", org_path="/NPA/"))
    try:
        panel = RoutesPanel(ctx)
        qtbot.addWidget(panel)
        panel.show()
        qtbot.waitUntil(lambda: panel.by_office.rowCount() == 2)
        # The office with a late box comes first.
        assert cell(panel.by_office, 0, 0) == "Seoul Metropolitan Police Agency"
        assert cell(panel.by_office, 0, 5) == "1"
        assert cell(panel.by_office, 1, 1) == "1"
        panel.by_office.cellClicked.emit(1, 0)  # narrow the list to Busan's routes
        assert panel.table.rowCount() == 1
        panel.by_office.cellClicked.emit(1, 0)  # and back to all
        assert panel.table.rowCount() == 3
    finally:
        ctx.changes.stop()
        ctx.ops.shutdown(wait=True)


def counting_station(cid: str, name: str, assigned: int = 0, station: str = "S11110") -> dict:
    return {"id": cid, "name": name, "station_code": station, "lat": 37.58, "lon": 126.99,
            "district": "종로구", "officers_planned": 30, "officers_assigned": assigned}


def test_routes_show_counting_stations_and_stations_by_name(qtbot, panel_ctx, memory_replica) -> None:
    from console.ui.panels.routes_panel import RoutesPanel

    memory_replica.put_many(K.ROUTE, [("r1", route("r1")),
                                      ("r2", {**route("r2"), "counting_station_id": "CS-11110-2"})], org_path=PATH)
    memory_replica.put(K.COUNTING_STATION, "CS-1", counting_station("CS-1", "종로구 개표소 (통인동 체육관)"),
                       org_path=PATH)
    memory_replica.put(K.ORG, "S11110", {"code": "S11110", "name_ko": "종로경찰서",
                                         "name_en": "Jongno Police Station"}, org_path=PATH)
    panel = RoutesPanel(panel_ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2)
    qtbot.waitUntil(lambda: "Jongno Police Station" in [cell(panel.table, r, 3) for r in range(2)])
    by_route = {cell(panel.table, r, 1): (cell(panel.table, r, 2), cell(panel.table, r, 3)) for r in range(2)}
    assert by_route["PS-r1"] == ("종로구 개표소 (통인동 체육관)", "Jongno Police Station")
    # A counting station run by a neighbouring station is not in this console's replica: said so.
    assert by_route["PS-r2"] == ("CS-11110-2 (outside your area)", "Jongno Police Station")
    # Once its row arrives, its name.
    memory_replica.put(K.COUNTING_STATION, "CS-11110-2", counting_station("CS-11110-2", "종로구 제2개표소"),
                       org_path="/NPA/SEOUL/S11110B/")
    qtbot.waitUntil(lambda: "종로구 제2개표소" in [cell(panel.table, r, 2) for r in range(2)])


EARLY_DAY = datetime(2025, 5, 29, 10, 20, tzinfo=OPERATION_TZ)


def test_sites_closed_on_an_early_voting_day_are_not_short(qtbot, panel_ctx, memory_replica) -> None:
    """On an early-voting day the election-day polling stations and the counting stations are
    closed: not shown, not counted, not short (the table and the map say the same)."""
    from console.ui.map import rows as maprows
    from console.ui.panels.deployment_panel import DeploymentPanel

    panel_ctx.clock.update(EARLY_DAY, speed=0.0)
    memory_replica.put_many(K.POLLING_STATION, [
        ("ps-1", polling("ps-1", 1, open=False)), ("ps-2", polling("ps-2", 0, open=False)),  # election day
        ("ev-1", polling("ev-1", 2, kind="early_voting")), ("ev-2", polling("ev-2", 1, kind="early_voting")),
    ], org_path=PATH)
    memory_replica.put_many(K.COUNTING_STATION, [("cs-1", counting_station("cs-1", "종로구 개표소"))], org_path=PATH)
    panel = DeploymentPanel(panel_ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2)
    assert sorted(cell(panel.table, r, 0) for r in range(2)) == ["ev-1 투표소", "ev-2 투표소"]
    assert cell(panel.table, 0, 0) == "ev-2 투표소" and cell(panel.table, 0, 4) == "1"  # the one short
    assert panel.summary.text() == ("Sites: 1 of 2 fully staffed · officers 3 of 4 · 1 site short\n"
                                    "polling stations 2 (2 open) · 3 closed today, not counted")
    panel.only_short.setChecked(True)
    assert [cell(panel.table, r, 0) for r in range(panel.table.rowCount())] == ["ev-2 투표소"]

    # The map: the closed sites are drawn closed, not short.
    polling_styles = dict(zip(*(lambda p: (p.ids, p.styles))(maprows.polling_points(
        memory_replica.rows(K.POLLING_STATION), EARLY_DAY)), strict=True))
    assert polling_styles == {"ps-1": "election_day:closed", "ps-2": "election_day:closed",
                              "ev-1": "early_voting:open", "ev-2": "early_voting:understaffed"}
    assert maprows.counting_points(memory_replica.rows(K.COUNTING_STATION), EARLY_DAY).styles == ["closed"]

    # Election day, 05:50: the election-day stations operate (officers at their posts before the
    # polls open); the early-voting ones are closed, and so is the counting station until its
    # guards are due at 18:00.
    panel.only_short.setChecked(False)
    memory_replica.put_many(K.POLLING_STATION, [  # closed at 18:00 on their day
        ("ev-1", polling("ev-1", 2, kind="early_voting", open=False)),
        ("ev-2", polling("ev-2", 1, kind="early_voting", open=False))], org_path=PATH)
    panel_ctx.clock.update(datetime(2025, 6, 3, 5, 50, tzinfo=OPERATION_TZ), speed=0.0)
    qtbot.waitUntil(lambda: panel.summary.text().startswith(
        "Sites: 0 of 2 fully staffed · officers 1 of 4 · 2 sites short"), timeout=3000)
    assert sorted(cell(panel.table, r, 0) for r in range(2)) == ["ps-1 투표소", "ps-2 투표소"]
    panel_ctx.clock.update(datetime(2025, 6, 3, 18, 0, tzinfo=OPERATION_TZ), speed=0.0)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3, timeout=3000)
    assert panel.summary.text().startswith("Sites: 0 of 3 fully staffed · officers 1 of 34 · 3 sites short")
