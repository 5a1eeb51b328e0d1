"""Fuzzing the real app (hypothesis over the protocol models) on SQLite and PostgreSQL: whatever
a client sends, the server answers below 500, and every 4xx is worded (code and message).

Bounded and derandomized here (SITROOM_FUZZ_EXAMPLES examples per test, 100 by default: a few
seconds each); a longer, random run: `SITROOM_FUZZ_EXAMPLES=5000 SITROOM_FUZZ_RANDOM=1 pytest
tests/core/server/test_server_fuzz.py` (README: "Fuzzing")."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, quote_from_bytes

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from server_testkit import PASSWORD, seed_world

from console.domain.mutations import MUTATIONS
from console.domain.records import RecordKind
from console.server import operations
from console.server.app import create_app
from console.server.database import Database
from console.server.settings import ServerSettings

pytestmark = pytest.mark.once

EXAMPLES = int(os.environ.get("SITROOM_FUZZ_EXAMPLES", "100"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("SITROOM_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture], database=None)

# -- values a hostile client sends ----------------------------------------------------------------
# Text with NUL, lone surrogates, control characters, Hangul; numbers past 2^63, NaN, infinities.
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(st.one_of(st.characters(), st.characters(categories=["Cs"]), st.just("\x00")),
            max_size=20),
    st.sampled_from(["", "\x00", "\ud800", "a\udfffb", "S1", "S2", "B1", "NPA", "incident",
                     "2025-06-03T10:00:00+09:00", "1999-01-01T00:00:00Z", "x" * 70, "종로"]),
)
hostile_int = st.one_of(st.integers(-10, 10), st.integers(min_value=-(2**70), max_value=2**70),
                        st.sampled_from([2**63 - 1, 2**63, -(2**63) - 1, 10**400]))
hostile_float = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                          st.sampled_from([37.5, 127.0, 1e308, -0.0]))
scalars = st.one_of(st.none(), st.booleans(), hostile_int, hostile_float, hostile_text)
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(hostile_text, inner, max_size=4)), max_leaves=12)

PAYLOAD_FIELDS = sorted({"category", "code", "title", "title_en", "station_code", "lat", "lon",
                         "place", "district", "town", "description", "reporter", "to", "reason",
                         "remark", "unit_ids", "text", "status", "incident_id", "at",
                         "officers_assigned", "open", "level", "targets", "effective_from",
                         "effective_until", "reason_en", "org_code", "personnel_total",
                         "personnel_on_duty"})
PLAUSIBLE = {
    "category": st.sampled_from(["disorder", "bribery", "deepfake", "nonsense"]),
    "code": st.integers(-1, 5), "title": st.text(max_size=10), "station_code": st.sampled_from(["S1", "S2", "B1", "ZZ"]),
    "lat": st.floats(30, 40), "lon": st.floats(120, 133), "to": st.sampled_from(
        ["acknowledged", "dispatched", "resolved", "closed", "departed", "arrived", "SEOUL"]),
    "unit_ids": st.lists(st.sampled_from(["U-S1", "U-B1", "nope"]), max_size=3),
    "status": st.sampled_from(["available", "dispatched", "gone"]),
    "incident_id": st.sampled_from(["I-S1", "I-B1", "nope"]),
    "officers_assigned": st.integers(-1, 20), "open": st.booleans(),
    "targets": st.lists(st.sampled_from(["S1", "S2", "B1", "SEOUL", "NPA"]), max_size=3),
    "org_code": st.sampled_from(["S1", "S2", "B1"]), "level": st.sampled_from(["level_a", "x"]),
    "effective_from": st.sampled_from(["2025-06-03T06:00:00+09:00", "soon"]),
}


@st.composite
def payloads(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)  # not even an object, sometimes
    fields = draw(st.lists(st.sampled_from(PAYLOAD_FIELDS), max_size=6, unique=True))
    out: dict[str, Any] = {}
    for name in fields:
        plausible = PLAUSIBLE.get(name)
        out[name] = draw(plausible if plausible is not None and draw(st.booleans()) else json_values)
    if draw(st.integers(0, 5)) == 0:
        out[draw(hostile_text)] = draw(json_values)
    return out


RECORD_IDS = {"incident": ["I-S1", "I-B1"], "unit": ["U-S1", "U-B1"], "route": ["R-1"],
              "polling_station": ["PS-1"], "counting_station": ["CS-1"], "org": ["S1", "B1", "SEOUL"],
              "duty_order": ["D-1"], "directive": ["DIR-1"], "report_schedule": ["SCH-1"],
              "situation_report": ["REP-1"], "handover": ["H-1"]}
# A valid payload of each kind, which the fuzz then spoils a field or two of (so it reaches the
# domain's rules, not only the edge's).
VALID: dict[str, dict[str, Any]] = {
    "incident.create": {"category": "disorder", "code": 2, "title": "t", "station_code": "S1",
                        "lat": 37.5, "lon": 127.0},
    "incident.transition": {"to": "acknowledged"}, "incident.reopen": {"reason": "again"},
    "incident.assign": {"unit_ids": ["U-S1"]}, "incident.note": {"text": "n"},
    "incident.edit": {"title": "t2", "description": "d"}, "incident.escalate": {"to": "SEOUL"},
    "unit.status": {"status": "dispatched", "incident_id": "I-S1", "lat": 37.5, "lon": 127.0},
    "route.advance": {"to": "departed"}, "site.deployment": {"officers_assigned": 2, "open": True},
    "duty.issue": {"level": "level_a", "targets": ["S1"], "effective_from": "2025-06-03T06:00:00+09:00"},
    "duty.acknowledge": {"org_code": "S1"}, "duty.cancel": {},
    "org.personnel": {"personnel_total": 10, "personnel_on_duty": 5},
    "directive.issue": {"targets": ["S1"], "text": "순찰 강화", "priority": "urgent"},
    "directive.acknowledge": {"org_code": "S1"}, "directive.cancel": {},
    "schedule.set": {"targets": ["S1"], "starts_at": "2025-06-03T06:00:00+09:00", "every_minutes": 60},
    "schedule.cancel": {},
    "report.submit": {"schedule_id": "SCH-1", "slot": "2025-06-03T10:00:00+09:00", "remarks": "r",
                      "content": {"incidents_open": 1}},
    "handover.make": {"shift_from": "2025-06-03T06:00:00+09:00", "shift_until": "2025-06-03T18:00:00+09:00"},
    "handover.take_over": {},
    "external_alert.import": {"identifier": "KMA-1", "sender": "kma@kma.go.kr",
                              "sent": "2025-06-03T10:00:00+09:00", "msg_type": "Alert", "status": "Actual",
                              "scope": "Public", "event": "호우", "headline": "호우경보", "severity": "Severe",
                              "urgency": "Immediate", "certainty": "Observed"},
}


@st.composite
def spoiled(draw: st.DrawFn, kind: str) -> Any:
    payload = dict(VALID[kind])
    for _ in range(draw(st.integers(0, 2))):
        name = draw(st.sampled_from(sorted(payload) or PAYLOAD_FIELDS))
        payload[name] = draw(json_values)
    return payload


@st.composite
def mutations(draw: st.DrawFn, seq: int) -> dict[str, Any]:
    """A MutationIn, each field either plausible or anything at all; now and then a field
    missing or one too many."""
    def pick(plausible: st.SearchStrategy[Any]) -> Any:
        return draw(plausible if draw(st.integers(0, 9)) else json_values)

    kind = draw(st.sampled_from(sorted(MUTATIONS)))
    spec = MUTATIONS[kind]
    record_kind = draw(st.sampled_from(sorted(k.value for k in spec.record_kinds)))
    ids = st.uuids().map(lambda u: u.hex) if spec.creates else st.sampled_from(RECORD_IDS[record_kind])
    m: dict[str, Any] = {
        "client_seq": seq if draw(st.integers(0, 9)) else draw(hostile_int),
        "kind": pick(st.just(kind)),
        "record_kind": pick(st.one_of(st.just(record_kind), st.sampled_from([k.value for k in RecordKind]))),
        "record_id": pick(ids),
        "base_version": pick(st.one_of(st.none(), st.integers(0, 3))),
        "payload": draw(spoiled(kind) if draw(st.integers(0, 3)) else payloads()),
        "made_at": pick(st.sampled_from(["2025-06-03T10:00:00+09:00", "2001-01-01T00:00:00Z",
                                         "not a time"])),
    }
    if draw(st.integers(0, 7)) == 0:
        m.pop(draw(st.sampled_from(sorted(m))))
    if draw(st.integers(0, 9)) == 0:
        m[draw(hostile_text)] = draw(json_values)
    return m


# -- the app on each database ---------------------------------------------------------------------
class Target:
    """The real app in process (TestClient: ASGI, no socket), a logged-in console, its seqs."""

    def __init__(self, client: TestClient, token: str, client_id: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.client_id = client_id
        self.next_seq = 1
        self.statuses: dict[int, int] = {}

    def send(self, method: str, url: str, body: bytes | None = None,
             auth: bool = True) -> Any:
        r = self.client.request(method, url, content=body,
                                headers=self.headers if auth else {"Content-Type": "application/json"})
        self.statuses[r.status_code] = self.statuses.get(r.status_code, 0) + 1
        assert r.status_code < 500, (method, url, (body or b"")[:300], r.status_code, r.text[:300])
        if r.status_code >= 400:
            error = r.json()
            assert error["code"] and error["message"], r.text
        return r


def _seed(db: Database) -> None:
    seed_world(db)
    rows = [
        ("unit", "U-S1", {"id": "U-S1", "callsign": "Jongno 1", "type": "patrol_car", "station_code": "S1"}),
        ("unit", "U-B1", {"id": "U-B1", "callsign": "Busanjin 1", "type": "patrol_car", "station_code": "B1"}),
        ("polling_station", "PS-1", {"id": "PS-1", "kind": "election_day", "name": "Hall",
                                     "station_code": "S1", "lat": 37.5, "lon": 127.0}),
        ("counting_station", "CS-1", {"id": "CS-1", "name": "Gym", "station_code": "S1",
                                      "lat": 37.5, "lon": 127.0}),
        ("route", "R-1", {"id": "R-1", "polling_station_id": "PS-1", "counting_station_id": "CS-1",
                          "station_code": "S1", "planned_minutes": 20}),
        *[("incident", f"I-{station}", {
            "id": f"I-{station}", "category": "disorder", "code": 2, "title": "seeded",
            "station_code": station, "lat": 37.5, "lon": 127.0,
            "created_at": "2025-06-03T10:00:00+09:00", "created_by": "op1"}) for station in ("S1", "B1")],
    ]
    with db.write() as session:
        operations.bulk_insert_rows(session, rows)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    from argon2 import PasswordHasher

    if request.param == "sqlite":
        url, drop = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'server.db'}", None
    else:
        from pg_databases import create_pg_database

        base = os.environ.get("SITROOM_TEST_PG_URL")
        if not base:
            pytest.skip("PostgreSQL tests need SITROOM_TEST_PG_URL")
        url, drop = create_pg_database(base, "sitroom_fuzz")
    db = Database(url)
    db.upgrade()
    _seed(db)
    settings_ = ServerSettings(db_url=url, escalation_interval=None,
                               password_hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    app = create_app(settings_, db)
    with TestClient(app, raise_server_exceptions=False) as client:
        client_id = f"fuzz-{uuid.uuid4().hex[:12]}"
        r = client.post("/api/v1/login", json={"username": "seoul", "password": PASSWORD,
                                               "client_id": client_id})
        assert r.status_code == 200, r.text
        yield Target(client, r.json()["token"], client_id)
    db.dispose()
    if drop is not None:
        drop()


def _dumps(value: Any) -> bytes:
    return json.dumps(value).encode()  # \\ud800 and NaN as an attacker writes them


# -- the fuzz tests -------------------------------------------------------------------------------
@FUZZ
@given(data=st.data())
def test_pushes_never_fail_the_server(target: Target, data: st.DataObject) -> None:
    count = data.draw(st.integers(1, 4))
    batch = [data.draw(mutations(target.next_seq + i)) for i in range(count)]
    client_id = target.client_id if data.draw(st.integers(0, 9)) else data.draw(json_values)
    r = target.send("POST", "/api/v1/mutations", _dumps({"client_id": client_id, "mutations": batch}))
    if r.status_code == 200:
        for result in sorted(r.json()["results"], key=lambda x: x["client_seq"]):
            assert result["status"] != "rejected" or result["message"], result
            if result["client_seq"] == target.next_seq and result["status"] != "deferred":
                target.next_seq += 1


@FUZZ
@given(body=json_values, as_login=st.booleans(), fields=st.dictionaries(
    st.sampled_from(["username", "password", "client_id", "extra"]),
    st.one_of(hostile_text, json_values), max_size=4))
def test_logins_and_raw_bodies_never_fail_the_server(target: Target, body: Any, as_login: bool,
                                                     fields: dict[str, Any]) -> None:
    login = {"username": "op1", "password": "wrong password", "client_id": "fuzz-console-1", **fields}
    target.send("POST", "/api/v1/login", _dumps(login if as_login else body), auth=False)
    target.send("POST", "/api/v1/mutations", _dumps(body))


query_text = st.one_of(hostile_text.filter(lambda t: not any(0xD800 <= ord(c) <= 0xDFFF for c in t)),
                       hostile_int.map(str), hostile_float.map(repr))


@FUZZ
@given(path=st.sampled_from(["/api/v1/changes", "/api/v1/snapshot", "/api/v1/audit", "/api/v1/me",
                             "/health", "/api/v1/nothing"]),
       params=st.dictionaries(st.sampled_from(["since", "limit", "wait", "epoch", "after",
                                               "data_as_text", "before_id", "record_kind",
                                               "record_id", "username", "x"]),
                              query_text, max_size=4),
       raw=st.binary(max_size=12), cursor=json_values)
def test_queries_never_fail_the_server(target: Target, path: str, params: dict[str, str],
                                       raw: bytes, cursor: Any) -> None:
    import base64

    if "wait" in params:
        params["wait"] = "0"  # a long-poll is not what is fuzzed here
    query = "&".join(f"{quote(k)}={quote(v)}" for k, v in params.items())
    target.send("GET", f"{path}?{query}")
    target.send("GET", f"{path}?since={quote_from_bytes(raw)}&after={quote_from_bytes(raw)}")
    forged = base64.urlsafe_b64encode(_dumps(cursor)).decode()
    target.send("GET", f"/api/v1/snapshot?after={forged}")


def test_the_fuzz_reached_the_rules(target: Target) -> None:
    """The runs above decided mutations (not only refused envelopes): the fuzz got past the edge."""
    assert target.next_seq > 10, target.statuses
    assert target.statuses.get(200, 0) > 50 and target.statuses.get(422, 0) > 0, target.statuses
