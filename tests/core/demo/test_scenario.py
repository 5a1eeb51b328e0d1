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


def hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def test_the_nights_incidents_have_both_titles_and_keyed_timelines(scenario: Scenario) -> None:
    """Titled in Korean as the stations write them, with the English alongside; timelines as the
    mutations write them (kind and parameters), so every console words them in its language."""
    from console.demo.incident_catalogue import CATALOGUE
    from console.domain.incidents import timeline_params

    titles = {t.category: {(x.ko, x.en) for x in t.title_texts} for t in CATALOGUE}
    assert len(scenario.incidents) > 20
    assert any(i.routed_to for i in scenario.incidents)
    for inc in scenario.incidents:
        assert (inc.title, inc.title_en) in titles[inc.category]
        assert all(isinstance(e.params, dict) for e in inc.timeline)
        kinds = [e.kind for e in inc.timeline]
        resolved = inc.status == "resolved"
        assert kinds == ["created"] + ["routed"] * bool(inc.routed_to) + ["status"] * (1 + resolved)
        created = inc.timeline[0]
        assert created.params == {"code": int(inc.code), "category": inc.category.value,
                                  "title": inc.title, "title_en": inc.title_en}
        assert created.text == f"code {int(inc.code)} {inc.category.value}: {inc.title}"
        if inc.routed_to:
            assert inc.timeline[1].params == {"to": inc.routed_to} and inc.timeline[1].at == created.at
        statuses = [e for e in inc.timeline if e.kind == "status"]
        assert [e.params for e in statuses] == [{"to": "acknowledged"}] + [{"to": "resolved"}] * resolved
        assert [e.at for e in statuses] == [inc.acknowledged_at] + [inc.resolved_at] * resolved
        assert timeline_params(to_data(statuses[0])) == {"to": "acknowledged"}


def test_the_duty_phases_give_their_reason_in_korean_and_english(scenario: Scenario) -> None:
    assert len(scenario.duty_orders) == 2
    for order in scenario.duty_orders:
        assert hangul(order.reason) and " / " not in order.reason, order.reason
        assert order.reason_en.isascii() and order.reason_en.strip(), order.reason_en
    assert [o.reason_en for o in scenario.duty_orders] == [
        "21st presidential election: official campaign period",
        "21st presidential election: early voting days"]
