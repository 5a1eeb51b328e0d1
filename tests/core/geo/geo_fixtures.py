"""Helpers for the geo tests: PNG tiles made with zlib/struct, and MBTiles files made from them."""

from __future__ import annotations

import sqlite3
import struct
import zlib
from pathlib import Path


def png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    """A solid-colour RGB PNG, written by hand so the Qt-free tests need no imaging library."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * size
    raw = row * size
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def make_mbtiles(path: Path, tiles: dict[tuple[int, int, int], bytes], metadata: dict[str, str]) -> Path:
    """`tiles` keyed by XYZ (z, x, y); stored with TMS rows as the MBTiles spec says."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    db.executemany("INSERT INTO metadata VALUES (?, ?)", list(metadata.items()))
    db.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                   [(z, x, (1 << z) - 1 - y, data) for (z, x, y), data in tiles.items()])
    db.commit()
    db.close()
    return path
