"""What the map needs from any raster tile source: tiles by XYZ key, zoom range, attribution."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from console.geo.tiles import TileKey


class TileSourceError(Exception):
    """A tile source cannot be opened or read; the message says which file and why."""


@runtime_checkable
class TileSource(Protocol):
    name: str
    attribution: str
    min_zoom: int
    max_zoom: int

    def tile(self, key: TileKey) -> bytes | None:
        """The encoded image (PNG/JPEG/WebP) of one tile, or None if the source has none."""
        ...

    def close(self) -> None: ...
