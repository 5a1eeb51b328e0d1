"""MBTiles reading (TMS rows, metadata, missing tiles) and the cached URL tile source on loopback."""

from __future__ import annotations

import http.server
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from geo_fixtures import make_mbtiles, png

from console.geo.mbtiles import MBTilesSource
from console.geo.tile_source import TileSource, TileSourceError
from console.geo.tiles import TileKey
from console.geo.url_tiles import UrlTileSource

RED, BLUE = png((255, 0, 0), 4), png((0, 0, 255), 4)


def test_mbtiles_reads_xyz_keys_from_tms_rows(tmp_path: Path) -> None:
    path = make_mbtiles(tmp_path / "t.mbtiles", {(1, 0, 0): RED, (1, 0, 1): BLUE},
                        {"name": "Test", "format": "png", "attribution": "© Test contributors",
                         "minzoom": "0", "maxzoom": "1", "bounds": "124,33,132,39"})
    src = MBTilesSource(path)
    assert isinstance(src, TileSource)
    assert src.tile(TileKey(1, 0, 0)) == RED  # north-west: TMS row 1
    assert src.tile(TileKey(1, 0, 1)) == BLUE
    assert src.attribution == "© Test contributors"
    assert src.name == "Test" and (src.min_zoom, src.max_zoom) == (0, 1)
    assert src.bounds == (124.0, 33.0, 132.0, 39.0)
    src.close()


def test_mbtiles_missing_tiles_and_keys_outside_the_grid_are_none(tmp_path: Path) -> None:
    src = MBTilesSource(make_mbtiles(tmp_path / "t.mbtiles", {(2, 1, 1): RED}, {}))
    assert src.tile(TileKey(2, 2, 2)) is None
    assert src.tile(TileKey(2, 4, 0)) is None
    assert src.tile(TileKey(2, -1, 0)) is None
    # without zoom metadata the zoom range comes from the tiles
    assert (src.min_zoom, src.max_zoom) == (2, 2)
    assert src.name == "t"


def test_mbtiles_errors_name_the_file_and_the_problem(tmp_path: Path) -> None:
    with pytest.raises(TileSourceError, match="no such file"):
        MBTilesSource(tmp_path / "absent.mbtiles")
    junk = tmp_path / "junk.mbtiles"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(TileSourceError, match="not an SQLite database"):
        MBTilesSource(junk)
    other = tmp_path / "other.mbtiles"
    sqlite3.connect(other).execute("CREATE TABLE foo (x)").connection.commit()
    with pytest.raises(TileSourceError, match="no metadata, tiles table"):
        MBTilesSource(other)


class _TileHandler(http.server.BaseHTTPRequestHandler):
    tiles: dict[str, bytes] = {}
    hits: list[str] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        data = self.tiles.get(self.path)
        if data is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def tile_server() -> Iterator[tuple[http.server.HTTPServer, type[_TileHandler]]]:
    handler = type("H", (_TileHandler,), {"tiles": {"/3/6/3.png": RED}, "hits": []})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, handler
    server.shutdown()
    server.server_close()


def test_url_source_fetches_caches_and_serves_from_cache_when_offline(
        tmp_path: Path, tile_server: tuple[http.server.HTTPServer, type[_TileHandler]]) -> None:
    server, handler = tile_server
    url = f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
    src = UrlTileSource(url, tmp_path / "cache", attribution="© loopback", timeout=(1.0, 2.0), max_age=0)
    assert src.tile(TileKey(3, 6, 3)) == RED
    assert src.cache_path(TileKey(3, 6, 3)).read_bytes() == RED
    assert src.tile(TileKey(3, 0, 0)) is None  # 404: no such tile
    assert src.online
    server.shutdown()
    server.server_close()  # the network goes down
    assert src.tile(TileKey(3, 6, 3)) == RED  # stale, but from the cache
    assert not src.online
    hits = len(handler.hits)
    assert src.tile(TileKey(3, 1, 1)) is None  # offline: not asked, nothing cached
    assert len(handler.hits) == hits


def test_url_source_serves_fresh_cache_without_asking(
        tmp_path: Path, tile_server: tuple[http.server.HTTPServer, type[_TileHandler]]) -> None:
    server, handler = tile_server
    url = f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
    src = UrlTileSource(url, tmp_path / "cache")
    assert src.tile(TileKey(3, 6, 3)) == RED
    assert src.tile(TileKey(3, 6, 3)) == RED
    assert handler.hits == ["/3/6/3.png"]


def test_url_template_must_have_placeholders(tmp_path: Path) -> None:
    with pytest.raises(TileSourceError, match="must contain"):
        UrlTileSource("http://127.0.0.1/tiles.png", tmp_path)
