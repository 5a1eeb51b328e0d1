"""RecordFeed: keeps a record panel's data current from the change bus (the incident queue,
units, routes and deployment tables alike): one full read at first, then only the changed ids, read and folded
in on the database worker, the result handed to the panel on the GUI thread.

A panel gives it a `RecordSource` (plain Python, runs on the worker only): `load(replica)`
reads everything, `update(replica, {kind: ids})` reads the changed rows and returns the new
state, or None when nothing the panel shows changed. At most one read is in flight; changes
arriving meanwhile are gathered for the next, which starts at most every half second."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping
from typing import Any, Generic, Protocol, TypeVar

from console.domain.records import RecordKind
from console.ui.panels.base import PanelContext
from console.ui.qt import QObject, QTimer
from console.views.record_index import RecordIndex, RecordSchema, RecordSnapshot
from console.views.replica_reads import rows_by_ids

R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)
T = TypeVar("T")

# The replica's bulk read of rows by id costs about 0.7 of a full scan's per row: past half of
# the rows changed at once, read them all.
RELOAD_SHARE_BULK = 1 / 2
RELOAD_MIN = 500
# During a large sync, changes arrive page after page; folding them in at most twice a second
# keeps the worker (and its share of the GIL) modest while the tables still look live.
MIN_UPDATE_INTERVAL_S = 0.5


class RecordSource(Protocol[R_co]):
    kinds: frozenset[RecordKind]  # the kinds whose changes concern it

    def load(self, replica: Any) -> R_co: ...
    def update(self, replica: Any, changed: Mapping[RecordKind, set[str]]) -> R_co | None: ...


def read_changed(replica: Any, kind: RecordKind, ids: Collection[str],
                 known: int) -> tuple[dict[str, Any | None], bool]:
    """The rows of the changed `ids` ({id: ViewRow or None when gone}) and False; or, when
    they are a large share of the `known` rows, every row of `kind` and True (complete)."""
    if len(ids) > max(RELOAD_MIN, int(known * RELOAD_SHARE_BULK)):
        return {r.id: r for r in replica.rows(kind)}, True
    return rows_by_ids(replica, kind, ids), False


class KindSource(Generic[T]):
    """A source of one record kind: each row becomes an item (or None: not shown)."""

    def __init__(self, kind: RecordKind, item_of: Callable[[Any], T | None], schema: RecordSchema[T]) -> None:
        self.kind = kind
        self.kinds = frozenset({kind})
        self.item_of = item_of
        self.index: RecordIndex[T] = RecordIndex(schema)

    def load(self, replica: Any) -> RecordSnapshot[T]:
        return self._fold({r.id: r for r in replica.rows(self.kind)}, complete=True) or self.index.snapshot()

    def update(self, replica: Any, changed: Mapping[RecordKind, set[str]]) -> RecordSnapshot[T] | None:
        ids = changed.get(self.kind)
        if not ids:
            return None
        rows, complete = read_changed(replica, self.kind, ids, len(self.index))
        return self._fold(rows, complete=complete)

    def _fold(self, rows: dict[str, Any | None], *, complete: bool) -> RecordSnapshot[T] | None:
        """Fold in the rows read, consuming `rows` one at a time: letting 100,000 rows go in one
        go is a C-level cascade of frees that holds the GIL (and stalls the GUI thread) for a few
        hundred ms; popping them frees each row between bytecodes."""
        item_of, current = self.item_of, self.index.snapshot()
        backwards: list[tuple[str, T | None]] = []
        while rows:
            id, row = rows.popitem()
            item = item_of(row) if row is not None else None
            if item is not None:
                known = current.item(id)
                if known == item:  # unchanged (a full read brings every row): the new one goes now
                    item = known
            backwards.append((id, item))
        items = dict(reversed(backwards))  # in the order read
        if complete:
            return self.index.replace({id: item for id, item in items.items() if item is not None})
        return self.index.update(items)


class RecordFeed(QObject, Generic[R]):
    """Loads a source once, then folds in what the change bus announces for its kinds."""

    def __init__(self, ctx: PanelContext, source: RecordSource[R], on_result: Callable[[R], None],
                 *, error_title: Callable[[], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.source = source
        self.on_result = on_result
        self.error_title = error_title  # the panel's translated "The units could not be read"
        self.loaded = False
        self._busy = False
        self._reload = False
        self._dirty: dict[RecordKind, set[str]] = {}
        self._last_update = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start_update)
        ctx.changes.rows_changed.connect(self._on_rows_changed)

    @property
    def busy(self) -> bool:
        return self._busy or bool(self._dirty) or self._reload

    def load(self) -> None:
        """Read everything again (on the worker)."""
        if self._busy:
            self._reload = True
            return
        self._reload, self._dirty = False, {}
        source, replica = self.source, self.ctx.replica
        self._busy = True
        self.ctx.ops.query(lambda: source.load(replica), self._loaded, on_error=self._failed)

    def _loaded(self, result: R) -> None:
        self.loaded = True
        self._done(result)

    def _on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        for kind, ids in changes.items():
            k = RecordKind(kind)
            if k in self.source.kinds and ids:
                self._dirty.setdefault(k, set()).update(ids)
        if self._dirty and self.loaded and not self._busy:
            self._start_update()

    def _start_update(self) -> None:
        if self._busy or not self._dirty:
            return
        wait = self._last_update + MIN_UPDATE_INTERVAL_S - time.monotonic()
        if wait > 0:
            if not self._timer.isActive():
                self._timer.start(int(wait * 1000) + 1)
            return
        self._last_update = time.monotonic()
        changed, self._dirty = self._dirty, {}
        source, replica = self.source, self.ctx.replica
        self._busy = True
        # Serialised worker + in-order delivery: the last answer is always the newest state.
        self.ctx.ops.query(lambda: source.update(replica, changed), self._done, on_error=self._failed)

    def _done(self, result: R | None) -> None:
        self._busy = False
        if self._reload:
            self.load()
            return
        if result is not None:
            self.on_result(result)
        if self._dirty:
            self._start_update()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.ctx.ops.failed.emit(self.error_title(), str(exc))
        if self._reload:
            self.load()
        elif self._dirty:
            self._start_update()
