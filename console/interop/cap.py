"""CAP 1.2 out: duty-level orders and code 0/1 incidents as OASIS Common Alerting Protocol 1.2
alerts (scope Restricted, info in ko-KR and, where the issuer gave English, en-US), checked
against the CAP 1.2 schema before they leave.

How the domain maps onto CAP (DOMAIN.md):
- duty order: issued -> Alert; a newer order of the same issuer for an office of an older one
  still in force -> Update referencing the older; cancelled -> Cancel referencing the order.
  Level A/B: Immediate, Extreme/Severe; Level C: Expected, Severe; heightened alert: Expected,
  Moderate; operational readiness: Future, Minor. Certainty Likely (an order prepares for what
  is likely), Possible below Level C. responseType Execute (carry out the level's measures).
- incident, code 0 (violent crime in progress): Immediate, Extreme, Observed; code 1 (imminent
  danger to life): Immediate, Severe, Likely. Open and new -> Alert; open and handled -> Update;
  resolved or closed -> Cancel, each referencing the first.
- directive (지시사항): issued -> Alert, cancelled -> Cancel referencing it; urgent: Immediate,
  Severe; important: Expected, Moderate; routine: Future, Minor. responseType Execute, its text
  the instruction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from lxml import etree

from console.domain.clock import OPERATION_TZ, parse_time
from console.domain.directives import Directive, DirectivePriority
from console.domain.duty import DUTY_REQUIREMENTS, DutyLevel, DutyOrder
from console.domain.incidents import Incident, IncidentStatus, PriorityCode
from console.interop.cap_area import CapArea

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_TAG = f"{{{CAP_NS}}}"  # Clark notation's prefix of CAP 1.2's element names
CAP_MEDIA_TYPE = "application/cap+xml"
RESTRICTION = ("경찰 상황실 전용, 외부 공개 금지 / "
               "For police situation rooms in the issuer's chain of command only; not for release")

# (urgency, severity, certainty) per duty level.
DUTY_LEVEL_CAP: dict[DutyLevel, tuple[str, str, str]] = {
    DutyLevel.LEVEL_A: ("Immediate", "Extreme", "Likely"),
    DutyLevel.LEVEL_B: ("Immediate", "Severe", "Likely"),
    DutyLevel.LEVEL_C: ("Expected", "Severe", "Likely"),
    DutyLevel.HEIGHTENED: ("Expected", "Moderate", "Possible"),
    DutyLevel.READINESS: ("Future", "Minor", "Possible"),
}
INCIDENT_CODE_CAP: dict[PriorityCode, tuple[str, str, str]] = {
    PriorityCode.CODE_0: ("Immediate", "Extreme", "Observed"),
    PriorityCode.CODE_1: ("Immediate", "Severe", "Likely"),
}
EXPORTED_CODES = frozenset(INCIDENT_CODE_CAP)
DIRECTIVE_PRIORITY_CAP: dict[DirectivePriority, tuple[str, str, str]] = {
    DirectivePriority.URGENT: ("Immediate", "Severe", "Likely"),
    DirectivePriority.IMPORTANT: ("Expected", "Moderate", "Likely"),
    DirectivePriority.ROUTINE: ("Future", "Minor", "Possible"),
}
DIRECTIVE_PRIORITY_KO: dict[DirectivePriority, str] = {
    DirectivePriority.URGENT: "긴급", DirectivePriority.IMPORTANT: "중요", DirectivePriority.ROUTINE: "일반",
}


class CapError(ValueError):
    """What cannot be written as a CAP alert (an incident of code 2-4), or a written alert that
    the schema refuses (a defect)."""


@dataclass(frozen=True)
class CapInfo:
    language: str
    event: str
    headline: str
    description: str
    instruction: str = ""
    sender_name: str = ""


@dataclass(frozen=True)
class CapAlert:
    """One alert as sitroom writes it: every field a builder below decides."""

    identifier: str
    sender: str
    sent: datetime
    msg_type: str  # Alert | Update | Cancel
    urgency: str
    severity: str
    certainty: str
    infos: Sequence[CapInfo]
    areas: Sequence[CapArea]
    response_type: str = "Monitor"
    references: Sequence[str] = ()  # "sender,identifier,sent"
    effective: datetime | None = None
    expires: datetime | None = None
    incidents: Sequence[str] = ()
    event_codes: Sequence[tuple[str, str]] = field(default_factory=tuple)


def cap_time(moment: datetime | str) -> str:
    """A CAP date-time: seconds, an explicit offset (Korean time), no 'Z' (the schema's pattern)."""
    value = parse_time(moment) if isinstance(moment, str) else moment
    return value.astimezone(OPERATION_TZ).replace(microsecond=0).isoformat()


def sender_of(org_code: str) -> str:
    """An office's CAP sender: no spaces, commas, '<' or '&' (CAP 1.2, 3.2.1)."""
    return f"{org_code}@sitroom.police"


def reference(sender: str, identifier: str, sent: datetime | str) -> str:
    return f"{sender},{identifier},{cap_time(sent)}"


def duty_identifier(order_id: str) -> str:
    return f"sitroom.duty.{order_id}"


def incident_identifier(incident_id: str) -> str:
    return f"sitroom.incident.{incident_id}"


def _office_name(orgs: Mapping[str, Mapping[str, Any]], code: str, korean: bool) -> str:
    org = orgs.get(code) or {}
    return str(org.get("name_ko" if korean else "name_en") or code)


def _offices(orgs: Mapping[str, Mapping[str, Any]], codes: Sequence[str], korean: bool) -> str:
    """The offices an order covers, for a headline: a few by name, many as the first and a count."""
    names = [_office_name(orgs, c, korean) for c in codes]
    if len(names) <= 3:
        return ", ".join(names)
    return (f"{names[0]} 외 {len(names) - 1}개 관서" if korean
            else f"{names[0]} and {len(names) - 1} other offices")


def duty_order_alert(order: DutyOrder, orgs: Mapping[str, Mapping[str, Any]],
                     areas: Sequence[CapArea], *, superseded: Sequence[DutyOrder] = (),
                     cancelled_at: datetime | None = None) -> CapAlert:
    """A duty order as a CAP alert. `superseded`: the issuer's older orders still in force for
    an office this one covers (they make it an Update); `cancelled_at`: when a cancelled order
    was cancelled (its Cancel's sent time; the order's issue time if not known)."""
    req = DUTY_REQUIREMENTS[order.level]
    urgency, severity, certainty = DUTY_LEVEL_CAP[order.level]
    sender = sender_of(order.issuer_code)
    base_id = duty_identifier(order.id)
    issued = parse_time(order.issued_at or order.effective_from)
    targets_ko = _offices(orgs, order.targets, True)
    targets_en = _offices(orgs, order.targets, False)
    issuer_ko = _office_name(orgs, order.issuer_code, True)
    issuer_en = _office_name(orgs, order.issuer_code, False)
    until_ko = f" ~ {_shown(order.effective_until)}" if order.effective_until else ""
    if order.cancelled:
        msg_type, identifier = "Cancel", f"{base_id}.cancel"
        sent = cancelled_at or issued
        refs = [reference(sender, base_id, issued)]
        head_ko = f"{issuer_ko} {req.name_ko} 해제 — {targets_ko}"
        head_en = f"{issuer_en}: {req.name_en} cancelled — {targets_en}"
    else:
        msg_type = "Update" if superseded else "Alert"
        identifier, sent = base_id, issued
        refs = [reference(sender, duty_identifier(o.id), o.issued_at or o.effective_from)
                for o in superseded]
        head_ko = f"{issuer_ko} {req.name_ko} 발령 — {targets_ko}"
        head_en = f"{issuer_en}: {req.name_en} ordered — {targets_en}"
    infos = [CapInfo("ko-KR", f"비상근무 {req.name_ko}", _short(head_ko),
                     _join(order.reason, f"시행 {_shown(order.effective_from)}{until_ko} (KST)"),
                     req.description_ko, issuer_ko)]
    if order.reason_en:
        infos.append(CapInfo("en-US", f"Emergency duty: {req.name_en}", _short(head_en),
                             _join(order.reason_en, f"Effective {_shown(order.effective_from)}"
                                                    f"{until_ko} (KST)"), req.description_en,
                             issuer_en))
    return CapAlert(identifier, sender, sent, msg_type, urgency, severity, certainty, infos, areas,
                    response_type="Execute", references=refs,
                    effective=parse_time(order.effective_from),
                    expires=parse_time(order.effective_until) if order.effective_until else None,
                    event_codes=(("sitroom:duty-level", order.level.value),))


def incident_alert(incident: Incident, orgs: Mapping[str, Mapping[str, Any]],
                   areas: Sequence[CapArea], *, at: datetime) -> CapAlert:
    """A code 0 or 1 incident as a CAP alert; `at` is the time of an Update or Cancel."""
    code = PriorityCode(incident.code)
    if code not in INCIDENT_CODE_CAP:
        raise CapError(f"only code 0 and code 1 incidents are sent as CAP alerts, not code {int(code)}")
    urgency, severity, certainty = INCIDENT_CODE_CAP[code]
    sender = sender_of(incident.station_code)
    base_id = incident_identifier(incident.id)
    created = parse_time(incident.created_at)
    station_ko = _office_name(orgs, incident.station_code, True)
    station_en = _office_name(orgs, incident.station_code, False)
    status = IncidentStatus(incident.status)
    refs: list[str] = []
    if status in (IncidentStatus.RESOLVED, IncidentStatus.CLOSED):
        msg_type, identifier, sent = "Cancel", f"{base_id}.{status.value}", at
        refs = [reference(sender, base_id, created)]
    elif status != IncidentStatus.NEW:
        msg_type, identifier, sent = "Update", f"{base_id}.{status.value}", at
        refs = [reference(sender, base_id, created)]
    else:
        msg_type, identifier, sent = "Alert", base_id, created
    place = " ".join(p for p in (incident.district, incident.town, incident.place) if p)
    infos = [CapInfo("ko-KR", f"112 코드{int(code)} 사건", _short(f"[코드{int(code)}] {incident.title}"),
                     _join(incident.description, f"{station_ko} 관할 {place}".strip()),
                     "", station_ko)]
    if incident.title_en:
        infos.append(CapInfo("en-US", f"112 code {int(code)} incident",
                             _short(f"[Code {int(code)}] {incident.title_en}"),
                             f"{station_en} jurisdiction {place}".strip(), "", station_en))
    return CapAlert(identifier, sender, sent, msg_type, urgency, severity, certainty, infos, areas,
                    response_type="Monitor", references=refs, incidents=(incident.id,),
                    event_codes=(("sitroom:112-code", str(int(code))),
                                 ("sitroom:category", str(incident.category))))


def directive_identifier(directive_id: str) -> str:
    return f"sitroom.directive.{directive_id}"


def directive_alert(directive: Directive, orgs: Mapping[str, Mapping[str, Any]],
                    areas: Sequence[CapArea]) -> CapAlert:
    """A directive (지시사항) as a CAP alert: Alert when issued, Cancel referencing it once
    cancelled; its priority gives urgency and severity; its text is the instruction."""
    urgency, severity, certainty = DIRECTIVE_PRIORITY_CAP[directive.priority]
    sender = sender_of(directive.issuer_code)
    base_id = directive_identifier(directive.id)
    issued = parse_time(directive.issued_at) if directive.issued_at else None
    if issued is None:
        raise CapError("a directive without its issue time cannot be sent as a CAP alert")
    issuer_ko = _office_name(orgs, directive.issuer_code, True)
    issuer_en = _office_name(orgs, directive.issuer_code, False)
    targets_ko = _offices(orgs, directive.targets, True)
    targets_en = _offices(orgs, directive.targets, False)
    priority_ko = DIRECTIVE_PRIORITY_KO[directive.priority]
    refs: list[str] = []
    if directive.cancelled:
        msg_type, identifier = "Cancel", f"{base_id}.cancel"
        sent = parse_time(directive.cancelled_at) if directive.cancelled_at else issued
        refs = [reference(sender, base_id, issued)]
        head_ko = f"{issuer_ko} 지시사항({priority_ko}) 취소 — {targets_ko}"
        head_en = f"{issuer_en}: {directive.priority.value} directive withdrawn — {targets_en}"
    else:
        msg_type, identifier, sent = "Alert", base_id, issued
        head_ko = f"{issuer_ko} 지시사항({priority_ko}) — {_first_line(directive.text)}"
        head_en = f"{issuer_en}: {directive.priority.value} directive — {_first_line(directive.text_en)}"
    infos = [CapInfo("ko-KR", f"지시사항({priority_ko})", _short(head_ko), directive.text,
                     directive.text, issuer_ko)]
    if directive.text_en:
        infos.append(CapInfo("en-US", f"Directive ({directive.priority.value})", _short(head_en),
                             directive.text_en, directive.text_en, issuer_en))
    return CapAlert(identifier, sender, sent, msg_type, urgency, severity, certainty, infos, areas,
                    response_type="Execute", references=refs,
                    event_codes=(("sitroom:directive-priority", directive.priority.value),))


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _shown(moment: str) -> str:
    """A time as a person reads it in a description: Korean time to the minute."""
    return parse_time(moment).astimezone(OPERATION_TZ).strftime("%Y-%m-%d %H:%M")


def _short(text: str, limit: int = 160) -> str:
    # CAP 1.2 asks headlines to stay short (160 characters, for text messages).
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _join(*parts: str) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


# -- writing ----------------------------------------------------------------------------------
def alert_element(alert: CapAlert) -> etree._Element:
    cap = CAP_TAG

    def sub(parent: etree._Element, name: str, text: str) -> etree._Element:
        child = etree.SubElement(parent, cap + name)
        child.text = text
        return child

    root = etree.Element(cap + "alert", nsmap={None: CAP_NS})  # type: ignore[dict-item]
    sub(root, "identifier", alert.identifier)
    sub(root, "sender", alert.sender)
    sub(root, "sent", cap_time(alert.sent))
    sub(root, "status", "Actual")
    sub(root, "msgType", alert.msg_type)
    sub(root, "source", "sitroom")
    sub(root, "scope", "Restricted")
    sub(root, "restriction", RESTRICTION)
    if alert.references:
        sub(root, "references", " ".join(alert.references))
    if alert.incidents:
        sub(root, "incidents", " ".join(alert.incidents))
    for info in alert.infos:
        el = etree.SubElement(root, cap + "info")
        sub(el, "language", info.language)
        sub(el, "category", "Security")
        sub(el, "event", info.event)
        sub(el, "responseType", alert.response_type)
        sub(el, "urgency", alert.urgency)
        sub(el, "severity", alert.severity)
        sub(el, "certainty", alert.certainty)
        for name, value in alert.event_codes:
            code = etree.SubElement(el, cap + "eventCode")
            sub(code, "valueName", name)
            sub(code, "value", value)
        if alert.effective is not None:
            sub(el, "effective", cap_time(alert.effective))
        if alert.expires is not None:
            sub(el, "expires", cap_time(alert.expires))
        if info.sender_name:
            sub(el, "senderName", info.sender_name)
        sub(el, "headline", info.headline)
        if info.description:
            sub(el, "description", info.description)
        if info.instruction:
            sub(el, "instruction", info.instruction)
        for area in alert.areas:
            a = etree.SubElement(el, cap + "area")
            sub(a, "areaDesc", area.description or "-")
            for ring in area.polygons:
                sub(a, "polygon", " ".join(f"{lat:.5f},{lon:.5f}" for lon, lat in ring))
            for lat, lon, radius in area.circles:
                sub(a, "circle", f"{lat:.5f},{lon:.5f} {radius:g}")
            for name, value in area.geocodes:
                g = etree.SubElement(a, cap + "geocode")
                sub(g, "valueName", name)
                sub(g, "value", value)
    return root


def alert_xml(alert: CapAlert) -> bytes:
    """The alert as a CAP 1.2 document, checked against the schema (CapError if it fails)."""
    root = alert_element(alert)
    schema = cap_schema()
    if not schema.validate(root):
        errors: Any = schema.error_log
        raise CapError(f"sitroom wrote an alert the CAP 1.2 schema refuses: {errors[0]}")
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


@cache
def cap_schema() -> etree.XMLSchema:
    """The CAP 1.2 schema shipped with sitroom (console/interop/schemas/cap12.xsd)."""
    text = resources.files("console.interop").joinpath("schemas/cap12.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(text, safe_parser()))


def safe_parser() -> etree.XMLParser:
    # No entities, no network, no DTD: an alert from outside is untrusted input.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           remove_blank_text=False)
