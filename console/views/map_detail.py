"""What the map shows at each zoom: the bands national / provincial / station, and per band the
boundary lines, area names, routes, jurisdiction outlines and roll-up badges drawn (no Qt).

Resolutions are Mercator metres per screen pixel. South Korea fills a 1280-pixel view at about
900 m/px; a province (경기도, 150 km) about 150-250 m/px; a station's 시군구 (20 km) 20-40 m/px.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from console.geo.boundaries import LOD_TOLERANCES, BoundaryLevel

# Coarser than this: the national band (provinces and their roll-up badges).
NATIONAL_ABOVE = 300.0
# Finer than this: the station band (읍면동 names; their lines below TOWN_LINES_BELOW).
STATION_BELOW = 45.0
# 읍면동 lines only this close in: a city's towns are 1-2 km across, 40 px and more from here.
TOWN_LINES_BELOW = 30.0
# Closer in than this, every point is drawn on its own; further out, the layers that cluster do.
CLUSTER_ABOVE = 50.0
# More station jurisdictions than this (a provincial or national HQ): their outlines are the
# 시군구 lines again, drawn in the jurisdiction colour over the whole country; only at station
# zoom are they worth their ink.
FEW_JURISDICTIONS = 30
MINE = 3  # a station's own jurisdiction (and a neighbour's it covers): drawn at every zoom
# Routes zoomed out: 14,000 spokes are ink, not news. Nationally the late boxes are the news; in a
# province the boxes on the way too; waiting and arrived routes (the plan, and the done) at
# station zoom.
NATIONAL_ROUTE_STATES = frozenset({"late"})
PROVINCIAL_ROUTE_STATES = frozenset({"moving", "late"})
# A boundary line may stray this many pixels from the true one: context lines, and the simplified
# levels of detail a third of the vertices to draw of the ones within two pixels.
LOD_PIXELS = 4.0
# At national zoom these point layers are read from the province roll-ups (their code 0 and 1
# incidents still drawn and pulsing): 18,000 sites and their clusters buried the provinces' names.
ROLLED_UP_LAYERS = frozenset({"polling_station", "incident", "unit"})


class ZoomBand(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    STATION = "station"


@dataclass(frozen=True)
class MapDetail:
    """What one view draws."""

    band: ZoomBand
    boundary_lines: frozenset[BoundaryLevel]
    label_levels: frozenset[BoundaryLevel]  # before the user's own choice of label levels
    route_states: frozenset[str] | None  # None: every state
    rollups: bool  # the roll-up badge per province
    rolled_up: frozenset[str] = frozenset()  # point layers shown only as the roll-ups (and urgent)


def zoom_band(resolution: float) -> ZoomBand:
    if resolution >= NATIONAL_ABOVE:
        return ZoomBand.NATIONAL
    if resolution >= STATION_BELOW:
        return ZoomBand.PROVINCIAL
    return ZoomBand.STATION


def map_detail(resolution: float) -> MapDetail:
    band = zoom_band(resolution)
    P, D, T = BoundaryLevel.PROVINCE, BoundaryLevel.DISTRICT, BoundaryLevel.TOWN
    if band is ZoomBand.NATIONAL:
        return MapDetail(band, frozenset({P}), frozenset({P}), NATIONAL_ROUTE_STATES, True, ROLLED_UP_LAYERS)
    if band is ZoomBand.PROVINCIAL:
        return MapDetail(band, frozenset({P, D}), frozenset({P, D}), PROVINCIAL_ROUTE_STATES, False)
    lines = {P, D, T} if resolution < TOWN_LINES_BELOW else {P, D}
    return MapDetail(band, frozenset(lines), frozenset({D, T}), None, False)


def jurisdictions_shown(count: int, resolution: float) -> bool:
    """Whether the station jurisdiction outlines are drawn: a station's own always; a province's
    few closer in than the national view; an HQ's many at station zoom only."""
    if count <= MINE:
        return True
    if count <= FEW_JURISDICTIONS:
        return resolution < NATIONAL_ABOVE
    return resolution < STATION_BELOW


def boundary_lod(level: BoundaryLevel, resolution: float) -> int:
    """The coarsest level of detail of `level` whose error stays within LOD_PIXELS at `resolution`."""
    tolerances = LOD_TOLERANCES[level]
    for i, tol in enumerate(tolerances):
        if tol <= LOD_PIXELS * resolution:
            return i
    return len(tolerances) - 1
