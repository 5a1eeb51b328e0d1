"""Scheduled situation reports (정기 상황보고): an HQ's schedule for the offices below, the report
an office submits for a scheduled time, and what counts as due, overdue, submitted or late."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any

from console.domain.clock import OPERATION_TZ, in_operation_zone, iso, parse_time
from console.domain.errors import InvalidValue

# An office is prompted this long before a scheduled time, so its draft is ready on time.
PROMPT_LEAD = timedelta(minutes=10)
DEFAULT_GRACE_MINUTES = 10
MAX_GRACE_MINUTES = 180
MIN_EVERY_MINUTES = 15
MAX_SLOTS_LISTED = 500  # a read of slots never runs away with a wide window
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_hhmm(value: str) -> time:
    match = _HHMM.match(str(value))
    if not match:
        raise InvalidValue(f"a reporting time is HH:MM (00:00-23:59), not {value!r}")
    return time(int(match[1]), int(match[2]))


@dataclass
class ReportSchedule:
    """When the offices of `targets` report to `issuer_code`: at `times` (HH:MM, Korean time) each
    day, or every `every_minutes` from `starts_at`, between `starts_at` and `ends_at`."""

    id: str
    issuer_code: str
    targets: list[str]
    starts_at: str  # ISO 8601
    ends_at: str | None = None
    times: list[str] = field(default_factory=list)  # "09:00", "18:00"
    every_minutes: int = 0  # 60: hourly from starts_at
    grace_minutes: int = DEFAULT_GRACE_MINUTES  # after a scheduled time, before it is overdue
    title: str = ""  # "선거일 매시 보고"
    issued_by: str = ""
    issued_at: str = ""
    cancelled: bool = False

    def __post_init__(self) -> None:
        if not self.targets:
            raise InvalidValue("a reporting schedule must cover at least one office")
        start = parse_time(self.starts_at, "starts_at")
        if self.ends_at is not None and parse_time(self.ends_at, "ends_at") <= start:
            raise InvalidValue("ends_at must be after starts_at")
        self.times = sorted({parse_hhmm(t).strftime("%H:%M") for t in self.times})
        if bool(self.times) == bool(self.every_minutes):
            raise InvalidValue("a reporting schedule has either times of day or an interval")
        if self.every_minutes and not MIN_EVERY_MINUTES <= self.every_minutes <= 24 * 60:
            raise InvalidValue(f"the interval is {MIN_EVERY_MINUTES} to 1,440 minutes, "
                               f"not {self.every_minutes:,}")
        if not 0 <= self.grace_minutes <= MAX_GRACE_MINUTES:
            raise InvalidValue(f"the grace is 0 to {MAX_GRACE_MINUTES} minutes")

    @property
    def grace(self) -> timedelta:
        return timedelta(minutes=self.grace_minutes)

    def covers(self, org_code: str) -> bool:
        return org_code in self.targets

    def slots(self, after: datetime, until: datetime) -> list[datetime]:
        """The scheduled times in (after, until], in order (at most MAX_SLOTS_LISTED, the latest)."""
        if self.cancelled:
            return []
        start = parse_time(self.starts_at, "starts_at")
        end = parse_time(self.ends_at, "ends_at") if self.ends_at else None
        lo = max(after, start - timedelta(microseconds=1))
        hi = min(until, end) if end is not None else until
        if hi <= lo:
            return []
        found: list[datetime] = []
        if self.every_minutes:
            step = timedelta(minutes=self.every_minutes)
            n = max(0, int((lo - start) / step))
            at = start + n * step
            while at <= hi:
                if at > lo:
                    found.append(at)
                at += step
        else:
            day = in_operation_zone(lo).date()
            last = in_operation_zone(hi).date()
            while day <= last:
                for t in self.times:
                    at = datetime.combine(day, parse_hhmm(t), OPERATION_TZ)
                    if lo < at <= hi:
                        found.append(at)
                day += timedelta(days=1)
        return found[-MAX_SLOTS_LISTED:]

    def next_slot(self, at: datetime, horizon: timedelta = timedelta(days=2)) -> datetime | None:
        upcoming = self.slots(at, at + horizon)
        return upcoming[0] if upcoming else None


@dataclass
class SituationReport:
    """A report an office submitted. Immutable once submitted: a correction is a new report
    whose `replaces` names the one it corrects (same office, same scheduled time)."""

    id: str
    office_code: str
    made_at: str  # when it was made (offline, this is the console's time, kept)
    made_by: str
    schedule_id: str = ""  # the schedule it answers; "" for a report made unasked
    slot: str = ""  # the scheduled time it answers (ISO 8601)
    remarks: str = ""  # the commander's remarks
    content: dict[str, Any] = field(default_factory=dict)  # the figures as made (the draft)
    replaces: str = ""  # the report this one corrects
    version: int = 1
    received_at: str = ""  # when the server received it, if long after it was made

    def __post_init__(self) -> None:
        parse_time(self.made_at, "made_at")
        if self.slot:
            parse_time(self.slot, "slot")
        if self.version < 1:
            raise InvalidValue("a report's version starts at 1")
        if not isinstance(self.content, dict):
            raise InvalidValue("a report's content is an object")


class SlotState(StrEnum):
    UPCOMING = "upcoming"  # not yet time (not even to prompt)
    DUE = "due"  # time to report: from PROMPT_LEAD before the slot to the end of the grace
    OVERDUE = "overdue"  # the grace is over and nothing was submitted
    SUBMITTED = "submitted"  # submitted by the end of the grace
    LATE = "late"  # submitted after the grace


def deadline(slot: datetime, schedule: ReportSchedule) -> datetime:
    return slot + schedule.grace


def slot_state(slot: datetime, schedule: ReportSchedule, submitted_at: datetime | None,
               at: datetime) -> SlotState:
    """The state of one scheduled time for an office at the moment `at`. A report counts from
    the time it was made (offline, it was made on time even if it reached the server later)."""
    end = deadline(slot, schedule)
    if submitted_at is not None and submitted_at <= at:
        return SlotState.SUBMITTED if submitted_at <= end else SlotState.LATE
    if at >= end:
        return SlotState.OVERDUE
    if at >= slot - PROMPT_LEAD:
        return SlotState.DUE
    return SlotState.UPCOMING


def latest_versions(reports: list[SituationReport]) -> dict[str, SituationReport]:
    """The reports that stand, by id: every report no other report replaces."""
    replaced = {r.replaces for r in reports if r.replaces}
    return {r.id: r for r in reports if r.id not in replaced}


def report_for_slot(reports: list[SituationReport], office_code: str, schedule_id: str,
                    slot: datetime) -> tuple[SituationReport | None, datetime | None]:
    """The standing report of an office for a scheduled time, and when the first version of it
    was made (a correction does not make a report on time late)."""
    mine = [r for r in reports if r.office_code == office_code and r.schedule_id == schedule_id
            and r.slot and parse_time(r.slot) == slot]
    if not mine:
        return None, None
    first = min(parse_time(r.made_at) for r in mine)
    standing = max(latest_versions(mine).values(), key=lambda r: (r.version, r.made_at))
    return standing, first


def slot_key(schedule_id: str, slot: datetime) -> str:
    return f"{schedule_id}@{iso(slot)}"
