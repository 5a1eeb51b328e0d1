"""Incident queue: every incident in scope, sorted and filtered, with urgent alerts and
keyboard triage (Enter opens, A acknowledges, D dispatches)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from console.domain.incidents import IncidentCategory, IncidentStatus, PriorityCode
from console.domain.records import RecordKind
from console.ui import cap_actions, incident_actions
from console.ui.alerts import AlertKind, AlertSound
from console.ui.labels import label, label_of
from console.ui.office_names import office_names
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
    QtGui,
    QVBoxLayout,
    QWidget,
    Signal,
    fmt,
)
from console.ui.queue_model import IncidentQueueModel, title_of
from console.ui.record_feed import KindSource, RecordFeed
from console.ui.record_model import RecordTableView
from console.ui.timefmt import age as age_of
from console.ui.timefmt import shown_now
from console.views.queue_index import (
    QUEUE_SCHEMA,
    Column,
    QueueFilter,
    QueueItem,
    item_from_row,
    urgent_arrivals,
)
from console.views.record_index import RecordSnapshot

K = RecordKind
ALERT_WINDOW_S = 600.0  # only incidents created in the last 10 minutes raise the alert


def queue_source() -> KindSource[QueueItem]:
    """The queue's records: every incident in scope (an unreadable row is left out)."""
    def item_of(row: Any) -> QueueItem | None:
        return item_from_row(row.id, row.data, bool(getattr(row, "pending", False)))

    return KindSource(K.INCIDENT, item_of, QUEUE_SCHEMA)


class QueueTable(RecordTableView):
    """The queue's table: it reports the triage keys instead of handling them itself."""

    triage = Signal(str)  # "open" | "acknowledge" | "dispatch"

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


class IncidentQueuePanel(QWidget):
    urgent_alert = Signal(str)  # incident id

    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._loaded = False  # the first rows are shown
        self._snapshot: RecordSnapshot[QueueItem] = RecordSnapshot.of([], lambda _i: "")  # the newest
        self._first = True
        self._alert_id: str | None = None
        self._alert_more = 0
        self._auto_selected = False
        # Ages and overdue marks as of the moment every panel shows (read once per tick).
        self.shown = shown_now(ctx.changes, ctx.clock)
        self.sound = AlertSound(self)

        # 100,000 incidents: filters and sorts are evaluated on the database worker, and only the
        # newest answer is shown (a key of this panel's own).
        key = f"incident-queue-view-{id(self)}"
        self.offices = office_names(ctx)  # stations by name: an HQ reads S46150 as nothing
        self.model = IncidentQueueModel(lambda: self.shown.now().timestamp(),
                                        runner=lambda fn, done: ctx.ops.query(fn, done, key=key), parent=self,
                                        station_name=self.offices.name)
        self.offices.changed.connect(self._on_office_names)
        self.model.set_theme(ctx.theme.current)
        self.model.set_filter(QueueFilter(open_only=True).mask)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self._build_alert())
        layout.addLayout(self._build_filters())
        self.table = QueueTable(self.model)
        self.table.setObjectName("incident_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
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
        # The age column holds "1시간 36분" (Korean ages are the widest).
        for col, width in ((Column.CODE, 40), (Column.CATEGORY, 140), (Column.PLACE, 185),
                           (Column.STATUS, 100), (Column.AGE, 82), (Column.UNITS, 105)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda _i: self._triage("open"))
        self.table.triage.connect(self._triage)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        cap_actions.install_incident_menu(ctx, self.table, self.selected_id, lambda: getattr(
            self.model.item_at(self.table.currentIndex().row()), "code", None))
        layout.addWidget(self.table, 1)

        self.feed = RecordFeed(ctx, queue_source(), self._on_snapshot,
                               error_title=lambda: self.tr("The incident queue could not be read"),
                               parent=self)
        self.model.evaluated.connect(self._on_evaluated)
        self._callsigns: dict[str, str] = {}
        ctx.changes.rows_changed.connect(self._on_rows_changed)
        self.shown.advanced.connect(self._on_tick)
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
        self._fill_stations(self._stations(), force=True)
        self.model.retranslate()
        self._update_count()
        self._show_alert_text()

    def _fill_stations(self, stations: list[str], force: bool = False) -> None:
        """The station filter: names in the console's language, codes behind them."""
        if force or stations != self._stations():
            self._fill_combo(self.station_filter, [(self.tr("All stations"), None)]
                             + [(self.offices.name(s), s) for s in stations])

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

    # -- filtering ----------------------------------------------------------------------------
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
        self.model.set_filter(self.current_filter().mask)

    # -- loading and live updates ---------------------------------------------------------------
    def reload(self) -> None:
        """Re-read every incident from the replica (on the worker); afterwards the feed reads
        the changed incidents only."""
        self.feed.load()
        self._read_callsigns(None)

    def _on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        ids = changes.get(K.UNIT)
        if ids:
            self._read_callsigns(set(ids))

    def _on_office_names(self) -> None:
        self.model.repaint_all()
        self._fill_stations(self._stations(), force=True)

    def _read_callsigns(self, ids: set[str] | None) -> None:
        """The call signs of every unit (None) or of the changed ones, read on the worker."""
        replica = self.ctx.replica

        def work() -> tuple[bool, dict[str, str]]:
            rows = replica.rows(K.UNIT) if ids is None else replica.rows_by_ids(K.UNIT, sorted(ids))
            return ids is None, {r.id: str(r.data.get("callsign") or r.id) for r in rows}

        def done(result: tuple[bool, dict[str, str]]) -> None:
            everything, found = result
            if not everything and all(self._callsigns.get(k) == v for k, v in found.items()):
                return  # units moved; call signs seldom change
            self._callsigns = found if everything else {**self._callsigns, **found}
            self.model.set_callsigns(self._callsigns)

        self.ctx.ops.query(work, done)

    def _on_snapshot(self, snapshot: RecordSnapshot[QueueItem]) -> None:
        before, self._snapshot = self._snapshot, snapshot
        first, self._first = self._first, False
        self.model.set_snapshot(snapshot)
        self._fill_stations(list(snapshot.values.get("station", ())))
        if not first:  # the first load is what there is, not what arrives
            recent_after = self.shown.now().timestamp() - ALERT_WINDOW_S
            arrived = urgent_arrivals(snapshot, before, recent_after)
            if arrived:
                self._raise_alert(arrived)
        self._show_alert_text()

    def _on_evaluated(self) -> None:
        if self.feed.loaded and self.model.snapshot is self._snapshot:
            self._loaded = True
        if self.selected_id() is None and not self._auto_selected and self.model.rowCount():
            # The most urgent incident starts selected, so Enter / A / D work at once.
            self._auto_selected = True
            self.table.selectRow(0)
        self._update_count()

    def _update_count(self) -> None:
        if not self._loaded:  # no rows read yet: "0 of 0" would be a count
            self.count_label.setText(self.tr("Loading…"))
            return
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
        return self.table.selected_id()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        id = self.model.id_at(current.row())
        if id is not None:
            self.ctx.selection.select(K.INCIDENT.value, id)

    def _on_selected(self, kind: str, id: str) -> None:
        if kind == K.INCIDENT.value and id != self.selected_id():
            self.table.select_id(id)

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
        codes = {item.code for item in map(self._snapshot.item, ids) if item is not None}
        self.sound.play(AlertKind.CODE_0 if 0 in codes else AlertKind.CODE_1, keys=ids)
        self.urgent_alert.emit(self._alert_id)

    def _show_alert_text(self) -> None:
        if self._alert_id is None:
            return
        item = self._snapshot.item(self._alert_id)
        if item is None:
            return
        if item.status != IncidentStatus.NEW.value:
            self.alert.hide()
        age = age_of(item.age(self.shown.now()))
        what = " · ".join(p for p in (title_of(item), item.place) if p)  # what happened, where
        text = fmt(self.tr("NEW CODE %1 · %2 · %3 · %4 ago"), item.code,
                   label_of(IncidentCategory, item.category), what, age)
        if self._alert_more:
            text += "  " + fmt(self.tr("(+%1 more)"), self._alert_more)
        self.alert_label.setText(text)

    def _alert_open_clicked(self) -> None:
        if self._alert_id:
            self.ctx.selection.open(K.INCIDENT.value, self._alert_id)

    def _alert_ack_clicked(self) -> None:
        if self._alert_id:
            incident_actions.acknowledge(self.ctx, self._alert_id)
            self.alert.hide()


def build(ctx: PanelContext) -> QWidget:
    return IncidentQueuePanel(ctx)


PANEL = PanelSpec(
    object_name="incident_queue",
    title=QT_TRANSLATE_NOOP("Panels", "Incident queue"),
    area="left",
    factory=build,
    order=10,
)

