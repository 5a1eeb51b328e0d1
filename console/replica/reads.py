"""The read protocol of the console's local store: what read models and panels may call.

`console.replica.Replica` implements it over SQLite and `console.ui.testing.MemoryReplica` in
memory; read models take it as an argument and never learn which one they were given."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from console.domain.records import RecordKind


class ShownRow(Protocol):
    """A row as the console shows it (`console.replica.ViewRow`): the server row with this
    console's unacknowledged mutations on top."""

    @property
    def kind(self) -> RecordKind: ...
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def org_path(self) -> str: ...
    @property
    def data(self) -> dict[str, Any]: ...
    @property
    def pending(self) -> bool: ...


class ReplicaReads(Protocol):
    """Reads of the shown rows. Call on the database worker, never on the GUI thread."""

    def rows(self, kind: RecordKind) -> Sequence[ShownRow]: ...
    def row(self, kind: RecordKind, id: str) -> ShownRow | None: ...
    def count(self, kind: RecordKind) -> int: ...
    def rows_by_ids(self, kind: RecordKind, ids: Sequence[str]) -> Sequence[ShownRow]:
        """The rows of `ids` that exist, in no set order."""
        ...
