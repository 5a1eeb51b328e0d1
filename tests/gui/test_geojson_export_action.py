"""File → Export map as GeoJSON…: writes the console's picture on the worker; the map's overlay
loader reads the file back; a folder that cannot be written is a worded warning, nothing lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geojson
import pytest

from console.domain.records import RecordKind as K
from console.geo.geojson import load_geojson
from console.ui.geojson_actions import GeoJSONExportAction
from console.ui.qt import QMessageBox, QWidget


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text: shown.append((title, text)))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: shown.append((title, text)))
    return shown


def _seed(replica: Any) -> None:
    replica.put(K.ORG, "S11110", {"level": "station", "code": "S11110", "name_ko": "종로경찰서",
                                  "jurisdiction": ["11110"]})
    replica.put(K.UNIT, "u1", {"id": "u1", "callsign": "종로 21", "type": "patrol_car", "station_code": "S11110",
                               "status": "available", "lat": 37.5801, "lon": 126.975})
    replica.put(K.INCIDENT, "i1", {"id": "i1", "title": "소란", "code": 1, "category": "disorder",
                                   "status": "new", "station_code": "S11110", "lat": 37.579, "lon": 126.972,
                                   "created_at": "2025-06-03T01:00:00Z", "created_by": "op"})


def test_the_export_writes_a_file_the_map_reads_back(qtbot: Any, panel_ctx: Any, memory_replica: Any,
                                                     tmp_path: Path, boxes: list[tuple[str, str]]) -> None:
    _seed(memory_replica)
    window = QWidget()
    qtbot.addWidget(window)
    target = tmp_path / "picture"  # no suffix given: .geojson is added
    action = GeoJSONExportAction(panel_ctx, window, choose_path=lambda _w, _p: target)
    assert action.text() == "Export map as &GeoJSON…"
    action.trigger()
    qtbot.waitUntil(lambda: bool(boxes), timeout=10_000)
    written = tmp_path / "picture.geojson"
    assert action.last_result is not None and action.last_result.path == written
    assert action.last_result.counts["units"] == 1 and action.last_result.counts["incidents"] == 1
    assert action.last_result.counts["jurisdictions"] == 1
    assert boxes[0][0] == "Map exported"
    assert "Saved 3 features to" in boxes[0][1] and "1 units, 1 open incidents, 1 jurisdictions" in boxes[0][1]
    assert geojson.loads(written.read_text(encoding="utf-8")).is_valid
    overlay = load_geojson(written)
    assert sorted(f.label for f in overlay.features) == ["소란", "종로 21", "종로경찰서"]


def test_a_cancelled_dialog_writes_nothing(qtbot: Any, panel_ctx: Any, tmp_path: Path,
                                           boxes: list[tuple[str, str]]) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    action = GeoJSONExportAction(panel_ctx, window, choose_path=lambda _w, _p: None)
    action.trigger()
    qtbot.wait(100)
    assert boxes == [] and list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_written_is_a_worded_warning(qtbot: Any, panel_ctx: Any, tmp_path: Path,
                                                             boxes: list[tuple[str, str]]) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    action = GeoJSONExportAction(panel_ctx, window, choose_path=lambda _w, _p: tmp_path / "gone" / "x.geojson")
    action.trigger()
    qtbot.waitUntil(lambda: bool(boxes), timeout=10_000)
    assert boxes[0][0] == "Map not exported"
    assert boxes[0][1].startswith("Could not export the map: ") and "No such file" in boxes[0][1]
    assert action.last_result is None


def test_the_maps_file_loader_opens_the_export_as_an_overlay(qtbot: Any, panel_ctx: Any, memory_replica: Any,
                                                             tmp_path: Path, boxes: list[tuple[str, str]]) -> None:
    from console.ui.map.overlay_loader import JobState, MapFileLoader

    _seed(memory_replica)
    window = QWidget()
    qtbot.addWidget(window)
    action = GeoJSONExportAction(panel_ctx, window, choose_path=lambda _w, _p: tmp_path / "picture.geojson")
    action.trigger()
    qtbot.waitUntil(lambda: action.last_result is not None, timeout=10_000)
    loader = MapFileLoader()
    finished: list[Any] = []
    loader.finished.connect(finished.append)
    job = loader.open_overlay(tmp_path / "picture.geojson")
    qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
    loader.shutdown()
    assert job.state is JobState.LOADED, job.message
    assert {f.properties["layer"] for f in job.result.features} == {"units", "incidents", "jurisdictions"}
