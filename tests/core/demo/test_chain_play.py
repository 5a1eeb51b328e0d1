"""The demo's chain of command: every HQ sets its schedule and issues its morning directive, the
simulated offices acknowledge and report on schedule (a few late, a very few missing), and every
one of those mutations passes the domain's rules; the demo's own station is left to its user."""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from console.demo.chain_play import plan_chain
from console.demo.scenario import DemoDay, Scenario, build_scenario, default_clock_start
from console.domain.clock import OPERATION_TZ, iso
from console.domain.mutations import MUTATIONS, MutationContext, apply_mutation
from console.domain.records import RecordKind, from_stored
from console.domain.reporting import SlotState, report_for_slot, slot_state

pytestmark = pytest.mark.once


class FakeSimulator:
    def __init__(self, sc: Scenario, handover: datetime) -> None:
        self.sc, self.rng, self.handover = sc, random.Random(1), handover
        self.events: list[tuple[datetime, int, Callable[[], None]]] = []
        self.seq = itertools.count()
        self.made: list[tuple[str, str, RecordKind, str, dict[str, Any], datetime]] = []

    def at(self, when: datetime, action: Callable[[], None]) -> None:
        heapq.heappush(self.events, (when, next(self.seq), action))

    def _submit(self, username: str, kind: str, record_kind: RecordKind, record_id: str,
                payload: dict[str, Any], at: datetime) -> None:
        self.made.append((username, kind, record_kind, record_id, payload, at))

    def _simulated(self, station: str, when: datetime) -> bool:
        return station != self.sc.focus_station or when < self.handover

    def run(self) -> None:
        while self.events:
            heapq.heappop(self.events)[2]()


@pytest.fixture(scope="module")
def played() -> tuple[Scenario, FakeSimulator, dict[tuple[RecordKind, str], dict[str, Any]]]:
    sc = build_scenario(seed=7)
    handover = default_clock_start(DemoDay.ELECTION) + timedelta(hours=3)  # 08:30
    sim = FakeSimulator(sc, handover)
    plan_chain(sim, default_clock_start(DemoDay.ELECTION))
    sim.run()
    org_of = {u.username: u.org_code for u in sc.users}
    store: dict[tuple[RecordKind, str], dict[str, Any]] = {}
    for user, kind, rk, rid, payload, at in sim.made:
        ctx = MutationContext(actor=user, actor_org=org_of[user], at=iso(at),
                              lookup=lambda k, i: store.get((RecordKind(k), i)))
        current = None if MUTATIONS[kind].creates else store[(rk, rid)]
        store[(rk, rid)] = apply_mutation(kind, rk, rid, current, payload, ctx)  # raises if refused
    return sc, sim, store


def test_hq_schedules_and_directs_and_the_offices_answer(played) -> None:
    sc, sim, store = played
    kinds = Counter(kind for _u, kind, *_ in sim.made)
    assert kinds["schedule.set"] == 1 + len(sc.provinces)
    assert kinds["directive.issue"] == 1 + len(sc.provinces)
    assert kinds["directive.acknowledge"] == len(sc.provinces) + len(sc.stations) - 1  # not the demo's own
    reports = [from_stored(RecordKind.SITUATION_REPORT, d) for (k, _i), d in store.items()
               if k == RecordKind.SITUATION_REPORT]
    expected = len(sc.stations) * 15 + len(sc.provinces) * 4
    assert 0.97 * expected < len(reports) < expected
    assert all(set(r.content) >= {"incidents_open", "incidents_opened"} for r in reports
               if r.office_code in {s.code for s in sc.stations})
    # the demo's station reported until its user took over (06:00, 07:00, 08:00), then not
    focus = sorted(r.slot for r in reports if r.office_code == sc.focus_station)
    assert len(focus) <= 3 and all(r < iso(default_clock_start(DemoDay.ELECTION) + timedelta(hours=3))
                                   for r in focus)
    focus_directive = next(d for (k, _i), d in store.items()
                           if k == RecordKind.DIRECTIVE and sc.focus_station in d["targets"])
    assert sc.focus_station not in focus_directive["acks"]


def test_most_reports_are_on_time_and_a_few_are_late_or_missing(played) -> None:
    sc, _sim, store = played
    schedules = {i: from_stored(RecordKind.REPORT_SCHEDULE, d) for (k, i), d in store.items()
                 if k == RecordKind.REPORT_SCHEDULE}
    reports = [from_stored(RecordKind.SITUATION_REPORT, d) for (k, _i), d in store.items()
               if k == RecordKind.SITUATION_REPORT]
    province = sc.provinces[0].code
    schedule = next(s for s in schedules.values() if s.issuer_code == province)
    ten = datetime(2025, 6, 3, 10, tzinfo=OPERATION_TZ)
    assert ten in schedule.slots(ten - timedelta(hours=1), ten)
    states = Counter()
    for code in schedule.targets:
        _r, first = report_for_slot(reports, code, schedule.id, ten)
        states[slot_state(ten, schedule, first, ten + timedelta(hours=1))] += 1
    assert states[SlotState.SUBMITTED] >= 0.8 * len(schedule.targets)
    assert set(states) <= {SlotState.SUBMITTED, SlotState.LATE, SlotState.OVERDUE}
