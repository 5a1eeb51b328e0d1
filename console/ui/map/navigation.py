"""The map's navigation: the view in Mercator metres, its resolution and zoom, pans, zooms and
the "zoom to" moves (all, jurisdiction, province, item, cluster)."""

from __future__ import annotations

from console.geo.boundaries import BoundaryLevel
from console.geo.cluster import zoom_into
from console.geo.mercator import to_lonlat, to_mercator
from console.geo.tiles import Bounds, metres_per_pixel, zoom_for_resolution
from console.ui.map.data import LayerKind
from console.ui.map.layer_stack import LayerStack
from console.ui.map.line_layers import JurisdictionLayer
from console.ui.map.point_layer import PointLayer

# South Korea with some sea around it, the view "zoom to all" falls back to.
KOREA_LONLAT = Bounds(124.4, 33.0, 131.0, 38.7)
# How far the map may be panned and zoomed out (lon/lat), and in (Mercator metres across).
LIMIT_LONLAT = Bounds(116.0, 28.0, 140.0, 44.0)
MIN_SPAN = 300.0
# Layer priority for clicks that hit several symbols: the first wins a tie.
HIT_ORDER = (LayerKind.INCIDENT, LayerKind.UNIT, LayerKind.COUNTING, LayerKind.STATION, LayerKind.POLLING,
             LayerKind.ROUTE)


def merc_bounds(b: Bounds) -> Bounds:
    x0, y0 = to_mercator(b.xmin, b.ymin)
    x1, y1 = to_mercator(b.xmax, b.ymax)
    return Bounds(x0, y0, x1, y1)


class Navigation(LayerStack):
    """Where the map looks; MapView adds the input and hit-testing."""

    selected: tuple[str, str] | None

    def item_position(self, kind: str, id_: str) -> tuple[float, float] | None:
        raise NotImplementedError

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

    def zoom_to_province(self, code: str) -> bool:
        """Open a province from its roll-up badge: its name's anchor, provincial zoom."""
        geo = self.geography
        if geo is None:
            return False
        lab = geo.labels[BoundaryLevel.PROVINCE]
        if code not in lab.codes:
            return False
        i = lab.codes.index(code)
        half = 100_000.0
        x, y = float(lab.x[i]), float(lab.y[i])
        self.set_view(Bounds(x - half, y - half, x + half, y + half), padding=0)
        return True

    def zoom_to_all(self) -> None:
        boxes = [b for b in (self._layers[k].bounds() for k in HIT_ORDER if k in self._layers)
                 if b is not None]
        if not boxes:
            self.set_view(merc_bounds(KOREA_LONLAT))
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
