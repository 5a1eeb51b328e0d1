"""The map's settings per user (base map, layers, labels, clustering, legend, last view), kept in
the console's QSettings beside the window layout, with a version like it."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from console.geo.boundaries import BoundaryLevel
from console.ui.qt import QSettings

log = logging.getLogger(__name__)

# Bump when a saved state would no longer mean the same: an older one is then ignored.
MAP_SETTINGS_VERSION = 1


@dataclass
class MapSettings:
    """What the user chose on the map. `basemap` is None (boundaries only), {"kind": "mbtiles",
    "path": ...} or {"kind": "url", "url": ...}; `view` is (lon, lat, zoom) or None (the
    jurisdiction); `layers` maps layer names to on/off."""

    basemap: dict[str, str] | None = None
    layers: dict[str, bool] = field(default_factory=dict)
    labels: list[str] = field(default_factory=lambda: [lv.value for lv in BoundaryLevel])
    clusters: bool = True
    legend: bool = True
    view: tuple[float, float, float] | None = None

    def to_json(self) -> str:
        return json.dumps({"basemap": self.basemap, "layers": self.layers, "labels": self.labels,
                           "clusters": self.clusters, "legend": self.legend,
                           "view": list(self.view) if self.view is not None else None},
                          ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> MapSettings:
        """Read a saved state; a field that is missing or malformed keeps its default."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("map settings are not an object")
        out = cls()
        basemap = data.get("basemap")
        if isinstance(basemap, dict) and basemap.get("kind") in ("mbtiles", "url") and all(
                isinstance(v, str) for v in basemap.values()):
            out.basemap = {str(k): str(v) for k, v in basemap.items()}
        layers = data.get("layers")
        if isinstance(layers, dict):
            out.layers = {str(k): bool(v) for k, v in layers.items() if isinstance(v, bool)}
        labels = data.get("labels")
        known = {lv.value for lv in BoundaryLevel}
        if isinstance(labels, list):
            out.labels = [str(lv) for lv in labels if lv in known]
        for name in ("clusters", "legend"):
            if isinstance(data.get(name), bool):
                setattr(out, name, data[name])
        view = data.get("view")
        if (isinstance(view, list) and len(view) == 3 and all(isinstance(v, int | float) for v in view)
                and -180 <= view[0] <= 180 and -85 <= view[1] <= 85 and 0 <= view[2] <= 22):
            out.view = (float(view[0]), float(view[1]), float(view[2]))
        return out

    def label_levels(self) -> set[BoundaryLevel]:
        return {BoundaryLevel(v) for v in self.labels}


class MapSettingsStore:
    """One user's map settings in the console's QSettings (map/<user>/version and /state)."""

    def __init__(self, settings: QSettings, username: str) -> None:
        self.settings = settings
        self.key = f"map/{username}"

    def load(self) -> MapSettings | None:
        """The saved settings; None if there are none, of another version, or unreadable."""
        version = self.settings.value(f"{self.key}/version")
        state = self.settings.value(f"{self.key}/state")
        try:
            if version is None or int(str(version)) != MAP_SETTINGS_VERSION or not isinstance(state, str):
                return None
            return MapSettings.from_json(state)
        except (ValueError, TypeError) as exc:
            log.warning("saved map settings ignored: %s", exc)
            return None

    def save(self, state: MapSettings) -> None:
        self.settings.setValue(f"{self.key}/version", MAP_SETTINGS_VERSION)
        self.settings.setValue(f"{self.key}/state", state.to_json())

    def clear(self) -> None:
        self.settings.remove(self.key)

    def flush(self) -> None:
        self.settings.sync()

