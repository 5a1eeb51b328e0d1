"""Election sites: polling stations, counting stations and ballot-box return routes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from console.domain.clock import OPERATION_DAY_STARTS_AT, OPERATION_TZ, in_operation_zone, parse_time
from console.domain.errors import DomainError, IllegalTransition, InvalidValue
from console.domain.incidents import validate_position


class PollingKind(StrEnum):
    ELECTION_DAY = "election_day"
    EARLY_VOTING = "early_voting"


OFFICERS_PER_POLLING_STATION = 2
ARMED_OFFICERS_PER_ROUTE = 2


@dataclass
class PollingStation:
    id: str
    kind: PollingKind
    name: str
    station_code: str
    lat: float
    lon: float
    district: str = ""
    town: str = ""
    officers_planned: int = OFFICERS_PER_POLLING_STATION
    officers_assigned: int = 0
    open: bool = False

    def __post_init__(self) -> None:
        try:
            self.kind = PollingKind(self.kind)
        except ValueError:
            raise InvalidValue(f"unknown polling station kind {self.kind!r}") from None
        if not self.name.strip():
            raise InvalidValue(f"polling station {self.id}: a name is required")
        validate_position(self.lat, self.lon)
        if self.officers_planned < 0 or self.officers_assigned < 0:
            raise InvalidValue(f"polling station {self.id}: officer counts cannot be negative")

    @property
    def shortfall(self) -> int:
        return max(0, self.officers_planned - self.officers_assigned)


@dataclass
class CountingStation:
    id: str
    name: str
    station_code: str
    lat: float
    lon: float
    district: str = ""
    officers_planned: int = 30
    officers_assigned: int = 0

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidValue(f"counting station {self.id}: a name is required")
        validate_position(self.lat, self.lon)
        if self.officers_planned < 0 or self.officers_assigned < 0:
            raise InvalidValue(f"counting station {self.id}: officer counts cannot be negative")

    @property
    def shortfall(self) -> int:
        return max(0, self.officers_planned - self.officers_assigned)


class RouteState(StrEnum):
    WAITING = "waiting"
    DEPARTED = "departed"
    ARRIVED = "arrived"


class RouteDisplayState(StrEnum):
    WAITING = "waiting"
    MOVING = "moving"
    ARRIVED = "arrived"
    LATE = "late"


ROUTE_NEXT: dict[RouteState, RouteState | None] = {
    RouteState.WAITING: RouteState.DEPARTED,
    RouteState.DEPARTED: RouteState.ARRIVED,
    RouteState.ARRIVED: None,
}

# A box is late once it is this long past its planned arrival. The console keeps one threshold
# per user (the routes panel sets it, the map follows); this is where it starts.
DEFAULT_LATE_THRESHOLD = timedelta(minutes=15)
LATE_THRESHOLD_MAX = timedelta(hours=3)


def is_overdue(now: Any, due: Any, threshold: Any) -> Any:
    """The lateness comparison, written once: `now` is past `due` by more than `threshold`.
    Works on datetimes with timedeltas, on epoch seconds, and on numpy arrays of them alike (the
    routes view evaluates every route at once with it)."""
    return now > due + threshold


def route_display_state(state: RouteState | str, departed_at: datetime | None, planned_minutes: int,
                        now: datetime, threshold: timedelta = DEFAULT_LATE_THRESHOLD) -> RouteDisplayState:
    """The one lateness rule: a box is late iff it has departed, has not arrived, and `now` is past
    its planned arrival (departure + planned travel time) by more than `threshold`. It depends on
    instants only, never on a time zone."""
    state = RouteState(state)
    if state == RouteState.ARRIVED:
        return RouteDisplayState.ARRIVED
    if state == RouteState.WAITING:
        return RouteDisplayState.WAITING
    due = departed_at + timedelta(minutes=planned_minutes) if departed_at is not None else None
    if due is not None and is_overdue(now, due, threshold):
        return RouteDisplayState.LATE
    return RouteDisplayState.MOVING


def stored_route_state(data: Mapping[str, Any], now: datetime,
                       threshold: timedelta = DEFAULT_LATE_THRESHOLD) -> RouteDisplayState:
    """A stored route row's display state by the rule above; a row it cannot read is waiting (a
    malformed row is shown rather than breaking the map or an export)."""
    try:
        departed = data.get("departed_at")
        return route_display_state(str(data.get("state") or "waiting"),
                                   parse_time(str(departed)) if departed else None,
                                   int(data["planned_minutes"]), now, threshold)
    except (KeyError, TypeError, ValueError, DomainError):
        return RouteDisplayState.WAITING


@dataclass
class BallotRoute:
    """One ballot box's return trip from a polling station to its counting station."""

    id: str
    polling_station_id: str
    counting_station_id: str
    station_code: str
    planned_minutes: int  # expected travel time
    state: RouteState = RouteState.WAITING
    departed_at: str | None = None
    arrived_at: str | None = None
    officers: int = 2

    def __post_init__(self) -> None:
        self.state = RouteState(self.state)
        if self.planned_minutes <= 0:
            raise InvalidValue(f"route {self.id}: planned travel time must be positive")

    def advance(self, to: RouteState, at: str) -> None:
        to = RouteState(to)
        if ROUTE_NEXT[self.state] != to:
            raise IllegalTransition(f"route {self.id} cannot go from '{self.state}' to '{to}'")
        when = parse_time(at, "at")
        if to == RouteState.DEPARTED:
            self.departed_at = at
        else:
            if self.departed_at is not None and when < parse_time(self.departed_at):
                raise InvalidValue(f"route {self.id}: the box cannot arrive ({at}) before it "
                                   f"departed ({self.departed_at})")
            self.arrived_at = at
        self.state = to

    def due_at(self) -> datetime | None:
        if self.departed_at is None:
            return None
        return parse_time(self.departed_at) + timedelta(minutes=self.planned_minutes)

    def display_state(
        self, now: datetime, late_threshold: timedelta = DEFAULT_LATE_THRESHOLD
    ) -> RouteDisplayState:
        departed = parse_time(self.departed_at) if self.departed_at is not None else None
        return route_display_state(self.state, departed, self.planned_minutes, now, late_threshold)


# -- which sites operate when ---------------------------------------------------------------------
class SiteKind(StrEnum):
    """The kinds of election site, as the deployment counts them."""

    POLLING = "polling"  # an election-day polling station
    EARLY_VOTING = "early_voting"  # an early-voting station
    COUNTING = "counting"


def site_kind(record_kind: str, polling_kind: str | None = None) -> SiteKind:
    """The site kind of a polling_station (with its `kind` field) or counting_station row."""
    if record_kind == "counting_station":
        return SiteKind.COUNTING
    return SiteKind.EARLY_VOTING if polling_kind == PollingKind.EARLY_VOTING.value else SiteKind.POLLING


COUNTING_GUARD_FROM = time(18, 0)  # KST on election day


@dataclass(frozen=True)
class ElectionCalendar:
    """The days an election's sites operate. A voting station operates on its days from 00:00
    KST (its officers are at their posts before the polls open at 06:00); a counting station
    from COUNTING_GUARD_FROM (its guard posts are manned in the evening, before the first boxes
    arrive after 20:00). Both until the end of that date's operation day, 06:00 KST the next
    morning (boxes travel and counting runs overnight). A counting station is not short of
    officers in the morning: it does not operate yet."""

    election_day: date
    early_voting_days: tuple[date, ...]

    def days_of(self, kind: SiteKind) -> tuple[date, ...]:
        return self.early_voting_days if kind == SiteKind.EARLY_VOTING else (self.election_day,)

    def operating(self, kind: SiteKind, now: datetime) -> bool:
        """Whether sites of `kind` operate at `now` (the same instant in any zone)."""
        local = in_operation_zone(now)
        opens = COUNTING_GUARD_FROM if kind == SiteKind.COUNTING else time(0, 0)
        for day in self.days_of(kind):
            start = datetime.combine(day, opens, OPERATION_TZ)
            end = datetime.combine(day + timedelta(days=1), OPERATION_DAY_STARTS_AT, OPERATION_TZ)
            if start <= local < end:
                return True
        return False

    def operating_kinds(self, now: datetime) -> frozenset[SiteKind]:
        return frozenset(k for k in SiteKind if self.operating(k, now))


# The 21st presidential election: early voting on 29 and 30 May 2025, election day 3 June 2025.
# (The server does not send a calendar yet: every console runs this election's.)
ELECTION_2025 = ElectionCalendar(date(2025, 6, 3), (date(2025, 5, 29), date(2025, 5, 30)))


def site_operating(kind: SiteKind, now: datetime, *, is_open: bool = False,
                   calendar: ElectionCalendar = ELECTION_2025) -> bool:
    """The one site-open rule: a site operates on its kind's days (see ElectionCalendar), or
    whenever it is marked open (an open polling station is operating, whatever the calendar).
    A site that does not operate is closed that day: it is never short of officers."""
    return is_open or calendar.operating(kind, now)


def site_short(kind: SiteKind, planned: int, assigned: int, now: datetime, *, is_open: bool = False,
               calendar: ElectionCalendar = ELECTION_2025) -> bool:
    """A site is short iff it operates at `now` and has fewer officers than planned."""
    return assigned < planned and site_operating(kind, now, is_open=is_open, calendar=calendar)
