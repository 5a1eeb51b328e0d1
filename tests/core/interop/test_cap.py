"""CAP 1.2 out and in: every alert sitroom writes validates against cap12.xsd (lxml); each valid
sample alert imports, invalid.cap is refused with a worded reason."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from console.domain.external_alerts import ExternalAlert
from console.interop.cap import CAP_NS, alert_xml, cap_schema
from console.interop.cap_area import MAX_POLYGON_POINTS
from console.interop.cap_in import CapRefused, parse_cap, read_source
from console.interop.cap_records import directive_cap, duty_order_cap, feed_alerts, incident_cap

SAMPLES = Path(__file__).parent / "cap_samples"
VALID = ["australia.cap", "canada.cap", "earthquake.cap", "no_optional_fields.cap"]
NOW = datetime(2025, 6, 3, 3, 0, tzinfo=UTC)
NS = {"c": CAP_NS}

ORGS: dict[str, dict[str, Any]] = {
    "NPA": {"code": "NPA", "name_ko": "경찰청", "name_en": "National Police Agency", "parent_code": None},
    "SEOUL": {"code": "SEOUL", "name_ko": "서울경찰청", "name_en": "Seoul Police", "parent_code": "NPA"},
    "S1": {"code": "S1", "name_ko": "종로경찰서", "name_en": "Jongno", "parent_code": "SEOUL",
           "jurisdiction": ["11110"]},
    "S2": {"code": "S2", "name_ko": "중부경찰서", "name_en": "Jungbu", "parent_code": "SEOUL",
           "jurisdiction": ["11140", "11170"]},
}


def _order(oid: str, level: str = "level_a", **kw: Any) -> dict[str, Any]:
    data = {"id": oid, "level": level, "issuer_code": "SEOUL", "targets": ["S1", "S2"],
            "effective_from": "2025-06-03T06:00:00+09:00", "reason": "선거일 갑호비상",
            "issued_by": "seoul", "issued_at": "2025-06-02T21:00:00Z"}
    data.update(kw)
    return data


def _incident(code: int, status: str = "new", **kw: Any) -> dict[str, Any]:
    data = {"id": f"i{code}{status}", "category": "election_violence", "code": code,
            "title": "투표소 앞 폭행", "station_code": "S1", "lat": 37.5843, "lon": 126.9706,
            "created_at": "2025-06-03T01:00:00Z", "created_by": "op1", "status": status,
            "place": "청운효자동 제1투표소"}
    data.update(kw)
    return data


def _valid(xml: bytes) -> etree._Element:
    root = etree.fromstring(xml)
    schema = cap_schema()
    assert schema.validate(root), schema.error_log
    return root


def _texts(root: etree._Element, path: str) -> list[str]:
    return [e.text or "" for e in root.findall(path, NS)]


def test_a_duty_order_is_a_restricted_cap_alert_in_korean_and_its_english_where_given() -> None:
    order = _order("o1", reason_en="Election day Level A", effective_until="2025-06-04T06:00:00+09:00")
    root = _valid(alert_xml(duty_order_cap(order, ORGS, [order], now=NOW)))
    assert _texts(root, "c:msgType") == ["Alert"]
    assert _texts(root, "c:scope") == ["Restricted"]
    assert _texts(root, "c:restriction")[0]
    assert _texts(root, "c:info/c:language") == ["ko-KR", "en-US"]
    assert _texts(root, "c:info/c:urgency") == ["Immediate"] * 2
    assert _texts(root, "c:info/c:severity") == ["Extreme"] * 2
    assert _texts(root, "c:sent") == ["2025-06-03T06:00:00+09:00"]
    assert _texts(root, "c:info/c:expires")[0] == "2025-06-04T06:00:00+09:00"
    assert "갑호비상" in _texts(root, "c:info/c:headline")[0]
    # one area per target office, its jurisdiction's polygon within the profile's limit
    areas = root.findall("c:info[1]/c:area", NS)
    assert [a.findtext("c:areaDesc", namespaces=NS) for a in areas] == ["종로경찰서", "중부경찰서"]
    assert _texts(areas[1], "c:geocode/c:value") == ["11140", "11170"]
    for polygon in _texts(root, "c:info/c:area/c:polygon"):
        points = polygon.split()
        assert 4 <= len(points) <= MAX_POLYGON_POINTS and points[0] == points[-1]
        lat, lon = map(float, points[0].split(","))
        assert 37.4 < lat < 37.7 and 126.8 < lon < 127.2  # lat,lon order, in Seoul


def test_no_english_info_without_english_text() -> None:
    root = _valid(alert_xml(duty_order_cap(_order("o1"), ORGS, [], now=NOW)))
    assert _texts(root, "c:info/c:language") == ["ko-KR"]


def test_a_newer_order_updates_the_older_and_a_cancel_references_its_order() -> None:
    old = _order("o1")
    new = _order("o2", level="level_b", targets=["S1"], issued_at="2025-06-03T05:00:00Z",
                 effective_from="2025-06-03T14:00:00+09:00")
    orders = [old, new]
    root = _valid(alert_xml(duty_order_cap(new, ORGS, orders, now=NOW)))
    assert _texts(root, "c:msgType") == ["Update"]
    assert _texts(root, "c:references") == ["SEOUL@sitroom.police,sitroom.duty.o1,2025-06-03T06:00:00+09:00"]
    assert _texts(root, "c:info/c:severity") == ["Severe"]
    cancelled_at = datetime(2025, 6, 3, 8, 0, tzinfo=UTC)
    cancel = duty_order_cap(dict(new, cancelled=True), ORGS, orders, now=cancelled_at)
    root = _valid(alert_xml(cancel))
    assert _texts(root, "c:msgType") == ["Cancel"]
    assert _texts(root, "c:identifier") == ["sitroom.duty.o2.cancel"]
    assert _texts(root, "c:sent") == ["2025-06-03T17:00:00+09:00"]
    assert _texts(root, "c:references") == ["SEOUL@sitroom.police,sitroom.duty.o2,2025-06-03T14:00:00+09:00"]


@pytest.mark.parametrize("level, urgency, severity", [
    ("level_c", "Expected", "Severe"), ("heightened", "Expected", "Moderate"), ("readiness", "Future", "Minor")])
def test_each_level_maps_to_its_urgency_and_severity(level: str, urgency: str, severity: str) -> None:
    root = _valid(alert_xml(duty_order_cap(_order("o", level=level), ORGS, [], now=NOW)))
    assert _texts(root, "c:info/c:urgency") == [urgency]
    assert _texts(root, "c:info/c:severity") == [severity]


def test_code_0_and_1_incidents_are_alerts_updates_and_cancels() -> None:
    root = _valid(alert_xml(incident_cap(_incident(0, title_en="Assault outside a polling station"), ORGS)))
    assert _texts(root, "c:msgType") == ["Alert"]
    assert _texts(root, "c:info/c:severity") == ["Extreme", "Extreme"]
    assert _texts(root, "c:info/c:certainty") == ["Observed", "Observed"]
    assert _texts(root, "c:info[1]/c:area/c:circle") == ["37.58430,126.97060 0.5"]
    assert _texts(root, "c:incidents") == ["i0new"]
    root = _valid(alert_xml(incident_cap(_incident(1, "dispatched", acknowledged_at="2025-06-03T01:01:00Z"), ORGS)))
    assert _texts(root, "c:msgType") == ["Update"]
    assert _texts(root, "c:info/c:severity") == ["Severe"]
    assert _texts(root, "c:sent") == ["2025-06-03T10:01:00+09:00"]
    root = _valid(alert_xml(incident_cap(_incident(1, "resolved", resolved_at="2025-06-03T02:00:00Z"), ORGS)))
    assert _texts(root, "c:msgType") == ["Cancel"]
    assert _texts(root, "c:references") == ["S1@sitroom.police,sitroom.incident.i1resolved,2025-06-03T10:00:00+09:00"]


def _directive(did: str, **kw: Any) -> dict[str, Any]:
    data = {"id": did, "issuer_code": "SEOUL", "targets": ["S1"], "text": "투표소 주변 순찰 강화\n매 30분 보고",
            "priority": "urgent", "issued_by": "seoul", "issued_at": "2025-06-03T00:30:00Z"}
    data.update(kw)
    return data


def test_a_directive_is_an_alert_and_its_withdrawal_a_cancel() -> None:
    root = _valid(alert_xml(directive_cap(_directive("d1", text_en="Step up patrols near polling stations"), ORGS)))
    assert _texts(root, "c:msgType") == ["Alert"]
    assert _texts(root, "c:identifier") == ["sitroom.directive.d1"]
    assert _texts(root, "c:info/c:language") == ["ko-KR", "en-US"]
    assert _texts(root, "c:info/c:urgency") == ["Immediate"] * 2 and _texts(root, "c:info/c:severity") == ["Severe"] * 2
    assert _texts(root, "c:info/c:headline")[0] == "서울경찰청 지시사항(긴급) — 투표소 주변 순찰 강화"
    assert _texts(root, "c:info/c:instruction")[0] == "투표소 주변 순찰 강화\n매 30분 보고"
    withdrawn = _directive("d1", priority="routine", cancelled=True, cancelled_at="2025-06-03T02:00:00Z")
    root = _valid(alert_xml(directive_cap(withdrawn, ORGS)))
    assert _texts(root, "c:msgType") == ["Cancel"]
    assert _texts(root, "c:sent") == ["2025-06-03T11:00:00+09:00"]
    assert _texts(root, "c:references") == ["SEOUL@sitroom.police,sitroom.directive.d1,2025-06-03T09:30:00+09:00"]
    assert _texts(root, "c:info/c:severity") == ["Minor"]


def test_the_feed_takes_orders_directives_and_code_0_1_incidents_only() -> None:
    alerts = feed_alerts(ORGS, [_order("o1")], [_incident(0), _incident(2), _incident(3)], now=NOW,
                         directives=[_directive("d1")])
    assert sorted(a.record_id for a in alerts) == ["d1", "i0new", "o1"]
    for a in alerts:
        _valid(alert_xml(a.alert))


@pytest.mark.parametrize("name", VALID)
def test_each_valid_sample_imports(name: str) -> None:
    data, source = read_source(str(SAMPLES / name))
    imported = parse_cap(data, source)
    alert = ExternalAlert(id=imported.record_id, org_code="S1", imported_at="2025-06-03T00:00:00Z",
                          imported_by="cmd1", **imported.payload)
    assert alert.source == name
    assert alert.identifier and alert.sender
    if name != "no_optional_fields.cap":
        assert alert.areas and all(len(r) >= 4 for a in alert.areas for r in a.polygons)
        assert alert.headline


def test_the_samples_read_what_they_say() -> None:
    canada = parse_cap(read_source(str(SAMPLES / "canada.cap"))[0]).payload
    assert canada["msg_type"] == "Update" and len(canada["references"]) == 2
    assert canada["headline"] == "severe thunderstorm watch" and canada["severity"] == "Minor"
    first = canada["areas"][0]["polygons"][0][0]
    assert first == [-82.9314, 42.3481]  # [lon, lat]
    quake = parse_cap(read_source(str(SAMPLES / "earthquake.cap"))[0]).payload
    assert quake["expires"] == "2010-09-02T00:09:25-05:00"
    assert quake["sender_name"] == "U.S. Geological Survey"


def test_invalid_cap_is_refused_with_the_schemas_reason_in_words() -> None:
    with pytest.raises(CapRefused) as refused:
        parse_cap(read_source(str(SAMPLES / "invalid.cap"))[0], "invalid.cap")
    message = str(refused.value)
    assert message.startswith("invalid.cap is not a valid CAP 1.2 alert: line 9:")
    assert "<scope>" in message and "missing" in message
    assert "{urn:" not in message


@pytest.mark.parametrize("data, words", [
    (b"not xml at all", "is not an XML file"),
    (b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "is not a CAP alert"),
    (b"<alert xmlns='urn:example'/>", "its namespace is urn:example"),
    (b"<!DOCTYPE a [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'>&x;</alert>",
     "declares a DOCTYPE"),
])
def test_what_is_not_an_alert_is_refused_in_words(data: bytes, words: str) -> None:
    with pytest.raises(CapRefused, match=words):
        parse_cap(data, "x.cap")


def test_a_missing_file_is_worded(tmp_path: Path) -> None:
    with pytest.raises(CapRefused, match="no such file"):
        read_source(str(tmp_path / "nothing.cap"))


def test_the_same_file_twice_has_one_id_and_a_changed_one_another() -> None:
    data = (SAMPLES / "canada.cap").read_bytes()
    assert parse_cap(data).record_id == parse_cap(data).record_id
    assert parse_cap(data).record_id != parse_cap(data.replace(b"thunderstorm watch", b"storm")).record_id
    assert parse_cap(data).record_id.startswith("cap-") and len(parse_cap(data).record_id) <= 64
