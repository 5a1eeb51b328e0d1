"""The truth: every figure the panels show, counted directly from the server's database (its
`rows` table through SQLAlchemy), for one user's scope at one moment. Written plainly and apart
from the console's read models on purpose: the domain's rules are used (how many officers Level
A requires, which order is in force, the lateness threshold), its counting code is not."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select

from console.domain.clock import OPERATION_TZ, parse_time
from console.domain.duty import DutyOrder, level_in_force, required_on_duty
from console.domain.election import DEFAULT_LATE_THRESHOLD, site_kind, site_operating
from console.domain.records import RecordKind, from_stored
from console.server.embedded import EmbeddedServer
from console.server.tables import RowRecord

K = RecordKind
INHERITED = (K.ORG.value, K.DUTY_ORDER.value)


@dataclass
class ScopeRows:
    """The server's live rows a user may see: kind -> id -> (org_path, data)."""

    by_kind: dict[str, dict[str, tuple[str, dict[str, Any]]]]

    def data(self, kind: RecordKind) -> dict[str, dict[str, Any]]:
        return {i: d for i, (_p, d) in self.by_kind.get(kind.value, {}).items()}

    def paths(self, kind: RecordKind) -> dict[str, str]:
        return {i: p for i, (p, _d) in self.by_kind.get(kind.value, {}).items()}


def scope_rows(server: EmbeddedServer, scope_path: str) -> ScopeRows:
    """Rows under the scope, and the org units and duty orders of the offices above it."""
    assert server.database is not None
    parts = [p for p in scope_path.split("/") if p]
    ancestors = ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts))]
    with server.database.read() as s:
        query = select(RowRecord.kind, RowRecord.id, RowRecord.org_path, RowRecord.data).where(
            RowRecord.deleted.is_(False),
            or_(RowRecord.org_path.startswith(scope_path, autoescape=True),
                RowRecord.kind.in_(INHERITED) & RowRecord.org_path.in_(ancestors)))
        out: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {}
        for kind, id, path, data in s.execute(query):
            out.setdefault(kind, {})[id] = (path, dict(data))
    return ScopeRows(out)


def _time(value: Any) -> datetime | None:
    return parse_time(str(value)) if value else None


def operation_day_start(now: datetime) -> datetime:
    """06:00 KST of the operation day `now` is in (before 06:00: the day before's)."""
    local = now.astimezone(OPERATION_TZ)
    start = local.replace(hour=6, minute=0, second=0, microsecond=0)
    return start if local >= start else start - timedelta(days=1)


def orders(rows: ScopeRows) -> list[DutyOrder]:
    return [from_stored(K.DUTY_ORDER, d) for d in rows.data(K.DUTY_ORDER).values()]


# -- queue -------------------------------------------------------------------------------------
def queue(rows: ScopeRows) -> dict[str, tuple[int, str]]:
    """Incident id -> (112 code, status)."""
    return {i: (int(d["code"]), str(d["status"])) for i, d in rows.data(K.INCIDENT).items()}


# -- duty ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Duty:
    level: str | None  # the level in force for the office (None: no order)
    on_duty: int
    required: int
    total: int
    unacknowledged: tuple[str, ...]  # orders covering the office it has not acknowledged


def duty(rows: ScopeRows, org_code: str, now: datetime) -> Duty:
    all_orders = orders(rows)
    order = level_in_force(all_orders, org_code, now)
    org = rows.data(K.ORG)[org_code]
    total, on_duty = int(org.get("personnel_total") or 0), int(org.get("personnel_on_duty") or 0)
    required = required_on_duty(order.level, total) if order is not None else 0
    waiting = tuple(sorted(o.id for o in all_orders if o.covers(org_code) and not o.cancelled
                           and not o.acknowledged_by(org_code)
                           and (o.effective_until is None or _time(o.effective_until) > now)))  # type: ignore[operator]
    return Duty(order.level.value if order else None, on_duty, required, total, waiting)


@dataclass(frozen=True)
class Staffing:
    on_duty: int
    required: int
    total: int
    offices: int
    offices_short: int

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.on_duty)


def staffing(rows: ScopeRows, path: str, now: datetime) -> Staffing:
    """The office at `path` and every office under it, each against the level in force for it."""
    all_orders = orders(rows)
    on = need = total = n = short = 0
    for code, d in rows.data(K.ORG).items():
        if not str(d.get("path", "")).startswith(path):
            continue
        order = level_in_force(all_orders, code, now)
        count, duty_now = int(d.get("personnel_total") or 0), int(d.get("personnel_on_duty") or 0)
        required = required_on_duty(order.level, count) if order else 0
        on, need, total, n = on + duty_now, need + required, total + count, n + 1
        short += int(duty_now < required)
    return Staffing(on, need, total, n, short)


@dataclass(frozen=True)
class OfficeBelow:
    code: str
    level: str | None  # in force for it now
    acknowledged: bool | None  # of the order in force for it, else the next; None: no order
    staffing: Staffing  # over its subtree


def offices_below(rows: ScopeRows, org_code: str, now: datetime) -> list[OfficeBelow]:
    all_orders = orders(rows)
    out = []
    for code, d in rows.data(K.ORG).items():
        if d.get("parent_code") != org_code:
            continue
        current = level_in_force(all_orders, code, now)
        coming = sorted((o for o in all_orders if o.covers(code) and not o.cancelled
                         and _time(o.effective_from) > now), key=lambda o: (_time(o.effective_from), o.id))  # type: ignore[operator]
        order = current or (coming[0] if coming else None)
        out.append(OfficeBelow(code, current.level.value if current else None,
                               None if order is None else order.acknowledged_by(code),
                               staffing(rows, str(d["path"]), now)))
    return out


def latest_issued(rows: ScopeRows, org_code: str) -> tuple[DutyOrder, int] | None:
    """The latest order the office issued (not cancelled) and how many of its targets acknowledged."""
    mine = [o for o in orders(rows) if o.issuer_code == org_code and not o.cancelled]
    if not mine:
        return None
    order = max(mine, key=lambda o: (_time(o.issued_at), o.id))
    return order, sum(1 for code in order.targets if order.acknowledged_by(code))


# -- deployment ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Deployment:
    """Over the sites that operate now (the domain's site_operating rule); closed ones apart."""

    sites: int
    staffed_sites: int
    short_sites: int
    planned: int
    assigned: int
    polling_sites: int
    polls_open: int
    counting_sites: int
    counting_planned: int
    counting_assigned: int
    closed_sites: int


def sites(rows: ScopeRows, now: datetime) -> list[tuple[str, str, dict[str, Any], bool]]:
    """(record id, org path, data, operating now) of every polling and counting station."""
    out = []
    for kind in (K.POLLING_STATION, K.COUNTING_STATION):
        paths = rows.paths(kind)
        for id, d in rows.data(kind).items():
            site = site_kind(kind.value, d.get("kind"))
            out.append((id, paths[id], d, site_operating(site, now, is_open=bool(d.get("open")))))
    return out


def summarise(items: list[tuple[str, str, dict[str, Any], bool]]) -> Deployment:
    on = [(d, "polling_kind" if "kind" in d else "counting") for _i, _p, d, op in items if op]
    planned = [int(d["officers_planned"]) for d, _k in on]
    assigned = [int(d["officers_assigned"]) for d, _k in on]
    counting = [d for d, k in on if k == "counting"]
    return Deployment(
        len(on), sum(1 for p, a in zip(planned, assigned, strict=True) if a >= p),
        sum(1 for p, a in zip(planned, assigned, strict=True) if a < p), sum(planned), sum(assigned),
        len(on) - len(counting), sum(1 for d, k in on if k != "counting" and d.get("open")),
        len(counting), sum(int(d["officers_planned"]) for d in counting),
        sum(int(d["officers_assigned"]) for d in counting), sum(1 for item in items if not item[3]))


def deployment(rows: ScopeRows, now: datetime) -> Deployment:
    return summarise(sites(rows, now))


def deployment_by_office(rows: ScopeRows, scope_path: str, now: datetime) -> dict[str, Deployment]:
    """Per office directly below the scope's office: offices none of whose sites operate left out."""
    groups: dict[str, list[tuple[str, str, dict[str, Any], bool]]] = {}
    for item in sites(rows, now):
        groups.setdefault(office_below(item[1], scope_path), []).append(item)
    return {office: summarise(items) for office, items in groups.items() if any(i[3] for i in items)}


# -- routes ----------------------------------------------------------------------------------------
def route_state(d: dict[str, Any], now: datetime, threshold: timedelta = DEFAULT_LATE_THRESHOLD) -> str:
    if d.get("state") == "arrived":
        return "arrived"
    departed = _time(d.get("departed_at"))
    if d.get("state") != "departed" or departed is None:
        return "waiting"
    due = departed + timedelta(minutes=int(d["planned_minutes"]))
    return "late" if now > due + threshold else "moving"


def routes(rows: ScopeRows, now: datetime) -> Counter[str]:
    """Routes by what the board shows: waiting, moving, arrived, late."""
    counts: Counter[str] = Counter({"waiting": 0, "moving": 0, "arrived": 0, "late": 0})
    counts.update(route_state(d, now) for d in rows.data(K.ROUTE).values())
    return counts


def office_below(org_path: str, scope_path: str) -> str:
    """The office directly below the scope's office that `org_path` belongs to."""
    parts = [p for p in org_path.split("/") if p]
    return parts[len([p for p in scope_path.split("/") if p])]


def routes_by_office(rows: ScopeRows, scope_path: str, now: datetime) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {}
    paths = rows.paths(K.ROUTE)
    for id, d in rows.data(K.ROUTE).items():
        out.setdefault(office_below(paths[id], scope_path), Counter())[route_state(d, now)] += 1
    return out


# -- units --------------------------------------------------------------------------------------
def units(rows: ScopeRows) -> Counter[str]:
    return Counter(str(d.get("status") or "available") for d in rows.data(K.UNIT).values())


# -- charts -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Charts:
    incidents_by_category: dict[str, int]  # created on the operation day of `now`
    incidents_by_hour: tuple[int, ...]  # 24 bins from 06:00
    personnel: dict[str, tuple[int, int, int]]  # office -> (on duty, required, total) of its subtree
    routes: int
    departed: int
    arrived: int


def charts(rows: ScopeRows, org_code: str, now: datetime) -> Charts:
    start = operation_day_start(now)
    end = start + timedelta(days=1)
    by_category: Counter[str] = Counter()
    by_hour = [0] * 24
    for d in rows.data(K.INCIDENT).values():
        created = _time(d.get("created_at"))
        if created is not None and start <= created < end:
            by_category[str(d["category"])] += 1
            by_hour[int((created - start).total_seconds() // 3600)] += 1
    orgs = rows.data(K.ORG)
    all_orders = orders(rows)
    below = [code for code, d in orgs.items() if d.get("parent_code") == org_code] or [org_code]
    personnel: dict[str, tuple[int, int, int]] = {}
    for office in below:
        path = str(orgs[office]["path"])
        on, need, total = 0, 0, 0
        for code, d in orgs.items():
            if str(d.get("path", "")).startswith(path):
                order = level_in_force(all_orders, code, now)
                count = int(d.get("personnel_total") or 0)
                on += int(d.get("personnel_on_duty") or 0)
                total += count
                need += required_on_duty(order.level, count) if order else 0
        personnel[office] = (on, need, total)
    rs = rows.data(K.ROUTE).values()
    return Charts(dict(by_category), tuple(by_hour), personnel, len(rs),
                  sum(1 for d in rs if d.get("departed_at")), sum(1 for d in rs if d.get("arrived_at")))
