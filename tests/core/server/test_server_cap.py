"""CAP on the server: the Atom feed serves only the caller's scope (a station not another station's
alerts, a province its stations'), every entry a valid CAP 1.2 alert, behind the same login; and
`sitroom admin import cap` brings an outside alert in for an office's scope, or refuses it in words."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from lxml import etree
from server_commands import run_admin

from console.interop.cap import CAP_NS, cap_schema
from console.server.cap_feed import ATOM_NS

SAMPLES = Path(__file__).parents[1] / "interop" / "cap_samples"
NS = {"a": ATOM_NS, "c": CAP_NS}


def _order(api: Any, user: str, targets: list[str]) -> str:
    rid = uuid.uuid4().hex
    result = api(user).push_one("duty.issue", "duty_order", rid, {
        "level": "level_a", "targets": targets, "effective_from": "2025-06-03T06:00:00+09:00",
        "reason": "선거일 갑호비상"})
    assert result["status"] == "applied", result
    return rid


def _directive(api: Any, user: str, targets: list[str]) -> str:
    rid = uuid.uuid4().hex
    result = api(user).push_one("directive.issue", "directive", rid, {
        "targets": targets, "text": "투표소 주변 순찰 강화", "priority": "important"})
    assert result["status"] == "applied", result
    return rid


def _feed(api: Any, user: str) -> tuple[set[str], etree._Element]:
    r = api(user).get("/cap/alerts.atom")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/atom+xml")
    root = etree.fromstring(r.content)
    schema = cap_schema()
    for alert in root.findall("a:entry/a:content/c:alert", NS):
        assert schema.validate(etree.fromstring(etree.tostring(alert))), schema.error_log
    # identifiers are sitroom.<kind>.<record id>
    return {(i.text or "").split(".")[2] for i in root.findall("a:entry/a:content/c:alert/c:identifier", NS)}, root


def test_the_feed_serves_only_the_callers_scope(server: Any, world: Any, api: Any) -> None:
    seoul_order = _order(api, "seoul", ["S1", "S2"])
    busan_order = _order(api, "busan", ["B1"])
    seoul_directive = _directive(api, "seoul", ["S1"])
    incidents = {}
    for user, station, code in (("op1", "S1", 0), ("op2", "S2", 1), ("opb", "B1", 0)):
        rid, result = api(user).create_incident(station, code=code)
        assert result["status"] == "applied", result
        incidents[station] = rid
    quiet, result = api("op1").create_incident("S1", code=2)  # code 2: not a CAP alert
    assert result["status"] == "applied"
    expected = {
        "op1": {seoul_order, seoul_directive, incidents["S1"]},
        "op2": {seoul_order, seoul_directive, incidents["S2"]},
        "seoul": {seoul_order, seoul_directive, incidents["S1"], incidents["S2"]},
        "busan": {busan_order, incidents["B1"]},
        "hq": {seoul_order, busan_order, seoul_directive, *incidents.values()},
    }
    for user, ids in expected.items():
        seen, root = _feed(api, user)
        assert seen == ids, user
        assert quiet not in str(etree.tostring(root))
        assert root.findall("a:entry/a:content/c:alert/c:scope", NS)[0].text == "Restricted"


def test_the_feed_needs_a_login(server: Any) -> None:
    assert requests.get(f"{server.url}/api/v1/cap/alerts.atom", timeout=30).status_code == 401
    r = requests.get(f"{server.url}/api/v1/cap/alerts.atom",
                     headers={"Authorization": "Bearer nonsense"}, timeout=30)
    assert r.status_code == 401


def _kinds(api: Any, user: str) -> set[str]:
    _as_of, rows = api(user).snapshot_all()
    return {r["id"] for r in rows if r["kind"] == "external_alert"}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_admin_imports_a_cap_alert_for_an_offices_scope(server: Any, world: Any, api: Any, db_url: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert run_admin("--db", db_url, "import", "cap", str(SAMPLES / "canada.cap"), "--org", "SEOUL") == 0
    out = capsys.readouterr().out
    assert "imported CAP alert cap-" in out and "severe thunderstorm watch" in out and "SEOUL" in out
    seoul = _kinds(api, "seoul")
    assert len(seoul) == 1
    assert _kinds(api, "op1") == seoul  # a station below the office sees it
    assert _kinds(api, "hq") == seoul
    assert _kinds(api, "opb") == set()  # another province's station does not
    # the same file again changes nothing and says so
    assert run_admin("--db", db_url, "import", "cap", str(SAMPLES / "canada.cap"), "--org", "SEOUL") == 1
    assert "imported before" in capsys.readouterr().err
    # without --org: the national HQ's, so every console
    assert run_admin("--db", db_url, "import", "cap", str(SAMPLES / "australia.cap")) == 0
    assert len(_kinds(api, "opb")) == 1


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_admin_refuses_an_invalid_alert_in_words(server: Any, world: Any, api: Any, db_url: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert run_admin("--db", db_url, "import", "cap", str(SAMPLES / "invalid.cap")) == 1
    err = capsys.readouterr().err
    assert "invalid.cap is not a valid CAP 1.2 alert: line 9:" in err and "<scope>" in err
    assert run_admin("--db", db_url, "import", "cap", str(SAMPLES / "nothing.cap")) == 1
    assert "no such file" in capsys.readouterr().err
    assert run_admin("--db", db_url, "import", "cap", str(SAMPLES / "canada.cap"), "--org", "NOPE") == 1
    assert "NOPE" in capsys.readouterr().err
    assert _kinds(api, "hq") == set()


def test_a_console_shares_an_alert_with_its_scope_through_a_push(server: Any, world: Any, api: Any) -> None:
    """File > Import CAP alert… pushes external_alert.import: a commander's alert is its station's,
    seen by its province and HQ, not by another station; an operator may not import."""
    from console.interop.cap_in import parse_cap

    imported = parse_cap((SAMPLES / "australia.cap").read_bytes(), "australia.cap")
    refused = api("op1").push_one("external_alert.import", "external_alert", imported.record_id, imported.payload)
    assert refused["status"] == "rejected" and refused["error_code"] == "forbidden"
    result = api("cmd1").push_one("external_alert.import", "external_alert", imported.record_id, imported.payload)
    assert result["status"] == "applied", result
    assert _kinds(api, "op1") == {imported.record_id}
    assert _kinds(api, "seoul") == {imported.record_id}
    assert _kinds(api, "op2") == set()
    again = api("cmd1").push_one("external_alert.import", "external_alert", imported.record_id, imported.payload)
    assert again["status"] == "rejected"
