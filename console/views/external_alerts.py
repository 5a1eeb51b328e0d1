"""External alerts (outside agencies' CAP alerts) as the list and the map show them: the ones in
force now, newest first, an alert cancelled or updated by a later one of its sender left out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from console.domain.clock import parse_time
from console.domain.errors import DomainError
from console.domain.external_alerts import ExternalAlert
from console.domain.records import RecordKind, from_stored
from console.replica.reads import ReplicaReads

# Worst first: the list sorts by it and the map colours by it.
SEVERITY_RANK: dict[str, int] = {"Extreme": 4, "Severe": 3, "Moderate": 2, "Minor": 1, "Unknown": 0}

Ring = tuple[tuple[float, float], ...]  # (lon, lat) points, first == last


@dataclass(frozen=True)
class AlertArea:
    """One external alert's areas for the map: every polygon of every <area>, as rings of
    (lon, lat)."""

    id: str
    headline: str
    severity: str
    expires: datetime | None
    polygons: tuple[Ring, ...]


@dataclass(frozen=True)
class ExternalAlertRow:
    """One line of the external-alerts list."""

    id: str
    sender: str  # the sender's name where given, else its address
    event: str
    headline: str
    severity: str
    urgency: str
    certainty: str
    msg_type: str
    sent: datetime
    expires: datetime | None
    areas: str  # the areas' descriptions, joined
    description: str
    instruction: str
    source: str
    imported_by: str
    expired: bool = False


def current_alerts(reads: ReplicaReads, now: datetime, *,
                   include_expired: bool = False) -> list[ExternalAlert]:
    """The alerts in force at `now`: not expired (unless asked for), not a Cancel, not referred
    to by a later Update or Cancel; worst first, then newest. A row that does not read as an
    alert is skipped."""
    alerts: list[ExternalAlert] = []
    for row in reads.rows(RecordKind.EXTERNAL_ALERT):
        try:
            alerts.append(from_stored(RecordKind.EXTERNAL_ALERT, dict(row.data)))
        except DomainError:
            continue
    superseded = {ref for a in alerts if a.msg_type in ("Update", "Cancel") for ref in a.references}
    superseded_ids = {ref.split(",")[1] if ref.count(",") >= 2 else ref for ref in superseded}
    shown = [a for a in alerts
             if (include_expired or not a.expired(now)) and a.msg_type not in ("Cancel", "Ack", "Error")
             and a.reference_key not in superseded and a.identifier not in superseded_ids]
    shown.sort(key=lambda a: (-SEVERITY_RANK.get(a.severity, 0), -parse_time(a.sent).timestamp(),
                              a.id))
    return shown


def external_alert_areas(reads: ReplicaReads, now: datetime) -> list[AlertArea]:
    """The map's layer: each alert in force at `now` with its polygons."""
    return [AlertArea(a.id, _headline(a, korean=True), a.severity, _time(a.expires),
                      tuple(tuple((float(p[0]), float(p[1])) for p in ring)
                            for area in a.areas for ring in area.polygons))
            for a in current_alerts(reads, now)]


def external_alert_rows(reads: ReplicaReads, now: datetime, *, korean: bool,
                        include_expired: bool = False) -> list[ExternalAlertRow]:
    """The list's rows, in the console's language where the alert has it; expired ones (marked)
    only when asked for."""
    return [_row(a, korean, a.expired(now))
            for a in current_alerts(reads, now, include_expired=include_expired)]


def _row(a: ExternalAlert, korean: bool, expired: bool) -> ExternalAlertRow:
    english = not korean and bool(a.headline_en)
    return ExternalAlertRow(
        id=a.id, sender=a.sender_name or a.sender, event=a.event, headline=_headline(a, korean),
        severity=a.severity, urgency=a.urgency, certainty=a.certainty, msg_type=a.msg_type,
        sent=parse_time(a.sent), expires=_time(a.expires),
        areas=", ".join(area.description for area in a.areas if area.description),
        description=a.description_en if english and a.description_en else a.description,
        instruction=a.instruction, source=a.source, imported_by=a.imported_by, expired=expired)


def _headline(a: ExternalAlert, korean: bool) -> str:
    if not korean and a.headline_en:
        return a.headline_en
    return a.headline or a.headline_en or a.event or a.identifier


def _time(value: str | None) -> datetime | None:
    return parse_time(value) if value else None


def rows_by_id(rows: Sequence[ExternalAlertRow]) -> dict[str, ExternalAlertRow]:
    return {r.id: r for r in rows}
