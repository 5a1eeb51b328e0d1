"""Directives (지시사항): an HQ's written instruction to the offices below, acknowledged by each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from console.domain.clock import parse_time
from console.domain.duty import Acknowledgement
from console.domain.errors import InvalidValue


class DirectivePriority(StrEnum):
    """How a directive stands out; `rank` orders them, 3 is the most pressing."""

    URGENT = "urgent"  # 긴급
    IMPORTANT = "important"  # 중요
    ROUTINE = "routine"  # 일반

    @property
    def rank(self) -> int:
        return {"urgent": 3, "important": 2, "routine": 1}[self.value]


@dataclass
class Directive:
    """A directive issued by `issuer_code` to the offices of `targets` (strictly below it)."""

    id: str
    issuer_code: str
    targets: list[str]
    text: str  # as the issuer wrote it, in Korean
    text_en: str = ""  # the English, where the issuer gave one
    priority: DirectivePriority = DirectivePriority.ROUTINE
    issued_by: str = ""
    issued_at: str = ""
    acks: dict[str, Acknowledgement] = field(default_factory=dict)
    cancelled: bool = False
    cancelled_at: str = ""

    def __post_init__(self) -> None:
        try:
            self.priority = DirectivePriority(self.priority)
        except ValueError:
            raise InvalidValue(f"unknown directive priority {self.priority!r}") from None
        if not self.targets:
            raise InvalidValue("a directive must go to at least one office")
        if not str(self.text or "").strip():
            raise InvalidValue("a directive needs its text")
        self.text_en = str(self.text_en or "").strip()
        self.acks = {k: v if isinstance(v, Acknowledgement) else Acknowledgement(**v)
                     for k, v in self.acks.items()}

    def covers(self, org_code: str) -> bool:
        return org_code in self.targets

    def acknowledged_by(self, org_code: str) -> bool:
        return org_code in self.acks

    def in_force(self, at: datetime) -> bool:
        """Issued by `at` and not cancelled (a directive stands until its issuer cancels it)."""
        if self.cancelled:
            return False
        return not self.issued_at or parse_time(self.issued_at, "issued_at") <= at

    def wording(self, korean: bool) -> str:
        return self.text if korean or not self.text_en else self.text_en


def urgency(directive: Directive) -> tuple[int, str]:
    """Sort key, most pressing first when reversed: priority, then the latest issued."""
    return directive.priority.rank, directive.issued_at


def unacknowledged(directives: list[Directive], org_code: str, at: datetime) -> list[Directive]:
    """The directives in force for an office that it has not acknowledged, most pressing first."""
    waiting = [d for d in directives if d.covers(org_code) and d.in_force(at)
               and not d.acknowledged_by(org_code)]
    return sorted(waiting, key=urgency, reverse=True)


def in_force_for(directives: list[Directive], org_code: str, at: datetime) -> list[Directive]:
    """The directives standing for an office (covering it, or issued by it), most pressing first."""
    standing = [d for d in directives if d.in_force(at)
                and (d.covers(org_code) or d.issuer_code == org_code)]
    return sorted(standing, key=urgency, reverse=True)
