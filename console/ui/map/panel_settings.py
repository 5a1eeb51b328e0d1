"""The map panel's settings: the user's base map, layers, labels, clusters, legend and last view,
saved per user (console.ui.map.settings) and applied again at the next start; Reset map."""

from __future__ import annotations

from typing import Any

from console.geo.boundaries import BoundaryLevel
from console.ui.map.map_files import MapFiles
from console.ui.map.overlay_loader import MapFileKind
from console.ui.map.settings import MapSettings, MapSettingsStore
from console.ui.qt import QAction, QSettings, QtGui, QTimer


class PanelSettings(MapFiles):
    """The MapPanel's half that keeps its settings; the panel builds what these methods use."""

    ctx: Any
    act_labels: dict[BoundaryLevel, QAction]
    act_clusters: QAction
    act_legend: QAction
    saved_view: tuple[float, float, float] | None
    user_moved: bool
    homed: bool
    _store: MapSettingsStore | None
    _save_view_timer: QTimer

    # -- settings -------------------------------------------------------------------------------
    def hideEvent(self, event: QtGui.QHideEvent) -> None:
        if self._save_view_timer.isActive():  # closing: the last view is not left unsaved
            self._save_view_timer.stop()
            self.save_settings()
        if self._store is not None:
            self._store.flush()
        super().hideEvent(event)

    def attach_settings(self, settings: QSettings) -> None:
        """Keep this user's map settings in `settings`, and apply the ones saved there."""
        self._store = MapSettingsStore(settings, self.ctx.user.username)
        saved = self._store.load()
        if saved is not None:
            self.apply_settings(saved)

    def apply_settings(self, state: MapSettings) -> None:
        self._restoring = True
        try:
            self.map.restore_layer_visibility(state.layers)
            levels = state.label_levels()
            for level, act in self.act_labels.items():
                act.setChecked(level in levels)
            self.act_clusters.setChecked(state.clusters)
            self.act_legend.setChecked(state.legend)
            if state.basemap is not None and state.basemap != self.basemap:
                # a file not there today (a drive not mounted) stays the choice: tried next start
                self._open_basemap(state.basemap)
                self.basemap = dict(state.basemap)
            if state.view is not None:
                self.saved_view = state.view
                self.map.set_view_state(*state.view)
                self.homed = True  # the saved view, not the jurisdiction, is home now
        finally:
            self._restoring = False

    def current_settings(self) -> MapSettings:
        return MapSettings(
            basemap=dict(self.basemap) if self.basemap else None,
            layers={k: v for k, v in self.map.layer_visibility().items() if not k.startswith("overlay:")},
            labels=[lv.value for lv in BoundaryLevel if lv in self.map.label_levels],
            clusters=self.map.clustering, legend=self.act_legend.isChecked(),
            view=self.map.view_state() if self.user_moved else self.saved_view)

    def save_settings(self) -> None:
        if self._store is None or self._restoring:
            return
        self._store.save(self.current_settings())

    def _on_view_changed(self) -> None:
        if self.user_moved and self._store is not None and not self._restoring:
            self._save_view_timer.start()

    def _on_legend_toggled(self, on: bool) -> None:
        self.map.legend.setVisible(on)
        self.save_settings()

    def reset_map(self) -> None:
        """Every layer and label on, clusters on, no raster base map, the view on the jurisdiction;
        the saved settings are forgotten (the next start is like the first)."""
        self.files.cancel(MapFileKind.BASEMAP)
        self._restoring = True
        try:
            self.map.reset_display()
            self.basemap = None
            for act in (*self.act_labels.values(), self.act_clusters, self.act_legend):
                act.setChecked(True)
        finally:
            self._restoring = False
        self._save_view_timer.stop()
        self.saved_view = None
        self.user_moved = False
        if self._store is not None:
            self._store.clear()
            self._store.flush()
        self.homed = self.map.zoom_to_jurisdiction()
        if not self.homed:
            self.map.zoom_to_all()
