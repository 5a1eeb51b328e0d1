"""External alerts: warnings from outside agencies (CAP 1.2) brought in and shared with the offices
in scope of the office that imported them, until they expire."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from console.domain.clock import parse_time
from console.domain.errors import InvalidValue

# CAP 1.2's values (OASIS CAP 1.2, 3.2.1 and 3.2.2), as sitroom keeps them.
SEVERITIES: tuple[str, ...] = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
URGENCIES: tuple[str, ...] = ("Immediate", "Expected", "Future", "Past", "Unknown")
CERTAINTIES: tuple[str, ...] = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")
MSG_TYPES: tuple[str, ...] = ("Alert", "Update", "Cancel", "Ack", "Error")

# What one alert may carry into every replica of its scope: a polygon of a whole coast written
# vertex by vertex is simplified before it comes in (console.interop.cap_in).
MAX_AREAS = 50
MAX_POINTS = 5000  # vertices over all of an alert's polygons


@dataclass
class ExternalArea:
    """One CAP <area>: its description, its polygons as rings of [lon, lat] (circles already made
    polygons) and its geocodes as 'valueName=value'."""

    description: str
    polygons: list[list[list[float]]] = field(default_factory=list)
    geocodes: list[str] = field(default_factory=list)


@dataclass
class ExternalAlert:
    """A CAP alert as a console shows it: the first info block in Korean (else the first), the
    English one where the alert has one."""

    id: str
    org_code: str  # the office that imported it: the alert is shared with its scope
    identifier: str
    sender: str
    sent: str  # ISO 8601
    msg_type: str
    status: str
    scope: str
    event: str
    headline: str
    severity: str
    urgency: str
    certainty: str
    imported_at: str
    imported_by: str
    source: str = ""  # the file name or URL it came from
    sender_name: str = ""
    language: str = ""
    description: str = ""
    instruction: str = ""
    headline_en: str = ""
    description_en: str = ""
    effective: str | None = None
    expires: str | None = None
    references: list[str] = field(default_factory=list)  # "sender,identifier,sent"
    areas: list[ExternalArea] = field(default_factory=list)

    def __post_init__(self) -> None:
        for name in ("id", "org_code", "identifier", "sender", "sent"):
            if not str(getattr(self, name) or "").strip():
                raise InvalidValue(f"an external alert needs its {name}")
        _one_of("severity", self.severity, SEVERITIES)
        _one_of("urgency", self.urgency, URGENCIES)
        _one_of("certainty", self.certainty, CERTAINTIES)
        _one_of("message type", self.msg_type, MSG_TYPES)
        parse_time(self.sent, "sent")
        if self.expires is not None:
            parse_time(self.expires, "expires")
        if self.effective is not None:
            parse_time(self.effective, "effective")
        self.areas = [a if isinstance(a, ExternalArea) else ExternalArea(**a) for a in self.areas]
        if len(self.areas) > MAX_AREAS:
            raise InvalidValue(f"an external alert may have at most {MAX_AREAS} areas")
        points = 0
        for area in self.areas:
            for ring in area.polygons:
                if len(ring) < 4:
                    raise InvalidValue("a polygon needs at least 4 points")
                for point in ring:
                    if (not isinstance(point, list | tuple) or len(point) != 2
                            or not -180 <= float(point[0]) <= 180 or not -90 <= float(point[1]) <= 90):
                        raise InvalidValue(f"a polygon point must be [lon, lat], not {point!r}")
                points += len(ring)
        if points > MAX_POINTS:
            raise InvalidValue(f"an external alert may have at most {MAX_POINTS} polygon points")

    def expired(self, at: datetime) -> bool:
        return self.expires is not None and parse_time(self.expires, "expires") <= at

    @property
    def reference_key(self) -> str:
        """How other alerts name this one in their <references>."""
        return f"{self.sender},{self.identifier},{self.sent}"


def _one_of(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InvalidValue(f"{name} {value!r} is not one of {', '.join(allowed)}")
