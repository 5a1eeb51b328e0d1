"""External alerts' read model: what the list and the map show at a moment (expiry honoured, an
alert cancelled or updated by a later one of its sender left out, worst first)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from synced import load

from console.domain.records import RecordKind
from console.interop.cap_in import parse_cap
from console.protocol.schema import Row
from console.replica import Replica
from console.views.external_alerts import external_alert_areas, external_alert_rows

NOW = datetime(2025, 6, 3, 3, 0, tzinfo=UTC)
SAMPLES = Path(__file__).parents[1] / "interop" / "cap_samples"


def _alert(aid: str, **kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": aid, "org_code": "SEOUL", "identifier": aid, "sender": "fire@example.kr",
        "sent": "2025-06-03T01:00:00Z", "msg_type": "Alert", "status": "Actual", "scope": "Public",
        "event": "화재", "headline": f"{aid} 화재 경보", "severity": "Severe", "urgency": "Immediate",
        "certainty": "Observed", "imported_at": "2025-06-03T01:05:00Z", "imported_by": "seoul",
        "expires": "2025-06-03T05:00:00Z",
        "areas": [{"description": "종로구", "polygons": [[[126.9, 37.5], [127.0, 37.5], [127.0, 37.6],
                                                        [126.9, 37.5]]], "geocodes": []}]}
    data.update(kw)
    return data


def _rows(*alerts: dict[str, Any]) -> list[Row]:
    return [Row(kind=RecordKind.EXTERNAL_ALERT, id=a["id"], version=1, org_path="/NPA/SEOUL/", data=a)
            for a in alerts]


def test_expired_alerts_leave_the_list_and_the_map(replica: Replica) -> None:
    load(replica, _rows(_alert("a1"), _alert("a2", expires="2025-06-03T02:00:00Z"),
                        _alert("a3", expires=None)))
    assert [a.id for a in external_alert_areas(replica, NOW)] == ["a1", "a3"]
    later = NOW + timedelta(hours=2)
    assert [a.id for a in external_alert_areas(replica, later)] == ["a3"]


def test_the_map_gets_rings_of_lon_lat_and_the_list_its_language(replica: Replica) -> None:
    load(replica, _rows(_alert("a1", headline_en="a1 fire warning")))
    (area,) = external_alert_areas(replica, NOW)
    assert area.polygons == (((126.9, 37.5), (127.0, 37.5), (127.0, 37.6), (126.9, 37.5)),)
    assert area.expires == datetime(2025, 6, 3, 5, 0, tzinfo=UTC) and area.severity == "Severe"
    assert external_alert_rows(replica, NOW, korean=True)[0].headline == "a1 화재 경보"
    assert external_alert_rows(replica, NOW, korean=False)[0].headline == "a1 fire warning"
    assert external_alert_rows(replica, NOW, korean=False)[0].areas == "종로구"


def test_updates_and_cancels_replace_what_they_reference(replica: Replica) -> None:
    ref = "fire@example.kr,a1,2025-06-03T01:00:00Z"
    load(replica, _rows(_alert("a1"), _alert("a2", msg_type="Update", references=[ref],
                                             sent="2025-06-03T02:00:00Z", severity="Moderate"),
                        _alert("b1", severity="Extreme"),
                        _alert("b2", msg_type="Cancel", references=["fire@example.kr,b1,2025-06-03T01:00:00Z"])))
    # the update replaces a1; the cancel removes b1 and is not shown itself
    assert [r.id for r in external_alert_rows(replica, NOW, korean=True)] == ["a2"]


def test_worst_first_then_newest(replica: Replica) -> None:
    load(replica, _rows(_alert("minor", severity="Minor", sent="2025-06-03T02:30:00Z"),
                        _alert("old", sent="2025-06-03T00:00:00Z"), _alert("new", sent="2025-06-03T02:00:00Z"),
                        _alert("extreme", severity="Extreme")))
    assert [r.id for r in external_alert_rows(replica, NOW, korean=True)] == ["extreme", "new", "old", "minor"]


def test_an_imported_sample_shows_while_it_is_in_force(replica: Replica) -> None:
    imported = parse_cap((SAMPLES / "australia.cap").read_bytes(), "australia.cap")
    data = dict(imported.payload, id=imported.record_id, org_code="SEOUL",
                imported_at="2011-10-06T12:00:00Z", imported_by="seoul")
    load(replica, _rows(data))
    sent = datetime.fromisoformat(imported.payload["sent"])
    (row,) = external_alert_rows(replica, sent + timedelta(minutes=5), korean=True)
    assert row.headline == "Yerong Creek Structure Fire"
    assert external_alert_rows(replica, sent + timedelta(days=2), korean=True) == []
    (old,) = external_alert_rows(replica, sent + timedelta(days=2), korean=True, include_expired=True)
    assert old.expired and not row.expired
