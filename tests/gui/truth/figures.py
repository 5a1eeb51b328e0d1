"""Each panel's figures against the database: one function per panel, returning what disagrees
(empty: every figure it shows is true). Used through `settle`, which gives a panel the moment it
needs to take in rows that just arrived."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np

from console.domain.duty import DutyLevel
from console.domain.election import RouteDisplayState
from console.domain.incidents import OPEN_STATUSES, IncidentStatus
from console.domain.records import RecordKind
from console.domain.units import UnitStatus
from console.ui.labels import label
from console.ui.qt import QFrame, QLabel
from console.ui.timefmt import age as age_text
from console.views.charts import CATEGORIES, chart_data

from . import dbtruth as db
from .watch import WatchingConsole, numbers, plain, shows_numbers
from .world import NOW

K = RecordKind
OPEN = {s.value for s in OPEN_STATUSES}


def _diff(what: str, shown: Any, true: Any) -> list[str]:
    return [] if shown == true else [f"{what}: shows {shown!r}, the database says {true!r}"]


def _org_names(rows: db.ScopeRows) -> dict[str, str]:
    """org code -> English name (the test consoles are English)."""
    return {code: str(d.get("name_en") or code) for code, d in rows.data(K.ORG).items()}


# -- incident queue ------------------------------------------------------------------------------
def queue(c: WatchingConsole, server: Any, *, all_statuses: bool = False) -> list[str]:
    rows = db.scope_rows(server, c.scope)
    truth = db.queue(rows)
    wanted = {i for i, (_code, status) in truth.items() if all_statuses or status in OPEN}
    table = c.table("incident_queue", "incident_table")
    out = _diff("queue count (shown of total)", numbers(c.text("incident_queue", "queue_count")),
                [len(wanted), len(truth)])
    ids = table.ids()
    out += _diff("queue rows (incident ids)", sorted(ids), sorted(wanted))
    if out:
        return out
    data = rows.data(K.INCIDENT)
    codes, statuses, ages = table.values("112"), table.values("Status"), table.values("Age")
    for n, id in enumerate(ids):
        code, status = truth[id]
        out += _diff(f"queue 112 code of {id}", codes[n], str(code))
        if not statuses[n].startswith(label(IncidentStatus(status))):
            out.append(f"queue status of {id}: shows {statuses[n]!r}, the database says {status!r}")
        created = db._time(data[id]["created_at"])
        assert created is not None
        out += _diff(f"queue age of {id}", ages[n], age_text(NOW - created))
    return out


# -- duty level ----------------------------------------------------------------------------------
HQ_ROLES = ("national_hq", "provincial_hq")


def duty(c: WatchingConsole, server: Any) -> list[str]:
    rows = db.scope_rows(server, c.scope)
    truth = db.duty(rows, c.org, NOW)
    hq = c.ctx.user.role in HQ_ROLES
    issued = db.latest_issued(rows, c.org)
    level_text = c.text("duty_level", "level_in_force")
    compliance = c.text("duty_level", "compliance")
    out: list[str] = []
    if truth.level is not None:
        if label(DutyLevel(truth.level)) not in level_text:
            out.append(f"level in force: shows {level_text!r}, the database says {truth.level}")
    elif hq and issued is not None and issued[0].in_force(NOW):
        # An HQ under no order itself leads with what it ordered for the offices below.
        order, acked = issued
        if label(order.level) not in level_text:
            out.append(f"level ordered for the offices below: shows {level_text!r}, the database says "
                       f"{order.level.value}")
        info = c.text("duty_level", "order_info")
        if not shows_numbers(info, [acked, len(order.targets)]):
            out.append(f"acknowledgements: shows {info!r}, the database says {acked} of {len(order.targets)}")
    elif "Normal duty" not in level_text:
        out.append(f"level in force: shows {level_text!r}, the database has no order in force")
    if hq:
        # An HQ's compliance line sums its office and every office under it.
        s = db.staffing(rows, c.scope, NOW)
        wanted = [s.offices - 1, s.on_duty, s.required, s.total]
        wanted += [s.shortfall] if s.shortfall else []
        wanted += [s.offices_short, s.offices] if s.offices_short and s.offices > 1 else []
        if not shows_numbers(compliance, wanted):
            out.append(f"compliance of the office and those below: shows {compliance!r}, the database says {s}")
        out += _offices_below(c, db.offices_below(rows, c.org, NOW))
    else:
        wanted = [truth.on_duty, truth.required, truth.total] if truth.level else [truth.on_duty, truth.total]
        wanted += [truth.required - truth.on_duty] if truth.required > truth.on_duty else []
        if not shows_numbers(compliance, wanted):
            out.append(f"compliance: shows {compliance!r}, the database says on duty {truth.on_duty}, "
                       f"required {truth.required} of {truth.total}")
    band = c.find("duty_level", QFrame, "unacknowledged_order")
    out += _diff("unacknowledged-order band shown", band.isVisible(), bool(truth.unacknowledged))
    return out


def _offices_below(c: WatchingConsole, offices: list[db.OfficeBelow]) -> list[str]:
    table = c.table("duty_level", "rollup")
    out = _diff("offices below (rows)", len(table), len(offices))
    rows = table.rows()
    for o in offices:
        row = next((r for r in rows if r[table.column("Office")].endswith(f"({o.code})")), None)
        if row is None:
            out.append(f"office {o.code} missing from the offices below")
            continue
        level = row[table.column("Level")]
        out += _diff(f"{o.code} level", level, label(DutyLevel(o.level)) if o.level else "—")
        ack = row[table.column("Acknowledged")]
        shown_ack = None if ack == "—" else ack.startswith("✓")
        out += _diff(f"{o.code} acknowledged", shown_ack, o.acknowledged)
        s = o.staffing
        out += _diff(f"{o.code} on duty (its subtree)", numbers(row[table.column("On duty")]), [s.on_duty])
        out += _diff(f"{o.code} required (its subtree)", numbers(row[table.column("Required")]), [s.required])
        # Short as a whole shows the shortfall; met as a whole with offices short in it, how many.
        verdict = [s.shortfall] if s.shortfall else [s.offices_short, s.offices] if s.offices_short else []
        out += _diff(f"{o.code} compliance", numbers(row[table.column("Compliance")]), verdict)
    return out


# -- deployment ----------------------------------------------------------------------------------
def deployment(c: WatchingConsole, server: Any) -> list[str]:
    rows = db.scope_rows(server, c.scope)
    t = db.deployment(rows, NOW)
    summary = c.text("deployment", "deployment_summary")
    out: list[str] = []
    wanted = [t.staffed_sites, t.sites, t.assigned, t.planned, t.short_sites, t.polling_sites, t.polls_open,
              t.counting_sites, t.counting_assigned, t.counting_planned]
    wanted += [t.closed_sites] if t.closed_sites else []
    if not shows_numbers(summary, wanted):
        out.append(f"deployment summary: shows {summary!r}, the database says {t}")
    table = c.table("deployment", "deployment_table")
    shorts = [sum(numbers(v)) for v in table.values("Short")]
    out += _diff("sites flagged short in the table", sum(1 for n in shorts if n), t.short_sites)
    counting = [numbers(row[table.column("Officers")]) for row in table.rows()
                if row[table.column("Kind")] == "Counting"]
    out += _diff("counting officers in the table (assigned, planned)",
                 [sum(n[0] for n in counting), sum(n[1] for n in counting)],
                 [t.counting_assigned, t.counting_planned])
    if c.ctx.user.role in HQ_ROLES:
        names = _org_names(rows)
        per_office = {names[code]: d for code, d in db.deployment_by_office(rows, c.scope, NOW).items()}
        by_office = c.table("deployment", "deployment_by_office")
        shown = {row[0]: row for row in by_office.rows()}
        out += _diff("deployment offices", sorted(shown), sorted(per_office))
        for office, d in per_office.items():
            row = shown.get(office)
            if row is None:
                continue
            got = [numbers(row[by_office.column(h)]) for h in ("Sites", "Open", "Officers", "Sites short",
                                                               "Counting officers")]
            true = [[d.sites], [d.polls_open], [d.assigned, d.planned], [d.short_sites] if d.short_sites else [],
                    [d.counting_assigned, d.counting_planned]]
            out += _diff(f"deployment of {office}", got, true)
    return out


# -- routes --------------------------------------------------------------------------------------
STATE_LABELS = {label(s): s.value for s in RouteDisplayState}


def routes(c: WatchingConsole, server: Any) -> list[str]:
    rows = db.scope_rows(server, c.scope)
    t = db.routes(rows, NOW)
    total = sum(t.values())
    summary = c.text("routes", "routes_summary")
    out: list[str] = []
    if not shows_numbers(summary, [total, t["waiting"], t["moving"], t["arrived"], t["late"]]):
        out.append(f"routes summary: shows {summary!r}, the database says {dict(t)} of {total}")
    table = c.table("routes", "routes_table")
    states = Counter(STATE_LABELS.get(s, s) for s in table.values("State"))
    out += _diff("route states in the table", {k: states.get(k, 0) for k in t}, dict(t))
    alert = c.find("routes", QLabel, "routes_alert")
    out += _diff("late-box alert shown", alert.isVisible(), t["late"] > 0)
    if t["late"] and not shows_numbers(alert.text(), [t["late"]]):
        out.append(f"late-box alert: shows {plain(alert.text())!r}, the database says {t['late']} late")
    if c.ctx.user.role in ("national_hq", "provincial_hq"):
        names = _org_names(rows)
        per_office = {names[code]: counts for code, counts in db.routes_by_office(rows, c.scope, NOW).items()}
        by_office = c.table("routes", "routes_by_office")
        shown = {row[0]: row for row in by_office.rows()}
        out += _diff("routes offices", sorted(shown), sorted(per_office))
        for office, counts in per_office.items():
            row = shown.get(office)
            if row is None:
                continue
            got = [numbers(row[by_office.column(h)]) for h in ("Routes", "Waiting", "Moving", "Arrived", "Late")]
            true = [[sum(counts.values())]] + [[counts.get(s, 0)] for s in ("waiting", "moving", "arrived", "late")]
            out += _diff(f"routes of {office}", got, true)
    return out


# -- units ---------------------------------------------------------------------------------------
UNIT_LABELS = {label(s): s.value for s in UnitStatus}


def units(c: WatchingConsole, server: Any) -> list[str]:
    rows = db.scope_rows(server, c.scope)
    t = db.units(rows)
    total = sum(t.values())
    out = _diff("units count (shown / total)", numbers(c.text("units", "units_count")), [total, total])
    table = c.table("units", "units_table")
    statuses = Counter(UNIT_LABELS.get(s.replace("⟳", "").strip(), s) for s in table.values("Status"))
    out += _diff("unit statuses in the table", dict(statuses), dict(t))
    data = rows.data(K.UNIT)
    ages = dict(zip(table.ids(), table.values("Position age"), strict=True))
    for id, d in data.items():
        at = db._time(d.get("position_at"))
        if at is not None:
            out += _diff(f"position age of unit {id}", ages.get(id), age_text(NOW - at))
    return out


# -- charts --------------------------------------------------------------------------------------
def _chart_figures(data: Any) -> dict[str, Any]:
    incidents = np.asarray(data.incidents)
    names = [en for _ko, en in data.office_names]
    return {
        "incidents by category": {c.value: int(incidents[i].sum()) for i, c in enumerate(CATEGORIES)
                                  if incidents[i].sum()},
        "incidents by hour from 06:00": tuple(int(v) for v in incidents.sum(axis=0)),
        "personnel (on duty, required, total)": {
            n: (int(a), int(b), int(c)) for n, a, b, c in zip(names, data.on_duty, data.required, data.total,
                                                              strict=True)},
        "routes": int(data.routes),
        "boxes departed": len(data.departed),
        "boxes arrived": len(data.arrived),
    }


def charts_truth(c: WatchingConsole, server: Any) -> dict[str, Any]:
    rows = db.scope_rows(server, c.scope)
    t = db.charts(rows, c.org, NOW)
    names = _org_names(rows)
    return {
        "incidents by category": t.incidents_by_category,
        "incidents by hour from 06:00": t.incidents_by_hour,
        "personnel (on duty, required, total)": {names[o]: v for o, v in t.personnel.items()},
        "routes": t.routes, "boxes departed": t.departed, "boxes arrived": t.arrived,
    }


def charts_view(c: WatchingConsole, server: Any) -> list[str]:
    """The read model the charts draw (console.views.charts) over the real replica."""
    view = _chart_figures(chart_data(c.replica, c.org, NOW))
    truth = charts_truth(c, server)
    return [m for k in truth for m in _diff(f"charts view: {k}", view[k], truth[k])]


def charts_panel(c: WatchingConsole, server: Any) -> list[str]:
    """What the charts panel holds and draws."""
    data = getattr(c.panels["charts"], "data", None)
    if data is None:
        return ["the charts panel has no data"]
    shown = _chart_figures(data)
    truth = charts_truth(c, server)
    return [m for k in truth for m in _diff(f"charts panel: {k}", shown[k], truth[k])]


Figure = Callable[[WatchingConsole, Any], list[str]]
# Every panel's figures, each checked against the database (queue, duty level, deployment,
# ballot-box routes, units, the charts' read model and the charts panel).
EVERY_PANEL: tuple[Figure, ...] = (queue, duty, deployment, routes, units, charts_view, charts_panel)
