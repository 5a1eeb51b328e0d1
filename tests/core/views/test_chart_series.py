"""The charts' series over a real replica at fixed clocks across the operation day (KST)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from synced import load

from console.domain.clock import OPERATION_TZ, iso, operation_day
from console.domain.records import RecordKind
from console.protocol.schema import Row
from console.replica import Replica
from console.views.charts import CATEGORIES, chart_data

K = RecordKind
PATH = "/NPA/SEOUL/S1/"
ELECTION = datetime(2025, 6, 3, tzinfo=OPERATION_TZ)


def kst(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 6, day, hour, minute, tzinfo=OPERATION_TZ)


def incident(n: int, created: datetime, category: str = "disorder") -> Row:
    data = {"id": f"i{n}", "category": category, "code": 2, "title": "t", "station_code": "S1",
            "lat": 37.5, "lon": 127.0, "created_at": iso(created), "created_by": "op"}
    return Row(kind=K.INCIDENT, id=f"i{n}", version=1, org_path=PATH, data=data)


# One incident in each of these hours of election day and the night after it.
HOURS = [(3, 0, 30), (3, 5, 59), (3, 6, 0), (3, 18, 0), (3, 20, 0), (3, 23, 59), (4, 0, 30), (4, 5, 59)]


@pytest.mark.parametrize(("day", "hour", "minute", "in_window"), [
    # 00:30 and 05:59 on 3 June belong to the day of 2 June: only the two incidents before 06:00.
    (3, 0, 30, [0, 1]), (3, 5, 59, [0, 1]),
    # From 06:00 on 3 June the day of 3 June: everything from 06:00 to 05:59 on 4 June.
    (3, 6, 0, [2, 3, 4, 5, 6, 7]), (3, 18, 0, [2, 3, 4, 5, 6, 7]), (3, 20, 0, [2, 3, 4, 5, 6, 7]),
    (3, 23, 59, [2, 3, 4, 5, 6, 7]),
    # The night after election day (counting) is still election day's operation day.
    (4, 0, 30, [2, 3, 4, 5, 6, 7]),
])
def test_incidents_per_hour_cover_the_whole_operation_day(replica: Replica, day: int, hour: int,
                                                           minute: int, in_window: list[int]) -> None:
    load(replica, [incident(n, kst(*when)) for n, when in enumerate(HOURS)])
    data = chart_data(replica, "S1", kst(day, hour, minute))
    assert data.incidents.sum() == len(in_window)
    expected_bins = sorted(operation_day(kst(day, hour, minute)).hour_bin(kst(*HOURS[n])) or 0
                           for n in in_window)
    got_bins = sorted(b for b in range(24) for _ in range(int(data.incidents[:, b].sum())))
    assert got_bins == expected_bins
    # "now" sits on the chart's hour scale: hours since 00:00 KST of the day's date (6 .. 30).
    assert 6 <= data.now_hour < 30


def test_bins_are_hours_from_six_in_the_morning(replica: Replica) -> None:
    load(replica, [incident(0, kst(3, 6, 10), "bribery"), incident(1, kst(4, 1, 15), "violence")])
    data = chart_data(replica, "S1", kst(4, 2, 0))
    assert data.day.date == ELECTION.date() and data.day.first_hour == 6
    assert data.incidents[CATEGORIES.index("bribery"), 0] == 1  # type: ignore[arg-type]
    assert data.incidents[CATEGORIES.index("violence"), 19] == 1  # type: ignore[arg-type]  # 01:00 -> 6 + 19
    assert data.now_hour == pytest.approx(26.0)


def test_route_times_are_on_the_day_scale_across_midnight(replica: Replica) -> None:
    route = {"id": "r1", "polling_station_id": "PS-1", "counting_station_id": "CS-1", "station_code": "S1",
             "planned_minutes": 30, "state": "arrived", "departed_at": iso(kst(3, 23, 30)),
             "arrived_at": iso(kst(4, 0, 45)), "officers": 2}
    load(replica, [Row(kind=K.ROUTE, id="r1", version=1, org_path=PATH, data=route)])
    data = chart_data(replica, "S1", kst(4, 1, 0))
    assert list(data.departed) == [pytest.approx(23.5)] and list(data.arrived) == [pytest.approx(24.75)]


@settings(max_examples=60, deadline=None)
@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31),
                    timezones=st.just(UTC)))
def test_operation_day_holds_every_moment_once(moment: datetime) -> None:
    day = operation_day(moment)
    assert day.contains(moment)
    assert day.start.hour == 6 and day.end - day.start == timedelta(days=1)
    assert 0 <= (day.hour_bin(moment) or 0) < 24
    assert day.start.astimezone(OPERATION_TZ).date() == day.date
    # The next and the previous day do not hold it.
    assert not operation_day(day.end).contains(moment)
    assert not operation_day(day.start - timedelta(seconds=1)).contains(moment)
