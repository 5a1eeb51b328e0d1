"""A situation report made offline waits in the outbox and syncs later with its time of making:
the server keeps the console's made_at, notes when it received it, and the HQ's board counts the
report as made on time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sync_helpers import converged, open_console, seed, server_rows, wait_for

from console.domain.clock import iso, now_utc, parse_time
from console.domain.records import RecordKind, from_stored
from console.domain.reporting import SlotState, report_for_slot, slot_state
from console.server.embedded import EmbeddedServer

REP = RecordKind.SITUATION_REPORT


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[EmbeddedServer]:
    srv = EmbeddedServer(f"sqlite:///{tmp_path / 'server.db'}", escalation_interval=None)
    srv.start()
    seed(srv, incidents_per_station=1)
    yield srv
    srv.close()


def test_a_report_made_offline_syncs_later_with_its_time_of_making(sqlite_server: EmbeddedServer,
                                                                   tmp_path: Path) -> None:
    now = now_utc()
    slot = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    hq = open_console(sqlite_server.url, "seoul", tmp_path / "seoul.sqlite3")
    cmd = open_console(sqlite_server.url, "cmd1", tmp_path / "cmd1.sqlite3", backoff_cap=0.5)
    try:
        hq.replica.submit("schedule.set", RecordKind.REPORT_SCHEDULE, "SCH", {
            "targets": ["S1", "S2"], "starts_at": iso(slot - timedelta(hours=3)), "every_minutes": 60})
        wait_for(lambda: cmd.replica.row(RecordKind.REPORT_SCHEDULE, "SCH") is not None, what="the schedule")
        sqlite_server.stop()  # the station loses the server
        made = slot + timedelta(minutes=4)  # on time, for the hour an hour ago
        rid = cmd.replica.new_id()
        cmd.replica.submit("report.submit", REP, rid, {"schedule_id": "SCH", "slot": iso(slot),
                                                       "remarks": "통신 두절 중 작성"}, at=made)
        time.sleep(1.5)  # pushes fail meanwhile: the report waits in the outbox
        assert cmd.replica.pending_count() == 1
        assert ("situation_report", rid) not in server_rows(sqlite_server)
        sqlite_server.start()
        wait_for(lambda: converged(cmd, sqlite_server) and cmd.replica.pending_count() == 0, timeout=30,
                 what="the outbox flushed")
        row = server_rows(sqlite_server)[("situation_report", rid)]
        assert row.data["made_at"] == iso(made)  # its time of making, not of arrival
        assert parse_time(row.data["received_at"]) - made > timedelta(minutes=50)
        wait_for(lambda: hq.replica.row(REP, rid) is not None, what="the report at the HQ")
        report = from_stored(REP, dict(hq.replica.row(REP, rid).data))  # type: ignore[union-attr]
        schedule = from_stored(RecordKind.REPORT_SCHEDULE,
                               dict(hq.replica.row(RecordKind.REPORT_SCHEDULE, "SCH").data))  # type: ignore[union-attr]
        _r, first = report_for_slot([report], "S1", "SCH", slot)
        assert slot_state(slot, schedule, first, now_utc()) == SlotState.SUBMITTED
    finally:
        cmd.close()
        hq.close()
