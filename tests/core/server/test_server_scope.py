"""Roles and scopes: reads return only rows in scope; writes outside scope or role are refused."""

from __future__ import annotations

import uuid

from console.server import operations


def _rows_by_kind(rows: list[dict]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(r["kind"], set()).add(r["id"])
    return out


def _seed_incidents(api) -> dict[str, str]:
    """One incident per station, created by that station's operator."""
    ids = {}
    for user, station in (("op1", "S1"), ("op2", "S2"), ("opb", "B1")):
        rid, result = api(user).create_incident(station)
        assert result["status"] == "applied", result
        ids[station] = rid
    return ids


def test_snapshot_and_changes_hold_only_rows_in_scope(server, world, api) -> None:
    incidents = _seed_incidents(api)
    with world.db.write() as session:
        order = operations.issue_duty_order(session, "SEOUL", "level_a", ["S1", "S2"],
                                            "2025-06-03T06:00:00+09:00")
        busan_order = operations.issue_duty_order(session, "BUSAN", "level_b", ["B1"],
                                                  "2025-06-03T06:00:00+09:00")
    expected = {
        # a station sees its own rows, and the org units and orders of the offices above it
        "op1": ({"NPA", "SEOUL", "S1"}, {incidents["S1"]}, {order.id}),
        "seoul": ({"NPA", "SEOUL", "S1", "S2"}, {incidents["S1"], incidents["S2"]}, {order.id}),
        "hq": ({"NPA", "SEOUL", "BUSAN", "S1", "S2", "B1"}, set(incidents.values()),
               {order.id, busan_order.id}),
    }
    for user, (org_ids, incident_ids, order_ids) in expected.items():
        console = api(user)
        _, rows = console.snapshot_all()
        kinds = _rows_by_kind(rows)
        assert kinds["org"] == org_ids, user
        assert kinds.get("incident", set()) == incident_ids, user
        assert kinds.get("duty_order", set()) == order_ids, user
        changes = console.get("/changes", since=0, limit=5000).json()
        seen = _rows_by_kind([c["row"] for c in changes["changes"]])
        assert seen == kinds, user
        # the cursor moves past the changes the user may not see, up to the head
        assert not changes["more"]
        assert changes["cursor"] == console.http.get(f"{server.url}/health").json()["feed_head"]


def test_writes_outside_scope_are_rejected(server, api) -> None:
    incidents = _seed_incidents(api)
    op1 = api("op1")
    # someone else's incident: answered as one that does not exist (no existence oracle)
    r = op1.push_one("incident.transition", "incident", incidents["S2"], {"to": "acknowledged"},
                     base_version=1)
    assert (r["status"], r["error_code"]) == ("rejected", "not_found")
    # creating a row owned by another station
    _, r = op1.create_incident("S2")
    assert (r["status"], r["error_code"]) == ("rejected", "out_of_scope")
    # a province cannot touch another province's rows
    r = api("seoul").push_one("incident.note", "incident", incidents["B1"], {"text": "hello"})
    assert (r["status"], r["error_code"]) == ("rejected", "not_found")
    # but may act on its own stations' rows
    r = api("seoul").push_one("incident.note", "incident", incidents["S2"], {"text": "seen by HQ"})
    assert r["status"] == "applied"
    # nothing of the refused writes reached the other stations' rows
    _, rows = api("op2").snapshot_all()
    s2 = next(row for row in rows if row["id"] == incidents["S2"])
    assert s2["version"] == 2 and s2["data"]["status"] == "new"


def test_role_permissions_are_enforced(server, api) -> None:
    incidents = _seed_incidents(api)
    viewer = api("viewer1")
    r = viewer.push_one("incident.note", "incident", incidents["S1"], {"text": "I only watch"})
    assert (r["status"], r["error_code"]) == ("rejected", "forbidden")
    order_payload = {"level": "level_a", "targets": ["S1"], "effective_from": "2025-06-03T06:00:00+09:00"}
    r = api("op1").push_one("duty.issue", "duty_order", uuid.uuid4().hex, order_payload)
    assert (r["status"], r["error_code"]) == ("rejected", "forbidden")
    r = api("cmd1").push_one("duty.issue", "duty_order", uuid.uuid4().hex, order_payload)
    assert (r["status"], r["error_code"]) == ("rejected", "forbidden")
    # the escalation is the server's own mutation
    r = api("hq").push_one("incident.escalate", "incident", incidents["S1"], {"to": "SEOUL"})
    assert (r["status"], r["error_code"]) == ("rejected", "forbidden")


def test_duty_orders_go_strictly_below_the_issuer(server, api) -> None:
    seoul = api("seoul")

    def issue(targets: list[str]) -> dict:
        return seoul.push_one("duty.issue", "duty_order", uuid.uuid4().hex, {
            "level": "level_b", "targets": targets, "effective_from": "2025-06-03T06:00:00+09:00"})

    assert issue(["S1", "S2"])["status"] == "applied"
    for targets in (["SEOUL"], ["B1"], ["S1", "BUSAN"], ["NPA"]):
        r = issue(targets)
        assert (r["status"], r["error_code"]) == ("rejected", "out_of_scope"), targets
    assert issue(["NOWHERE"])["error_code"] == "out_of_scope"  # the same as an office elsewhere
    r = api("hq").push_one("duty.issue", "duty_order", uuid.uuid4().hex, {
        "level": "level_a", "targets": ["SEOUL", "BUSAN", "B1"],
        "effective_from": "2025-06-03T06:00:00+09:00"})
    assert r["status"] == "applied"


def test_duty_acknowledge_only_for_own_office(server, api) -> None:
    order_id = uuid.uuid4().hex
    r = api("seoul").push_one("duty.issue", "duty_order", order_id, {
        "level": "level_a", "targets": ["S1", "S2"], "effective_from": "2025-06-03T06:00:00+09:00"})
    assert r["status"] == "applied"
    cmd1 = api("cmd1")
    r = cmd1.push_one("duty.acknowledge", "duty_order", order_id, {"org_code": "S2"})
    assert (r["status"], r["error_code"]) == ("rejected", "out_of_scope")
    r = cmd1.push_one("duty.acknowledge", "duty_order", order_id, {"org_code": "S1"})
    assert r["status"] == "applied" and r["version"] == 2
    # a Busan commander cannot see, let alone acknowledge, a Seoul order
    with_busan_cmd = api("hq").push_one("duty.issue", "duty_order", uuid.uuid4().hex, {
        "level": "level_a", "targets": ["B1"], "effective_from": "2025-06-03T06:00:00+09:00"})
    assert with_busan_cmd["status"] == "applied"
    _, rows = cmd1.snapshot_all()
    order = next(row for row in rows if row["id"] == order_id)
    assert set(order["data"]["acks"]) == {"S1"}


def test_audit_is_for_hq_and_scoped(server, api) -> None:
    incidents = _seed_incidents(api)
    r = api("op1").get("/audit")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    seoul_entries = api("seoul").get("/audit", record_kind="incident").json()
    assert {e["record_id"] for e in seoul_entries} == {incidents["S1"], incidents["S2"]}
    assert all(e["action"] == "incident.create" and e["before"] is None for e in seoul_entries)
    hq_entries = api("hq").get("/audit", record_kind="incident").json()
    assert {e["record_id"] for e in hq_entries} == set(incidents.values())
    by_op1 = api("hq").get("/audit", username="op1").json()
    # newest first: op1 logged in, created its incident, then logged in again to read the audit
    assert [(e["action"], e["record_id"]) for e in by_op1] == [
        ("login", None), ("incident.create", incidents["S1"]), ("login", None)]
    assert by_op1[1]["client_id"] and by_op1[1]["after"]["station_code"] == "S1"
    older = api("hq").get("/audit", username="op1", before_id=by_op1[1]["id"]).json()
    assert [e["action"] for e in older] == ["login"]
