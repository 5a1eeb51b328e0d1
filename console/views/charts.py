"""The charts' series: incidents per hour by category, personnel on duty against the duty level,
ballot boxes departed and arrived, over the operation day (06:00-06:00 KST)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from console.domain.clock import OperationDay, operation_day, time_or_none
from console.domain.duty import level_in_force
from console.domain.incidents import IncidentCategory
from console.domain.records import RecordKind
from console.replica.reads import ReplicaReads
from console.views.duty import Office, office_staffing, read_orders, rolled_up, subtree

K = RecordKind
CATEGORIES: list[IncidentCategory] = list(IncidentCategory)
MAX_OFFICES = 40


@dataclass
class ChartData:
    """Everything the three charts draw. Hours count from 00:00 KST of the day's date, so the
    day's bins are hours 6 .. 29 and a box arriving at 01:30 the next morning is at 25.5."""

    day: OperationDay
    now_hour: float
    incidents: np.ndarray  # (categories, 24): bin 0 is 06:00-06:59, bin 23 is 05:00-05:59
    office_names: list[tuple[str, str]]  # (name_ko, name_en)
    on_duty: np.ndarray
    required: np.ndarray
    total: np.ndarray
    departed: np.ndarray  # hours (see above) at which each box departed
    arrived: np.ndarray
    routes: int



def offices_for(user_org: str, orgs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The offices a user's roll-up shows: the offices directly below an HQ, or the station itself."""
    children = [o for o in orgs if o.get("parent_code") == user_org]
    if children:
        return sorted(children, key=lambda o: str(o.get("code")))[:MAX_OFFICES]
    return [o for o in orgs if o.get("code") == user_org]


def chart_data(replica: ReplicaReads, user_org: str, now: datetime) -> ChartData:
    day = operation_day(now)
    counts = np.zeros((len(CATEGORIES), 24))
    index = {c.value: i for i, c in enumerate(CATEGORIES)}
    for row in replica.rows(K.INCIDENT):
        created = time_or_none(row.data.get("created_at"))
        hour = day.hour_bin(created) if created is not None else None
        if hour is not None:
            counts[index.get(str(row.data.get("category")), len(CATEGORIES) - 1), hour] += 1

    # Personnel: each office below against the level in force for it, rolled up over its subtree,
    # by the duty panel's rule (console.views.duty), so both panels show the same figures.
    orgs = [dict(r.data) for r in replica.rows(K.ORG)]
    offices = offices_for(user_org, orgs)
    everyone = [Office.from_data(o) for o in orgs]
    orders = read_orders(replica)
    staffing = [rolled_up([office_staffing(o, level_in_force(orders, o.code, now))
                           for o in subtree(everyone, str(office.get("path")))]) for office in offices]
    on_duty = [s.on_duty for s in staffing]
    required = [s.required for s in staffing]
    total = [s.personnel_total for s in staffing]

    departed, arrived = [], []
    routes = 0
    for row in replica.rows(K.ROUTE):
        routes += 1
        d = time_or_none(row.data.get("departed_at"))
        a = time_or_none(row.data.get("arrived_at"))
        if d is not None:
            departed.append(day.hours(d))
        if a is not None:
            arrived.append(day.hours(a))
    return ChartData(day, day.hours(now), counts,
                     [(str(o.get("name_ko", o["code"])), str(o.get("name_en", o["code"]))) for o in offices],
                     np.asarray(on_duty, float), np.asarray(required, float), np.asarray(total, float),
                     np.asarray(departed, float), np.asarray(arrived, float), routes)
