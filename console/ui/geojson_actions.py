"""File → Export map as GeoJSON…: the operational picture of this console's scope (the same
layers as the server's /api/v1/export/geojson) written to a file a GIS desk opens, and that the
map's own overlay loader reads back. Built and written on the database worker."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from console.domain.clock import in_operation_zone
from console.interop.geojson_export import Layer, dumps, operational_picture
from console.ui.panels.base import PanelContext
from console.ui.qt import QAction, QCoreApplication, QEvent, QMessageBox, QObject, QtWidgets, QWidget

translate = QCoreApplication.translate


@dataclass(frozen=True)
class ExportResult:
    path: Path
    counts: dict[str, int]  # features per layer

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def export_picture(ctx: PanelContext, path: Path) -> ExportResult:
    """Build the picture from the replica and write it (on the database worker)."""
    picture = operational_picture(ctx.replica.rows, ctx.now(), scope=ctx.user.org_path)
    counts = {layer.value: 0 for layer in Layer}
    for feature in picture["features"]:
        counts[feature["properties"]["layer"]] += 1
    write_atomically(path, dumps(picture))
    return ExportResult(path, counts)


def write_atomically(path: Path, data: bytes) -> None:
    """A temporary file beside the target, moved into place: a failure never leaves half a file
    over an earlier export. Raises OSError with the reason."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class GeoJSONExportAction(QAction):
    """The menu action; it words itself again when the language changes (it watches its window)."""

    def __init__(self, ctx: PanelContext, parent: QWidget,
                 choose_path: Callable[[QWidget, Path], Path | None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("geojson_export_action")
        self.ctx = ctx
        self.window = parent
        self.choose_path = choose_path or _ask_for_path
        self.last_result: ExportResult | None = None
        self.last_error = ""
        self.triggered.connect(self.export)
        parent.installEventFilter(self)
        self.retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def retranslate(self) -> None:
        self.setText(translate("GeoJSONExport", "Export map as &GeoJSON…"))
        self.setToolTip(translate(
            "GeoJSONExport", "Save this office's operational picture (sites, routes, units, open incidents, "
                             "jurisdictions) as a GeoJSON file for GIS"))

    def default_path(self) -> Path:
        stamp = in_operation_zone(self.ctx.now()).strftime("%Y%m%d-%H%M")
        return Path.home() / f"sitroom-{self.ctx.user.org_code}-{stamp}.geojson"

    def export(self) -> None:
        path = self.choose_path(self.window, self.default_path())
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(".geojson")
        self.ctx.ops.query(lambda: export_picture(self.ctx, path), self._done, on_error=self._failed)

    def _done(self, result: ExportResult) -> None:
        self.last_result, self.last_error = result, ""
        text = translate("GeoJSONExport",
                         "Saved %1 features to %2: %3 polling stations, %4 counting stations, %5 routes, "
                         "%6 units, %7 open incidents, %8 jurisdictions.")
        layers = ("polling_stations", "counting_stations", "routes", "units", "incidents", "jurisdictions")
        figures = [f"{result.total:,}", str(result.path)] + [f"{result.counts[name]:,}" for name in layers]
        # one pass, so a %1 inside the file's path is left as it is
        text = re.sub(r"%([1-8])", lambda m: figures[int(m.group(1)) - 1], text)
        QMessageBox.information(self.window, translate("GeoJSONExport", "Map exported"), text)

    def _failed(self, exc: BaseException) -> None:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self.last_result, self.last_error = None, reason
        QMessageBox.warning(self.window, translate("GeoJSONExport", "Map not exported"),
                            translate("GeoJSONExport", "Could not export the map: %1").replace("%1", reason))


def _ask_for_path(parent: QWidget, suggested: Path) -> Path | None:
    name, _ = QtWidgets.QFileDialog.getSaveFileName(
        parent, translate("GeoJSONExport", "Export map as GeoJSON"), str(suggested),
        translate("GeoJSONExport", "GeoJSON files (*.geojson *.json)"))
    return Path(name) if name else None


def geojson_export_action(ctx: PanelContext, parent: QWidget) -> GeoJSONExportAction:
    """File → Export map as GeoJSON… (Ctrl+Shift+G)."""
    action = GeoJSONExportAction(ctx, parent)
    action.setShortcut("Ctrl+Shift+G")
    return action
