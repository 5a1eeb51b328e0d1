"""Incident queue: every incident in scope, sorted and filtered, with urgent alerts and
keyboard triage (Enter opens, A acknowledges, D dispatches)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from console.domain.incidents import IncidentCategory, IncidentStatus, PriorityCode
from console.domain.records import RecordKind
from console.ui import incident_actions
from console.ui.alerts import AlertSound
from console.ui.labels import label, label_of
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QComboBox,
    QEvent,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QtGui,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    fmt,
)
from console.ui.queue_index import Column, QueueFilter, QueueIndex, QueueSort, QueueView
from console.ui.queue_model import IncidentQueueModel, QueuePainter, title_of
from console.ui.replica_reads import rows_by_ids
from console.ui.timefmt import age as age_of

K = RecordKind
# Reading one row with row() costs about as much as reading 15 in a full scan: past that share
# of the queue, re-read all incidents at once. The replica's bulk rows_by_ids reads a row for
# about 0.7 of a full scan's cost (~40 vs ~57 us), so with it a re-read pays only past half.
RELOAD_SHARE = 1 / 15
RELOAD_SHARE_BULK = 1 / 2
RELOAD_MIN = 500
# During a large sync, changes arrive page after page; folding them in at most twice a second
# keeps the worker (and its share of the GIL) modest while the queue still looks live.
MIN_UPDATE_INTERVAL_S = 0.5
ALERT_WINDOW_S = 600.0  # only incidents created in the last 10 minutes raise the alert


class _QueueTable(QTableView):
    """A table that reports the triage keys instead of handling them itself."""

    triage = Signal(str)  # "open" | "acknowledge" | "dispatch"

    painter: QueuePainter | None = None

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        # The rows are painted by one Python call (see QueuePainter); the default per-cell
        # painting would cross from C++ into Python (and take the GIL) thousands of times.
        if self.painter is None:
            super().paintEvent(event)
            return
        p = QtGui.QPainter(self.viewport())
        try:
            self.painter.paint(self, p)
        finally:
            p.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            self.triage.emit("open")
        elif key == Qt.Key.Key_A and plain:
            self.triage.emit("acknowledge")
        elif key == Qt.Key.Key_D and plain:
            self.triage.emit("dispatch")
        else:
            super().keyPressEvent(event)


class _SortingModel(IncidentQueueModel):
    """Header clicks ask the panel for a new order instead of sorting on the GUI thread."""

    sort_requested = Signal(int, bool)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_requested.emit(column, order == Qt.SortOrder.DescendingOrder)


class IncidentQueuePanel(QWidget):
    # The model snapshot shown; tests and the bench read it.
    view_updated = Signal(int, int)  # shown, total
    urgent_alert = Signal(str)  # incident id

    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._index = QueueIndex()  # touched only on the database worker
        self._filter = QueueFilter(open_only=True)
        self._sort = QueueSort()
        self._dirty: set[str] = set()
        self._busy = False
        self._last_update = 0.0
        self._update_timer = QTimer(self)
        self._update_timer.setSingleShot(True)
        self._update_timer.timeout.connect(self._start_update)
        self._loaded = False
        self._alert_id: str | None = None
        self._auto_selected = False
        self.sound = AlertSound(self)

        self.model = _SortingModel(lambda: ctx.clock.now().timestamp(), self)
        self.model.set_theme(ctx.theme.current)
        self.model.sort_requested.connect(self._on_sort_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self._build_alert())
        layout.addLayout(self._build_filters())
        self.table = _QueueTable()
        self.table.setObjectName("incident_table")
        self.table.setModel(self.model)
        self.table.painter = QueuePainter(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(Column.CODE, Qt.SortOrder.AscendingOrder)
        vh = self.table.verticalHeader()
        vh.setVisible(False)
        # Fixed row heights keep 100,000 rows cheap: the view never measures rows.
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(24)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(True)
        # Fits the wall layout's right column (~800 px at 1920) without a horizontal scroll bar.
        for col, width in ((Column.CODE, 40), (Column.CATEGORY, 145), (Column.PLACE, 200),
                           (Column.STATUS, 100), (Column.AGE, 62), (Column.UNITS, 105)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda _i: self._triage("open"))
        self.table.triage.connect(self._triage)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        layout.addWidget(self.table, 1)

        ctx.changes.rows_changed.connect(self._on_rows_changed)
        ctx.changes.tick.connect(self._on_tick)
        ctx.theme.changed.connect(self._on_theme)
        ctx.selection.selected.connect(self._on_selected)
        self.retranslate()
        self.reload()

    # -- building ---------------------------------------------------------------------------
    def _build_alert(self) -> QFrame:
        self.alert = QFrame()
        self.alert.setObjectName("urgent_alert")
        self.alert.setProperty("role", "alert")
        row = QHBoxLayout(self.alert)
        row.setContentsMargins(8, 6, 8, 6)
        self.alert_label = QLabel()
        self.alert_label.setObjectName("urgent_alert_text")
        self.alert_open = QPushButton()
        self.alert_ack = QPushButton()
        self.alert_dismiss = QPushButton("×")
        self.alert_dismiss.setFixedWidth(28)
        row.addWidget(self.alert_label, 1)
        row.addWidget(self.alert_open)
        row.addWidget(self.alert_ack)
        row.addWidget(self.alert_dismiss)
        self.alert_open.clicked.connect(self._alert_open_clicked)
        self.alert_ack.clicked.connect(self._alert_ack_clicked)
        self.alert_dismiss.clicked.connect(self.alert.hide)
        self.alert.hide()
        return self.alert

    def _build_filters(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("queue_search")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_filter_changed)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status_filter")
        self.code_filter = QComboBox()
        self.code_filter.setObjectName("code_filter")
        self.category_filter = QComboBox()
        self.category_filter.setObjectName("category_filter")
        self.station_filter = QComboBox()
        self.station_filter.setObjectName("station_filter")
        self.count_label = QLabel()
        self.count_label.setObjectName("queue_count")
        self.count_label.setProperty("role", "muted")
        for combo in (self.status_filter, self.code_filter, self.category_filter, self.station_filter):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        # Ctrl+F anywhere in the window jumps to the queue's search.
        find = QtGui.QShortcut(QtGui.QKeySequence(QtGui.QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WindowShortcut)
        find.activated.connect(self._focus_search)
        bar.addWidget(self.search, 2)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.code_filter)
        bar.addWidget(self.category_filter)
        bar.addWidget(self.station_filter)
        bar.addWidget(self.count_label)
        return bar

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search title, place, id…"))
        self.alert_open.setText(self.tr("Open"))
        self.alert_ack.setText(self.tr("Acknowledge"))
        self._fill_combo(self.status_filter,
                         [(self.tr("Open incidents"), "open"), (self.tr("All statuses"), None)]
                         + [(label(s), s.value) for s in IncidentStatus])
        self._fill_combo(self.code_filter, [(self.tr("All codes"), None), (self.tr("Codes 0-1"), "urgent")]
                         + [(label(c), int(c)) for c in PriorityCode])
        self._fill_combo(self.category_filter, [(self.tr("All categories"), None)]
                         + [(label(c), c.value) for c in IncidentCategory])
        self._fill_combo(self.station_filter, [(self.tr("All stations"), None)]
                         + [(s, s) for s in self._stations()])
        self.model.refresh_all()
        self._update_count()
        self._show_alert_text()

    def _stations(self) -> list[str]:
        return [str(self.station_filter.itemData(i)) for i in range(1, self.station_filter.count())]

    @staticmethod
    def _fill_combo(combo: QComboBox, entries: list[tuple[str, Any]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for text, value in entries:
            combo.addItem(text, value)
        found = combo.findData(current) if current is not None else -1
        combo.setCurrentIndex(found if found >= 0 else 0)
        combo.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- filtering and sorting ----------------------------------------------------------------
    def current_filter(self) -> QueueFilter:
        status = self.status_filter.currentData()
        code = self.code_filter.currentData()
        category = self.category_filter.currentData()
        station = self.station_filter.currentData()
        codes: frozenset[int] = frozenset()
        if code == "urgent":
            codes = frozenset({0, 1})
        elif code is not None:
            codes = frozenset({int(code)})
        return QueueFilter(
            statuses=frozenset({status}) if status not in (None, "open") else frozenset(),
            codes=codes,
            categories=frozenset({category}) if category else frozenset(),
            stations=frozenset({station}) if station else frozenset(),
            text=self.search.text().strip(),
            open_only=status == "open",
        )

    def _on_filter_changed(self, *_args: Any) -> None:
        self._filter = self.current_filter()
        self._request_view()

    def _on_sort_requested(self, column: int, descending: bool) -> None:
        self._sort = QueueSort(Column(column), descending)
        self._request_view()

    def _request_view(self) -> None:
        index, flt, order = self._index, self._filter, self._sort
        self.ctx.ops.query(lambda: index.view(flt, order), self._show, key="incident-queue-view")

    # -- loading and live updates ---------------------------------------------------------------
    def reload(self) -> None:
        """Re-read every incident from the replica (on the worker)."""
        index, replica, flt, order = self._index, self.ctx.replica, self._filter, self._sort

        def work() -> QueueView:
            index.load(list(replica.rows(K.INCIDENT)))
            return index.view(flt, order)

        self._busy = True
        self.ctx.ops.query(work, self._loaded_first, on_error=self._update_failed)

    def _loaded_first(self, view: QueueView) -> None:
        self._loaded = True
        self._update_done(view)

    def _on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        ids = changes.get(K.INCIDENT)
        if not ids:
            return
        self._dirty |= ids
        if not self._busy and self._loaded:
            self._start_update()

    def _start_update(self) -> None:
        if self._busy or not self._dirty:
            return
        wait = self._last_update + MIN_UPDATE_INTERVAL_S - time.monotonic()
        if wait > 0:
            if not self._update_timer.isActive():
                self._update_timer.start(int(wait * 1000) + 1)
            return
        self._last_update = time.monotonic()
        ids, self._dirty = self._dirty, set()
        index, replica, flt, order = self._index, self.ctx.replica, self._filter, self._sort
        recent_after = self.ctx.clock.now().timestamp() - ALERT_WINDOW_S

        share = RELOAD_SHARE_BULK if callable(getattr(replica, "rows_by_ids", None)) else RELOAD_SHARE

        def work() -> QueueView:
            if len(ids) > max(RELOAD_MIN, int(len(index.items) * share)):
                fresh = index.update_rows(list(replica.rows(K.INCIDENT)), complete=True,
                                          recent_after=recent_after)
            else:
                fresh = index.update(rows_by_ids(replica, K.INCIDENT, ids), recent_after)
            view = index.view(flt, order)
            view.new_urgent = fresh
            return view

        self._busy = True
        # Serialised worker + in-order delivery: the last answer is always the newest state.
        self.ctx.ops.query(work, self._update_done, on_error=self._update_failed)

    def _update_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.ctx.ops.failed.emit(self.tr("The incident queue could not be read"), str(exc))

    def _update_done(self, view: QueueView) -> None:
        self._busy = False
        self._show(view)
        if view.new_urgent:
            self._raise_alert(view.new_urgent)
        if self._dirty:
            self._start_update()

    def _show(self, view: QueueView) -> None:
        current = self.selected_id()
        scroll = self.table.verticalScrollBar().value()
        previous = self.model.view
        self.model.set_view(view)
        # The previous view (up to 100,000 ids and items) is let go on the worker, not here.
        self.ctx.ops.query(lambda: previous.ids.clear(), _ignore)
        stations = view.stations
        if stations != self._stations():
            self._fill_combo(self.station_filter,
                             [(self.tr("All stations"), None)] + [(s, s) for s in stations])
        if current is None and not self._auto_selected and self.model.rowCount():
            # The most urgent incident starts selected, so Enter / A / D work at once.
            self._auto_selected = True
            self.table.selectRow(0)
        elif current is not None:
            row = self.model.row_of(current)
            if row is not None:
                self.table.selectionModel().blockSignals(True)
                self.table.selectRow(row)
                self.table.selectionModel().blockSignals(False)
        self.table.verticalScrollBar().setValue(scroll)
        self._update_count()
        self.view_updated.emit(self.model.rowCount(), self.model.total)

    def _update_count(self) -> None:
        self.count_label.setText(fmt(self.tr("%1 of %2"), f"{self.model.rowCount():,}",
                                     f"{self.model.total:,}"))

    def _on_theme(self, _name: str) -> None:
        self.model.set_theme(self.ctx.theme.current)

    def _on_tick(self) -> None:
        if self.isVisible():
            self.model.tick()
        self._show_alert_text()

    # -- selection and triage ---------------------------------------------------------------
    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        id = self.model.id_at(current.row())
        if id is not None:
            self.ctx.selection.select(K.INCIDENT.value, id)

    def _on_selected(self, kind: str, id: str) -> None:
        if kind != K.INCIDENT.value or id == self.selected_id():
            return
        row = self.model.row_of(id)
        if row is not None:
            self.table.selectionModel().blockSignals(True)
            self.table.selectRow(row)
            self.table.selectionModel().blockSignals(False)

    def _triage(self, action: str) -> None:
        id = self.selected_id()
        if id is None:
            return
        if action == "open":
            self.ctx.selection.open(K.INCIDENT.value, id)
        elif action == "acknowledge":
            item = self.model.item_at(self.table.currentIndex().row())
            if item is not None and item.status == IncidentStatus.NEW.value:
                incident_actions.acknowledge(self.ctx, id)
        elif action == "dispatch":
            incident_actions.dispatch(self.ctx, id, self)

    # -- urgent alert -----------------------------------------------------------------------
    def _raise_alert(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        self._alert_id = ids[-1]
        self._alert_more = len(ids) - 1
        self._show_alert_text()
        self.alert.show()
        self.sound.play()
        self.urgent_alert.emit(self._alert_id)

    def _show_alert_text(self) -> None:
        if self._alert_id is None:
            return
        item = self.model._items.get(self._alert_id)
        if item is None:
            return
        if item.status != IncidentStatus.NEW.value:
            self.alert.hide()
        age = age_of(self.ctx.clock.now().timestamp() - item.created)
        what = " · ".join(p for p in (title_of(item), item.place) if p)  # what happened, where
        text = fmt(self.tr("NEW CODE %1 · %2 · %3 · %4 ago"), item.code,
                   label_of(IncidentCategory, item.category), what, age)
        more = getattr(self, "_alert_more", 0)
        if more:
            text += "  " + fmt(self.tr("(+%1 more)"), more)
        self.alert_label.setText(text)

    def _alert_open_clicked(self) -> None:
        if self._alert_id:
            self.ctx.selection.open(K.INCIDENT.value, self._alert_id)

    def _alert_ack_clicked(self) -> None:
        if self._alert_id:
            incident_actions.acknowledge(self.ctx, self._alert_id)
            self.alert.hide()


def _ignore(_result: Any) -> None:
    return None


def build(ctx: PanelContext) -> QWidget:
    return IncidentQueuePanel(ctx)


PANEL = PanelSpec(
    object_name="incident_queue",
    title=QT_TRANSLATE_NOOP("Panels", "Incident queue"),
    area="left",
    factory=build,
    order=10,
)

