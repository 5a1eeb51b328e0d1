"""A push request is one transaction: rejected and conflicting mutations inside it do not block
the others, results are stored with the batch, and a failure mid-batch commits nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from console.server.tables import AuditRecord, Client, ClientResult, FeedEntry, RowRecord

PAYLOAD = {"category": "disorder", "code": 2, "title": "queue dispute", "station_code": "S1",
           "lat": 37.57, "lon": 126.98}


def _counts(world: Any) -> tuple[int, int, int]:
    """(feed entries, audit records, stored client results)."""
    with world.db.read() as session:
        return tuple(int(session.scalar(select(func.count()).select_from(t)) or 0)
                     for t in (FeedEntry, AuditRecord, ClientResult))  # type: ignore[return-value]


def _row(world: Any, rid: str) -> RowRecord | None:
    with world.db.read() as session:
        return session.get(RowRecord, ("incident", rid))


def _last_seq(world: Any, client_id: str) -> int | None:
    with world.db.read() as session:
        client = session.get(Client, client_id)
        return None if client is None else client.last_seq


def test_rejected_and_conflicting_mutations_mid_batch_do_not_stop_the_others(server, world, api) -> None:
    op1, cmd1 = api("op1"), api("cmd1")
    old, _ = op1.create_incident("S1")
    assert cmd1.push_one("incident.transition", "incident", old, {"to": "acknowledged"},
                         base_version=1)["status"] == "applied"  # op1's edits on v1 are now stale
    feed0, audit0, _ = _counts(world)
    batch = [
        op1.mutation("incident.create", "incident", "batch-new-0001", PAYLOAD),
        op1.mutation("incident.edit", "incident", old, {"title": "stale edit"}, base_version=1),
        op1.mutation("incident.note", "incident", "batch-new-0001", {"text": "first note"}),
        op1.mutation("incident.transition", "incident", "batch-new-0001", {"to": "closed"},
                     base_version=2),
        op1.mutation("incident.create", "incident", "batch-new-0002", {**PAYLOAD, "station_code": "S2"}),
        # based on the version the batch itself made two mutations earlier
        op1.mutation("incident.transition", "incident", "batch-new-0001", {"to": "acknowledged"},
                     base_version=2),
        op1.mutation("incident.note", "incident", old, {"text": "seen"}),
    ]
    results = op1.push(*batch)
    assert [(r["client_seq"], r["status"], r["error_code"]) for r in results] == [
        (2, "applied", None), (3, "conflict", "conflict"), (4, "applied", None),
        (5, "rejected", "illegal_transition"), (6, "rejected", "out_of_scope"),
        (7, "applied", None), (8, "applied", None)]
    assert [r["version"] for r in results] == [1, 2, 2, None, None, 3, 3]
    assert results[1]["server_row"]["version"] == 2
    assert results[1]["server_row"]["data"]["status"] == "acknowledged"
    # the applied ones took consecutive feed numbers, in client_seq order
    applied = [r["seq"] for r in results if r["status"] == "applied"]
    assert applied == list(range(feed0 + 1, feed0 + 5))
    assert all(r["seq"] is None for r in results if r["status"] != "applied")
    feed1, audit1, _ = _counts(world)
    # and the refused one (out of scope) left an audit entry of its own
    assert (feed1, audit1) == (feed0 + 4, audit0 + 4 + 1)
    with world.db.read() as session:
        entries = session.execute(select(FeedEntry.id, FeedEntry.version, FeedEntry.data)
                                  .where(FeedEntry.seq > feed0).order_by(FeedEntry.seq)).all()
    assert [(e.id, e.version) for e in entries] == [("batch-new-0001", 1), ("batch-new-0001", 2),
                                                   ("batch-new-0001", 3), (old, 3)]
    # each entry holds its own version's data, not a later change's
    assert [len(e.data["timeline"]) for e in entries[:3]] == [1, 2, 3]
    assert [e.data["status"] for e in entries[:3]] == ["new", "new", "acknowledged"]
    new = _row(world, "batch-new-0001")
    assert new is not None and new.version == 3 and new.data["status"] == "acknowledged"
    assert [e["kind"] for e in new.data["timeline"]] == ["created", "note", "status"]
    assert _row(world, "batch-new-0002") is None
    stale = _row(world, old)
    assert stale is not None and stale.version == 3
    assert stale.data["title"] == "shouting at the polling station"

    # the retried batch gets the stored results, identical, and changes nothing
    assert op1.push(*batch) == results
    assert _counts(world)[:2] == (feed1, audit1)
    # also when only the tail is retried, and a new mutation rides along behind it
    extra = op1.mutation("incident.note", "incident", "batch-new-0001", {"text": "later"})
    again = op1.push(*batch[4:], extra)
    assert again[:3] == results[4:]
    assert (again[3]["status"], again[3]["version"], again[3]["seq"]) == ("applied", 4, feed1 + 1)


def test_a_database_failure_mid_batch_commits_nothing(server, world, api, monkeypatch) -> None:
    from console.server import apply

    op1 = api("op1")
    rid, _ = op1.create_incident("S1")
    before = _counts(world)
    last = _last_seq(world, op1.client_id)
    batch = [op1.mutation("incident.note", "incident", rid, {"text": f"note {i}"}) for i in range(5)]
    calls = 0
    real = apply.apply_mutation

    def failing_third(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OperationalError("UPDATE rows ...", {}, Exception("disk I/O error"))
        return real(*args, **kwargs)

    monkeypatch.setattr(apply, "apply_mutation", failing_third)
    r = op1.post("/mutations", {"client_id": op1.client_id, "mutations": batch})
    # no result is given for any of them: the console keeps all five and retries
    assert r.status_code == 503 and r.json()["code"] == "database_unavailable"
    assert calls == 3
    assert _counts(world) == before
    assert _last_seq(world, op1.client_id) == last
    row = _row(world, rid)
    assert row is not None and row.version == 1

    monkeypatch.setattr(apply, "apply_mutation", real)
    results = op1.push(*batch)
    assert [(r["status"], r["version"]) for r in results] == [("applied", v) for v in range(2, 7)]
    assert _counts(world) == (before[0] + 5, before[1] + 5, before[2] + 5)


@pytest.mark.parametrize("failing_table", ["rows", "feed", "audit", "client_results"])
def test_a_failure_storing_the_batch_commits_nothing(server, world, api, monkeypatch,
                                                     failing_table: str) -> None:
    from console.server import feed

    op1 = api("op1")
    rid, _ = op1.create_incident("S1")
    before = _counts(world)
    batch = [op1.mutation("incident.note", "incident", rid, {"text": "one"}),
             op1.mutation("incident.create", "incident", "store-fail-0001", PAYLOAD),
             op1.mutation("incident.note", "incident", rid, {"text": "two"})]
    real = feed.insert_many

    def insert_many(session: Any, table: Any, values: Any, *args: Any) -> None:
        if table.name == failing_table:
            raise RuntimeError(f"disk full while writing {table.name}")
        real(session, table, values, *args)

    monkeypatch.setattr(feed, "insert_many", insert_many)
    r = op1.post("/mutations", {"client_id": op1.client_id, "mutations": batch})
    assert r.status_code == 500 and r.json()["code"] == "internal_error"
    op1.http.close()  # after a 500 the server may close the connection: don't race it
    assert _counts(world) == before
    assert _row(world, "store-fail-0001") is None
    row = _row(world, rid)
    assert row is not None and row.version == 1
    monkeypatch.setattr(feed, "insert_many", real)
    assert [r["status"] for r in op1.push(*batch)] == ["applied"] * 3


def test_a_full_batch_applies_in_one_request(server, world, api) -> None:
    from console.protocol.schema import MAX_PUSH_BATCH

    op1 = api("op1")
    feed0, audit0, results0 = _counts(world)
    batch = [op1.mutation("incident.create", "incident", f"full-{i:04d}", PAYLOAD)
             for i in range(MAX_PUSH_BATCH)]
    results = op1.push(*batch)
    assert [r["seq"] for r in results] == list(range(feed0 + 1, feed0 + MAX_PUSH_BATCH + 1))
    assert _counts(world) == (feed0 + MAX_PUSH_BATCH, audit0 + MAX_PUSH_BATCH,
                              results0 + MAX_PUSH_BATCH)
    _, rows = api("hq").snapshot_all(limit=300)
    assert {r["id"] for r in rows if r["id"].startswith("full-")} == {m["record_id"] for m in batch}


def test_a_batch_change_cannot_reach_into_an_earlier_change_of_the_batch(world) -> None:
    """A row changed twice in one batch: the second change gets its own copy of the data, so
    the first change's feed entry keeps what it stored, whatever the second does to it."""
    from datetime import UTC, datetime

    from console.server import feed

    at = datetime.now(UTC)
    with world.db.write() as session:
        batch = feed.FeedBatch(session)
        assert batch.current("unit", "car-1") is None
        first = {"id": "car-1", "callsign": "car 1", "type": "patrol_car", "station_code": "S1",
                 "log": ["made"]}
        batch.add(feed.RowWrite("unit", "car-1", 1, "/NPA/SEOUL/S1/", first), at, {
            "at": at, "username": "t", "client_id": None, "action": "test", "record_kind": "unit",
            "record_id": "car-1", "org_path": "/NPA/SEOUL/S1/", "before": None, "after": first,
            "note": None})
        seen = batch.current("unit", "car-1")
        assert seen is not None and seen.version == 1 and seen.data == first
        seen.data["log"].append("changed in place")  # what a careless second change might do
        second = {**seen.data, "callsign": "car one"}
        seq = batch.add(feed.RowWrite("unit", "car-1", 2, "/NPA/SEOUL/S1/", second), at, {
            "at": at, "username": "t", "client_id": None, "action": "test", "record_kind": "unit",
            "record_id": "car-1", "org_path": "/NPA/SEOUL/S1/", "before": first, "after": second,
            "note": None})
        batch.close()
    with world.db.read() as session:
        stored = session.execute(select(FeedEntry.version, FeedEntry.data)
                                 .where(FeedEntry.seq >= seq - 1).order_by(FeedEntry.seq)).all()
        row = session.get(RowRecord, ("unit", "car-1"))
    assert [(v, d["log"], d["callsign"]) for v, d in stored] == [
        (1, ["made"], "car 1"), (2, ["made", "changed in place"], "car one")]
    assert row is not None and row.version == 2 and row.data["callsign"] == "car one"
