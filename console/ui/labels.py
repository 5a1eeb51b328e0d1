"""Display labels of the domain's enum values, translated (context "Labels"), the wording
of incident timelines and titles in the console's language (context "Timeline"), and of sync
failures for a person: what happened and what to do (context "SyncFailure")."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from console.domain.duty import CommanderPosture, DutyLevel, DutyOrder, LeavePolicy
from console.domain.election import RouteDisplayState
from console.domain.incidents import (
    IncidentCategory,
    IncidentStatus,
    PriorityCode,
    Remark,
    TimelineKind,
    timeline_params,
)
from console.domain.org import OrgLevel
from console.domain.roles import Role
from console.domain.units import UnitStatus, UnitType
from console.sync.events import FailureKind, SyncFailure
from console.ui.i18n import is_korean
from console.ui.qt import QT_TRANSLATE_NOOP, QCoreApplication, fmt

CONTEXT = "Labels"

# Keyed by (enum type, value), not by member: members of different StrEnums with equal values
# (an incident's and a unit's "dispatched") are equal as dict keys and would overwrite each other.
_LABELLED: tuple[tuple[Enum, str], ...] = (
    (IncidentCategory.BRIBERY, QT_TRANSLATE_NOOP("Labels", "Bribery")),
    (IncidentCategory.FALSE_INFORMATION, QT_TRANSLATE_NOOP("Labels", "False information")),
    (IncidentCategory.OFFICIAL_INVOLVEMENT, QT_TRANSLATE_NOOP("Labels", "Official involvement")),
    (IncidentCategory.ELECTION_VIOLENCE, QT_TRANSLATE_NOOP("Labels", "Election violence")),
    (IncidentCategory.ILLEGAL_ORGANISATION, QT_TRANSLATE_NOOP("Labels", "Illegal organisation")),
    (IncidentCategory.DEEPFAKE, QT_TRANSLATE_NOOP("Labels", "Deepfake")),
    (IncidentCategory.CYBER_ATTACK, QT_TRANSLATE_NOOP("Labels", "Cyber attack")),
    (IncidentCategory.VIOLENCE, QT_TRANSLATE_NOOP("Labels", "Violence")),
    (IncidentCategory.DISORDER, QT_TRANSLATE_NOOP("Labels", "Polling station disorder")),
    (IncidentCategory.BALLOT_TRANSPORT, QT_TRANSLATE_NOOP("Labels", "Ballot-box transport")),
    (IncidentCategory.CANDIDATE_PROTECTION, QT_TRANSLATE_NOOP("Labels", "Candidate protection")),
    (IncidentCategory.PROTEST, QT_TRANSLATE_NOOP("Labels", "Protest / rally")),
    (IncidentCategory.OTHER, QT_TRANSLATE_NOOP("Labels", "Other")),
    (IncidentStatus.NEW, QT_TRANSLATE_NOOP("Labels", "New")),
    (IncidentStatus.ACKNOWLEDGED, QT_TRANSLATE_NOOP("Labels", "Acknowledged")),
    (IncidentStatus.DISPATCHED, QT_TRANSLATE_NOOP("Labels", "Dispatched")),
    (IncidentStatus.ON_SCENE, QT_TRANSLATE_NOOP("Labels", "On scene")),
    (IncidentStatus.RESOLVED, QT_TRANSLATE_NOOP("Labels", "Resolved")),
    (IncidentStatus.CLOSED, QT_TRANSLATE_NOOP("Labels", "Closed")),
    (PriorityCode.CODE_0, QT_TRANSLATE_NOOP("Labels", "Code 0")),
    (PriorityCode.CODE_1, QT_TRANSLATE_NOOP("Labels", "Code 1")),
    (PriorityCode.CODE_2, QT_TRANSLATE_NOOP("Labels", "Code 2")),
    (PriorityCode.CODE_3, QT_TRANSLATE_NOOP("Labels", "Code 3")),
    (PriorityCode.CODE_4, QT_TRANSLATE_NOOP("Labels", "Code 4")),
    (UnitStatus.AVAILABLE, QT_TRANSLATE_NOOP("Labels", "Available")),
    (UnitStatus.DISPATCHED, QT_TRANSLATE_NOOP("Labels", "Dispatched")),
    (UnitStatus.ON_SCENE, QT_TRANSLATE_NOOP("Labels", "On scene")),
    (UnitStatus.RETURNING, QT_TRANSLATE_NOOP("Labels", "Returning")),
    (UnitStatus.OFF_DUTY, QT_TRANSLATE_NOOP("Labels", "Off duty")),
    (UnitType.PATROL_CAR, QT_TRANSLATE_NOOP("Labels", "Patrol car")),
    (UnitType.LOCAL_UNIT, QT_TRANSLATE_NOOP("Labels", "Local unit")),
    (UnitType.MOBILE_UNIT, QT_TRANSLATE_NOOP("Labels", "Mobile unit")),
    (UnitType.MOBILE_PATROL, QT_TRANSLATE_NOOP("Labels", "Mobile patrol unit")),
    (UnitType.INVESTIGATION, QT_TRANSLATE_NOOP("Labels", "Criminal investigation")),
    (UnitType.INTELLIGENCE, QT_TRANSLATE_NOOP("Labels", "Intelligence")),
    (UnitType.STRIKE_SQUAD, QT_TRANSLATE_NOOP("Labels", "Strike squad")),
    (UnitType.CYBER, QT_TRANSLATE_NOOP("Labels", "Cyber investigation")),
    (DutyLevel.LEVEL_A, QT_TRANSLATE_NOOP("Labels", "Level A")),
    (DutyLevel.LEVEL_B, QT_TRANSLATE_NOOP("Labels", "Level B")),
    (DutyLevel.LEVEL_C, QT_TRANSLATE_NOOP("Labels", "Level C")),
    (DutyLevel.HEIGHTENED, QT_TRANSLATE_NOOP("Labels", "Heightened alert")),
    (DutyLevel.READINESS, QT_TRANSLATE_NOOP("Labels", "Operational readiness")),
    (LeavePolicy.SUSPENDED, QT_TRANSLATE_NOOP("Labels", "Leave suspended")),
    (LeavePolicy.RESTRICTED, QT_TRANSLATE_NOOP("Labels", "Leave restricted")),
    (LeavePolicy.NORMAL, QT_TRANSLATE_NOOP("Labels", "Leave as normal")),
    (CommanderPosture.ON_SITE, QT_TRANSLATE_NOOP("Labels", "At the office or on site")),
    (CommanderPosture.IN_JURISDICTION, QT_TRANSLATE_NOOP("Labels", "Inside the jurisdiction")),
    (CommanderPosture.ON_COMMAND_LINE, QT_TRANSLATE_NOOP("Labels", "Reachable, on site within 1 hour")),
    (CommanderPosture.ON_CALL, QT_TRANSLATE_NOOP("Labels", "Reachable on call")),
    (RouteDisplayState.WAITING, QT_TRANSLATE_NOOP("Labels", "Waiting")),
    (RouteDisplayState.MOVING, QT_TRANSLATE_NOOP("Labels", "Moving")),
    (RouteDisplayState.ARRIVED, QT_TRANSLATE_NOOP("Labels", "Arrived")),
    (RouteDisplayState.LATE, QT_TRANSLATE_NOOP("Labels", "Late")),
    (Role.NATIONAL_HQ, QT_TRANSLATE_NOOP("Labels", "National HQ")),
    (Role.PROVINCIAL_HQ, QT_TRANSLATE_NOOP("Labels", "Provincial HQ")),
    (Role.STATION_COMMANDER, QT_TRANSLATE_NOOP("Labels", "Station commander")),
    (Role.STATION_OPERATOR, QT_TRANSLATE_NOOP("Labels", "Station operator")),
    (Role.VIEWER, QT_TRANSLATE_NOOP("Labels", "Viewer")),
    (OrgLevel.NATIONAL, QT_TRANSLATE_NOOP("Labels", "National HQ")),
    (OrgLevel.PROVINCIAL, QT_TRANSLATE_NOOP("Labels", "Provincial agency")),
    (OrgLevel.STATION, QT_TRANSLATE_NOOP("Labels", "Police station")),
)

# Timeline entry kinds of an incident (free strings in the domain).
TIMELINE_KINDS: dict[str, str] = {
    "created": QT_TRANSLATE_NOOP("Labels", "created"),
    "status": QT_TRANSLATE_NOOP("Labels", "status"),
    "assigned": QT_TRANSLATE_NOOP("Labels", "assigned"),
    "note": QT_TRANSLATE_NOOP("Labels", "note"),
    "routed": QT_TRANSLATE_NOOP("Labels", "routed"),
    "escalated": QT_TRANSLATE_NOOP("Labels", "escalated"),
    "edited": QT_TRANSLATE_NOOP("Labels", "edited"),
    "reopened": QT_TRANSLATE_NOOP("Labels", "reopened"),
}

LABELS: dict[tuple[type, object], str] = {(type(member), member.value): text for member, text in _LABELLED}


def label(value: Enum) -> str:
    """The translated label of an enum member (its raw value if it has none)."""
    text = LABELS.get((type(value), value.value))
    if text is None:
        return str(value.value)
    return QCoreApplication.translate(CONTEXT, text)


def label_of(enum_type: type[Enum], raw: object) -> str:
    """The label of a raw wire value (e.g. 'on_scene') of `enum_type`; the raw value if unknown."""
    text = LABELS.get((enum_type, raw))
    if text is None:
        try:
            text = LABELS.get((enum_type, enum_type(raw).value))
        except (ValueError, TypeError):
            text = None
    return QCoreApplication.translate(CONTEXT, text) if text else str(raw)


def timeline_kind(kind: str) -> str:
    text = TIMELINE_KINDS.get(kind)
    return QCoreApplication.translate(CONTEXT, text) if text else kind


# -- incident timelines ------------------------------------------------------------------------
TIMELINE = "Timeline"

REMARKS: dict[Remark, str] = {
    Remark.ADVISED: QT_TRANSLATE_NOOP("Timeline", "Advised, no dispatch needed"),
    Remark.NO_UNIT_FREE: QT_TRANSLATE_NOOP("Timeline", "No unit free, waiting"),
    Remark.RESOLVED_ON_SITE: QT_TRANSLATE_NOOP("Timeline", "Resolved on site"),
}

# The fields an edit may change, as an edit's timeline entry names them.
EDITED_FIELDS: dict[str, str] = {
    "category": QT_TRANSLATE_NOOP("Timeline", "Category"),
    "code": QT_TRANSLATE_NOOP("Timeline", "112 code"),
    "title": QT_TRANSLATE_NOOP("Timeline", "Title"),
    "title_en": QT_TRANSLATE_NOOP("Timeline", "English title"),
    "place": QT_TRANSLATE_NOOP("Timeline", "Place"),
    "description": QT_TRANSLATE_NOOP("Timeline", "Description"),
    "lat": QT_TRANSLATE_NOOP("Timeline", "Latitude"),
    "lon": QT_TRANSLATE_NOOP("Timeline", "Longitude"),
    "district": QT_TRANSLATE_NOOP("Timeline", "District"),
    "town": QT_TRANSLATE_NOOP("Timeline", "Town"),
    "reporter": QT_TRANSLATE_NOOP("Timeline", "Reporter"),
}

_ROUTED = QT_TRANSLATE_NOOP("Timeline", "Routed to the cyber investigation unit of %1")
_ESCALATED_WITHIN = QT_TRANSLATE_NOOP("Timeline", "Not acknowledged within %1 min; escalated to %2")
_ESCALATED = QT_TRANSLATE_NOOP("Timeline", "Not acknowledged in time; escalated to %1")
_NO_UNITS = QT_TRANSLATE_NOOP("Timeline", "No units assigned")


def _tr(text: str) -> str:
    return QCoreApplication.translate(TIMELINE, text)


@dataclass(frozen=True)
class TimelineNames:
    """How the console names the offices and units a timeline entry refers to by code."""

    org: Callable[[str], str] = str
    unit: Callable[[str], str] = str


def remark_text(value: object) -> str:
    """A standard remark in the console's language (an unknown one as stored)."""
    try:
        text = REMARKS.get(Remark(str(value)))
    except ValueError:
        text = None
    return _tr(text) if text else str(value or "")


def timeline_text(entry: Mapping[str, Any], names: TimelineNames | None = None) -> str:
    """What a timeline entry (its stored data) says, in the console's language.

    Entries carry their event's parameters, which are worded here; what a user typed (a note, a
    reason) stays as typed, and an entry from before parameters shows its stored English text."""
    params = timeline_params(entry)
    if params is None:
        return str(entry.get("text") or "")
    names = names or TimelineNames()
    kind = entry.get("kind")
    if kind == TimelineKind.CREATED:
        parts = [label_of(PriorityCode, params.get("code")),
                 label_of(IncidentCategory, params.get("category")), incident_title(params)]
        return " · ".join(p for p in parts if p)
    if kind == TimelineKind.ROUTED:
        return fmt(_tr(_ROUTED), names.org(str(params.get("to") or "")))
    if kind == TimelineKind.ESCALATED:
        to = names.org(str(params.get("to") or ""))
        if params.get("within_minutes"):
            return fmt(_tr(_ESCALATED_WITHIN), params["within_minutes"], to)
        return fmt(_tr(_ESCALATED), to)
    if kind == TimelineKind.STATUS:
        status = label_of(IncidentStatus, params.get("to"))
        why = params.get("reason") or (remark_text(params["remark"]) if params.get("remark") else "")
        return f"{status}: {why}" if why else status
    if kind == TimelineKind.ASSIGNED:
        units = [names.unit(str(u)) for u in params.get("units") or []]
        return ", ".join(units) or _tr(_NO_UNITS)
    if kind == TimelineKind.EDITED:
        changes = params.get("changes") or {}
        return ", ".join(f"{_edited_field(k)}: {_edited_value(k, v)}" for k, v in sorted(changes.items()))
    if kind == TimelineKind.NOTE and params.get("remark"):
        return remark_text(params["remark"])
    if kind == TimelineKind.REOPENED:
        return str(params.get("reason") or entry.get("text") or "")
    return str(entry.get("text") or "")


def _edited_field(name: str) -> str:
    text = EDITED_FIELDS.get(name)
    return _tr(text) if text else name


def _edited_value(name: str, value: object) -> str:
    if name == "category":
        return label_of(IncidentCategory, value)
    if name == "code":
        try:
            return label(PriorityCode(int(str(value))))
        except ValueError:
            return str(value)
    return str(value)


def incident_title(data: Mapping[str, Any]) -> str:
    """An incident's title for this console: the English one, where given, in an English console;
    otherwise as written."""
    return in_language(str(data.get("title") or ""), str(data.get("title_en") or ""))


def in_language(written: str, english: str) -> str:
    """Of a text as written (in Korean, by Korean police) and its English where given (an
    incident's title / title_en, a duty order's reason / reason_en): the one for this console's
    language, or the other when that one is empty."""
    if is_korean():
        return written or english
    return english or written


def duty_reason(order: DutyOrder) -> str:
    """A duty order's reason for this console."""
    return in_language(order.reason, order.reason_en)


# -- sync failures, for a person -----------------------------------------------------------------
SYNC_FAILURE = "SyncFailure"

# (what happened, what to do) of each kind; the raw detail goes at most into a tooltip.
FAILURE_WORDS: dict[FailureKind, tuple[str, str]] = {
    FailureKind.UNREACHABLE: (
        QT_TRANSLATE_NOOP("SyncFailure", "The server cannot be reached."),
        QT_TRANSLATE_NOOP("SyncFailure", "Changes are kept and sent when it answers again; check the "
                          "network cable or call the network desk.")),
    FailureKind.TIMED_OUT: (
        QT_TRANSLATE_NOOP("SyncFailure", "The server does not answer in time."),
        QT_TRANSLATE_NOOP("SyncFailure", "The network or the server is slow. Changes are kept and sent "
                          "when it answers; if this lasts, call the network desk.")),
    FailureKind.SERVER_STOPPING: (
        QT_TRANSLATE_NOOP("SyncFailure", "The server is restarting."),
        QT_TRANSLATE_NOOP("SyncFailure", "Nothing is lost: changes are kept and sent when it is back, "
                          "usually within a minute.")),
    FailureKind.SERVER_ERROR: (
        QT_TRANSLATE_NOOP("SyncFailure", "The server has a fault of its own."),
        QT_TRANSLATE_NOOP("SyncFailure", "Changes are kept and sent when it recovers; if this lasts, "
                          "call the system administrator.")),
    FailureKind.SESSION_EXPIRED: (
        QT_TRANSLATE_NOOP("SyncFailure", "Your login has expired."),
        QT_TRANSLATE_NOOP("SyncFailure", "Log in again to go on syncing; changes made meanwhile are kept.")),
    FailureKind.LOGIN_REFUSED: (
        QT_TRANSLATE_NOOP("SyncFailure", "The server no longer accepts your password."),
        QT_TRANSLATE_NOOP("SyncFailure", "Log in again; if your password was changed, ask the system "
                          "administrator. Changes are kept.")),
    FailureKind.REFUSED: (
        QT_TRANSLATE_NOOP("SyncFailure", "The server refused a request of this console."),
        QT_TRANSLATE_NOOP("SyncFailure", "Changes are kept. Call the system administrator.")),
    FailureKind.INCOMPATIBLE: (
        QT_TRANSLATE_NOOP("SyncFailure", "The server runs a version this console cannot work with."),
        QT_TRANSLATE_NOOP("SyncFailure", "Changes are kept. Call the system administrator to update the "
                          "console or the server.")),
    FailureKind.TLS_UNTRUSTED: (
        QT_TRANSLATE_NOOP("SyncFailure", "The server's certificate is not signed by a CA this console "
                          "trusts; nothing was sent to it."),
        QT_TRANSLATE_NOOP("SyncFailure", "Ask your station's operator for the station CA file and give "
                          "it with --ca-file or in the login dialog. Changes are kept.")),
    FailureKind.TLS_EXPIRED: (
        QT_TRANSLATE_NOOP("SyncFailure", "The server's certificate has expired (or is not valid yet); "
                          "nothing was sent to it."),
        QT_TRANSLATE_NOOP("SyncFailure", "Check this workstation's date and time; if they are right, the "
                          "station's operator must renew the server's certificate. Changes are kept.")),
    FailureKind.TLS_WRONG_HOST: (
        QT_TRANSLATE_NOOP("SyncFailure", "The server's certificate is made out for another name or "
                          "address; nothing was sent to it."),
        QT_TRANSLATE_NOOP("SyncFailure", "Use the server address the station's operator gave you (the "
                          "name in its certificate). Changes are kept.")),
    FailureKind.TLS_FAILED: (
        QT_TRANSLATE_NOOP("SyncFailure", "No secure (HTTPS) connection to the server could be set up."),
        QT_TRANSLATE_NOOP("SyncFailure", "Check the server address (https:// or http://, as the station's "
                          "operator says) and the CA file. Changes are kept.")),
    FailureKind.INTERNAL: (
        QT_TRANSLATE_NOOP("SyncFailure", "The console met an error of its own."),
        QT_TRANSLATE_NOOP("SyncFailure", "Changes are kept. If this lasts, restart the console and tell "
                          "the system administrator.")),
}


def failure_words(failure: SyncFailure) -> tuple[str, str]:
    """What happened and what to do, in the console's language."""
    what, todo = FAILURE_WORDS[failure.kind]
    return (QCoreApplication.translate(SYNC_FAILURE, what), QCoreApplication.translate(SYNC_FAILURE, todo))


def failure_text(failure: SyncFailure) -> str:
    """What happened and what to do, as one text."""
    return " ".join(failure_words(failure))
