"""rows_by_ids: one bulk read, every asked id answered, gone ids map to None (real replica)."""

from __future__ import annotations

from pathlib import Path

from console.domain.records import RecordKind
from console.protocol.schema import Row
from console.replica import Replica
from console.views.replica_reads import rows_by_ids

K = RecordKind


def test_every_asked_id_is_answered_and_gone_ones_are_none(tmp_path: Path) -> None:
    replica = Replica(tmp_path / "replica.sqlite3")
    try:
        rows = [Row(kind=K.UNIT, id=i, version=1, org_path="/NPA/", data={"id": i}) for i in ("a", "b")]
        replica.begin_snapshot("epoch", 2, wipe=True)
        replica.apply_snapshot_page(rows, done=True, as_of=2)
        got = rows_by_ids(replica, K.UNIT, ["a", "b", "gone"])
        assert set(got) == {"a", "b", "gone"}
        a, b = got["a"], got["b"]
        assert a is not None and a.id == "a" and b is not None and b.id == "b" and got["gone"] is None
    finally:
        replica.close()
