"""Hostile input at the server's edge: every bad request gets a worded 4xx, never a 500.

Each case of the outside audit (issue 11) on SQLite and PostgreSQL, over real HTTP: huge
integers, forged cursors, wrongly typed fields, deep nesting, NUL and lone surrogates, sizes,
the push protocol's sharp edges, the integrity rules and the existence oracle."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from server_testkit import PASSWORD, Api

from console.server import operations
from console.server.clock import ServerClock
from console.server.escalator import escalate_overdue

pytestmark = pytest.mark.once

INT64 = 2**63
PAYLOAD = {"category": "disorder", "code": 2, "title": "queue dispute", "station_code": "S1",
           "lat": 37.57, "lon": 126.98}


def _raw(api: Api, path: str, body: str) -> requests.Response:
    return api.http.post(f"{api.base}/api/v1{path}", data=body.encode("utf-8", "surrogatepass"),
                         headers={"Content-Type": "application/json"}, timeout=60)


def _push_text(api: Api, mutations_json: str) -> requests.Response:
    """A push whose mutations are given as JSON text (to send what json.dumps would not)."""
    return _raw(api, "/mutations", f'{{"client_id":"{api.client_id}","mutations":{mutations_json}}}')


def _worded_4xx(r: requests.Response, status: int | None = None) -> dict[str, Any]:
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    if status is not None:
        assert r.status_code == status, r.text[:300]
    body: dict[str, Any] = r.json()
    assert body["code"] and len(body["message"]) > 10, body
    return body


def _seed_field(world: Any) -> None:
    """Units, a route and a polling station in S1, a unit in Busan."""
    rows = [
        ("unit", "U-S1", {"id": "U-S1", "callsign": "Jongno 1", "type": "patrol_car",
                          "station_code": "S1"}),
        ("unit", "U-B1", {"id": "U-B1", "callsign": "Busanjin 1", "type": "patrol_car",
                          "station_code": "B1"}),
        ("polling_station", "PS-1", {"id": "PS-1", "kind": "election_day", "name": "Hall 1",
                                     "station_code": "S1", "lat": 37.5, "lon": 127.0}),
        ("counting_station", "CS-1", {"id": "CS-1", "name": "Gym", "station_code": "S1",
                                      "lat": 37.5, "lon": 127.0}),
        ("route", "R-1", {"id": "R-1", "polling_station_id": "PS-1", "counting_station_id": "CS-1",
                          "station_code": "S1", "planned_minutes": 20}),
    ]
    with world.db.write() as session:
        operations.bulk_insert_rows(session, rows)


# -- integers, cursors, types -------------------------------------------------------------------
def test_integers_of_2_63_or_more_are_refused_everywhere(server, api) -> None:
    hq, op1 = api("hq"), api("op1")
    for path, params in (("/audit", {"before_id": INT64}), ("/changes", {"since": INT64}),
                         ("/audit", {"before_id": 10**30}), ("/changes", {"since": -1})):
        _worded_4xx(hq.get(path, **params), 422)
    # in a body: a client_seq breaks the envelope, other numbers only their mutation
    r = op1.post("/mutations", {"client_id": op1.client_id, "mutations": [
        op1.mutation("incident.note", "incident", "x", {"text": "hi"}, client_seq=INT64)]})
    _worded_4xx(r, 422)
    rid, _ = op1.create_incident("S1")  # client_seq 1
    results = op1.push(
        op1.mutation("incident.edit", "incident", rid, {"title": "t"}, base_version=INT64),
        op1.mutation("incident.edit", "incident", rid, {"code": 10**20}, base_version=1),
        op1.mutation("incident.note", "incident", rid, {"text": "still applied"}))
    assert [r["status"] for r in results] == ["rejected", "rejected", "applied"], results
    assert results[0]["error_code"] == "invalid_mutation" and "base_version" in results[0]["message"]
    assert results[1]["error_code"] == "invalid_mutation" and "2^63" in results[1]["message"]


def _cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def test_forged_snapshot_cursors_are_refused_with_a_reason(server, api) -> None:
    op1 = api("op1")
    first = op1.get("/snapshot", limit=2).json()
    genuine = json.loads(base64.urlsafe_b64decode(first["next_after"] + "=="))
    forged = [
        {**genuine, "a": [1]}, {**genuine, "a": "7"}, {**genuine, "t": None},
        {**genuine, "k": ["org"]}, {**genuine, "i": {"x": 1}}, {**genuine, "a": INT64},
        {**genuine, "i": "S1\u0000"}, {**genuine, "i": "\ud800"}, [genuine], "text", 12,
    ]
    for value in forged:
        body = _worded_4xx(op1.get("/snapshot", after=_cursor(value)), 400)
        assert body["code"] == "invalid_cursor"
    # 1e400 (infinity once parsed) and NaN, written as JSON text
    for text in ('{"e":"x","a":1e400,"t":1,"k":"org","i":"S1"}',
                 '{"e":"x","a":NaN,"t":1,"k":"org","i":"S1"}'):
        after = base64.urlsafe_b64encode(text.encode()).decode()
        assert _worded_4xx(op1.get("/snapshot", after=after), 400)["code"] == "invalid_cursor"
    for after in ("%%%", "a" * 5000, base64.urlsafe_b64encode(b"\xff\xfe").decode()):
        _worded_4xx(op1.get("/snapshot", after=after))


def test_wrongly_typed_incident_fields_are_rejected_and_the_next_applies(server, api) -> None:
    op1 = api("op1")
    bad = [{**PAYLOAD, "title": 123}, {**PAYLOAD, "title": None}, {**PAYLOAD, "station_code": ["S1"]},
           {**PAYLOAD, "lat": "37.5"}, {**PAYLOAD, "code": "2"}, {**PAYLOAD, "code": True},
           {**PAYLOAD, "place": {"a": 1}}, {**PAYLOAD, "lon": None}]
    mutations = [op1.mutation("incident.create", "incident", uuid.uuid4().hex, p) for p in bad]
    mutations.append(op1.mutation("incident.create", "incident", "good-one", PAYLOAD))
    results = op1.push(*mutations)
    for r, payload in zip(results[:-1], bad, strict=True):
        assert (r["status"], r["error_code"]) == ("rejected", "invalid_value"), (payload, r)
        assert " must be " in r["message"], r
    assert results[-1]["status"] == "applied"
    _, rows = op1.snapshot_all()
    assert [row["id"] for row in rows if row["kind"] == "incident"] == ["good-one"]


# -- nesting, NUL, surrogates, sizes ---------------------------------------------------------
def test_deep_nesting_is_refused_before_parsing(server, api) -> None:
    op1 = api("op1")
    for depth in (900, 100_000):
        nested = "[" * depth + "]" * depth
        r = _push_text(op1, f'[{{"client_seq":1,"kind":"incident.create","record_kind":"incident",'
                            f'"record_id":"deep","made_at":"2025-06-03T10:00:00Z",'
                            f'"payload":{{"description":{nested}}}}}]')
        assert _worded_4xx(r, 400)["code"] == "too_deeply_nested"
    # within the body limit but deeper than a payload may go: that mutation alone is refused
    rid = uuid.uuid4().hex
    nested = "[" * 25 + "]" * 25
    r = _push_text(op1, f'[{{"client_seq":1,"kind":"incident.create","record_kind":"incident",'
                        f'"record_id":"{rid}","made_at":"2025-06-03T10:00:00Z",'
                        f'"payload":{{"description":{nested}}}}}]')
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "rejected"


@pytest.mark.parametrize("bad", ["nul\u0000here", "lone \ud800 surrogate", "\udfff"])
def test_nul_and_lone_surrogates_are_4xx_everywhere(server, api, bad) -> None:
    as_json = json.dumps(bad)  # \\u0000 and \\ud800 escapes, as an attacker sends them
    # login without a token: the user name, the password, the client id
    anon = Api(server.url)
    for field in ("username", "password", "client_id"):
        body = {"username": "op1", "password": PASSWORD, "client_id": anon.client_id}
        text = json.dumps(body).replace(json.dumps(body[field]), as_json, 1)
        _worded_4xx(_raw(anon, "/login", text), 422)
    op1 = api("op1")
    rid, _ = op1.create_incident("S1")  # client_seq 1
    # in a payload (value and field name), in a record id, in made_at, in a kind: that mutation
    mutations = [
        f'{{"client_seq":2,"kind":"incident.note","record_kind":"incident","record_id":"{rid}",'
        f'"made_at":"2025-06-03T10:00:00Z","payload":{{"text":{as_json}}}}}',
        f'{{"client_seq":3,"kind":"incident.note","record_kind":"incident","record_id":"{rid}",'
        f'"made_at":"2025-06-03T10:00:00Z","payload":{{{as_json}:"x"}}}}',
        f'{{"client_seq":4,"kind":"incident.note","record_kind":"incident","record_id":{as_json},'
        f'"made_at":"2025-06-03T10:00:00Z","payload":{{"text":"x"}}}}',
        f'{{"client_seq":5,"kind":"incident.note","record_kind":"incident","record_id":"{rid}",'
        f'"made_at":{as_json},"payload":{{"text":"x"}}}}',
        f'{{"client_seq":6,"kind":{as_json},"record_kind":"incident","record_id":"{rid}",'
        f'"made_at":"2025-06-03T10:00:00Z","payload":{{"text":"x"}}}}',
        f'{{"client_seq":7,"kind":"incident.note","record_kind":"incident","record_id":"{rid}",'
        f'"made_at":"2025-06-03T10:00:00Z","payload":{{"text":"after them all"}}}}',
    ]
    r = _push_text(op1, "[" + ",".join(mutations) + "]")
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["status"] for x in results] == ["rejected"] * 5 + ["applied"], results
    assert all(x["error_code"] == "invalid_mutation" for x in results[:5])
    # the push's own client id, a query, a snapshot cursor
    _worded_4xx(_raw(op1, "/mutations", f'{{"client_id":{as_json},"mutations":[]}}'), 422)
    _worded_4xx(op1.get("/audit", username=bad.encode("utf-8", "surrogatepass")))
    _worded_4xx(api("hq").get("/audit", record_id="x\u0000"), 400)
    # and a retry returns the stored results (the reasons stored without the bad text)
    assert _push_text(op1, "[" + ",".join(mutations) + "]").json()["results"] == results


def test_sizes_are_limited(server, api) -> None:
    op1 = api("op1")
    rid, _ = op1.create_incident("S1")
    # a 10 MB description: refused before it is read in full
    r = op1.post("/mutations", {"client_id": op1.client_id, "mutations": [
        op1.mutation("incident.edit", "incident", rid, {"description": "x" * 10_000_000},
                     base_version=1)]})
    assert _worded_4xx(r, 413)["code"] == "too_large"
    op1.next_seq -= 1
    # a 1 MB text, a 100,000-entry list, a 5,000-character description: that mutation alone
    results = op1.push(
        op1.mutation("incident.note", "incident", rid, {"text": "y" * 1_000_000}),
        op1.mutation("incident.assign", "incident", rid, {"unit_ids": ["u"] * 100_000}, base_version=1),
        op1.mutation("incident.edit", "incident", rid, {"description": "z" * 5000}, base_version=1),
        op1.mutation("incident.edit", "incident", rid, {"description": "z" * 4000}, base_version=1))
    assert [r["status"] for r in results] == ["rejected", "rejected", "rejected", "applied"], results
    assert "at most" in results[0]["message"] and "at most" in results[1]["message"]
    assert "4,000 characters" in results[2]["message"]
    # a query string of 10 KB
    _worded_4xx(op1.get("/changes", since=0, epoch="e" * 10_000), 400)


def test_limits_are_settings(world, db_url, monkeypatch) -> None:
    from console.protocol.limits import WireLimits
    from console.server import embedded
    from console.server.settings import ServerSettings

    original = embedded.create_app

    def create_app(settings: ServerSettings, database: Any = None) -> Any:
        settings.limits = WireLimits(max_body_bytes=2000, max_string_chars=50, max_json_depth=5)
        return original(settings, database)

    monkeypatch.setattr(embedded, "create_app", create_app)
    srv = embedded.EmbeddedServer(db_url, escalation_interval=None)
    srv.database = world.db
    srv.start()
    try:
        op1 = Api(srv.url, "op1")
        rid, r = op1.create_incident("S1")
        assert r["status"] == "applied"
        r = op1.post("/mutations", {"client_id": op1.client_id, "mutations": [
            op1.mutation("incident.note", "incident", rid, {"text": "n" * 3000})]})
        assert _worded_4xx(r, 413)["code"] == "too_large"
        op1.next_seq -= 1
        results = op1.push(op1.mutation("incident.note", "incident", rid, {"text": "n" * 51}),
                           op1.mutation("incident.note", "incident", rid, {"text": "n" * 50}))
        assert [x["status"] for x in results] == ["rejected", "applied"]
        assert "at most 50 characters" in results[0]["message"]
        deep = {"a": {"b": {"c": {"d": {}}}}}
        assert _worded_4xx(op1.post("/mutations", {"client_id": op1.client_id, "mutations": [
            op1.mutation("incident.note", "incident", rid, deep)]}), 400)["code"] == "too_deeply_nested"
    finally:
        srv.stop()


# -- the push protocol ------------------------------------------------------------------------
def test_a_malformed_mutation_is_rejected_alone_and_those_behind_it_apply(server, api) -> None:
    op1 = api("op1")
    rid = uuid.uuid4().hex
    long_id = "r" * 65
    results = op1.push(
        op1.mutation("incident.create", "incident", rid, PAYLOAD),
        {**op1.mutation("incident.create", "incident", long_id, PAYLOAD)},
        {**op1.mutation("incident.note", "incident", rid, {"text": "a"}), "record_kind": "spaceship"},
        {**op1.mutation("incident.note", "incident", rid, {"text": "b"}), "surprise": 1},
        {**op1.mutation("incident.note", "incident", rid, {"text": "c"}), "payload": [1, 2]},
        op1.mutation("incident.note", "incident", rid, {"text": "applied after them"}))
    assert [(r["client_seq"], r["status"]) for r in results] == [
        (1, "applied"), (2, "rejected"), (3, "rejected"), (4, "rejected"), (5, "rejected"),
        (6, "applied")]
    assert all(r["error_code"] == "invalid_mutation" for r in results[1:5])
    assert "record_id" in results[1]["message"] and "64 characters" in results[1]["message"]
    assert results[1]["record_id"] == ""  # not echoed: it is not a record id
    assert "record_kind" in results[2]["message"] and "surprise" in results[3]["message"]
    # the console moves on past them
    assert op1.push_one("incident.note", "incident", rid, {"text": "next"})["status"] == "applied"
    # only a malformed envelope fails the whole push
    for envelope in ({"client_id": op1.client_id, "mutations": [1]},
                     {"client_id": op1.client_id, "mutations": [{"kind": "incident.note"}]},
                     {"client_id": op1.client_id, "mutations": [{"client_seq": True}]},
                     {"client_id": op1.client_id, "mutations": {}},
                     {"client_id": op1.client_id},
                     {"client_id": op1.client_id, "mutations": [], "extra": 1}):
        _worded_4xx(op1.post("/mutations", envelope), 422)


def test_a_push_must_carry_its_sessions_client_id(server, api) -> None:
    op1 = api("op1")
    other = f"console-{uuid.uuid4().hex[:12]}"
    r = op1.post("/mutations", {"client_id": other, "mutations": [
        op1.mutation("incident.create", "incident", uuid.uuid4().hex, PAYLOAD)]})
    body = _worded_4xx(r, 403)
    assert body["code"] == "client_id_mismatch" and other in body["message"]


def test_a_used_sequence_number_is_not_taken_by_another_mutation(server, api) -> None:
    op1 = api("op1")
    rid = uuid.uuid4().hex
    first = op1.mutation("incident.create", "incident", rid, PAYLOAD, client_seq=1)
    assert op1.push(first)[0]["status"] == "applied"
    assert op1.push(first)[0]["status"] == "applied"  # a retry: the stored answer
    impostor = op1.mutation("incident.create", "incident", uuid.uuid4().hex, PAYLOAD, client_seq=1)
    r = op1.push(impostor)[0]
    assert (r["status"], r["error_code"]) == ("rejected", "sequence_reused")
    assert "sequence reused" in r["message"] and rid in r["message"]
    _, rows = op1.snapshot_all()
    assert [row["id"] for row in rows if row["kind"] == "incident"] == [rid]
    # the same for a rejected (malformed) one
    bad = {**op1.mutation("incident.note", "incident", "r" * 70, {"text": "x"}, client_seq=2)}
    assert op1.push(bad)[0]["error_code"] == "invalid_mutation"
    assert op1.push(bad)[0]["error_code"] == "invalid_mutation"
    other = op1.mutation("incident.note", "incident", rid, {"text": "x"}, client_seq=2)
    assert op1.push(other)[0]["error_code"] == "sequence_reused"


def test_two_mutations_with_one_sequence_number_in_a_batch_are_refused(server, api) -> None:
    op1 = api("op1")
    a = op1.mutation("incident.create", "incident", uuid.uuid4().hex, PAYLOAD, client_seq=1)
    b = op1.mutation("incident.create", "incident", uuid.uuid4().hex, PAYLOAD, client_seq=1)
    r = op1.post("/mutations", {"client_id": op1.client_id, "mutations": [a, b]})
    body = _worded_4xx(r, 422)
    assert "client_seq 1" in body["message"] and body["detail"] == {"reason": "duplicate_client_seq"}
    # the same mutation twice is one mutation (a harmless repeat)
    assert [x["status"] for x in op1.push(a, a)] == ["applied"]


# -- integrity rules --------------------------------------------------------------------------
def test_route_times_must_be_plausible(server, world, api) -> None:
    _seed_field(world)
    seoul = api("seoul")
    now = datetime.now(UTC)
    for at in ("1999-01-01T00:00:00Z", (now + timedelta(hours=3)).isoformat(), "not a time"):
        r = seoul.push_one("route.advance", "route", "R-1", {"to": "departed", "at": at}, base_version=1)
        assert (r["status"], r["error_code"]) == ("rejected", "invalid_value"), (at, r)
    departed = (now - timedelta(minutes=30)).isoformat()
    r = seoul.push_one("route.advance", "route", "R-1", {"to": "departed", "at": departed}, base_version=1)
    assert r["status"] == "applied", r
    r = seoul.push_one("route.advance", "route", "R-1",
                       {"to": "arrived", "at": (now - timedelta(minutes=40)).isoformat()}, base_version=2)
    assert (r["status"], r["error_code"]) == ("rejected", "invalid_value")
    assert "before it departed" in r["message"]
    r = seoul.push_one("route.advance", "route", "R-1", {"to": "arrived"}, base_version=2)
    assert r["status"] == "applied"


def test_assignments_and_unit_incidents_must_exist_in_scope(server, world, api) -> None:
    _seed_field(world)
    op1, opb = api("op1"), api("opb")
    rid, _ = op1.create_incident("S1")
    busan_incident, _ = opb.create_incident("B1", lat=35.15, lon=129.05)
    for units in (["U-B1"], ["NO-SUCH-UNIT"], ["U-S1", "U-B1"]):
        r = op1.push_one("incident.assign", "incident", rid, {"unit_ids": units}, base_version=1)
        assert (r["status"], r["error_code"]) == ("rejected", "not_found"), (units, r)
        assert "does not exist in your scope" in r["message"]
    r = op1.push_one("incident.assign", "incident", rid, {"unit_ids": ["U-S1"]}, base_version=1)
    assert r["status"] == "applied"
    for incident in ("NO-SUCH-INCIDENT", busan_incident):
        r = op1.push_one("unit.status", "unit", "U-S1",
                         {"status": "dispatched", "incident_id": incident}, base_version=1)
        assert (r["status"], r["error_code"]) == ("rejected", "not_found"), r
    r = op1.push_one("unit.status", "unit", "U-S1", {"status": "dispatched", "incident_id": rid},
                     base_version=1)
    assert r["status"] == "applied"
    # positions are numbers
    r = op1.push_one("unit.status", "unit", "U-S1", {"lat": "37.5", "lon": 127.0}, base_version=2)
    assert (r["status"], r["error_code"]) == ("rejected", "invalid_value")


def test_a_backdated_made_at_does_not_escalate_at_once(server, world, api) -> None:
    op1 = api("op1")
    day_ago = (datetime.now(UTC) - timedelta(hours=23, minutes=50)).isoformat()
    r = op1.push_one("incident.create", "incident", "backdated", {**PAYLOAD, "code": 0},
                     made_at=day_ago)
    assert r["status"] == "applied"
    assert escalate_overdue(world.db, ServerClock()) == []
    # ...but it does once its limit has passed since the server received it
    later = ServerClock(start=datetime.now(UTC) + timedelta(minutes=2))
    assert escalate_overdue(world.db, later) == ["backdated"]


def test_not_yours_and_not_there_get_the_same_answer(server, api) -> None:
    op1, op2 = api("op1"), api("op2")
    theirs, _ = op2.create_incident("S2")
    nowhere = uuid.uuid4().hex

    def answer(rid: str, kind: str, payload: dict[str, Any], base: int | None) -> tuple[str, str]:
        r = op1.push_one(kind, "incident", rid, payload, base_version=base)
        return r["error_code"], r["message"].replace(rid, "ID")

    for kind, payload, base in (("incident.transition", {"to": "acknowledged"}, 1),
                                ("incident.note", {"text": "x"}, None),
                                ("incident.edit", {"title": "x"}, 1),
                                ("incident.assign", {"unit_ids": []}, 1)):
        assert answer(theirs, kind, payload, base) == answer(nowhere, kind, payload, base), kind
    # an unknown office and one elsewhere, as the owner of a new incident
    _, a = op1.create_incident("S2")
    _, b = op1.create_incident("NOWHERE")
    assert (a["error_code"], a["message"].replace("S2", "X")) == (
        b["error_code"], b["message"].replace("NOWHERE", "X"))


# -- headers, docs, health --------------------------------------------------------------------
def test_every_answer_carries_the_security_headers(server, api, monkeypatch) -> None:
    from console.server import api as api_module

    op1 = api("op1")
    answers = [requests.get(f"{server.url}/health"), op1.get("/me"),
               requests.get(f"{server.url}/api/v1/me"), op1.get("/nothing-here"),
               op1.get("/changes", since="x"), requests.get(f"{server.url}/docs"),
               requests.get(f"{server.url}/openapi.json")]

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(api_module, "_user_info", broken, raising=False)
    monkeypatch.setattr(api_module.feed, "count_rows", broken)
    failing = op1.get("/snapshot")
    assert failing.status_code == 500
    answers.append(failing)
    for r in answers:
        h = r.headers
        assert h["X-Content-Type-Options"] == "nosniff", r.url
        assert h["X-Frame-Options"] == "DENY" and h["Referrer-Policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
        assert h["Cross-Origin-Opener-Policy"] == "same-origin"
    assert answers[0].headers["Cache-Control"] == "no-store"
    assert answers[0].headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_docs_are_served_from_the_package_not_a_cdn(server) -> None:
    page = requests.get(f"{server.url}/docs")
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert "http://" not in page.text and "https://" not in page.text and "cdn" not in page.text
    assert "<script>" not in page.text  # no inline script: the policy allows 'self' only
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "init.js"):
        assert f"/docs/static/{name}" in page.text
        r = requests.get(f"{server.url}/docs/static/{name}")
        assert r.status_code == 200 and len(r.content) > 100, name
    assert requests.get(f"{server.url}/docs/static/..%2Fcore.py").status_code == 404
    assert requests.get(f"{server.url}/redoc").status_code == 404  # it loaded a CDN too


def test_health_tells_strangers_only_that_the_server_answers(server, api) -> None:
    stranger = requests.get(f"{server.url}/health").json()
    assert set(stranger) == {"status", "api_version", "clock"} and stranger["status"] == "ok"
    member = api("viewer1").http.get(f"{server.url}/health").json()
    assert {"version", "database", "feed_head", "server_epoch"} <= set(member)
    r = requests.get(f"{server.url}/health", headers={"Authorization": "Bearer forged"})
    assert _worded_4xx(r, 401)["code"] == "unauthenticated"
