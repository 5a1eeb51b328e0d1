"""Election sites: polling stations, counting stations and ballot-box return routes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from console.domain.clock import parse_time
from console.domain.errors import IllegalTransition, InvalidValue
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

DEFAULT_LATE_THRESHOLD = timedelta(minutes=15)


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
        parse_time(at, "at")
        if to == RouteState.DEPARTED:
            self.departed_at = at
        else:
            self.arrived_at = at
        self.state = to

    def due_at(self) -> datetime | None:
        if self.departed_at is None:
            return None
        return parse_time(self.departed_at) + timedelta(minutes=self.planned_minutes)

    def display_state(
        self, now: datetime, late_threshold: timedelta = DEFAULT_LATE_THRESHOLD
    ) -> RouteDisplayState:
        if self.state == RouteState.ARRIVED:
            return RouteDisplayState.ARRIVED
        if self.state == RouteState.WAITING:
            return RouteDisplayState.WAITING
        due = self.due_at()
        if due is not None and now > due + late_threshold:
            return RouteDisplayState.LATE
        return RouteDisplayState.MOVING
