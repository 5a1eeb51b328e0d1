"""MBTiles reader: raster tiles from an SQLite file (TMS rows), with its metadata."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from console.geo.tile_source import TileSourceError
from console.geo.tiles import MAX_ZOOM, TileKey, tms_row


class MBTilesSource:
    """Reads tiles by XYZ key; thread-safe (one connection, one lock), opened read-only."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise TileSourceError(f"{self.path}: no such file")
        try:
            self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                       check_same_thread=False)
            tables = {r[0] for r in self._db.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        except sqlite3.DatabaseError as exc:
            raise TileSourceError(f"{self.path}: not an SQLite database ({exc})") from None
        missing = {"metadata", "tiles"} - tables
        if missing:
            self._db.close()
            raise TileSourceError(f"{self.path}: not an MBTiles file (no {', '.join(sorted(missing))} table)")
        self._lock = threading.Lock()
        self.metadata: dict[str, str] = {
            str(k): str(v) for k, v in self._db.execute("SELECT name, value FROM metadata")}
        self.name = self.metadata.get("name") or self.path.stem
        self.attribution = self.metadata.get("attribution", "")
        self.format = self.metadata.get("format", "png")
        zooms = self._db.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        self.min_zoom = _int(self.metadata.get("minzoom"), zooms[0] if zooms[0] is not None else 0)
        self.max_zoom = _int(self.metadata.get("maxzoom"), zooms[1] if zooms[1] is not None else MAX_ZOOM)
        self.bounds = _bounds(self.metadata.get("bounds"))

    def tile(self, key: TileKey) -> bytes | None:
        if key.z < 0 or not (0 <= key.x < (1 << key.z)) or not (0 <= key.y < (1 << key.z)):
            return None
        with self._lock:
            row = self._db.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                (key.z, key.x, tms_row(key))).fetchone()
        return bytes(row[0]) if row and row[0] else None

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _int(text: str | None, default: int) -> int:
    try:
        return int(float(text)) if text is not None else default
    except ValueError:
        return default


def _bounds(text: str | None) -> tuple[float, float, float, float] | None:
    """The `bounds` metadata: 'west,south,east,north' in degrees, or None if absent or bad."""
    if not text:
        return None
    try:
        w, s, e, n = (float(v) for v in text.split(","))
    except ValueError:
        return None
    return (w, s, e, n)
