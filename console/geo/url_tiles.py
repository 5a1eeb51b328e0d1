"""XYZ tiles from a URL template with an on-disk cache that keeps serving while offline."""

from __future__ import annotations

import os
import string
import tempfile
import threading
import time
from pathlib import Path

import requests

from console.geo.tile_source import TileSourceError
from console.geo.tiles import TileKey

MAX_TILE_BYTES = 4_000_000  # a 256-pixel tile is 5-100 KB; a server sending more is not believed
TILE_SECONDS = 20.0  # one tile's whole answer, however slowly a server drips it
_CHUNK = 64 * 1024


class UrlTileSource:
    """Fetches `{z}/{x}/{y}` tiles over HTTP and keeps each one on disk.

    A cached tile younger than `max_age` seconds is served without asking the network. After a
    network failure the source stays offline for `retry_after` seconds and serves what the cache
    holds (however old), so a dead link never costs one timeout per tile.
    """

    def __init__(self, url_template: str, cache_dir: Path, *, name: str = "", attribution: str = "",
                 min_zoom: int = 0, max_zoom: int = 19, timeout: tuple[float, float] = (3.0, 10.0),
                 max_age: float = 7 * 24 * 3600, retry_after: float = 30.0,
                 session: requests.Session | None = None, user_agent: str = "sitroom-console") -> None:
        if not all(part in url_template for part in ("{z}", "{x}", "{y}")):
            raise TileSourceError(f"tile URL {url_template!r} must contain {{z}}, {{x}} and {{y}}")
        _check_template(url_template)
        self.url_template = url_template
        self.cache_dir = Path(cache_dir)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self.name = name or url_template
        self.attribution = attribution
        self.min_zoom, self.max_zoom = min_zoom, max_zoom
        self.timeout = timeout
        self.max_age = max_age
        self.retry_after = retry_after
        self._session = session or requests.Session()
        self._session.headers.setdefault("User-Agent", user_agent)
        self._lock = threading.Lock()
        self._offline_until = 0.0

    @property
    def online(self) -> bool:
        with self._lock:
            return time.monotonic() >= self._offline_until

    def cache_path(self, key: TileKey) -> Path:
        return self.cache_dir / str(key.z) / str(key.x) / f"{key.y}.tile"

    def tile(self, key: TileKey) -> bytes | None:
        path = self.cache_path(key)
        cached: bytes | None = None
        fresh = False
        try:
            cached = path.read_bytes()
            fresh = time.time() - path.stat().st_mtime < self.max_age
        except OSError:
            pass
        if fresh or (cached is not None and not self.online):
            return cached
        if not self.online:
            return None
        url = self.url_template.format(z=key.z, x=key.x, y=key.y)
        try:
            with self._session.get(url, timeout=self.timeout, stream=True) as response:
                if response.status_code == 404:
                    return None
                if response.status_code != 200:
                    return cached
                data = _read_capped(response)
        except requests.RequestException:
            with self._lock:
                self._offline_until = time.monotonic() + self.retry_after
            return cached
        if not data:  # empty, too large or too slow: not stored
            return cached
        self._store(path, data)
        return data

    def _store(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # write-then-rename: a reader never sees half a tile
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except OSError:
            Path(tmp).unlink(missing_ok=True)

    def close(self) -> None:
        self._session.close()


def _check_template(url_template: str) -> None:
    """Only http(s) and only {z}, {x}, {y}: 'str.format' must not meet '{0}' or '{z.__class__}'."""
    if not url_template.lower().startswith(("http://", "https://")):
        raise TileSourceError(f"tile URL {url_template!r} must start with http:// or https://")
    try:
        fields = [(name, spec, conv) for _text, name, spec, conv in string.Formatter().parse(url_template)
                  if name is not None]
    except ValueError as exc:  # an unmatched brace
        raise TileSourceError(f"tile URL {url_template!r} is not a template ({exc})") from None
    odd = sorted({"{" + name + "}" for name, spec, conv in fields
                  if name not in ("z", "x", "y") or spec or conv})
    if odd:
        raise TileSourceError(f"tile URL {url_template!r} may hold only {{z}}, {{x}} and {{y}}, not "
                              f"{', '.join(odd)}")


def _read_capped(response: requests.Response) -> bytes | None:
    """The body, or None if it is larger than MAX_TILE_BYTES or takes longer than TILE_SECONDS."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_TILE_BYTES:
        return None
    started = time.monotonic()
    parts: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        size += len(chunk)
        if size > MAX_TILE_BYTES or time.monotonic() - started > TILE_SECONDS:
            return None
        parts.append(chunk)
    return b"".join(parts)
