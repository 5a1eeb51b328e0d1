"""The tamper-evident audit log: every writer chains its entries; `audit verify` names the first
entry that was edited, removed or inserted, and exported heads catch a rewrite of the whole log;
admin entries name the OS account; refused attempts leave entries; two writers never fork it."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from server_commands import run_admin
from server_testkit import PASSWORD, Api, seed_world
from sqlalchemy import delete, func, insert, select, text, update

from console.server import audit_chain, operations
from console.server.database import Database
from console.server.tables import AuditHead, AuditRecord

pytestmark = pytest.mark.once  # shows no time; the same in every zone



def _verify(db: Database, heads: list[audit_chain.Head] | None = None) -> audit_chain.Verification:
    with db.read_snapshot() as session:
        return audit_chain.verify(session, heads or [], page=7)  # small pages: the paging too


def _entries(db: Database) -> list[dict[str, Any]]:
    with db.read() as session:
        return [dict(r._mapping) for r in session.execute(
            select(AuditRecord.__table__).order_by(AuditRecord.id))]


def _busy_log(server: Any, world: Any) -> None:
    """Entries from every writer: admin operations (seed), pushes, logins and failures."""
    op1 = Api(server.url, "op1")
    for _ in range(3):
        op1.create_incident("S1")
    rid, _ = op1.create_incident("S1")
    op1.push_one("incident.note", "incident", rid, {"text": "노트"}, base_version=1)
    requests.post(f"{server.url}/api/v1/login", timeout=30,
                  json={"username": "op2", "password": "wrong password", "client_id": "console-x1"})
    Api(server.url, "hq").post("/logout", None)


def test_every_writer_chains_its_entries(server, world) -> None:
    _busy_log(server, world)
    entries = _entries(world.db)
    actions = {e["action"] for e in entries}
    assert {"org.create", "user.create", "login", "login.failed", "logout", "incident.create",
            "incident.note"} <= actions
    assert [e["id"] for e in entries] == list(range(1, len(entries) + 1))  # no gaps
    prev = audit_chain.GENESIS
    for e in entries:
        assert e["prev_hash"] == prev
        prev = e["entry_hash"]
    result = _verify(world.db)
    assert result.ok, result.reason
    assert (result.entries, result.last_id, result.last_hash) == (len(entries), len(entries), prev)


def test_verify_names_an_edited_entry(server, world) -> None:
    _busy_log(server, world)
    target = next(e for e in _entries(world.db) if e["action"] == "incident.note")
    with world.db.engine.begin() as conn:
        after = dict(target["after"])
        after["notes"] = []
        conn.execute(update(AuditRecord).where(AuditRecord.id == target["id"]).values(after=after))
    result = _verify(world.db)
    assert result.broken_at == target["id"]
    assert "was changed after it was written" in result.reason
    assert result.entries == target["id"] - 1


def test_verify_names_an_entry_changed_and_re_hashed(server, world) -> None:
    _busy_log(server, world)
    target = next(e for e in _entries(world.db) if e["action"] == "login.failed")
    forged = dict(target, note="nothing happened")
    forged["entry_hash"] = audit_chain.chain_hash(forged["prev_hash"], audit_chain.canonical(forged))
    with world.db.engine.begin() as conn:
        conn.execute(update(AuditRecord).where(AuditRecord.id == target["id"])
                     .values(note=forged["note"], entry_hash=forged["entry_hash"]))
    result = _verify(world.db)
    assert result.broken_at == target["id"]
    assert "changed or replaced" in result.reason


def test_verify_names_a_deleted_entry(server, world) -> None:
    _busy_log(server, world)
    target = next(e for e in _entries(world.db) if e["action"] == "login.failed")
    with world.db.engine.begin() as conn:
        conn.execute(delete(AuditRecord).where(AuditRecord.id == target["id"]))
    result = _verify(world.db)
    assert result.broken_at == target["id"]
    assert f"entries {target['id']}-{target['id']} are missing" in result.reason


def test_verify_names_deleted_entries_at_the_start_and_the_end(server, world) -> None:
    _busy_log(server, world)
    last = _entries(world.db)[-1]["id"]
    with world.db.engine.begin() as conn:
        conn.execute(delete(AuditRecord).where(AuditRecord.id >= last - 1))
    result = _verify(world.db)
    assert result.broken_at == last - 1 and "missing" in result.reason
    with world.db.engine.begin() as conn:
        conn.execute(delete(AuditRecord).where(AuditRecord.id <= 2))
    result = _verify(world.db)
    assert result.broken_at == 3 and "entries before it were removed" in result.reason


def test_verify_names_an_inserted_entry(server, world) -> None:
    _busy_log(server, world)
    entries = _entries(world.db)
    # Into the middle, chained properly to the entry before it (in a gap made for it).
    victim, before = entries[10], entries[9]
    forged = dict(victim, action="login", note="an alibi", username="op2")
    forged["prev_hash"] = before["entry_hash"]
    forged["entry_hash"] = audit_chain.chain_hash(before["entry_hash"], audit_chain.canonical(forged))
    with world.db.engine.begin() as conn:
        conn.execute(delete(AuditRecord).where(AuditRecord.id == victim["id"]))
        conn.execute(insert(AuditRecord).values(forged))
    result = _verify(world.db)
    assert result.broken_at == victim["id"] and "changed or replaced" in result.reason


def test_verify_names_entries_appended_outside_sitroom(server, world) -> None:
    _busy_log(server, world)
    last = _entries(world.db)[-1]
    appended = dict(last, id=last["id"] + 1, action="login", note="appended by hand")
    appended["prev_hash"] = last["entry_hash"]
    appended["entry_hash"] = "f" * 64  # a guess
    with world.db.engine.begin() as conn:
        conn.execute(insert(AuditRecord).values(appended))
    result = _verify(world.db)
    assert result.broken_at == last["id"] + 1 and "was changed" in result.reason
    # With a right hash, the head row (not moved) tells.
    appended["entry_hash"] = audit_chain.chain_hash(last["entry_hash"], audit_chain.canonical(appended))
    with world.db.engine.begin() as conn:
        conn.execute(update(AuditRecord).where(AuditRecord.id == appended["id"])
                     .values(entry_hash=appended["entry_hash"]))
    result = _verify(world.db)
    assert result.broken_at == last["id"] + 1 and "added outside sitroom" in result.reason


def _rewrite_whole_log(db: Database, edit_id: int) -> None:
    """What someone with the database in hand can do: edit an entry and re-hash everything."""
    entries = _entries(db)
    for e in entries:
        if e["id"] == edit_id:
            e["note"] = "rewritten"
    last = audit_chain.chain_rows(entries)
    with db.engine.begin() as conn:
        for e in entries:
            conn.execute(update(AuditRecord).where(AuditRecord.id == e["id"]).values(
                note=e["note"], prev_hash=e["prev_hash"], entry_hash=e["entry_hash"]))
        conn.execute(update(AuditHead).values(last_hash=last))


def test_exported_heads_reveal_a_rewrite_of_the_whole_log(server, world, db_url, tmp_path,
                                                          capsys) -> None:
    _busy_log(server, world)
    heads_file = tmp_path / "heads.json"
    assert run_admin("--db", db_url, "audit", "heads", "--out", str(heads_file), "--every", "5") == 0
    exported = json.loads(heads_file.read_text(encoding="utf-8"))
    last = _entries(world.db)[-1]["id"]
    assert [h["id"] for h in exported["heads"]] == sorted({*range(5, last + 1, 5), last})
    Api(server.url, "op2").create_incident("S2")  # the log goes on after the export
    assert run_admin("--db", db_url, "audit", "verify", "--heads", str(heads_file)) == 0
    assert "audit log intact" in capsys.readouterr().out

    _rewrite_whole_log(world.db, edit_id=7)
    assert _verify(world.db).ok  # the chain alone cannot tell
    assert run_admin("--db", db_url, "audit", "verify", "--heads", str(heads_file)) == 1
    err = capsys.readouterr().err
    assert "audit log BROKEN at entry 10" in err and "exported as a chain head" in err


def test_verify_through_the_command_line(server, world, db_url, capsys) -> None:
    _busy_log(server, world)
    assert run_admin("--db", db_url, "audit", "verify") == 0
    assert "audit log intact" in capsys.readouterr().out
    with world.db.engine.begin() as conn:
        conn.execute(update(AuditRecord).where(AuditRecord.id == 4).values(username="someone"))
    assert run_admin("--db", db_url, "audit", "verify") == 1
    assert "audit log BROKEN at entry 4: entry 4 was changed" in capsys.readouterr().err


def test_admin_entries_name_the_operating_system_account(world, db_url) -> None:
    account = audit_chain.os_user()
    assert run_admin("--db", db_url, "order", "issue", "--level", "level_b", "--targets", "S1",
                     "--from", "2025-06-02T21:00:00Z", "--issuer", "SEOUL", "--by", "kim") == 0
    assert run_admin("--db", db_url, "user", "deactivate", "op2") == 0
    entries = {e["action"]: e for e in _entries(world.db)}
    order, deactivated = entries["duty.issue"], entries["user.deactivate"]
    assert order["username"] == account and order["os_user"] == account
    assert (order["note"] or "").startswith("--by kim")  # the given name, beside the OS account
    assert deactivated["username"] == account and deactivated["os_user"] == account
    assert deactivated["note"] is None
    # The server's own entries name no OS account.
    assert entries["user.create"]["os_user"] is None
    assert _verify(world.db).ok


def test_refused_attempts_are_audited(server, world) -> None:
    op1, opb, viewer = Api(server.url, "op1"), Api(server.url, "opb"), Api(server.url, "viewer1")
    busan_id, _ = opb.create_incident("B1")
    answer = op1.push_one("incident.note", "incident", busan_id, {"text": "hi"}, base_version=1)
    assert answer["status"] == "rejected"
    created = viewer.push_one("incident.create", "incident", "viewer-made-1", {
        "category": "disorder", "code": 2, "title": "t", "station_code": "S1", "lat": 37.5,
        "lon": 127.0})
    assert created["status"] == "rejected" and created["error_code"] == "forbidden"
    missing = op1.push_one("incident.note", "incident", "no-such-incident", {"text": "hi"},
                           base_version=1)
    assert missing["status"] == "rejected"
    refused = [e for e in _entries(world.db) if e["action"] == "mutation.refused"]
    assert [(e["username"], e["record_id"]) for e in refused] == [
        ("op1", busan_id), ("viewer1", "viewer-made-1")]
    assert refused[0]["org_path"] == "/NPA/BUSAN/B1/"  # Busan's HQ sees the attempt
    assert refused[0]["client_id"] == op1.client_id
    assert "outside the caller's scope" in refused[0]["note"]
    assert _verify(world.db).ok


@pytest.mark.parametrize("after", [
    {"big_float": 1e16, "exp": 1.2345678901234568e+18, "small": 1e-7, "negative_zero": -0.0,
     "big_int": 2 ** 60, "huge_int": 10 ** 30, "whole": 127.0, "lat": 37.5665, "nested": [[1.5e300]]},
    {"text": "투표소 \u00e9 \U0001f600", "long_digits": "1234567890123456789", "empty": {}},
])
def test_numbers_and_text_hash_the_same_after_the_database_round_trip(database, after) -> None:
    seed_world(database)
    with database.write() as session:
        audit_chain.append(session, [{"at": datetime(2025, 6, 3, 1, 2, 3, 456789, tzinfo=UTC),
                                      "username": "op1", "action": "test.numbers", "after": after,
                                      "before": after, "note": "숫자"}])
    result = _verify(database)
    assert result.ok, result.reason


def test_concurrent_writers_never_fork_the_chain(world) -> None:
    db = world.db
    errors: list[BaseException] = []

    def writer(name: str, feed_writes: bool) -> None:
        try:
            for i in range(15):
                with db.write() as session:
                    if feed_writes:
                        operations.create_org_unit(session, f"{name}{i}", "station", "서", "S",
                                                   "SEOUL")
                    else:
                        audit_chain.append(session, [{"at": datetime.now(UTC), "username": name,
                                                      "action": "test.write", "note": str(i)}])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"W{k}", k % 2 == 0)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    result = _verify(db)
    assert result.ok, result.reason
    with db.read() as session:
        assert result.entries == session.scalar(select(func.count()).select_from(AuditRecord))


def test_concurrent_pushes_and_logins_never_fork_the_chain(server, world) -> None:
    server.settings.sessions.max_per_user = 100  # every login here keeps its session

    def console(name: str) -> None:
        c = Api(server.url, name)
        for _ in range(6):
            c.push(*(c.mutation("incident.create", "incident", uuid.uuid4().hex, {
                "category": "disorder", "code": 3, "title": "t", "station_code": "S1",
                "lat": 37.5, "lon": 127.0}) for _ in range(5)))
            requests.post(f"{server.url}/api/v1/login", timeout=30, json={
                "username": name, "password": PASSWORD, "client_id": c.client_id})

    threads = [threading.Thread(target=console, args=(n,)) for n in ("op1", "cmd1", "op1", "cmd1")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    result = _verify(world.db)
    assert result.ok, result.reason
    assert result.entries >= 4 * 6 * 6


def test_the_upgrade_chains_a_log_written_before_the_chain(db_url) -> None:
    from alembic import command

    from console.server import migrate

    db = Database(db_url)
    try:
        cfg = migrate.alembic_config()
        with db.engine.begin() as conn:  # a server of the second release wrote this log
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0002_feed_origin")
            for i in range(1, 6):
                conn.execute(text(
                    "INSERT INTO audit (id, at, username, action, after, note) VALUES "
                    f"({i * 2}, '2026-06-03 06:00:0{i}', 'admin', 'org.create', "
                    f"'{{\"code\": \"S{i}\", \"lat\": 37.{i}5}}', 'old entry {i}')"))
            conn.execute(text("INSERT INTO users (username, display_name, password_hash, role, "
                              "org_code, active, created_at) VALUES ('u1', 'u1', 'x', 'viewer', "
                              "'NPA', true, '2026-06-03 06:00:00')"))
            conn.execute(text("INSERT INTO sessions (token_sha256, username, client_id, created_at, "
                              "expires_at) VALUES ('t1', 'u1', 'c1', '2026-06-03 06:00:00', "
                              "'2026-06-03 18:00:00')"))
        assert db.upgrade() == migrate.head_revision()
        result = _verify(db)
        assert result.ok and result.entries == 5 and result.last_id == 10, result.reason
        with db.write() as session:  # the chain goes on from the old entries
            audit_chain.append(session, [{"at": datetime.now(UTC), "username": "admin",
                                          "action": "after.upgrade"}])
        result = _verify(db)
        assert result.ok and result.last_id == 11
        with db.engine.connect() as conn:
            seen, idle = conn.execute(text("SELECT last_seen_at, idle_seconds FROM sessions")).one()
        assert idle == 7200 and str(seen).startswith("2026-06-03 06:00:00")
    finally:
        db.dispose()


def test_heads_of_another_database_are_refused(world, db_url, tmp_path: Path, capsys) -> None:
    heads = tmp_path / "other.json"
    heads.write_text(json.dumps({"format": "sitroom-audit-heads/1", "server_epoch": "elsewhere",
                                 "heads": []}), encoding="utf-8")
    assert run_admin("--db", db_url, "audit", "verify", "--heads", str(heads)) == 1
    assert "holds the heads of another database" in capsys.readouterr().err
