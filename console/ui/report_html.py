"""The situation report's text as HTML for QTextDocument, in the console's language (context
"Report"): every figure is read from the SituationReport, none computed here. The incident
sections are in report_incidents_html, the pieces in report_markup."""

from __future__ import annotations

from collections.abc import Sequence

from console.domain.clock import time_or_none
from console.ui.i18n import is_korean
from console.ui.labels import duty_reason
from console.ui.qt import fmt
from console.ui.report_incidents_html import (
    cyber_section,
    events_section,
    incidents_section,
    major_crimes_section,
    urgent_section,
)
from console.ui.report_markup import (
    STYLE,
    data_age_text,
    e,
    kst,
    level_text,
    num,
    office_name,
    table,
    translate,
    wrap,
)
from console.views.deployment import DeploymentSummary
from console.views.sitrep import SituationReport

__all__ = ["data_age_text", "kst", "pictures_section", "report_html"]


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
                e(kst(time_or_none(view.in_force.effective_from))),
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

