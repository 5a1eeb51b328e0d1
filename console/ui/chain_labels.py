"""Words of the chain of command in the console's language (context "Chain"): directive
priorities, the states of a scheduled report, the activity log's own kinds."""

from __future__ import annotations

from typing import Any

from console.domain.directives import DirectivePriority
from console.domain.duty import DutyLevel
from console.domain.handovers import ActivityKind
from console.domain.reporting import SlotState
from console.ui.labels import label_of, timeline_text
from console.ui.qt import QT_TRANSLATE_NOOP, QCoreApplication, fmt

CONTEXT = "Chain"

PRIORITIES = {
    DirectivePriority.URGENT: QT_TRANSLATE_NOOP("Chain", "Urgent"),
    DirectivePriority.IMPORTANT: QT_TRANSLATE_NOOP("Chain", "Important"),
    DirectivePriority.ROUTINE: QT_TRANSLATE_NOOP("Chain", "Routine"),
}
STATES = {
    SlotState.UPCOMING: QT_TRANSLATE_NOOP("Chain", "Upcoming"),
    SlotState.DUE: QT_TRANSLATE_NOOP("Chain", "Due"),
    SlotState.OVERDUE: QT_TRANSLATE_NOOP("Chain", "Overdue"),
    SlotState.SUBMITTED: QT_TRANSLATE_NOOP("Chain", "Submitted"),
    SlotState.LATE: QT_TRANSLATE_NOOP("Chain", "Submitted late"),
}
ACTIVITIES = {
    ActivityKind.ORDER_ACKNOWLEDGED: QT_TRANSLATE_NOOP("Chain", "Duty order acknowledged (%1)"),
    ActivityKind.DIRECTIVE_ACKNOWLEDGED: QT_TRANSLATE_NOOP("Chain", "Directive acknowledged: %1"),
    ActivityKind.DIRECTIVE_ISSUED: QT_TRANSLATE_NOOP("Chain", "Directive issued to %2 offices: %1"),
    ActivityKind.REPORT_SUBMITTED: QT_TRANSLATE_NOOP("Chain", "Situation report submitted (version %1)"),
    ActivityKind.HANDOVER_TAKEN: QT_TRANSLATE_NOOP("Chain", "Shift taken over"),
}
FIGURE_NAMES = {
    "on_duty": QT_TRANSLATE_NOOP("Chain", "On duty"),
    "required": QT_TRANSLATE_NOOP("Chain", "Required"),
    "incidents_opened": QT_TRANSLATE_NOOP("Chain", "Incidents opened today"),
    "incidents_closed": QT_TRANSLATE_NOOP("Chain", "Incidents closed today"),
    "incidents_open": QT_TRANSLATE_NOOP("Chain", "Incidents open"),
    "urgent": QT_TRANSLATE_NOOP("Chain", "Code 0/1"),
    "major_crimes_open": QT_TRANSLATE_NOOP("Chain", "Major election crimes open"),
    "cyber_routed": QT_TRANSLATE_NOOP("Chain", "Cyber cases routed"),
    "sites": QT_TRANSLATE_NOOP("Chain", "Sites operating"),
    "sites_short": QT_TRANSLATE_NOOP("Chain", "Sites short of officers"),
    "sites_closed": QT_TRANSLATE_NOOP("Chain", "Sites closed"),
    "boxes_departed": QT_TRANSLATE_NOOP("Chain", "Ballot boxes departed"),
    "boxes_arrived": QT_TRANSLATE_NOOP("Chain", "Ballot boxes arrived"),
    "boxes_late": QT_TRANSLATE_NOOP("Chain", "Ballot boxes late"),
    "events": QT_TRANSLATE_NOOP("Chain", "Significant events"),
}


def ctr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def priority_label(value: str) -> str:
    try:
        return ctr(PRIORITIES[DirectivePriority(value)])
    except ValueError:
        return value


def state_label(value: str) -> str:
    try:
        return ctr(STATES[SlotState(value)])
    except ValueError:
        return value


def figure_label(name: str) -> str:
    return ctr(FIGURE_NAMES[name]) if name in FIGURE_NAMES else name


def bilingual(korean_text: str, english: str, korean: bool) -> str:
    """A text an officer wrote in Korean, shown in English where they gave one."""
    return korean_text if korean or not english else english


def activity_text(entry: dict[str, Any], korean: bool) -> str:
    """One line of the activity log in the console's language."""
    kind, params = entry.get("kind") or "", entry.get("params") or {}
    try:
        own = ActivityKind(kind)
    except ValueError:
        own = None
    if own is not None:
        text = bilingual(str(params.get("text") or ""), str(params.get("text_en") or ""), korean)
        if own == ActivityKind.ORDER_ACKNOWLEDGED:
            return fmt(ctr(ACTIVITIES[own]), label_of(DutyLevel, params.get("level")))
        if own == ActivityKind.DIRECTIVE_ISSUED:
            return fmt(ctr(ACTIVITIES[own]), text, params.get("targets", 0))
        if own == ActivityKind.REPORT_SUBMITTED:
            return fmt(ctr(ACTIVITIES[own]), params.get("version", 1))
        return fmt(ctr(ACTIVITIES[own]), text)
    if kind and entry.get("source") == "timeline":
        title = bilingual(str(params.get("incident") or ""), str(params.get("incident_en") or ""), korean)
        worded = timeline_text({"kind": kind, "params": params, "text": entry.get("what", "")})
        # A creation names the incident already (code, category, title).
        return f"{title}: {worded}" if title and kind != "created" else worded
    return str(entry.get("what") or "")
