"""Emergency duty levels (경찰 비상업무 규칙), what each demands, orders and compliance."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from console.domain.clock import parse_time
from console.domain.errors import InvalidValue


class DutyLevel(StrEnum):
    """Five levels; `rank` orders them, 5 is the highest (갑호)."""

    LEVEL_A = "level_a"  # 갑호비상
    LEVEL_B = "level_b"  # 을호비상
    LEVEL_C = "level_c"  # 병호비상
    HEIGHTENED = "heightened"  # 경계강화
    READINESS = "readiness"  # 작전준비태세

    @property
    def rank(self) -> int:
        return DUTY_REQUIREMENTS[self].rank


class LeavePolicy(StrEnum):
    SUSPENDED = "suspended"
    RESTRICTED = "restricted"
    NORMAL = "normal"


class CommanderPosture(StrEnum):
    ON_SITE = "on_site"  # 정착: at the office or on site
    IN_JURISDICTION = "in_jurisdiction"  # 정위치: inside the jurisdiction
    ON_COMMAND_LINE = "on_command_line"  # 지휘선상: reachable, on site within 1 hour
    ON_CALL = "on_call"  # reachable on call


@dataclass(frozen=True)
class DutyRequirement:
    """What a level demands of a station, as data."""

    level: DutyLevel
    rank: int
    name_ko: str
    name_en: str
    leave: LeavePolicy
    mobilisation_share: float  # share of available personnel that must be on duty
    posture: CommanderPosture
    description_en: str
    description_ko: str


DUTY_REQUIREMENTS: dict[DutyLevel, DutyRequirement] = {
    r.level: r
    for r in (
        DutyRequirement(
            DutyLevel.LEVEL_A, 5, "갑호비상", "Level A", LeavePolicy.SUSPENDED, 1.0,
            CommanderPosture.ON_SITE,
            "Leave suspended; up to 100% of personnel mobilised; commanders at the office or on site.",
            "연가 중지, 가용경력 100%까지 동원, 지휘관·참모 정착 근무",
        ),
        DutyRequirement(
            DutyLevel.LEVEL_B, 4, "을호비상", "Level B", LeavePolicy.SUSPENDED, 0.5,
            CommanderPosture.IN_JURISDICTION,
            "Leave suspended; up to 50% of personnel mobilised; commanders inside the jurisdiction.",
            "연가 중지, 가용경력 50%까지 동원, 지휘관·참모 정위치 근무",
        ),
        DutyRequirement(
            DutyLevel.LEVEL_C, 3, "병호비상", "Level C", LeavePolicy.RESTRICTED, 0.3,
            CommanderPosture.IN_JURISDICTION,
            "Leave restricted unless unavoidable; up to 30% mobilised; commanders in the jurisdiction.",
            "연가 억제, 가용경력 30%까지 동원, 지휘관·참모 정위치 또는 지휘선상 위치",
        ),
        DutyRequirement(
            DutyLevel.HEIGHTENED, 2, "경계강화", "Heightened alert", LeavePolicy.NORMAL, 0.0,
            CommanderPosture.ON_COMMAND_LINE,
            "No extra mobilisation; contact chain kept; operations units on standby; "
            "commanders reachable and on site within 1 hour.",
            "별도 동원 없음, 비상연락망 유지, 작전부대 출동대기, 지휘관·참모 지휘선상 위치",
        ),
        DutyRequirement(
            DutyLevel.READINESS, 1, "작전준비태세", "Operational readiness", LeavePolicy.NORMAL, 0.0,
            CommanderPosture.ON_CALL,
            "Normal duty plus equipment checks; commanders reachable on call.",
            "정상 근무, 장비 점검, 지휘관·참모 비상연락 유지",
        ),
    )
}


def shortfall(required: int, on_duty: int) -> int:
    """Personnel missing against what the level demands (0 when it is met)."""
    return max(0, required - on_duty)


@dataclass(frozen=True)
class Compliance:
    level: DutyLevel
    required: int
    on_duty: int
    personnel_total: int

    @property
    def meets(self) -> bool:
        return self.shortfall == 0

    @property
    def shortfall(self) -> int:
        return shortfall(self.required, self.on_duty)


def required_on_duty(level: DutyLevel, personnel_total: int) -> int:
    """Personnel that must be on duty at `level`. Levels without mobilisation still need the
    normal watch, which a station always meets, so the requirement is 0 there."""
    if personnel_total < 0:
        raise InvalidValue("personnel total cannot be negative")
    return math.ceil(DUTY_REQUIREMENTS[DutyLevel(level)].mobilisation_share * personnel_total - 1e-9)


def compliance(level: DutyLevel, personnel_total: int, on_duty: int) -> Compliance:
    if on_duty < 0:
        raise InvalidValue("personnel on duty cannot be negative")
    return Compliance(DutyLevel(level), required_on_duty(level, personnel_total), on_duty,
                      personnel_total)


@dataclass
class Acknowledgement:
    by: str
    at: str  # ISO 8601 UTC


@dataclass
class DutyOrder:
    """An order, issued by a higher office, putting the offices of `targets` on `level`."""

    id: str
    level: DutyLevel
    issuer_code: str
    targets: list[str]  # org codes of the stations (or provinces) covered
    effective_from: str  # ISO 8601
    effective_until: str | None = None
    reason: str = ""  # as its issuer wrote it (in Korean, by Korean police)
    # The reason in English, where the issuer gave one: an English console shows it instead.
    # Like the incidents' title / title_en.
    reason_en: str = ""
    issued_by: str = ""
    issued_at: str = ""
    acks: dict[str, Acknowledgement] = field(default_factory=dict)
    cancelled: bool = False

    def __post_init__(self) -> None:
        try:
            self.level = DutyLevel(self.level)
        except ValueError:
            raise InvalidValue(f"unknown duty level {self.level!r}") from None
        if not self.targets:
            raise InvalidValue("a duty order must cover at least one office")
        self.reason_en = str(self.reason_en or "").strip()
        start = parse_time(self.effective_from, "effective_from")
        if self.effective_until is not None:
            end = parse_time(self.effective_until, "effective_until")
            if end <= start:
                raise InvalidValue("effective_until must be after effective_from")
        self.acks = {
            k: v if isinstance(v, Acknowledgement) else Acknowledgement(**v)
            for k, v in self.acks.items()
        }

    def in_force(self, at: datetime) -> bool:
        if self.cancelled:
            return False
        if parse_time(self.effective_from, "effective_from") > at:
            return False
        return self.effective_until is None or parse_time(self.effective_until, "until") > at

    def covers(self, org_code: str) -> bool:
        return org_code in self.targets

    def acknowledged_by(self, org_code: str) -> bool:
        return org_code in self.acks


def _instant(value: str | None) -> datetime:
    """An order's time as an instant to compare by; an order without one (an older row with no
    issued_at) sorts first."""
    if not value:
        return _EARLIEST
    try:
        return parse_time(value)
    except InvalidValue:
        return _EARLIEST


_EARLIEST = datetime.min.replace(tzinfo=UTC)


def precedence(order: DutyOrder) -> tuple[datetime, datetime, str]:
    """Which of two orders in force for an office wins: the one in force from later, then the one
    issued later. Compared as instants: the wire keeps times as written (an order given as
    06:00+09:00 and another as 21:00Z the day before are the same moment), so the text's order is
    not time's order."""
    return _instant(order.effective_from), _instant(order.issued_at), order.id


def level_in_force(orders: list[DutyOrder], org_code: str, at: datetime) -> DutyOrder | None:
    """The order in force for an office: of the orders covering it now, the latest issued
    (an office above lowers a level by issuing a new order, so the newest wins)."""
    current = [o for o in orders if o.covers(org_code) and o.in_force(at)]
    if not current:
        return None
    return max(current, key=precedence)

