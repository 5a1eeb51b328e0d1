"""Hostile and broken MBTiles files: each is refused with a worded TileSourceError or read safely;
no query outlives its deadline (a `tiles` view over an endless recursive query included)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import pytest
from geo_fixtures import make_mbtiles, png

from console.geo import mbtiles
from console.geo.load_control import LoadCancelled, LoadControl
from console.geo.mbtiles import MBTilesSource
from console.geo.tile_source import TileSourceError
from console.geo.tiles import MAX_ZOOM, TileKey

pytestmark = pytest.mark.once

RED = png((255, 0, 0), 4)
ENDLESS = "WITH RECURSIVE r(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM r)"


def database(path: Path, statements: Iterable[str], rows: Iterable[tuple[str, tuple[object, ...]]] = ()) -> Path:
    db = sqlite3.connect(path)
    for sql in statements:
        db.execute(sql)
    for sql, params in rows:
        db.execute(sql, params)
    db.commit()
    db.close()
    return path


def endless_view(path: Path, metadata: dict[str, str] | None = None, real_tiles: bool = False) -> Path:
    """A `tiles` view whose lookups never end: the recursion has no stop and the filter never
    matches. With `real_tiles`, tile (0, 0, 0) is found first in a real table; others never end."""
    union = ""
    statements = ["CREATE TABLE metadata (name TEXT, value TEXT)"]
    if real_tiles:
        statements.append("CREATE TABLE real (zoom_level, tile_column, tile_row, tile_data)")
        union = "SELECT * FROM real UNION ALL "
    # columns made from n, so that no filter on them is folded into 'false' before the recursion runs
    statements.append(f"CREATE VIEW tiles AS {union}SELECT * FROM ({ENDLESS} SELECT n * 0 AS zoom_level, "
                      "n * 0 AS tile_column, n * 0 AS tile_row, x'00' AS tile_data FROM r WHERE n < 0)")
    rows = [("INSERT INTO metadata VALUES (?, ?)", item) for item in (metadata or {}).items()]
    if real_tiles:
        rows.append(("INSERT INTO real VALUES (0, 0, 0, ?)", (RED,)))
    return database(path, statements, rows)


def refused(path: Path, **kwargs: object) -> str:
    with pytest.raises(TileSourceError) as info:
        MBTilesSource(path, **kwargs)  # type: ignore[arg-type]
    assert len(str(info.value)) < 400
    return str(info.value)


@pytest.mark.parametrize(("statements", "expected"), [
    (["CREATE TABLE metadata (name, value)", "CREATE TABLE tiles (a, b, c)"],
     "its tiles table needs the columns zoom_level, tile_column, tile_row, tile_data (no such column"),
    (["CREATE TABLE metadata (key, val)",
      "CREATE TABLE tiles (zoom_level, tile_column, tile_row, tile_data)"],
     "its metadata table needs the columns name, value (no such column"),
    (["CREATE TABLE metadata (name, value)",
      "CREATE TABLE tiles (zoom_level, tile_column, tile_row, image)"], "no such column: tile_data"),
], ids=["tiles", "metadata", "tile-data"])
def test_wrong_columns_are_a_worded_error(tmp_path: Path, statements: list[str], expected: str) -> None:
    message = refused(database(tmp_path / "cols.mbtiles", statements))
    assert message.startswith("cols.mbtiles: not an MBTiles file") and expected in message


@pytest.mark.parametrize("minzoom", ["inf", "-inf", "nan", "1e9", "-3", "99", "abc", "", "1e400"])
def test_nonsense_zoom_metadata_falls_back_to_the_tiles_zoom_levels(tmp_path: Path, minzoom: str) -> None:
    path = make_mbtiles(tmp_path / "z.mbtiles", {(2, 1, 1): RED, (3, 2, 2): RED},
                        {"minzoom": minzoom, "maxzoom": "inf", "bounds": "inf,33,132,nan"})
    src = MBTilesSource(path)
    assert (src.min_zoom, src.max_zoom) == (2, 3)
    assert src.bounds is None
    src.close()


def test_nonsense_zoom_levels_in_the_tiles_table_fall_back_to_the_whole_range(tmp_path: Path) -> None:
    path = database(tmp_path / "z.mbtiles", ["CREATE TABLE metadata (name, value)",
                                            "CREATE TABLE tiles (zoom_level, tile_column, tile_row, tile_data)"],
                    [("INSERT INTO tiles VALUES (?, 0, 0, ?)", (1e300, RED)),
                     ("INSERT INTO tiles VALUES (?, 0, 0, ?)", (-5, RED))])
    src = MBTilesSource(path)
    assert (src.min_zoom, src.max_zoom) == (0, MAX_ZOOM)
    src.close()


def test_an_endless_tiles_view_is_refused_within_the_deadline(tmp_path: Path) -> None:
    path = endless_view(tmp_path / "view.mbtiles")
    started = time.monotonic()
    message = refused(path, control=LoadControl(timeout=0.5))
    assert time.monotonic() - started < 5
    assert message == ("view.mbtiles: no answer within 0.5 s while finding its zoom levels; the file may be "
                       "damaged, or its tiles table a view that never ends")


def test_an_endless_tiles_view_with_zoom_metadata_is_refused_at_its_first_tile(tmp_path: Path) -> None:
    path = endless_view(tmp_path / "view.mbtiles", {"minzoom": "0", "maxzoom": "5"})
    assert "while reading a tile;" in refused(path, control=LoadControl(timeout=0.5))


def test_a_view_endless_only_for_missing_tiles_gives_up_after_a_few_slow_reads(tmp_path: Path) -> None:
    path = endless_view(tmp_path / "part.mbtiles", {"minzoom": "0", "maxzoom": "3"}, real_tiles=True)
    src = MBTilesSource(path, tile_seconds=0.2)
    assert src.tile(TileKey(0, 0, 0)) == RED
    started = time.monotonic()
    assert [src.tile(TileKey(1, 0, 0)) for _ in range(mbtiles.MAX_TILE_TIMEOUTS)] == [None] * 3
    assert time.monotonic() - started < 0.2 * 3 + 2
    assert src.problem == "part.mbtiles: 3 tile reads took longer than 0.2 s; no more tiles are read from it"
    started = time.monotonic()
    assert src.tile(TileKey(1, 1, 1)) is None
    assert time.monotonic() - started < 0.1  # no longer asked
    src.close()


def test_cancelling_stops_an_endless_open_at_once(tmp_path: Path) -> None:
    path = endless_view(tmp_path / "view.mbtiles")
    control = LoadControl(timeout=60)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            MBTilesSource(path, control=control)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(0.2)
    started = time.monotonic()
    control.cancel()
    worker.join(5)
    assert not worker.is_alive() and time.monotonic() - started < 2
    assert len(outcome) == 1 and isinstance(outcome[0], LoadCancelled)


def test_closing_stops_a_tile_read_in_progress(tmp_path: Path) -> None:
    path = endless_view(tmp_path / "part.mbtiles", {"minzoom": "0", "maxzoom": "3"}, real_tiles=True)
    src = MBTilesSource(path, tile_seconds=60)
    answers: list[bytes | None] = []
    reader = threading.Thread(target=lambda: answers.append(src.tile(TileKey(2, 1, 1))))
    reader.start()
    time.sleep(0.2)
    started = time.monotonic()
    src.close()
    reader.join(5)
    assert not reader.is_alive() and answers == [None]
    assert time.monotonic() - started < 2
    src.close()  # twice is harmless


@pytest.mark.parametrize("tile_data", ["2000000000", "'not an image'", "zeroblob(600)", "NULL"])
def test_tile_data_of_the_wrong_type_or_size_is_no_tile(tmp_path: Path, tile_data: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mbtiles, "MAX_TILE_BYTES", 500)
    path = database(tmp_path / "t.mbtiles", [
        "CREATE TABLE metadata (name, value)",
        f"CREATE VIEW tiles AS SELECT 0 AS zoom_level, 0 AS tile_column, 0 AS tile_row, {tile_data} AS tile_data"])
    src = MBTilesSource(path)
    assert src.tile(TileKey(0, 0, 0)) is None
    src.close()


def test_a_view_that_builds_a_huge_value_is_refused(tmp_path: Path) -> None:
    path = database(tmp_path / "big.mbtiles", [
        "CREATE TABLE metadata (name, value)",
        "CREATE VIEW tiles AS SELECT 0 AS zoom_level, 0 AS tile_column, 0 AS tile_row, "
        "zeroblob(500000000) AS tile_data"])
    assert "string or blob too big" in refused(path)


def test_empty_truncated_and_wrong_type_files_are_explained(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mbtiles"
    empty.write_bytes(b"")
    assert refused(empty) == "empty.mbtiles: the file is empty"
    text = tmp_path / "overlay.mbtiles"
    text.write_text('{"type": "FeatureCollection", "features": []}' * 100)
    assert "not an SQLite database" in refused(text)
    assert "not a regular file" in refused(tmp_path)


def test_a_truncated_file_is_refused_or_read_without_raising(tmp_path: Path) -> None:
    tiles = {(6, x, y): png((x * 4, y * 4, 0), 64) for x in range(8) for y in range(8)}
    path = make_mbtiles(tmp_path / "cut.mbtiles", tiles, {"minzoom": "6", "maxzoom": "6"})
    data = path.read_bytes()
    for cut in (len(data) // 2, 2048, 100):
        path.write_bytes(data[:cut])
        try:
            src = MBTilesSource(path)
        except TileSourceError as exc:
            assert str(exc).startswith(("cut.mbtiles: ", f"{path}: "))
            continue
        assert all(src.tile(TileKey(*key)) in (None, tiles[key]) for key in tiles)
        src.close()


def test_non_utf8_and_huge_metadata_is_read_safely(tmp_path: Path) -> None:
    path = database(tmp_path / "meta.mbtiles", [
        "CREATE TABLE metadata (name, value)",
        "CREATE TABLE tiles (zoom_level, tile_column, tile_row, tile_data)"],
        [("INSERT INTO metadata VALUES ('name', CAST(? AS TEXT))", ("서울".encode("cp949"),)),
         ("INSERT INTO metadata VALUES ('attribution', ?)", ("©" * 1_000_000,)),
         ("INSERT INTO metadata VALUES ('format', ?)", (b"\x00\xff",))])
    src = MBTilesSource(path)
    assert "\ufffd" in src.name
    assert len(src.attribution) == mbtiles.MAX_TEXT
    src.close()
