"""The situation report's incident sections as HTML: counts by category and 112 code, code 0/1
incidents, the five major election crimes, cyber and deepfake cases, significant events."""

from __future__ import annotations

from console.domain.incidents import IncidentCategory, IncidentStatus, PriorityCode
from console.ui.i18n import is_korean
from console.ui.labels import label, label_of
from console.ui.qt import QT_TRANSLATE_NOOP, fmt
from console.ui.report_markup import e, hm, kst, level_text, num, office_name, table, translate, wrap
from console.ui.timefmt import age
from console.views.incident_tally import EventKind, SignificantEvent, Tally
from console.views.sitrep import SituationReport

MAX_LATE_EVENTS = 5  # more late boxes than this make one line of the events


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
