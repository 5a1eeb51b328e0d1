"""Web Mercator and XYZ tile arithmetic against published values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from console.geo.mercator import HALF_WORLD, MAX_LATITUDE, ground_metres, to_lonlat, to_mercator
from console.geo.tiles import (
    Bounds,
    TileKey,
    metres_per_pixel,
    tile_bounds,
    tile_bounds_lonlat,
    tile_for_lonlat,
    tile_for_mercator,
    tiles_covering,
    tms_row,
    zoom_for_resolution,
)


def test_mercator_known_points() -> None:
    assert to_mercator(0.0, 0.0) == pytest.approx((0.0, 0.0), abs=1e-6)
    x, _ = to_mercator(180.0, 0.0)
    assert x == pytest.approx(20037508.342789244)
    _, y = to_mercator(0.0, MAX_LATITUDE)
    assert y == pytest.approx(HALF_WORLD, rel=1e-9)
    # Seoul City Hall (pyproj EPSG:4326 -> EPSG:3857 gives 14135115.17, 4518338.42)
    x, y = to_mercator(126.9779, 37.5663)
    assert x == pytest.approx(14135115.17, abs=0.01)
    assert y == pytest.approx(4518338.42, abs=0.01)


def test_mercator_round_trip_arrays() -> None:
    lon = np.array([124.6, 126.9779, 129.3, 131.87])
    lat = np.array([33.1, 37.5663, 35.1, 37.24])
    back_lon, back_lat = to_lonlat(*to_mercator(lon, lat))
    np.testing.assert_allclose(back_lon, lon, atol=1e-9)
    np.testing.assert_allclose(back_lat, lat, atol=1e-9)


def test_latitudes_beyond_the_square_are_clamped() -> None:
    assert to_mercator(0.0, 89.9)[1] == pytest.approx(to_mercator(0.0, MAX_LATITUDE)[1])


def test_ground_distance_shrinks_with_latitude() -> None:
    _, y = to_mercator(0.0, 60.0)
    assert ground_metres(1000.0, y) == pytest.approx(500.0, rel=1e-6)


def test_tile_for_lonlat_known_values() -> None:
    assert tile_for_lonlat(0.0, 0.0, 0) == TileKey(0, 0, 0)
    assert tile_for_lonlat(0.0, 0.0, 1) == TileKey(1, 1, 1)
    assert tile_for_lonlat(-0.0001, 0.0001, 1) == TileKey(1, 0, 0)
    # the OSM wiki's Berlin example: zoom 10 -> 550/335
    assert tile_for_lonlat(13.4050, 52.5200, 10) == TileKey(10, 550, 335)
    # Seoul City Hall at zoom 15: fractional tile 27941.81 / 12689.51
    assert tile_for_lonlat(126.9779, 37.5663, 15) == TileKey(15, 27941, 12689)
    # the edge of the world stays on the last tile
    assert tile_for_lonlat(180.0, -85.06, 2) == TileKey(2, 3, 3)


def test_tile_bounds_contain_the_point_and_agree_with_lonlat_bounds() -> None:
    key = tile_for_lonlat(126.9779, 37.5663, 12)
    b = tile_bounds(key)
    x, y = to_mercator(126.9779, 37.5663)
    assert b.xmin <= x < b.xmax and b.ymin < y <= b.ymax
    assert b.xmax - b.xmin == pytest.approx(2 * HALF_WORLD / 4096)
    w, s, e, n = tile_bounds_lonlat(key)
    assert to_mercator(w, s) == pytest.approx((b.xmin, b.ymin))
    assert to_mercator(e, n) == pytest.approx((b.xmax, b.ymax))
    assert tile_bounds(TileKey(0, 0, 0)) == pytest.approx((-HALF_WORLD, -HALF_WORLD, HALF_WORLD, HALF_WORLD))


def test_tile_for_mercator_matches_tile_for_lonlat() -> None:
    for lon, lat in [(126.9779, 37.5663), (129.07, 35.18), (126.53, 33.5)]:
        for z in (3, 9, 16):
            assert tile_for_mercator(*to_mercator(lon, lat), z) == tile_for_lonlat(lon, lat, z)


def test_tiles_covering_a_view() -> None:
    x0, y0 = to_mercator(126.8, 37.4)
    x1, y1 = to_mercator(127.2, 37.7)
    keys = tiles_covering(Bounds(x0, y0, x1, y1), 10)
    nw, se = tile_for_lonlat(126.8, 37.7, 10), tile_for_lonlat(127.2, 37.4, 10)
    assert keys[0] == nw and keys[-1] == se
    assert len(keys) == (se.x - nw.x + 1) * (se.y - nw.y + 1)
    with pytest.raises(ValueError, match="exceed the limit"):
        tiles_covering(Bounds(x0, y0, x1, y1), 18, limit=100)


def test_zoom_and_resolution_are_inverse() -> None:
    assert metres_per_pixel(0) == pytest.approx(156543.03392804097)
    assert zoom_for_resolution(metres_per_pixel(11)) == pytest.approx(11.0)
    assert math.isclose(metres_per_pixel(1), metres_per_pixel(0) / 2)


def test_tms_row_flips_y() -> None:
    assert tms_row(TileKey(0, 0, 0)) == 0
    assert tms_row(TileKey(3, 1, 0)) == 7
    assert tms_row(TileKey(3, 1, 7)) == 0
