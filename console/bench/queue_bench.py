"""Incident queue at scale: sort, filter and scroll 100,000 incidents through the queue's
model versus the same on a plain Python list, and the longest GUI event-loop stall while a
10,000-change sync lands in the replica."""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from console.bench.figures import Figure

# Sort, filter and scroll cost n log n both ways: their ratios at 20,000 are those at 100,000
# (0.21/0.16, 0.36/0.30, 0.55/0.53, all far inside the target). The stall of a 10,000-change
# sync grows with the incidents already held (the queue's index is rebuilt over all of them),
# so quick keeps the full run's 50,000.
ROWS_FULL, ROWS_QUICK = 100_000, 20_000
STALL_BASE_FULL, STALL_BASE_QUICK = 50_000, 50_000  # incidents in the replica before the sync
SYNC_CHANGES = 10_000
RATIO_TARGET = 5.0
STALL_TARGET_MS = 100.0


class _Row:
    __slots__ = ("data", "id", "pending")

    def __init__(self, id: str, data: dict[str, Any]) -> None:
        self.id, self.data, self.pending = id, data, False


def _best(fn: Callable[[], Any], repeat: int = 3, setup: Callable[[], Any] | None = None) -> float:
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _app() -> Any:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from console.ui.qt import QApplication

    app = QApplication.instance()
    return app if app is not None else QApplication([])


def run(quick: bool) -> list[Figure]:
    return measure(ROWS_QUICK if quick else ROWS_FULL, STALL_BASE_QUICK if quick else STALL_BASE_FULL)


def measure(n: int, stall_base: int) -> list[Figure]:
    app = _app()
    from console.domain.samples import many_incidents
    from console.ui.qt import QAbstractTableModel, QModelIndex, Qt
    from console.ui.queue_model import IncidentQueueModel
    from console.views.queue_index import QUEUE_SCHEMA, Column, QueueFilter, item_from_row, sort_key
    from console.views.record_index import RecordIndex

    rows = [_Row(i, d) for i, d in many_incidents(n)]
    # The baseline: a plain Python list of the same items.
    plain = [item for item in (item_from_row(r.id, r.data) for r in rows) if item is not None]
    index = RecordIndex(QUEUE_SCHEMA)
    snapshot = index.replace({item.id: item for item in plain})
    assert snapshot is not None
    # Without a runner the model evaluates where it is called: the panel's path (the query on
    # the worker, then the rows shown on the GUI thread) in one thread.
    model = IncidentQueueModel(time.time)
    model.set_snapshot(snapshot)
    figures: list[Figure] = []

    # -- sort: the model's path (numpy over the index's columns + new rows) vs sorted() --------
    columns = (Column.CODE, Column.AGE, Column.PLACE, Column.STATUS, Column.STATION)

    def model_sort(c: Column) -> None:
        model.sort(c, Qt.SortOrder.AscendingOrder)

    def unsorted() -> None:  # each timed sort starts from another order
        model.sort(-1)

    def list_sort(c: Column) -> None:
        sorted(plain, key=sort_key(c))

    ours = statistics.fmean(_best(partial(model_sort, c), setup=unsorted) for c in columns)
    base = statistics.fmean(_best(partial(list_sort, c)) for c in columns)
    figures.append(Figure(f"queue_sort_{n // 1000}k", ours * 1000, "ms", ours / base,
                          "sorted() of a plain list", f"ratio <= {RATIO_TARGET:g}",
                          ours / base <= RATIO_TARGET))

    # -- filter: status + code + free text ------------------------------------------------------
    filters = (QueueFilter(open_only=True), QueueFilter(codes=frozenset({0, 1})),
               QueueFilter(text="polling station"), QueueFilter(categories=frozenset({"bribery"}),
                                                                 open_only=True))
    def model_filter(f: QueueFilter) -> None:
        model.set_filter(f.mask)

    def unfiltered() -> None:
        model.set_filter(None)

    def list_filter(f: QueueFilter) -> None:
        sorted((i for i in plain if f.accepts(i)), key=sort_key(Column.CODE))

    unsorted()
    ours = statistics.fmean(_best(partial(model_filter, f), setup=unfiltered) for f in filters)
    base = statistics.fmean(_best(partial(list_filter, f)) for f in filters)
    figures.append(Figure(f"queue_filter_{n // 1000}k", ours * 1000, "ms", ours / base,
                          "comprehension + sorted() on a plain list", f"ratio <= {RATIO_TARGET:g}",
                          ours / base <= RATIO_TARGET))

    # -- scroll: page through a QTableView over the model vs over a plain-list table model ------
    from console.ui.panels.incident_queue_panel import QueueTable
    from console.ui.qt import QTableView

    cells = [(str(i.code), i.category, i.place, i.status, "5m", ", ".join(i.units), i.station) for i in plain]

    class PlainListModel(QAbstractTableModel):
        def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            return len(cells)

        def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            return 7

        def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
            if role == Qt.ItemDataRole.DisplayRole:
                return cells[index.row()][index.column()]
            return None

    unfiltered()
    ours_view = QueueTable(model)
    plain_view = QTableView()
    plain_view.setModel(PlainListModel())
    pages = 80
    results = []
    for view in (ours_view, plain_view):
        view.resize(1200, 900)
        view.verticalHeader().setDefaultSectionSize(24)
        view.show()
        app.processEvents()
        bar = view.verticalScrollBar()
        step = max(1, bar.maximum() // pages)

        def scroll(view: Any = view, bar: Any = bar, step: int = step) -> None:
            for k in range(pages):
                bar.setValue(k * step)
                view.viewport().repaint()

        results.append(_best(scroll, 2) / pages)
        view.hide()
    ours, base = results
    figures.append(Figure(f"queue_scroll_page_{n // 1000}k", ours * 1000, "ms", ours / base,
                          "QTableView over a plain-list model", f"ratio <= {RATIO_TARGET:g}",
                          ours / base <= RATIO_TARGET))
    figures.append(_sync_stall(stall_base))
    return figures


def _sync_stall(base: int) -> Figure:
    """The console's main window over a replica of `base` incidents while 10,000 changes arrive
    as change-feed pages on another thread; the QTimer probe's longest stall."""
    app = _app()
    from console.domain.records import RecordKind
    from console.domain.samples import many_incidents
    from console.ui.gc_pacer import GcPacer
    from console.ui.i18n import LanguageSwitcher
    from console.ui.main_window import MainWindow
    from console.ui.panels.base import discover_panels
    from console.ui.qt import QSettings
    from console.ui.testing import (
        StallProbe,
        dispose_context,
        feed_changes,
        load_server_rows,
        make_context,
        open_replica,
    )

    path = "/NPA/SEOUL/S11110/"
    with tempfile.TemporaryDirectory() as tmp:
        replica = open_replica(Path(tmp) / "replica.sqlite3")
        incidents = many_incidents(base + SYNC_CHANGES, seed=11)
        load_server_rows(replica, [(RecordKind.INCIDENT, i, d, path) for i, d in incidents[:base]])
        ctx = make_context(replica)
        languages = LanguageSwitcher()
        languages.set_language("en")
        window = MainWindow(ctx, QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat), languages,
                            specs=discover_panels(names={"incident_queue", "incident_detail", "duty_level",
                                                         "units", "sync"}))
        window.resize(1600, 1000)
        window.show()
        queue: Any = window.panels["incident_queue"]
        queue.status_filter.setCurrentIndex(queue.status_filter.findData(None))
        deadline = time.monotonic() + 120
        while queue.model.total != base and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        pacer = GcPacer(parent=window)
        pacer.start()
        idle = StallProbe()
        idle.start()
        _spin(app, 2.0)
        idle.stop()
        rows = [(RecordKind.INCIDENT, i, d, path) for i, d in incidents[base:]]
        probe = StallProbe()
        done = threading.Event()
        probe.start()
        started = time.perf_counter()
        def sync() -> None:
            feed_changes(replica, rows, first_seq=2)
            done.set()

        worker = threading.Thread(target=sync)
        worker.start()
        deadline = time.monotonic() + 300
        while (not done.is_set() or queue.model.total != base + SYNC_CHANGES) and time.monotonic() < deadline:
            _spin(app, 0.05)
        seconds = time.perf_counter() - started
        probe.stop()
        worker.join()
        pacer.stop()
        window.close()
        dispose_context(ctx)
        replica.close()
    stall = probe.longest_stall_ms
    return Figure(f"queue_sync_stall_{SYNC_CHANGES // 1000}k_changes_over_{base // 1000}k", stall, "ms",
                  None, f"idle probe {idle.longest_stall_ms:.0f} ms; sync+queue caught up in {seconds:.1f} s",
                  f"< {STALL_TARGET_MS:g} ms", stall < STALL_TARGET_MS)


def _spin(app: Any, seconds: float) -> None:
    """Run the Qt event loop (in C++, like the console does) for `seconds`."""
    from console.ui.qt import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
