"""Reads of several rows by id, through the replica's bulk read when it has one."""

from __future__ import annotations

from collections.abc import Collection

from console.domain.records import RecordKind
from console.replica.reads import ReplicaReads, ShownRow


def rows_by_ids(replica: ReplicaReads, kind: RecordKind, ids: Collection[str]) -> dict[str, ShownRow | None]:
    """{id: row or None (gone)} for `ids`, in one bulk read; call on the database worker."""
    found = {r.id: r for r in replica.rows_by_ids(kind, list(ids))}
    return {id: found.get(id) for id in ids}
