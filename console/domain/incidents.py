"""Incidents: categories, 112 priority codes, the status machine, routing and escalation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from typing import Any

from console.domain.clock import parse_time
from console.domain.errors import IllegalTransition, InvalidValue


class IncidentCategory(StrEnum):
    BRIBERY = "bribery"  # 금품선거
    FALSE_INFORMATION = "false_information"  # 허위사실 유포
    OFFICIAL_INVOLVEMENT = "official_involvement"  # 공무원 선거 개입
    ELECTION_VIOLENCE = "election_violence"  # 선거폭력
    ILLEGAL_ORGANISATION = "illegal_organisation"  # 불법 단체 동원
    DEEPFAKE = "deepfake"  # 딥페이크
    CYBER_ATTACK = "cyber_attack"  # 사이버 공격
    VIOLENCE = "violence"  # 폭력
    DISORDER = "disorder"  # 투표소 소란
    BALLOT_TRANSPORT = "ballot_transport"  # 투표함 회송
    CANDIDATE_PROTECTION = "candidate_protection"  # 후보자 신변보호
    PROTEST = "protest"  # 집회·시위
    OTHER = "other"


MAJOR_ELECTION_CRIMES: frozenset[IncidentCategory] = frozenset({
    IncidentCategory.BRIBERY,
    IncidentCategory.FALSE_INFORMATION,
    IncidentCategory.OFFICIAL_INVOLVEMENT,
    IncidentCategory.ELECTION_VIOLENCE,
    IncidentCategory.ILLEGAL_ORGANISATION,
})

# Routing rule: these are investigated by the provincial agency's cyber investigation unit.
ROUTED_TO_PROVINCIAL_CYBER: frozenset[IncidentCategory] = frozenset({
    IncidentCategory.DEEPFAKE,
    IncidentCategory.CYBER_ATTACK,
})


class PriorityCode(IntEnum):
    """112 priority codes (since 2016)."""

    CODE_0 = 0  # violent crime in progress: dispatch while still on the call
    CODE_1 = 1  # imminent danger to life or body
    CODE_2 = 2  # potential danger
    CODE_3 = 3  # needs investigation: same day / by appointment
    CODE_4 = 4  # enquiry or complaint: no dispatch

    @property
    def urgent(self) -> bool:
        return self <= PriorityCode.CODE_1

    @property
    def dispatches(self) -> bool:
        return self != PriorityCode.CODE_4


# Escalation rule as data: an incident not acknowledged within its code's limit escalates.
ACK_LIMIT: dict[PriorityCode, timedelta] = {
    PriorityCode.CODE_0: timedelta(minutes=1),
    PriorityCode.CODE_1: timedelta(minutes=3),
    PriorityCode.CODE_2: timedelta(minutes=10),
    PriorityCode.CODE_3: timedelta(hours=1),
    PriorityCode.CODE_4: timedelta(hours=4),
}


class IncidentStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    DISPATCHED = "dispatched"
    ON_SCENE = "on_scene"
    RESOLVED = "resolved"
    CLOSED = "closed"


S = IncidentStatus
# The status machine. Reopening is explicit: only resolved/closed -> acknowledged, by `reopen`.
TRANSITIONS: dict[IncidentStatus, frozenset[IncidentStatus]] = {
    S.NEW: frozenset({S.ACKNOWLEDGED}),
    S.ACKNOWLEDGED: frozenset({S.DISPATCHED, S.RESOLVED}),
    S.DISPATCHED: frozenset({S.ON_SCENE, S.ACKNOWLEDGED, S.RESOLVED}),
    S.ON_SCENE: frozenset({S.RESOLVED}),
    S.RESOLVED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}
REOPENABLE: frozenset[IncidentStatus] = frozenset({S.RESOLVED, S.CLOSED})
OPEN_STATUSES: frozenset[IncidentStatus] = frozenset(
    {S.NEW, S.ACKNOWLEDGED, S.DISPATCHED, S.ON_SCENE}
)
_STATUS_VALUES: frozenset[str] = frozenset(s.value for s in IncidentStatus)


def check_transition(current: IncidentStatus, target: IncidentStatus) -> None:
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none (reopen it first)"
        raise IllegalTransition(
            f"an incident cannot go from '{current}' to '{target}'; allowed: {allowed}"
        )


class TimelineKind(StrEnum):
    """What a timeline entry records: each console words it in its own language."""

    CREATED = "created"  # code, category, title
    STATUS = "status"  # to, optionally reason (typed) or remark
    ASSIGNED = "assigned"  # units
    NOTE = "note"  # the note is the entry's text as typed, or a remark
    ROUTED = "routed"  # to: the province whose cyber investigation unit takes it
    ESCALATED = "escalated"  # to, within_minutes: the acknowledgement limit that was missed
    EDITED = "edited"  # changes: {field: new value}
    REOPENED = "reopened"  # reason (typed)


class Remark(StrEnum):
    """Standard remarks, like a dispatch system's disposition codes: each console shows them in
    its own language (a note typed by hand stays as typed)."""

    ADVISED = "advised"  # an enquiry answered; no dispatch needed
    NO_UNIT_FREE = "no_unit_free"  # no unit free to send; waiting for one
    RESOLVED_ON_SITE = "resolved_on_site"  # dealt with by the unit on site


# English wording of the events, stored as each entry's `text`: what a reader without the
# console's translations (logs, tools, a console older than `params`) shows.
REMARK_TEXT: dict[Remark, str] = {
    Remark.ADVISED: "advised, no dispatch needed",
    Remark.NO_UNIT_FREE: "no unit free, waiting",
    Remark.RESOLVED_ON_SITE: "resolved on site",
}


@dataclass
class TimelineEntry:
    at: str
    by: str
    kind: str  # a TimelineKind value
    # The event in English (see describe_event), or the note or reason as the user typed it.
    text: str
    console: str = ""
    # The event's parameters, for each console to word in its own language. None on entries
    # written before timelines carried them: those have only their English `text`.
    params: dict[str, Any] | None = None

    @classmethod
    def event(cls, at: str, by: str, kind: TimelineKind, params: dict[str, Any], *,
              console: str = "", text: str | None = None) -> TimelineEntry:
        """An entry for an event; its `text` is the English wording unless given (a typed note)."""
        return cls(at=at, by=by, kind=kind.value, console=console, params=params,
                   text=describe_event(kind, params) if text is None else text)


def describe_event(kind: str, params: Mapping[str, Any]) -> str:
    """The English wording of a timeline event from its kind and parameters."""
    p = params
    remark = _remark_text(p.get("remark"))
    if kind == TimelineKind.CREATED:
        return f"code {p.get('code')} {p.get('category')}: {p.get('title', '')}"
    if kind == TimelineKind.ROUTED:
        return f"routed to {p.get('to')} cyber investigation unit"
    if kind == TimelineKind.ESCALATED:
        within = f"within {p['within_minutes']} min" if p.get("within_minutes") else "in time"
        return f"not acknowledged {within}; escalated to {p.get('to')}"
    if kind == TimelineKind.STATUS:
        reason = p.get("reason") or remark
        return f"{p.get('to')}: {reason}" if reason else str(p.get("to"))
    if kind == TimelineKind.ASSIGNED:
        return ", ".join(p.get("units") or []) or "no units"
    if kind == TimelineKind.EDITED:
        return ", ".join(f"{k}={v}" for k, v in sorted((p.get("changes") or {}).items()))
    if kind in (TimelineKind.NOTE, TimelineKind.REOPENED):
        return str(p.get("reason") or remark or "")
    return ""


def _remark_text(value: object) -> str:
    try:
        return REMARK_TEXT[Remark(str(value))] if value else ""
    except ValueError:
        return str(value)


def timeline_params(entry: Mapping[str, Any]) -> dict[str, Any] | None:
    """The parameters of a timeline entry (its data as stored), or None if it has only text.

    Entries from before `params` are read where their text followed a fixed form: a status
    change was written as its new status, then ': reason'."""
    params = entry.get("params")
    if isinstance(params, dict):
        return params
    text = str(entry.get("text") or "")
    if entry.get("kind") == TimelineKind.STATUS:
        status, _sep, reason = text.partition(": ")
        if status in _STATUS_VALUES:
            return {"to": status, "reason": reason} if reason else {"to": status}
    return None


@dataclass
class Incident:
    id: str
    category: IncidentCategory
    code: PriorityCode
    title: str
    station_code: str
    lat: float
    lon: float
    created_at: str
    created_by: str
    status: IncidentStatus = IncidentStatus.NEW
    place: str = ""
    district: str = ""  # 시군구 name, from reverse geocoding
    town: str = ""  # 읍면동 name
    description: str = ""
    reporter: str = ""
    # The title in English, where its writer gave one (`title` is as written, in Korean by Korean
    # police): an English console shows it instead. Like the org units' name_ko / name_en.
    title_en: str = ""
    assigned_units: list[str] = field(default_factory=list)
    routed_to: str | None = None  # org code of the office that investigates it
    escalated: bool = False
    escalated_at: str | None = None
    acknowledged_at: str | None = None
    resolved_at: str | None = None
    timeline: list[TimelineEntry] = field(default_factory=list)
    # When the server received the incident, set only when that was well after `created_at`
    # (made offline, or by a console whose clock was set back): see `ack_deadline`.
    received_at: str | None = None

    def __post_init__(self) -> None:
        try:
            self.category = IncidentCategory(self.category)
        except ValueError:
            raise InvalidValue(f"unknown incident category {self.category!r}") from None
        try:
            self.code = PriorityCode(int(self.code))
        except (TypeError, ValueError):
            raise InvalidValue(f"112 code must be 0-4, not {self.code!r}") from None
        self.status = IncidentStatus(self.status)
        if not self.title.strip():
            raise InvalidValue("an incident needs a title")
        self.title_en = str(self.title_en or "").strip()
        if len(self.title) > 200 or len(self.title_en) > 200:
            raise InvalidValue("an incident title is at most 200 characters")
        validate_position(self.lat, self.lon)
        parse_time(self.created_at, "created_at")
        self.timeline = [
            t if isinstance(t, TimelineEntry) else TimelineEntry(**t) for t in self.timeline
        ]

    def ack_deadline(self) -> datetime:
        """Its code's limit after it was made, or after the server received it if that was
        later: the server escalates only what stayed unacknowledged that long while it could
        be seen (a made_at set back a day must not escalate an incident the moment it arrives)."""
        start = parse_time(self.created_at)
        if self.received_at:
            start = max(start, parse_time(self.received_at, "received_at"))
        return start + ACK_LIMIT[self.code]

    def is_overdue(self, now: datetime) -> bool:
        """Not acknowledged within its code's limit (see ack_deadline)."""
        return self.status == IncidentStatus.NEW and now > self.ack_deadline()


def route_for(category: IncidentCategory, station_province: str | None) -> str | None:
    """Routing rule: deepfake and cyber cases go to the province's cyber investigation unit."""
    if IncidentCategory(category) in ROUTED_TO_PROVINCIAL_CYBER:
        return station_province
    return None


# South Korea and its islands, generously: positions outside are typing mistakes.
KOREA_BOUNDS = (32.5, 124.0, 39.0, 132.0)  # lat_min, lon_min, lat_max, lon_max


def validate_position(lat: float, lon: float) -> None:
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise InvalidValue(f"position ({lat!r}, {lon!r}) is not numeric") from None
    lat_min, lon_min, lat_max, lon_max = KOREA_BOUNDS
    if not (lat_min <= lat <= lat_max and lon_min <= lon <= lon_max):
        raise InvalidValue(
            f"position ({lat:.5f}, {lon:.5f}) is outside South Korea "
            f"(lat {lat_min}-{lat_max}, lon {lon_min}-{lon_max})"
        )
