"""XYZ tile index arithmetic (the OSM/Google scheme, y down from the north) in Web Mercator."""

from __future__ import annotations

import math
from typing import NamedTuple

from console.geo.mercator import HALF_WORLD, MAX_LATITUDE, WORLD_WIDTH

TILE_SIZE = 256  # pixels per tile side
MAX_ZOOM = 22


class TileKey(NamedTuple):
    z: int
    x: int
    y: int


class Bounds(NamedTuple):
    """An axis-aligned box: in metres for Mercator, in degrees for lon/lat."""

    xmin: float
    ymin: float
    xmax: float
    ymax: float


def tile_for_lonlat(lon: float, lat: float, z: int) -> TileKey:
    """The tile at zoom `z` holding the point; points on the edge of the world stay inside it."""
    n = 1 << z
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))
    fx = (lon + 180.0) / 360.0 * n
    fy = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    return TileKey(z, min(n - 1, max(0, math.floor(fx))), min(n - 1, max(0, math.floor(fy))))


def tile_for_mercator(x: float, y: float, z: int) -> TileKey:
    n = 1 << z
    fx = (x + HALF_WORLD) / WORLD_WIDTH * n
    fy = (HALF_WORLD - y) / WORLD_WIDTH * n
    return TileKey(z, min(n - 1, max(0, math.floor(fx))), min(n - 1, max(0, math.floor(fy))))


def tile_bounds(key: TileKey) -> Bounds:
    """The tile's box in Mercator metres (ymax is its northern edge)."""
    size = WORLD_WIDTH / (1 << key.z)
    xmin = -HALF_WORLD + key.x * size
    ymax = HALF_WORLD - key.y * size
    return Bounds(xmin, ymax - size, xmin + size, ymax)


def tile_bounds_lonlat(key: TileKey) -> Bounds:
    """The tile's box in degrees: (west, south, east, north)."""
    n = 1 << key.z

    def lat_of(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return Bounds(key.x / n * 360.0 - 180.0, lat_of(key.y + 1), (key.x + 1) / n * 360.0 - 180.0,
                  lat_of(key.y))


def tiles_covering(view: Bounds, z: int, limit: int = 4096) -> list[TileKey]:
    """Tiles at zoom `z` that cover a Mercator box, row by row from the north-west.

    Raises ValueError if more than `limit` tiles would be needed: a caller asking for that
    many has picked the wrong zoom for its view.
    """
    top_left = tile_for_mercator(view.xmin, view.ymax, z)
    bottom_right = tile_for_mercator(view.xmax, view.ymin, z)
    cols = bottom_right.x - top_left.x + 1
    rows = bottom_right.y - top_left.y + 1
    if cols * rows > limit:
        raise ValueError(f"{cols * rows} tiles at zoom {z} exceed the limit of {limit}")
    return [TileKey(z, x, y) for y in range(top_left.y, bottom_right.y + 1)
            for x in range(top_left.x, bottom_right.x + 1)]


def metres_per_pixel(z: float) -> float:
    """Mercator metres per tile pixel at zoom `z`."""
    return WORLD_WIDTH / (TILE_SIZE * 2.0 ** z)


def zoom_for_resolution(mercator_metres_per_screen_pixel: float) -> float:
    """The fractional zoom whose tile pixels match the screen's pixels."""
    return math.log2(WORLD_WIDTH / (TILE_SIZE * mercator_metres_per_screen_pixel))


def tms_row(key: TileKey) -> int:
    """MBTiles (TMS) counts rows from the south: the XYZ row flipped."""
    return (1 << key.z) - 1 - key.y
