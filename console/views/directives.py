"""The directives panel's figures: the directives waiting for this office's acknowledgement, those
standing for it, and for an HQ the directives it issued with each office's acknowledgement; also
the directives as a situation report and a handover list them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from console.domain.clock import parse_time
from console.domain.directives import Directive, in_force_for, unacknowledged, urgency
from console.domain.duty import Acknowledgement
from console.domain.errors import DomainError
from console.domain.records import RecordKind, from_stored
from console.domain.roles import Role, is_hq
from console.replica.reads import ReplicaReads
from console.views.duty import Office
from console.views.sitrep import ReportDirective

K = RecordKind


def read_directives(reads: ReplicaReads) -> list[Directive]:
    found = []
    for row in reads.rows(K.DIRECTIVE):
        try:
            found.append(from_stored(K.DIRECTIVE, dict(row.data)))
        except DomainError:
            continue  # a row this version cannot read is skipped, not a crash
    return found


def read_offices(reads: ReplicaReads) -> dict[str, Office]:
    return {o.code: o for o in (Office.from_data(dict(r.data)) for r in reads.rows(K.ORG))}


@dataclass(frozen=True)
class IssuedDirective:
    """A directive this office issued, and each addressee's acknowledgement."""

    directive: Directive
    acks: tuple[tuple[Office, Acknowledgement | None], ...]  # unacknowledged first

    @property
    def acknowledged(self) -> int:
        return sum(1 for _o, a in self.acks if a is not None)


@dataclass(frozen=True)
class DirectivesView:
    now: datetime
    office_code: str
    hq: bool
    waiting: tuple[Directive, ...]  # for this office, not acknowledged, most pressing first
    standing: tuple[Directive, ...]  # in force for this office (from above), most pressing first
    issued: tuple[IssuedDirective, ...]  # HQ: the directives it issued and not cancelled, newest first
    targets: tuple[Office, ...]  # HQ: the offices it may direct (every office below)
    offices: dict[str, Office]

    def office_name(self, code: str, korean: bool) -> str:
        office = self.offices.get(code)
        return office.name(korean) if office else code


def directives_view(reads: ReplicaReads, office_code: str, office_path: str, role: Role | str,
                    now: datetime) -> DirectivesView:
    """Call on the database worker."""
    directives = read_directives(reads)
    offices = read_offices(reads)
    hq = is_hq(role)
    issued: list[IssuedDirective] = []
    targets: tuple[Office, ...] = ()
    if hq:
        for d in sorted((d for d in directives if d.issuer_code == office_code and not d.cancelled),
                        key=lambda d: d.issued_at, reverse=True):
            acks = [(offices.get(c) or Office(c, c, c, "", "", None, 0, 0), d.acks.get(c))
                    for c in d.targets]
            acks.sort(key=lambda oa: (oa[1] is not None, oa[0].code))
            issued.append(IssuedDirective(d, tuple(acks)))
        targets = tuple(sorted((o for o in offices.values()
                                if o.path.startswith(office_path) and o.code != office_code),
                               key=lambda o: (o.level, o.code)))
    standing = [d for d in in_force_for(directives, office_code, now) if d.covers(office_code)]
    return DirectivesView(now, office_code, hq, tuple(unacknowledged(directives, office_code, now)),
                          tuple(standing), tuple(issued), targets, offices)


def report_directives(directives: Sequence[Directive], office_code: str,
                      at: datetime) -> tuple[ReportDirective, ...]:
    """The directives in force for an office (received or issued by it), as a report lists them."""
    return tuple(
        ReportDirective(id=d.id, issued_at=parse_time(d.issued_at) if d.issued_at else at,
                        issuer=d.issuer_code, text=d.text, text_en=d.text_en,
                        priority=d.priority.value, acknowledged=len(d.acks), targets=len(d.targets))
        for d in sorted(in_force_for(list(directives), office_code, at), key=urgency, reverse=True))
