"""The queue's numpy index orders and filters exactly like the plain-Python definitions."""

from __future__ import annotations

import pytest

from console.ui.queue_index import Column, QueueFilter, QueueIndex, QueueSort, item_from_row, sort_key
from console.ui.testing import many_incidents

pytestmark = pytest.mark.gui


class _Row:
    def __init__(self, id: str, data: dict) -> None:
        self.id, self.data, self.pending = id, data, False


@pytest.fixture(scope="module")
def index_and_items():  # type: ignore[no-untyped-def]
    rows = [_Row(i, d) for i, d in many_incidents(3000, seed=5)]
    index = QueueIndex()
    index.load(list(rows))
    items = [item_from_row(r.id, r.data) for r in rows]
    return index, [i for i in items if i is not None]


@pytest.mark.parametrize("column", list(Column))
def test_sort_matches_the_python_key(index_and_items, column: Column) -> None:
    index, items = index_and_items
    got = index.view(QueueFilter(), QueueSort(column)).ids
    keyed = sorted(items, key=sort_key(column))
    # Same order of the sort keys (ids may differ only within exact ties).
    key = sort_key(column)
    by_id = {i.id: i for i in items}
    assert [key(by_id[x])[:-1] for x in got] == [key(i)[:-1] for i in keyed]


def test_filters_match_the_python_predicate(index_and_items) -> None:
    index, items = index_and_items
    for flt in (QueueFilter(open_only=True), QueueFilter(codes=frozenset({0, 1})),
                QueueFilter(categories=frozenset({"bribery"}), stations=frozenset({"S11110"})),
                QueueFilter(statuses=frozenset({"new"}), text="polling"), QueueFilter(text="no such words")):
        assert set(index.view(flt, QueueSort()).ids) == {i.id for i in items if flt.accepts(i)}


def test_descending_reverses_and_updates_fold_in() -> None:
    index = QueueIndex()
    index.load([_Row(i, d) for i, d in many_incidents(500, seed=9)])
    up = index.view(QueueFilter(), QueueSort(Column.CODE)).ids
    down = index.view(QueueFilter(), QueueSort(Column.CODE, descending=True)).ids
    assert down == up[::-1]
    gone = up[0]
    fresh = index.update({gone: None})
    assert fresh == [] and gone not in index.view(QueueFilter(), QueueSort()).ids


def _same_views(index: QueueIndex, fresh: QueueIndex) -> None:
    for flt in (QueueFilter(), QueueFilter(open_only=True), QueueFilter(codes=frozenset({4})),
                QueueFilter(text="incident 10")):
        for column in Column:
            order, key = QueueSort(column), sort_key(column)
            got, want = index.view(flt, order), fresh.view(flt, order)
            assert set(got.ids) == set(want.ids)
            # the same order of sort keys (ids may differ only within exact ties)
            assert [key(got.items[x])[:-1] for x in got.ids] == [key(want.items[x])[:-1] for x in want.ids]


def test_changes_folded_into_the_columns_give_the_same_views_as_a_fresh_index() -> None:
    rows = many_incidents(1200, seed=3)
    index = QueueIndex()
    index.load([_Row(i, d) for i, d in rows[:1000]])
    index.view(QueueFilter(), QueueSort())  # builds the columns that the updates then fold into
    changed: dict[str, _Row | None] = {i: _Row(i, {**d, "status": "closed", "code": 4}) for i, d in rows[:40]}
    changed.update({i: _Row(i, d) for i, d in rows[1000:1030]})  # new incidents
    changed.update({rows[50][0]: None, rows[51][0]: None})  # gone
    index.update(changed)
    assert index._cols is not None  # folded in place, not rebuilt
    kept = [r for r in changed.values() if r is not None] + [_Row(i, d) for i, d in rows[40:50] + rows[52:1000]]
    fresh = QueueIndex()
    fresh.load(list(kept))
    _same_views(index, fresh)
    # a place not ranked yet: the columns are rebuilt, and folding in afterwards still agrees
    moved = [_Row(i, {**d, "place": "새 장소"}) for i, d in rows[1030:1040]]
    index.update_rows(list(moved), complete=False)
    assert index._cols is None
    fresh.update_rows(list(moved), complete=False)
    _same_views(index, fresh)
    again = {rows[60][0]: _Row(rows[60][0], {**rows[60][1], "status": "resolved", "code": 4})}
    index.update(again)
    fresh = QueueIndex()
    fresh.load([r for r in kept + moved if r.id not in again] + list(again.values()))
    _same_views(index, fresh)
