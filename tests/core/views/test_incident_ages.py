"""One age rule for incidents: the age as of `now` and overdue by the 112 code's acknowledgement
limit, over a real replica at fixed clocks across the day (KST), and with hypothesis."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from synced import load as load_rows

from console.domain.clock import OPERATION_TZ, iso
from console.domain.incidents import ACK_LIMIT, IncidentStatus, PriorityCode
from console.domain.records import RecordKind, from_stored
from console.domain.samples import incident_data
from console.protocol.schema import Row
from console.replica import Replica
from console.views.incidents import (
    ack_limit,
    created_at,
    epoch_seconds,
    from_epoch,
    incident_age,
    is_overdue,
    place_of,
)
from console.views.queue_index import item_from_row

K = RecordKind
PATH = "/NPA/SEOUL/S11110/"


def kst(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2025, 6, day, hour, minute, second, tzinfo=OPERATION_TZ)


def load(replica: Replica, incidents: dict[str, dict]) -> None:
    rows = [Row(kind=K.INCIDENT, id=id, version=1, org_path=PATH, data=data) for id, data in incidents.items()]
    load_rows(replica, rows)


# (code, status, seconds before now it was reported, its age text in minutes, overdue)
CASES = [
    (0, "new", 59, 0, False), (0, "new", 60, 1, False), (0, "new", 61, 1, True),
    (1, "new", 180, 3, False), (1, "new", 181, 3, True), (1, "acknowledged", 3000, 50, False),
    (2, "new", 48 * 60, 48, True), (2, "new", 50 * 60, 50, True), (3, "new", 3599, 59, False),
    (3, "new", 3601, 60, True), (4, "dispatched", 5 * 3600, 300, False), (4, "new", 4 * 3600 + 1, 240, True),
    # Reported by a clock a little ahead of this one: 0 old, not negative, not overdue.
    (0, "new", -3, 0, False),
]
CLOCKS = [(3, 0, 30), (3, 5, 59), (3, 6, 0), (3, 18, 0), (3, 20, 0), (3, 23, 59)]


@pytest.mark.parametrize(("day", "hour", "minute"), CLOCKS)
def test_ages_and_overdue_at_fixed_clocks_over_a_real_replica(replica: Replica, day: int, hour: int,
                                                              minute: int) -> None:
    now = kst(day, hour, minute)
    incidents = {f"i{n}": incident_data(f"i{n}", code=code, status=status,
                                        created_at=iso(now - timedelta(seconds=before)))
                 for n, (code, status, before, _m, _o) in enumerate(CASES)}
    load(replica, incidents)
    rows = {r.id: r for r in replica.rows(K.INCIDENT)}
    assert len(rows) == len(CASES)
    for n, (code, status, before, minutes, overdue) in enumerate(CASES):
        row = rows[f"i{n}"]
        item = item_from_row(row.id, row.data, row.pending)
        created = created_at(row.data)
        assert item is not None and created is not None
        assert (item.code, item.status) == (code, status)
        # The queue's item and the detail panel's row data give the one age and overdue state.
        assert item.age(now) == incident_age(created, now) == timedelta(seconds=max(0, before))
        assert int(item.age(now).total_seconds()) // 60 == minutes
        assert item.overdue(now) is overdue
        assert is_overdue(str(row.data["status"]), int(row.data["code"]), created, now) is overdue
        # ... which is the domain's rule (the server escalates by it).
        assert from_stored(K.INCIDENT, row.data).is_overdue(now) is overdue


def test_an_age_runs_across_midnight_and_the_operation_day(replica: Replica) -> None:
    load(replica, {"late": incident_data("late", code=3, created_at=iso(kst(2, 23, 58)))})
    row = replica.row(K.INCIDENT, "late")
    assert row is not None
    item = item_from_row(row.id, row.data)
    assert item is not None
    assert item.age(kst(3, 0, 30)) == timedelta(minutes=32)
    assert item.age(kst(3, 6, 0)) == timedelta(hours=6, minutes=2)
    assert not item.overdue(kst(3, 0, 58)) and item.overdue(kst(3, 0, 58, 1))


def test_the_limits_are_the_codes_limits() -> None:
    assert [ack_limit(c) for c in range(5)] == [ACK_LIMIT[PriorityCode(c)] for c in range(5)]
    assert ack_limit(0) == timedelta(minutes=1) and ack_limit(4) == timedelta(hours=4)
    assert ack_limit(9) == timedelta(hours=4)  # unknown (the domain refuses it): the longest


def test_place_is_as_typed_else_district_and_town() -> None:
    assert place_of({"place": "광화문광장", "district": "종로구", "town": "세종로"}) == "광화문광장"
    assert place_of({"place": "", "district": "종로구", "town": "세종로"}) == "종로구 세종로"
    assert place_of({"district": "종로구"}) == "종로구"
    assert place_of({}) == ""


# Reports are stamped to the millisecond on the wire; the clock reads to the microsecond.
MOMENTS = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC))
ZONES = st.sampled_from([UTC, OPERATION_TZ, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30))])


@settings(max_examples=300, deadline=None)
@given(created=MOMENTS.map(lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000)),
       delta=st.one_of(st.integers(-5_000_000, 6 * 3600 * 1_000_000),
                       # close around each limit, where overdue turns
                       st.sampled_from([int(d.total_seconds() * 1_000_000) for d in ACK_LIMIT.values()])
                       .flatmap(lambda us: st.integers(us - 2000, us + 2000))),
       code=st.integers(0, 4), status=st.sampled_from([s.value for s in IncidentStatus]),
       zone_a=ZONES, zone_b=ZONES)
def test_age_and_overdue_hold_for_any_moment_in_any_zone(created: datetime, delta: int, code: int,
                                                         status: str, zone_a: timezone,
                                                         zone_b: timezone) -> None:
    now = created + timedelta(microseconds=delta)
    age = incident_age(created, now)
    assert age >= timedelta(0)
    assert age == max(now - created, timedelta(0))
    overdue = is_overdue(status, code, created, now)
    assert overdue == (status == "new" and age > ACK_LIMIT[PriorityCode(code)])
    # The same in any zone the moments are written in.
    assert incident_age(created.astimezone(zone_a), now.astimezone(zone_b)) == age
    assert is_overdue(status, code, created.astimezone(zone_a), now.astimezone(zone_b)) == overdue
    # The queue's item (its time kept as epoch seconds) and the domain agree to the microsecond.
    data = incident_data("x", code=code, status=status, created_at=iso(created.astimezone(zone_a)))
    item = item_from_row("x", data)
    assert item is not None
    assert item.age(now) == age and item.overdue(now) == overdue
    assert from_stored(K.INCIDENT, data).is_overdue(now) == overdue


@settings(max_examples=300, deadline=None)
@given(moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=ZONES))
def test_epoch_seconds_come_back_to_the_microsecond(moment: datetime) -> None:
    assert from_epoch(epoch_seconds(moment)) == moment
