"""The demo's national election, generated from real geography and a seed (pure Python, no Qt).

Figures follow the 21st presidential election (3 June 2025): 18 provincial agencies, 259 police
stations, about 3,500 early-voting stations, 14,295 election-day polling stations with one
ballot-box route each, and 254 counting stations. Same seed and day, same rows.

The demo plays one day of the phased operation (`DemoDay`): election day, or one of the two
early-voting days a week before. The sites are the same on every day; what differs is who is at
which station, the duty orders already issued, and the night's incidents before the clock starts.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum, StrEnum
from typing import Any

import shapely

from console.demo.geography import PROVINCES, District, Town, load_districts
from console.demo.incident_catalogue import catalogue_for, hourly_rate, pick_template
from console.demo.romanise import title_case
from console.domain.clock import OPERATION_TZ, iso
from console.domain.duty import Acknowledgement, DutyLevel, DutyOrder
from console.domain.election import BallotRoute, CountingStation, PollingKind, PollingStation
from console.domain.incidents import Incident, IncidentStatus, TimelineEntry, TimelineKind, route_for
from console.domain.org import OrgLevel, OrgUnit, child_path
from console.domain.records import RecordKind, to_data
from console.domain.roles import Role
from console.domain.units import Unit, UnitType

KST = OPERATION_TZ  # the scenario is written in Korean time
ELECTION_DAY = date(2025, 6, 3)
CAMPAIGN_START = date(2025, 5, 12)
EARLY_VOTING_DAYS = (date(2025, 5, 29), date(2025, 5, 30))
POLLS_OPEN = time(6, 0)
POLLS_CLOSE = time(20, 0)
EARLY_VOTING_OPEN = time(6, 0)
EARLY_VOTING_CLOSE = time(18, 0)

ELECTION_DAY_POLLING_STATIONS = 14_295
EARLY_VOTING_STATIONS = 3_500
COUNTING_STATIONS = 254
NATIONAL_CODE = "NPA"
DEFAULT_STATION = "S11110"  # 종로경찰서, in the heart of Seoul
DEMO_PASSWORD = "sitroom-demo"
# About 2,000 election-related 112 reports nationally over election day.
NATIONAL_INCIDENTS_PER_MINUTE = 1.25
# The demo's own station draws this share of them, so its room is busy enough to watch.
FOCUS_SHARE = 0.05
# An early-voting day draws about a third of the voters of election day (34.7% turnout over the
# two days in 2025); with the campaign still running, its incidents run at about half the rate.
EARLY_VOTING_INCIDENT_SHARE = 0.5

# Large districts served by two stations, as in reality: district -> (first station renamed
# or None, second station's Korean short name, the side of the district the second one takes).
SPLITS: dict[str, tuple[tuple[str, ...] | None, tuple[str, ...], str]] = {
    "11140": (("서울", "중부"), ("남대문",), "south"),
    "11110": (None, ("혜화",), "east"),
    "11650": (None, ("방배",), "west"),
    "11680": (None, ("수서",), "east"),
    "11290": (None, ("종암",), "east"),
    "11380": (None, ("서부",), "south"),
    "41590": (("화성", "서부"), ("화성", "동탄"), "east"),
    "41360": (("남양주", "남부"), ("남양주", "북부"), "north"),
}

# Units of a station: type -> (call-sign suffix, personnel per unit).
STATION_UNITS: dict[UnitType, tuple[str, int]] = {
    UnitType.PATROL_CAR: ("P", 2),
    UnitType.LOCAL_UNIT: ("LU", 18),
    UnitType.MOBILE_PATROL: ("MP", 8),
    UnitType.INVESTIGATION: ("INV", 6),
    UnitType.INTELLIGENCE: ("INT", 4),
    UnitType.STRIKE_SQUAD: ("SS", 12),
}


class DemoDay(StrEnum):
    """A day the demo can play: one of the two early-voting days, or election day."""

    EARLY1 = "early1"
    EARLY2 = "early2"
    ELECTION = "election"

    @property
    def calendar_date(self) -> date:
        return {DemoDay.EARLY1: EARLY_VOTING_DAYS[0], DemoDay.EARLY2: EARLY_VOTING_DAYS[1],
                DemoDay.ELECTION: ELECTION_DAY}[self]

    @property
    def early_voting(self) -> bool:
        return self is not DemoDay.ELECTION

    @property
    def label(self) -> str:
        return {DemoDay.EARLY1: "early voting, day 1", DemoDay.EARLY2: "early voting, day 2",
                DemoDay.ELECTION: "election day"}[self]

    @property
    def ends_at(self) -> datetime:
        """Where the demo's day ends: 03:00 the next morning (on election day, counting is done)."""
        return kst(self.calendar_date + timedelta(days=1), 3)

    @classmethod
    def on(cls, day: date) -> DemoDay | None:
        """The demo day that falls on `day`, if any."""
        return next((d for d in cls if d.calendar_date == day), None)

    @classmethod
    def at(cls, moment: datetime) -> DemoDay | None:
        """The demo day `moment` belongs to: its own date's, or before 03:00 the day before's."""
        local = moment.astimezone(KST)
        day = cls.on(local.date())
        if day is None and local.time() < time(3):
            previous = cls.on(local.date() - timedelta(days=1))
            if previous is not None and moment < previous.ends_at:
                return previous
        return day


# Every unit reports its position at the morning roll call of the scenario's day (the simulator's
# dispatches move them later): the units table and the map show how old each position is.
ROLL_CALL_HOUR = 5


def kst(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), KST)


def default_clock_start(day: DemoDay = DemoDay.ELECTION) -> datetime:
    """05:30 KST on `day`: half an hour before the stations open, so action starts at once."""
    return kst(day.calendar_date, 5, 30)


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: Role
    org_code: str
    display_name: str


@dataclass(frozen=True)
class SeedRow:
    """One row to seed, as the server stores it."""

    kind: RecordKind
    id: str
    org_path: str
    data: dict[str, Any]


@dataclass
class Scenario:
    seed: int
    focus_station: str = DEFAULT_STATION
    day: DemoDay = DemoDay.ELECTION
    orgs: list[OrgUnit] = field(default_factory=list)
    polling_stations: list[PollingStation] = field(default_factory=list)
    counting_stations: list[CountingStation] = field(default_factory=list)
    routes: list[BallotRoute] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    duty_orders: list[DutyOrder] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    users: list[DemoUser] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._org_by_code: dict[str, OrgUnit] = {}

    def index(self) -> None:
        self._org_by_code = {o.code: o for o in self.orgs}

    def org(self, code: str) -> OrgUnit:
        return self._org_by_code[code]

    def path_of(self, code: str) -> str:
        return self._org_by_code[code].path

    @property
    def provinces(self) -> list[OrgUnit]:
        return [o for o in self.orgs if o.level == OrgLevel.PROVINCIAL]

    @property
    def stations(self) -> list[OrgUnit]:
        return [o for o in self.orgs if o.level == OrgLevel.STATION]

    def province_of(self, code: str) -> str | None:
        org = self._org_by_code.get(code)
        if org is None:
            return None
        if org.level == OrgLevel.PROVINCIAL:
            return org.code
        return org.parent_code if org.level == OrgLevel.STATION else None

    def election_day_polling(self) -> list[PollingStation]:
        return [p for p in self.polling_stations if p.kind == PollingKind.ELECTION_DAY]

    def early_voting_stations(self) -> list[PollingStation]:
        return [p for p in self.polling_stations if p.kind == PollingKind.EARLY_VOTING]

    def voting_stations(self) -> list[PollingStation]:
        """The stations where people vote on the scenario's day."""
        return self.early_voting_stations() if self.day.early_voting else self.election_day_polling()

    def user(self, username: str) -> DemoUser:
        for u in self.users:
            if u.username == username:
                return u
        raise KeyError(username)

    def rows(self) -> Iterator[SeedRow]:
        """Every row to seed, each with its owner's scope path."""
        for org in self.orgs:
            yield SeedRow(RecordKind.ORG, org.code, org.path, plain_data(org))
        groups: list[tuple[RecordKind, list[Any]]] = [
            (RecordKind.POLLING_STATION, self.polling_stations),
            (RecordKind.COUNTING_STATION, self.counting_stations),
            (RecordKind.ROUTE, self.routes),
            (RecordKind.UNIT, self.units),
            (RecordKind.INCIDENT, self.incidents),
        ]
        for kind, items in groups:
            for item in items:
                yield SeedRow(kind, item.id, self.path_of(item.station_code), plain_data(item))
        for order in self.duty_orders:
            yield SeedRow(RecordKind.DUTY_ORDER, order.id, self.path_of(order.issuer_code),
                          to_data(order))

    def counts(self) -> dict[str, int]:
        return {
            "provinces": len(self.provinces),
            "stations": len(self.stations),
            "polling_stations": len(self.election_day_polling()),
            "early_voting_stations": len(self.polling_stations) - len(self.election_day_polling()),
            "counting_stations": len(self.counting_stations),
            "routes": len(self.routes),
            "units": len(self.units),
            "incidents": len(self.incidents),
            "duty_orders": len(self.duty_orders),
            "users": len(self.users),
        }


def plain_data(entity: Any) -> dict[str, Any]:
    """`records.to_data(entity)`, faster for the flat entities that make up most of the seed
    (dataclasses.asdict deep-copies every value; 37,000 rows took seconds)."""
    names = _FIELD_NAMES.get(type(entity))
    if names is None:
        names = _FIELD_NAMES.setdefault(type(entity), tuple(f.name for f in dataclasses.fields(entity)))
    data: dict[str, Any] = {}
    for name in names:
        value = getattr(entity, name)
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, list | dict):
            return to_data(entity)  # nested values (timelines, acknowledgements): the full path
        data[name] = value
    return data


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


# ---------------------------------------------------------------------------------------------
# Building


def _rng(seed: int, label: str) -> random.Random:
    # A string seed is hashed with SHA-512, so each part is reproducible on its own.
    return random.Random(f"sitroom-demo:{seed}:{label}")


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dlat = math.radians(lat2 - lat1)
    dlon = math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * \
        math.sin(dlon / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def _point_in_town(town: Town, rng: random.Random) -> tuple[float, float]:
    """A random point inside the town near its representative point (falls back to that point)."""
    radius = math.sqrt(max(town.area, 1e-7)) / 3
    for _ in range(8):
        lat = town.lat + rng.uniform(-radius, radius)
        lon = town.lon + rng.uniform(-radius, radius)
        if shapely.contains_xy(town.geometry, lon, lat):
            return round(lat, 6), round(lon, 6)
    return town.lat, town.lon


def _largest_remainder(total: int, weights: list[float]) -> list[int]:
    s = sum(weights)
    exact = [total * w / s for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


@dataclass
class _StationPlan:
    code: str
    district: District
    towns: list[Town]
    ko_parts: list[str]


def _split_towns(towns: list[Town], side: str) -> tuple[list[Town], list[Town]]:
    """(first, second): the second station takes the `side` half of the district's towns."""
    key = {"east": lambda t: t.lon, "west": lambda t: -t.lon,
           "north": lambda t: t.lat, "south": lambda t: -t.lat}[side]
    ordered = sorted(towns, key=lambda t: (key(t), t.code))
    half = len(ordered) // 2
    return sorted(ordered[:half], key=lambda t: t.code), sorted(ordered[half:], key=lambda t: t.code)


def _station_plans(districts: tuple[District, ...]) -> list[_StationPlan]:
    short_in_sidos: dict[str, set[str]] = defaultdict(set)
    for d in districts:
        short_in_sidos[d.short_name].add(d.sido_code)
    plans: list[_StationPlan] = []
    for d in districts:
        sido_short = PROVINCES[d.province_code][3]
        short = d.short_name
        if len(short) == 1:  # 중구 -> 서울중부, 동구 -> 부산동부: how such stations are really named
            parts = [sido_short, f"{short}부"]
        elif len(short_in_sidos[short]) > 1:
            parts = [sido_short, short]
        else:
            parts = [_strip_suffix(w) for w in d.name.split()]
        split = SPLITS.get(d.code)
        if split is None:
            plans.append(_StationPlan(f"S{d.code}", d, list(d.towns), parts))
            continue
        first_name, second_name, side = split
        first, second = _split_towns(d.towns, side)
        plans.append(_StationPlan(f"S{d.code}", d, first, list(first_name or parts)))
        plans.append(_StationPlan(f"S{d.code}B", d, second, list(second_name)))
    return plans


def _strip_suffix(word: str) -> str:
    """'수원시' -> '수원', '장안구' -> '장안'; two-syllable names keep their suffix."""
    if len(word) > 2 and word[-1] in "시군구":
        return word[:-1]
    return word


def _centre_town(towns: list[Town]) -> Town:
    lat = sum(t.lat for t in towns) / len(towns)
    lon = sum(t.lon for t in towns) / len(towns)
    return min(towns, key=lambda t: ((t.lat - lat) ** 2 + (t.lon - lon) ** 2, t.code))


def build_scenario(seed: int = 1, focus_station: str = DEFAULT_STATION,
                   day: DemoDay = DemoDay.ELECTION) -> Scenario:
    """The whole national election for `seed`, as it stands at the start of `day`; `focus_station`
    is the one the demo user watches, which gets a larger share of the incidents."""
    day = DemoDay(day)
    districts = load_districts()
    sc = Scenario(seed=seed, focus_station=focus_station, day=day)
    rng = _rng(seed, "orgs")

    national = OrgUnit(NATIONAL_CODE, OrgLevel.NATIONAL, "경찰청", "Korean National Police Agency",
                       None, child_path("/", NATIONAL_CODE), personnel_total=1200,
                       personnel_on_duty=540, lat=37.5714, lon=126.9760)
    sc.orgs.append(national)
    plans = _station_plans(districts)
    by_province: dict[str, list[_StationPlan]] = defaultdict(list)
    for plan in plans:
        by_province[plan.district.province_code].append(plan)

    station_of_town: dict[str, str] = {}
    for pcode, (_sido, name_ko, name_en, _short) in PROVINCES.items():
        pplans = by_province[pcode]
        hq_town = _centre_town([p.towns[0] for p in pplans])
        total = rng.randint(700, 1500)
        province = OrgUnit(pcode, OrgLevel.PROVINCIAL, name_ko, name_en, NATIONAL_CODE,
                           child_path(national.path, pcode), personnel_total=total,
                           personnel_on_duty=int(total * rng.uniform(0.45, 0.6)),
                           lat=hq_town.lat, lon=hq_town.lon)
        sc.orgs.append(province)
        for plan in pplans:
            seoul = plan.district.sido_code == "11"
            total = rng.randint(300, 600) if seoul else rng.randint(150, 450)
            town = _centre_town(plan.towns)
            split = plan.code.endswith("B") or plan.district.code in SPLITS
            jurisdiction = [t.code for t in plan.towns] if split else [plan.district.code]
            en = " ".join(title_case(p) for p in plan.ko_parts)
            sc.orgs.append(OrgUnit(
                plan.code, OrgLevel.STATION, "".join(plan.ko_parts) + "경찰서", f"{en} Police Station",
                pcode, child_path(province.path, plan.code), jurisdiction=jurisdiction,
                personnel_total=total, personnel_on_duty=int(total * rng.uniform(0.4, 0.6)),
                lat=town.lat, lon=town.lon,
            ))
            for t in plan.towns:
                station_of_town[t.code] = plan.code
    sc.index()

    _build_sites(sc, districts, station_of_town, seed)
    if day.early_voting:
        _staff_early_voting(sc, seed)
    _build_units(sc, plans, seed, reported_at=iso(kst(day.calendar_date, ROLL_CALL_HOUR)))
    _build_duty_orders(sc, seed)
    _build_incidents(sc, seed, focus_station)
    _build_users(sc)
    return sc


def _town_weight(district: District, town: Town) -> float:
    # No population in the bundle: urban 구 towns hold more voters than rural 군 towns.
    if district.name.endswith("구"):
        return 3.0
    if district.name.endswith("시"):
        return 2.0 if not town.name.endswith(("읍", "면")) else 1.5
    return 1.0


def _build_sites(sc: Scenario, districts: tuple[District, ...], station_of_town: dict[str, str],
                 seed: int) -> None:
    rng = _rng(seed, "sites")
    towns = [t for d in districts for t in d.towns]
    district_of = {d.code: d for d in districts}
    weights = [_town_weight(district_of[t.district_code], t) * rng.uniform(0.7, 1.3) for t in towns]
    extra = _largest_remainder(ELECTION_DAY_POLLING_STATIONS - len(towns), weights)
    per_town = {t.code: 1 + n for t, n in zip(towns, extra, strict=True)}

    # Counting stations: one per district, a second one in the districts with most polling stations.
    polls_in = {d.code: sum(per_town[t.code] for t in d.towns) for d in districts}
    busiest = sorted(districts, key=lambda d: (-polls_in[d.code], d.code))
    second = busiest[: COUNTING_STATIONS - len(districts)]
    counting_by_district: dict[str, list[CountingStation]] = defaultdict(list)
    for d in districts:
        halves = [d.towns] if d not in second else list(_split_towns(d.towns, "east"))
        for n, half in enumerate(halves, start=1):
            town = _centre_town(half)
            lat, lon = _point_in_town(town, rng)
            suffix = "" if n == 1 else f"-{n}"
            name = f"{d.name} 개표소 ({town.name} 체육관)" if n == 1 else \
                f"{d.name} 제{n}개표소 ({town.name} 체육관)"
            cs = CountingStation(f"CS-{d.code}{suffix}", name, station_of_town[town.code], lat, lon,
                                 district=d.name, officers_planned=30, officers_assigned=0)
            counting_by_district[d.code].append(cs)
            sc.counting_stations.append(cs)

    # Early voting: one per town in up to 3,500 towns, every district at least one.
    ev_per_district = _largest_remainder(EARLY_VOTING_STATIONS - len(districts),
                                         [len(d.towns) for d in districts])
    early_towns: set[str] = set()
    for d, n in zip(districts, ev_per_district, strict=True):
        n = min(len(d.towns), n + 1)
        ranked = sorted(d.towns, key=lambda t: (-per_town[t.code], rng.random()))
        early_towns.update(t.code for t in ranked[:n])

    for t in towns:
        d = district_of[t.district_code]
        station = station_of_town[t.code]
        if t.code in early_towns:
            lat, lon = _point_in_town(t, rng)
            sc.polling_stations.append(PollingStation(
                f"EV-{t.code}", PollingKind.EARLY_VOTING, f"{t.name} 사전투표소", station, lat, lon,
                district=d.name, town=t.name, officers_planned=2, officers_assigned=0, open=False,
            ))
        for n in range(1, per_town[t.code] + 1):
            lat, lon = _point_in_town(t, rng)
            ps = PollingStation(
                f"PS-{t.code}-{n}", PollingKind.ELECTION_DAY, f"{t.name} 제{n}투표소", station, lat, lon,
                district=d.name, town=t.name, officers_planned=2,
                # Officers are at their posts by 05:30; a few stations are one short.
                officers_assigned=2 if rng.random() < 0.96 else 1, open=False,
            )
            sc.polling_stations.append(ps)
            cs = min(counting_by_district[d.code], key=lambda c: _km(lat, lon, c.lat, c.lon))
            km = _km(lat, lon, cs.lat, cs.lon)
            minutes = max(5, round(km * 1.4 / 35 * 60 + 5))  # roads ~1.4x, 35 km/h, 5 min loading
            sc.routes.append(BallotRoute(f"RT-{ps.id}", ps.id, cs.id, station, minutes))


def _staff_early_voting(sc: Scenario, seed: int) -> None:
    """On an early-voting day its stations have their officers at their posts by 05:30 (a few are
    one short). Drawn apart from the sites, so every day has the same sites in the same places."""
    rng = _rng(seed, f"early-voting-officers:{sc.day.value}")
    for ps in sc.early_voting_stations():
        ps.officers_assigned = ps.officers_planned if rng.random() < 0.96 else ps.officers_planned - 1


def _build_units(sc: Scenario, plans: list[_StationPlan], seed: int, reported_at: str) -> None:
    rng = _rng(seed, "units")
    for plan in plans:
        org = sc.org(plan.code)
        abbr = title_case(plan.ko_parts[-1]).replace(" ", "")
        counts = {
            UnitType.PATROL_CAR: max(4, min(14, org.personnel_total // 35)),
            UnitType.LOCAL_UNIT: max(2, min(8, len(plan.towns) // 4)),
            UnitType.MOBILE_PATROL: 1,
            UnitType.INVESTIGATION: rng.randint(2, 3),
            UnitType.INTELLIGENCE: rng.randint(1, 2),
            UnitType.STRIKE_SQUAD: 1,
        }
        local_towns = rng.sample(plan.towns, min(len(plan.towns), counts[UnitType.LOCAL_UNIT]))
        for utype, n in counts.items():
            suffix, personnel = STATION_UNITS[utype]
            for i in range(1, n + 1):
                if utype == UnitType.LOCAL_UNIT:
                    town = local_towns[(i - 1) % len(local_towns)]
                    lat, lon = town.lat, town.lon
                    callsign = f"{title_case(town.name)}-LU"
                elif utype == UnitType.PATROL_CAR:
                    lat, lon = _point_in_town(rng.choice(plan.towns), rng)
                    callsign = f"{abbr}-{suffix}{i:02d}"
                else:
                    lat, lon = org.lat or 37.5, org.lon or 127.0
                    callsign = f"{abbr}-{suffix}{i}"
                sc.units.append(Unit(f"U-{plan.code}-{suffix}{i:02d}", callsign, utype, plan.code,
                                     lat=lat, lon=lon, position_at=reported_at, personnel=personnel))
    for province in sc.provinces:
        abbr = province.code.replace("_", "")
        for i in range(1, rng.randint(3, 8) + 1):
            sc.units.append(Unit(f"U-{province.code}-MU{i:02d}", f"{abbr}-MU{i}", UnitType.MOBILE_UNIT,
                                 province.code, lat=province.lat, lon=province.lon,
                                 position_at=reported_at, personnel=rng.randint(60, 90)))
        sc.units.append(Unit(f"U-{province.code}-CY01", f"{abbr}-CYBER", UnitType.CYBER, province.code,
                             lat=province.lat, lon=province.lon, position_at=reported_at,
                             personnel=rng.randint(12, 25)))


def _build_duty_orders(sc: Scenario, seed: int) -> None:
    """The phases before the scenario's day: heightened alert for the campaign, raised for early
    voting. The order of the day itself is issued live by the simulator: the early-voting order
    on the first early-voting day, Level A on election day."""
    rng = _rng(seed, "orders")
    targets = [o.code for o in sc.orgs if o.level != OrgLevel.NATIONAL]
    phases = [  # the reason as HQ writes it, in Korean, and in English for English consoles
        ("DO-CAMPAIGN", DutyLevel.HEIGHTENED, kst(CAMPAIGN_START, 0), None,
         "제21대 대통령선거 공식 선거운동 기간", "21st presidential election: official campaign period"),
        ("DO-EARLY-VOTING", DutyLevel.LEVEL_B, kst(EARLY_VOTING_DAYS[0], 6),
         kst(EARLY_VOTING_DAYS[1] + timedelta(days=1), 0),
         "제21대 대통령선거 사전투표 기간", "21st presidential election: early voting days"),
    ]
    if sc.day == DemoDay.EARLY1:
        phases = phases[:1]
    for oid, level, start, until, reason, reason_en in phases:
        issued = start - timedelta(days=1)
        acks = {
            code: Acknowledgement(by=f"{code.lower()}-cmd",
                                  at=iso(issued + timedelta(minutes=rng.randint(3, 90))))
            for code in targets
        }
        sc.duty_orders.append(DutyOrder(
            oid, level, NATIONAL_CODE, list(targets), iso(start), iso(until) if until else None,
            reason, reason_en=reason_en, issued_by="hq", issued_at=iso(issued), acks=acks,
        ))


def _build_incidents(sc: Scenario, seed: int, focus_station: str) -> None:
    """The night of the scenario's day before it starts (00:00-05:30): mostly handled already.
    Placed at the day's voting stations, with the day's kinds of cases."""
    day = sc.day
    rng = _rng(seed, "incidents" if day == DemoDay.ELECTION else f"incidents:{day.value}")
    catalogue = catalogue_for(day.early_voting)
    share = EARLY_VOTING_INCIDENT_SHARE if day.early_voting else 1.0
    prefix = f"INC-N{seed}-" if day == DemoDay.ELECTION else f"INC-N{seed}-{day.value.upper()}-"
    stations = sc.stations
    ps_by_station: dict[str, list[PollingStation]] = defaultdict(list)
    for ps in sc.voting_stations():
        ps_by_station[ps.station_code].append(ps)
    start = kst(day.calendar_date, 0)
    minute = 0
    n = 0
    while minute < 330:
        rate_per_min = NATIONAL_INCIDENTS_PER_MINUTE * share * hourly_rate(
            minute / 60, early_voting=day.early_voting)  # nationally
        minute += max(1, round(rng.expovariate(rate_per_min)))
        if minute >= 330:
            break
        n += 1
        station = rng.choice(stations)
        if rng.random() < FOCUS_SHARE:
            station = sc.org(focus_station)  # the demo's own station gets its share of the night
        tpl = pick_template(rng, catalogue)
        ps = rng.choice(ps_by_station[station.code])
        lat = round(ps.lat + rng.uniform(-0.003, 0.003), 6)
        lon = round(ps.lon + rng.uniform(-0.003, 0.003), 6)
        at = start + timedelta(minutes=minute)
        actor = f"{station.code.lower()}-op"
        code = rng.choice(tpl.codes)
        title = rng.choice(tpl.title_texts)  # the same draw as a choice of tpl.titles
        inc = Incident(
            f"{prefix}{n:04d}", tpl.category, code, title.ko,
            station.code, lat, lon, iso(at), actor, place=ps.name if tpl.at_polling_station else "",
            district=ps.district, town=ps.town, title_en=title.en,
        )
        # Timeline entries as the mutations write them: each console words them in its language.
        created: dict[str, Any] = {"code": int(inc.code), "category": inc.category.value,
                                   "title": inc.title, "title_en": inc.title_en}
        inc.timeline.append(TimelineEntry.event(iso(at), actor, TimelineKind.CREATED, created))
        inc.routed_to = route_for(inc.category, sc.province_of(station.code))
        if inc.routed_to:
            inc.timeline.append(TimelineEntry.event(iso(at), actor, TimelineKind.ROUTED,
                                                    {"to": inc.routed_to}))
        ack = at + timedelta(minutes=rng.randint(1, 6))
        inc.status, inc.acknowledged_at = IncidentStatus.ACKNOWLEDGED, iso(ack)
        inc.timeline.append(TimelineEntry.event(iso(ack), actor, TimelineKind.STATUS,
                                                {"to": IncidentStatus.ACKNOWLEDGED.value}))
        if minute < 300 or rng.random() < 0.5:
            done = ack + timedelta(minutes=rng.randint(10, 40))
            inc.status, inc.resolved_at = IncidentStatus.RESOLVED, iso(done)
            inc.timeline.append(TimelineEntry.event(iso(done), actor, TimelineKind.STATUS,
                                                    {"to": IncidentStatus.RESOLVED.value}))
        sc.incidents.append(inc)


def _build_users(sc: Scenario) -> None:
    """Demo users for every role (all share DEMO_PASSWORD), and the simulator's own users."""
    def add(username: str, role: Role, org: OrgUnit, title: str) -> None:
        sc.users.append(DemoUser(username, DEMO_PASSWORD, role, org.code, f"{org.name_en} {title}"))

    national = sc.org(NATIONAL_CODE)
    add("hq", Role.NATIONAL_HQ, national, "duty officer")
    add("viewer", Role.VIEWER, national, "observer")
    add("sim-hq", Role.NATIONAL_HQ, national, "simulator")
    for p in sc.provinces:
        add(f"{p.code.lower()}-hq", Role.PROVINCIAL_HQ, p, "duty officer")
        add(f"sim-{p.code.lower()}", Role.PROVINCIAL_HQ, p, "simulator")
    for s in sc.stations:
        add(f"{s.code.lower()}-cmd", Role.STATION_COMMANDER, s, "commander")
        add(f"{s.code.lower()}-op", Role.STATION_OPERATOR, s, "operator")
        add(f"{s.code.lower()}-view", Role.VIEWER, s, "viewer")
        add(f"sim-{s.code.lower()}", Role.STATION_COMMANDER, s, "simulator")


def username_for(role: str, station: str, province: str | None) -> str:
    """The demo user a `sitroom demo --role ROLE --station CODE` session logs in as."""
    if role == "national":
        return "hq"
    if role == "provincial":
        return f"{(province or 'SEOUL').lower()}-hq"
    suffix = {"commander": "cmd", "operator": "op", "viewer": "view"}[role]
    return f"{station.lower()}-{suffix}"
