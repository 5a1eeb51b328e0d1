"""The duty panel's figures: the order in force for the user's office and what its level demands,
compliance (an office's own, and rolled up over an office and every office under it), the orders
waiting for this office's acknowledgement and, for an HQ, each office directly below it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from console.domain.clock import time_or_none
from console.domain.duty import (
    DUTY_REQUIREMENTS,
    Acknowledgement,
    DutyLevel,
    DutyOrder,
    DutyRequirement,
    level_in_force,
    precedence,
    required_on_duty,
    shortfall,
)
from console.domain.errors import DomainError
from console.domain.records import RecordKind, from_stored
from console.domain.roles import Role, is_hq
from console.replica.reads import ReplicaReads

K = RecordKind


@dataclass(frozen=True)
class Office:
    code: str
    name_ko: str
    name_en: str
    level: str  # national | provincial | station
    path: str
    parent_code: str | None
    personnel_total: int
    personnel_on_duty: int

    def name(self, korean: bool) -> str:
        return (self.name_ko if korean else self.name_en) or self.code

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Office:
        code = str(data.get("code"))
        return cls(code, str(data.get("name_ko") or code), str(data.get("name_en") or code),
                   str(data.get("level") or ""), str(data.get("path") or ""),
                   data.get("parent_code"), _count(data.get("personnel_total")),
                   _count(data.get("personnel_on_duty")))


@dataclass(frozen=True)
class Staffing:
    """Personnel on duty against what the level in force demands, over one office or summed over
    several (each office against the level in force for it)."""

    personnel_total: int
    on_duty: int
    required: int
    offices: int = 1
    offices_short: int = 0  # offices that are short on their own

    @property
    def meets(self) -> bool:
        return self.shortfall == 0

    @property
    def shortfall(self) -> int:
        return shortfall(self.required, self.on_duty)


@dataclass(frozen=True)
class OfficeBelow:
    """One office directly below an HQ, as its roll-up table shows it."""

    office: Office
    level: DutyLevel | None  # the level in force for it now
    # The order its acknowledgement is about: the one in force for it, else the next one that
    # will be (None: it is under no order, now or to come).
    order: DutyOrder | None
    acknowledgement: Acknowledgement | None
    staffing: Staffing  # rolled up over the office and every office under it

    @property
    def acknowledged(self) -> bool | None:
        """None when there is nothing to acknowledge."""
        return None if self.order is None else self.acknowledgement is not None


@dataclass(frozen=True)
class IssuedOrder:
    """The latest order the user's office issued and how far the offices it covers have taken it up."""

    order: DutyOrder
    in_force: bool
    acknowledged: int
    targets: int


@dataclass(frozen=True)
class DutyView:
    now: datetime
    hq: bool
    # The user's own office; None while the replica does not hold it yet (the first sync has not
    # brought it): nothing here is known then, and a panel must not show "normal duty".
    office: Office | None
    in_force: DutyOrder | None  # the order in force for the user's office
    issuer: Office | None  # the office that issued it
    demands: DutyRequirement | None  # what its level demands
    own: Staffing  # the user's office alone, against its level
    overall: Staffing  # the user's office and every office under it (a station: itself)
    unacknowledged: tuple[DutyOrder, ...]  # covering this office, not acknowledged, not over; newest first
    issued: IssuedOrder | None  # HQ: the latest order this office issued (not cancelled)
    offices_below: tuple[OfficeBelow, ...]  # HQ: the offices directly below, those needing attention first
    targets: tuple[Office, ...]  # HQ: the offices it may order (every office below), by level then code
    offices: dict[str, Office]  # every office the replica holds, by code (names of issuers)
    # The next moment an order comes into force or ends: what is shown holds until then.
    next_change: datetime | None = None

    @property
    def loaded(self) -> bool:
        return self.office is not None

    def office_name(self, code: str, korean: bool) -> str:
        office = self.offices.get(code)
        return office.name(korean) if office else code


def _count(value: Any) -> int:
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        return 0



def read_orders(replica: ReplicaReads) -> list[DutyOrder]:
    orders = []
    for row in replica.rows(K.DUTY_ORDER):
        try:
            # from_stored: an order written by a newer version, with fields this one does not
            # know, is still shown (consoles are updated station by station).
            orders.append(from_stored(K.DUTY_ORDER, dict(row.data)))
        except DomainError:
            continue
    return orders


def not_over(order: DutyOrder, now: datetime) -> bool:
    """In force now or still to come (not cancelled, not ended)."""
    if order.cancelled:
        return False
    until = time_or_none(order.effective_until)
    return until is None or until > now


def next_order(orders: Iterable[DutyOrder], org_code: str, now: datetime) -> DutyOrder | None:
    """The order for an office that comes into force next (None: none is to come)."""
    coming = [o for o in orders if o.covers(org_code) and not o.cancelled
              and (start := time_or_none(o.effective_from)) is not None and start > now]
    return min(coming, key=lambda o: (time_or_none(o.effective_from), o.id)) if coming else None


def next_change(orders: Iterable[DutyOrder], now: datetime) -> datetime | None:
    moments = [m for o in orders if not o.cancelled
               for m in (time_or_none(o.effective_from), time_or_none(o.effective_until))
               if m is not None and m > now]
    return min(moments, default=None)


def office_staffing(office: Office, order: DutyOrder | None) -> Staffing:
    """One office against the level of `order` (no order: nothing beyond the normal watch)."""
    required = required_on_duty(order.level, office.personnel_total) if order else 0
    on_duty = office.personnel_on_duty
    return Staffing(office.personnel_total, on_duty, required, 1, int(on_duty < required))


def rolled_up(parts: Sequence[Staffing]) -> Staffing:
    return Staffing(sum(p.personnel_total for p in parts), sum(p.on_duty for p in parts),
                    sum(p.required for p in parts), sum(p.offices for p in parts),
                    sum(p.offices_short for p in parts))


def subtree(offices: Iterable[Office], path: str) -> list[Office]:
    """The office at `path` and every office under it."""
    return [o for o in offices if o.path.startswith(path)]


def duty_view(replica: ReplicaReads, org_code: str, org_path: str, role: Role | str,
              now: datetime) -> DutyView:
    """Everything the duty panel shows, for a user of `role` at `org_code` (scope `org_path`), at
    `now`. Call on the database worker."""
    offices = {o.code: o for o in (Office.from_data(dict(r.data)) for r in replica.rows(K.ORG))}
    orders = read_orders(replica)
    own = offices.get(org_code)
    hq = is_hq(role)

    in_force_for = {code: level_in_force(orders, code, now) for code in offices}
    staffing = {code: office_staffing(o, in_force_for[code]) for code, o in offices.items()}
    in_force = level_in_force(orders, org_code, now)
    unacked = sorted((o for o in orders if o.covers(org_code) and not o.acknowledged_by(org_code)
                      and not_over(o, now)), key=lambda o: precedence(o)[1:], reverse=True)
    mine = subtree(offices.values(), org_path)
    overall = rolled_up([staffing[o.code] for o in mine]) if mine else Staffing(0, 0, 0, 0)

    issued: IssuedOrder | None = None
    below: list[OfficeBelow] = []
    targets: list[Office] = []
    if hq:
        latest = max((o for o in orders if o.issuer_code == org_code and not o.cancelled),
                     key=lambda o: precedence(o)[1:], default=None)  # by issued_at, then id
        if latest is not None:
            issued = IssuedOrder(latest, latest.in_force(now),
                                 sum(1 for code in latest.targets if latest.acknowledged_by(code)),
                                 len(latest.targets))
        targets = sorted((o for o in mine if o.code != org_code), key=lambda o: (o.level, o.code))
        children = [o for o in offices.values() if o.parent_code == org_code and o.path.startswith(org_path)]
        for child in children:
            current = in_force_for[child.code]
            order = current or next_order(orders, child.code, now)
            below.append(OfficeBelow(
                child, current.level if current else None, order,
                order.acks.get(child.code) if order else None,
                rolled_up([staffing[o.code] for o in subtree(offices.values(), child.path)]),
            ))
        # What needs attention first: not acknowledged, then the largest shortfall.
        below.sort(key=lambda b: (b.acknowledged is not False, -b.staffing.shortfall, b.office.code))

    return DutyView(
        now=now, hq=hq, office=own, in_force=in_force,
        issuer=offices.get(in_force.issuer_code) if in_force else None,
        demands=DUTY_REQUIREMENTS[in_force.level] if in_force else None,
        own=staffing[org_code] if own else Staffing(0, 0, 0, 0),
        overall=overall, unacknowledged=tuple(unacked), issued=issued, offices_below=tuple(below),
        targets=tuple(targets), offices=offices, next_change=next_change(orders, now),
    )
