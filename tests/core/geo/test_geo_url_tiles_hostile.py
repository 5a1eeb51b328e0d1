"""A tile server or URL template that is hostile or wrong: refused in words, or answered None,
never an endless read or a 1 GB tile in memory."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.geo import url_tiles
from console.geo.tile_source import TileSourceError
from console.geo.tiles import TileKey
from console.geo.url_tiles import UrlTileSource

pytestmark = pytest.mark.once


@pytest.mark.parametrize(("template", "expected"), [
    ("http://tiles.example/{z}/{x}/{y}/{0}.png", "may hold only {z}, {x} and {y}, not {0}"),
    ("http://tiles.example/{z}/{x}/{y}{z.__class__}.png", "not {z.__class__}"),
    ("http://tiles.example/{z}/{x}/{y}{}.png", "not {}"),
    ("http://tiles.example/{z}/{x}/{y}}.png", "is not a template"),
    ("file:///etc/{z}/{x}/{y}", "must start with http:// or https://"),
])
def test_a_url_template_with_other_fields_is_refused(tmp_path: Path, template: str, expected: str) -> None:
    with pytest.raises(TileSourceError) as info:
        UrlTileSource(template, tmp_path)
    assert expected in str(info.value)


class _Sender(http.server.BaseHTTPRequestHandler):
    body = b""
    send_length = True  # without a length (HTTP/1.0), the body runs until the server closes

    def do_GET(self) -> None:
        self.send_response(200)
        if self.send_length:
            self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client stopped reading: what the test wants
            self.wfile.write(self.body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def sender() -> Iterator[tuple[str, type[_Sender]]]:
    handler = type("S", (_Sender,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png", handler
    server.shutdown()
    server.server_close()


def test_a_tile_larger_than_the_cap_is_not_read_or_cached(tmp_path: Path, sender: tuple[str, type[_Sender]],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    url, handler = sender
    monkeypatch.setattr(url_tiles, "MAX_TILE_BYTES", 1000)
    src = UrlTileSource(url, tmp_path, timeout=(1.0, 2.0))
    handler.body = b"x" * 1001
    assert src.tile(TileKey(1, 0, 0)) is None  # declared too large
    handler.send_length = False  # and one that does not say
    handler.body = b"x" * 200_000
    assert src.tile(TileKey(1, 0, 1)) is None
    assert not src.cache_path(TileKey(1, 0, 0)).exists() and not src.cache_path(TileKey(1, 0, 1)).exists()
    handler.body = b"y" * 1000
    assert src.tile(TileKey(1, 1, 1)) == b"y" * 1000
