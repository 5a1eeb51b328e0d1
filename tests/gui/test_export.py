"""Record tables export the rows shown (filter and order as on screen) to CSV: UTF-8 with a BOM
for spreadsheets, Hangul intact, and a failed export explained, leaving no half file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from queue_panels import open_queue_panel

from console.domain.records import RecordKind
from console.domain.samples import incident_data
from console.ui.export import write_csv
from console.ui.qt import Qt

pytestmark = pytest.mark.gui
K = RecordKind


def read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_write_csv_is_utf8_with_bom_and_keeps_an_old_file_when_it_fails(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    write_csv(target, ["장소", "code"], [["종로구 사직동, 제1투표소", "0"]])
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read(target) == [["장소", "code"], ["종로구 사직동, 제1투표소", "0"]]  # the comma quoted

    class DiskFull:
        def __str__(self) -> str:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):  # fails half-way through writing
        write_csv(target, ["장소"], [["first row"], [DiskFull()]])  # type: ignore[list-item]
    assert read(target)[1][0] == "종로구 사직동, 제1투표소"  # the earlier export is intact
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_cells_are_never_formulas(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    write_csv(target, ["title"], [["=HYPERLINK(\"http://x\",\"click\")"], ["+cmd|' /C calc'!A0"], ["@SUM(A1)"],
                                  ["-2+3"], ["투표소 = 소란"], ["2 - 1"]])
    assert [r[0] for r in read(target)[1:]] == [
        "'=HYPERLINK(\"http://x\",\"click\")", "'+cmd|' /C calc'!A0", "'@SUM(A1)", "'-2+3", "투표소 = 소란", "2 - 1"]


def test_the_queue_exports_the_rows_it_shows(qtbot, panel_ctx, memory_replica, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    memory_replica.put(K.INCIDENT, "a", incident_data("a", code=3, place="종로구 사직동"))
    memory_replica.put(K.INCIDENT, "b", incident_data("b", code=0, place="종로구 청운동"))
    memory_replica.put(K.INCIDENT, "c", incident_data("c", code=2, category="bribery", place="종로구 삼청동"))
    panel = open_queue_panel(qtbot, panel_ctx)
    panel.code_filter.setCurrentIndex(panel.code_filter.findData(3))
    qtbot.waitUntil(lambda: panel.model.ids() == ["a"])
    panel.code_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.model.ids() == ["b", "c", "a"])

    path = panel.table.export_csv(tmp_path / "queue.csv")
    assert path == tmp_path / "queue.csv"
    rows = read(path)
    model = panel.model
    assert rows[0] == [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert [r[0] for r in rows[1:]] == ["0", "2", "3"]  # the shown order, most urgent first
    assert any("종로구 청운동" in cell for cell in rows[1])
    assert rows[1:] == [[model.data(model.index(r, c)) for c in range(model.columnCount())]
                        for r in range(model.rowCount())]


def test_a_failed_export_is_explained(qtbot, panel_ctx, memory_replica, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from console.ui.qt import QtWidgets

    told: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda _parent, title, text: told.append(text))
    memory_replica.put(K.INCIDENT, "a", incident_data("a", code=3))
    panel = open_queue_panel(qtbot, panel_ctx)
    assert panel.table.export_csv(tmp_path / "no such folder" / "queue.csv") is None
    assert told and "no such folder" in told[0]
    assert panel.table.export_action in panel.table.actions()  # offered on right-click
