"""The map panel's files: a raster base map (MBTiles file or XYZ tile server) and GeoJSON overlays,
opened on the loader's workers, their failures worded, the choice saved with the settings."""

from __future__ import annotations

import hashlib
from pathlib import Path

import platformdirs

from console.geo.tile_source import TileSourceError
from console.geo.url_tiles import UrlTileSource
from console.ui.map.map_view import MapView
from console.ui.map.overlay_loader import JobState, MapFileJob, MapFileKind, MapFileLoader
from console.ui.qt import QCoreApplication, QtWidgets, QWidget


class MapFiles(QWidget):
    """The MapPanel's half that opens files; the panel builds what these methods use."""

    map: MapView
    files: MapFileLoader
    basemap: dict[str, str] | None
    _restoring: bool

    def save_settings(self) -> None:
        raise NotImplementedError

    def _error(self, title: str, message: str) -> None:
        raise NotImplementedError

    # -- files ----------------------------------------------------------------------------------------
    def _choose_mbtiles(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, QCoreApplication.translate("MapPanel", "Open MBTiles"), "",
            QCoreApplication.translate("MapPanel", "MBTiles (*.mbtiles);;All files (*)"))
        if path:
            self.load_mbtiles(Path(path))

    def _choose_geojson(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, QCoreApplication.translate("MapPanel", "Open GeoJSON"), "",
            QCoreApplication.translate("MapPanel", "GeoJSON (*.geojson *.json);;All files (*)"))
        if path:
            self.load_geojson(Path(path))

    def _choose_url(self) -> None:
        url, ok = QtWidgets.QInputDialog.getText(
            self, QCoreApplication.translate("MapPanel", "Tile server"),
            QCoreApplication.translate("MapPanel", "XYZ tile URL, e.g. https://tiles.example/{z}/{x}/{y}.png"))
        if ok and url.strip():
            self.load_tile_url(url.strip())

    def _open_basemap(self, choice: dict[str, str]) -> bool:
        if choice.get("kind") == "mbtiles" and choice.get("path"):
            self.load_mbtiles(Path(choice["path"]), restoring=self._restoring)
            return True
        if choice.get("kind") == "url" and choice.get("url"):
            return self.load_tile_url(choice["url"], choice.get("attribution"))
        return False

    def clear_basemap(self) -> None:
        """No raster base map: the boundaries alone."""
        self.files.cancel(MapFileKind.BASEMAP)
        self.map.remove_layer("tiles")
        self.basemap = None
        self.save_settings()

    def _basemap_opened(self, choice: dict[str, str]) -> None:
        self.basemap = choice
        if not self._restoring:  # one the user just chose is shown, even if the last was off
            self.map.set_layer_visible("tiles", True)
        self.save_settings()

    def load_tile_url(self, url: str, attribution: str | None = None) -> bool:
        """An XYZ tile server, cached on disk per URL (served from the cache while offline)."""
        digest = hashlib.sha1(url.encode()).hexdigest()[:16]
        cache = Path(platformdirs.user_cache_dir("sitroom", appauthor=False)) / "tiles" / digest
        try:
            host = url.split("/")[2] if "//" in url else url
            source = UrlTileSource(url, cache, name=host,
                                   attribution=attribution if attribution is not None else f"Tiles © {host}")
        except (TileSourceError, OSError) as exc:
            self._error(QCoreApplication.translate("MapPanel", "Tile server not added"), str(exc))
            return False
        self.map.add_tile_source(source)
        choice = {"kind": "url", "url": url}
        if attribution is not None:
            choice["attribution"] = attribution
        self._basemap_opened(choice)
        return True

    def load_mbtiles(self, path: Path, *, restoring: bool = False) -> MapFileJob:
        """Open an MBTiles base map on the loader's worker; it is shown (or its failure worded)
        when `_on_file_opened` gets the job back."""
        return self.files.open_basemap(Path(path), restoring=restoring)

    def load_geojson(self, path: Path) -> MapFileJob:
        """Open a GeoJSON overlay on the loader's worker (see load_mbtiles)."""
        return self.files.open_overlay(Path(path))

    def _on_file_opened(self, job: MapFileJob) -> None:
        if job.state is JobState.FAILED:
            overlay = job.kind is MapFileKind.OVERLAY
            self._error(QCoreApplication.translate("MapPanel", "GeoJSON not loaded") if overlay
                        else QCoreApplication.translate("MapPanel", "MBTiles not opened"), job.message)
        if job.state is not JobState.LOADED:
            return  # cancelled: the map stays as it was
        if job.kind is MapFileKind.BASEMAP:
            restoring, self._restoring = self._restoring, job.restoring
            try:
                self.map.add_tile_source(job.result)
                self._basemap_opened({"kind": "mbtiles", "path": str(job.path.resolve())})
            finally:
                self._restoring = restoring
            return
        layer = self.map.add_overlay(job.result)
        bounds = layer.bounds()
        if bounds is not None:
            self.map.set_view(bounds, padding=0.1)
