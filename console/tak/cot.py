"""Cursor-on-Target events: units and open incidents out (built with pytak's CoT helpers), field
position reports (PLI) in. Types from the CoT type tree: a-f-G-U-C (atom, friend, ground unit)
for a unit, b-l-l-l (alarm, security, law enforcement) for an incident."""

from __future__ import annotations

import math
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from lxml import etree

with warnings.catch_warnings():  # pytak warns at import that its optional aiohttp is missing
    warnings.simplefilter("ignore")
    import pytak

UNIT_TYPE = "a-f-G-U-C"  # the type ATAK gives a friendly ground unit (its own PLI, too)
INCIDENT_TYPE = "b-l-l-l"  # alarm / security / law enforcement
UID_PREFIX = "sitroom."  # every event this bridge writes; an event read back with it is ours
UNIT_STALE = timedelta(minutes=5)  # re-sent every HEARTBEAT, so a live unit never goes stale
INCIDENT_STALE = timedelta(minutes=10)
HOW_REPORTED = "h-g-i-g-o"  # a position as the system of record holds it (entered or reported)
TEAM_COLOUR = "Cyan"  # ATAK's team of a friendly police unit
MAX_EVENT_BYTES = 64 * 1024  # one event read from the TAK connection; a longer one is refused
UNKNOWN_ERROR = 9999999.0  # CoT's "not known" for ce/le/hae

# A hostile event may not expand entities, reach the network or build a huge tree.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True,
                          remove_pis=True)


def unit_uid(unit_id: str) -> str:
    return f"{UID_PREFIX}unit.{unit_id}"


def incident_uid(incident_id: str) -> str:
    return f"{UID_PREFIX}incident.{incident_id}"


def cot_time(moment: datetime) -> str:
    """xs:dateTime in UTC with milliseconds, as TAK writes it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _event(uid: str, cot_type: str, lat: float, lon: float, now: datetime, stale: timedelta,
           callsign: str, remarks: list[object], extra: list[ET.Element] | None = None) -> ET.Element:
    detail = pytak.cot_detail(*(extra or []), flow_tag=False)
    event = pytak.cot_event(uid=uid, cot_type=cot_type, how=HOW_REPORTED, callsign=callsign, detail=detail,
                            point=pytak.cot_point(lat, lon, precision=6))
    pytak.add_remarks(detail, remarks, separator=" · ")
    # the times from our clock, not pytak's (a test fixes them; TAK needs real UTC)
    event.set("time", cot_time(now))
    event.set("start", cot_time(now))
    event.set("stale", cot_time(now + stale))
    return event


def unit_event(unit_id: str, data: Mapping[str, Any], now: datetime) -> bytes | None:
    """A unit with a position as a friendly ground unit; None without a position."""
    position = _position(data)
    if position is None:
        return None
    group = ET.Element("__group", {"name": TEAM_COLOUR, "role": "Team Member"})
    callsign = str(data.get("callsign") or unit_id)
    remarks: list[object] = [data.get("type"), data.get("status"), data.get("station_code")]
    if data.get("incident_id"):
        remarks.append(f"incident {data['incident_id']}")
    return pytak.serialize_cot(_event(unit_uid(unit_id), UNIT_TYPE, *position, now, UNIT_STALE, callsign,
                                      remarks, [group]))


def incident_event(incident_id: str, data: Mapping[str, Any], now: datetime, *, still_open: bool = True
                   ) -> bytes | None:
    """An incident as a law-enforcement alarm point, its 112 code first in the remarks. A closed
    incident is sent once more already stale, so TAK devices drop it."""
    position = _position(data)
    if position is None:
        return None
    code = data.get("code")
    title = str(data.get("title") or incident_id)
    remarks: list[object] = [f"112 code {code}", data.get("category"), data.get("status"),
                             data.get("place") or None, title]
    stale = INCIDENT_STALE if still_open else timedelta(0)
    return pytak.serialize_cot(_event(incident_uid(incident_id), INCIDENT_TYPE, *position, now, stale,
                                      f"112-{code} {title}"[:80], remarks))


def _position(data: Mapping[str, Any]) -> tuple[float, float] | None:
    try:
        lat, lon = float(data["lat"]), float(data["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


# -- in -----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PositionReport:
    """A field device's position (PLI): who, where, when."""

    uid: str
    callsign: str
    lat: float
    lon: float
    time: str


class CotError(ValueError):
    """An event that cannot be read; the message says why."""


def parse_event(raw: bytes) -> etree._Element:
    if len(raw) > MAX_EVENT_BYTES:
        raise CotError(f"an event of {len(raw):,} bytes (at most {MAX_EVENT_BYTES:,})")
    text = raw.strip()
    if text.startswith(b"<?xml"):
        text = text[text.index(b"?>") + 2:].lstrip()
    if b"<!" in text.replace(b"<![CDATA[", b""):
        # CoT has no DOCTYPE: its entities would be expanded in attributes (a 'billion laughs')
        raise CotError("a DOCTYPE or entity declaration; CoT events have none")
    try:
        root = etree.fromstring(text, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise CotError(f"not well-formed XML ({exc})") from None
    if root.tag != "event":
        raise CotError(f"not a CoT event (<{root.tag}>)")
    return root


def position_report(raw: bytes) -> PositionReport | None:
    """The position in a friendly ground atom's event (a device's PLI); None for every other
    event (pings, markers, our own events read back). CotError when it cannot be read."""
    root = parse_event(raw)
    uid, cot_type = root.get("uid") or "", root.get("type") or ""
    if not cot_type.startswith("a-f-G") or uid.startswith(UID_PREFIX):
        return None
    point = root.find("point")
    if point is None:
        raise CotError(f"event {uid!r} has no point")
    try:
        lat, lon = float(point.get("lat", "")), float(point.get("lon", ""))
    except ValueError:
        raise CotError(f"event {uid!r}: its point's lat/lon are not numbers") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise CotError(f"event {uid!r}: position {lat}, {lon} is not on the earth")
    if lat == 0.0 and lon == 0.0:
        return None  # a device without a fix reports 0, 0
    contact = root.find("detail/contact")
    callsign = (contact.get("callsign") if contact is not None else None) or ""
    return PositionReport(uid, callsign.strip(), lat, lon, root.get("time") or "")
