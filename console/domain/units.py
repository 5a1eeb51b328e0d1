"""Units a station commands or calls on, with status and position."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from console.domain.errors import InvalidValue
from console.domain.incidents import validate_position


class UnitType(StrEnum):
    PATROL_CAR = "patrol_car"  # 순찰차
    LOCAL_UNIT = "local_unit"  # 지구대/파출소
    MOBILE_UNIT = "mobile_unit"  # 기동대 (provincial)
    MOBILE_PATROL = "mobile_patrol"  # 기동순찰대
    INVESTIGATION = "investigation"  # 형사
    INTELLIGENCE = "intelligence"  # 정보
    STRIKE_SQUAD = "strike_squad"  # 거점 타격대
    CYBER = "cyber"  # 사이버수사대 (provincial)


class UnitStatus(StrEnum):
    AVAILABLE = "available"
    DISPATCHED = "dispatched"
    ON_SCENE = "on_scene"
    RETURNING = "returning"
    OFF_DUTY = "off_duty"


@dataclass
class Unit:
    id: str
    callsign: str
    type: UnitType
    station_code: str
    status: UnitStatus = UnitStatus.AVAILABLE
    lat: float | None = None
    lon: float | None = None
    position_at: str | None = None
    personnel: int = 2
    incident_id: str | None = None

    def __post_init__(self) -> None:
        try:
            self.type = UnitType(self.type)
            self.status = UnitStatus(self.status)
        except ValueError as exc:
            raise InvalidValue(f"unit {self.id}: {exc}") from None
        if not self.callsign.strip():
            raise InvalidValue(f"unit {self.id}: a call sign is required")
        if (self.lat is None) != (self.lon is None):
            raise InvalidValue(f"unit {self.id}: give both latitude and longitude or neither")
        if self.lat is not None and self.lon is not None:
            validate_position(self.lat, self.lon)
        if self.personnel < 0:
            raise InvalidValue(f"unit {self.id}: personnel cannot be negative")
