"""Ballot-box routes panel: changes fold in from the changed routes only, and the states, counts,
late alert, filter and per-office roll-up follow at once; its numpy evaluation equals the
domain's one-route-at-a-time evaluation."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import pytest
from record_tables import CountingReplica, national_hq, texts

from console.domain.clock import iso
from console.domain.election import RouteDisplayState
from console.domain.records import RecordKind
from console.domain.samples import SAMPLE_NOW
from console.ui.qt import Qt
from console.views.record_index import RecordIndex

pytestmark = pytest.mark.gui
K = RecordKind
PATH = "/NPA/SEOUL/S11110/"


def route(rid: str, state: str = "waiting", departed: datetime | None = None,
          arrived: datetime | None = None, planned: int = 10, polling: str | None = None) -> dict:
    return {"id": rid, "polling_station_id": polling or f"PS-{rid}", "counting_station_id": "CS-1",
            "station_code": "S11110", "planned_minutes": planned, "state": state,
            "departed_at": iso(departed) if departed else None,
            "arrived_at": iso(arrived) if arrived else None, "officers": 2}


def polling(pid: str, name: str | None = None) -> dict:
    return {"id": pid, "kind": "election_day", "name": name or f"{pid} 투표소", "station_code": "S11110",
            "lat": 37.57, "lon": 126.98, "officers_planned": 2, "officers_assigned": 2, "open": True}


def counts(panel: Any) -> dict[str, int]:
    return {state.value: n for state, n in panel.counts().items()}


def test_route_changes_fold_in_and_the_summary_follows(qtbot, show_panel) -> None:  # type: ignore[no-untyped-def]
    from console.ui.panels.routes_panel import RoutesPanel

    replica = CountingReplica()
    now = SAMPLE_NOW
    replica.put_many(K.ROUTE, [(f"r{i}", route(f"r{i}")) for i in range(1, 5)], org_path=PATH)
    replica.put_many(K.POLLING_STATION, [(f"PS-r{i}", polling(f"PS-r{i}")) for i in range(1, 5)], org_path=PATH)
    panel = show_panel(RoutesPanel, replica)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 4)
    assert counts(panel) == {"waiting": 4, "moving": 0, "arrived": 0, "late": 0}
    assert not panel.alert.isVisible()
    reads = dict(replica.full_reads)

    # r3 left 90 minutes ago on a 10-minute trip: late, first, alerted.
    replica.put(K.ROUTE, "r3", route("r3", "departed", departed=now - timedelta(minutes=90)), org_path=PATH)
    qtbot.waitUntil(lambda: counts(panel)["late"] == 1)
    assert panel.alert.isVisible() and "PS-r3" in panel.alert_label.text()
    assert panel.table.item(0, 1).text() == "PS-r3 투표소"
    assert panel.table.item(0, 0).text() == "Late"
    assert "4 routes: 3 waiting, 0 moving, 0 arrived, 1 late" in panel.summary.text()

    # Only late routes shown; when r3 arrives it leaves the filtered list and the alert goes.
    panel.filter.setCurrentIndex(panel.filter.findData(RouteDisplayState.LATE))
    assert texts(panel.table, 1) == ["PS-r3 투표소"]
    replica.put(K.ROUTE, "r3", route("r3", "arrived", departed=now - timedelta(minutes=90),
                                     arrived=now - timedelta(minutes=1)), org_path=PATH)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 0)
    assert counts(panel) == {"waiting": 3, "moving": 0, "arrived": 1, "late": 0}
    assert not panel.alert.isVisible()
    panel.filter.setCurrentIndex(0)
    assert panel.table.rowCount() == 4

    # A polling station renamed: its route shows the new name.
    replica.put(K.POLLING_STATION, "PS-r2", polling("PS-r2", "새 이름 투표소"), org_path=PATH)
    qtbot.waitUntil(lambda: "새 이름 투표소" in texts(panel.table, 1))
    # A route deleted from scope disappears.
    with replica._lock:
        del replica.rows_by_kind[K.ROUTE]["r4"]
    replica.notify({K.ROUTE: {"r4"}})
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3)
    # No change above made the panel read every route or station again.
    assert replica.full_reads == reads


def test_threshold_and_clock_move_routes_between_states(qtbot, show_panel, memory_replica) -> None:  # type: ignore[no-untyped-def]
    from console.ui.panels.routes_panel import RoutesPanel

    now = SAMPLE_NOW
    memory_replica.put_many(K.ROUTE, [
        ("a", route("a", "departed", departed=now - timedelta(minutes=30))),  # due 20 min ago
        ("b", route("b", "departed", departed=now - timedelta(minutes=50))),  # due 40 min ago
        ("c", route("c", "departed", departed=now - timedelta(minutes=5)))], org_path=PATH)
    panel = show_panel(RoutesPanel, memory_replica)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3)
    panel.threshold.setValue(30)
    assert counts(panel)["late"] == 1 and texts(panel.table, 1)[0] == "PS-b"
    panel.threshold.setValue(10)
    assert counts(panel)["late"] == 2 and texts(panel.table, 1)[:2] == ["PS-b", "PS-a"]  # most overdue first
    # Sorting by a column, then back to the worst-first order.
    panel.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.AscendingOrder)
    assert texts(panel.table, 1) == ["PS-a", "PS-b", "PS-c"]
    panel.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    assert texts(panel.table, 1)[0] == "PS-b"


def test_hq_rollup_and_office_filter_follow_changes(qtbot, show_panel, memory_replica) -> None:  # type: ignore[no-untyped-def]
    from console.ui.panels.routes_panel import RoutesPanel

    now = SAMPLE_NOW
    memory_replica.put_many(K.ROUTE, [("s1", route("s1")), ("s2", route("s2"))], org_path=PATH)
    memory_replica.put_many(K.ROUTE, [("b1", {**route("b1"), "station_code": "S26350"})],
                            org_path="/NPA/BUSAN/S26350/")
    memory_replica.put_many(K.ORG, [
        ("SEOUL", {"code": "SEOUL", "name_ko": "서울경찰청", "name_en": "Seoul Metropolitan Police Agency"}),
        ("BUSAN", {"code": "BUSAN", "name_ko": "부산경찰청", "name_en": "Busan Police Agency"})])
    panel = show_panel(RoutesPanel, memory_replica, national_hq())
    qtbot.waitUntil(lambda: panel.by_office.rowCount() == 2)
    assert texts(panel.by_office, 0) == ["Busan Police Agency", "Seoul Metropolitan Police Agency"]
    panel.by_office.cellClicked.emit(0, 0)  # Busan's routes only
    assert texts(panel.table, 1) == ["PS-b1"]
    # A Busan box goes late: Busan stays first with its late count; the filtered list follows.
    memory_replica.put(K.ROUTE, "b1", {**route("b1", "departed", departed=now - timedelta(hours=2)),
                                       "station_code": "S26350"}, org_path="/NPA/BUSAN/S26350/")
    qtbot.waitUntil(lambda: panel.by_office.item(0, 5).text() == "1")
    assert panel.table.item(0, 0).text() == "Late"
    # A Seoul box goes late too: one late each, offices in code order; the list stays on Busan.
    memory_replica.put(K.ROUTE, "s2", route("s2", "departed", departed=now - timedelta(hours=3)), org_path=PATH)
    qtbot.waitUntil(lambda: texts(panel.by_office, 5) == ["1", "1"])
    assert texts(panel.table, 1) == ["PS-b1"]  # still Busan only
    # An office renamed: the roll-up shows the new name.
    memory_replica.put(K.ORG, "BUSAN", {"code": "BUSAN", "name_ko": "부산청", "name_en": "Busan Police"})
    qtbot.waitUntil(lambda: "Busan Police" in texts(panel.by_office, 0))
    panel.by_office.cellClicked.emit(0, 0)
    assert panel.table.rowCount() == 3


def test_numpy_evaluation_matches_the_domain() -> None:
    """The read model's evaluation of all routes at once equals the domain's rule applied to one
    route at a time (BallotRoute.display_state), in order, counts and per-office roll-up."""
    from collections import Counter

    from console.domain.election import BallotRoute
    from console.domain.records import from_stored
    from console.ui.testing import MemoryViewRow
    from console.views.offices import office_below
    from console.views.routes import ROUTE_SCHEMA, evaluate, rollup, route_item, worst_first

    rng = random.Random(4)
    # Whole seconds: equal delays are then equal in float epoch seconds too, so ties (broken by
    # polling station name, then row order) fall the same way in both evaluations.
    now = SAMPLE_NOW.replace(microsecond=0)
    rows = []
    for i in range(300):
        state = rng.choice(("waiting", "departed", "arrived"))
        departed = now - timedelta(minutes=rng.randint(0, 200)) if state != "waiting" else None
        arrived = departed + timedelta(minutes=rng.randint(1, 50)) if state == "arrived" and departed else None
        office = rng.choice(("SEOUL", "BUSAN", "DAEGU"))
        rows.append(MemoryViewRow(K.ROUTE, f"r{i:03d}", 1, f"/NPA/{office}/S{i % 7}/",
                                  route(f"r{i:03d}", state, departed, arrived, planned=rng.randint(5, 90),
                                        polling=f"PS-{rng.randint(0, 99):02d}")))
    names = {f"PS-{n:02d}": f"station {n % 37}" for n in range(100)}
    order_rank = {RouteDisplayState.LATE: 0, RouteDisplayState.MOVING: 1, RouteDisplayState.WAITING: 2,
                  RouteDisplayState.ARRIVED: 3}
    for threshold in (timedelta(0), timedelta(minutes=15), timedelta(hours=2)):
        expected = []
        for row in rows:
            r: BallotRoute = from_stored(K.ROUTE, row.data)
            due = r.due_at()
            over = max(0.0, (now - due).total_seconds() / 60) if due is not None and r.arrived_at is None else 0.0
            expected.append((r.display_state(now, threshold), names[r.polling_station_id], round(over, 6),
                             office_below(row.org_path, "/NPA/")))
        expected.sort(key=lambda e: (order_rank[e[0]], -e[2], e[1]))
        items = {r.id: route_item(r, names, {}, "/NPA/") for r in rows}
        snapshot = RecordIndex(ROUTE_SCHEMA).replace({id: i for id, i in items.items() if i is not None})
        assert snapshot is not None
        ev = evaluate(snapshot, now, threshold)
        got = [snapshot.items[int(k)] for k in worst_first(snapshot, ev, snapshot.all())]
        assert [e[:3] for e in expected] == [
            (g.state_at(now, threshold), g.polling_name, round(g.minutes_over(now.timestamp()), 6)) for g in got]
        per_office: dict[str, Counter[RouteDisplayState]] = {}
        for state, _name, _over, office in expected:
            per_office.setdefault(office, Counter())[state] += 1
        assert {o.office: {s: n for s, n in o.counts.items() if n} for o in rollup(snapshot, ev)} == {
            office: dict(c) for office, c in per_office.items()}
