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
