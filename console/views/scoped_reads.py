"""Reads narrowed to one office's scope: an HQ's replica seen as the console of an office below
would hold it, so a read model made for that office (its situation report) counts its rows only."""

from __future__ import annotations

from collections.abc import Sequence

from console.domain.org import visible_in_scope
from console.domain.records import INHERITED_KINDS, RecordKind
from console.replica.reads import ReplicaReads, ShownRow


class ScopedReads:
    """`reads` as a user whose scope is `scope_path` sees them (the server's rule,
    console.domain.org.visible_in_scope)."""

    def __init__(self, reads: ReplicaReads, scope_path: str) -> None:
        self._reads = reads
        self._scope = scope_path

    def _visible(self, kind: RecordKind, row: ShownRow) -> bool:
        return visible_in_scope(row.org_path, self._scope, inherited=RecordKind(kind) in INHERITED_KINDS)

    def rows(self, kind: RecordKind) -> Sequence[ShownRow]:
        return [r for r in self._reads.rows(kind) if self._visible(kind, r)]

    def row(self, kind: RecordKind, id: str) -> ShownRow | None:
        found = self._reads.row(kind, id)
        return found if found is not None and self._visible(kind, found) else None

    def count(self, kind: RecordKind) -> int:
        return len(self.rows(kind))

    def rows_by_ids(self, kind: RecordKind, ids: Sequence[str]) -> Sequence[ShownRow]:
        return [r for r in self._reads.rows_by_ids(kind, ids) if self._visible(kind, r)]
