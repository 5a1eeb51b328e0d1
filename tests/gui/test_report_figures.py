"""The situation report shows the panels' figures: for a national, a provincial and a station
office at 20:50 on election day (the truth world: Level A not acknowledged by one station,
incidents through the day, boxes late), every figure of the report equals the read model's
figure on the same replica and moment, and the database's own count (truth.dbtruth, written
apart from the read models). The office's rows come from the server database the way
`sitroom report` loads them (console.report.replica_from_server). Qt-free."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from truth import dbtruth
from truth.world import NOW, open_world

from console.domain.clock import operation_day, parse_time
from console.domain.election import DEFAULT_LATE_THRESHOLD, RouteDisplayState
from console.domain.incidents import MAJOR_ELECTION_CRIMES, ROUTED_TO_PROVINCIAL_CYBER, IncidentCategory
from console.replica import Replica
from console.report.replica_from_server import load_office
from console.server.embedded import EmbeddedServer
from console.views.charts import chart_data
from console.views.deployment import deployment_view
from console.views.duty import duty_view
from console.views.incident_tally import EventKind
from console.views.routes import routes_view
from console.views.sitrep import SituationReport, build_situation_report

OFFICES = {"national": ("NPA", "/NPA/"), "provincial": ("SEOUL", "/NPA/SEOUL/"),
           "station": ("S11110", "/NPA/SEOUL/S11110/")}
OPEN = {"new", "acknowledged", "dispatched", "on_scene"}


@pytest.fixture(scope="module")
def world_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, EmbeddedServer]]:
    tmp = tmp_path_factory.mktemp("report-world")
    url = f"sqlite:///{tmp / 'server.db'}"
    world = open_world(url)
    try:
        yield url, world.server
    finally:
        world.server.stop()


@pytest.fixture(params=list(OFFICES), ids=list(OFFICES))
def made(request: pytest.FixtureRequest, world_db: tuple[str, EmbeddedServer],
         tmp_path: Path) -> Iterator[tuple[str, Replica, SituationReport, dbtruth.ScopeRows]]:
    url, server = world_db
    code, path = OFFICES[request.param]
    loaded = load_office(url, code, tmp_path / "replica.sqlite3")
    assert loaded.scope_path == path
    report = build_situation_report(loaded.replica, code, NOW, author="tester", remarks="remarks",
                                    since=NOW - timedelta(hours=1), data_as_of=NOW - timedelta(minutes=1))
    try:
        yield code, loaded.replica, report, dbtruth.scope_rows(server, path)
    finally:
        loaded.replica.close()


def test_replica_holds_what_the_server_serves_the_office(made) -> None:  # type: ignore[no-untyped-def]
    _code, replica, _report, rows = made
    for kind, by_id in rows.by_kind.items():
        assert sorted(r.id for r in replica.rows(kind)) == sorted(by_id), kind


def test_duty_and_personnel_equal_the_duty_panel(made) -> None:  # type: ignore[no-untyped-def]
    code, replica, report, rows = made
    path = report.office.path
    panel = duty_view(replica, code, path, report.role, NOW)
    assert report.staffing == panel.overall
    assert report.level == (panel.in_force.level if panel.in_force else None)
    truth = dbtruth.staffing(rows, path, NOW)
    assert (report.staffing.on_duty, report.staffing.required, report.staffing.personnel_total,
            report.staffing.offices, report.staffing.offices_short) == (
        truth.on_duty, truth.required, truth.total, truth.offices, truth.offices_short)
    assert report.staffing.shortfall == truth.shortfall > 0
    own = dbtruth.duty(rows, code, NOW)
    assert (report.level.value if report.level else None) == own.level
    if panel.hq:
        below = {b.code: b for b in dbtruth.offices_below(rows, code, NOW)}
        assert {p.office.code for p in report.personnel} == set(below) == {b.office.code for b in panel.offices_below}
        for p in report.personnel:
            t = below[p.office.code]
            assert (p.staffing.on_duty, p.staffing.required, p.staffing.personnel_total) == (
                t.staffing.on_duty, t.staffing.required, t.staffing.total)
            assert p.acknowledged == t.acknowledged
            assert (p.level.value if p.level else None) == t.level
    else:
        (p,) = report.personnel
        assert p.staffing == panel.overall
        assert p.acknowledged is False  # 종로 has not acknowledged Level A


def test_sites_equal_the_deployment_panel(made) -> None:  # type: ignore[no-untyped-def]
    _code, replica, report, rows = made
    panel = deployment_view(replica, report.office.path, NOW)
    assert report.sites.all == panel.summary
    truth = dbtruth.deployment(rows, NOW)
    s = report.sites
    assert (s.all.sites, s.all.short_sites, s.all.polls_open, s.all.closed_sites) == (
        truth.sites, truth.short_sites, truth.polls_open, truth.closed_sites)
    assert s.polling.sites + s.counting.sites == s.all.sites
    assert s.polling.short_sites + s.counting.short_sites == s.all.short_sites
    assert s.polling.closed_sites + s.counting.closed_sites == s.all.closed_sites
    assert s.counting.sites == truth.counting_sites
    assert (s.counting.planned, s.counting.assigned) == (truth.counting_planned, truth.counting_assigned)
    assert s.polling.polls_open == truth.polls_open


def test_ballot_boxes_equal_the_routes_panel(made) -> None:  # type: ignore[no-untyped-def]
    _code, replica, report, rows = made
    panel = routes_view(replica, report.office.path, NOW, DEFAULT_LATE_THRESHOLD)
    assert report.boxes.counts == panel.counts
    truth = dbtruth.routes(rows, NOW)
    b = report.boxes
    assert (b.waiting, b.counts[RouteDisplayState.MOVING], b.late, b.arrived) == (
        truth["waiting"], truth["moving"], truth["late"], truth["arrived"])
    assert b.late > 0
    routes = rows.data(dbtruth.K.ROUTE).values()
    assert b.departed == sum(1 for d in routes if d.get("departed_at"))
    assert b.total == len(routes)
    listed = [minutes for _item, minutes in b.late_routes]
    assert listed == sorted(listed, reverse=True) and len(listed) == min(b.late, 20)


def test_charts_are_the_charts_panel_series(made) -> None:  # type: ignore[no-untyped-def]
    code, replica, report, rows = made
    panel = chart_data(replica, code, NOW)
    assert (report.charts.incidents == panel.incidents).all()
    assert (report.charts.on_duty == panel.on_duty).all() and (report.charts.required == panel.required).all()
    truth = dbtruth.charts(rows, code, NOW)
    assert report.charts.routes == truth.routes and len(report.charts.departed) == truth.departed


def _t(value: object) -> datetime:
    moment = parse_time(str(value))
    return moment


def _incidents(rows: dbtruth.ScopeRows) -> list[dict]:  # type: ignore[type-arg]
    return [d for d in rows.data(dbtruth.K.INCIDENT).values() if _t(d["created_at"]) <= NOW]


def test_incident_counts_equal_the_database(made) -> None:  # type: ignore[no-untyped-def]
    _code, _replica, report, rows = made
    start = operation_day(NOW).start
    incidents = _incidents(rows)

    def opened(ds: list[dict]) -> int:  # type: ignore[type-arg]
        return sum(1 for d in ds if _t(d["created_at"]) >= start)

    def closed(ds: list[dict]) -> int:  # type: ignore[type-arg]
        return sum(1 for d in ds if d["status"] not in OPEN and d.get("resolved_at")
                   and start <= _t(d["resolved_at"]) <= NOW)

    def still_open(ds: list[dict]) -> int:  # type: ignore[type-arg]
        return sum(1 for d in ds if d["status"] in OPEN or (d.get("resolved_at") and _t(d["resolved_at"]) > NOW))

    inc = report.incidents
    assert (inc.total.opened, inc.total.closed, inc.total.open) == (
        opened(incidents), closed(incidents), still_open(incidents))
    assert inc.total.opened > 0 and inc.total.open > 0
    for category, tally in inc.by_category:
        mine = [d for d in incidents if d["category"] == category.value]
        assert (tally.opened, tally.closed, tally.open) == (opened(mine), closed(mine), still_open(mine)), category
    for code, tally in inc.by_code:
        mine = [d for d in incidents if int(d["code"]) == int(code)]
        assert (tally.opened, tally.closed, tally.open) == (opened(mine), closed(mine), still_open(mine)), code
    # opened by category: the charts panel's bars summed over the hours
    assert [t.opened for _c, t in inc.by_category] == report.charts.incidents.sum(axis=1).astype(int).tolist()
    major = [d for d in incidents if d["category"] in {c.value for c in MAJOR_ELECTION_CRIMES}]
    assert inc.major_crimes_total.opened == opened(major)
    assert {c for c, _t in inc.major_crimes} == set(MAJOR_ELECTION_CRIMES)
    # every code 0/1 of the day or still open, with its status as stored
    urgent = {i: d for i, d in rows.data(dbtruth.K.INCIDENT).items() if int(d["code"]) <= 1
              and (_t(d["created_at"]) >= start or d["status"] in OPEN)}
    assert {i.id: i.status for i in inc.urgent} == {i: d["status"] for i, d in urgent.items()}
    assert any(i.overdue for i in inc.urgent)
    cyber = {i: d for i, d in rows.data(dbtruth.K.INCIDENT).items()
             if d["category"] in {c.value for c in ROUTED_TO_PROVINCIAL_CYBER}}
    assert {i.id: i.routed_to for i in inc.cyber} == {i: d.get("routed_to") for i, d in cyber.items()}
    assert inc.cyber_routed == sum(1 for d in cyber.values() if d.get("routed_to")) >= 1
    assert all(i.routed_to == "SEOUL" for i in inc.cyber if i.category == IncidentCategory.DEEPFAKE.value)


def test_events_since_the_last_report(made) -> None:  # type: ignore[no-untyped-def]
    _code, _replica, report, rows = made
    since = NOW - timedelta(hours=1)
    urgent = sorted(i for i, d in rows.data(dbtruth.K.INCIDENT).items()
                    if int(d["code"]) <= 1 and since < _t(d["created_at"]) <= NOW)
    assert sorted(e.ref for e in report.events if e.kind == EventKind.URGENT_INCIDENT) == urgent
    late = [e for e in report.events if e.kind == EventKind.LATE_BOX]
    assert 0 < len(late) <= report.boxes.late
    assert all(since < e.at <= NOW for e in report.events)
    assert [e.at for e in report.events] == sorted(e.at for e in report.events)


def test_data_age_and_offline(made) -> None:  # type: ignore[no-untyped-def]
    code, replica, report, _rows = made
    assert report.data_age == timedelta(minutes=1) and not report.offline and not report.stale
    offline = build_situation_report(replica, code, NOW, author="a", remarks="", offline=True,
                                     data_as_of=NOW - timedelta(minutes=40))
    assert offline.stale and offline.data_age == timedelta(minutes=40)
    never = build_situation_report(replica, code, NOW, author="a", remarks="")
    assert never.data_age is None and never.stale
