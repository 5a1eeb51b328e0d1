"""Migrations, start-up refusals, the OpenAPI document, the clock and the JSON logs."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
import requests
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from console.protocol.schema import API_PREFIX
from console.server import migrate
from console.server.app import create_app
from console.server.clock import ServerClock
from console.server.database import Database, StartupError
from console.server.embedded import EmbeddedServer
from console.server.logs import JsonFormatter
from console.server.settings import ServerSettings
from console.server.tables import Base

TABLES = {"rows", "feed", "feed_head", "server_meta", "users", "sessions", "clients",
          "client_results", "audit", "audit_head", "login_throttle", "alembic_version"}


def test_upgrade_creates_the_schema_the_models_describe(db_url) -> None:
    db = Database(db_url)
    try:
        assert migrate.current_revision(db) is None
        assert db.upgrade() == migrate.head_revision()
        assert db.upgrade() == migrate.head_revision()  # idempotent
        assert set(inspect(db.engine).get_table_names()) == TABLES
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                    Base.metadata)
        assert diff == []
    finally:
        db.dispose()


def test_a_database_from_a_newer_sitroom_is_refused(db_url) -> None:
    db = Database(db_url)
    db.upgrade()
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    with pytest.raises(StartupError, match=r"9999_from_the_future.*newer sitroom"):
        db.upgrade()
    with pytest.raises(StartupError, match="newer sitroom"):
        create_app(ServerSettings(db_url=db_url))
    with pytest.raises(StartupError):
        EmbeddedServer(db_url).start()
    db.dispose()


def test_unreachable_and_unsupported_databases_are_refused() -> None:
    with pytest.raises(StartupError, match="cannot open the database"):
        Database("postgresql+psycopg://nobody:secret@127.0.0.1:1/none").upgrade()
    with pytest.raises(StartupError, match="unsupported database"):
        Database("mysql://localhost/x")
    with pytest.raises(StartupError, match="SQLite file"):
        Database("sqlite://")


def test_openapi_lists_every_endpoint_with_its_models(server) -> None:
    doc = requests.get(f"{server.url}/openapi.json").json()
    expected = {
        ("get", "/health"): "HealthResponse",
        ("post", f"{API_PREFIX}/login"): "LoginResponse",
        ("get", f"{API_PREFIX}/me"): "UserInfo",
        ("get", f"{API_PREFIX}/snapshot"): "SnapshotPage",
        ("get", f"{API_PREFIX}/changes"): "ChangesPage",
        ("post", f"{API_PREFIX}/mutations"): "PushResponse",
        ("get", f"{API_PREFIX}/audit"): "AuditEntry",
    }
    for (method, path), model in expected.items():
        operation = doc["paths"][path][method]
        ok = json.dumps(operation["responses"]["200"])
        assert f"#/components/schemas/{model}" in ok, path
        for status, answer in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody"), (
                    path, status)
        if path != "/health":
            assert "422" in operation["responses"] or (method == "get" and path.endswith("/me"))
    login = doc["paths"][f"{API_PREFIX}/login"]["post"]
    assert login["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/LoginRequest")
    push = doc["paths"][f"{API_PREFIX}/mutations"]["post"]
    # read as an envelope, each mutation on its own (a malformed one is rejected alone)
    assert push["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/PushEnvelope")
    assert "410" in doc["paths"][f"{API_PREFIX}/changes"]["get"]["responses"]
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    assert "HTTPBearer" in doc["components"]["securitySchemes"]


def test_health_reports_database_feed_epoch_and_clock(server) -> None:
    from server_testkit import Api

    body = Api(server.url, "op1").http.get(f"{server.url}/health").json()  # to a logged-in caller
    assert body["status"] == "ok" and body["database_ok"] is True
    assert body["database"] in ("sqlite", "postgresql")
    assert body["api_version"] == "1" and body["feed_head"] == 6 and len(body["server_epoch"]) >= 16


def test_scenario_clock_runs_at_its_speed() -> None:
    start = datetime(2025, 6, 3, 5, 30, tzinfo=UTC)
    clock = ServerClock(start, speed=60)
    assert not clock.is_real
    assert start <= clock.now() < start + timedelta(minutes=10)
    assert clock.info().speed == 60
    assert ServerClock().is_real
    with pytest.raises(ValueError):
        ServerClock(datetime(2025, 6, 3), speed=1)
    with pytest.raises(ValueError):
        ServerClock(speed=0)


def test_logs_are_one_json_object_per_line() -> None:
    record = logging.LogRecord("sitroom.server.http", logging.INFO, __file__, 1, "request", None, None)
    record.fields = {"method": "GET", "path": "/health", "status": 200, "duration_ms": 1.5}
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["msg"] == "request" and entry["status"] == 200 and entry["level"] == "info"


def test_embedded_server_restarts_on_the_same_port_and_data(world, db_url) -> None:
    srv = EmbeddedServer(db_url, escalation_interval=None)
    srv.database = world.db
    srv.start()
    try:
        from server_testkit import Api

        http = Api(srv.url, "op1").http  # the epoch goes to a logged-in caller
        url, epoch = srv.url, http.get(f"{srv.url}/health").json()["server_epoch"]
        srv.stop()
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{url}/health", timeout=2)
        srv.start()
        assert srv.url == url
        assert http.get(f"{url}/health").json()["server_epoch"] == epoch
    finally:
        srv.close()


def test_scenario_clock_can_jump_and_change_speed() -> None:
    clock = ServerClock()
    target = datetime(2025, 6, 3, 20, 0, tzinfo=UTC)
    clock.set(target, speed=30)
    assert not clock.is_real and clock.speed == 30
    assert target <= clock.now() < target + timedelta(minutes=5)
    clock.set(speed=2)
    assert target <= clock.now() < target + timedelta(minutes=10) and clock.speed == 2


def test_database_failures_answer_503_and_health_degrades(server, monkeypatch) -> None:
    from server_testkit import Api
    from sqlalchemy.exc import OperationalError

    from console.server import feed

    console = Api(server.url, "op1")

    def down(*_args: object, **_kwargs: object) -> int:
        raise OperationalError("SELECT seq FROM feed_head", {}, Exception("connection refused"))

    monkeypatch.setattr(feed, "head", down)
    r = console.get("/snapshot")
    assert r.status_code == 503
    assert r.json()["code"] == "database_unavailable" and r.headers["Retry-After"] == "5"
    health = console.http.get(f"{server.url}/health").json()
    assert health["status"] == "degraded" and health["database_ok"] is False


def test_answers_ignore_fields_a_newer_server_adds_requests_refuse_unknown_ones() -> None:
    from pydantic import ValidationError

    from console.protocol.schema import ChangesPage, LoginRequest, RowText

    page = ChangesPage[RowText].model_validate_json(
        '{"since":1,"cursor":2,"more":false,"server_epoch":"e","from_a_newer_server":1,'
        '"changes":[{"seq":2,"own_seq":null,"hint":"new","row":{"kind":"incident","id":"i","version":1,'
        '"org_path":"/NPA/","data":"{\\"title\\":\\"투표소\\"}","deleted":false,"colour":"red"}}]}')
    assert page.changes[0].row.data == '{"title":"투표소"}'
    with pytest.raises(ValidationError, match="extra"):
        LoginRequest.model_validate({"username": "u", "password": "p", "client_id": "c" * 8, "typo": 1})


def test_a_database_of_the_first_revision_upgrades_keeping_its_feed(db_url) -> None:
    from alembic import command

    db = Database(db_url)
    try:
        cfg = migrate.alembic_config()
        with db.engine.begin() as conn:  # a server of the first release wrote this database
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0001_initial")
            conn.execute(text("INSERT INTO feed (seq, kind, id, version, org_path, data, deleted, at) "
                              "VALUES (1, 'org', 'NPA', 1, '/NPA/', '{\"code\": \"NPA\"}', false, "
                              "'2026-06-03 06:00:00')"))
        assert migrate.current_revision(db) == "0001_initial"
        assert db.upgrade() == migrate.head_revision()
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT seq, id, origin_client, origin_seq FROM feed")).one()
        assert tuple(row) == (1, "NPA", None, None)
    finally:
        db.dispose()


def test_text_rows_read_an_older_server_that_sends_data_as_an_object() -> None:
    from console.protocol.schema import RowText

    row = RowText.model_validate({"kind": "incident", "id": "i", "version": 1, "org_path": "/NPA/",
                                  "data": {"title": "투표소", "code": 2}})
    assert json.loads(row.data) == {"title": "투표소", "code": 2}
