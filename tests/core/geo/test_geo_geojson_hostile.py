"""Hostile and broken GeoJSON files: each is refused with a worded GeoJSONError (never a
RecursionError, a raw ValueError or gigabytes of memory), and the caps act before parsing."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from console.geo import geojson
from console.geo.geojson import GeoJSONError, load_geojson, parse_geojson
from console.geo.load_control import LoadCancelled, LoadControl

pytestmark = pytest.mark.once

POINT = '{"type": "Point", "coordinates": [127.0, 37.5]}'


def write(tmp_path: Path, text: str | bytes, name: str = "hostile.geojson") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def refused(path: Path, **kwargs: Any) -> str:
    with pytest.raises(GeoJSONError) as info:
        load_geojson(path, **kwargs)
    message = str(info.value)
    assert message.startswith(f"{path.name}: ")
    assert len(message) < 400  # a hostile file's content is not echoed back at length
    return message


@pytest.fixture
def json_never_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The caps must act before json.loads builds the document."""
    def fail(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("json.loads was reached")
    monkeypatch.setattr(geojson.json, "loads", fail)


@pytest.mark.parametrize("text", [
    '{"type": "Point", "coordinates": ' + "[" * 900 + "]" * 900 + "}",
    '{"type": "GeometryCollection", "geometries": [' * 900 + "]}" * 900,
    '{"type": "Feature", "geometry": null, "properties": ' + '{"a": ' * 900 + "1" + "}" * 900 + "}",
], ids=["coordinates", "geometry-collections", "properties"])
def test_a_file_nested_900_levels_deep_is_refused_before_parsing(tmp_path: Path, text: str,
                                                                 json_never_parsed: None) -> None:
    message = refused(write(tmp_path, text))
    assert "nested more than 64 levels deep" in message


def test_deep_nesting_is_refused_on_a_worker_thread_too(tmp_path: Path) -> None:
    # the loader runs on a worker, whose stack is smaller than the main thread's
    path = write(tmp_path, '{"type": "GeometryCollection", "geometries": [' * 5000 + "]}" * 5000)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            load_geojson(path)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(10)
    assert len(errors) == 1 and isinstance(errors[0], GeoJSONError)


def test_geometry_collections_nested_too_deep_for_the_walk_are_refused() -> None:
    doc: dict[str, Any] = json.loads(POINT)
    for _ in range(40):
        doc = {"type": "GeometryCollection", "geometries": [doc]}
    with pytest.raises(GeoJSONError, match="GeometryCollections nested more than 16 deep"):
        parse_geojson(doc)


def test_two_million_points_are_refused_before_parsing(tmp_path: Path, json_never_parsed: None) -> None:
    # compact positions: 18 MB, under the byte cap, so the point count is what refuses it
    body = b"[127,37]," * 1_999_999 + b"[127,37]"
    path = write(tmp_path, b'{"type": "MultiPoint", "coordinates": [' + body + b"]}")
    assert path.stat().st_size < geojson.MAX_FILE_BYTES
    assert "more than 500,000 points" in refused(path)


def test_a_file_over_the_byte_cap_is_refused_without_reading_it(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '{"type": "FeatureCollection", "features": [')
    os.truncate(path, geojson.MAX_FILE_BYTES + 1)  # sparse: just over the cap, written instantly
    monkeypatch.setattr(Path, "open", lambda *_a, **_k: pytest.fail("the file was opened"))
    message = refused(path)
    assert "the file is 50.0 MB, more than the 50 MB an overlay may be" in message


def test_the_point_cap_counts_every_vertex(tmp_path: Path) -> None:
    ring = [[127, 37], [127.1, 37], [127.1, 37.1], [127, 37]]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": ring[:3]}}]}
    path = write(tmp_path, json.dumps(doc))
    assert len(load_geojson(path, max_points=7).features) == 2
    assert "more than 6 points" in refused(path, max_points=6)
    # and when the document is handed over already parsed
    with pytest.raises(GeoJSONError, match="feature 1: more than 6 points"):
        parse_geojson(doc, max_points=6)


def test_too_many_objects_and_arrays_are_refused_before_parsing(tmp_path: Path, json_never_parsed: None,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geojson, "MAX_CONTAINERS", 1000)
    path = write(tmp_path, '{"type": "Feature", "geometry": null, "properties": {"x": ['
                 + ",".join(["[]"] * 1000) + "]}}")
    assert "more than 1,000 JSON objects and arrays" in refused(path)


def test_brackets_inside_names_do_not_count_as_nesting_or_points(tmp_path: Path) -> None:
    name = "[" * 100 + '\\"[1,2]' + "{" * 100
    path = write(tmp_path, '{"type": "Feature", "properties": {"name": "' + name + '"}, "geometry": '
                 + POINT + "}")
    assert load_geojson(path, max_points=1).features[0].label.startswith("[[[")


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "the file is empty"),
    (b"  \n\t ", "the file is empty"),
    (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Po',
     "not valid JSON (line 1, column"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "holds binary data, not GeoJSON text"),
    (b"42", "the top level must be an object, not a number"),
    (b'"FeatureCollection"', "the top level must be an object, not a string"),
    (b'{"type": "FeatureCollection", "features": {"0": {}}}', "needs a 'features' array"),
    (b'{"type": "Feature", "geometry": null, "properties": []}', "properties must be an object or null"),
    (b'{"type": "Point", "coordinates": "127,37"}', "must be [longitude, latitude]"),
    (b'{"type": "LineString", "coordinates": {"a": 1}}', "coordinates must be an array, not an object"),
    ('{"type": "Feature", "properties": {"name": "서울"}, "geometry": null}'.encode("cp949"),
     "not UTF-8 text (byte 0xbc at position 44); GeoJSON must be UTF-8. It reads as Korean EUC-KR/CP949"),
    (b'{"type": "Point", "coordinates": [127, 37], "x": "\xff"}', "not UTF-8 text (byte 0xff at position 50)"),
    (POINT.encode("utf-16"), "the file is UTF-16 text"),
    (b'{"type": "Point", "coordinates": [1' + b"0" * 5000 + b', 37]}', "a number in the file has thousands of digits"),
    (b'{"type": "Point", "coordinates": [1' + b"0" * 400 + b', 37]}', "is not finite"),
    (b'{"type": "Point", "coordinates": [1e400, 37]}', "is not finite"),
    (b'{"type": "Point", "coordinates": [NaN, 37]}', "is not finite"),
], ids=["empty", "blank", "truncated", "png", "number", "string", "features-object", "properties-list",
        "coordinates-string", "coordinates-object", "cp949", "latin1", "utf16", "long-integer",
        "integer-overflow", "float-overflow", "nan"])
def test_empty_truncated_wrong_type_and_non_utf8_files_are_explained(tmp_path: Path, content: bytes,
                                                                     expected: str) -> None:
    assert expected in refused(write(tmp_path, content))


def test_a_truncated_file_says_it_ends_early(tmp_path: Path) -> None:
    text = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": json.loads(POINT)}] * 3})
    assert "the file ends early" in refused(write(tmp_path, text[: len(text) // 2]))


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    assert len(load_geojson(write(tmp_path, b"\xef\xbb\xbf" + POINT.encode())).features) == 1


def test_a_directory_or_a_pipe_is_not_read(tmp_path: Path) -> None:
    assert "not a regular file" in refused(tmp_path / "..")
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.geojson"
        os.mkfifo(fifo)  # opening it would block the loader for good
        assert "not a regular file" in refused(fifo)


def test_a_long_value_is_not_repeated_in_the_message(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps({"type": "x" * 1_000_000}))
    assert "unknown top-level type 'xxxx" in refused(path)


def test_a_long_name_is_shortened_on_the_map(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps({"type": "Feature", "properties": {"name": "가" * 100_000},
                                       "geometry": json.loads(POINT)}))
    label = load_geojson(path).features[0].label
    assert len(label) == geojson.LABEL_LIMIT and label.endswith("…")


def test_a_cancelled_load_stops_with_load_cancelled(tmp_path: Path) -> None:
    control = LoadControl()
    control.cancel()
    with pytest.raises(LoadCancelled):
        load_geojson(write(tmp_path, POINT), control=control)


def test_a_load_past_its_deadline_is_a_worded_error(tmp_path: Path) -> None:
    now = [0.0]

    def clock() -> float:
        now[0] += 1.0  # every look at the clock costs a second
        return now[0]

    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": json.loads(POINT)}] * 50}
    message = refused(write(tmp_path, json.dumps(doc)), control=LoadControl(timeout=20, clock=clock))
    assert "gave up after 20 s; the file may be damaged, or too large to show" in message


def test_the_drawing_arrays_are_built_by_the_loader(tmp_path: Path) -> None:
    overlay = load_geojson(write(tmp_path, POINT))
    assert overlay.point_arrays() is overlay.point_arrays()  # built once, then handed over
    assert overlay.line_path() is overlay.line_path()


def test_too_many_features_are_refused_before_parsing(tmp_path: Path, json_never_parsed: None,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geojson, "MAX_FEATURES", 3)
    feature = '{"type": "Feature", "properties": {}, "geometry": null}'
    path = write(tmp_path, '{"type": "FeatureCollection", "features": [' + ",".join([feature] * 4) + "]}")
    assert "more than 3 features" in refused(path)


def test_the_feature_cap_holds_when_the_word_is_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geojson, "MAX_FEATURES", 3)
    feature = '{"type": "Feat\\u0075re", "properties": {}, "geometry": null}'
    path = write(tmp_path, '{"type": "FeatureCollection", "features": [' + ",".join([feature] * 4) + "]}")
    assert "more than 3 features" in refused(path)
