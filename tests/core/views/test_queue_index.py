"""The incident queue over the record index: its numpy filters and sorts give exactly what the
plain-Python definitions give, folded-in changes answer like a fresh index, and an alert goes
only to urgent incidents that arrive new."""

from __future__ import annotations

from dataclasses import replace

import pytest

from console.domain.samples import SAMPLE_NOW, incident_data, many_incidents
from console.views.queue_index import (
    QUEUE_SCHEMA,
    SORT_KEYS,
    Column,
    QueueFilter,
    QueueItem,
    item_from_row,
    most_urgent_first,
    sort_key,
    urgent_arrivals,
)
from console.views.record_index import RecordIndex, RecordQuery, RecordSnapshot

FILTERS = (QueueFilter(), QueueFilter(open_only=True), QueueFilter(codes=frozenset({0, 1})),
           QueueFilter(categories=frozenset({"bribery"}), stations=frozenset({"S11110"})),
           QueueFilter(statuses=frozenset({"new"}), text="polling"), QueueFilter(text="incident 10"),
           QueueFilter(text="no such words"), QueueFilter(stations=frozenset({"no such station"})))


def items_of(rows: list[tuple[str, dict]]) -> dict[str, QueueItem]:
    items = {id: item_from_row(id, data) for id, data in rows}
    return {id: item for id, item in items.items() if item is not None}


def answer(snapshot: RecordSnapshot[QueueItem], flt: QueueFilter, column: Column | None = None,
           descending: bool = False) -> list[QueueItem]:
    query = RecordQuery(flt.mask, most_urgent_first, SORT_KEYS[column] if column is not None else None,
                        descending)
    return [snapshot.items[int(k)] for k in query.positions(snapshot)]


@pytest.fixture(scope="module")
def snapshot_and_items() -> tuple[RecordSnapshot[QueueItem], list[QueueItem]]:
    items = items_of(many_incidents(3000, seed=5))
    snapshot = RecordIndex(QUEUE_SCHEMA).replace(items)
    assert snapshot is not None
    return snapshot, list(items.values())


@pytest.mark.parametrize("column", list(Column))
def test_sort_matches_the_python_key(snapshot_and_items, column: Column) -> None:  # type: ignore[no-untyped-def]
    snapshot, items = snapshot_and_items
    key = sort_key(column)
    got = answer(snapshot, QueueFilter(), column)
    # The same order of the sort keys (ids may differ only within exact ties).
    assert [key(i)[:-1] for i in got] == [key(i)[:-1] for i in sorted(items, key=key)]
    down = [key(i)[0] for i in answer(snapshot, QueueFilter(), column, descending=True)]
    assert down == sorted(down, reverse=True)


def test_filters_match_the_python_predicate(snapshot_and_items) -> None:  # type: ignore[no-untyped-def]
    snapshot, items = snapshot_and_items
    for flt in FILTERS:
        assert {i.id for i in answer(snapshot, flt)} == {i.id for i in items if flt.accepts(i)}
    # unfiltered, the queue's own order: most urgent first, then the oldest
    assert [(i.code, i.created) for i in answer(snapshot, QueueFilter())] == sorted(
        (i.code, i.created) for i in items)


def same_answers(index: RecordIndex[QueueItem], fresh: RecordIndex[QueueItem]) -> None:
    for flt in FILTERS:
        for column in Column:
            key = sort_key(column)
            got, want = answer(index.snapshot(), flt, column), answer(fresh.snapshot(), flt, column)
            assert {i.id for i in got} == {i.id for i in want}
            assert [key(i)[:-1] for i in got] == [key(i)[:-1] for i in want]


def test_changes_folded_in_answer_like_a_fresh_index() -> None:
    items = list(items_of(many_incidents(1200, seed=3)).values())
    index = RecordIndex(QUEUE_SCHEMA)
    index.replace({i.id: i for i in items[:1000]})
    changed: dict[str, QueueItem | None] = {i.id: replace(i, status="closed", code=4) for i in items[:40]}
    changed.update({i.id: i for i in items[1000:1030]})  # new incidents
    changed.update({items[50].id: None, items[51].id: None})  # gone
    changed.update({i.id: replace(i, place="새 장소") for i in items[60:70]})  # a place not ranked yet
    index.update(changed)
    kept = {i.id: i for i in items[:1000]}
    kept.update(changed)  # type: ignore[arg-type]
    fresh = RecordIndex(QUEUE_SCHEMA)
    fresh.replace({id: i for id, i in kept.items() if i is not None})
    same_answers(index, fresh)


def test_an_alert_goes_to_urgent_incidents_that_arrive_new() -> None:
    index = RecordIndex(QUEUE_SCHEMA)
    now = SAMPLE_NOW.timestamp()  # the moment sample rows are made at (not the wall clock)
    before = index.replace(items_of([("old", incident_data("old", code=0))]))
    assert before is not None
    after = index.update({
        **items_of([("zero", incident_data("zero", code=0)), ("one", incident_data("one", code=1)),
                    ("three", incident_data("three", code=3)),
                    ("taken", incident_data("taken", code=0, status="acknowledged"))]),
        "old": replace(before.items[0], title="changed"),  # not an arrival: already there
    })
    assert after is not None
    assert sorted(urgent_arrivals(after, before, now - 600)) == ["one", "zero"]
    assert urgent_arrivals(after, before, now + 600) == []  # created before the window
