"""Display labels of the domain's enum values, translated (context "Labels")."""

from __future__ import annotations

from enum import Enum

from console.domain.duty import CommanderPosture, DutyLevel, LeavePolicy
from console.domain.election import RouteDisplayState
from console.domain.incidents import IncidentCategory, IncidentStatus, PriorityCode
from console.domain.org import OrgLevel
from console.domain.roles import Role
from console.domain.units import UnitStatus, UnitType
from console.ui.qt import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "Labels"

LABELS: dict[Enum, str] = {
    IncidentCategory.BRIBERY: QT_TRANSLATE_NOOP("Labels", "Bribery"),
    IncidentCategory.FALSE_INFORMATION: QT_TRANSLATE_NOOP("Labels", "False information"),
    IncidentCategory.OFFICIAL_INVOLVEMENT: QT_TRANSLATE_NOOP("Labels", "Official involvement"),
    IncidentCategory.ELECTION_VIOLENCE: QT_TRANSLATE_NOOP("Labels", "Election violence"),
    IncidentCategory.ILLEGAL_ORGANISATION: QT_TRANSLATE_NOOP("Labels", "Illegal organisation"),
    IncidentCategory.DEEPFAKE: QT_TRANSLATE_NOOP("Labels", "Deepfake"),
    IncidentCategory.CYBER_ATTACK: QT_TRANSLATE_NOOP("Labels", "Cyber attack"),
    IncidentCategory.VIOLENCE: QT_TRANSLATE_NOOP("Labels", "Violence"),
    IncidentCategory.DISORDER: QT_TRANSLATE_NOOP("Labels", "Polling station disorder"),
    IncidentCategory.BALLOT_TRANSPORT: QT_TRANSLATE_NOOP("Labels", "Ballot-box transport"),
    IncidentCategory.CANDIDATE_PROTECTION: QT_TRANSLATE_NOOP("Labels", "Candidate protection"),
    IncidentCategory.PROTEST: QT_TRANSLATE_NOOP("Labels", "Protest / rally"),
    IncidentCategory.OTHER: QT_TRANSLATE_NOOP("Labels", "Other"),
    IncidentStatus.NEW: QT_TRANSLATE_NOOP("Labels", "New"),
    IncidentStatus.ACKNOWLEDGED: QT_TRANSLATE_NOOP("Labels", "Acknowledged"),
    IncidentStatus.DISPATCHED: QT_TRANSLATE_NOOP("Labels", "Dispatched"),
    IncidentStatus.ON_SCENE: QT_TRANSLATE_NOOP("Labels", "On scene"),
    IncidentStatus.RESOLVED: QT_TRANSLATE_NOOP("Labels", "Resolved"),
    IncidentStatus.CLOSED: QT_TRANSLATE_NOOP("Labels", "Closed"),
    PriorityCode.CODE_0: QT_TRANSLATE_NOOP("Labels", "Code 0"),
    PriorityCode.CODE_1: QT_TRANSLATE_NOOP("Labels", "Code 1"),
    PriorityCode.CODE_2: QT_TRANSLATE_NOOP("Labels", "Code 2"),
    PriorityCode.CODE_3: QT_TRANSLATE_NOOP("Labels", "Code 3"),
    PriorityCode.CODE_4: QT_TRANSLATE_NOOP("Labels", "Code 4"),
    UnitStatus.AVAILABLE: QT_TRANSLATE_NOOP("Labels", "Available"),
    UnitStatus.DISPATCHED: QT_TRANSLATE_NOOP("Labels", "Dispatched"),
    UnitStatus.ON_SCENE: QT_TRANSLATE_NOOP("Labels", "On scene"),
    UnitStatus.RETURNING: QT_TRANSLATE_NOOP("Labels", "Returning"),
    UnitStatus.OFF_DUTY: QT_TRANSLATE_NOOP("Labels", "Off duty"),
    UnitType.PATROL_CAR: QT_TRANSLATE_NOOP("Labels", "Patrol car"),
    UnitType.LOCAL_UNIT: QT_TRANSLATE_NOOP("Labels", "Local unit"),
    UnitType.MOBILE_UNIT: QT_TRANSLATE_NOOP("Labels", "Mobile unit"),
    UnitType.MOBILE_PATROL: QT_TRANSLATE_NOOP("Labels", "Mobile patrol unit"),
    UnitType.INVESTIGATION: QT_TRANSLATE_NOOP("Labels", "Criminal investigation"),
    UnitType.INTELLIGENCE: QT_TRANSLATE_NOOP("Labels", "Intelligence"),
    UnitType.STRIKE_SQUAD: QT_TRANSLATE_NOOP("Labels", "Strike squad"),
    UnitType.CYBER: QT_TRANSLATE_NOOP("Labels", "Cyber investigation"),
    DutyLevel.LEVEL_A: QT_TRANSLATE_NOOP("Labels", "Level A"),
    DutyLevel.LEVEL_B: QT_TRANSLATE_NOOP("Labels", "Level B"),
    DutyLevel.LEVEL_C: QT_TRANSLATE_NOOP("Labels", "Level C"),
    DutyLevel.HEIGHTENED: QT_TRANSLATE_NOOP("Labels", "Heightened alert"),
    DutyLevel.READINESS: QT_TRANSLATE_NOOP("Labels", "Operational readiness"),
    LeavePolicy.SUSPENDED: QT_TRANSLATE_NOOP("Labels", "Leave suspended"),
    LeavePolicy.RESTRICTED: QT_TRANSLATE_NOOP("Labels", "Leave restricted"),
    LeavePolicy.NORMAL: QT_TRANSLATE_NOOP("Labels", "Leave as normal"),
    CommanderPosture.ON_SITE: QT_TRANSLATE_NOOP("Labels", "At the office or on site"),
    CommanderPosture.IN_JURISDICTION: QT_TRANSLATE_NOOP("Labels", "Inside the jurisdiction"),
    CommanderPosture.ON_COMMAND_LINE: QT_TRANSLATE_NOOP("Labels", "Reachable, on site within 1 hour"),
    CommanderPosture.ON_CALL: QT_TRANSLATE_NOOP("Labels", "Reachable on call"),
    RouteDisplayState.WAITING: QT_TRANSLATE_NOOP("Labels", "Waiting"),
    RouteDisplayState.MOVING: QT_TRANSLATE_NOOP("Labels", "Moving"),
    RouteDisplayState.ARRIVED: QT_TRANSLATE_NOOP("Labels", "Arrived"),
    RouteDisplayState.LATE: QT_TRANSLATE_NOOP("Labels", "Late"),
    Role.NATIONAL_HQ: QT_TRANSLATE_NOOP("Labels", "National HQ"),
    Role.PROVINCIAL_HQ: QT_TRANSLATE_NOOP("Labels", "Provincial HQ"),
    Role.STATION_COMMANDER: QT_TRANSLATE_NOOP("Labels", "Station commander"),
    Role.STATION_OPERATOR: QT_TRANSLATE_NOOP("Labels", "Station operator"),
    Role.VIEWER: QT_TRANSLATE_NOOP("Labels", "Viewer"),
    OrgLevel.NATIONAL: QT_TRANSLATE_NOOP("Labels", "National HQ"),
    OrgLevel.PROVINCIAL: QT_TRANSLATE_NOOP("Labels", "Provincial agency"),
    OrgLevel.STATION: QT_TRANSLATE_NOOP("Labels", "Police station"),
}

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

_BY_TYPE_AND_VALUE: dict[tuple[type, object], str] = {(type(k), k.value): v for k, v in LABELS.items()}


def label(value: Enum) -> str:
    """The translated label of an enum member (its raw value if it has none)."""
    text = LABELS.get(value)
    if text is None:
        return str(value.value)
    return QCoreApplication.translate(CONTEXT, text)


def label_of(enum_type: type[Enum], raw: object) -> str:
    """The label of a raw wire value (e.g. 'on_scene') of `enum_type`; the raw value if unknown."""
    text = _BY_TYPE_AND_VALUE.get((enum_type, raw))
    if text is None:
        try:
            text = _BY_TYPE_AND_VALUE.get((enum_type, enum_type(raw).value))
        except (ValueError, TypeError):
            text = None
    return QCoreApplication.translate(CONTEXT, text) if text else str(raw)


def timeline_kind(kind: str) -> str:
    text = TIMELINE_KINDS.get(kind)
    return QCoreApplication.translate(CONTEXT, text) if text else kind
