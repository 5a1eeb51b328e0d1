"""The duty panel's read model over a real replica at fixed clocks across election day (KST), and
with hypothesis: the level in force is the brute-force answer whatever the machine's zone."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synced import load

from console.domain.clock import OPERATION_TZ, iso
from console.domain.records import RecordKind
from console.domain.roles import Role
from console.protocol.schema import Row
from console.replica import Replica
from console.views.duty import DutyView, duty_view

K = RecordKind


def kst(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 6, day, hour, minute, tzinfo=OPERATION_TZ)


def written(moment: datetime, zone: str) -> str:
    """A time as a client may have sent it: the wire keeps it as written."""
    if zone == "Z":
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    hours = {"KST": 9, "EST": -5}[zone]
    return moment.astimezone(timezone(timedelta(hours=hours))).isoformat()


def org(code: str, level: str, parent: str | None, path: str, total: int, on_duty: int) -> Row:
    data: dict[str, Any] = {"code": code, "level": level, "name_ko": f"{code} 관서", "name_en": f"{code} office",
            "parent_code": parent, "path": path, "jurisdiction": [], "personnel_total": total,
            "personnel_on_duty": on_duty, "lat": 37.5, "lon": 127.0}
    return Row(kind=K.ORG, id=code, version=1, org_path=path, data=data)


ORGS = [
    org("NPA", "national", None, "/NPA/", 1200, 540),
    org("SEOUL", "provincial", "NPA", "/NPA/SEOUL/", 800, 400),
    org("S1", "station", "SEOUL", "/NPA/SEOUL/S1/", 100, 40),
    org("S2", "station", "SEOUL", "/NPA/SEOUL/S2/", 200, 100),
    org("BUSAN", "provincial", "NPA", "/NPA/BUSAN/", 500, 250),
    org("B1", "station", "BUSAN", "/NPA/BUSAN/B1/", 300, 300),
]
PATHS = {str(r.data["code"]): r.org_path for r in ORGS}


def order(id: str, level: str, issuer: str, targets: list[str], start: str, until: str | None,
          issued: str, acks: dict[str, datetime] | None = None, cancelled: bool = False) -> Row:
    data = {"id": id, "level": level, "issuer_code": issuer, "targets": targets, "effective_from": start,
            "effective_until": until, "reason": f"{id} 사유", "issued_by": f"{issuer.lower()}-duty",
            "issued_at": issued, "cancelled": cancelled,
            "acks": {code: {"by": f"{code.lower()}-cmd", "at": iso(at)} for code, at in (acks or {}).items()}}
    return Row(kind=K.DUTY_ORDER, id=id, version=1, org_path=PATHS[issuer], data=data)


# Election day as the chain of command orders it, the times written as different clients send them.
ELECTION = [
    # Heightened alert from the campaign; Seoul acknowledged it, Busan did not.
    order("c-npa", "heightened", "NPA", ["SEOUL", "BUSAN"], written(datetime(2025, 5, 15, tzinfo=OPERATION_TZ), "KST"),
          None, written(datetime(2025, 5, 14, 12, tzinfo=OPERATION_TZ), "KST"),
          {"SEOUL": datetime(2025, 5, 14, 13, tzinfo=OPERATION_TZ)}),
    order("c-seoul", "heightened", "SEOUL", ["S1", "S2"], written(datetime(2025, 5, 15, tzinfo=OPERATION_TZ), "Z"),
          None, written(datetime(2025, 5, 14, 14, tzinfo=OPERATION_TZ), "Z"),
          {"S1": datetime(2025, 5, 14, 15, tzinfo=OPERATION_TZ), "S2": datetime(2025, 5, 14, 15, tzinfo=OPERATION_TZ)}),
    # Level A from 06:00 KST on election day to 06:00 the next morning.
    order("a-npa", "level_a", "NPA", ["SEOUL", "BUSAN"], written(kst(3, 6), "KST"), written(kst(4, 6), "KST"),
          written(kst(2, 10), "KST"), {"SEOUL": kst(2, 10, 20)}),
    order("a-seoul", "level_a", "SEOUL", ["S1", "S2"], written(kst(3, 6), "KST"), written(kst(4, 6), "EST"),
          written(kst(2, 11), "Z"), {"S1": kst(2, 11, 5)}),
    # Seoul puts S1 on Level B for the evening, 18:00 to 20:00 (it ends when the polls close).
    # Written in New York time, its start reads as text before Level A's ("...T04:00-05:00" against
    # "...T06:00+09:00") though it is twelve hours after it.
    order("b-s1", "level_b", "SEOUL", ["S1"], written(kst(3, 18), "EST"), written(kst(3, 20), "KST"),
          written(kst(2, 12), "EST")),
    # A cancelled Level A for S2 changes nothing.
    order("x-s2", "level_a", "SEOUL", ["S2"], written(kst(3, 12), "KST"), None, written(kst(2, 13), "KST"),
          cancelled=True),
]


def station(replica: Replica, now: datetime) -> DutyView:
    return duty_view(replica, "S1", "/NPA/SEOUL/S1/", Role.STATION_COMMANDER, now)


def province(replica: Replica, now: datetime) -> DutyView:
    return duty_view(replica, "SEOUL", "/NPA/SEOUL/", Role.PROVINCIAL_HQ, now)


def national(replica: Replica, now: datetime) -> DutyView:
    return duty_view(replica, "NPA", "/NPA/", Role.NATIONAL_HQ, now)


CLOCKS = [
    # (day, hour, minute), S1's order in force, its level, required of S1's 100
    ((3, 0, 30), "c-seoul", "heightened", 0),
    ((3, 5, 59), "c-seoul", "heightened", 0),
    ((3, 6, 0), "a-seoul", "level_a", 100),
    ((3, 18, 0), "b-s1", "level_b", 50),
    ((3, 20, 0), "a-seoul", "level_a", 100),  # Level B stopped at 20:00
    ((3, 23, 59), "a-seoul", "level_a", 100),
    ((4, 0, 30), "a-seoul", "level_a", 100),  # the night of counting is still under Level A
    ((4, 6, 0), "c-seoul", "heightened", 0),  # ... which ends at 06:00 the next morning
]


@pytest.mark.parametrize(("when", "order_id", "level", "required"), CLOCKS)
def test_station_sees_the_order_in_force_at_each_hour(replica: Replica, when: tuple[int, int, int],
                                                      order_id: str, level: str, required: int) -> None:
    load(replica, ORGS + ELECTION)
    v = station(replica, kst(*when))
    assert v.loaded and not v.hq
    assert v.in_force is not None and v.in_force.id == order_id and v.in_force.level == level
    assert v.issuer is not None and v.issuer.code == "SEOUL"
    assert v.demands is not None and v.demands.level == level
    assert (v.own.personnel_total, v.own.on_duty, v.own.required) == (100, 40, required)
    assert v.own.shortfall == max(0, required - 40) and v.own.meets == (required <= 40)
    assert v.overall == v.own  # a station's roll-up is itself
    assert v.offices_below == () and v.targets == () and v.issued is None


def test_an_order_starts_at_its_minute_and_stops_at_its_end(replica: Replica) -> None:
    load(replica, ORGS + ELECTION)
    assert station(replica, kst(3, 5, 59) + timedelta(seconds=59.999)).in_force.id == "c-seoul"  # type: ignore[union-attr]
    assert station(replica, kst(3, 6)).in_force.id == "a-seoul"  # type: ignore[union-attr]
    assert station(replica, kst(3, 19, 59) + timedelta(seconds=59)).in_force.id == "b-s1"  # type: ignore[union-attr]
    assert station(replica, kst(3, 20)).in_force.id == "a-seoul"  # type: ignore[union-attr]
    # The next change is what the panel waits for to read again.
    assert station(replica, kst(3, 5, 59)).next_change == kst(3, 6)
    assert station(replica, kst(3, 18, 30)).next_change == kst(3, 20)
    assert station(replica, kst(4, 6)).next_change is None


@pytest.mark.parametrize("when", [(3, 0, 30), (3, 18, 0), (3, 20, 0), (4, 5, 59)])
def test_orders_waiting_for_acknowledgement(replica: Replica, when: tuple[int, int, int]) -> None:
    load(replica, ORGS + ELECTION)
    now = kst(*when)
    # S1 acknowledged everything but the evening's Level B: it waits until it is over.
    waiting = [o.id for o in station(replica, now).unacknowledged]
    assert waiting == (["b-s1"] if now < kst(3, 20) else [])
    # Busan never acknowledged the campaign's alert nor Level A: both wait, the newest first,
    # until Level A ends (the campaign's alert has no end).
    busan = duty_view(replica, "BUSAN", "/NPA/BUSAN/", Role.PROVINCIAL_HQ, now)
    assert [o.id for o in busan.unacknowledged] == (["a-npa", "c-npa"] if now < kst(4, 6) else ["c-npa"])


def test_provincial_hq_rolls_up_each_station_under_its_own_order(replica: Replica) -> None:
    load(replica, ORGS + ELECTION)
    v = province(replica, kst(3, 18))
    assert v.hq and v.in_force is not None and v.in_force.id == "a-npa"
    assert (v.own.required, v.own.on_duty) == (800, 400)
    # SEOUL 400/800 (A), S1 40/50 (B), S2 100/200 (A): every office short.
    assert (v.overall.on_duty, v.overall.required, v.overall.personnel_total) == (540, 1050, 1100)
    assert (v.overall.offices, v.overall.offices_short, v.overall.shortfall) == (3, 3, 510)
    rows = {b.office.code: b for b in v.offices_below}
    assert set(rows) == {"S1", "S2"}
    s1, s2 = rows["S1"], rows["S2"]
    assert s1.level == "level_b" and s1.order is not None and s1.order.id == "b-s1" and s1.acknowledged is False
    assert s2.level == "level_a" and s2.order is not None and s2.order.id == "a-seoul" and s2.acknowledged is False
    assert (s1.staffing.on_duty, s1.staffing.required) == (40, 50)
    assert (s2.staffing.on_duty, s2.staffing.required) == (100, 200)
    assert [o.code for o in v.targets] == ["S1", "S2"]


def test_latest_issued_order_skips_cancelled_ones(replica: Replica) -> None:
    load(replica, ORGS + ELECTION)
    v = province(replica, kst(3, 6))
    assert v.issued is not None and v.issued.order.id == "b-s1"  # x-s2 came later but was cancelled
    assert not v.issued.in_force and (v.issued.acknowledged, v.issued.targets) == (0, 1)


@pytest.mark.parametrize(("when", "seoul_order", "busan_order"), [
    ((3, 5, 59), "c-npa", "c-npa"), ((3, 6, 0), "a-npa", "a-npa"), ((4, 6, 0), "c-npa", "c-npa"),
])
def test_national_hq_sees_each_province_with_its_subtree(replica: Replica, when: tuple[int, int, int],
                                                         seoul_order: str, busan_order: str) -> None:
    load(replica, ORGS + ELECTION)
    now = kst(*when)
    v = national(replica, now)
    assert v.in_force is None  # nobody orders the national HQ
    level_a = now >= kst(3, 6) and now < kst(4, 6)
    assert v.issued is not None and v.issued.order.id == "a-npa" and v.issued.in_force == level_a
    assert (v.issued.acknowledged, v.issued.targets) == (1, 2)
    # Busan has acknowledged nothing: it comes first.
    assert [b.office.code for b in v.offices_below] == ["BUSAN", "SEOUL"]
    busan, seoul = v.offices_below
    assert busan.order is not None and busan.order.id == busan_order and busan.acknowledgement is None
    assert seoul.order is not None and seoul.order.id == seoul_order
    assert seoul.acknowledgement is not None and seoul.acknowledgement.by == "seoul-cmd"
    assert seoul.acknowledgement.at == iso(kst(2, 10, 20) if level_a else datetime(2025, 5, 14, 13, tzinfo=OPERATION_TZ))
    if level_a:
        # SEOUL 400/800, S1 40/100, S2 100/200; BUSAN 250/500 and B1 300/300 under no order.
        assert (seoul.staffing.on_duty, seoul.staffing.required, seoul.staffing.personnel_total) == (540, 1100, 1100)
        assert (busan.staffing.on_duty, busan.staffing.required, busan.staffing.personnel_total) == (550, 500, 800)
        assert busan.staffing.meets and busan.staffing.offices_short == 1  # the total meets, Busan HQ itself does not
        assert (v.overall.on_duty, v.overall.required, v.overall.offices) == (1630, 1600, 6)
    else:
        assert seoul.staffing.required == busan.staffing.required == v.overall.required == 0
    assert (v.overall.personnel_total, v.own.required) == (3100, 0)
    assert [o.code for o in v.targets] == ["BUSAN", "SEOUL", "B1", "S1", "S2"]


def test_an_order_announced_for_later_is_what_an_office_below_acknowledges(replica: Replica) -> None:
    later = order("later", "level_c", "NPA", ["SEOUL", "BUSAN"], written(kst(10, 6), "KST"), None,
                  written(kst(3, 9), "KST"), {"BUSAN": kst(3, 9, 30)})
    load(replica, [*ORGS, later])
    v = national(replica, kst(3, 10))
    rows = {b.office.code: b for b in v.offices_below}
    assert rows["BUSAN"].level is None and rows["BUSAN"].order is not None and rows["BUSAN"].acknowledged
    assert rows["SEOUL"].order is not None and rows["SEOUL"].acknowledged is False
    assert v.issued is not None and not v.issued.in_force


def test_nothing_is_known_before_the_first_sync(replica: Replica) -> None:
    """An empty replica is not normal duty: the view says it has not loaded."""
    v = station(replica, kst(3, 10))
    assert not v.loaded and v.in_force is None and v.unacknowledged == ()
    load(replica, ORGS)
    v = station(replica, kst(3, 10))
    assert v.loaded and v.in_force is None  # now it is true: no order in force


def test_an_order_from_a_newer_version_counts(replica: Replica) -> None:
    newer = order("n", "level_b", "SEOUL", ["S1"], written(kst(3, 6), "KST"), None, written(kst(2, 6), "KST"))
    newer.data["attachment"] = "scan.pdf"
    broken = order("bad", "level_z", "SEOUL", ["S1"], written(kst(3, 7), "KST"), None, written(kst(2, 7), "KST"))
    load(replica, [*ORGS, newer, broken])
    v = station(replica, kst(3, 10))
    assert v.in_force is not None and v.in_force.id == "n"


# -- hypothesis: the level in force is a brute-force count, whatever the machine's zone ----------

@contextmanager
def machine_zone(name: str) -> Iterator[None]:
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


BASE = kst(3, 0)
minutes = st.integers(min_value=0, max_value=12 * 60)
order_spec = st.tuples(
    st.sampled_from(["level_a", "level_b", "level_c", "heightened", "readiness"]),
    st.sets(st.sampled_from(["S1", "S2"]), min_size=1),
    minutes,  # from, minutes after 00:00 KST on 3 June
    st.one_of(st.none(), st.integers(min_value=1, max_value=24 * 60)),  # lasts
    st.integers(min_value=0, max_value=600),  # issued, minutes after BASE - 10 h
    st.sampled_from(["Z", "KST", "EST"]),
    st.booleans(),  # cancelled
)


def brute_force(specs: list[Any], code: str, now: datetime) -> str | None:
    """By epoch seconds: the covering, not cancelled order with from <= now < until; of several,
    the latest from, then the latest issued, then the greatest id."""
    t = now.timestamp()
    best: tuple[float, float, str] | None = None
    for n, (_level, targets, start, lasts, issued, _zone, cancelled) in enumerate(specs):
        s = (BASE + timedelta(minutes=start)).timestamp()
        end = None if lasts is None else s + lasts * 60
        if code in targets and not cancelled and s <= t and (end is None or t < end):
            key = (s, (BASE - timedelta(hours=10) + timedelta(minutes=issued)).timestamp(), f"o{n:02d}")
            best = key if best is None or key > best else best
    return best[2] if best else None


@pytest.fixture(scope="module")
def shared_replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replica]:
    r = Replica(tmp_path_factory.mktemp("duty") / "replica.sqlite3")
    yield r
    r.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(order_spec, max_size=6), at=st.integers(min_value=-60, max_value=30 * 60 * 60),
       zone=st.sampled_from(["UTC", "Asia/Seoul", "America/New_York", "Pacific/Chatham"]))
def test_level_in_force_is_the_brute_force_answer_in_every_machine_zone(
        shared_replica: Replica, specs: list[Any], at: int, zone: str) -> None:
    rows = list(ORGS)
    for n, (level, targets, start, lasts, issued, written_in, cancelled) in enumerate(specs):
        begin = BASE + timedelta(minutes=start)
        until = written(begin + timedelta(minutes=lasts), written_in) if lasts is not None else None
        rows.append(order(f"o{n:02d}", level, "SEOUL", sorted(targets), written(begin, written_in), until,
                          written(BASE - timedelta(hours=10) + timedelta(minutes=issued), written_in),
                          cancelled=cancelled))
    load(shared_replica, rows)
    now = BASE + timedelta(seconds=at)
    with machine_zone(zone):
        here = province(shared_replica, now)
        mine = station(shared_replica, now)
    with machine_zone("Asia/Seoul"):
        seoul = province(shared_replica, now)
    expected = {code: brute_force(specs, code, now) for code in ("S1", "S2")}
    assert (mine.in_force.id if mine.in_force else None) == expected["S1"]
    got = {b.office.code: b.order.id if b.level is not None and b.order else None for b in here.offices_below}
    assert got == expected
    for b in here.offices_below:
        level = next((s[0] for n, s in enumerate(specs) if f"o{n:02d}" == expected[b.office.code]), None)
        assert b.level == level
        total = {"S1": 100, "S2": 200}[b.office.code]
        share = {"level_a": 1.0, "level_b": 0.5, "level_c": 0.3}.get(str(level), 0.0)
        assert b.staffing.required == round(share * total)
    # Nothing the view computes follows the machine's zone.
    assert here == seoul
