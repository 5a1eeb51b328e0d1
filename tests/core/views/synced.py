"""Read-model tests run over a real replica: a fixture that opens one, and rows stored as a first
sync would store them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from console.protocol.schema import Row
from console.replica import Replica


@pytest.fixture
def replica(tmp_path: Path) -> Iterator[Replica]:
    r = Replica(tmp_path / "replica.sqlite3")
    yield r
    r.close()


def load(replica: Replica, rows: Sequence[Row]) -> None:
    """Store `rows` as a completed first sync (a snapshot that replaces whatever was there)."""
    replica.begin_snapshot("epoch", len(rows), wipe=True)
    replica.apply_snapshot_page(list(rows), done=True, as_of=len(rows))
