"""The live election day, or an early-voting day: plays the phased operation on the server's
accelerated clock.

The simulator is just another set of clients: every change goes through POST /api/v1/mutations
with its own users and client ids, so consoles see it arrive through sync like any other change.
Events are kept in a time-ordered queue of scenario times; `step(until)` plays those due, groups
the resulting mutations per client and pushes them. The demo's own station (`focus_station`)
gets incidents but nobody simulated handles them: that is the user's job.

The day is the scenario's (`Scenario.day`). Election day: Level A issued at 05:40, polling
stations open 06:00-20:00, ballot boxes to the counting stations after 20:00. An early-voting day:
the early-voting stations open 06:00-18:00 with the day's kinds of incidents; on the first one the
raised level for early voting is issued at 05:40 (the chain of command as on election day), on the
second it is in force already and the offices staff up to it. No ballot boxes travel on an
early-voting day (the domain has no route to a district election commission).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from console.demo.api_client import ApiClient, ApiError, PendingMutation
from console.demo.chain_play import plan_chain
from console.demo.incident_catalogue import (
    CATALOGUE,
    IncidentTemplate,
    IncidentTitle,
    catalogue_for,
    hourly_rate,
    late_box_title,
    pick_template,
)
from console.demo.scenario import (
    EARLY_VOTING_CLOSE,
    EARLY_VOTING_DAYS,
    EARLY_VOTING_INCIDENT_SHARE,
    EARLY_VOTING_OPEN,
    ELECTION_DAY,
    KST,
    NATIONAL_CODE,
    NATIONAL_INCIDENTS_PER_MINUTE,
    DemoDay,
    Scenario,
    default_clock_start,
    kst,
)
from console.domain.clock import iso, parse_time
from console.domain.duty import DutyLevel, required_on_duty
from console.domain.election import PollingStation
from console.domain.incidents import IncidentCategory, IncidentStatus, PriorityCode, Remark
from console.domain.mutations import MUTATIONS
from console.domain.records import RecordKind
from console.domain.units import UnitStatus, UnitType
from console.protocol.schema import MutationStatus

log = logging.getLogger("sitroom.demo.simulator")

K = RecordKind
TokenSource = Callable[[str], tuple[str, str]]  # username -> (client id, bearer token)

END_OF_SCENARIO = DemoDay.ELECTION.ends_at
LEVEL_A_ISSUE = kst(ELECTION_DAY, 5, 40)
LEVEL_A_FROM = kst(ELECTION_DAY, 6)
LEVEL_A_UNTIL = kst(ELECTION_DAY + timedelta(days=1), 6)
POLLS_OPEN_AT = kst(ELECTION_DAY, 6)
POLLS_CLOSE_AT = kst(ELECTION_DAY, 20)
LATE_BOX_SHARE = 0.02
UNACKNOWLEDGED_SHARE = 0.08  # incidents nobody picks up in time: the server escalates them
# The national incident rate is played in full (about 2,000 election-related 112 reports a day).
DEFAULT_RATE_SCALE = 1.0
PATROL_EVERY = timedelta(minutes=5)
PATROLS_ELSEWHERE = 40  # units moving per patrol round outside the demo's station
VISITS_ELSEWHERE = 12  # site visits started per patrol round outside the demo's station
# The demo station's own 112 calls, about 6-10 an hour by day; as many on an early-voting day
# (fewer would be truer, but the user would have little to do).
FOCUS_INCIDENTS_PER_MINUTE = 0.1
LATE_BOX_TEMPLATE = next(t for t in CATALOGUE if t.category == IncidentCategory.BALLOT_TRANSPORT)


def opening_hours(day: DemoDay) -> tuple[datetime, datetime]:
    """When the day's voting stations open and close."""
    if day.early_voting:
        return (datetime.combine(day.calendar_date, EARLY_VOTING_OPEN, KST),
                datetime.combine(day.calendar_date, EARLY_VOTING_CLOSE, KST))
    return POLLS_OPEN_AT, POLLS_CLOSE_AT


@dataclass(frozen=True)
class PhaseOrder:
    """A duty order the simulator issues live: national HQ to the provincial agencies, each of
    them, once acknowledged, to its own stations. Reasons in Korean with the English alongside."""

    order_id: str  # the national order is <id>-<seed>, a province's <id>-<seed>-<province>
    level: DutyLevel
    issue_at: datetime
    effective_from: datetime
    effective_until: datetime
    reason: str
    reason_en: str
    station_reason: str  # a province's order to its stations
    station_reason_en: str


LEVEL_A_ORDER = PhaseOrder("DO-ELECTION-DAY", DutyLevel.LEVEL_A, LEVEL_A_ISSUE, LEVEL_A_FROM, LEVEL_A_UNTIL,
                           "선거일 갑호비상 발령", "Level A on election day",
                           "선거일 갑호비상 (관할 경찰서)", "Level A on election day for our stations")
# The level and period of the scenario's early-voting phase (scenario._build_duty_orders).
EARLY_VOTING_ORDER = PhaseOrder(
    "DO-EARLY-VOTING", DutyLevel.LEVEL_B, kst(EARLY_VOTING_DAYS[0], 5, 40), kst(EARLY_VOTING_DAYS[0], 6),
    kst(EARLY_VOTING_DAYS[1] + timedelta(days=1), 0),
    "사전투표 기간 을호비상 발령", "Level B for the early voting days",
    "사전투표 기간 을호비상 (관할 경찰서)", "Level B for the early voting days for our stations")
# The order each day issues live; the second early-voting day finds its order in force.
PHASE_ORDERS: dict[DemoDay, PhaseOrder] = {DemoDay.EARLY1: EARLY_VOTING_ORDER,
                                           DemoDay.ELECTION: LEVEL_A_ORDER}


@dataclass(order=True)
class _Event:
    at: datetime
    seq: int
    action: Callable[[], None] = field(compare=False)


@dataclass
class QueuedMutation:
    mutation: PendingMutation
    username: str = ""
    retried: bool = False


@dataclass
class SimulatorStats:
    pushed: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    rejected_codes: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    incidents_created: int = 0
    lag_seconds: float = 0.0  # scenario seconds the simulator is behind the clock


class Simulator:
    def __init__(self, scenario: Scenario, base_url: str, *, seed: int = 1,
                 token_source: TokenSource | None = None, password: str | None = None,
                 focus_station: str | None = None, rate_scale: float = DEFAULT_RATE_SCALE) -> None:
        """`token_source` mints sessions for the simulator's users (the demo does this in
        process, since a password check costs a quarter of a second); without it the users log
        in with `password`. Every site of the day is played, as the real day would be: all
        polling stations (or early-voting stations), counting stations, routes and offices;
        `rate_scale` scales the national incident rate (1: about 2,000 reports a day)."""
        self.sc = scenario
        self.day = scenario.day
        self.end = self.day.ends_at  # where the simulator stops
        self._catalogue = catalogue_for(self.day.early_voting)
        self._incident_share = EARLY_VOTING_INCIDENT_SHARE if self.day.early_voting else 1.0
        self.base_url = base_url.rstrip("/")
        self.rng = random.Random(f"sitroom-sim:{seed}")
        self.token_source = token_source
        self.password = password or ""
        self.focus = focus_station or scenario.focus_station
        self.rate_scale = rate_scale
        self.stats = SimulatorStats()
        self._events: list[_Event] = []
        self._seq = itertools.count()
        self._clients: dict[str, ApiClient] = {}
        self._queue: list[QueuedMutation] = []  # in the order made
        self._versions: dict[tuple[K, str], int] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.caught_up_to: datetime | None = None  # the start a late start plays up to at once
        self.handover: datetime | None = None  # when the demo user takes their station's room over
        self._clock_base: datetime | None = None
        self._clock_mono = 0.0
        self._speed = 1.0
        self.now: datetime | None = None  # scenario time of the last step

        self._polling_by_station: dict[str, list[PollingStation]] = defaultdict(list)
        for ps in scenario.election_day_polling():
            self._polling_by_station[ps.station_code].append(ps)
        # Where the day's incidents happen: at or near the stations where people vote today.
        self._sites_by_station: dict[str, list[PollingStation]] = defaultdict(list)
        for ps in scenario.voting_stations():
            self._sites_by_station[ps.station_code].append(ps)
        self._units_by_station: dict[str, list[str]] = defaultdict(list)
        self._unit_state: dict[str, dict[str, Any]] = {}
        for u in scenario.units:
            self._units_by_station[u.station_code].append(u.id)
            self._unit_state[u.id] = {"status": u.status, "lat": u.lat, "lon": u.lon, "home": (u.lat, u.lon),
                                      "type": u.type, "station": u.station_code}
        self._station_codes = [s.code for s in scenario.stations]
        self._patrol_units = [u.id for u in scenario.units
                              if u.type == UnitType.PATROL_CAR and u.station_code != self.focus]
        self._sites = scenario.voting_stations()  # the day's: every one is played
        self._routes = [] if self.day.early_voting else list(scenario.routes)
        self._station_weights = [max(1, len(self._sites_by_station[c])) for c in self._station_codes]

    # -- clients ------------------------------------------------------------------------------
    def _province_user(self, station_code: str) -> str:
        province = self.sc.province_of(station_code) or station_code
        return f"sim-{province.lower()}"

    def _client(self, username: str) -> ApiClient:
        client = self._clients.get(username)
        if client is None:
            if self.token_source is not None:
                client_id, token = self.token_source(username)
                client = ApiClient(self.base_url, username, client_id=client_id, token=token)
            else:
                client = ApiClient(self.base_url, username, password=self.password)
                client.login()
            self._clients[username] = client
        return client

    def _submit(self, username: str, kind: str, record_kind: K, record_id: str, payload: dict[str, Any],
                at: datetime) -> None:
        key = (record_kind, record_id)
        base: int | None = None
        if not MUTATIONS[kind].creates:
            base = self._versions.get(key, 1)
            # Predict the version after this one, so a second change in the same batch is based on it.
            self._versions[key] = base + 1
        self._queue.append(QueuedMutation(PendingMutation(kind, record_kind, record_id, payload, at, base),
                                   username))

    def _flush(self) -> None:
        """Push what is queued: one batch per user, except that a change to a record another
        user has a change pending for waits until that user's batch has gone (a province
        acknowledges HQ's order only once the order exists), so every record sees its changes in
        the order they were made."""
        queue, self._queue = self._queue, []
        pending: dict[str, list[QueuedMutation]] = {}
        holder: dict[tuple[K, str], str] = {}

        def send(username: str) -> None:
            items = pending.pop(username)
            for q in items:
                holder.pop((q.mutation.record_kind, q.mutation.record_id), None)
            self._push(username, items)

        for q in queue:
            key = (q.mutation.record_kind, q.mutation.record_id)
            other = holder.get(key)
            if other is not None and other != q.username:
                send(other)
            pending.setdefault(q.username, []).append(q)
            holder[key] = q.username
        for username in list(pending):
            send(username)

    def _push(self, username: str, items: list[QueuedMutation]) -> None:
        try:
            results = self._client(username).push([q.mutation for q in items])
        except (ApiError, OSError) as exc:
            self.stats.errors.append(f"{username}: {exc}")
            log.warning("simulator push failed for %s: %s", username, exc)
            return
        for q, result in zip(items, results, strict=False):
            self.stats.pushed += 1
            self.stats.by_status[result.status.value] += 1
            key = (q.mutation.record_kind, q.mutation.record_id)
            if result.status == MutationStatus.APPLIED and result.version is not None:
                self._versions[key] = result.version
            elif result.status == MutationStatus.CONFLICT and result.server_row is not None:
                self._versions[key] = result.server_row.version
                m = q.mutation
                if m.record_kind == K.UNIT:
                    # A console moved the unit (the demo user dispatched it): it is theirs
                    # now; the simulator takes its state and leaves it alone until it is free.
                    self._adopt_unit(m.record_id, result.server_row.data)
                elif not q.retried:
                    # Someone else changed the row (the escalator): apply ours on top.
                    self._submit(username, m.kind, m.record_kind, m.record_id, m.payload, m.made_at)
                    self._queue[-1].retried = True
            elif result.status == MutationStatus.REJECTED:
                self.stats.rejected_codes[result.error_code or "?"] += 1
                log.debug("rejected %s %s: %s", q.mutation.kind, q.mutation.record_id, result.message)

    def _adopt_unit(self, unit_id: str, data: dict[str, Any] | None) -> None:
        state = self._unit_state.get(unit_id)
        if state is None or not data:
            return
        try:
            state["status"] = UnitStatus(str(data.get("status")))
        except ValueError:
            return
        if isinstance(data.get("lat"), float | int) and isinstance(data.get("lon"), float | int):
            state["lat"], state["lon"] = data["lat"], data["lon"]

    # -- scheduling -----------------------------------------------------------------------------
    def at(self, when: datetime, action: Callable[[], None]) -> None:
        heapq.heappush(self._events, _Event(when, next(self._seq), action))

    def plan(self, start: datetime, handover: datetime | None = None) -> None:
        """Schedule the day. The day is always planned from its beginning (05:30, or `start` if
        earlier), whatever `start` is: a late start then plays what it missed at once, each event
        at its own time (`catching_up`), and so reaches the very state a day played from 05:30
        would have at `start`: orders issued at their times, the morning's incidents in the
        history, sites and routes as they would be. Every decision the simulator makes depends on
        the events before it alone (never on when a push returned), so the day is the same
        whatever the pace it is played at.

        The demo user takes their station's room over at `handover` (default: `start`): before
        it, the station's own staff handle its calls and acknowledge its order like any other's."""
        origin = min(start, default_clock_start(self.day))
        self.handover = start if handover is None else handover
        self.now = origin
        self.caught_up_to = start if start > origin else None
        phase = PHASE_ORDERS.get(self.day)
        if phase is not None:
            issue = max(origin, phase.issue_at)
            if issue < phase.effective_until:
                self.at(issue, lambda: self._issue_phase_order(phase, issue))
        else:
            # The order is in force since the day before: the day shift comes in to meet it.
            for org in self.sc.orgs:
                self._plan_mobilisation(org.code, origin, EARLY_VOTING_ORDER.level)
        self._plan_deployment(origin)
        opens_at, closes_at = opening_hours(self.day)
        for ps in self._sites:
            opening = opens_at - timedelta(minutes=2) + timedelta(seconds=self.rng.uniform(0, 240))
            opened = max(origin, opening)
            self.at(opened, self._site_action(ps.id, ps.station_code, {"open": True}))
            closed = max(opened + timedelta(seconds=1),
                         closes_at + timedelta(seconds=self.rng.uniform(0, 180)))
            self.at(closed, self._site_action(ps.id, ps.station_code, {"open": False}))
        self._plan_routes()
        if not self.day.early_voting:
            self._plan_counting(origin)
        for inc in self.sc.incidents:
            # The night's cases still open are wrapped up in the first hour (the demo station's
            # by its own staff only before the user takes over).
            if inc.status == IncidentStatus.ACKNOWLEDGED:
                when = origin + timedelta(minutes=self.rng.uniform(3, 60))
                if self._simulated(inc.station_code, when):
                    self.at(when, self._resolve(inc.id, inc.station_code))
        self.at(origin + timedelta(seconds=self.rng.uniform(0, 30)), self._next_incident)
        self.at(origin + timedelta(seconds=self.rng.uniform(0, 60)), self._next_focus_incident)
        self.at(origin + timedelta(minutes=1), self._patrol)
        plan_chain(self, origin)  # reporting schedules, directives, the offices' reports

    def _simulated(self, station: str, when: datetime) -> bool:
        """Whether the simulator acts for `station` at `when`: for every office but the demo's
        own, and for that one too before the user takes its room over (a late start: the shift
        before them handled its calls and acknowledged its order)."""
        return station != self.focus or (self.handover is not None and when < self.handover)

    @property
    def catching_up(self) -> bool:
        """A late start still playing what it missed."""
        return self.caught_up_to is not None and (self.now is None or self.now < self.caught_up_to)

    def _resolve(self, incident_id: str, station: str) -> Callable[[], None]:
        def act() -> None:
            self._submit(self._province_user(station), "incident.transition", K.INCIDENT, incident_id,
                         {"to": "resolved", "remark": Remark.RESOLVED_ON_SITE.value}, self._t())
        return act

    def _site_action(self, ps_id: str, station: str, payload: dict[str, Any]) -> Callable[[], None]:
        def act() -> None:
            self._submit(self._province_user(station), "site.deployment", K.POLLING_STATION, ps_id,
                         payload, self._t())
        return act

    def _t(self) -> datetime:
        assert self.now is not None
        return self.now

    # -- duty orders and personnel ------------------------------------------------------------
    def _issue_phase_order(self, phase: PhaseOrder, at: datetime) -> None:
        """National HQ puts the provincial agencies on the phase's level from its start; each
        province, once it has acknowledged, orders its own stations (smaller orders, as the chain
        of command runs)."""
        provinces = [p.code for p in self.sc.provinces]
        order_id = f"{phase.order_id}-{self.sc.seed}"

        payload = self._phase_payload(phase, provinces, phase.reason, phase.reason_en)
        self._submit("sim-hq", "duty.issue", K.DUTY_ORDER, order_id, payload, at)
        for code in provinces:
            delay = self.rng.uniform(1, 6)
            self.at(at + timedelta(minutes=delay), self._acknowledge(order_id, code))
            self.at(at + timedelta(minutes=delay + self.rng.uniform(0.5, 3)),
                    self._provincial_order(phase, code))
        self._plan_mobilisation(NATIONAL_CODE, at, phase.level)

    def _phase_payload(self, phase: PhaseOrder, targets: list[str], reason: str,
                       reason_en: str) -> dict[str, Any]:
        """HQ writes the reason in Korean, with the English alongside for English consoles."""
        return {"level": phase.level.value, "targets": targets,
                "effective_from": iso(phase.effective_from), "effective_until": iso(phase.effective_until),
                "reason": f"제21대 대통령선거 {reason}",
                "reason_en": f"21st presidential election: {reason_en}"}

    def _provincial_order(self, phase: PhaseOrder, province: str) -> Callable[[], None]:
        return lambda: self._issue_provincial_order(phase, province)

    def _issue_provincial_order(self, phase: PhaseOrder, province: str) -> None:
        at = self._t()
        stations = [s.code for s in self.sc.stations if s.parent_code == province]
        order_id = f"{phase.order_id}-{self.sc.seed}-{province}"

        payload = self._phase_payload(phase, stations, phase.station_reason, phase.station_reason_en)
        self._submit(f"sim-{province.lower()}", "duty.issue", K.DUTY_ORDER, order_id, payload, at)
        for code in stations:
            late = self.rng.random() < 0.04
            delay = self.rng.uniform(60, 120) if late else self.rng.uniform(1, 45)
            if not self._simulated(code, at + timedelta(minutes=delay)):
                continue  # the demo user acknowledges their own station's order
            self.at(at + timedelta(minutes=delay), self._acknowledge(order_id, code))
            self._plan_mobilisation(code, at, phase.level)
        self._plan_mobilisation(province, at, phase.level)

    def _acknowledge(self, order_id: str, code: str) -> Callable[[], None]:
        def act() -> None:
            self._submit(f"sim-{code.lower()}", "duty.acknowledge", K.DUTY_ORDER, order_id,
                         {"org_code": code}, self._t())
        return act

    def _plan_mobilisation(self, code: str, issued: datetime, level: DutyLevel) -> None:
        """The level calls personnel in: on-duty counts climb to what it demands (Level A: all,
        Level B: half); a few offices stay short, so compliance shows something. An office with
        more on duty already keeps them."""
        org = self.sc.org(code)
        short = self.rng.random() < 0.12
        required = required_on_duty(level, org.personnel_total)
        final = required if not short else int(required * self.rng.uniform(0.82, 0.97))
        final = max(final, org.personnel_on_duty)
        middle = (org.personnel_on_duty + final) // 2
        user = self._province_user(code) if code != NATIONAL_CODE else "sim-hq"
        # The demo's own station climbs in two visible steps; elsewhere one update keeps the load low.
        steps = [(self.rng.uniform(5, 25), middle)] if code == self.focus else []
        for minutes, value in [*steps, (self.rng.uniform(30, 110), final)]:
            def act(v: int = value) -> None:
                self._submit(user, "org.personnel", K.ORG, code, {"personnel_on_duty": v}, self._t())
            self.at(issued + timedelta(minutes=minutes), act)

    # -- polling and counting stations ----------------------------------------------------------
    def _plan_deployment(self, start: datetime) -> None:
        """Half of the polling stations still one officer short get their second within the hour."""
        for ps in self._sites:
            if ps.officers_assigned >= ps.officers_planned or self.rng.random() < 0.5:
                continue
            t = start + timedelta(minutes=self.rng.uniform(5, 60))
            self.at(t, self._site_action(ps.id, ps.station_code, {"officers_assigned": ps.officers_planned}))

    def _plan_counting(self, start: datetime) -> None:
        for cs in self.sc.counting_stations:
            short = 0 if self.rng.random() < 0.9 else self.rng.randint(2, 6)
            target = cs.officers_planned - short
            for hour, share in ((17, 0.5), (18.5, 1.0)):
                t = max(start, kst(ELECTION_DAY, 0) + timedelta(hours=hour, minutes=self.rng.uniform(0, 60)))

                def act(cs_id: str = cs.id, station: str = cs.station_code,
                        n: int = int(target * share)) -> None:
                    self._submit(self._province_user(station), "site.deployment", K.COUNTING_STATION,
                                 cs_id, {"officers_assigned": n}, self._t())
                self.at(t, act)

    def _plan_routes(self) -> None:
        """After 20:00 each ballot box leaves within the hour and arrives after its planned time;
        a few are held up well past it (the routes panel raises those as late)."""
        for route in self._routes:
            depart = POLLS_CLOSE_AT + timedelta(minutes=self.rng.uniform(10, 60))
            if self.rng.random() < LATE_BOX_SHARE:
                travel = route.planned_minutes * self.rng.uniform(1.5, 3.0) + self.rng.uniform(20, 50)
                # The escort calls it in once the box is well overdue.
                overdue = depart + timedelta(minutes=route.planned_minutes + 20)
                self.at(overdue, self._report_late_box(route.polling_station_id, route.station_code))
            else:
                travel = route.planned_minutes * self.rng.uniform(0.75, 1.1)
            arrive = depart + timedelta(minutes=travel)
            user = self._province_user(route.station_code)
            for when, state in ((depart, "departed"), (arrive, "arrived")):
                def act(rid: str = route.id, s: str = state, w: datetime = when, u: str = user) -> None:
                    self._submit(u, "route.advance", K.ROUTE, rid, {"to": s, "at": iso(w)}, self._t())
                self.at(when, act)

    def _report_late_box(self, polling_station_id: str, station: str) -> Callable[[], None]:
        def act() -> None:
            ps = next(p for p in self._polling_by_station[station] if p.id == polling_station_id)
            self._create_incident(self._t(), station, ps=ps, code=PriorityCode.CODE_1,
                                  template=LATE_BOX_TEMPLATE, title=late_box_title(ps.name, ps.town))
        return act

    # -- incidents ----------------------------------------------------------------------------
    def _next_incident(self) -> None:
        now = self._t()
        self._create_incident(now)
        rate = NATIONAL_INCIDENTS_PER_MINUTE * self.rate_scale * self._incident_share * self._hourly_rate(now)
        self.at(now + timedelta(minutes=self.rng.expovariate(rate)), self._next_incident)

    def _hourly_rate(self, now: datetime) -> float:
        local = now.astimezone(KST)
        return hourly_rate(local.hour + local.minute / 60, early_voting=self.day.early_voting)

    def _next_focus_incident(self) -> None:
        now = self._t()
        self._create_incident(now, self.focus)
        rate = FOCUS_INCIDENTS_PER_MINUTE * self._hourly_rate(now)
        self.at(now + timedelta(minutes=self.rng.expovariate(rate)), self._next_focus_incident)

    def _create_incident(self, now: datetime, station: str | None = None, *,
                         ps: PollingStation | None = None, code: PriorityCode | None = None,
                         template: IncidentTemplate | None = None,
                         title: IncidentTitle | None = None) -> None:
        """A 112 call handed to `station`, at or near one of the stations where people vote today:
        titled in Korean as its staff write it, with the English alongside for English consoles;
        an incident away from the voting station is placed by its district and town alone (names,
        not words to translate)."""
        if station is None:
            station = self.rng.choices(self._station_codes, weights=self._station_weights, k=1)[0]
        template = template or pick_template(self.rng, self._catalogue)
        ps = ps or self.rng.choice(self._sites_by_station[station])
        lat = round(ps.lat + self.rng.uniform(-0.004, 0.004), 6)
        lon = round(ps.lon + self.rng.uniform(-0.004, 0.004), 6)
        incident_id = f"INC-{self.sc.seed}-{self.stats.incidents_created + 1:05d}"
        self.stats.incidents_created += 1
        code = code if code is not None else self.rng.choice(template.codes)
        title = title or self.rng.choice(template.title_texts)
        payload = {"category": template.category.value, "code": int(code), **title.payload(),
                   "station_code": station, "lat": lat, "lon": lon, "district": ps.district,
                   "town": ps.town, "place": ps.name if template.at_polling_station else "",
                   "reporter": "112"}
        # The province's 112 centre takes the call and hands it to the station.
        user = self._province_user(station)

        self._submit(user, "incident.create", K.INCIDENT, incident_id, payload, now)
        if self._simulated(station, now):
            self._plan_handling(incident_id, station, template, code, lat, lon, now)

    def _plan_handling(self, incident_id: str, station: str, template: IncidentTemplate,
                       code: PriorityCode, lat: float, lon: float, created: datetime) -> None:
        if self.rng.random() < UNACKNOWLEDGED_SHARE:
            return  # nobody picks it up: the server's escalator raises it
        user = self._province_user(station)
        ack_limit_min = {0: 1, 1: 3, 2: 10, 3: 60, 4: 240}[int(code)]
        ack = created + timedelta(minutes=self.rng.uniform(0.3, ack_limit_min * 0.9))

        def transition(to: str, remark: Remark | None = None) -> Callable[[], None]:
            def act() -> None:
                payload: dict[str, Any] = {"to": to}
                if remark is not None:
                    payload["remark"] = remark.value
                self._submit(user, "incident.transition", K.INCIDENT, incident_id, payload, self._t())
            return act

        self.at(ack, transition("acknowledged"))
        if code == PriorityCode.CODE_4:
            advised = transition("resolved", Remark.ADVISED)
            self.at(ack + timedelta(minutes=self.rng.uniform(5, 30)), advised)
            return
        cyber = template.category in (IncidentCategory.DEEPFAKE, IncidentCategory.CYBER_ATTACK)
        dispatch = ack + timedelta(minutes=self.rng.uniform(0.5, 4))

        def assign_and_dispatch() -> None:
            unit = self._free_unit(station, cyber)
            if unit is None:
                self._submit(user, "incident.note", K.INCIDENT, incident_id,
                             {"remark": Remark.NO_UNIT_FREE.value}, self._t())
                self.at(self._t() + timedelta(minutes=10), assign_and_dispatch)
                return
            self._unit_state[unit]["status"] = UnitStatus.DISPATCHED
            now = self._t()
            self._submit(user, "incident.assign", K.INCIDENT, incident_id, {"unit_ids": [unit]}, now)
            self._submit(user, "incident.transition", K.INCIDENT, incident_id, {"to": "dispatched"}, now)
            self._move_unit(unit, UnitStatus.DISPATCHED, incident_id, toward=(lat, lon), share=0.3)
            travel = self.rng.uniform(3, 12)
            on_scene = self._t() + timedelta(minutes=travel)

            def arrive() -> None:
                self._move_unit(unit, UnitStatus.ON_SCENE, incident_id, to=(lat, lon))
                transition("on_scene")()

            def finish() -> None:
                transition("resolved")()
                self._move_unit(unit, UnitStatus.RETURNING, None)

            self.at(on_scene, arrive)
            done = on_scene + timedelta(minutes=self.rng.uniform(10, 45))
            self.at(done, finish)
            self.at(done + timedelta(minutes=self.rng.uniform(8, 20)),
                    lambda: self._move_unit(unit, UnitStatus.AVAILABLE, None, home=True))

        self.at(dispatch, assign_and_dispatch)

    def _free_unit(self, station: str, cyber: bool) -> str | None:
        if cyber:
            province = self.sc.province_of(station) or station
            candidates = [u for u in self._units_by_station[province]
                          if self._unit_state[u]["type"] == UnitType.CYBER]
        else:
            candidates = [u for u in self._units_by_station[station]
                          if self._unit_state[u]["type"] in (UnitType.PATROL_CAR, UnitType.MOBILE_PATROL)
                          and self._unit_state[u]["status"] == UnitStatus.AVAILABLE]
        return self.rng.choice(candidates) if candidates else None

    def _move_unit(self, unit_id: str, status: UnitStatus, incident_id: str | None, *,
                   to: tuple[float, float] | None = None, toward: tuple[float, float] | None = None,
                   share: float = 1.0, home: bool = False) -> None:
        state = self._unit_state[unit_id]
        lat, lon = state["lat"], state["lon"]
        if home and state["home"][0] is not None:
            to = state["home"]  # its post: the local unit's town, the station for most
        if to is not None:
            lat, lon = to
        elif toward is not None and lat is not None:
            lat = lat + (toward[0] - lat) * share
            lon = lon + (toward[1] - lon) * share
        state.update(status=status, lat=round(lat, 6) if lat is not None else None,
                     lon=round(lon, 6) if lon is not None else None)
        payload: dict[str, Any] = {"status": status.value, "incident_id": incident_id}
        if state["lat"] is not None:
            payload.update(lat=state["lat"], lon=state["lon"])
        user = self._province_user(state["station"]) if state["station"] != NATIONAL_CODE else "sim-hq"
        self._submit(user, "unit.status", K.UNIT, unit_id, payload, self._t())

    def _patrol(self) -> None:
        """Units on the move every few minutes: a third of the demo station's patrol cars and a
        sample elsewhere drive their beat; in voting hours, cars and local units visit the polling
        stations (dispatched to the site, on scene, back), so the units panel and layer live."""
        now = self._t()
        focus_cars = [u for u in self._units_by_station[self.focus]
                      if self._unit_state[u]["type"] == UnitType.PATROL_CAR]
        others = self.rng.sample(self._patrol_units, min(PATROLS_ELSEWHERE, len(self._patrol_units)))
        for unit_id in [*self.rng.sample(focus_cars, max(1, len(focus_cars) // 3)), *others]:
            state = self._unit_state[unit_id]
            if state["status"] != UnitStatus.AVAILABLE or state["lat"] is None:
                continue
            org = self.sc.org(state["station"])
            # A random walk that drifts back toward the station, so cars stay in their area.
            lat = state["lat"] + self.rng.gauss(0, 0.004) + ((org.lat or state["lat"]) - state["lat"]) * 0.1
            lon = state["lon"] + self.rng.gauss(0, 0.005) + ((org.lon or state["lon"]) - state["lon"]) * 0.1
            self._move_unit(unit_id, UnitStatus.AVAILABLE, None, to=(lat, lon))
        opens_at, closes_at = opening_hours(self.day)
        if opens_at <= now < closes_at:
            visits = [self.focus] if self.rng.random() < 0.6 else []
            visits += self.rng.choices(self._station_codes, weights=self._station_weights, k=VISITS_ELSEWHERE)
            for station in visits:
                self._visit_site(station)
        self.at(now + PATROL_EVERY, self._patrol)

    def _visit_site(self, station: str) -> None:
        """A car or local unit of `station` checks on one of its voting stations and returns."""
        free = [u for u in self._units_by_station[station]
                if self._unit_state[u]["type"] in (UnitType.PATROL_CAR, UnitType.LOCAL_UNIT)
                and self._unit_state[u]["status"] == UnitStatus.AVAILABLE]
        sites = self._sites_by_station[station]
        if not free or not sites:
            return
        unit = self.rng.choice(free)
        site = self.rng.choice(sites)
        self._move_unit(unit, UnitStatus.DISPATCHED, None, toward=(site.lat, site.lon), share=0.4)
        arrive = self._t() + timedelta(minutes=self.rng.uniform(4, 10))
        leave = arrive + timedelta(minutes=self.rng.uniform(10, 25))

        def step(status: UnitStatus, **where: Any) -> Callable[[], None]:
            def act() -> None:
                if self._unit_state[unit]["status"] in (UnitStatus.DISPATCHED, UnitStatus.ON_SCENE,
                                                        UnitStatus.RETURNING):  # not taken by a console
                    self._move_unit(unit, status, None, **where)
            return act

        self.at(arrive, step(UnitStatus.ON_SCENE, to=(site.lat, site.lon)))
        self.at(leave, step(UnitStatus.RETURNING))
        self.at(leave + timedelta(minutes=self.rng.uniform(5, 12)), step(UnitStatus.AVAILABLE, home=True))

    # -- running ------------------------------------------------------------------------------
    def step(self, until: datetime) -> int:
        """Play every event due up to `until` and push the result; returns the events played."""
        played = 0
        with self._lock:
            while self._events and self._events[0].at <= until:
                event = heapq.heappop(self._events)
                self.now = event.at
                try:
                    event.action()
                except Exception as exc:  # one broken event must not stop the day
                    log.exception("simulator event failed")
                    self.stats.errors.append(f"event: {exc!r}")
                played += 1
                if len(self._queue) >= 2000:
                    self._flush()
            self.now = until
            self._flush()
        return played

    def _sync_with_server(self) -> None:
        clock = ApiClient(self.base_url, "health").health().clock
        self.sync_clock(parse_time(clock.now), clock.speed)

    def sync_clock(self, server_now: datetime, speed: float) -> None:
        self._clock_base, self._clock_mono, self._speed = server_now, time.monotonic(), speed

    def scenario_now(self) -> datetime:
        if self._clock_base is None:
            raise RuntimeError("call sync_clock() first")
        return self._clock_base + timedelta(seconds=(time.monotonic() - self._clock_mono) * self._speed)

    def start(self, interval: float = 0.25, plan_from: datetime | None = None,
              release: Any = None) -> None:
        """Follow the server's clock on a background thread; the day is planned from `plan_from`
        (default: the server's now) unless `plan()` was called already. A late start first plays
        up to its start at once; with a `release` event (threading or multiprocessing) it then
        waits for it, and takes the server's clock afresh (the demo sets its clock back to the
        start once the simulator has caught up)."""
        if self._clock_base is None:
            self._sync_with_server()
        if self.now is None:
            self.plan(plan_from or self.scenario_now())

        def loop() -> None:
            if self.caught_up_to is not None:
                self.step(self.caught_up_to)
                if release is not None:
                    while not release.wait(0.2):
                        if self._stop.is_set():
                            return
                    self._sync_with_server()
            while not self._stop.is_set():
                started = time.monotonic()
                target = self.scenario_now()
                if target > self.end:
                    target = self.end
                self.step(target)
                self.stats.lag_seconds = max(0.0, (self.scenario_now() - target).total_seconds())
                self._stop.wait(max(0.0, interval - (time.monotonic() - started)))

        self._thread = threading.Thread(target=loop, name="sitroom-simulator", daemon=True)
        self._thread.start()

    def stats_dict(self) -> dict[str, Any]:
        st = self.stats
        return {"pushed": st.pushed, "by_status": dict(st.by_status),
                "rejected_codes": dict(st.rejected_codes), "errors": list(st.errors[-20:]),
                "error_count": len(st.errors), "incidents_created": st.incidents_created,
                "lag_seconds": st.lag_seconds, "now": iso(self.now) if self.now else None,
                "planned": self.now is not None, "catching_up": self.catching_up,
                "caught_up_to": iso(self.caught_up_to) if self.caught_up_to else None}

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        for client in self._clients.values():
            client.close()


def simulator_usernames(scenario: Scenario) -> list[str]:
    """The users the simulator acts as (all named sim-...)."""
    return [u.username for u in scenario.users if u.username.startswith("sim-")]
