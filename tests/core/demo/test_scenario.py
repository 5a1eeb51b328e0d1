"""The generated election: deterministic per seed, with the real figures."""

from __future__ import annotations

from collections import Counter

import pytest

from console.demo.scenario import (
    COUNTING_STATIONS,
    DEFAULT_STATION,
    EARLY_VOTING_STATIONS,
    ELECTION_DAY_POLLING_STATIONS,
    Scenario,
    build_scenario,
)
from console.domain.org import OrgLevel, in_scope
from console.domain.records import RecordKind, from_data, owner_code, to_data


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return build_scenario(seed=7)


def test_figures_match_the_2025_election(scenario: Scenario) -> None:
    counts = scenario.counts()
    assert counts["provinces"] == 18
    assert counts["stations"] == 259
    assert counts["polling_stations"] == ELECTION_DAY_POLLING_STATIONS == 14_295
    assert counts["early_voting_stations"] == EARLY_VOTING_STATIONS == 3_500
    assert counts["counting_stations"] == COUNTING_STATIONS == 254
    assert counts["routes"] == counts["polling_stations"]


def test_gyeonggi_is_split_into_north_and_south(scenario: Scenario) -> None:
    names = {p.code: p.name_ko for p in scenario.provinces}
    assert names["GYEONGGI_N"] == "경기북부경찰청"
    assert names["GYEONGGI_S"] == "경기남부경찰청"
    north = {s.name_ko for s in scenario.stations if s.parent_code == "GYEONGGI_N"}
    assert "의정부경찰서" in north and "파주경찰서" in north
    assert "수원장안경찰서" not in north


def test_every_election_day_polling_station_has_one_route_to_a_counting_station_of_its_area(
    scenario: Scenario,
) -> None:
    polling = {p.id: p for p in scenario.election_day_polling()}
    counting = {c.id: c for c in scenario.counting_stations}
    per_polling = Counter(r.polling_station_id for r in scenario.routes)
    assert set(per_polling) == set(polling)
    assert set(per_polling.values()) == {1}
    for route in scenario.routes:
        ps = polling[route.polling_station_id]
        assert counting[route.counting_station_id].district == ps.district
        assert route.station_code == ps.station_code
        assert route.planned_minutes >= 5


def test_rows_are_valid_entities_in_their_owners_scope(scenario: Scenario) -> None:
    seen: set[tuple[RecordKind, str]] = set()
    for row in scenario.rows():
        entity = from_data(row.kind, row.data)  # raises if invalid
        assert to_data(entity) == row.data
        owner = scenario.org(owner_code(row.kind, row.data))
        assert row.org_path == owner.path
        assert (row.kind, row.id) not in seen
        seen.add((row.kind, row.id))
    for station in scenario.stations:
        assert station.level == OrgLevel.STATION
        assert in_scope(station.path, scenario.org(station.parent_code or "").path)
        assert 150 <= station.personnel_total <= 600
        assert station.personnel_on_duty < station.personnel_total


def test_every_station_has_units_and_users_for_every_role(scenario: Scenario) -> None:
    unit_stations = {u.station_code for u in scenario.units}
    assert {s.code for s in scenario.stations} <= unit_stations
    roles = {u.role for u in scenario.users}
    assert {"national_hq", "provincial_hq", "station_commander", "station_operator", "viewer"} <= roles
    assert scenario.org(DEFAULT_STATION).name_ko == "종로경찰서"


def test_same_seed_same_rows_and_different_seed_different_rows(scenario: Scenario) -> None:
    again = build_scenario(seed=7)
    other = build_scenario(seed=8)
    rows = [(r.kind, r.id, r.data) for r in scenario.rows()]
    assert rows == [(r.kind, r.id, r.data) for r in again.rows()]
    assert rows != [(r.kind, r.id, r.data) for r in other.rows()]
