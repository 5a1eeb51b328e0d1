"""An early-voting day: its scenario (the same sites as election day, the early-voting stations
staffed, the orders issued before it) and the day the simulator plays on it, pushed into the
domain's own mutation functions."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from console.demo.dry_run import DryRunSimulator
from console.demo.incident_catalogue import EARLY_VOTING_CATALOGUE
from console.demo.scenario import (
    DEFAULT_STATION,
    EARLY_VOTING_DAYS,
    ELECTION_DAY,
    ROLL_CALL_HOUR,
    DemoDay,
    Scenario,
    build_scenario,
    kst,
)
from console.domain.clock import iso
from console.domain.duty import required_on_duty
from console.domain.records import RecordKind

K = RecordKind
EARLY_TITLES = {(t.ko, t.en) for tpl in EARLY_VOTING_CATALOGUE for t in tpl.title_texts}


@pytest.fixture(scope="module")
def days() -> dict[DemoDay, Scenario]:
    return {day: build_scenario(seed=7, day=day) for day in DemoDay}


def sites(sc: Scenario) -> list[tuple[Any, ...]]:
    return [(p.id, p.kind, p.name, p.station_code, p.lat, p.lon) for p in sc.polling_stations]


def test_the_days_are_the_election_calendar() -> None:
    assert [d.calendar_date for d in DemoDay] == [*EARLY_VOTING_DAYS, ELECTION_DAY]
    assert [d.early_voting for d in DemoDay] == [True, True, False]
    assert DemoDay.at(kst(EARLY_VOTING_DAYS[1], 5, 30)) == DemoDay.EARLY2
    # Until 03:00 the night belongs to the day before (counting runs overnight).
    assert DemoDay.at(kst(ELECTION_DAY + timedelta(days=1), 2, 59)) == DemoDay.ELECTION
    assert DemoDay.at(kst(ELECTION_DAY + timedelta(days=1), 3)) is None
    assert DemoDay.at(kst(ELECTION_DAY - timedelta(days=1), 12)) is None


def test_every_day_has_the_same_sites_in_the_same_places(days: dict[DemoDay, Scenario]) -> None:
    election = days[DemoDay.ELECTION]
    for day in (DemoDay.EARLY1, DemoDay.EARLY2):
        sc = days[day]
        assert sc.day == day
        assert sites(sc) == sites(election)
        assert sc.routes == election.routes
        assert sc.counting_stations == election.counting_stations
        # The same units in the same places; each reports its position at its own day's roll call.
        assert [replace(u, position_at=None) for u in sc.units] == [replace(u, position_at=None) for u in election.units]
        assert {u.position_at for u in sc.units} == {iso(kst(sc.day.calendar_date, ROLL_CALL_HOUR))}
        assert sc.orgs == election.orgs
        assert sc.counts() == {**election.counts(), "incidents": len(sc.incidents),
                               "duty_orders": len(sc.duty_orders)}


def test_early_voting_stations_are_staffed_on_their_days_only(days: dict[DemoDay, Scenario]) -> None:
    election_day = {p.id: p.officers_assigned for p in days[DemoDay.ELECTION].election_day_polling()}
    assert not any(p.officers_assigned for p in days[DemoDay.ELECTION].early_voting_stations())
    for day in (DemoDay.EARLY1, DemoDay.EARLY2):
        sc = days[day]
        staffed = Counter(p.officers_assigned for p in sc.early_voting_stations())
        assert set(staffed) <= {1, 2} and staffed[2] > 0.9 * len(sc.early_voting_stations())
        assert staffed[1] > 0  # a few are one short, for the simulator to fill
        assert {p.id: p.officers_assigned for p in sc.election_day_polling()} == election_day
        assert not any(p.open for p in sc.polling_stations)  # they open at 06:00


def test_each_day_finds_the_orders_issued_before_it(days: dict[DemoDay, Scenario]) -> None:
    """The early-voting order is issued live on the first early-voting day; on the second it is
    in force and acknowledged; on election day it is over."""
    ids = {day: [o.id for o in sc.duty_orders] for day, sc in days.items()}
    assert ids == {DemoDay.EARLY1: ["DO-CAMPAIGN"], DemoDay.EARLY2: ["DO-CAMPAIGN", "DO-EARLY-VOTING"],
                   DemoDay.ELECTION: ["DO-CAMPAIGN", "DO-EARLY-VOTING"]}
    for sc in days.values():
        for order in sc.duty_orders:
            assert set(order.acks) == set(order.targets)
    early = days[DemoDay.EARLY2].duty_orders[1]
    assert early.level == "level_b" and early.in_force(kst(EARLY_VOTING_DAYS[1], 12))


def test_the_night_before_an_early_voting_day_is_at_its_stations(days: dict[DemoDay, Scenario]) -> None:
    for day in (DemoDay.EARLY1, DemoDay.EARLY2):
        sc = days[day]
        ev = {(p.station_code, p.district, p.town) for p in sc.early_voting_stations()}
        names = {p.name for p in sc.early_voting_stations()}
        assert len(sc.incidents) > 10
        for inc in sc.incidents:
            assert (inc.title, inc.title_en) in EARLY_TITLES
            assert (inc.station_code, inc.district, inc.town) in ev
            assert inc.place in names or inc.place == ""
            assert iso(kst(day.calendar_date, 0)) <= inc.created_at < iso(kst(day.calendar_date, 5, 30))
        assert any(i.place.endswith("사전투표소") for i in sc.incidents)
    early_ids = {i.id for d in (DemoDay.EARLY1, DemoDay.EARLY2) for i in days[d].incidents}
    assert not early_ids & {i.id for i in days[DemoDay.ELECTION].incidents}


def test_same_seed_and_day_same_rows(days: dict[DemoDay, Scenario]) -> None:
    def rows(sc: Scenario) -> list[tuple[Any, ...]]:
        return [(r.kind, r.id, r.data) for r in sc.rows()]

    again = build_scenario(seed=7, day=DemoDay.EARLY1)
    assert rows(again) == rows(days[DemoDay.EARLY1])
    assert rows(days[DemoDay.EARLY1]) != rows(days[DemoDay.EARLY2])
    assert rows(days[DemoDay.EARLY1]) != rows(build_scenario(seed=8, day=DemoDay.EARLY1))


# -- the simulated day ----------------------------------------------------------------------------


def play(day: DemoDay, seed: int, start: tuple[int, int], until: Any) -> DryRunSimulator:
    sim = DryRunSimulator(build_scenario(seed=seed, day=day), seed=seed)
    sim.plan(kst(day.calendar_date, *start))
    sim.step(until)
    return sim


@pytest.fixture(scope="module")
def early1() -> tuple[DryRunSimulator, dict[tuple[RecordKind, str], tuple[int, dict[str, Any]]]]:
    """The first early-voting day played from 05:30 to its end, with the rows as they were at noon."""
    sim = play(DemoDay.EARLY1, 11, (5, 30), kst(EARLY_VOTING_DAYS[0], 12))
    noon = dict(sim.rows)
    sim.step(DemoDay.EARLY1.ends_at)
    return sim, noon


def test_every_mutation_of_an_early_voting_day_obeys_the_rules(early1: Any) -> None:
    sim, _noon = early1
    assert sim.refused == []
    for kind in ("duty.issue", "duty.acknowledge", "org.personnel", "site.deployment", "incident.create",
                 "incident.transition", "incident.assign", "unit.status"):
        assert sim.applied[kind] > 0, kind
    assert sim.applied["route.advance"] == 0  # no ballot boxes travel on an early-voting day


def test_early_voting_stations_open_for_the_day_and_polling_stations_stay_shut(early1: Any) -> None:
    sim, noon = early1
    at_noon = {i: (v, d) for (k, i), (v, d) in noon.items() if k == K.POLLING_STATION}
    early = [d for v, d in at_noon.values() if d["kind"] == "early_voting"]
    polling = [(v, d) for v, d in at_noon.values() if d["kind"] == "election_day"]
    assert len(early) == 3_500 and all(d["open"] for d in early)
    assert sum(d["officers_assigned"] < 2 for d in early) < 0.04 * len(early)  # the short filled up
    assert polling and all(v == 1 and not d["open"] for v, d in polling)  # never touched
    evening = sim.data(K.POLLING_STATION)
    assert not any(d["open"] for d in evening)  # closed at 18:00
    assert all(v == 1 for (k, _i), (v, _d) in sim.rows.items() if k in (K.ROUTE, K.COUNTING_STATION))


def test_the_raised_level_for_early_voting_is_issued_down_the_chain(early1: Any) -> None:
    sim, _noon = early1
    sc = sim.sc
    orders = [d for d in sim.data(K.DUTY_ORDER) if d["level"] == "level_b"]
    assert len(orders) == 1 + 18  # national HQ to the provinces, each province to its stations
    for o in orders:
        assert o["effective_from"] == iso(kst(EARLY_VOTING_DAYS[0], 6))
        assert o["reason_en"].startswith("21st presidential election: Level B for the early voting days")
        assert "사전투표" in o["reason"]
    national = next(o for o in orders if o["issuer_code"] == "NPA")
    assert set(national["acks"]) == set(national["targets"]) == {p.code for p in sc.provinces}
    focus_order = next(o for o in orders if DEFAULT_STATION in o["targets"])
    assert set(focus_order["acks"]) == set(focus_order["targets"]) - {DEFAULT_STATION}  # the user's
    stations = {d["code"]: d for d in sim.data(K.ORG) if d["level"] == "station"}
    meeting = [s for s in stations.values()
               if s["personnel_on_duty"] >= required_on_duty("level_b", s["personnel_total"])]
    assert len(meeting) > 0.8 * len(stations)


def test_the_days_incidents_happen_at_early_voting_stations(early1: Any) -> None:
    sim, _noon = early1
    sc = sim.sc
    ev = {(p.station_code, p.district, p.town) for p in sc.early_voting_stations()}
    names = {p.name for p in sc.early_voting_stations()}
    new = [d for d in sim.data(K.INCIDENT) if d["created_at"] >= iso(kst(EARLY_VOTING_DAYS[0], 5, 30))]
    assert len(new) > 50
    for d in new:
        assert (d["title"], d["title_en"]) in EARLY_TITLES
        assert (d["station_code"], d["district"], d["town"]) in ev
        assert d["place"] in names or d["place"] == ""
        assert d["category"] != "ballot_transport"
    assert any(d["place"] for d in new)
    focus = [d for d in new if d["station_code"] == DEFAULT_STATION]
    assert len(focus) > 10 and all(d["status"] == "new" for d in focus)  # left to the user
    others = [d for d in new if d["station_code"] != DEFAULT_STATION]
    assert Counter(d["status"] for d in others)["resolved"] > len(others) / 2


def test_on_the_second_early_voting_day_the_offices_staff_up_to_the_order_in_force() -> None:
    sim = play(DemoDay.EARLY2, 11, (5, 30), kst(EARLY_VOTING_DAYS[1], 12))
    assert sim.refused == []
    assert sim.applied["duty.issue"] == 0 and sim.applied["duty.acknowledge"] == 0
    stations = [d for d in sim.data(K.ORG) if d["level"] == "station"]
    meeting = [s for s in stations if s["personnel_on_duty"] >= required_on_duty("level_b", s["personnel_total"])]
    assert len(meeting) > 0.8 * len(stations)
    early = [d for d in sim.data(K.POLLING_STATION) if d["kind"] == "early_voting"]
    assert all(d["open"] for d in early)


def test_same_seed_same_early_voting_day() -> None:
    runs = []
    for _ in range(2):
        sim = play(DemoDay.EARLY1, 3, (9, 0), kst(EARLY_VOTING_DAYS[0], 11))
        runs.append(sorted((k[0].value, k[1], v, str(d)) for k, (v, d) in sim.rows.items() if v > 1))
    assert runs[0] == runs[1]
    other = play(DemoDay.EARLY1, 4, (9, 0), kst(EARLY_VOTING_DAYS[0], 11))
    assert runs[0] != sorted((k[0].value, k[1], v, str(d)) for k, (v, d) in other.rows.items() if v > 1)


def test_a_late_start_on_an_early_voting_day_catches_up_in_order() -> None:
    """Started at 17:50, the missed openings are played first, and each station closes after it
    opened; the early-voting order is issued at once, effective from 06:00."""
    sim = play(DemoDay.EARLY1, 11, (17, 50), DemoDay.EARLY1.ends_at)
    assert sim.refused == []
    assert not any(d["open"] for d in sim.data(K.POLLING_STATION))
    assert sim.applied["site.deployment"] >= 2 * 3_500
    assert sim.applied["duty.issue"] == 1 + 18
