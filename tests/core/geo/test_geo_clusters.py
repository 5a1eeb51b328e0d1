"""Grid clustering of map points: counts, urgency, pinned points, splitting as the map zooms in."""

from __future__ import annotations

import numpy as np
import pytest

from console.geo.cluster import (
    CELL_PX,
    cell_metres,
    cluster_level,
    count_label,
    grid_clusters,
    inside_cells,
    no_clusters,
    zoom_into,
)


def scatter(n: int, seed: int = 1, spread: float = 300_000.0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return 14_100_000 + rng.random(n) * spread, 4_500_000 + rng.random(n) * spread


def test_a_level_keeps_cells_between_one_and_two_cell_widths_on_screen() -> None:
    for res in (1.0, 3.7, 20.0, 100.0, 700.0, 1024.0, 1025.0):
        on_screen = cell_metres(cluster_level(res)) / res
        assert CELL_PX <= on_screen < 2 * CELL_PX + 1e-9


def test_every_point_is_in_one_cluster_or_shown_and_counts_add_up() -> None:
    x, y = scatter(5000)
    c = grid_clusters(x, y, cluster_level(100.0))  # cells of 6 km: many points alone in theirs
    alone = np.flatnonzero(c.member < 0)
    assert 0 < len(c) < 2500 and len(alone) > 100
    assert int(c.count.sum()) + len(alone) == 5000
    assert set(c.shown.tolist()) == set(alone.tolist())
    for i in range(len(c)):
        m = c.members(i)
        assert len(m) == c.count[i] >= 2
        assert c.x[i] == pytest.approx(x[m].mean()) and c.y[i] == pytest.approx(y[m].mean())
        assert c.bounds(i) == pytest.approx((x[m].min(), y[m].min(), x[m].max(), y[m].max()))
        # every member in the same grid cell
        cell = cell_metres(c.level)
        assert len(set(np.floor(x[m] / cell))) == 1 and len(set(np.floor(y[m] / cell))) == 1


def test_a_cluster_carries_its_most_urgent_rank() -> None:
    x = np.array([0.0, 10.0, 20.0, 5000.0, 5010.0])
    y = np.zeros(5)
    rank = np.array([3, 0, 4, 2, 2])
    c = grid_clusters(x, y, level=6, rank=rank)  # cells of 3 km
    assert sorted(zip(c.count.tolist(), c.rank.tolist(), strict=True)) == [(2, 2), (3, 0)]


def test_pinned_points_stay_shown_and_still_count_in_their_cluster() -> None:
    x = np.array([0.0, 10.0, 20.0])
    y = np.zeros(3)
    c = grid_clusters(x, y, level=6, rank=[4, 0, 4], pinned=[False, True, False])
    assert len(c) == 1 and c.count[0] == 3 and c.rank[0] == 0
    assert c.shown.tolist() == [1]
    assert c.member.tolist() == [0, 0, 0]


def test_zooming_in_splits_clusters_into_those_of_the_quarter_cells() -> None:
    x, y = scatter(14_295, seed=3)
    coarse = grid_clusters(x, y, cluster_level(800.0))
    fine = grid_clusters(x, y, coarse.level - 1)
    finer = grid_clusters(x, y, coarse.level - 4)
    assert len(coarse) < len(fine) < len(finer)
    # nesting: points together at the fine level were together at the coarse one
    for i in range(len(fine)):
        parents = set(coarse.member[fine.members(i)].tolist())
        assert len(parents) == 1
    # far enough in, the points stand alone
    alone = grid_clusters(x, y, 0)
    assert len(alone.shown) > 0.9 * len(x)


def test_the_grid_is_fixed_to_the_map_not_to_the_data() -> None:
    # (so a cluster stays put while the map pans, and a point added far away changes no other)
    x, y = scatter(2000)
    a = grid_clusters(x, y, 12)
    b = grid_clusters(np.concatenate([x, [x.max() + 5_000_000]]), np.concatenate([y, [y.min() - 5_000_000]]), 12)
    assert sorted(zip(a.x.round(3), a.count, strict=True)) == sorted(
        (xx, n) for xx, n in zip(b.x.round(3), b.count, strict=True))


def test_empty_and_unclustered() -> None:
    assert len(grid_clusters([], [], 5)) == 0
    c = no_clusters(4)
    assert len(c) == 0 and c.shown.tolist() == [0, 1, 2, 3] and (c.member == -1).all()


def test_zoom_into_opens_at_least_two_times_closer() -> None:
    x0, y0, x1, y1 = zoom_into((0.0, 0.0, 1000.0, 500.0), view_span=100_000.0)
    assert x1 - x0 == pytest.approx(1300.0) and (x0 + x1) / 2 == 500.0 and (y0 + y1) / 2 == 250.0
    # members spread over more than the view: still at least twice closer
    x0, _, x1, _ = zoom_into((0.0, 0.0, 90_000.0, 90_000.0), view_span=100_000.0)
    assert x1 - x0 == pytest.approx(50_000.0)
    # all at one spot: not closer than the map allows
    x0, _, x1, _ = zoom_into((5.0, 5.0, 5.0, 5.0), view_span=2000.0, min_span=300.0)
    assert x1 - x0 == pytest.approx(300.0)


def test_count_labels() -> None:
    assert [count_label(n) for n in (2, 999, 1000, 1234, 9960, 14_295)] == ["2", "999", "1k", "1.2k", "10k", "14k"]


def test_badges_kept_inside_their_cells_never_overlap() -> None:
    # a city on the corner of four cells: four clusters whose centroids crowd the corner
    rng = np.random.default_rng(5)
    level = 10
    cell = cell_metres(level)
    x = cell * 300 + rng.normal(0, 3000, 4000)
    y = cell * 90 + rng.normal(0, 3000, 4000)
    c = grid_clusters(x, y, level)
    assert len(c) == 4
    radius = np.full(len(c), 20 * 2.0 ** level)  # 20 px at the level's coarsest resolution
    bx, by = inside_cells(c, radius)
    for i in range(4):
        for j in range(i + 1, 4):
            assert np.hypot(bx[i] - bx[j], by[i] - by[j]) >= radius[i] + radius[j] - 1e-6
        # moved only as far as needed: still in its own cell, towards its points
        assert np.floor(bx[i] / cell) == np.floor(c.x[i] / cell)
