"""Reads of several rows by id, through the replica's bulk read when it has one."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from console.domain.records import RecordKind


def rows_by_ids(replica: Any, kind: RecordKind, ids: Collection[str]) -> dict[str, Any | None]:
    """{id: ViewRow or None (gone)} for `ids`; call on the database worker. Uses
    `replica.rows_by_ids(kind, ids)` (one query per chunk) when the replica offers it, else one
    `row()` per id (~0.3 ms each: 2,000 changed incidents cost 0.6 s of worker time)."""
    bulk = getattr(replica, "rows_by_ids", None)
    if callable(bulk):
        found = {r.id: r for r in bulk(kind, list(ids))}
        return {id: found.get(id) for id in ids}
    return {id: replica.row(kind, id) for id in ids}
