"""Helpers for the record table tests: a replica that counts its reads, a column's texts, an HQ user."""

from __future__ import annotations

from typing import Any

from console.domain.records import RecordKind
from console.domain.roles import Role
from console.ui.testing import MemoryReplica, sample_user


class CountingReplica(MemoryReplica):
    """Counts whole-kind reads and single-row reads, to check that updates read the changed
    rows only."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.full_reads: dict[RecordKind, int] = {}
        self.row_reads: list[str] = []

    def rows(self, kind: RecordKind) -> list[Any]:
        self.full_reads[RecordKind(kind)] = self.full_reads.get(RecordKind(kind), 0) + 1
        return super().rows(kind)

    def row(self, kind: RecordKind, id: str) -> Any:
        self.row_reads.append(id)
        return super().row(kind, id)

    def rows_by_ids(self, kind: RecordKind, ids: Any) -> list[Any]:
        self.row_reads.extend(ids)
        return super().rows_by_ids(kind, ids)


def texts(table: Any, col: int) -> list[str]:
    """The texts of column `col`, top to bottom (a RecordTableView or a QTableWidget)."""
    return [table.item(r, col).text() for r in range(table.rowCount())]


def national_hq() -> Any:
    """A national HQ user: every office in scope, with the per-office roll-ups."""
    return sample_user(role=Role.NATIONAL_HQ, org_code="NPA", org_path="/NPA/")
