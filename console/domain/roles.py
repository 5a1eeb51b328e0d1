"""Roles and what each may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    NATIONAL_HQ = "national_hq"
    PROVINCIAL_HQ = "provincial_hq"
    STATION_COMMANDER = "station_commander"
    STATION_OPERATOR = "station_operator"
    VIEWER = "viewer"


OPERATOR_MUTATIONS = frozenset({
    "incident.create", "incident.transition", "incident.reopen", "incident.assign",
    "incident.note", "incident.edit", "unit.status", "route.advance", "site.deployment",
})
# Duty officers (operators) hand the shift over; commanders acknowledge what comes from above
# and report upward; an HQ directs and sets the reporting schedule of the offices below.
OPERATOR_MUTATIONS = OPERATOR_MUTATIONS | {"handover.make", "handover.take_over"}
COMMANDER_MUTATIONS = OPERATOR_MUTATIONS | {"duty.acknowledge", "org.personnel",
                                            "external_alert.import",
                                            "directive.acknowledge", "report.submit"}
HQ_MUTATIONS = COMMANDER_MUTATIONS | {"duty.issue", "duty.cancel", "directive.issue",
                                      "directive.cancel", "schedule.set", "schedule.cancel"}

PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.NATIONAL_HQ: frozenset(HQ_MUTATIONS),
    Role.PROVINCIAL_HQ: frozenset(HQ_MUTATIONS),
    Role.STATION_COMMANDER: frozenset(COMMANDER_MUTATIONS),
    Role.STATION_OPERATOR: OPERATOR_MUTATIONS,
    Role.VIEWER: frozenset(),
}


HQ_ROLES = frozenset({Role.NATIONAL_HQ, Role.PROVINCIAL_HQ})


def is_hq(role: Role | str) -> bool:
    """An HQ role: it orders duty levels and watches the roll-up of the offices below it."""
    return Role(role) in HQ_ROLES


def may(role: Role, mutation_kind: str) -> bool:
    return mutation_kind in PERMISSIONS[Role(role)]
