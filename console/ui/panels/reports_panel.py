"""Scheduled situation reports: the office's prompt when a report is due (the draft prefilled from
console.views.sitrep, the commander's remarks, submit; a correction is a new version), its
scheduled times today; in HQ role each office below at a scheduled time (submitted / due /
overdue), any submitted report opened, the roll-up as a PDF, and setting the schedule. A thin
widget over console.views.reporting."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from console.domain.clock import iso
from console.domain.records import RecordKind
from console.domain.reporting import SituationReport, SlotState
from console.domain.roles import Role, may
from console.ui.alerts import AlertKind, AlertSound
from console.ui.chain_documents import kst, report_document, rollup_document
from console.ui.chain_labels import state_label
from console.ui.chain_widgets import AlertBand, TargetList, current_key, error_line, fill, text_table
from console.ui.dialogs.chain_dialogs import DocumentDialog, ReportDraftDialog
from console.ui.i18n import is_korean
from console.ui.operations import MutationRequest
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QEvent,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
    fmt,
)
from console.ui.report_html import report_html
from console.views import sitrep
from console.views.reporting import ReportingView, Slot, report_content, reporting_view, rollup
from console.views.scoped_reads import ScopedReads

K = RecordKind
ALERT_STATES = (SlotState.OVERDUE, SlotState.DUE, SlotState.LATE)


class ReportsPanel(QWidget):
    state_loaded = Signal()
    dialog_opened = Signal(object)  # the dialog, for tests and screenshots

    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: ReportingView | None = None
        role = Role(ctx.user.role)
        self.can_submit = may(role, "report.submit")
        self.can_schedule = may(role, "schedule.set")
        self.board_at: datetime | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 4, 6, 4)
        self.band = AlertBand("report_due", "prepare_report")
        self.band.button.clicked.connect(self.prepare_prompted)
        outer.addWidget(self.band)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("report_tabs")
        self.tabs.setDocumentMode(True)
        outer.addWidget(self.tabs, 1)

        # This office's own scheduled times today.
        own = QWidget()
        col = QVBoxLayout(own)
        col.setContentsMargins(0, 0, 0, 0)
        self.own_table = text_table("own_reports", 5)  # time, state, made, by, remarks
        self.own_table.doubleClicked.connect(lambda _i: self.open_own())
        col.addWidget(self.own_table, 1)
        buttons = QHBoxLayout()
        self.prepare_button, self.correct_button = QPushButton(), QPushButton()
        self.open_button = QPushButton()
        self.prepare_button.setObjectName("prepare_selected")
        self.correct_button.setObjectName("correct_report")
        self.prepare_button.clicked.connect(self.prepare_selected)
        self.correct_button.clicked.connect(self.correct_selected)
        self.open_button.clicked.connect(self.open_own)
        for b in (self.prepare_button, self.correct_button, self.open_button):
            buttons.addWidget(b)
            b.setVisible(b is self.open_button or self.can_submit)
        buttons.addStretch(1)
        col.addLayout(buttons)
        self.tabs.addTab(own, "")

        if self.can_schedule:
            self.tabs.addTab(self._build_board(), "")
            self.tabs.addTab(self._build_schedule_form(), "")
        self.message = error_line("report_message")
        outer.addWidget(self.message)

        self.sound = AlertSound(self)
        self._announced: set[str] = set()
        self._ticks = 0
        ctx.changes.rows_changed.connect(self._on_rows_changed)
        ctx.changes.tick.connect(self._on_tick)
        self.retranslate()
        self.reload()

    def _build_board(self) -> QWidget:
        board = QWidget()
        col = QVBoxLayout(board)
        col.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.time_combo = QComboBox()
        self.time_combo.setObjectName("board_time")
        self.time_combo.activated.connect(self._time_chosen)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("board_counts")
        top.addWidget(self.time_combo)
        top.addWidget(self.counts_label, 1)
        col.addLayout(top)
        self.board_table = text_table("report_board", 5)  # office, state, made, by, remarks
        self.board_table.doubleClicked.connect(lambda _i: self.open_board())
        col.addWidget(self.board_table, 1)
        row = QHBoxLayout()
        self.open_board_button, self.rollup_button = QPushButton(), QPushButton()
        self.rollup_button.setObjectName("rollup_report")
        self.open_board_button.clicked.connect(self.open_board)
        self.rollup_button.clicked.connect(self.make_rollup)
        row.addWidget(self.open_board_button)
        row.addWidget(self.rollup_button)
        row.addStretch(1)
        col.addLayout(row)
        return board

    def _build_schedule_form(self) -> QWidget:
        box = QWidget()
        form = QGridLayout(box)
        self.schedule_title = QLineEdit()
        self.schedule_title.setObjectName("schedule_title")
        self.schedule_times = QLineEdit("09:00, 18:00")
        self.schedule_times.setObjectName("schedule_times")
        self.schedule_every = QSpinBox()
        self.schedule_every.setObjectName("schedule_every")
        self.schedule_every.setRange(0, 1440)
        self.schedule_every.setSingleStep(15)
        self.schedule_hours = QSpinBox()
        self.schedule_hours.setObjectName("schedule_hours")
        self.schedule_hours.setRange(1, 24 * 60)
        self.schedule_hours.setValue(24)
        self.schedule_grace = QSpinBox()
        self.schedule_grace.setRange(0, 180)
        self.schedule_grace.setValue(10)
        self.schedule_targets = TargetList("schedule_targets")
        self.schedule_button = QPushButton()
        self.schedule_button.setObjectName("set_schedule")
        self.schedule_button.clicked.connect(self.set_schedule)
        self.schedules_label = QLabel()
        self.schedules_label.setWordWrap(True)
        self.schedule_captions = [QLabel() for _ in range(6)]
        widgets = (self.schedule_title, self.schedule_times, self.schedule_every, self.schedule_hours,
                   self.schedule_grace, self.schedule_targets)
        for r, (cap, w) in enumerate(zip(self.schedule_captions, widgets, strict=True)):
            form.addWidget(cap, r, 0)
            form.addWidget(w, r, 1)
        form.addWidget(self.schedule_button, 6, 1)
        form.addWidget(self.schedules_label, 7, 0, 1, 2)
        form.setRowStretch(5, 1)
        return box

    def retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("This office"))
        self.own_table.setHorizontalHeaderLabels([self.tr("Time"), self.tr("State"), self.tr("Made"),
                                                  self.tr("By"), self.tr("Remarks")])
        self.prepare_button.setText(self.tr("&Prepare report…"))
        self.correct_button.setText(self.tr("&Correct…"))
        self.open_button.setText(self.tr("&Open"))
        self.band.button.setText(self.tr("Prepare report…"))
        if self.can_schedule:
            self.tabs.setTabText(1, self.tr("Offices below"))
            self.tabs.setTabText(2, self.tr("Schedule"))
            self.board_table.setHorizontalHeaderLabels([self.tr("Office"), self.tr("State"), self.tr("Made"),
                                                        self.tr("By"), self.tr("Remarks")])
            self.open_board_button.setText(self.tr("Open report"))
            self.rollup_button.setText(self.tr("&Roll-up report…"))
            for cap, text in zip(self.schedule_captions, (
                    self.tr("Title"), self.tr("Times of day (HH:MM)"), self.tr("Or every (minutes)"),
                    self.tr("For (hours)"), self.tr("Grace (minutes)"), self.tr("Offices")), strict=True):
                cap.setText(text)
            self.schedule_button.setText(self.tr("Set schedule"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        reads, user, now, at = self.ctx.replica, self.ctx.user, self.ctx.now(), self.board_at
        self.ctx.ops.query(lambda: reporting_view(reads, user.org_code, user.org_path, user.role, now, at),
                           self._loaded, key="reporting")

    def _loaded(self, view: ReportingView) -> None:
        self.view = view
        self._render()
        self.state_loaded.emit()

    def _on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        if {K.REPORT_SCHEDULE, K.SITUATION_REPORT, K.ORG} & set(changes):
            self.reload()

    def _on_tick(self) -> None:
        self._ticks += 1
        v = self.view
        due = v is not None and v.next_change is not None and self.ctx.now() >= v.next_change
        if due or self._ticks % 30 == 0:
            self.reload()

    def _time_chosen(self, index: int) -> None:
        self.board_at = self.time_combo.itemData(index)
        self.reload()

    # -- rendering ----------------------------------------------------------------------------
    def _render(self) -> None:
        v = self.view
        if v is None:
            return
        ko = is_korean()
        alert = self.ctx.theme.current.code0
        self._render_band(v)
        fill(self.own_table, [self._cells(s, s.at.strftime("%H:%M")) for s in v.own],
             [_key(s) for s in v.own], [i for i, s in enumerate(v.own) if s.state in ALERT_STATES], alert)
        if self.can_schedule:
            self.time_combo.blockSignals(True)
            self.time_combo.clear()
            for t in v.times:
                self.time_combo.addItem(t.strftime("%H:%M"), t)
            if v.board_at is not None:
                self.time_combo.setCurrentIndex(list(v.times).index(v.board_at))
            self.time_combo.blockSignals(False)
            n = v.counts()
            self.counts_label.setText(fmt(self.tr("Submitted %1 · late %2 · due %3 · overdue %4"),
                                          n[SlotState.SUBMITTED], n[SlotState.LATE], n[SlotState.DUE],
                                          n[SlotState.OVERDUE]) if v.board else self.tr("No schedule set"))
            fill(self.board_table, [self._cells(s, s.office.name(ko)) for s in v.board],
                 [s.office.code for s in v.board],
                 [i for i, s in enumerate(v.board) if s.state in ALERT_STATES], alert)
            self.schedule_targets.set_offices([(o.code, o.name(ko)) for o in v.offices.values()
                                               if v.office is not None and o.parent_code == v.office.code])
            self.schedules_label.setText("\n".join(
                fmt(self.tr("In force: %1 (%2)"), s.title or s.id[:8],
                    ", ".join(s.times) if s.times else fmt(self.tr("every %1 min"), s.every_minutes))
                for s in v.issued))

    def _cells(self, s: Slot, first: str) -> list[str]:
        r = s.report
        made = kst(r.made_at)[11:16] if r else ""
        if r is not None and r.version > 1:
            made += " " + fmt(self.tr("(v%1)"), r.version)
        return [first, state_label(s.state.value), made, r.made_by if r else "", (r.remarks if r else "")]

    def _render_band(self, v: ReportingView) -> None:
        p = v.prompt
        if p is None or not self.can_submit:
            self.band.hide()
            return
        words = (self.tr("REPORT DUE: the %1 report, by %2.") if p.state == SlotState.DUE
                 else self.tr("REPORT OVERDUE: the %1 report was due by %2."))
        self.band.text.setText(fmt(words, p.at.strftime("%H:%M"), p.deadline.strftime("%H:%M")))
        self.band.show()
        if _key(p) not in self._announced:
            self._announced.add(_key(p))
            self.ctx.selection.open(K.SITUATION_REPORT.value, _key(p))
            self.sound.play(AlertKind.DUTY_ORDER, keys=[f"report:{_key(p)}"])

    # -- actions ------------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _error(self, exc: BaseException) -> None:
        self._say(getattr(exc, "message", str(exc)))

    def _selected_own(self) -> Slot | None:
        key = current_key(self.own_table)
        return next((s for s in self.view.own if _key(s) == key), None) if self.view else None

    def prepare_prompted(self) -> None:
        if self.view is not None and self.view.prompt is not None:
            self.prepare(self.view.prompt)

    def prepare_selected(self) -> None:
        slot = self._selected_own() or (self.view.prompt if self.view else None)
        if slot is None:
            self._say(self.tr("Choose a scheduled time first."))
            return
        if slot.report is not None:
            self._say(self.tr("That report was submitted: correct it instead."))
            return
        self.prepare(slot)

    def correct_selected(self) -> None:
        slot = self._selected_own()
        if slot is None or slot.report is None:
            self._say(self.tr("Choose a submitted report to correct."))
            return
        self.prepare(slot, replaces=slot.report)

    def prepare(self, slot: Slot | None, replaces: SituationReport | None = None) -> None:
        """Draft the report from the data now (on the database worker), then show it for remarks."""
        self._say("")
        # The office's own scope (a console's replica holds no more; an HQ's holds the offices below).
        user, now = self.ctx.user, self.ctx.now()
        reads = ScopedReads(self.ctx.replica, user.org_path)
        status = self.ctx.changes.status
        offline = str(status.connection) != "online"

        def draft() -> sitrep.SituationReport:
            return sitrep.build_situation_report(reads, user.org_code, now, author=user.username, remarks="",
                                                 made_at=now,
                                                 data_as_of=status.data_as_of, offline=offline)

        self.ctx.ops.query(draft, lambda d: self._show_draft(d, slot, replaces), on_error=self._error)

    def _show_draft(self, draft: sitrep.SituationReport, slot: Slot | None,
                    replaces: SituationReport | None) -> None:
        when = slot.at.strftime("%H:%M") if slot else kst(draft.at)
        intro = (fmt(self.tr("Correction of the %1 report (version %2 replaces version %3)."), when,
                     replaces.version + 1, replaces.version) if replaces
                 else fmt(self.tr("The %1 report, drafted from the data now. Add your remarks and submit."),
                          when))

        def submit(remarks: str) -> None:
            payload: dict[str, Any] = {"remarks": remarks, "content": report_content(draft)}
            if slot is not None:
                payload.update(schedule_id=slot.schedule.id, slot=iso(slot.at))
            if replaces is not None:
                payload["replaces"] = replaces.id
            request = MutationRequest("report.submit", K.SITUATION_REPORT, uuid.uuid4().hex, payload)
            self.ctx.ops.submit(request, on_error=self._error)

        dialog = ReportDraftDialog(self.tr("Situation report"), intro, report_html(draft),
                                   replaces.remarks if replaces else "", submit, self)
        self.dialog_opened.emit(dialog)
        dialog.open()

    def _open_report(self, report: SituationReport, state: str) -> None:
        ko = is_korean()
        name = self.view.office_name(report.office_code, ko) if self.view else report.office_code
        dialog = DocumentDialog(self.tr("Situation report"), report_document(report, name, state), self)
        self.dialog_opened.emit(dialog)
        dialog.open()

    def open_own(self) -> None:
        slot = self._selected_own()
        if slot is not None and slot.report is not None:
            self._open_report(slot.report, slot.state.value)

    def open_board(self) -> None:
        key = current_key(self.board_table)
        slot = next((s for s in self.view.board if s.office.code == key), None) if self.view else None
        if slot is None or slot.report is None:
            self._say(self.tr("Choose an office that submitted its report."))
            return
        self._open_report(slot.report, slot.state.value)

    def make_rollup(self) -> None:
        view = self.view
        if view is None or view.board_at is None:
            self._say(self.tr("No scheduled time to roll up."))
            return
        reads, user, now = self.ctx.replica, self.ctx.user, self.ctx.now()
        self.ctx.ops.query(lambda: rollup(reads, view, author=user.username, made_at=now), self._show_rollup,
                           on_error=self._error)

    def _show_rollup(self, r: Any) -> None:
        ko = is_korean()
        view = self.view

        def names(code: str) -> str:
            return view.office_name(code, ko) if view is not None else code

        dialog = DocumentDialog(self.tr("Roll-up report"), rollup_document(r, names), self)
        self.dialog_opened.emit(dialog)
        dialog.open()

    def set_schedule(self) -> None:
        targets = self.schedule_targets.chosen()
        every = self.schedule_every.value()
        times = [t.strip() for t in self.schedule_times.text().replace(";", ",").split(",") if t.strip()]
        if not targets:
            self._say(self.tr("Tick at least one office."))
            return
        now = self.ctx.now()
        payload: dict[str, Any] = {
            "targets": targets, "title": self.schedule_title.text().strip(),
            "starts_at": iso(now.replace(minute=0, second=0, microsecond=0) if every else now),
            "ends_at": iso(now + timedelta(hours=self.schedule_hours.value())),
            "grace_minutes": self.schedule_grace.value()}
        if every:
            payload["every_minutes"] = every
        else:
            payload["times"] = times
        self._say("")
        self.ctx.ops.submit(MutationRequest("schedule.set", K.REPORT_SCHEDULE, uuid.uuid4().hex, payload),
                            on_done=lambda _r: self.tabs.setCurrentIndex(1), on_error=self._error)


def _key(slot: Slot) -> str:
    return f"{slot.schedule.id}@{iso(slot.at)}"


def build(ctx: PanelContext) -> QWidget:
    return ReportsPanel(ctx)


PANEL = PanelSpec(
    object_name="reports",
    title=QT_TRANSLATE_NOOP("Panels", "Reports"),
    area="left",
    factory=build,
    order=63,
    opens=(K.SITUATION_REPORT.value,),
    group="records",
)
