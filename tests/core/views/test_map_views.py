"""The map's Qt-free state: what each zoom band draws, a point layer's batches and clusters, where
names and badges go, and the provinces' roll-ups."""

from __future__ import annotations

import numpy as np
import pytest

from console.geo.boundaries import AreaLabels, BoundaryLevel
from console.geo.labels import place_labels_around
from console.geo.mercator import to_mercator
from console.geo.tiles import Bounds
from console.views.map_detail import ZoomBand, boundary_lod, jurisdictions_shown, map_detail, zoom_band
from console.views.map_labels import choose_labels, place_badges
from console.views.map_points import PointState
from console.views.map_rollup import RegionCounts, province_rollups, provinces_of, rollups_of

P, D, T = BoundaryLevel.PROVINCE, BoundaryLevel.DISTRICT, BoundaryLevel.TOWN


def test_each_zoom_band_draws_its_own_detail() -> None:
    national, provincial, station = map_detail(800), map_detail(150), map_detail(15)
    assert (zoom_band(800), zoom_band(150), zoom_band(15)) == (ZoomBand.NATIONAL, ZoomBand.PROVINCIAL,
                                                                ZoomBand.STATION)
    assert national.boundary_lines == {P} and national.rollups and "polling_station" in national.rolled_up
    assert national.route_states == {"late"}
    assert provincial.boundary_lines == {P, D} and not provincial.rollups and not provincial.rolled_up
    assert provincial.route_states == {"moving", "late"}
    # 읍면동 lines only where a town is tens of pixels across; their names from the station band
    assert T not in map_detail(40).boundary_lines and T in map_detail(40).label_levels
    assert station.boundary_lines == {P, D, T} and station.route_states is None
    # coarser boundaries further out, never coarser than the finest level
    assert boundary_lod(P, 900) < boundary_lod(P, 50) <= boundary_lod(P, 0.1)


def test_an_hq_s_many_jurisdictions_only_at_station_zoom_a_station_s_own_always() -> None:
    assert jurisdictions_shown(1, 900) and jurisdictions_shown(1, 10)
    assert not jurisdictions_shown(20, 900) and jurisdictions_shown(20, 150)
    assert not jurisdictions_shown(259, 150) and jurisdictions_shown(259, 20)


def _state(n: int = 400) -> PointState:
    rng = np.random.default_rng(1)
    x0, y0 = to_mercator(126.98, 37.57)
    keys = ["0:open", "2:open", "3:closed"]
    state = PointState(keys, rank_of={"0:open": 0, "2:open": 2, "3:closed": 5}.__getitem__,
                       urgent=lambda k: k == "0:open", size_of=lambda _k: 10.0)
    x = x0 + rng.normal(0, 20_000, n)
    y = y0 + rng.normal(0, 20_000, n)
    styles = [1] * n
    styles[0] = 0
    state.set_points([f"p{i}" for i in range(n)], x, y, styles, [f"tip {i}" for i in range(n)])
    return state


def test_points_cluster_zoomed_out_the_urgent_and_the_pinned_stay_on_their_own() -> None:
    state = _state()
    assert state.view_changed(800) and len(state.clusters) > 0
    assert state.is_shown("p0") and not state.is_shown("p5")
    assert int(state.clusters.count.sum()) + int((state.clusters.member < 0).sum()) == 400
    assert state.set_pinned("p5") and state.is_shown("p5")
    assert not state.view_changed(800)  # same level: nothing to do
    assert state.view_changed(20) and len(state.clusters) == 0 and len(state.clusters.shown) == 400
    assert state.set_clustering(False) is False  # already every point on its own
    state.view_changed(800)
    assert len(state.clusters) == 0  # clustering off


def test_a_batch_changes_adds_and_removes_points_and_regroups_once() -> None:
    state = _state()
    state.view_changed(800)
    x, y = state.position("p1") or (0.0, 0.0)
    state.upsert(["p1", "new"], np.array([x, x + 10]), np.array([y, y + 10]), [0, 2], ["now urgent", "new"])
    assert state.style_of("p1") == "0:open" and state.style_of("new") == "3:closed"
    assert state.count() == 401 and state.count("0:open") == 2 and state.is_shown("p1")
    assert state.remove(["p1", "missing"]) and state.count() == 400 and state.position("p1") is None
    assert not state.remove(["missing"])
    assert state.style_number("9:open") == (3, True) and state.style_number("2:open") == (1, False)


def test_a_hit_finds_the_nearest_symbol_and_only_urgent_ones_when_rolled_up() -> None:
    state = _state()
    state.view_changed(20)
    x, y = state.position("p3") or (0.0, 0.0)
    hit = state.hit_point(x + 20, y, 10.0, 6.0)  # 2 px from the centre, inside the 10 px symbol
    assert hit is not None and state.ids[hit.index] == "p3" and hit.distance == 0.0
    ux, uy = state.position("p0") or (0.0, 0.0)
    assert np.hypot(ux - x, uy - y) > 500  # the urgent point is far from p3 (50 px at 10 m/px)
    assert state.hit_point(x + 20, y, 10.0, 6.0, urgent_only=True) is None  # rolled up: p3 is not drawn
    ux, uy = state.position("p0") or (0.0, 0.0)
    urgent = state.hit_point(ux, uy, 10.0, 6.0, urgent_only=True)
    assert urgent is not None and state.ids[urgent.index] == "p0"


def _labels() -> dict[BoundaryLevel, AreaLabels]:
    return {P: AreaLabels(["서울특별시", "경기도"], ["11", "41"], np.array([0.0, 50_000.0]),
                          np.array([0.0, 0.0]), np.array([6e8, 1e10])),
            D: AreaLabels(["종로구", "중구"], ["11110", "11140"], np.array([1_000.0, 3_000.0]),
                          np.array([500.0, -500.0]), np.array([2.4e7, 1e7])),
            T: AreaLabels([], [], np.empty(0), np.empty(0), np.empty(0))}


def measure(text: str, font: int) -> tuple[float, float]:
    return 12.0 * len(text), 16.0


def test_names_follow_the_band_and_keep_clear_of_badges_and_the_view_s_edge() -> None:
    view = Bounds(-100_000, -60_000, 100_000, 60_000)
    placed = choose_labels(_labels(), view, 200.0, set(BoundaryLevel), measure)
    assert {p.text for p in placed} == {"서울특별시", "경기도"}  # districts too small at 200 m/px
    # a badge right over Seoul's anchor: the name moves beside it rather than under it
    cx, cy = 100_000 / 200, 60_000 / 200
    badge = (cx - 30, cy - 12, cx + 30, cy + 12)
    seoul = next(p for p in choose_labels(_labels(), view, 200.0, {P}, measure, [badge]) if p.text == "서울특별시")
    px, py = (seoul.x - view.xmin) / 200, (view.ymax - seoul.y) / 200
    w, h = measure("서울특별시", 0)
    assert not (px - w / 2 < badge[2] and badge[0] < px + w / 2 and py - h / 2 < badge[3] and badge[1] < py + h / 2)
    # the user's choice of levels holds: no province names when switched off
    assert not choose_labels(_labels(), view, 200.0, {D}, measure)
    # a name near the view's edge is moved inside it, never cut
    edge = Bounds(49_000, -60_000, 249_000, 60_000)
    gyeonggi = next(p for p in choose_labels(_labels(), edge, 200.0, {P}, measure) if p.text == "경기도")
    assert (gyeonggi.x - edge.xmin) / 200 - measure("경기도", 0)[0] / 2 >= 0
    # station zoom: districts named, provinces not
    close = Bounds(-2_000, -1_500, 4_000, 1_500)
    assert {p.text for p in choose_labels(_labels(), close, 5.0, set(BoundaryLevel), measure)} == {"종로구", "중구"}


def test_labels_try_places_around_their_anchor_before_giving_up() -> None:
    out = place_labels_around([100, 100], [100, 100], [40, 40], [10, 10], [2, 1],
                              offsets=((0, 0), (0, -1)), margin=0)
    assert out == [(0, 100.0, 100.0), (1, 100.0, 90.0)]
    assert place_labels_around([100, 100], [100, 100], [40, 40], [10, 10], [2, 1], margin=0) == [(0, 100.0, 100.0)]


def test_badges_never_overlap_each_other_and_none_is_dropped() -> None:
    sizes = [(120.0, 30.0)] * 5
    where = place_badges([100, 105, 110, 115, 120], [100] * 5, sizes, [5, 4, 3, 2, 1], obstacles=[],
                         avoid=[(90, 90, 130, 110)])
    assert len(where) == 5
    boxes = [(x - 60, y - 15, x + 60, y + 15) for x, y in where.values()]
    overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert not overlaps


def test_a_province_rolls_up_its_open_incidents_worst_code_and_sites() -> None:
    r = province_rollups(["11", "11", "11", "26", ""], ["2:open", "1:open", "0:closed", "3:open", "0:open"],
                         ["11", "11", "11", "26"], ["election_day:open", "early_voting:understaffed",
                                                    "election_day:closed", "election_day:open"])
    assert (r["11"].open_incidents, r["11"].worst_code, r["11"].sites_open, r["11"].sites_short) == (2, 1, 1, 1)
    assert (r["26"].open_incidents, r["26"].worst_code, r["26"].sites_open) == (1, 3, 1)
    assert "" not in r  # a point at sea counts in no province


@pytest.mark.once
def test_a_point_s_province_comes_from_the_province_polygons() -> None:
    # 광화문 (Seoul), 해운대 (Busan), 수원 (Gyeonggi), the Yellow Sea
    assert provinces_of([126.9769, 129.1604, 127.0286, 124.5], [37.5759, 35.1587, 37.2636, 36.0]) == [
        "11", "26", "41", ""]
    assert provinces_of([], []) == []


def test_roll_ups_from_the_layers_arrays_follow_their_batches() -> None:
    keys_inc, keys_site = ["2:open", "0:open", "3:closed"], ["election_day:open", "election_day:understaffed"]
    inc, sites = RegionCounts(), RegionCounts()
    inc.set(["11", "11", "26"])
    sites.set(["11", "26"])
    r = rollups_of(inc, np.array([0, 0, 2]), sites, np.array([0, 1]), keys_inc, keys_site)
    assert (r["11"].open_incidents, r["11"].worst_code, r["11"].sites_open) == (2, 2, 1)
    assert (r["26"].open_incidents, r["26"].sites_short) == (0, 1)
    # a batch: the third incident is now an open code 0 in Seoul, a new one opens in Busan
    inc.upsert([2, None], ["11", "26"])
    r = rollups_of(inc, np.array([0, 0, 1, 0]), sites, np.array([0, 1]), keys_inc, keys_site)
    assert (r["11"].open_incidents, r["11"].worst_code) == (3, 0) and r["26"].open_incidents == 1
    inc.keep(np.array([False, True, True, True]))  # the first one gone
    r = rollups_of(inc, np.array([0, 1, 0]), sites, np.array([0, 1]), keys_inc, keys_site)
    assert r["11"].open_incidents == 2
