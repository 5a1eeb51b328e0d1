"""GeoJSON overlays: good files load into Mercator, bad ones say which feature is wrong and how."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from console.geo.geojson import GeoJSONError, load_geojson
from console.geo.mercator import to_mercator

SQUARE = [[126.9, 37.5], [127.0, 37.5], [127.0, 37.6], [126.9, 37.6], [126.9, 37.5]]


def feature(geometry: Any, **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": props}


def write(tmp_path: Path, doc: Any, name: str = "overlay.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc, encoding="utf-8")
    return path


def test_a_feature_collection_loads_points_lines_and_polygon_rings(tmp_path: Path) -> None:
    doc = {"type": "FeatureCollection", "features": [
        feature({"type": "Point", "coordinates": [126.9779, 37.5663]}, name="서울시청"),
        feature({"type": "LineString", "coordinates": [[126.9, 37.5], [127.0, 37.6]]}, name="route"),
        feature({"type": "Polygon", "coordinates": [SQUARE]}),
        feature({"type": "MultiPoint", "coordinates": [[129.0, 35.1], [129.1, 35.2]]}),
        feature(None, note="unlocated"),
    ]}
    overlay = load_geojson(write(tmp_path, doc, "sites.geojson"))
    assert overlay.name == "sites"
    assert [f.geometry_type for f in overlay.features] == ["Point", "LineString", "Polygon", "MultiPoint",
                                                          "None"]
    assert overlay.features[0].label == "서울시청"
    assert overlay.features[0].points[0] == pytest.approx(to_mercator(126.9779, 37.5663))
    xs, _ys, owners = overlay.point_arrays()
    assert len(xs) == 3 and owners == [0, 3, 3]
    path = overlay.line_path()
    assert len(path) == 2 + 5
    assert list(path.connect[:2]) == [True, False]  # the line does not join the ring
    b = overlay.bounds()
    assert b is not None and b[0] == pytest.approx(to_mercator(126.9, 37.5)[0])


def test_a_bare_geometry_and_a_single_feature_load(tmp_path: Path) -> None:
    assert len(load_geojson(write(tmp_path, {"type": "Polygon", "coordinates": [SQUARE]})).features) == 1
    assert len(load_geojson(write(tmp_path, feature({"type": "Point", "coordinates": [127, 37]}))).features) == 1


@pytest.mark.parametrize(("doc", "message"), [
    ({"type": "FeatureCollection", "features": [
        feature({"type": "Point", "coordinates": [127, 37]}),
        feature({"type": "Point", "coordinates": [127, 37]}),
        feature({"type": "Point", "coordinates": [127, 37]}),
        feature({"type": "Polygon", "coordinates": [[[127, 37], [127.1, 37]]]})]},
     "feature 3: Polygon ring has 2 points; a ring needs at least 4"),
    ({"type": "FeatureCollection", "features": [
        feature({"type": "Polygon", "coordinates": [[[127, 37], [127.1, 37], [127.1, 37.1], [127, 37.2]]]})]},
     "feature 0: Polygon ring is not closed"),
    ({"type": "FeatureCollection", "features": [feature({"type": "LineString", "coordinates": [[127, 37]]})]},
     "feature 0: LineString has 1 point; a line needs at least 2"),
    ({"type": "FeatureCollection", "features": [feature({"type": "Point", "coordinates": [37.5, 127.0]})]},
     "feature 0: Point position [37.5, 127.0] is outside"),
    ({"type": "FeatureCollection", "features": [feature({"type": "Point", "coordinates": ["a", 1]})]},
     "feature 0: Point position ['a', 1] must be [longitude, latitude]"),
    ({"type": "FeatureCollection", "features": [feature({"type": "Circle", "coordinates": [1, 2]})]},
     "feature 0: unknown geometry type 'Circle'"),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}, {"type": "Thing"}]},
     "feature 1: type must be 'Feature'"),
    ({"type": "FeatureCollection", "features": [feature({"type": "Polygon"})]},
     "feature 0: Polygon has no coordinates"),
    ({"type": "FeatureCollection"}, "a FeatureCollection needs a 'features' array"),
    ({"type": "Topology"}, "unknown top-level type 'Topology'"),
    ([1, 2], "the top level must be an object, not an array"),
])
def test_malformed_files_are_explained(tmp_path: Path, doc: Any, message: str) -> None:
    with pytest.raises(GeoJSONError) as info:
        load_geojson(write(tmp_path, doc, "bad.geojson"))
    assert str(info.value).startswith("bad.geojson: ")
    assert message in str(info.value)


def test_broken_json_names_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(GeoJSONError, match=r"not valid JSON \(line 2, column"):
        load_geojson(write(tmp_path, '{"type": "FeatureCollection",\n "features": [,]}'))


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(GeoJSONError, match="cannot read the file"):
        load_geojson(tmp_path / "missing.geojson")
