"""The replica's rows as they stood at a moment the data has passed, as far as the rows say: an
incident reported later is not there yet and has the status its timeline gave it then; a ballot
box that departed or arrived later had not yet. A report for 10:00 made from 10:46 data then
shows 10:00 in every read model (charts, routes, map, counts). Rows that say nothing later are
passed through unchanged; so are all other kinds (personnel and sites keep no history)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from console.domain.clock import time_or_none
from console.domain.election import RouteState
from console.domain.incidents import OPEN_STATUSES, IncidentStatus
from console.domain.records import RecordKind
from console.replica.reads import ReplicaReads, ShownRow
from console.views.incident_tally import status_at

K = RecordKind
CLOSED_VALUES = frozenset(s.value for s in IncidentStatus if s not in OPEN_STATUSES)


@dataclass(frozen=True)
class PastRow:
    kind: RecordKind
    id: str
    version: int
    org_path: str
    data: dict[str, Any]
    pending: bool



def _later(value: Any, at: datetime) -> bool:
    moment = time_or_none(value)
    return moment is not None and moment > at


def row_at(row: ShownRow, at: datetime) -> ShownRow | None:
    """`row` as it stood at `at`; None if it did not exist yet."""
    d = row.data
    if row.kind == K.INCIDENT:
        if _later(d.get("created_at"), at):
            return None
        status = status_at(d, at)
        if status == d.get("status") and not _later(d.get("resolved_at"), at):
            return row
        data = dict(d, status=status)
        if _later(d.get("resolved_at"), at):
            data["resolved_at"] = None
            if status in CLOSED_VALUES:  # no timeline to say: open then, acknowledged if it was
                acked = time_or_none(d.get("acknowledged_at"))
                was = IncidentStatus.ACKNOWLEDGED if acked is not None and acked <= at else IncidentStatus.NEW
                data["status"] = was.value
        return PastRow(row.kind, row.id, row.version, row.org_path, data, row.pending)
    if row.kind == K.ROUTE:
        departed, arrived = _later(d.get("departed_at"), at), _later(d.get("arrived_at"), at)
        if not (departed or arrived):
            return row
        data = dict(d, arrived_at=None, state=RouteState.DEPARTED.value)
        if departed:
            data.update(departed_at=None, state=RouteState.WAITING.value)
        return PastRow(row.kind, row.id, row.version, row.org_path, data, row.pending)
    return row


class ReadsAsOf:
    """`ReplicaReads` over another, with every row as it stood at `at` (row_at)."""

    def __init__(self, reads: ReplicaReads, at: datetime) -> None:
        self.reads = reads
        self.at = at

    def _past(self, rows: Sequence[ShownRow]) -> list[ShownRow]:
        return [r for r in (row_at(row, self.at) for row in rows) if r is not None]

    def rows(self, kind: RecordKind) -> Sequence[ShownRow]:
        return self._past(self.reads.rows(kind))

    def row(self, kind: RecordKind, id: str) -> ShownRow | None:
        found = self.reads.row(kind, id)
        return row_at(found, self.at) if found is not None else None

    def count(self, kind: RecordKind) -> int:
        return len(self.rows(kind))

    def rows_by_ids(self, kind: RecordKind, ids: Sequence[str]) -> Sequence[ShownRow]:
        return self._past(self.reads.rows_by_ids(kind, ids))
