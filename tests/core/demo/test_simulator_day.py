"""A whole simulated election day, pushed into the domain's own mutation functions instead of a
server: every mutation the simulator makes must be one the rules accept."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from console.demo.dry_run import DryRunSimulator
from console.demo.scenario import DEFAULT_STATION, ELECTION_DAY, build_scenario, kst
from console.demo.simulator import END_OF_SCENARIO
from console.domain.clock import iso
from console.domain.records import RecordKind

# Pushes into a dict of rows through `apply_mutation` (what the server does, minus HTTP).
DomainBackedSimulator = DryRunSimulator


@pytest.fixture(scope="module")
def day() -> DomainBackedSimulator:
    sim = DomainBackedSimulator(build_scenario(seed=11), seed=11)
    sim.plan(kst(ELECTION_DAY, 5, 30))
    sim.step(END_OF_SCENARIO)
    return sim


def test_every_mutation_of_the_day_obeys_the_domain_rules(day: DomainBackedSimulator) -> None:
    assert day.refused == []
    for kind in ("duty.issue", "duty.acknowledge", "org.personnel", "site.deployment", "route.advance",
                 "incident.create", "incident.transition", "incident.assign", "unit.status"):
        assert day.applied[kind] > 0, kind


def test_the_day_follows_the_election_phases(day: DomainBackedSimulator) -> None:
    rows = {k: data for k, (_v, data) in day.rows.items()}
    K = RecordKind
    orders = [d for (kind, _i), d in rows.items() if kind == K.DUTY_ORDER and d["level"] == "level_a"]
    assert len(orders) == 1 + 18  # national HQ to the provinces, each province to its stations
    national = next(o for o in orders if o["issuer_code"] == "NPA")
    assert set(national["acks"]) == set(national["targets"])
    focus_order = next(o for o in orders if DEFAULT_STATION in o["targets"])
    assert DEFAULT_STATION not in focus_order["acks"]  # left for the demo user
    focus_routes = [d for (kind, _i), d in rows.items() if kind == K.ROUTE and d["station_code"] == DEFAULT_STATION]
    assert focus_routes and all(r["state"] == "arrived" for r in focus_routes)
    assert all(r["departed_at"] >= iso(kst(ELECTION_DAY, 20)) for r in focus_routes)
    focus_polling = [d for (kind, _i), d in rows.items()
                     if kind == K.POLLING_STATION and d["station_code"] == DEFAULT_STATION
                     and d["kind"] == "election_day"]
    assert focus_polling and not any(p["open"] for p in focus_polling)  # opened at 06:00, closed at 20:00
    focus_incidents = [d for (kind, _i), d in rows.items()
                       if kind == K.INCIDENT and d["station_code"] == DEFAULT_STATION
                       and d["created_at"] >= iso(kst(ELECTION_DAY, 5, 30))]
    assert len(focus_incidents) > 20
    assert all(i["status"] == "new" for i in focus_incidents)  # nobody simulated touches them
    others = [d for (kind, _i), d in rows.items() if kind == K.INCIDENT and d["station_code"] != DEFAULT_STATION
              and d["created_at"] >= iso(kst(ELECTION_DAY, 5, 30))]
    assert Counter(i["status"] for i in others)["resolved"] > len(others) / 2
    cyber = [i for i in others if i["category"] in ("deepfake", "cyber_attack")]
    assert cyber and all(i["routed_to"] for i in cyber)  # routed to the provincial cyber unit
    late_reports = [i for (kind, _i), i in rows.items()
                    if kind == K.INCIDENT and "overdue" in i["title_en"] and "회송 지연" in i["title"]]
    assert late_reports  # a late ballot box is called in as an incident


def test_same_seed_same_day() -> None:
    runs = []
    for _ in range(2):
        sim = DomainBackedSimulator(build_scenario(seed=3), seed=3)
        start = kst(ELECTION_DAY, 9)
        sim.plan(start)
        sim.step(start + timedelta(hours=2))
        runs.append(sorted((k[0].value, k[1], v) for k, (v, _d) in sim.rows.items() if v > 1))
    assert runs[0] == runs[1]


def test_a_late_start_catches_up_in_order() -> None:
    """Started at 20:40, the missed openings, closings and departures are played first, each
    site in its own order, so no transition is refused and the evening still ends complete."""
    sim = DomainBackedSimulator(build_scenario(seed=11), seed=11)
    sim.plan(kst(ELECTION_DAY, 20, 40))
    sim.step(END_OF_SCENARIO)
    assert sim.refused == []
    K = RecordKind
    routes = [d for (kind, _i), (_v, d) in sim.rows.items() if kind == K.ROUTE and d["station_code"] == DEFAULT_STATION]
    assert routes and all(r["state"] == "arrived" for r in routes)
    polling = [d for (kind, _i), (v, d) in sim.rows.items()
               if kind == K.POLLING_STATION and d["station_code"] == DEFAULT_STATION and d["kind"] == "election_day"]
    assert not any(p["open"] for p in polling)
    assert sim.applied["site.deployment"] >= 2 * len(polling)  # opened, then closed


def test_the_simulator_writes_events_not_sentences(day: DomainBackedSimulator) -> None:
    """What the simulated staff do goes into timelines as keyed events (worded by each console in
    its language); titles are Korean as the stations write them, with the English alongside."""
    incidents = [d for (kind, _i), (_v, d) in day.rows.items() if kind == RecordKind.INCIDENT]
    by_sim = [e for d in incidents for e in d["timeline"] if str(e["by"]).startswith("sim-")]
    assert by_sim and all(isinstance(e["params"], dict) for e in by_sim)
    # Nothing the simulator writes is free text: notes and reasons are standard remarks.
    assert not [e for e in by_sim if e["kind"] == "note" and not e["params"].get("remark")]
    assert not [e for e in by_sim if e["params"].get("reason")]
    remarks = {e["params"].get("remark") for e in by_sim} - {None}
    assert {"advised", "resolved_on_site"} <= remarks
    created = [d for d in incidents if str(d["created_by"]).startswith("sim-")]
    assert created
    for d in created:
        assert any("\uac00" <= ch <= "\ud7a3" for ch in d["title"]), d["title"]
        assert d["title_en"] and d["title_en"].isascii(), d["title_en"]
        assert " / " not in d["title"]
        assert d["timeline"][0]["params"]["title_en"] == d["title_en"]


def test_duty_orders_give_their_reason_in_korean_with_the_english_alongside(day: DomainBackedSimulator) -> None:
    orders = [d for (kind, _i), (_v, d) in day.rows.items()
              if kind == RecordKind.DUTY_ORDER and d["level"] == "level_a"]
    assert len(orders) == 1 + 18
    for o in orders:
        assert any("\uac00" <= ch <= "\ud7a3" for ch in o["reason"]) and " / " not in o["reason"], o["reason"]
        assert o["reason_en"].isascii() and o["reason_en"].startswith("21st presidential election: "), o
    national = next(o for o in orders if o["issuer_code"] == "NPA")
    assert national["reason"] == "제21대 대통령선거 선거일 갑호비상 발령"
    assert national["reason_en"] == "21st presidential election: Level A on election day"


def _state(sim: DomainBackedSimulator) -> list[tuple[str, str, int, str]]:
    return sorted((k[0].value, k[1], v, str(d)) for k, (v, d) in sim.rows.items())


@pytest.mark.once  # plays the day twice per hour (long); its times are zone-aware throughout
@pytest.mark.parametrize("hour", [9, 14, 21])
def test_a_late_start_reaches_the_state_of_a_day_played_from_half_past_five(hour: int) -> None:
    """Played from 05:30 at the live pace (a step every 30 scenario seconds), or started late at
    `hour` and caught up at once: the same rows, row for row, at `hour` (orders issued at their
    own times, the morning's incidents in the history, sites and routes as they would be)."""
    at = kst(ELECTION_DAY, hour)
    live = DomainBackedSimulator(build_scenario(seed=5), seed=5)
    live.plan(kst(ELECTION_DAY, 5, 30), handover=at)  # the user takes the room over at `hour` in both
    t = kst(ELECTION_DAY, 5, 30)
    while t < at:
        t = min(at, t + timedelta(seconds=30))
        live.step(t)
    late = DomainBackedSimulator(build_scenario(seed=5), seed=5)
    late.plan(at)
    assert late.catching_up
    late.step(at)
    assert not late.catching_up
    assert live.refused == [] and late.refused == []
    assert _state(live) == _state(late)
    national = next(d for (kind, _i), (_v, d) in late.rows.items()
                    if kind == RecordKind.DUTY_ORDER and d["id"] == "DO-ELECTION-DAY-5")
    assert national["issued_at"] == iso(kst(ELECTION_DAY, 5, 40))  # not the start time
    morning = [d for d in late.data(RecordKind.INCIDENT)
               if iso(kst(ELECTION_DAY, 5, 30)) <= d["created_at"] < iso(kst(ELECTION_DAY, 8))]
    assert len(morning) > 100  # about 2,000 a day nationally
    # The demo station's shift before the user handled its calls; the user's are left to them.
    focus = [d for d in late.data(RecordKind.INCIDENT) if d["station_code"] == DEFAULT_STATION
             and d["created_at"] >= iso(kst(ELECTION_DAY, 5, 30))]
    before = [d for d in focus if d["created_at"] < iso(at - timedelta(hours=1))]
    assert before and sum(d["status"] != "new" for d in before) > len(before) * 0.75
    assert all(d["status"] == "new" for d in focus if d["created_at"] >= iso(at))


def test_every_site_of_the_country_opens_and_units_move(day: DomainBackedSimulator) -> None:
    """Every polling station opened and closed (not a sample), every route arrived, and units
    changed status during the day (site visits, dispatches)."""
    polling = [d for d in day.data(RecordKind.POLLING_STATION) if d["kind"] == "election_day"]
    assert len(polling) == 14_295
    assert day.applied["site.deployment"] >= 2 * 14_295
    assert all(d["state"] == "arrived" for d in day.data(RecordKind.ROUTE))
    moved = {(m.record_id, str(m.payload["status"])) for m in day.pushed
             if m.kind == "unit.status" and m.payload["status"] != "available"}
    assert {"dispatched", "on_scene", "returning"} <= {status for _u, status in moved}
    focus_units = {u for u, status in moved if u.startswith(f"U-{DEFAULT_STATION}-")}
    assert len(focus_units) >= 5  # the demo station's own units visit its polling stations
