"""The record tables' index, model and feed: incremental folding, sorting and filtering, the
selection staying on its record, and reads of the changed ids only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from record_tables import CountingReplica

from console.domain.records import RecordKind
from console.ui.qt import Qt
from console.ui.record_feed import KindSource, RecordFeed
from console.ui.record_model import RecordColumn, RecordTableModel
from console.ui.widgets import record_view
from console.views.record_index import RecordIndex, RecordSchema, RecordSnapshot, lexorder

pytestmark = pytest.mark.gui
K = RecordKind


@dataclass(frozen=True)
class Thing:
    id: str
    name: str
    size: float


SCHEMA: RecordSchema[Thing] = RecordSchema(numbers={"size": lambda t: t.size}, texts={"name": lambda t: t.name},
                                           search=lambda t: f"{t.name} {t.id}".lower())


def things(*specs: tuple[str, str, float]) -> dict[str, Thing]:
    return {id: Thing(id, name, size) for id, name, size in specs}


def names_in_order(s: RecordSnapshot[Thing], keys: tuple[np.ndarray, ...]) -> list[str]:
    return [s.items[int(k)].name for k in lexorder(s.all(), *keys)]


def test_index_folds_changes_into_new_arrays_and_keeps_old_snapshots() -> None:
    index = RecordIndex(SCHEMA)
    first = index.replace(things(("a", "delta", 3), ("b", "alpha", 1), ("c", "charlie", 2)))
    assert first is not None and first.changed is None and len(first) == 3
    assert names_in_order(first, (first.rank("name"),)) == ["alpha", "charlie", "delta"]

    # A name not ranked yet ("bravo") lands in its sorted place; a removed id is gone.
    second = index.update({"a": Thing("a", "bravo", 3), "c": None, "d": Thing("d", "echo", 0)})
    assert second is not None and second.changed == {"a", "c", "d"}
    assert names_in_order(second, (second.rank("name"),)) == ["alpha", "bravo", "echo"]
    assert second.item("c") is None and second.item("d") == Thing("d", "echo", 0)
    assert names_in_order(second, (second.number("size"),)) == ["echo", "alpha", "bravo"]
    # The first snapshot, perhaps still on screen, did not change under its reader.
    assert names_in_order(first, (first.rank("name"),)) == ["alpha", "charlie", "delta"]
    assert first.item("a") == Thing("a", "delta", 3)

    # Nothing new: no snapshot; a complete set folds in only what differs.
    assert index.update({"b": Thing("b", "alpha", 1)}) is None
    third = index.replace({**{id: t for id, t in index.items()}, "b": Thing("b", "alpha", 5)})
    assert third is not None and third.changed == {"b"}
    assert third.totals_by("name", third.number("size")) == {"alpha": 5.0, "bravo": 3.0, "echo": 0.0}
    mask = third.matching("ECHO")
    assert mask is not None and [third.items[int(k)].id for k in np.flatnonzero(mask)] == ["d"]


def make_model(qtbot) -> tuple[RecordTableModel[Thing], Any]:  # type: ignore[no-untyped-def]
    model: RecordTableModel[Thing] = RecordTableModel("Test", [
        RecordColumn("Name", lambda t: t.name, "name"),
        RecordColumn("Size", lambda t: f"{t.size:g}", "size", colour=lambda t: "code0" if t.size > 5 else None),
    ], row_colour=lambda t: "overdue_bg" if t.size > 5 else None)
    view = record_view("things", model, sortable=True)
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    return model, view


def column(model: RecordTableModel[Thing], col: int = 0) -> list[str]:
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_model_sorts_filters_and_keeps_the_selection_on_its_record(qtbot) -> None:  # type: ignore[no-untyped-def]
    model, view = make_model(qtbot)
    index = RecordIndex(SCHEMA)
    model.set_order(lambda s, positions: lexorder(positions, -s.number("size")))  # biggest first
    snapshot = index.replace(things(("a", "alpha", 1), ("b", "bravo", 3), ("c", "charlie", 2)))
    assert snapshot is not None
    model.set_snapshot(snapshot)
    assert column(model) == ["bravo", "charlie", "alpha"]

    view.select_id("c")
    assert view.selected_id() == "c"
    # Header sort: ascending, descending, then back to the model's own order.
    view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    assert column(model) == ["alpha", "bravo", "charlie"]
    assert view.selected_id() == "c" and view.currentRow() == 2
    view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    assert column(model) == ["charlie", "bravo", "alpha"]
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    assert column(model) == ["bravo", "charlie", "alpha"]

    # An incremental change: the new value shows, the order follows, the selection stays put.
    changed = index.update({"a": Thing("a", "alpha", 9)})
    assert changed is not None
    model.set_snapshot(changed)
    assert column(model) == ["alpha", "bravo", "charlie"]
    assert column(model, 1)[0] == "9"
    assert model.index(0, 1).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert view.selected_id() == "c" and view.item(view.currentRow(), 0).text() == "charlie"

    # A filter: rows leave and come back; the selected record is unselected while filtered out.
    model.set_filter(lambda s: s.number("size") >= 3)
    assert column(model) == ["alpha", "bravo"] and view.rowCount() == 2
    assert view.selected_id() is None
    model.set_filter(None)
    assert column(model) == ["alpha", "bravo", "charlie"]
    assert view.selected_id() == "c"  # selected again once it shows again
    # A row removed by a change disappears.
    gone = index.update({"b": None})
    assert gone is not None
    model.set_snapshot(gone)
    assert column(model) == ["alpha", "charlie"]


def test_a_model_with_a_runner_shows_the_answers_it_gets_back(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A large table's query is evaluated elsewhere (the incident queue: on the database worker):
    nothing moves until the answer is back, and an answer that skips older ones still shows
    every change they carried."""
    asked: list[tuple[Any, Any]] = []
    model: RecordTableModel[Thing] = RecordTableModel("Test", [RecordColumn("Name", lambda t: t.name, "name")],
                                                      runner=lambda fn, done: asked.append((fn, done)))

    def answer(k: int = -1) -> None:
        fn, done = asked[k]
        done(fn())

    index = RecordIndex(SCHEMA)
    first = index.replace(things(("a", "alpha", 1), ("b", "bravo", 3)))
    assert first is not None
    model.set_snapshot(first)
    assert model.rowCount() == 0 and len(asked) == 1
    answer()
    assert column(model) == ["alpha", "bravo"] and model.item("a") == Thing("a", "alpha", 1)

    second = index.update({"a": Thing("a", "able", 1)})
    third = index.update({"b": Thing("b", "baker", 3), "c": Thing("c", "charlie", 2)})
    assert second is not None and third is not None
    model.set_snapshot(second)
    model.set_snapshot(third)
    model.set_filter(lambda s: s.number("size") >= 2)
    assert column(model) == ["alpha", "bravo"]  # still the answer last shown
    answer()  # only the newest: the changes of `second` re-formatted too
    assert column(model) == ["baker", "charlie"] and model.snapshot is third
    model.set_filter(None)
    answer()
    assert column(model) == ["able", "baker", "charlie"]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    answer()
    assert column(model) == ["charlie", "baker", "able"]


def test_feed_reads_everything_once_then_only_the_changed_ids(qtbot, panel_ctx) -> None:  # type: ignore[no-untyped-def]
    from console.ui.testing import make_context

    replica = CountingReplica()
    replica.put_many(K.UNIT, [(f"u{i}", {"name": f"unit {i}", "size": i}) for i in range(50)])
    ctx = make_context(replica)
    got: list[RecordSnapshot[Thing]] = []
    source = KindSource(K.UNIT, lambda r: Thing(r.id, r.data["name"], r.data["size"]), SCHEMA)
    feed = RecordFeed(ctx, source, got.append, error_title=lambda: "failed")
    try:
        feed.load()
        qtbot.waitUntil(lambda: len(got) == 1)
        assert len(got[0]) == 50 and replica.full_reads == {K.UNIT: 1}
        replica.put(K.UNIT, "u7", {"name": "unit 7", "size": 70})
        replica.put(K.UNIT, "u8", {"name": "unit 8", "size": 8})  # unchanged: nothing to show
        qtbot.waitUntil(lambda: len(got) == 2)
        assert got[1].changed == {"u7"} and got[1].item("u7") == Thing("u7", "unit 7", 70)
        assert replica.full_reads == {K.UNIT: 1} and sorted(replica.row_reads) == ["u7", "u8"]
        qtbot.waitUntil(lambda: not feed.busy)
    finally:
        feed.deleteLater()
        ctx.changes.stop()
        ctx.ops.shutdown(wait=True)
