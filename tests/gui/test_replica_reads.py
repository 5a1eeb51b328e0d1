"""rows_by_ids: the replica's bulk read when it has one, else one row() per id; gone ids map to None."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from console.domain.records import RecordKind
from console.ui.replica_reads import rows_by_ids

pytestmark = pytest.mark.gui
K = RecordKind


class OneByOne:
    def __init__(self, ids: set[str]) -> None:
        self.ids, self.calls = ids, 0

    def row(self, kind: RecordKind, id: str) -> Any:
        self.calls += 1
        return SimpleNamespace(id=id, kind=kind) if id in self.ids else None


class Bulk(OneByOne):
    def rows_by_ids(self, kind: RecordKind, ids: list[str]) -> list[Any]:
        return [SimpleNamespace(id=i, kind=kind) for i in reversed(ids) if i in self.ids]


@pytest.mark.parametrize("cls", [OneByOne, Bulk])
def test_every_asked_id_is_answered_and_gone_ones_are_none(cls: type[OneByOne]) -> None:
    replica = cls({"a", "b"})
    got = rows_by_ids(replica, K.INCIDENT, ["a", "b", "gone"])
    assert set(got) == {"a", "b", "gone"}
    assert got["a"].id == "a" and got["b"].id == "b" and got["gone"] is None
    assert replica.calls == (3 if cls is OneByOne else 0)  # the bulk read is used when offered
