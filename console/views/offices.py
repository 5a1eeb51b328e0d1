"""Offices as an HQ's roll-up sees them: the office directly below the viewer's own that a row
belongs to, and office (and station) names in the console's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Org code -> (Korean name, English name).
OfficeNames = Mapping[str, tuple[str, str]]


def office_below(org_path: str, scope_path: str) -> str:
    """'/NPA/SEOUL/S11110/' seen from '/NPA/' -> 'SEOUL'; from '/NPA/SEOUL/' -> 'S11110'; a
    station's own rows, seen from the station, -> the station itself."""
    parts = [p for p in org_path.split("/") if p]
    depth = len([p for p in scope_path.split("/") if p])
    return parts[depth] if len(parts) > depth else (parts[-1] if parts else "")


def org_names(row: Any) -> tuple[str, str]:
    """An org row's (Korean, English) names; its id where one is missing."""
    ko = str(row.data.get("name_ko") or row.id)
    return ko, str(row.data.get("name_en") or ko)


def office_name(names: OfficeNames, code: str, korean: bool) -> str:
    """An office's (or station's) name in the console's language; its code if not known."""
    ko, en = names.get(code, (code, code))
    return ko if korean else en
