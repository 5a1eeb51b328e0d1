"""Map panel: the situation map over the replica, sharing the selection with the other panels; the
user's map settings (base map, layers, labels, clusters, last view) are kept per user."""

from __future__ import annotations

import threading
from typing import Any

from console.domain.election import ELECTION_2025, RouteDisplayState
from console.domain.records import RecordKind
from console.geo.boundaries import BaseGeography, BoundaryLevel
from console.ui.map import rows as maprows
from console.ui.map.data import LayerKind
from console.ui.map.layer_reads import layer_reader
from console.ui.map.map_view import MapView
from console.ui.map.overlay_loader import MapFileLoadBar, MapFileLoader
from console.ui.map.panel_settings import PanelSettings
from console.ui.map.settings import MapSettingsStore
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QAction,
    QEvent,
    QMenu,
    QMessageBox,
    QObject,
    QSettings,
    Qt,
    QTimer,
    QToolBar,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.route_lateness import late_threshold
from console.views.map_rows import RouteEnd

K = RecordKind
ROUTE_END_KINDS = (K.POLLING_STATION, K.COUNTING_STATION)  # the sites a route runs between
# More changed rows than this: re-read the whole layer. A partial read is one bulk read, 2,000
# rows of it cheaper than decoding a national layer's 17,795 (a busy minute's announcements of
# 300-1,000 openings each re-read the whole layer).
PARTIAL_LIMIT = 2000
ROUTE_REFRESH_TICKS = 30  # 'late' depends on the clock: re-derive route states this often
ALERT_REFRESH_TICKS = 60  # external alerts expire with the clock: read again this often
VIEW_SAVE_DELAY_MS = 500  # a pan or zoom is saved once the map has been still this long


class _GeographyLoader(QObject):
    """Loads (or on first run builds and caches) the base geography off the GUI thread."""

    loaded = Signal(object)
    failed = Signal(str)

    def start(self) -> None:
        threading.Thread(target=self._run, name="sitroom-geography", daemon=True).start()

    def _run(self) -> None:
        try:
            geo = BaseGeography.load()
        except Exception as exc:  # reported in the panel; the map still shows points
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.loaded.emit(geo)


class MapPanel(PanelSettings):
    def __init__(self, ctx: PanelContext, parent: QWidget | None = None, *,
                 geography: BaseGeography | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("map_panel")
        self.setMinimumSize(360, 320)  # a map squeezed to a strip is no map
        self.ctx = ctx
        self.map = MapView(theme=ctx.theme.current.name)
        self.last_error: str = ""
        self.message_box: QMessageBox | None = None
        self._loading: set[str] = set()
        self._dirty: dict[str, set[str] | None] = {}  # layer -> changed ids (None: everything)
        # What the routes shown were drawn from: each site's position and name, per site kind.
        self._route_ends: dict[RecordKind, dict[str, RouteEnd]] | None = None
        self._ticks = 0
        self._selecting = False  # the map is announcing its own click
        self.loaded_layers: set[str] = set()
        self.homed = False  # the view was set to the user's jurisdiction (or saved view) once
        self.user_moved = False  # the user zoomed, panned or clicked: the view is theirs
        self.basemap: dict[str, str] | None = None  # the raster base map chosen, as saved
        self.saved_view: tuple[float, float, float] | None = None  # (lon, lat, zoom) restored
        self._store: MapSettingsStore | None = None
        self._restoring = False  # applying saved settings: nothing to save
        self._save_view_timer = QTimer(self)
        self._save_view_timer.setSingleShot(True)
        self._save_view_timer.setInterval(VIEW_SAVE_DELAY_MS)
        self._save_view_timer.timeout.connect(self.save_settings)
        # GeoJSON and MBTiles files open on the loader's workers, shown in the bar with a Cancel
        self.files = MapFileLoader(self)
        self.files.finished.connect(self._on_file_opened)
        self.loading_bar = MapFileLoadBar(self.files)

        self.toolbar = QToolBar()
        self.toolbar.setObjectName("map_toolbar")
        self.act_mbtiles = QAction(self)
        self.act_mbtiles.triggered.connect(self._choose_mbtiles)
        self.act_geojson = QAction(self)
        self.act_geojson.triggered.connect(self._choose_geojson)
        self.act_url = QAction(self)
        self.act_url.triggered.connect(self._choose_url)
        self.act_no_basemap = QAction(self)
        self.act_no_basemap.triggered.connect(self.clear_basemap)
        self.act_jurisdiction = QAction(self)
        self.act_jurisdiction.triggered.connect(lambda: self._user_view(self.map.zoom_to_jurisdiction))
        self.act_selection = QAction(self)
        self.act_selection.triggered.connect(lambda: self._user_view(self.map.zoom_to_selection))
        self.act_all = QAction(self)
        self.act_all.triggered.connect(lambda: self._user_view(self.map.zoom_to_all))
        self.act_legend = QAction(self)
        self.act_legend.setCheckable(True)
        self.act_legend.setChecked(True)
        self.act_legend.toggled.connect(self._on_legend_toggled)
        self.act_clusters = QAction(self)
        self.act_clusters.setObjectName("map_clusters")
        self.act_clusters.setCheckable(True)
        self.act_clusters.setChecked(self.map.clustering)
        self.act_clusters.toggled.connect(self.map.set_clustering)
        self.act_labels: dict[BoundaryLevel, QAction] = {}
        for level in BoundaryLevel:
            act = QAction(self)
            act.setCheckable(True)
            act.setChecked(level in self.map.label_levels)
            act.toggled.connect(lambda on, lv=level: self.map.set_label_level(lv, on))
            self.act_labels[level] = act
        self.act_reset = QAction(self)
        self.act_reset.setObjectName("map_reset")
        self.act_reset.triggered.connect(self.reset_map)

        self.basemap_menu = QMenu(self)
        self.basemap_menu.addActions([self.act_no_basemap, self.act_mbtiles, self.act_url])
        self.labels_menu = QMenu(self)
        self.labels_menu.addActions(list(self.act_labels.values()))
        self.basemap_button = self._menu_button(self.basemap_menu, "map_basemap")
        self.labels_button = self._menu_button(self.labels_menu, "map_labels")
        for act in (self.act_jurisdiction, self.act_selection, self.act_all):
            self.toolbar.addAction(act)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.basemap_button)
        self.toolbar.addAction(self.act_geojson)
        self.toolbar.addWidget(self.labels_button)
        for act in (self.act_clusters, self.act_legend):
            self.toolbar.addAction(act)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.act_reset)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.loading_bar)
        layout.addWidget(self.map, 1)
        self.retranslate()

        # Until the user moves the map, a resize (the dock layout settling) re-opens it on the
        # jurisdiction (or the saved view), so the home view fits the dock's final size.
        self.map.user_interacted.connect(self._on_user_interacted)
        self.map.view_resized.connect(self._on_view_resized)
        self.map.item_selected.connect(self._on_map_selected)
        self.map.new_incident_requested.connect(self.new_incident_at)
        self.map.settings_changed.connect(self.save_settings)
        self.map.view_changed.connect(self._on_view_changed)
        ctx.selection.selected.connect(self._on_selected)
        ctx.changes.rows_changed.connect(self._on_rows_changed)
        ctx.changes.tick.connect(self._on_tick)
        ctx.theme.changed.connect(self.map.set_theme)
        # Late boxes by the console's one threshold (the routes panel sets it): redrawn when it moves.
        self.late_setting = late_threshold(ctx)
        self.late_setting.changed.connect(lambda _m: self.refresh(LayerKind.ROUTE))
        # Which sites operate changes at 00:00 and 06:00 KST: the site layers are re-read then.
        self._site_kinds = ELECTION_2025.operating_kinds(ctx.now())

        # The console's settings: given, or carried by the context.
        found = settings if settings is not None else ctx.settings
        if found is not None:
            self.attach_settings(found)
        if geography is not None:
            self._on_geography(geography)
        else:
            self._geo_loader = _GeographyLoader()
            self._geo_loader.loaded.connect(self._on_geography)
            self._geo_loader.failed.connect(lambda msg: self._error(self.tr("Base map not available"), msg))
            self._geo_loader.start()
        for layer in (LayerKind.POLLING, LayerKind.COUNTING, LayerKind.STATION, LayerKind.UNIT,
                      LayerKind.INCIDENT, LayerKind.ROUTE, LayerKind.ALERTS):
            self.refresh(layer)

    def _menu_button(self, menu: QMenu, name: str) -> QtWidgets.QToolButton:
        button = QtWidgets.QToolButton()
        button.setObjectName(name)
        button.setMenu(menu)
        button.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def retranslate(self) -> None:
        self.basemap_button.setText(self.tr("Base map"))
        self.basemap_button.setToolTip(self.tr("The raster map under the boundaries"))
        self.act_no_basemap.setText(self.tr("None (boundaries only)"))
        self.labels_button.setText(self.tr("Labels"))
        self.labels_button.setToolTip(self.tr("Which area names the map shows"))
        self.act_labels[BoundaryLevel.PROVINCE].setText(self.tr("Province names (시도)"))
        self.act_labels[BoundaryLevel.DISTRICT].setText(self.tr("District names (시군구)"))
        self.act_labels[BoundaryLevel.TOWN].setText(self.tr("Town names (읍면동)"))
        self.act_clusters.setText(self.tr("Clusters"))
        self.act_clusters.setToolTip(self.tr("Zoomed out, gather polling stations, units and incidents into "
                                             "numbered clusters (code 0 and 1 incidents stay shown)"))
        self.act_reset.setText(self.tr("Reset map"))
        self.act_reset.setToolTip(self.tr("Back to the map's defaults: every layer and label on, clusters "
                                          "on, no raster base map, the view on the jurisdiction"))
        self.act_mbtiles.setText(self.tr("Open MBTiles…"))
        self.act_mbtiles.setToolTip(self.tr("Show a raster base map from an MBTiles file"))
        self.act_url.setText(self.tr("Tile server…"))
        self.act_url.setToolTip(self.tr("Show raster tiles from an XYZ tile server; tiles seen once stay "
                                        "available offline"))
        self.act_geojson.setText(self.tr("Open GeoJSON…"))
        self.act_geojson.setToolTip(self.tr("Draw a GeoJSON file as an overlay"))
        self.act_jurisdiction.setText(self.tr("Jurisdiction"))
        self.act_jurisdiction.setToolTip(self.tr("Zoom to the station jurisdictions"))
        self.act_selection.setText(self.tr("Selection"))
        self.act_selection.setToolTip(self.tr("Zoom to the selected item"))
        self.act_all.setText(self.tr("All"))
        self.act_all.setToolTip(self.tr("Zoom to everything on the map (Home)"))
        self.act_legend.setText(self.tr("Legend"))

    def changeEvent(self, event: Any) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            # The points' tooltips (titles, categories, statuses) are worded when loaded.
            for layer in list(self.loaded_layers):
                if layer != LayerKind.JURISDICTION:
                    self.refresh(layer)
        super().changeEvent(event)

    def _on_user_interacted(self) -> None:
        self.user_moved = True

    def _on_view_resized(self) -> None:
        if self.homed and not self.user_moved:
            QTimer.singleShot(0, self._rehome)

    def _rehome(self) -> None:
        if self.user_moved:
            return
        if self.saved_view is not None:
            self.map.set_view_state(*self.saved_view)
        else:
            self.map.zoom_to_jurisdiction()

    def _user_view(self, move: Any) -> None:
        """A toolbar zoom: the user chose this view (kept, and saved as theirs)."""
        self.user_moved = True
        move()

    # -- geography ------------------------------------------------------------------------------
    def _on_geography(self, geo: BaseGeography) -> None:
        self.map.set_geography(geo)
        self.refresh(LayerKind.JURISDICTION)

    # -- reading the replica (on the worker) -------------------------------------------------------
    def refresh(self, layer: str, ids: set[str] | None = None) -> None:
        """Re-read one layer (or only `ids` of it); one read per layer in flight, changes that
        arrive meanwhile are merged and read when it returns."""
        if layer in self._loading:
            if ids is None or self._dirty.get(layer, set()) is None:
                self._dirty[layer] = None
            else:
                self._dirty.setdefault(layer, set()).update(ids)  # type: ignore[union-attr]
            return
        replica, now = self.ctx.replica, self.ctx.now()
        work = self._reader(layer, replica, now, ids)
        if work is None:
            return
        self._loading.add(layer)
        self.ctx.ops.query(work, lambda result: self._apply(layer, ids, result), key=f"map:{layer}",
                           on_error=lambda exc: self._read_failed(layer, exc))

    def _reader(self, layer: str, replica: Any, now: Any, ids: set[str] | None) -> Any:
        known = self._route_ends if ids is not None else None
        return layer_reader(layer, replica, now, ids, late=self.late_setting.threshold, drawn_ends=known,
                            geography=self.map.geography)

    def _apply(self, layer: str, ids: set[str] | None, result: tuple[Any, list[str] | None]) -> None:
        self._loading.discard(layer)
        data, gone = result
        if layer == LayerKind.ROUTE:
            if data is not None:
                routes, self._route_ends = data
                self.map.set_routes(routes)
        elif layer == LayerKind.ALERTS:
            self.map.set_external_alerts(data)
        elif layer == LayerKind.JURISDICTION:
            self.map.set_jurisdictions(data)
            if data and not self.homed:
                # The first outlines in scope (they may come after the snapshot, not with the
                # first read): open on the user's own area, not on the whole country.
                self.homed = self.map.zoom_to_jurisdiction()
        elif ids is None:
            self.map.apply_batch(layer, whole=data)
        else:
            self.map.apply_batch(layer, changed=data, removed=gone or ())
        self.loaded_layers.add(layer)
        if layer in self._dirty:
            self.refresh(layer, self._dirty.pop(layer))

    def _read_failed(self, layer: str, exc: BaseException) -> None:
        self._loading.discard(layer)
        self.ctx.ops.failed.emit(self.tr("The map could not be read"), f"{layer}: {exc}")

    def _on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        for kind, changed in changes.items():
            for layer in maprows.LAYERS_OF_KIND.get(K(kind), ()):
                if layer == LayerKind.ROUTE and K(kind) in ROUTE_END_KINDS:
                    # Routes are read again only if a changed site moved, was renamed, came or
                    # went (checked on the worker): the morning's openings would otherwise
                    # re-read and redraw every route several times a second.
                    self.refresh(layer, {f"{K(kind).value}:{i}" for i in changed}
                                 if self._route_ends is not None else None)
                    continue
                partial = (layer not in (LayerKind.ROUTE, LayerKind.JURISDICTION, LayerKind.ALERTS)
                           and len(changed) <= PARTIAL_LIMIT)
                self.refresh(layer, set(changed) if partial else None)

    def _on_tick(self) -> None:
        self._ticks += 1
        # Only a box on the way becomes late with time: with none moving (the whole morning) the
        # national routes were re-read for nothing, a 300 ms hold of the worker and its lock.
        if (self._ticks % ROUTE_REFRESH_TICKS == 0 and self.isVisible()
                and RouteDisplayState.MOVING.value in self.map.route_layer().states):
            self.refresh(LayerKind.ROUTE)
        if self._ticks % ALERT_REFRESH_TICKS == 0 and self.isVisible():
            self.refresh(LayerKind.ALERTS)  # an alert leaves the map when it expires
        kinds = ELECTION_2025.operating_kinds(self.ctx.now())
        if kinds != self._site_kinds:
            self._site_kinds = kinds
            self.refresh(LayerKind.POLLING)
            self.refresh(LayerKind.COUNTING)

    # -- selection ------------------------------------------------------------------------------------
    def _on_map_selected(self, layer: str, id: str) -> None:
        kind = maprows.RECORD_KIND_OF_LAYER.get(layer)
        if kind is not None:
            self._selecting = True
            try:
                self.ctx.selection.select(kind, id)
            finally:
                self._selecting = False

    def _on_selected(self, kind: str, id: str) -> None:
        layer = maprows.LAYER_OF_RECORD_KIND.get(kind)
        if layer is None or self._selecting:
            return  # the map's own click coming back: don't move the view under the user
        # Pan only to bring the item into view: one already on screen is highlighted where it
        # is, so the home view (the jurisdiction) stays put when the queue selects its first row.
        pos = self.map.item_position(layer, id)
        self.map.select(layer, id, centre=pos is None or not self._well_inside(*pos))

    def _well_inside(self, x: float, y: float, margin: float = 0.1) -> bool:
        b = self.map.view_bounds()
        mx, my = (b.xmax - b.xmin) * margin, (b.ymax - b.ymin) * margin
        return b.xmin + mx <= x <= b.xmax - mx and b.ymin + my <= y <= b.ymax - my

    # -- new incident ---------------------------------------------------------------------------------
    def new_incident_at(self, lat: float, lon: float, district: str, town: str) -> None:
        """'New incident here': the incident panel's form, with the place filled in from the map."""
        self.ctx.selection.request_create(K.INCIDENT.value, {
            "lat": lat, "lon": lon, "place": " ".join(p for p in (district, town) if p),
            "district": district, "town": town})

    def _error(self, title: str, message: str) -> None:
        """A non-blocking message box: the map keeps working behind it."""
        self.last_error = message
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("map_error")
        box.open()
        self.message_box = box


def build(ctx: PanelContext) -> QWidget:
    return MapPanel(ctx)


PANEL = PanelSpec(
    object_name="map",
    title=QT_TRANSLATE_NOOP("Panels", "Map"),
    area="right",
    factory=build,
    order=5,
)
