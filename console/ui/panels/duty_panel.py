"""Duty level: the level in force, who ordered it and what it demands, compliance, and the
one-click acknowledgement; in HQ role, the offices below and issuing orders. A thin widget over
the read model console.views.duty, which computes every figure shown here."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from console.domain.clock import iso
from console.domain.duty import DutyLevel
from console.domain.records import RecordKind
from console.domain.roles import Role, is_hq, may
from console.ui import cap_actions
from console.ui.alerts import AlertKind, AlertSound
from console.ui.i18n import is_korean
from console.ui.labels import duty_reason, label
from console.ui.operations import MutationRequest
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QComboBox,
    QEvent,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QtGui,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    Signal,
    fmt,
)
from console.ui.timefmt import local_time
from console.views.duty import DutyView, OfficeBelow, Staffing, duty_view

K = RecordKind
ROLLUP_COLUMNS = 6  # office, level, acknowledged, on duty, required, compliance
# An HQ's summary column beside the offices below: at least and at most this share of the width.
SUMMARY_SHARE = (0.28, 0.45)
OFFICE_NAME_WIDTH = 140  # what the offices below keep for the office's name, if they can


def _scrolling(widget: QWidget) -> QtWidgets.QScrollArea:
    """`widget` in a frameless vertical scroll area: it scrolls rather than squeezes its labels."""
    scroll = QtWidgets.QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(widget)
    return scroll


def _wrapping(name: str = "") -> QLabel:
    lbl = QLabel()
    if name:
        lbl.setObjectName(name)
    lbl.setWordWrap(True)
    lbl.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    lbl.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return lbl


class DutyPanel(QWidget):
    state_loaded = Signal()

    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: DutyView | None = None  # None until the first read has come back
        self.is_hq = is_hq(ctx.user.role)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 4, 6, 4)
        outer.setSpacing(4)

        # An unacknowledged order is impossible to miss: a red band, one button.
        self.ack_band = QFrame()
        self.ack_band.setObjectName("unacknowledged_order")
        self.ack_band.setProperty("role", "alert")
        band = QHBoxLayout(self.ack_band)
        band.setContentsMargins(8, 2, 8, 2)
        self.ack_text = _wrapping()
        self.ack_button = QPushButton()
        self.ack_button.setObjectName("acknowledge_order")
        self.ack_button.setMinimumHeight(26)
        self.ack_button.clicked.connect(self.acknowledge_first)
        band.addWidget(self.ack_text, 1)
        band.addWidget(self.ack_button)
        self.ack_band.hide()
        outer.addWidget(self.ack_band)

        # What is in force and whether the office meets it come first: on a short dock the
        # details below them scroll, these two never do.
        summary = QWidget()
        summary.setObjectName("duty_summary")
        column = QVBoxLayout(summary)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self.level_label = QLabel()
        self.level_label.setObjectName("level_in_force")
        self.level_label.setProperty("role", "big")
        self.level_label.setWordWrap(True)
        self.compliance_label = _wrapping("compliance")
        head = QGridLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.setHorizontalSpacing(16)
        if self.is_hq:  # a narrow column beside the offices below: one under the other
            head.addWidget(self.level_label, 0, 0)
            head.addWidget(self.compliance_label, 1, 0)
        else:  # the whole width: side by side
            head.addWidget(self.level_label, 0, 0, Qt.AlignmentFlag.AlignVCenter)
            head.addWidget(self.compliance_label, 0, 1, Qt.AlignmentFlag.AlignVCenter)
            head.setColumnStretch(1, 1)
        column.addLayout(head)
        self.order_label = _wrapping("order_info")
        self.demands_label = _wrapping("demands")
        column.addWidget(self.order_label)
        column.addWidget(self.demands_label)

        personnel = QHBoxLayout()
        self.on_duty_caption = _wrapping()
        self.on_duty_caption.setWordWrap(self.is_hq)  # wraps in an HQ's narrow column only
        self.on_duty_spin = QSpinBox()
        self.on_duty_spin.setObjectName("on_duty")
        self.on_duty_spin.setRange(0, 100000)
        self.on_duty_button = QPushButton()
        self.on_duty_button.setObjectName("update_on_duty")
        self.on_duty_button.clicked.connect(self._update_on_duty)
        personnel.addWidget(self.on_duty_caption)
        personnel.addWidget(self.on_duty_spin)
        personnel.addWidget(self.on_duty_button)
        personnel.addStretch(1)
        can_update = may(Role(ctx.user.role), "org.personnel")
        for w in (self.on_duty_caption, self.on_duty_spin, self.on_duty_button):
            w.setVisible(can_update)
        column.addLayout(personnel)

        self.message = _wrapping("duty_message")
        self.message.setProperty("role", "error")
        self.message.hide()  # shown with a message only: an empty row would push the rest down
        column.addWidget(self.message)
        column.addStretch(1)
        self.summary_body = summary
        self.summary = _scrolling(summary)

        self.issue_box = QWidget()
        self.issue_box.setObjectName("issue_order")
        self.rollup = QTableWidget(0, ROLLUP_COLUMNS)
        self.rollup.setObjectName("rollup")
        self._rollup_shown: dict[tuple[int, int], tuple[str, str, str, str | None, str]] = {}
        if self.is_hq:
            # The offices below take the height of the dock beside the summary; issuing an order
            # is the tab behind them.
            self.tabs = QTabWidget()
            self.tabs.setObjectName("duty_tabs")
            self.tabs.setDocumentMode(True)
            self.rollup.verticalHeader().setVisible(False)
            self.rollup.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            self.rollup.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            self.rollup.setWordWrap(False)
            self.rollup.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a long name keeps its code
            # Rows as tall as their text: on a short dock every pixel is another office shown.
            rows = self.rollup.verticalHeader()
            rows.setMinimumSectionSize(self.fontMetrics().height() + 6)
            rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
            header = self.rollup.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            self.tabs.addTab(self.rollup, "")
            self.tabs.addTab(_scrolling(self._build_issue_form()), "")
            self.splitter = QSplitter(Qt.Orientation.Horizontal)
            self.splitter.setObjectName("duty_splitter")
            self.splitter.setChildrenCollapsible(False)
            self.splitter.addWidget(self.summary)
            self.splitter.addWidget(self.tabs)
            self.splitter.setStretchFactor(1, 1)
            # The summary keeps its share of the width (SUMMARY_SHARE) until the user drags the handle.
            self._split_by_user = False
            self.splitter.splitterMoved.connect(self._on_split_moved)
            outer.addWidget(self.splitter, 1)
        else:
            outer.addWidget(self.summary, 1)

        ctx.changes.rows_changed.connect(self._on_rows_changed)
        ctx.changes.tick.connect(self._on_tick)
        self._ticks = 0
        self._announced: set[str] = set()  # unacknowledged orders already brought to front
        self.sound = AlertSound(self)
        cap_actions.install_duty_menu(ctx, self, [self.level_label, self.order_label, self.demands_label],
                                      lambda: cap_actions.orders_shown(self.view))
        self.retranslate()
        self.reload()

    def _build_issue_form(self) -> QWidget:
        form = QGridLayout(self.issue_box)
        self.level_combo = QComboBox()
        self.level_combo.setObjectName("issue_level")
        for level in DutyLevel:
            self.level_combo.addItem(label(level), level.value)
        self.targets = QListWidget()
        self.targets.setObjectName("issue_targets")
        self.targets.setMinimumHeight(60)
        self.select_all = QPushButton()
        self.select_all.clicked.connect(self._select_all_targets)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("issue_reason")
        # Optional: the reason in English too, shown by English consoles (the reason as written
        # is shown otherwise).
        self.reason_en_edit = QLineEdit()
        self.reason_en_edit.setObjectName("issue_reason_en")
        self.issue_button = QPushButton()
        self.issue_button.setObjectName("issue_button")
        self.issue_button.clicked.connect(self.issue_order)
        self.level_caption, self.targets_caption, self.reason_caption = QLabel(), QLabel(), QLabel()
        self.reason_en_caption = QLabel()
        form.addWidget(self.level_caption, 0, 0)
        form.addWidget(self.level_combo, 0, 1)
        form.addWidget(self.targets_caption, 1, 0, Qt.AlignmentFlag.AlignTop)
        form.addWidget(self.targets, 1, 1)
        form.addWidget(self.select_all, 1, 2, Qt.AlignmentFlag.AlignTop)
        form.addWidget(self.reason_caption, 2, 0)
        form.addWidget(self.reason_edit, 2, 1)
        form.addWidget(self.reason_en_caption, 3, 0)
        form.addWidget(self.reason_en_edit, 3, 1)
        form.addWidget(self.issue_button, 3, 2)
        form.setRowStretch(1, 1)
        return self.issue_box

    def retranslate(self) -> None:
        self.ack_button.setText(self.tr("Acknowledge order"))
        self.on_duty_caption.setText(self.tr("On duty at this office now") if self.is_hq
                                     else self.tr("Personnel on duty now"))
        self.on_duty_button.setText(self.tr("Update"))
        if self.is_hq:
            self.tabs.setTabText(1, self.tr("Issue a duty order to offices below"))
            self.tabs.setTabToolTip(0, self.tr(
                "Each office directly below: the level in force for it, whether it acknowledged the "
                "order, and personnel on duty against what the level demands, counted over the office "
                "and every office under it."))
            self.level_caption.setText(self.tr("Level"))
            self.targets_caption.setText(self.tr("Offices"))
            self.reason_caption.setText(self.tr("Reason"))
            self.reason_en_caption.setText(self.tr("In English"))
            self.reason_en_edit.setPlaceholderText(self.tr("optional, shown by English consoles"))
            self.select_all.setText(self.tr("All"))
            self.issue_button.setText(self.tr("Issue order"))
            self.rollup.setHorizontalHeaderLabels([
                self.tr("Office"), self.tr("Level"), self.tr("Acknowledged"), self.tr("On duty"),
                self.tr("Required"), self.tr("Compliance")])
            for i in range(self.level_combo.count()):
                self.level_combo.setItemText(i, label(DutyLevel(self.level_combo.itemData(i))))
        self._render()

    def _on_split_moved(self, _pos: int, _index: int) -> None:
        self._split_by_user = True

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._split()

    def _split(self) -> None:
        """The offices below get the width their columns need with a readable office name; the
        summary the rest, within SUMMARY_SHARE (until the user drags the handle)."""
        if not self.is_hq or self._split_by_user:
            return
        width = self.splitter.width() - self.splitter.handleWidth()
        header = self.rollup.horizontalHeader()
        columns = sum(max(header.sectionSizeHint(c), self.rollup.sizeHintForColumn(c))
                      for c in range(1, ROLLUP_COLUMNS))
        table = columns + OFFICE_NAME_WIDTH + self.rollup.verticalScrollBar().sizeHint().width() + 8
        low, high = SUMMARY_SHARE
        # Never narrower than the summary's own content beside its scroll bar: it would be clipped.
        least = max(round(width * low), self.summary_body.minimumSizeHint().width()
                    + self.summary.verticalScrollBar().sizeHint().width() + 2)
        summary = min(max(width - table, least), max(least, round(width * high)))
        self.splitter.setSizes([summary, width - summary])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        replica, user, now = self.ctx.replica, self.ctx.user, self.ctx.now()
        self.ctx.ops.query(lambda: duty_view(replica, user.org_code, user.org_path, user.role, now),
                           self._loaded, key="duty-state")

    def _loaded(self, view: DutyView) -> None:
        self.view = view
        self._render()
        self.state_loaded.emit()

    def _on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        if K.DUTY_ORDER in changes or K.ORG in changes:
            self.reload()

    def _on_tick(self) -> None:
        self._ticks += 1
        v = self.view
        # An order comes into force or ends with time passing: read again the moment it does
        # (the demo's clock runs fast), and every 30 s in any case ("today" in the times shown).
        due = v is not None and v.next_change is not None and self.ctx.now() >= v.next_change
        if due or self._ticks % 30 == 0:
            self.reload()

    # -- rendering ----------------------------------------------------------------------------
    def _time(self, value: str | datetime | None) -> str:
        return local_time(value, now=self.view.now if self.view else None)

    def _render(self) -> None:
        v = self.view
        if v is None or not v.loaded:
            # Loading is never shown as truth: no level, no figures, until the office is read.
            self.level_label.setText(self.tr("Loading…"))
            for lbl in (self.order_label, self.demands_label, self.compliance_label):
                lbl.setText("")
            self.ack_band.hide()
            if self.is_hq:
                self.rollup.setRowCount(0)
                self._rollup_shown.clear()
                self.tabs.setTabText(0, self.tr("Offices below"))
            return
        ko = is_korean()
        self._render_band(v, ko)
        order = v.in_force
        latest = v.issued
        if order is None and v.hq and latest is not None and latest.in_force:
            # An HQ is rarely under an order itself: lead with what it ordered for the offices below.
            o = latest.order
            colour = self._level_colour(o.level)
            below = self.tr("for the offices below")
            self.level_label.setText(f"<span style='color:{colour}'>{label(o.level)}</span>"
                                     f"  <span style='font-size:14px'>{below}</span>")
            summary = self.tr(
                "Ordered by this office at %1, in force from %2: %3 of %4 offices acknowledged.")
            self.order_label.setText(fmt(summary, self._time(o.issued_at), self._time(o.effective_from),
                                         latest.acknowledged, latest.targets))
            self.demands_label.setText("")
        elif order is None:
            self.level_label.setText(self.tr("Normal duty (no order in force)"))
            self.order_label.setText("")
            self.demands_label.setText("")
        else:
            req = v.demands
            assert req is not None
            colour = self._level_colour(order.level)
            other = req.name_en if ko else req.name_ko  # the other language's name, smaller
            self.level_label.setText(f"<span style='color:{colour}'>{label(order.level)}</span>"
                                     f"  <span style='font-size:14px'>{other}</span>")
            until = self._time(order.effective_until) if order.effective_until else self.tr("until cancelled")
            self.order_label.setText(fmt(self.tr("Ordered by %1 (%2) at %3; in force from %4, %5. %6"),
                                         order.issued_by or "?", v.office_name(order.issuer_code, ko),
                                         self._time(order.issued_at), self._time(order.effective_from),
                                         until, duty_reason(order)))
            mobilise = (fmt(self.tr("mobilise up to %1% of personnel"), round(req.mobilisation_share * 100))
                        if req.mobilisation_share else self.tr("no extra mobilisation"))
            self.demands_label.setText(fmt(self.tr("Demands: %1 · %2 · commanders: %3."),
                                           label(req.leave), mobilise, label(req.posture)))
            # The rule's own wording.
            self.demands_label.setToolTip(req.description_ko if ko else req.description_en)
        self._render_compliance(v)
        if v.hq:
            self._render_targets(v, ko)
            self._render_rollup(v, ko)

    def _render_band(self, v: DutyView, ko: bool) -> None:
        if not v.unacknowledged:
            self.ack_band.hide()
            return
        o = v.unacknowledged[0]
        text = fmt(self.tr("UNACKNOWLEDGED ORDER: %1 from %2, effective %3. Acknowledge it now."),
                   label(o.level), v.office_name(o.issuer_code, ko), self._time(o.effective_from))
        if len(v.unacknowledged) > 1:
            text += " " + fmt(self.tr("(%1 orders waiting)"), len(v.unacknowledged))
        self.ack_text.setText(text)
        self.ack_band.show()
        fresh = [o.id for o in v.unacknowledged if o.id not in self._announced]
        if fresh:
            # A new order brings this panel to front (even from behind a tab) and sounds.
            self._announced.update(fresh)
            self.ctx.selection.open(K.DUTY_ORDER.value, fresh[0])
            self.sound.play(AlertKind.DUTY_ORDER, keys=fresh)
        self.ack_button.setEnabled(may(Role(self.ctx.user.role), "duty.acknowledge"))

    def _level_colour(self, level: DutyLevel) -> str:
        t = self.ctx.theme.current
        return {5: t.code0, 4: t.code1, 3: t.code2, 2: t.code3}.get(level.rank, t.muted)

    def _verdict(self, s: Staffing) -> str:
        t = self.ctx.theme.current
        # tr() as a plain call, outside the f-strings: lupdate does not look inside them.
        if s.meets:
            met = self.tr("meets the requirement")
            text = f"<b style='color:{t.ok}'>{met}</b>"
        else:
            short = fmt(self.tr("short by %1"), s.shortfall)
            text = f"<b style='color:{t.code0}'>{short}</b>"
        if s.offices > 1 and s.offices_short:
            offices = fmt(self.tr("%1 of %2 offices short"), s.offices_short, s.offices)
            text += f" · <b style='color:{t.code0}'>{offices}</b>"
        return text

    def _render_compliance(self, v: DutyView) -> None:
        if not self.on_duty_spin.hasFocus():
            self.on_duty_spin.setValue(v.own.on_duty)
        if v.hq:
            s = v.overall
            self.compliance_label.setText(fmt(
                self.tr("This office and the %1 below it: on duty %2 / required %3 (of %4 personnel): %5"),
                s.offices - 1, s.on_duty, s.required, s.personnel_total, self._verdict(s)))
        elif v.in_force is None:
            self.compliance_label.setText(fmt(self.tr("%1 of %2 personnel on duty."),
                                              v.own.on_duty, v.own.personnel_total))
        else:
            s = v.own
            self.compliance_label.setText(fmt(self.tr("On duty %1 / required %2 (of %3 personnel): %4"),
                                              s.on_duty, s.required, s.personnel_total, self._verdict(s)))

    def _render_targets(self, v: DutyView, ko: bool) -> None:
        checked = {self.targets.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.targets.count())
                   if self.targets.item(i).checkState() == Qt.CheckState.Checked}
        codes = [o.code for o in v.targets]
        shown = [self.targets.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.targets.count())]
        if codes == shown:
            return
        self.targets.clear()
        for office in v.targets:
            item = QListWidgetItem(f"{office.name(ko)} ({office.code})")
            item.setData(Qt.ItemDataRole.UserRole, office.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if office.code in checked else Qt.CheckState.Unchecked)
            self.targets.addItem(item)

    def rollup_cells(self, row: OfficeBelow, ko: bool) -> list[str]:
        """The texts of one row of the offices-below table."""
        s, ack = row.staffing, row.acknowledgement
        if row.order is None:
            acknowledged = "—"
        elif ack is not None:  # when in the cell, who in the row's tooltip: the table stays readable
            acknowledged = fmt(self.tr("✓ %1"), self._time(ack.at))
        else:
            acknowledged = self.tr("✗ not yet")
        # Short as a whole says it all; met as a whole with offices short in it must say so.
        if not s.meets:
            verdict = fmt(self.tr("short by %1"), s.shortfall)
        elif s.offices_short:
            verdict = fmt(self.tr("%1 of %2 offices short"), s.offices_short, s.offices)
        else:
            verdict = self.tr("met")
        return [f"{row.office.name(ko)} ({row.office.code})", label(row.level) if row.level else "—",
                acknowledged, f"{s.on_duty:,}", f"{s.required:,}", verdict]

    def rollup_tooltip(self, row: OfficeBelow, ko: bool) -> str:
        s, ack = row.staffing, row.acknowledgement
        text = f"{row.office.name(ko)} ({row.office.code})"
        if ack is not None:
            text += "\n" + fmt(self.tr("Acknowledged by %1 at %2"), ack.by, self._time(ack.at))
        if s.offices > 1:
            text += "\n" + fmt(self.tr("%1 of %2 offices short"), s.offices_short, s.offices)
        return text

    def _render_rollup(self, v: DutyView, ko: bool) -> None:
        """Only the cells whose text, tooltip or colour changed are set, with the columns held
        while they are: a column sized to its contents re-measures itself at every cell set (the
        108 cells of a national HQ took 30-40 ms idle, and up to 440 ms while the morning's
        openings arrived, mostly for the one office whose figures moved)."""
        self.tabs.setTabText(0, fmt(self.tr("Offices below (%1)"), len(v.offices_below)))
        t = self.ctx.theme.current
        if self.rollup.rowCount() != len(v.offices_below):
            self.rollup.setRowCount(len(v.offices_below))
        changed: list[tuple[int, int, QTableWidgetItem]] = []
        for r, row in enumerate(v.offices_below):
            tip = self.rollup_tooltip(row, ko)
            short = not row.staffing.meets or row.staffing.offices_short > 0
            for col, text in enumerate(self.rollup_cells(row, ko)):
                colour = ("code0" if col == 2 and row.acknowledged is False
                          else ("code0" if short else "ok") if col == 5 else None)
                shown = (text, tip, row.office.code, colour, t.name)
                if self._rollup_shown.get((r, col)) == shown and self.rollup.item(r, col) is not None:
                    continue
                self._rollup_shown[(r, col)] = shown
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.office.code)
                item.setToolTip(tip)
                if colour is not None:
                    item.setForeground(t.color(colour))
                if col in (3, 4):  # counts
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                changed.append((r, col, item))
        if not changed:
            return
        header = self.rollup.horizontalHeader()
        sized = range(1, ROLLUP_COLUMNS)  # the office's column stretches
        for col in sized:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        for r, col, item in changed:
            self.rollup.setItem(r, col, item)
        for col in sized:  # measured once, now
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self._split()

    # -- actions ------------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _error(self, exc: BaseException) -> None:
        self._say(getattr(exc, "message", str(exc)))

    def acknowledge_first(self) -> None:
        """One action acknowledges every waiting order for this office."""
        if self.view is None:
            return
        self._say("")
        for order in self.view.unacknowledged:
            self.ctx.ops.submit(MutationRequest("duty.acknowledge", K.DUTY_ORDER, order.id,
                                                {"org_code": self.ctx.user.org_code}), on_error=self._error)

    def _update_on_duty(self) -> None:
        self._say("")
        self.ctx.ops.submit(MutationRequest("org.personnel", K.ORG, self.ctx.user.org_code,
                                            {"personnel_on_duty": self.on_duty_spin.value()}),
                            on_error=self._error)

    def _select_all_targets(self) -> None:
        for i in range(self.targets.count()):
            self.targets.item(i).setCheckState(Qt.CheckState.Checked)

    def chosen_targets(self) -> list[str]:
        return [str(self.targets.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.targets.count())
                if self.targets.item(i).checkState() == Qt.CheckState.Checked]

    def issue_order(self) -> None:
        targets = self.chosen_targets()
        if not targets:
            self._say(self.tr("Tick at least one office to order."))
            return
        self._say("")
        now = self.ctx.now() - timedelta(seconds=1)
        payload = {"level": self.level_combo.currentData(), "targets": targets,
                   "effective_from": iso(now), "reason": self.reason_edit.text().strip()}
        reason_en = self.reason_en_edit.text().strip()
        if reason_en:
            payload["reason_en"] = reason_en

        def done(_e: Any) -> None:
            self.reason_edit.clear()
            self.reason_en_edit.clear()

        self.ctx.ops.submit(MutationRequest("duty.issue", K.DUTY_ORDER, uuid.uuid4().hex, payload),
                            on_done=done, on_error=self._error)


def build(ctx: PanelContext) -> QWidget:
    return DutyPanel(ctx)


PANEL = PanelSpec(
    object_name="duty_level",
    title=QT_TRANSLATE_NOOP("Panels", "Duty level"),
    area="right",
    factory=build,
    order=30,
    opens=(K.DUTY_ORDER.value,),
)
