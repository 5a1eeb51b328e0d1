"""MBTiles reader: raster tiles from an SQLite file (TMS rows), with its metadata.

The file may be hostile: every query runs under a deadline (SQLite's progress handler stops it),
so a `tiles` view over an endless recursive query costs seconds, not the map; values read are
checked for type and size, and every failure is a TileSourceError naming the file.
"""

from __future__ import annotations

import math
import sqlite3
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from console.geo.load_control import LoadCancelled, LoadControl, LoadTimedOut
from console.geo.tile_source import TileSourceError
from console.geo.tiles import MAX_ZOOM, TileKey, tms_row

MBTILES_TIMEOUT = 15.0  # seconds to open a file: its tables, metadata, zoom range and one tile
TILE_READ_SECONDS = 3.0  # one tile's query; a real index answers in milliseconds
MAX_TILE_TIMEOUTS = 3  # tile reads out of time before the source stops reading altogether
MAX_TILE_BYTES = 4_000_000  # a 256-pixel tile is 5-100 KB; a larger one is not read
MAX_VALUE_BYTES = 16_000_000  # SQLite's cap on any string or blob a query may build
MAX_TEXT = 500  # characters kept of a name or attribution
_PROGRESS_STEPS = 1000  # SQLite virtual-machine steps between looks at the deadline
_METADATA_KEYS = ("name", "attribution", "format", "minzoom", "maxzoom", "bounds")
_TILE_COLUMNS = ("zoom_level", "tile_column", "tile_row", "tile_data")
_TILE_SQL = ("SELECT CASE WHEN length(tile_data) <= ? THEN tile_data END FROM tiles "
             "WHERE zoom_level=? AND tile_column=? AND tile_row=? LIMIT 1")


def _never() -> bool:
    return False


class MBTilesSource:
    """Reads tiles by XYZ key; thread-safe (one connection, one lock), opened read-only.

    Opening reads the tables, the metadata, the zoom range and one tile under `control` (cancel
    switch and deadline). A later tile read that runs out of time is answered None; after
    MAX_TILE_TIMEOUTS of them the source stops reading and says why in `problem`.
    """

    def __init__(self, path: Path | str, *, control: LoadControl | None = None,
                 tile_seconds: float = TILE_READ_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.path = Path(path)
        self.tile_seconds = tile_seconds
        self.problem = ""  # set when the source gave up reading tiles
        self._clock = clock
        self._lock = threading.Lock()
        self._stop: Callable[[], bool] = _never  # the running query's deadline (under the lock)
        self._closing = False
        self._timeouts = 0
        self._step = "opening it"
        control = control if control is not None else LoadControl(MBTILES_TIMEOUT, clock)
        name = self.path.name
        try:
            info = self.path.stat()
        except OSError:
            raise TileSourceError(f"{self.path}: no such file") from None
        if not stat.S_ISREG(info.st_mode):
            raise TileSourceError(f"{name}: not a regular file")
        if info.st_size == 0:
            raise TileSourceError(f"{name}: the file is empty")
        try:
            self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                       check_same_thread=False)
        except sqlite3.Error as exc:
            raise TileSourceError(f"{name}: cannot open the file ({exc})") from None
        self._db.text_factory = lambda b: b.decode("utf-8", "replace")
        self._db.set_progress_handler(self._should_stop, _PROGRESS_STEPS)
        try:
            self._open(control)
        except LoadCancelled:
            self._db.close()
            raise
        except BaseException as exc:
            self._db.close()
            if isinstance(exc, TileSourceError):
                raise
            if isinstance(exc, LoadTimedOut):
                raise TileSourceError(f"{name}: no answer within {control.timeout:g} s while {self._step}; "
                                      "the file may be damaged, or its tiles table a view that never "
                                      "ends") from None
            if isinstance(exc, sqlite3.DatabaseError):
                raise TileSourceError(f"{name}: not a usable MBTiles file ({exc})") from None
            if isinstance(exc, Exception):  # a last worded net (MemoryError, a driver surprise)
                raise TileSourceError(f"{name}: cannot be read ({type(exc).__name__}: {exc})") from None
            raise

    # -- opening ------------------------------------------------------------------------------
    def _open(self, control: LoadControl) -> None:
        name = self.path.name
        if hasattr(self._db, "setlimit"):  # Python 3.11+: a view cannot build a 1 GB string
            self._db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        self._query("PRAGMA query_only = ON", (), control)
        self._query("PRAGMA trusted_schema = OFF", (), control)  # no side-effect functions in views
        try:
            tables = {str(r[0]) for r in self._query(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name IN ('metadata', 'tiles')", (), control)}
        except sqlite3.DatabaseError as exc:
            raise TileSourceError(f"{self.path}: not an SQLite database, or a damaged one ({exc})") from None
        missing = {"metadata", "tiles"} - tables
        if missing:
            raise TileSourceError(f"{self.path}: not an MBTiles file (no {', '.join(sorted(missing))} table)")
        self._step = "reading its tables"
        for table, columns in (("metadata", ("name", "value")), ("tiles", _TILE_COLUMNS)):
            try:
                self._query(f"SELECT {', '.join(columns)} FROM {table} LIMIT 0", (), control)
            except sqlite3.OperationalError as exc:
                raise TileSourceError(f"{name}: not an MBTiles file: its {table} table needs the columns "
                                      f"{', '.join(columns)} ({exc})") from None
        self._step = "reading its metadata"
        rows = self._query(
            f"SELECT name, substr(CAST(value AS TEXT), 1, {MAX_TEXT}) FROM metadata "
            f"WHERE name IN ({', '.join('?' * len(_METADATA_KEYS))}) LIMIT 100", _METADATA_KEYS, control)
        self.metadata: dict[str, str] = {str(k): _text(v) for k, v in rows}
        self.name = self.metadata.get("name") or self.path.stem
        self.attribution = self.metadata.get("attribution", "")
        self.format = self.metadata.get("format", "png")
        low, high = _zoom(self.metadata.get("minzoom")), _zoom(self.metadata.get("maxzoom"))
        if low is None or high is None:  # only then scan the tiles (a full scan in a view)
            self._step = "finding its zoom levels"
            found = self._query("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles", (), control)
            first, last = (found[0] if found else (None, None))
            low = low if low is not None else _zoom(first)
            high = high if high is not None else _zoom(last)
        low = 0 if low is None else low
        high = MAX_ZOOM if high is None else high
        self.min_zoom, self.max_zoom = min(low, high), max(low, high)
        self.bounds = _bounds(self.metadata.get("bounds"))
        # One tile read now: a `tiles` view that never answers is refused here, not tile by tile.
        key = TileKey(self.min_zoom, 0, 0)
        self._step = "reading a tile"
        self._query(_TILE_SQL, (MAX_TILE_BYTES, key.z, key.x, tms_row(key)), control)

    def _query(self, sql: str, params: tuple[Any, ...], control: LoadControl) -> list[Any]:
        """One query while opening, stopped by `control`: LoadCancelled or LoadTimedOut."""
        self._stop = control.should_stop
        try:
            return self._db.execute(sql, params).fetchmany(1000)
        except sqlite3.OperationalError:
            control.check()  # interrupted by the handler: say why
            raise
        finally:
            self._stop = _never

    def _should_stop(self) -> int:
        return 1 if self._closing or self._stop() else 0

    # -- tiles --------------------------------------------------------------------------------
    def tile(self, key: TileKey) -> bytes | None:
        if not (0 <= key.z <= MAX_ZOOM) or not (0 <= key.x < (1 << key.z)) or not (0 <= key.y < (1 << key.z)):
            return None
        with self._lock:
            if self._closing or self.problem:
                return None
            deadline = self._clock() + self.tile_seconds
            self._stop = lambda: self._clock() >= deadline
            try:
                row = self._db.execute(_TILE_SQL, (MAX_TILE_BYTES, key.z, key.x, tms_row(key))).fetchone()
            except sqlite3.Error:
                if self._clock() >= deadline:
                    self._timeouts += 1
                    if self._timeouts >= MAX_TILE_TIMEOUTS:
                        self.problem = (f"{self.path.name}: {self._timeouts} tile reads took longer than "
                                        f"{self.tile_seconds:g} s; no more tiles are read from it")
                return None  # a damaged page or an interrupted read: this tile is missing
            finally:
                self._stop = _never
        data = row[0] if row else None
        # a view may answer any type: bytes(2_000_000_000) would allocate 2 GB
        return bytes(data) if isinstance(data, bytes | memoryview) and data else None

    def close(self) -> None:
        if self._closing:
            return
        self._closing = True  # a running query stops at its next progress check
        self._db.interrupt()
        with self._lock:
            self._db.close()


def _text(value: object) -> str:
    text = value if isinstance(value, str) else "" if value is None else str(value)
    return text[:MAX_TEXT]


def _zoom(value: object) -> int | None:
    """A zoom level from metadata or the tiles table, or None if it is not a sensible one
    ('inf', 'nan', '1e9', a blob): the map asks 1 << zoom of it."""
    try:
        number = (float(value) if isinstance(value, str | int | float) and not isinstance(value, bool)
                  else math.nan)
    except (ValueError, OverflowError):
        return None
    if not math.isfinite(number) or not 0 <= number <= MAX_ZOOM:
        return None
    return int(number)


def _bounds(text: str | None) -> tuple[float, float, float, float] | None:
    """The `bounds` metadata: 'west,south,east,north' in degrees, or None if absent or bad."""
    if not text:
        return None
    try:
        w, s, e, n = (float(v) for v in text.split(","))
    except ValueError:
        return None
    if not (all(math.isfinite(v) for v in (w, s, e, n)) and -180 <= w <= 180 and -180 <= e <= 180
            and -90 <= s < n <= 90):
        return None
    return (w, s, e, n)
