"""The escalator: NEW incidents past their code's acknowledgement limit go up, once."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from server_testkit import Api
from sqlalchemy import select

from console.server.clock import ServerClock
from console.server.embedded import EmbeddedServer
from console.server.escalator import escalate_overdue
from console.server.tables import AuditRecord, RowRecord


def _iso(t: datetime) -> str:
    return t.isoformat()


def test_overdue_new_incidents_escalate_once_through_the_feed(server, world, api) -> None:
    op1 = api("op1")
    now = datetime.now(UTC)
    overdue, created = op1.create_incident("S1", code=0)
    assert created["status"] == "applied"
    # made 5 minutes ago: code 0 must be acknowledged within a minute, code 3 within an hour
    late = {"category": "violence", "code": 0, "title": "fight", "station_code": "S1",
            "lat": 37.5, "lon": 127.0}
    r = op1.push_one("incident.create", "incident", "late-0", late, made_at=_iso(now - timedelta(minutes=5)))
    assert r["status"] == "applied"
    r = op1.push_one("incident.create", "incident", "late-3", dict(late, code=3),
                     made_at=_iso(now - timedelta(minutes=5)))
    r = op1.push_one("incident.create", "incident", "late-acked", late,
                     made_at=_iso(now - timedelta(minutes=5)))
    r = op1.push_one("incident.transition", "incident", "late-acked", {"to": "acknowledged"}, base_version=1)
    assert r["status"] == "applied"

    clock = ServerClock()
    assert escalate_overdue(world.db, clock) == ["late-0"]
    assert escalate_overdue(world.db, clock) == []  # only once

    with world.db.read() as session:
        row = session.get(RowRecord, ("incident", "late-0"))
        audit = session.scalars(select(AuditRecord).where(AuditRecord.action == "incident.escalate")).all()
    assert row is not None and row.version == 2
    assert row.data["escalated"] is True and row.data["escalated_at"]
    entry = row.data["timeline"][-1]
    assert entry["by"] == "system" and entry["kind"] == "escalated"
    # The entry names the event, not a sentence: each console words it in its own language.
    assert entry["params"] == {"to": "SEOUL", "within_minutes": 1}
    assert "escalated to SEOUL" in entry["text"]  # English for readers without translations
    assert [(a.username, a.record_id) for a in audit] == [("system", "late-0")]
    # the console learns of it through the feed
    changes = op1.get("/changes", since=r["seq"]).json()["changes"]
    assert [(c["row"]["id"], c["row"]["data"]["escalated"]) for c in changes] == [("late-0", True)]

    # on a scenario clock an hour later, the code 3 and the fresh code 0 incidents are overdue too
    later = ServerClock(start=datetime.now(UTC) + timedelta(hours=1, minutes=1))
    assert sorted(escalate_overdue(world.db, later)) == sorted(["late-3", overdue])


def test_the_background_escalator_runs_on_the_server_clock(world, db_url) -> None:
    # The scenario clock starts 10 minutes ahead: an incident made "now" by the console's own
    # clock is then 10 minutes old, past a code 1's three-minute limit.
    clock = ServerClock(start=datetime.now(UTC) + timedelta(minutes=10))
    with EmbeddedServer(db_url, clock=clock, escalation_interval=0.2) as srv:
        srv.stop()
        srv.database = world.db
        srv.start()
        op1 = Api(srv.url, "op1")
        made = clock.now() - timedelta(minutes=5)
        payload = {"category": "disorder", "code": 1, "title": "crowd", "station_code": "S1",
                   "lat": 37.5, "lon": 127.0}
        r = op1.push_one("incident.create", "incident", "bg-1", payload, made_at=_iso(made))
        assert r["status"] == "applied"
        out: dict[str, Any] = {}

        def poll() -> None:
            out["page"] = op1.get("/changes", since=r["seq"], wait=20).json()

        t = threading.Thread(target=poll)
        t.start()
        t.join(30)
        (change,) = out["page"]["changes"]
        assert change["row"]["id"] == "bg-1" and change["row"]["data"]["escalated"] is True
        time.sleep(0.5)  # further passes change nothing
        assert op1.get("/changes", since=change["seq"]).json()["changes"] == []


def test_an_incident_written_by_a_newer_version_still_escalates(server, world, api) -> None:
    op1 = api("op1")
    late = {"category": "violence", "code": 0, "title": "fight", "station_code": "S1", "lat": 37.5, "lon": 127.0}
    made = _iso(datetime.now(UTC) - timedelta(minutes=5))
    assert op1.push_one("incident.create", "incident", "newer-0", late, made_at=made)["status"] == "applied"
    with world.db.write() as session:  # a field this version does not know, as a newer server writes it
        row = session.get(RowRecord, ("incident", "newer-0"))
        assert row is not None
        row.data = {**row.data, "drone_footage": "ref-17"}
    assert escalate_overdue(world.db, ServerClock()) == ["newer-0"]
    with world.db.read() as session:
        row = session.get(RowRecord, ("incident", "newer-0"))
        assert row is not None and row.data["escalated"] is True and row.data["drone_footage"] == "ref-17"
