"""Pushes: in client_seq order, exactly once, deferred on gaps, conflicts, rejections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from server_testkit import PASSWORD
from sqlalchemy import func, select

from console.server.tables import AuditRecord, FeedEntry


def _feed_size(world) -> int:
    with world.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(FeedEntry)) or 0)


def test_retried_push_returns_the_stored_results_without_reapplying(server, world, api) -> None:
    op1 = api("op1")
    rid = "incident-retry-0001"
    payload = {"category": "bribery", "code": 3, "title": "cash in envelopes", "station_code": "S1",
               "lat": 37.57, "lon": 126.98}
    batch = [op1.mutation("incident.create", "incident", rid, payload),
             op1.mutation("incident.note", "incident", rid, {"text": "witness called back"}),
             op1.mutation("incident.transition", "incident", rid, {"to": "dispatched"}, base_version=2)]
    first = op1.push(*batch)
    assert [r["status"] for r in first] == ["applied", "applied", "rejected"]
    size = _feed_size(world)
    again = op1.push(*batch)
    assert again == first
    assert _feed_size(world) == size
    # a later login (new token, same console) sees the same results too
    op1.login("op1")
    assert op1.push(*batch[1:]) == first[1:]


def test_gap_is_deferred_until_the_missing_one_arrives(server, world, api) -> None:
    op1 = api("op1")
    rid = "incident-gap-0001"
    payload = {"category": "disorder", "code": 2, "title": "queue dispute", "station_code": "S1",
               "lat": 37.57, "lon": 126.98}
    create = op1.mutation("incident.create", "incident", rid, payload, client_seq=1)
    note = op1.mutation("incident.note", "incident", rid, {"text": "calm now"}, client_seq=2)
    note2 = op1.mutation("incident.note", "incident", rid, {"text": "left"}, client_seq=3)
    results = op1.push(note, note2)
    assert [r["status"] for r in results] == ["deferred", "deferred"]
    assert _feed_size(world) == 6  # only the org units
    results = op1.push(note2, create, note)  # any order in the request: applied by client_seq
    assert [(r["client_seq"], r["status"]) for r in results] == [
        (1, "applied"), (2, "applied"), (3, "applied")]
    assert [r["version"] for r in results] == [1, 2, 3]
    assert results[0]["seq"] < results[1]["seq"] < results[2]["seq"]


def test_stale_base_version_is_a_conflict_with_the_server_row(server, api) -> None:
    op1, cmd1 = api("op1"), api("cmd1")
    rid, created = op1.create_incident("S1")
    assert created["version"] == 1
    r = cmd1.push_one("incident.transition", "incident", rid, {"to": "acknowledged"}, base_version=1)
    assert r["status"] == "applied" and r["version"] == 2
    r = op1.push_one("incident.edit", "incident", rid, {"title": "a different title"}, base_version=1)
    assert r["status"] == "conflict"
    assert r["server_row"]["version"] == 2
    assert r["server_row"]["data"]["status"] == "acknowledged"
    assert r["server_row"]["data"]["title"] == "shouting at the polling station"
    # notes do not check the base: appending is safe on any version
    r = op1.push_one("incident.note", "incident", rid, {"text": "still there"}, base_version=1)
    assert r["status"] == "applied" and r["version"] == 3
    # an edit that needs a base but has none is refused, not applied blindly
    r = op1.push_one("incident.edit", "incident", rid, {"title": "x"})
    assert (r["status"], r["error_code"]) == ("rejected", "invalid_value")


def test_rejected_does_not_block_later_and_changes_nothing(server, world, api) -> None:
    op1 = api("op1")
    rid, _ = op1.create_incident("S1")
    size = _feed_size(world)
    with world.db.read() as session:
        audits = session.scalar(select(func.count()).select_from(AuditRecord))
    bad = op1.mutation("incident.transition", "incident", rid, {"to": "closed"}, base_version=1)
    good = op1.mutation("incident.transition", "incident", rid, {"to": "acknowledged"}, base_version=1)
    rejected, applied = op1.push(bad, good)
    assert rejected["status"] == "rejected" and rejected["error_code"] == "illegal_transition"
    assert "cannot go from 'new' to 'closed'" in rejected["message"]
    assert rejected["version"] is None and rejected["seq"] is None
    assert applied["status"] == "applied" and applied["version"] == 2
    assert _feed_size(world) == size + 1
    with world.db.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditRecord)) == audits + 1


def test_client_id_is_bound_to_its_user(server, api) -> None:
    op1 = api("op1", client_id="shared-console-01")
    op1.create_incident("S1")
    # Another user cannot log in with it (more in test_server_identity.py).
    r = requests.post(f"{server.url}/api/v1/login", json={
        "username": "op2", "password": PASSWORD, "client_id": "shared-console-01"})
    assert r.status_code == 409 and r.json()["code"] == "client_id_in_use"


def test_made_at_is_trusted_only_near_the_server_clock(server, api) -> None:
    op1 = api("op1")
    recent = (datetime.now(UTC) - timedelta(minutes=30)).replace(microsecond=0)
    rid = "incident-time-0001"
    payload = {"category": "disorder", "code": 3, "title": "t", "station_code": "S1", "lat": 37.5, "lon": 127.0}
    r = op1.push_one("incident.create", "incident", rid, payload, made_at=recent.isoformat())
    assert r["status"] == "applied"
    rid2 = "incident-time-0002"
    r = op1.push_one("incident.create", "incident", rid2, payload, made_at="2001-01-01T00:00:00Z")
    assert r["status"] == "applied"
    _, rows = op1.snapshot_all()
    created = {row["id"]: datetime.fromisoformat(row["data"]["created_at"]) for row in rows
               if row["kind"] == "incident"}
    assert created[rid] == recent
    assert abs(created[rid2] - datetime.now(UTC)) < timedelta(minutes=5)


def test_malformed_push_is_422(server, api) -> None:
    op1 = api("op1")
    r = op1.post("/mutations", {"client_id": op1.client_id, "mutations": [{"client_seq": 0}]})
    assert r.status_code == 422 and r.json()["code"] == "validation_error"
    r = requests.post(f"{server.url}/api/v1/mutations", data="not json",
                      headers={**op1.http.headers, "Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["code"] == "validation_error"


def test_a_failure_mid_mutation_leaves_nothing_half_applied(server, world, api, monkeypatch) -> None:
    from console.server import feed

    op1 = api("op1")
    rid, _ = op1.create_incident("S1")
    size = _feed_size(world)
    note = op1.mutation("incident.note", "incident", rid, {"text": "after the crash"})
    real = feed.insert_many

    def broken_audit(session: Any, table: Any, values: Any, *args: Any) -> None:
        if table.name == "audit":
            raise RuntimeError("disk full while writing the audit log")
        real(session, table, values, *args)

    # the row and the feed entry are written before the audit record: all must roll back
    monkeypatch.setattr(feed, "insert_many", broken_audit)
    r = op1.post("/mutations", {"client_id": op1.client_id, "mutations": [note]})
    assert r.status_code == 500 and r.json()["code"] == "internal_error"
    op1.http.close()  # after a 500 the server may close the connection: don't race it
    assert _feed_size(world) == size
    _, rows = op1.snapshot_all()
    assert next(row for row in rows if row["id"] == rid)["version"] == 1
    monkeypatch.setattr(feed, "insert_many", real)
    # the client_seq was not used up: the retry applies it
    (result,) = op1.push(note)
    assert result["status"] == "applied" and result["version"] == 2
    assert _feed_size(world) == size + 1


def test_changes_name_the_pushing_console_own_mutations_only(server, world, api) -> None:
    op1, cmd1 = api("op1"), api("cmd1")  # two consoles of the same station
    since = int(op1.get("/changes", since=0, limit=1000).json()["cursor"])
    rid, created = op1.create_incident("S1")
    note = op1.mutation("incident.note", "incident", rid, {"text": "second visit"})
    [noted] = op1.push(note)
    cmd1.push_one("incident.note", "incident", rid, {"text": "from the commander"})

    mine = op1.get("/changes", since=since).json()["changes"]
    theirs = cmd1.get("/changes", since=since).json()["changes"]
    assert [c["row"]["version"] for c in mine] == [c["row"]["version"] for c in theirs] == [1, 2, 3]
    # op1 learns which of its mutations each change acknowledges; the commander's is not op1's
    assert [c.get("own_seq") for c in mine] == [created["client_seq"], noted["client_seq"], None]
    assert [c["seq"] for c in mine[:2]] == [created["seq"], noted["seq"]]
    assert [c.get("own_seq") is not None for c in theirs] == [False, False, True]
