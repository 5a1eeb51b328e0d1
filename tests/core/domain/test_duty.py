"""Duty levels: what each demands, compliance, orders and the level in force."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from console.domain.duty import (
    DUTY_REQUIREMENTS,
    CommanderPosture,
    DutyLevel,
    DutyOrder,
    LeavePolicy,
    compliance,
    level_in_force,
    required_on_duty,
)
from console.domain.errors import InvalidValue


def test_five_levels_ranked_a_highest() -> None:
    ranks = [lv.rank for lv in (DutyLevel.LEVEL_A, DutyLevel.LEVEL_B, DutyLevel.LEVEL_C,
                                DutyLevel.HEIGHTENED, DutyLevel.READINESS)]
    assert ranks == [5, 4, 3, 2, 1]


def test_requirements_follow_the_emergency_duty_rules() -> None:
    a, b, c = (DUTY_REQUIREMENTS[x] for x in (DutyLevel.LEVEL_A, DutyLevel.LEVEL_B, DutyLevel.LEVEL_C))
    assert (a.leave, a.mobilisation_share, a.posture) == (LeavePolicy.SUSPENDED, 1.0, CommanderPosture.ON_SITE)
    assert (b.leave, b.mobilisation_share) == (LeavePolicy.SUSPENDED, 0.5)
    assert (c.leave, c.mobilisation_share) == (LeavePolicy.RESTRICTED, 0.3)
    assert DUTY_REQUIREMENTS[DutyLevel.HEIGHTENED].mobilisation_share == 0
    assert a.name_ko == "갑호비상" and DUTY_REQUIREMENTS[DutyLevel.HEIGHTENED].name_ko == "경계강화"


@pytest.mark.parametrize(
    "level,total,required",
    [(DutyLevel.LEVEL_A, 300, 300), (DutyLevel.LEVEL_B, 301, 151), (DutyLevel.LEVEL_C, 100, 30),
     (DutyLevel.LEVEL_C, 101, 31), (DutyLevel.HEIGHTENED, 500, 0), (DutyLevel.READINESS, 0, 0)],
)
def test_required_on_duty_rounds_up(level: DutyLevel, total: int, required: int) -> None:
    assert required_on_duty(level, total) == required


def test_compliance_meets_and_shortfall() -> None:
    short = compliance(DutyLevel.LEVEL_B, 200, 90)
    assert not short.meets and short.shortfall == 10 and short.required == 100
    ok = compliance(DutyLevel.LEVEL_B, 200, 100)
    assert ok.meets and ok.shortfall == 0
    with pytest.raises(InvalidValue):
        compliance(DutyLevel.LEVEL_A, 10, -1)


def order(oid: str, level: str, start: str, until: str | None = None, **kw: object) -> DutyOrder:
    return DutyOrder(id=oid, level=level, issuer_code="NPA", targets=["S1", "S2"],  # type: ignore[arg-type]
                     effective_from=start, effective_until=until, issued_at=start, **kw)  # type: ignore[arg-type]


def test_order_validation() -> None:
    with pytest.raises(InvalidValue, match="duty level"):
        order("o", "level_z", "2026-06-03T06:00:00+09:00")
    with pytest.raises(InvalidValue, match="at least one"):
        DutyOrder(id="o", level=DutyLevel.LEVEL_A, issuer_code="NPA", targets=[],
                  effective_from="2026-06-03T06:00:00+09:00")
    with pytest.raises(InvalidValue, match="after"):
        order("o", "level_a", "2026-06-03T06:00:00+09:00", "2026-06-03T05:00:00+09:00")
    with pytest.raises(InvalidValue, match="ISO"):
        order("o", "level_a", "tomorrow")


def test_level_in_force_is_the_newest_order_covering_the_office_now() -> None:
    campaign = order("o1", "heightened", "2026-05-22T00:00:00+09:00")
    election = order("o2", "level_a", "2026-06-03T06:00:00+09:00", "2026-06-04T06:00:00+09:00")
    orders = [campaign, election]
    before = datetime(2026, 6, 2, 12, tzinfo=UTC)
    during = datetime(2026, 6, 3, 0, tzinfo=UTC)  # 09:00 KST
    after = datetime(2026, 6, 4, 0, tzinfo=UTC)  # 09:00 KST next day: A has expired
    assert level_in_force(orders, "S1", before) is campaign
    assert level_in_force(orders, "S1", during) is election
    assert level_in_force(orders, "S1", after) is campaign
    assert level_in_force(orders, "S9", during) is None
    election.cancelled = True
    assert level_in_force(orders, "S1", during) is campaign
