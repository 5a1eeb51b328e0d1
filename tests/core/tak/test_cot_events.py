"""CoT events out validate against the base-event schema with the right types; events in are
read safely (PLI only; markers, our own events, hostile XML and no-fix reports move nothing)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tak_fakes import DATA, assert_valid_cot, pli

from console.tak.cot import (
    INCIDENT_TYPE,
    MAX_EVENT_BYTES,
    UNIT_TYPE,
    CotError,
    incident_event,
    position_report,
    unit_event,
)

NOW = datetime(2025, 6, 3, 2, 0, 0, 250000, tzinfo=UTC)
UNIT = {"callsign": "종로 21", "type": "patrol_car", "status": "dispatched", "station_code": "S1",
        "lat": 37.5801, "lon": 126.975, "incident_id": "i1"}
INCIDENT = {"code": 1, "title": "투표소 앞 <소란> & 위협", "category": "disorder", "status": "dispatched",
            "place": "청운효자동 제1투표소", "lat": 37.579, "lon": 126.972}


def test_a_unit_is_a_friendly_ground_unit() -> None:
    raw = unit_event("u1", UNIT, NOW)
    assert raw is not None
    doc = assert_valid_cot(raw)
    assert (doc.get("type"), doc.get("uid"), doc.get("version")) == (UNIT_TYPE, "sitroom.unit.u1", "2.0")
    assert UNIT_TYPE.startswith("a-f-G")  # atom, friend, ground
    assert (doc.get("time"), doc.get("stale")) == ("2025-06-03T02:00:00.250Z", "2025-06-03T02:05:00.250Z")
    assert doc.xpath("string(detail/contact/@callsign)") == "종로 21"
    assert doc.findtext("detail/remarks") == "patrol_car · dispatched · S1 · incident i1"
    assert (doc.xpath("number(point/@lat)"), doc.xpath("number(point/@lon)")) == (37.5801, 126.975)
    assert unit_event("u2", {**UNIT, "lat": None, "lon": None}, NOW) is None  # no position, no event


def test_an_incident_is_a_law_enforcement_alarm_with_its_112_code() -> None:
    raw = incident_event("i1", INCIDENT, NOW)
    assert raw is not None
    doc = assert_valid_cot(raw)
    assert doc.get("type") == INCIDENT_TYPE == "b-l-l-l"
    assert doc.findtext("detail/remarks") == ("112 code 1 · disorder · dispatched · 청운효자동 제1투표소 · "
                                              "투표소 앞 <소란> & 위협")
    closed = incident_event("i1", {**INCIDENT, "status": "closed"}, NOW, still_open=False)
    assert closed is not None
    doc = assert_valid_cot(closed)
    assert doc.get("stale") == doc.get("time")  # stale at once: TAK devices drop it


def test_the_schema_refuses_what_it_should() -> None:
    """The check the tests rely on is no rubber stamp."""
    raw = unit_event("u1", UNIT, NOW)
    assert raw is not None
    with pytest.raises(AssertionError):
        assert_valid_cot(raw.replace(b'version="2.0"', b'version="1.0"'))
    with pytest.raises(AssertionError):
        assert_valid_cot(raw.replace(b'how="h-g-i-g-o"', b""))


def test_a_devices_pli_is_read() -> None:
    report = position_report(pli("ANDROID-7f3a", " 종로 21 ", 37.5665, 126.978))
    assert report is not None
    assert (report.uid, report.callsign, report.lat, report.lon) == ("ANDROID-7f3a", "종로 21", 37.5665, 126.978)


def test_other_events_move_nothing() -> None:
    assert position_report((DATA / "marker-spot.cot").read_bytes()) is None  # ATAK's spot marker
    ours = unit_event("u1", UNIT, NOW)
    assert ours is not None and position_report(ours) is None  # our own event read back
    assert position_report(pli("ANDROID-1", "x", 0.0, 0.0)) is None  # no GPS fix yet
    assert position_report(b'<event version="2.0" uid="p" type="t-x-c-t" how="h-g-i-g-o"/>') is None  # ping


@pytest.mark.parametrize("raw, reason", [
    (b"<event><point lat='1'", "well-formed"),
    (b"<html/>", "not a CoT event"),
    (b"<event uid='A' type='a-f-G-U-C'><point lat='north' lon='1'/></event>", "not numbers"),
    (b"<event uid='A' type='a-f-G-U-C'><point lat='91' lon='1'/></event>", "not on the earth"),
    (b"<event uid='A' type='a-f-G-U-C'/>", "no point"),
    (b"<event uid='A' type='a-f-G-U-C'>" + b" " * MAX_EVENT_BYTES + b"</event>", "bytes"),
])
def test_unreadable_events_are_refused_with_a_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(CotError, match=reason):
        position_report(raw)


def test_entities_are_not_expanded() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE event [<!ENTITY a "AAAAAAAAAA">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            b"<event uid='A' type='a-f-G-U-C'><point lat='37.5' lon='127'/>"
            b"<detail><contact callsign='&c;'/></detail></event>")
    with pytest.raises(CotError, match="DOCTYPE"):
        position_report(bomb)
    assert position_report(b"<event uid='A' type='a-f-G-U-C'><point lat='37.5' lon='127'/><detail>"
                           b"<remarks><![CDATA[a < b]]></remarks></detail></event>") is not None
