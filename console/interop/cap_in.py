"""CAP in: an outside agency's alert file (CAP 1.2, or 1.1 read as 1.2) checked against the CAP 1.2
schema and turned into the payload of an `external_alert.import` mutation. A file the schema
refuses is refused with the schema's reason, in words a duty officer can act on."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from console.domain.clock import parse_time
from console.domain.external_alerts import MAX_AREAS, MAX_POINTS
from console.interop.cap import CAP_NS, CAP_TAG, cap_schema, safe_parser
from console.interop.cap_area import circle_ring

CAP11_NS = "urn:oasis:names:tc:emergency:cap:1.1"
MAX_BYTES = 2_000_000  # larger than any real alert; a bigger file is not one
TEXT_CHARS = 4000  # the mutation's limit for one text field (console.domain.mutations NOTE_CHARS)
URL_TIMEOUT_S = 15.0
MAX_RING_POINTS = 500


class CapRefused(ValueError):
    """An alert file that cannot be imported; the message says why, for a user."""


@dataclass(frozen=True)
class ImportedCap:
    record_id: str  # the same alert imported twice has the same id (the second is refused)
    payload: dict[str, Any]  # for the external_alert.import mutation
    headline: str


def read_source(source: str) -> tuple[bytes, str]:
    """The bytes of a file path or an http(s) URL, and the name to keep as its source."""
    if re.match(r"^https?://", source, re.IGNORECASE):
        import requests

        try:
            with requests.get(source, timeout=URL_TIMEOUT_S, stream=True) as response:
                response.raise_for_status()
                data = response.raw.read(MAX_BYTES + 1, decode_content=True)
        except requests.RequestException as exc:
            raise CapRefused(f"could not fetch {source}: {exc}") from None
        return _sized(data, source), source
    path = Path(source)
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise CapRefused(f"{source}: no such file") from None
    except OSError as exc:
        raise CapRefused(f"{source}: cannot be read ({exc.strerror or exc})") from None
    return _sized(data, path.name), path.name


def _sized(data: bytes, name: str) -> bytes:
    if len(data) > MAX_BYTES:
        raise CapRefused(f"{name} is larger than {MAX_BYTES // 1_000_000} MB: not a CAP alert")
    return data


def parse_cap(data: bytes, source: str = "") -> ImportedCap:
    """Check `data` against CAP 1.2 and read it; CapRefused with the reason if it is not one."""
    name = source or "the file"
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise CapRefused(f"{name} is not an XML file (line {exc.lineno}: {exc.msg})") from None
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        # entities are never expanded (they could read local files): a CAP alert has no DTD
        raise CapRefused(f"{name} declares a DOCTYPE, which a CAP alert does not have")
    if not isinstance(root.tag, str) or etree.QName(root).localname != "alert":
        raise CapRefused(f"{name} is not a CAP alert: its first element is "
                         f"<{etree.QName(root).localname if isinstance(root.tag, str) else '?'}>, "
                         "not <alert>")
    ns = etree.QName(root).namespace
    if ns == CAP11_NS:
        # CAP 1.1 alerts are still issued (USGS): 1.2 only tightened 1.1, so a 1.1 alert that
        # passes the 1.2 schema under the 1.2 name reads the same.
        root = _renamed(root, CAP11_NS, CAP_NS)
    elif ns != CAP_NS:
        raise CapRefused(f"{name} is not a CAP 1.2 alert: its namespace is {ns or 'missing'}, "
                         f"not {CAP_NS}")
    schema = cap_schema()
    try:
        valid = schema.validate(root)
    except etree.XMLSchemaValidateError:
        valid = False
    if not valid:
        raise CapRefused(f"{name} is not a valid CAP 1.2 alert: {_worded(schema.error_log)}")
    return _read(root, source)


def _renamed(root: etree._Element, old: str, new: str) -> etree._Element:
    text = etree.tostring(root).replace(old.encode(), new.encode())
    return etree.fromstring(text, safe_parser())


_MISSING = re.compile(r"Element '(\w+)': This element is not expected\. Expected is(?: one of)? "
                      r"\( ([^)]*) \)")
_MISSING_END = re.compile(r"Element '(\w+)': Missing child element\(s\)\. Expected is(?: one of)? "
                          r"\( ([^)]*) \)")


def _worded(log: Any) -> str:
    """The schema's first complaint without namespaces, with its line, said plainly."""
    error = log[0] if len(log) else None
    if error is None:
        return "the schema refused it"
    message = str(error.message).replace(CAP_TAG, "")
    line = f"line {error.line}: "
    m = _MISSING.match(message)
    if m:
        expected = " or ".join(f"<{e.strip()}>" for e in m.group(2).split(","))
        return (f"{line}<{m.group(1)}> came where {expected} was expected "
                f"(a required element is missing or out of order)")
    m = _MISSING_END.match(message)
    if m:
        expected = ", ".join(f"<{e.strip()}>" for e in m.group(2).split(","))
        return f"{line}<{m.group(1)}> lacks {expected}"
    message = re.sub(r"Element '(\w+)'", r"<\1>", message)
    return line + message.rstrip(".")


def _read(root: etree._Element, source: str) -> ImportedCap:
    def text(el: etree._Element, tag: str) -> str:
        found = el.find(f"{{{CAP_NS}}}{tag}")
        return (found.text or "").strip() if found is not None else ""

    identifier, sender, sent = text(root, "identifier"), text(root, "sender"), text(root, "sent")
    infos = root.findall(f"{{{CAP_NS}}}info")
    korean = next((i for i in infos if text(i, "language").lower().startswith("ko")), None)
    english = next((i for i in infos if text(i, "language").lower().startswith("en")
                    or not text(i, "language")), None)
    first = korean if korean is not None else (infos[0] if infos else None)
    other = english if english is not None and english is not first else None
    areas: list[dict[str, Any]] = []
    points = 0
    if first is not None:
        for area in first.findall(f"{{{CAP_NS}}}area")[:MAX_AREAS]:
            rings = [_polygon(p.text or "") for p in area.findall(f"{{{CAP_NS}}}polygon")]
            rings += [_circle(c.text or "") for c in area.findall(f"{{{CAP_NS}}}circle")]
            rings = [r for r in rings if r]
            kept = []
            for ring in rings:
                if points + len(ring) > MAX_POINTS:
                    break
                kept.append(ring)
                points += len(ring)
            geocodes = [f"{text(g, 'valueName')}={text(g, 'value')}"
                        for g in area.findall(f"{{{CAP_NS}}}geocode")]
            areas.append({"description": _clip(text(area, "areaDesc")), "polygons": kept,
                          "geocodes": geocodes[:200]})

    def info(tag: str, el: etree._Element | None = first) -> str:
        return _clip(text(el, tag)) if el is not None else ""

    refs = text(root, "references").split()
    payload: dict[str, Any] = {
        "identifier": _clip(identifier), "sender": _clip(sender), "sent": _iso(sent),
        "msg_type": text(root, "msgType"), "status": text(root, "status"),
        "scope": text(root, "scope"), "source": _clip(source),
        "event": info("event"), "headline": info("headline"),
        "severity": info("severity") or "Unknown", "urgency": info("urgency") or "Unknown",
        "certainty": _certainty(info("certainty")),
        "sender_name": info("senderName"), "language": info("language") or "en-US",
        "description": info("description"), "instruction": info("instruction"),
        "headline_en": info("headline", other), "description_en": info("description", other),
        "effective": _iso(info("effective")) or None, "expires": _iso(info("expires")) or None,
        "references": refs[:100], "areas": areas,
    }
    # CAP names an alert by sender, identifier and sent; the content too, so that two different
    # files that reuse a name (test files do) both come in, and the same file twice does not.
    content = hashlib.sha1(etree.tostring(root, method="c14n")).hexdigest()
    digest = hashlib.sha1(f"{sender}|{identifier}|{sent}|{content}".encode()).hexdigest()[:24]
    return ImportedCap(f"cap-{digest}", payload,
                       payload["headline"] or payload["headline_en"] or payload["event"])


def _certainty(value: str) -> str:
    # CAP 1.1's "Very Likely" is 1.2's "Likely" (CAP 1.2, 3.2.2 certainty).
    return "Likely" if value == "Very Likely" else (value or "Unknown")


def _iso(value: str) -> str:
    """A CAP time as ISO 8601 (CAP writes UTC as -00:00, which Python reads as +00:00)."""
    if not value:
        return ""
    parse_time(value, "CAP time")
    return value


def _clip(value: str) -> str:
    return value if len(value) <= TEXT_CHARS else value[: TEXT_CHARS - 1] + "…"


def _polygon(text: str) -> list[list[float]]:
    """A CAP polygon ('lat,lon lat,lon ...') as a ring of [lon, lat]; [] if it does not read."""
    ring: list[list[float]] = []
    for pair in text.split():
        try:
            lat, lon = (float(v) for v in pair.split(","))
        except ValueError:
            return []
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return []
        ring.append([lon, lat])
    if len(ring) > MAX_RING_POINTS:  # every n-th point: the wire takes lists of 1,000 at most
        step = -(-len(ring) // MAX_RING_POINTS)
        ring = [*ring[:-1:step], ring[-1]]
    if len(ring) >= 3 and ring[0] != ring[-1]:
        ring.append(ring[0])
    return ring if len(ring) >= 4 else []


def _circle(text: str) -> list[list[float]]:
    try:
        centre, radius = text.split()
        lat, lon = (float(v) for v in centre.split(","))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return []
        return [[x, y] for x, y in circle_ring(lat, lon, float(radius))]
    except ValueError:
        return []
