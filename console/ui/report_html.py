"""The situation report's text as HTML for QTextDocument, in the console's language (context
"Report"): every figure is read from the SituationReport, none computed here."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from console.domain.clock import in_operation_zone, parse_time
from console.domain.duty import DutyLevel
from console.domain.errors import DomainError
from console.domain.incidents import IncidentCategory, IncidentStatus, PriorityCode
from console.ui.i18n import is_korean
from console.ui.labels import duty_reason, label, label_of
from console.ui.qt import QT_TRANSLATE_NOOP, QCoreApplication, fmt
from console.ui.timefmt import age
from console.views.deployment import DeploymentSummary
from console.views.incident_tally import EventKind, SignificantEvent, Tally
from console.views.sitrep import SituationReport

CONTEXT = "Report"
MAX_LATE_EVENTS = 5  # more late boxes than this make one line of the events
ALERT = "#b00020"
STYLE = """
h1 { font-size: 17pt; margin: 0 0 4pt 0; }
h2 { font-size: 11.5pt; margin: 12pt 0 3pt 0; color: #0b3d91; }
table.grid { border-collapse: collapse; margin: 2pt 0 2pt 0; }
table.grid td, table.grid th { border: 1px solid #9aa3ad; padding: 2pt 4pt; }
table.grid th { background: #e8edf3; font-weight: bold; }
td.n { text-align: right; }
.alert { color: #b00020; font-weight: bold; }
.muted { color: #555; }
"""


translate = QCoreApplication.translate  # translate("Report", ...): the form lupdate reads


def e(text: object) -> str:
    return html.escape(str(text))


def wrap(open_tag: str, text: str, close_tag: str) -> str:
    """`text` (escaped) between the tags."""
    return f"{open_tag}{e(text)}{close_tag}"


def kst(moment: datetime | None) -> str:
    """'2025-06-03 20:50 KST'."""
    return in_operation_zone(moment).strftime("%Y-%m-%d %H:%M KST") if moment is not None else "—"


def hm(moment: datetime) -> str:
    return in_operation_zone(moment).strftime("%H:%M")


def num(n: int) -> str:
    return f"{n:,}"


def table(
    head: Sequence[str], rows: Iterable[Sequence[str]], numeric_from: int = 1, width: str = "100%"
) -> str:
    """A bordered table; cells are HTML; columns from `numeric_from` on are right-aligned."""
    out = [f'<table class="grid" width="{width}" cellspacing="0"><thead><tr>']
    out += [f"<th>{h}</th>" for h in head]
    out.append("</tr></thead>")
    for row in rows:
        out.append(
            "<tr>"
            + "".join(
                f'<td class="n">{c}</td>' if i >= numeric_from else f"<td>{c}</td>" for i, c in enumerate(row)
            )
            + "</tr>"
        )
    return "".join(out) + "</table>"


def office_name(report: SituationReport, code: str | None) -> str:
    if not code:
        return "—"
    return e(report.duty.office_name(code, is_korean()))


def level_text(level: DutyLevel | None) -> str:
    return e(label(level)) if level is not None else e(translate("Report", "No emergency duty level"))


def data_age_text(report: SituationReport) -> str:
    """'2025-06-03 20:49 KST (1m old)', in red when made offline or stale."""
    if report.data_as_of is None:
        text = translate("Report", "unknown: the data has not been synced with the server")
    else:
        text = fmt(
            translate("Report", "%1 (%2 old)"), kst(report.data_as_of), age(report.data_age or timedelta(0))
        )
    if report.offline:
        text += " — " + translate("Report", "made offline: the server could not be reached")
    return f'<span class="alert">{e(text)}</span>' if report.stale else e(text)


def heading(report: SituationReport) -> str:
    rows = [
        (e(translate("Report", "Office")), e(report.office.name(is_korean()))),
        (e(translate("Report", "Report time")), e(kst(report.at))),
        (e(translate("Report", "Author")), e(report.author) or "—"),
        (e(translate("Report", "Data as of")), data_age_text(report)),
        (e(translate("Report", "Events since")), e(kst(report.since))),
    ]
    body = "".join(f"<tr><th width='22%'>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return (
        wrap("<h1>", translate("Report", "Situation report"), "</h1>")
        + f'<table class="grid" width="100%" cellspacing="0">{body}</table>'
    )


def remarks_section(report: SituationReport) -> str:
    text = (
        e(report.remarks).replace("\n", "<br>")
        if report.remarks.strip()
        else wrap('<span class="muted">', translate("Report", "No remarks."), "</span>")
    )
    return (
        wrap("<h2>", translate("Report", "Commander's remarks"), "</h2>")
        + f'<table class="grid" width="100%" cellspacing="0"><tr><td>{text}</td></tr></table>'
    )


def duty_section(report: SituationReport) -> str:
    view, s = report.duty, report.staffing
    parts = [wrap("<h2>", translate("Report", "Duty level and compliance"), "</h2>")]
    if view.in_force is not None:
        parts.append(
            "<p>"
            + fmt(
                e(translate("Report", "In force: %1, ordered by %2 from %3 (%4).")),
                "<b>" + level_text(view.in_force.level) + "</b>",
                office_name(report, view.in_force.issuer_code),
                e(kst(_time(view.in_force.effective_from))),
                e(duty_reason(view.in_force)),
            )
            + "</p>"
        )
    else:
        parts.append(
            wrap("<p>", translate("Report", "No emergency duty level is in force for this office."), "</p>")
        )
    if view.issued is not None:
        parts.append(
            "<p>"
            + fmt(
                e(translate("Report", "Latest order issued: %1, acknowledged by %2 of %3 offices.")),
                level_text(view.issued.order.level),
                num(view.issued.acknowledged),
                num(view.issued.targets),
            )
            + "</p>"
        )
    short = f'<span class="alert">{num(s.shortfall)}</span>' if s.shortfall else "0"
    parts.append(
        table(
            [
                e(translate("Report", "On duty")),
                e(translate("Report", "Required")),
                e(translate("Report", "Shortfall")),
                e(translate("Report", "Personnel")),
                e(translate("Report", "Offices short")),
            ],
            [
                [
                    num(s.on_duty),
                    num(s.required),
                    short,
                    num(s.personnel_total),
                    fmt("%1 / %2", num(s.offices_short), num(s.offices)),
                ]
            ],
            numeric_from=0,
        )
    )
    if view.unacknowledged:
        unacked = fmt(
            translate("Report", "%1 duty orders not acknowledged by this office."), len(view.unacknowledged)
        )
        parts.append(wrap('<p class="alert">', unacked, "</p>"))
    return "".join(parts)


def personnel_section(report: SituationReport) -> str:
    title = (
        translate("Report", "Personnel by office below")
        if report.duty.hq
        else translate("Report", "Personnel of this office")
    )
    rows = []
    for p in report.personnel:
        s = p.staffing
        ack = (
            "—"
            if p.acknowledged is None
            else (
                e(translate("Report", "yes"))
                if p.acknowledged
                else wrap('<span class="alert">', translate("Report", "no"), "</span>")
            )
        )
        short = f'<span class="alert">{num(s.shortfall)}</span>' if s.shortfall else "0"
        rows.append(
            [
                e(p.office.name(is_korean())),
                level_text(p.level),
                num(s.on_duty),
                num(s.required),
                short,
                num(s.personnel_total),
                ack,
            ]
        )
    return f"<h2>{e(title)}</h2>" + table(
        [
            e(translate("Report", "Office")),
            e(translate("Report", "Level")),
            e(translate("Report", "On duty")),
            e(translate("Report", "Required")),
            e(translate("Report", "Shortfall")),
            e(translate("Report", "Personnel")),
            e(translate("Report", "Acknowledged")),
        ],
        rows,
        numeric_from=2,
    )


def _tally_row(name: str, t: Tally) -> list[str]:
    return [name, num(t.opened), num(t.closed), num(t.open)]


def incidents_section(report: SituationReport) -> str:
    inc = report.incidents
    head = [
        e(translate("Report", "Category")),
        e(translate("Report", "Opened")),
        e(translate("Report", "Closed")),
        e(translate("Report", "Open now")),
    ]
    period = fmt(
        translate("Report", "Since %1 (the operation day), to %2."), hm(inc.period_start), hm(inc.at)
    )
    by_cat = [_tally_row(e(label(c)), t) for c, t in inc.by_category if t.opened or t.closed or t.open]
    by_cat.append(_tally_row(wrap("<b>", translate("Report", "Total"), "</b>"), inc.total))
    by_code = [_tally_row(e(label(c)), t) for c, t in inc.by_code]
    return (
        wrap("<h2>", translate("Report", "Incidents"), "</h2>")
        + wrap("<p class='muted'>", period, "</p>")
        + table(head, by_cat)
        + "<p></p>"
        + table([e(translate("Report", "112 code")), *head[1:]], by_code)
    )


def _status(raw: str) -> str:
    return e(label_of(IncidentStatus, raw))


def urgent_section(report: SituationReport) -> str:
    rows = []
    for i in report.incidents.urgent:
        state = _status(i.status)
        if i.overdue:
            state = f'<span class="alert">{state} · ' + wrap("", translate("Report", "overdue"), "</span>")
        rows.append(
            [
                e(label_of(PriorityCode, i.code)),
                e(hm(i.created_at)),
                e(i.title_in(is_korean())),
                office_name(report, i.station),
                state,
                e(age(i.age)),
            ]
        )
    body = (
        table(
            [
                e(translate("Report", "Code")),
                e(translate("Report", "Reported")),
                e(translate("Report", "Incident")),
                e(translate("Report", "Station")),
                e(translate("Report", "Status")),
                e(translate("Report", "Age")),
            ],
            rows,
            numeric_from=5,
        )
        if rows
        else wrap("<p>", translate("Report", "None."), "</p>")
    )
    return wrap("<h2>", translate("Report", "Code 0 and 1 incidents"), "</h2>") + body


def major_crimes_section(report: SituationReport) -> str:
    inc = report.incidents
    rows = [_tally_row(e(label(c)), t) for c, t in inc.major_crimes]
    rows.append(_tally_row(wrap("<b>", translate("Report", "Total"), "</b>"), inc.major_crimes_total))
    return wrap("<h2>", translate("Report", "The five major election crimes"), "</h2>") + table(
        [
            e(translate("Report", "Crime")),
            e(translate("Report", "Opened")),
            e(translate("Report", "Closed")),
            e(translate("Report", "Open now")),
        ],
        rows,
    )


def cyber_section(report: SituationReport) -> str:
    inc = report.incidents
    parts = [
        wrap("<h2>", translate("Report", "Cyber and deepfake cases"), "</h2>"),
        "<p>"
        + e(
            fmt(
                translate("Report", "Cases: %1; routed to a provincial cyber investigation unit: %2."),
                len(inc.cyber),
                inc.cyber_routed,
            )
        )
        + "</p>",
    ]
    if inc.cyber:
        parts.append(
            table(
                [
                    e(translate("Report", "Category")),
                    e(translate("Report", "Reported")),
                    e(translate("Report", "Incident")),
                    e(translate("Report", "Station")),
                    e(translate("Report", "Routed to")),
                    e(translate("Report", "Status")),
                ],
                [
                    [
                        e(label_of(IncidentCategory, i.category)),
                        e(hm(i.created_at)),
                        e(i.title_in(is_korean())),
                        office_name(report, i.station),
                        office_name(report, i.routed_to),
                        _status(i.status),
                    ]
                    for i in inc.cyber
                ],
                numeric_from=9,
            )
        )
    return "".join(parts)


def _site_row(name: str, s: DeploymentSummary, polling: bool) -> list[str]:
    short = f'<span class="alert">{num(s.short_sites)}</span>' if s.short_sites else "0"
    return [
        name,
        num(s.sites),
        num(s.polls_open) if polling else "—",
        short,
        fmt("%1 / %2", num(s.assigned), num(s.planned)),
        num(s.closed_sites),
    ]


def sites_section(report: SituationReport) -> str:
    s = report.sites
    return wrap("<h2>", translate("Report", "Polling and counting stations"), "</h2>") + table(
        [
            e(translate("Report", "Sites")),
            e(translate("Report", "Operating")),
            e(translate("Report", "Polls open")),
            e(translate("Report", "Short of officers")),
            e(translate("Report", "Officers (assigned / planned)")),
            e(translate("Report", "Closed")),
        ],
        [
            _site_row(e(translate("Report", "Polling stations")), s.polling, True),
            _site_row(e(translate("Report", "Counting stations")), s.counting, False),
        ],
    )


def boxes_section(report: SituationReport) -> str:
    b = report.boxes
    late = f'<span class="alert">{num(b.late)}</span>' if b.late else "0"
    parts = [
        wrap("<h2>", translate("Report", "Ballot-box transport"), "</h2>"),
        table(
            [
                e(translate("Report", "Routes")),
                e(translate("Report", "Departed")),
                e(translate("Report", "On the way")),
                e(translate("Report", "Arrived")),
                e(translate("Report", "Late")),
                e(translate("Report", "Waiting")),
            ],
            [[num(b.total), num(b.departed), num(b.on_the_way), num(b.arrived), late, num(b.waiting)]],
            numeric_from=0,
        ),
    ]
    if b.late_routes:
        parts.append(
            wrap("<p>", translate("Report", "The latest boxes:"), "</p>")
            + table(
                [
                    e(translate("Report", "Polling station")),
                    e(translate("Report", "Counting station")),
                    e(translate("Report", "Station")),
                    e(translate("Report", "Minutes late")),
                ],
                [
                    [
                        e(item.polling_name),
                        e(item.counting_name),
                        office_name(report, item.station),
                        num(int(minutes)),
                    ]
                    for item, minutes in b.late_routes
                ],
                numeric_from=3,
            )
        )
    return "".join(parts)


def directives_section(report: SituationReport) -> str:
    if not report.directives:
        return ""
    return wrap("<h2>", translate("Report", "Directives"), "</h2>") + table(
        [
            e(translate("Report", "Issued")),
            e(translate("Report", "By")),
            e(translate("Report", "Directive")),
            e(translate("Report", "Priority")),
            e(translate("Report", "Acknowledged")),
        ],
        [
            [
                e(kst(d.issued_at)),
                office_name(report, d.issuer),
                e(d.text_in(is_korean())),
                e(d.priority),
                fmt("%1 / %2", num(d.acknowledged), num(d.targets)),
            ]
            for d in report.directives
        ],
        numeric_from=4,
    )


EVENT_WORDS = {
    EventKind.URGENT_INCIDENT: QT_TRANSLATE_NOOP("Report", "Code 0/1 incident reported"),
    EventKind.MAJOR_CRIME: QT_TRANSLATE_NOOP("Report", "Major election crime reported"),
    EventKind.CYBER_ROUTED: QT_TRANSLATE_NOOP("Report", "Cyber or deepfake case"),
    EventKind.ESCALATED: QT_TRANSLATE_NOOP("Report", "Escalated: not acknowledged in time"),
    EventKind.DUTY_ORDER: QT_TRANSLATE_NOOP("Report", "Duty level in force"),
    EventKind.LATE_BOX: QT_TRANSLATE_NOOP("Report", "Ballot box late"),
}


def event_detail(report: SituationReport, ev: SignificantEvent) -> str:
    korean = is_korean()
    if ev.kind == EventKind.DUTY_ORDER:
        return fmt("%1 — %2", level_text(ev.level), office_name(report, ev.office))
    if ev.kind == EventKind.LATE_BOX:
        return e(
            fmt(
                translate("Report", "%1 (%2): %3 minutes past its planned arrival"),
                ev.title,
                report.duty.office_name(ev.office, korean),
                int(ev.minutes_over),
            )
        )
    return e(
        fmt(
            "%1 · %2 · %3 (%4)",
            label_of(PriorityCode, ev.code),
            label_of(IncidentCategory, ev.category),
            ev.title_in(korean),
            report.duty.office_name(ev.office, korean),
        )
    )


def events_section(report: SituationReport) -> str:
    late = [ev for ev in report.events if ev.kind == EventKind.LATE_BOX]
    listed = [ev for ev in report.events if ev.kind != EventKind.LATE_BOX or len(late) <= MAX_LATE_EVENTS]
    rows = [
        [e(hm(ev.at)), e(translate("Report", EVENT_WORDS[ev.kind])), event_detail(report, ev)]
        for ev in listed
    ]
    if len(late) > MAX_LATE_EVENTS:  # one line for them all: the worst are listed under the boxes
        text = fmt(
            translate(
                "Report", "%1 ballot boxes became late (the latest are listed under ballot-box transport)"
            ),
            len(late),
        )
        rows.append(
            [
                e(hm(late[0].at)) + "–" + e(hm(late[-1].at)),
                e(translate("Report", EVENT_WORDS[EventKind.LATE_BOX])),
                e(text),
            ]
        )
    body = (
        table(
            [
                e(translate("Report", "Time")),
                e(translate("Report", "Event")),
                e(translate("Report", "Details")),
            ],
            rows,
            numeric_from=9,
        )
        if rows
        else wrap("<p>", translate("Report", "None."), "</p>")
    )
    title = fmt(translate("Report", "Significant events since %1"), kst(report.since))
    return wrap("<h2>", title, "</h2>") + body


def pictures_section(map_url: str, chart_urls: Sequence[tuple[str, str]], width: int) -> str:
    parts = [
        wrap(
            '<h2 style="page-break-before: always">', translate("Report", "Map of the jurisdiction"), "</h2>"
        ),
        f'<p><img src="{map_url}" width="{width}"></p>',
    ]
    for n, (title, url) in enumerate(chart_urls):
        # the map and one chart on a page, then two charts a page
        style = ' style="page-break-before: always"' if n % 2 == 1 else ""
        parts.append(f'<h2{style}>{e(title)}</h2><p><img src="{url}" width="{width}"></p>')
    return "".join(parts)


def report_html(report: SituationReport, pictures: str = "") -> str:
    """The whole report's body; `pictures` (pictures_section) goes after the figures."""
    sections = (
        heading(report),
        remarks_section(report),
        duty_section(report),
        personnel_section(report),
        incidents_section(report),
        urgent_section(report),
        major_crimes_section(report),
        cyber_section(report),
        sites_section(report),
        boxes_section(report),
        directives_section(report),
        events_section(report),
        pictures,
    )
    return f"<html><head><style>{STYLE}</style></head><body>{''.join(sections)}</body></html>"


def _time(value: str) -> datetime | None:
    try:
        return parse_time(value) if value else None
    except DomainError:
        return None
