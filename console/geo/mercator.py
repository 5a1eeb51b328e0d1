"""Web Mercator (EPSG:3857): WGS84 longitude/latitude to metres and back, scalars or arrays."""

from __future__ import annotations

import math
from typing import overload

import numpy as np
import numpy.typing as npt

EARTH_RADIUS = 6378137.0  # the WGS84 semi-major axis, as EPSG:3857 uses it
HALF_WORLD = math.pi * EARTH_RADIUS  # 20037508.342789244
WORLD_WIDTH = 2 * HALF_WORLD
# Web Mercator is square: the latitude whose y equals HALF_WORLD.
MAX_LATITUDE = 85.0511287798066

FloatArray = npt.NDArray[np.float64]


@overload
def to_mercator(lon: float, lat: float) -> tuple[float, float]: ...
@overload
def to_mercator(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]: ...


def to_mercator(lon, lat):  # type: ignore[no-untyped-def]
    """(lon, lat) in degrees -> (x, y) in metres; latitudes are clamped to the Mercator square."""
    scalar = np.isscalar(lon) and np.isscalar(lat)
    lon_a = np.asarray(lon, dtype=np.float64)
    lat_a = np.clip(np.asarray(lat, dtype=np.float64), -MAX_LATITUDE, MAX_LATITUDE)
    # Ufuncs called directly, not `temporary * k`: numpy's temporary elision looks its caller up
    # with dladdr (the dynamic loader's lock) while holding the GIL, and on a worker thread that
    # deadlocked with the GUI thread loading a Qt plugin (which holds that lock and waits for the
    # GIL): a demo console hung at start in CI.
    x = np.multiply(np.radians(lon_a), EARTH_RADIUS)
    y = np.multiply(np.log(np.tan(np.add(math.pi / 4, np.divide(np.radians(lat_a), 2)))), EARTH_RADIUS)
    if scalar:
        return float(x), float(y)
    return x, y


@overload
def to_lonlat(x: float, y: float) -> tuple[float, float]: ...
@overload
def to_lonlat(x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[FloatArray, FloatArray]: ...


def to_lonlat(x, y):  # type: ignore[no-untyped-def]
    """(x, y) in metres -> (lon, lat) in degrees."""
    scalar = np.isscalar(x) and np.isscalar(y)
    x_a = np.asarray(x, dtype=np.float64)
    y_a = np.asarray(y, dtype=np.float64)
    lon = np.degrees(x_a / EARTH_RADIUS)
    lat = np.degrees(2 * np.arctan(np.exp(y_a / EARTH_RADIUS)) - math.pi / 2)
    if scalar:
        return float(lon), float(lat)
    return lon, lat


def scale_factor(lat: float) -> float:
    """How much Mercator stretches distances at `lat`: ground metres = mercator metres / this."""
    return 1.0 / math.cos(math.radians(max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))))


def ground_metres(mercator_metres: float, y: float) -> float:
    """A Mercator length at Mercator height `y` as metres on the ground."""
    _lon, lat = to_lonlat(0.0, y)
    return mercator_metres / scale_factor(lat)
