"""The server database and the console replica are created readable by their owner only; an
existing file that others may read is left as it is, with a warning."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from console.replica import Replica
from console.server.database import Database

pytestmark = [pytest.mark.once,  # shows no time; the same in every zone
              pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _usual_umask():
    # The usual umask, which leaves new files readable by everyone unless told otherwise.
    saved = os.umask(0o022)
    yield
    os.umask(saved)


def test_a_new_server_database_is_the_owners_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "sitroom" / "server.db"
    db = Database(f"sqlite:///{path}")
    try:
        db.upgrade()
        with db.write() as session:  # the -wal and -shm files appear
            from sqlalchemy import text

            session.execute(text("UPDATE feed_head SET seq = seq"))
        assert _mode(path) == 0o600
        for extra in (path.with_name("server.db-wal"), path.with_name("server.db-shm")):
            assert not extra.exists() or _mode(extra) == 0o600, extra
        assert _mode(path.parent) == 0o700 and _mode(path.parent.parent) == 0o700
    finally:
        db.dispose()


def test_an_existing_server_database_open_to_others_is_left_with_a_warning(tmp_path: Path,
                                                                           caplog) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    path = folder / "server.db"
    path.touch(mode=0o644)
    os.chmod(path, 0o644)
    with caplog.at_level(logging.WARNING, logger="sitroom.server.database"):
        db = Database(f"sqlite:///{path}")
        db.upgrade()
        db.dispose()
    assert _mode(path) == 0o644 and _mode(folder) == 0o755  # not changed behind anyone's back
    assert any("can be read by other users (mode 0644)" in r.getMessage()
               and "chmod 600" in r.getMessage() for r in caplog.records)


def test_a_private_existing_server_database_raises_no_warning(tmp_path: Path, caplog) -> None:
    path = tmp_path / "server.db"
    Database(f"sqlite:///{path}").dispose()
    with caplog.at_level(logging.WARNING, logger="sitroom.server.database"):
        Database(f"sqlite:///{path}").dispose()
    assert not caplog.records


def test_a_new_console_replica_is_the_owners_only(tmp_path: Path) -> None:
    path = tmp_path / "profiles" / "host-8470_op1" / "replica.sqlite3"
    replica = Replica(path)
    try:
        replica.meta_update({"token": "secret"})
        assert _mode(path) == 0o600
        assert _mode(path.parent) == 0o700 and _mode(path.parent.parent) == 0o700
        wal = path.with_name("replica.sqlite3-wal")
        assert not wal.exists() or _mode(wal) == 0o600
    finally:
        replica.close()


def test_an_existing_replica_open_to_others_is_left_with_a_warning(tmp_path: Path, caplog) -> None:
    path = tmp_path / "replica.sqlite3"
    Replica(path).close()
    os.chmod(path, 0o640)
    with caplog.at_level(logging.WARNING, logger="sitroom.replica"):
        Replica(path).close()
    assert _mode(path) == 0o640
    assert any("can be read by other users (mode 0640)" in r.getMessage() for r in caplog.records)
