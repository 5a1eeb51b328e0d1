"""Ballot-box routes over a real replica at fixed clocks across the day (KST): one lateness rule,
the same in any zone; the read model's evaluation equals the domain's rule route by route."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from synced import load

from console.domain.clock import OPERATION_TZ, iso
from console.domain.election import (
    DEFAULT_LATE_THRESHOLD,
    BallotRoute,
    RouteDisplayState,
    RouteState,
    route_display_state,
)
from console.domain.records import RecordKind
from console.protocol.schema import Row
from console.replica import Replica
from console.replica.reads import ShownRow
from console.views.map_rows import route_lines
from console.views.routes import RouteSource, evaluate, routes_view

K = RecordKind
PATH = "/NPA/SEOUL/S11110/"
L, M, W, A = RouteDisplayState.LATE, RouteDisplayState.MOVING, RouteDisplayState.WAITING, RouteDisplayState.ARRIVED


def kst(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 6, day, hour, minute, tzinfo=OPERATION_TZ)


def route_row(rid: str, state: str, departed: datetime | None = None, arrived: datetime | None = None,
              planned: int = 30, counting: str = "CS-1", path: str = PATH) -> Row:
    data = {"id": rid, "polling_station_id": f"PS-{rid}", "counting_station_id": counting, "station_code": "S11110",
            "planned_minutes": planned, "state": state, "departed_at": iso(departed) if departed else None,
            "arrived_at": iso(arrived) if arrived else None, "officers": 2}
    return Row(kind=K.ROUTE, id=rid, version=1, org_path=path, data=data)


def site_row(kind: RecordKind, id: str, name: str, lat: float = 37.57, path: str = PATH) -> Row:
    data = {"id": id, "name": name, "station_code": "S11110", "lat": lat, "lon": 126.98,
            "officers_planned": 2, "officers_assigned": 2, "kind": "election_day", "open": False}
    return Row(kind=kind, id=id, version=1, org_path=path, data=data)


# Boxes leaving around the close of the polls and through the night; each row: (id, state,
# departed, arrived) with 30-minute trips.
NIGHT = [
    ("w", "waiting", None, None),
    ("d2000", "departed", kst(3, 20, 0), None),  # due 20:30
    ("d2340", "departed", kst(3, 23, 40), None),  # due 00:10 the next day
    ("a", "arrived", kst(3, 20, 10), kst(3, 21, 30)),  # arrived well late: arrived all the same
    ("d0530", "departed", kst(4, 5, 30), None),  # due 06:00 the next morning
]


@pytest.mark.parametrize(("now", "expected"), [
    # 00:30 and 05:59 on election day: nothing has left yet, by the times (a box's state is its
    # own, whatever the clock): "departed" boxes before they left are moving, never late.
    (kst(3, 0, 30), {"w": W, "d2000": M, "d2340": M, "a": A, "d0530": M}),
    (kst(3, 5, 59), {"w": W, "d2000": M, "d2340": M, "a": A, "d0530": M}),
    (kst(3, 6, 0), {"w": W, "d2000": M, "d2340": M, "a": A, "d0530": M}),
    (kst(3, 18, 0), {"w": W, "d2000": M, "d2340": M, "a": A, "d0530": M}),
    # 20:00: the 20:00 box is on its way; at 20:45 it is exactly 15 min past due: not late yet.
    (kst(3, 20, 0), {"w": W, "d2000": M, "d2340": M, "a": A, "d0530": M}),
    (kst(3, 20, 45), {"w": W, "d2000": M, "d2340": M, "a": A, "d0530": M}),
    (kst(3, 20, 46), {"w": W, "d2000": L, "d2340": M, "a": A, "d0530": M}),
    (kst(3, 23, 59), {"w": W, "d2000": L, "d2340": M, "a": A, "d0530": M}),
    # Across midnight: the 23:40 box is due 00:10, late after 00:25.
    (kst(4, 0, 25), {"w": W, "d2000": L, "d2340": M, "a": A, "d0530": M}),
    (kst(4, 0, 30), {"w": W, "d2000": L, "d2340": L, "a": A, "d0530": M}),
    (kst(4, 6, 16), {"w": W, "d2000": L, "d2340": L, "a": A, "d0530": L}),
])
def test_route_states_at_fixed_clocks(replica: Replica, now: datetime, expected: dict[str, RouteDisplayState]) -> None:
    load(replica, [route_row(rid, state, dep, arr) for rid, state, dep, arr in NIGHT]
         + [site_row(K.COUNTING_STATION, "CS-1", "종로구 개표소")])
    for zone in (OPERATION_TZ, UTC, timezone(timedelta(hours=-5))):  # the same instant in any zone
        view = routes_view(replica, "/NPA/SEOUL/S11110/", now.astimezone(zone), DEFAULT_LATE_THRESHOLD)
        assert {item.id: state for item, state in view.rows()} == expected
        assert view.late == {rid for rid, s in expected.items() if s == L}
        counts = view.counts
        assert sum(counts.values()) == len(NIGHT)
        assert counts[L] == sum(1 for s in expected.values() if s == L)
    # The worst late box comes first; the counting station by name.
    rows = routes_view(replica, "/NPA/", now, DEFAULT_LATE_THRESHOLD).rows()
    if expected["d2000"] == L:
        assert rows[0][0].id == "d2000"
    assert {item.counting_name for item, _ in rows} == {"종로구 개표소"}


def test_offices_roll_up_by_state_for_an_hq(replica: Replica) -> None:
    now = kst(3, 21, 0)
    load(replica, [
        route_row("s1", "departed", kst(3, 20, 0), path="/NPA/SEOUL/S11110/"),  # late
        route_row("s2", "waiting", path="/NPA/SEOUL/S11140/"),
        route_row("b1", "arrived", kst(3, 20, 5), kst(3, 20, 30), path="/NPA/BUSAN/S26350/"),
        Row(kind=K.ORG, id="SEOUL", version=1, org_path="/NPA/SEOUL/",
            data={"code": "SEOUL", "name_ko": "서울경찰청", "name_en": "Seoul"}),
    ])
    national = routes_view(replica, "/NPA/", now, DEFAULT_LATE_THRESHOLD)
    assert [(o.office, o.counts[L], o.counts[W], o.counts[A], o.total) for o in national.offices()] == [
        ("SEOUL", 1, 1, 0, 2), ("BUSAN", 0, 0, 1, 1)]
    assert national.office_names["SEOUL"] == ("서울경찰청", "Seoul")
    seoul = routes_view(replica, "/NPA/SEOUL/", now, DEFAULT_LATE_THRESHOLD)
    assert [o.office for o in seoul.offices()] == ["S11110", "S11140", "S26350"]


def test_a_renamed_counting_station_and_a_late_arrival_fold_in(replica: Replica) -> None:
    load(replica, [route_row("r1", "waiting")])
    source = RouteSource(PATH)
    data = source.load(replica)
    assert data.routes is not None
    item = data.routes.item("r1")
    assert item is not None and item.counting_name == "CS-1" and not item.counting_known
    replica.apply_changes([_change(2, site_row(K.COUNTING_STATION, "CS-1", "종로구 개표소"))], 2, "epoch")
    update = source.update(replica, {K.COUNTING_STATION: {"CS-1"}})
    assert update is not None and update.routes is not None
    item = update.routes.item("r1")
    assert item is not None and item.counting_name == "종로구 개표소" and item.counting_known


def _change(seq: int, row: Row):  # type: ignore[no-untyped-def]
    from console.protocol.schema import Change

    return Change(seq=seq, row=row)


moments = st.datetimes(min_value=datetime(2025, 6, 2), max_value=datetime(2025, 6, 5), timezones=st.just(UTC))


@settings(max_examples=200, deadline=None)
@given(state=st.sampled_from(list(RouteState)), departed=moments, now=moments,
       planned=st.integers(min_value=1, max_value=240), threshold=st.integers(min_value=0, max_value=180),
       offset=st.integers(min_value=-12, max_value=14))
def test_late_iff_departed_not_arrived_and_past_due_plus_threshold(
        state: RouteState, departed: datetime, now: datetime, planned: int, threshold: int, offset: int) -> None:
    limit = timedelta(minutes=threshold)
    got = route_display_state(state, departed, planned, now, limit)
    late = state == RouteState.DEPARTED and now > departed + timedelta(minutes=planned) + limit
    assert (got == L) == late
    # The state is a function of instants only: the same in any zone.
    zone = timezone(timedelta(hours=offset))
    assert route_display_state(state, departed.astimezone(zone), planned, now.astimezone(OPERATION_TZ),
                               limit) == got
    # The domain entity and the read model's evaluation of all routes at once say the same.
    arrived = departed + timedelta(minutes=1) if state == RouteState.ARRIVED else None
    route = BallotRoute("r", "ps", "cs", "S1", planned, state,
                        iso(departed) if state != RouteState.WAITING else None, iso(arrived) if arrived else None)
    assert route.display_state(now, limit) == (got if state != RouteState.WAITING else W)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["waiting", "departed", "arrived"]),
                          st.integers(min_value=0, max_value=600), st.integers(min_value=1, max_value=120)),
                min_size=1, max_size=30),
       st.integers(min_value=0, max_value=180), st.integers(min_value=0, max_value=900))
def test_panel_and_map_evaluations_equal_the_domain_rule(rows: list[tuple[str, int, int]], threshold: int,
                                                         later: int) -> None:
    """The routes panel's vectorised evaluation and the map's per-row one give the domain's states."""
    start = kst(3, 20, 0)
    now = start + timedelta(minutes=later)
    limit = timedelta(minutes=threshold)
    routes, sites = [], [_R(K.COUNTING_STATION, "CS-1", 1, PATH, {"name": "c", "lat": 37.6, "lon": 127.0})]
    for n, (state, left_after, planned) in enumerate(rows):
        dep = start + timedelta(minutes=left_after) if state != "waiting" else None
        arr = dep + timedelta(minutes=planned) if state == "arrived" and dep else None
        routes.append(_R(K.ROUTE, f"r{n}", 1, PATH, route_row(f"r{n}", state, dep, arr, planned).data))
        sites.append(_R(K.POLLING_STATION, f"PS-r{n}", 1, PATH, {"name": f"p{n}", "lat": 37.5, "lon": 127.0}))
    expected = {r.id: route_display_state(r.data["state"], dep_of(r.data), r.data["planned_minutes"], now, limit)
                for r in routes}
    source = RouteSource(PATH)
    snapshot = source.load(_Rows(routes + sites)).routes
    assert snapshot is not None
    ev = evaluate(snapshot, now, limit)
    from console.views.routes import STATES

    assert {snapshot.items[k].id: STATES[int(ev.codes[k])] for k in range(len(snapshot))} == expected
    lines = route_lines(routes, [s for s in sites if s.kind == K.POLLING_STATION],
                        [s for s in sites if s.kind == K.COUNTING_STATION], now, limit)
    assert dict(zip(lines.ids, lines.states, strict=True)) == expected


def dep_of(data: dict) -> datetime | None:  # type: ignore[type-arg]
    from console.domain.clock import parse_time

    return parse_time(data["departed_at"]) if data.get("departed_at") else None


@dataclass
class _R:
    kind: RecordKind
    id: str
    version: int
    org_path: str
    data: dict  # type: ignore[type-arg]
    pending: bool = False


class _Rows:
    """The read protocol over a list of rows (hypothesis runs many examples: no database each)."""

    def __init__(self, rows: list[_R]) -> None:
        self._rows = rows

    def rows(self, kind: RecordKind) -> Sequence[ShownRow]:
        return [r for r in self._rows if r.kind == kind]

    def row(self, kind: RecordKind, id: str) -> ShownRow | None:
        return next((r for r in self._rows if r.kind == kind and r.id == id), None)

    def count(self, kind: RecordKind) -> int:
        return len(self.rows(kind))

    def rows_by_ids(self, kind: RecordKind, ids: Sequence[str]) -> Sequence[ShownRow]:
        return [r for r in self._rows if r.kind == kind and r.id in ids]
