"""Map symbology as data: colours per theme and the symbol of every layer state, for drawing and legend."""

from __future__ import annotations

from dataclasses import dataclass

from console.domain.election import RouteDisplayState
from console.domain.incidents import PriorityCode
from console.domain.units import UnitStatus, UnitType
from console.ui.labels import label
from console.ui.qt import QT_TRANSLATE_NOOP, QCoreApplication
from console.views import map_rows


@dataclass(frozen=True)
class MapPalette:
    name: str
    background: str
    province: str
    district: str
    town: str
    label: str
    label_halo: str
    jurisdiction: str
    accent: str  # selection ring
    text: str
    muted: str
    overlay: str


DARK_MAP = MapPalette(
    name="dark", background="#0b1119", province="#8aa0bd", district="#56698a", town="#334257",
    label="#dfe6f0", label_halo="#0b1119", jurisdiction="#e599f7", accent="#ffffff",
    text="#e6e9ef", muted="#8b95a7", overlay="#38d9a9",
)
LIGHT_MAP = MapPalette(
    name="light", background="#f4f1ea", province="#3d4a63", district="#8391a6", town="#b4bcc8",
    label="#1b2433", label_halo="#f4f1ea", jurisdiction="#862e9c", accent="#000000",
    text="#111827", muted="#5b6472", overlay="#087f5b",
)
MAP_PALETTES = {p.name: p for p in (DARK_MAP, LIGHT_MAP)}


@dataclass(frozen=True)
class PointStyle:
    """How points of one state look. Colours are per theme: (dark, light)."""

    key: str
    text: str  # legend text (source; translated in context "MapLegend", or a ready label)
    symbol: str  # pyqtgraph symbol name
    size: float
    fill: tuple[str, str]
    outline: tuple[str, str]
    outline_width: float = 1.0
    halo: bool = False  # urgent: pulsing halo
    z: float = 0.0  # drawing order inside the layer
    translated: bool = False

    def fill_for(self, theme: str) -> str:
        return self.fill[0] if theme == "dark" else self.fill[1]

    def outline_for(self, theme: str) -> str:
        return self.outline[0] if theme == "dark" else self.outline[1]

    def legend_text(self) -> str:
        if self.translated:
            return self.text
        return " · ".join(QCoreApplication.translate("MapLegend", part) for part in self.text.split("|"))


@dataclass(frozen=True)
class LineStyle:
    key: str
    text: str
    colour: tuple[str, str]
    width: float
    z: float = 0.0

    def colour_for(self, theme: str) -> str:
        return self.colour[0] if theme == "dark" else self.colour[1]

    def legend_text(self) -> str:
        return QCoreApplication.translate("MapLegend", self.text)


EDGE = ("#0b1119", "#ffffff")

# Polling stations: shape by kind (election day circle, early voting square), colour by state.
POLLING_STATES = (map_rows.CLOSED, map_rows.OPEN, map_rows.UNDERSTAFFED)  # the states map_rows gives
POLLING_STYLES: dict[str, PointStyle] = {}
# (QT_TRANSLATE_NOOP spelled out: lupdate does not follow an alias)
for _kind, _sym, _kind_text in (
        ("election_day", "o", QT_TRANSLATE_NOOP("MapLegend", "Polling station (election day)")),
        ("early_voting", "s", QT_TRANSLATE_NOOP("MapLegend", "Early-voting station"))):
    for _state, _fill, _state_text in (
        (map_rows.CLOSED, ("#6b7687", "#9aa3b0"), QT_TRANSLATE_NOOP("MapLegend", "not open")),
        (map_rows.OPEN, ("#3fb950", "#1a7f37"), QT_TRANSLATE_NOOP("MapLegend", "open, officers in place")),
        # short while the station operates that day, open or not yet (console.views.map_rows)
        (map_rows.UNDERSTAFFED, ("#f5d90a", "#b08800"), QT_TRANSLATE_NOOP("MapLegend", "short of officers")),
    ):
        POLLING_STYLES[f"{_kind}:{_state}"] = PointStyle(
            f"{_kind}:{_state}", f"{_kind_text}|{_state_text}", _sym, 6,
            _fill, EDGE, 0.6, z=POLLING_STATES.index(_state))

# Counting stations: guarded, short (both on election day and its night), or not in use that day.
COUNTING_STYLES: dict[str, PointStyle] = {
    map_rows.COUNTING_CLOSED: PointStyle(
        map_rows.COUNTING_CLOSED, QT_TRANSLATE_NOOP("MapLegend", "Counting station, not in use today"),
        "star", 12, ("#6b7687", "#9aa3b0"), EDGE, 0.6, z=-1),
    map_rows.STAFFED: PointStyle(
        map_rows.STAFFED, QT_TRANSLATE_NOOP("MapLegend", "Counting station, guarded"), "star", 16,
        ("#b197fc", "#6741d9"), EDGE, 1.0),
    map_rows.UNDERSTAFFED: PointStyle(
        map_rows.UNDERSTAFFED, QT_TRANSLATE_NOOP("MapLegend", "Counting station, short"), "star", 16,
        ("#f5d90a", "#b08800"), ("#ff4d4f", "#c8102e"), 2.0, z=1),
}

STATION_STYLES: dict[str, PointStyle] = {
    "station": PointStyle("station", QT_TRANSLATE_NOOP("MapLegend", "Police station"), "h", 12,
                          ("#4f8cff", "#1f5fd6"), ("#ffffff", "#ffffff"), 1.2),
}

ROUTE_STYLES: dict[str, LineStyle] = {
    RouteDisplayState.WAITING: LineStyle("waiting", label(RouteDisplayState.WAITING),
                                         ("#56627a", "#aab3c2"), 1.0, 0),
    RouteDisplayState.MOVING: LineStyle("moving", label(RouteDisplayState.MOVING),
                                        ("#4dabf7", "#1c7ed6"), 1.0, 1),
    RouteDisplayState.ARRIVED: LineStyle("arrived", label(RouteDisplayState.ARRIVED),
                                         ("#2f9e44", "#2b8a3e"), 1.0, 0.5),
    RouteDisplayState.LATE: LineStyle("late", label(RouteDisplayState.LATE),
                                      ("#ff4d4f", "#c8102e"), 3.0, 2),
}

UNIT_SYMBOLS: dict[str, str] = {
    UnitType.PATROL_CAR: "t1", UnitType.LOCAL_UNIT: "s", UnitType.MOBILE_UNIT: "d",
    UnitType.MOBILE_PATROL: "t", UnitType.INVESTIGATION: "p", UnitType.INTELLIGENCE: "h",
    UnitType.STRIKE_SQUAD: "star", UnitType.CYBER: "+",
}
UNIT_COLOURS: dict[str, tuple[str, str]] = {
    UnitStatus.AVAILABLE: ("#69db7c", "#2b8a3e"), UnitStatus.DISPATCHED: ("#ffa94d", "#e8590c"),
    UnitStatus.ON_SCENE: ("#f783ac", "#c2255c"), UnitStatus.RETURNING: ("#74c0fc", "#1971c2"),
    UnitStatus.OFF_DUTY: ("#868e96", "#868e96"),
}


def unit_style(key: str) -> PointStyle:
    """Units: shape by type, colour by status; key 'type:status'."""
    utype, _, status = key.partition(":")
    return PointStyle(key, f"{label(UnitType(utype))} · {label(UnitStatus(status))}",
                      UNIT_SYMBOLS.get(utype, "o"), 11, UNIT_COLOURS.get(status, ("#adb5bd", "#495057")),
                      ("#000000", "#000000"), 0.8, translated=True)


UNIT_STYLES: dict[str, PointStyle] = {f"{t}:{s}": unit_style(f"{t}:{s}")
                                      for t in UnitType for s in UnitStatus}

_CODE_FILL = {0: ("#ff1f1f", "#d00000"), 1: ("#ff3b3b", "#e01e1e"), 2: ("#ffa94d", "#e8590c"),
              3: ("#5aa9ff", "#1f5fd6"), 4: ("#adb5bd", "#6c757d")}
_CODE_SIZE = {0: 17, 1: 15, 2: 11, 3: 9, 4: 8}
INCIDENT_STYLES: dict[str, PointStyle] = {}
for _code in PriorityCode:
    _c = int(_code)
    INCIDENT_STYLES[f"{_c}:open"] = PointStyle(
        f"{_c}:open", label(_code), "o", _CODE_SIZE[_c], _CODE_FILL[_c],
        ("#ffffff", "#ffffff") if _c <= 1 else ("#000000", "#000000"), 2.0 if _c <= 1 else 0.8,
        halo=_c <= 1, z=10 - _c, translated=True)
    INCIDENT_STYLES[f"{_c}:closed"] = PointStyle(
        f"{_c}:closed", f"{label(_code)} · " + QCoreApplication.translate("MapLegend", "resolved/closed"),
        "x", 7, _CODE_FILL[_c], _CODE_FILL[_c], 0.5, z=-_c, translated=True)


@dataclass(frozen=True)
class ClusterStyle:
    """How a layer's points look when zoomed out into clusters.

    Each point has a rank from its style (`rank_of`; lower is more urgent); a cluster is filled
    with the colour of its most urgent member's rank (`fills[rank]`, (dark, light)).
    """

    noun: str  # "%1 polling stations": the tooltip's first line (context "MapLegend")
    fills: tuple[tuple[str, str], ...]
    rank_of: dict[str, int]
    shape: str = "circle"  # "circle" | "square"
    rim: tuple[str, str] = ("#ffffff", "#ffffff")

    def rim_for(self, theme: str) -> str:
        return self.rim[0] if theme == "dark" else self.rim[1]

    def rank(self, style_key: str) -> int:
        return self.rank_of.get(style_key, len(self.fills) - 1)

    def fill_for(self, rank: int, theme: str) -> str:
        pair = self.fills[min(max(rank, 0), len(self.fills) - 1)]
        return pair[0] if theme == "dark" else pair[1]


# Polling clusters are plain squares, dark on the dark map and light on the light one: a state
# colour would read as "all open" or "all short" (the tooltip gives the break-down), and they
# must not compete with the incidents' coloured circles.
POLLING_CLUSTER = ClusterStyle(
    noun=QT_TRANSLATE_NOOP("MapLegend", "%1 polling stations"),
    fills=(("#26344a", "#f8f9fa"),),
    rank_of={},
    shape="square",
    rim=("#9fb3cf", "#495057"),
)

UNIT_CLUSTER = ClusterStyle(
    noun=QT_TRANSLATE_NOOP("MapLegend", "%1 units"),
    fills=(("#1d3326", "#ebfbee"),),
    rank_of={},
    shape="square",
    rim=("#69db7c", "#2b8a3e"),
)

# Incident clusters take the colour of the most urgent open code inside (a code 0 makes its
# cluster red); resolved and closed incidents rank after every open one.
CLOSED_RANK = len(_CODE_FILL)
INCIDENT_CLUSTER = ClusterStyle(
    noun=QT_TRANSLATE_NOOP("MapLegend", "%1 incidents"),
    fills=(*(_CODE_FILL[c] for c in sorted(_CODE_FILL)), ("#6b7687", "#9aa3b0")),
    rank_of={**{f"{int(c)}:open": int(c) for c in PriorityCode},
             **{f"{int(c)}:closed": CLOSED_RANK for c in PriorityCode}},
)
