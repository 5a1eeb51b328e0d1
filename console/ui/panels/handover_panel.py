"""Shift handover (인수인계): the outgoing duty officer's handover drafted from the data (activity
log, open incidents with owner and age, order and directives in force, reports due) with free
entries and notes for the next shift; the incoming officer takes it over; every handover opens
as it prints (PDF). A thin widget over console.views.handover."""

from __future__ import annotations

import uuid
from typing import Any

from console.domain.clock import iso
from console.domain.handovers import ActivityEntry, Handover, LogSource
from console.domain.records import RecordKind, from_stored
from console.domain.roles import Role, may
from console.ui.chain_documents import handover_document, handover_html, kst
from console.ui.chain_widgets import AlertBand, current_key, error_line, fill, text_table
from console.ui.dialogs.chain_dialogs import DocumentDialog
from console.ui.office_names import office_names
from console.ui.operations import MutationRequest
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QEvent,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    Signal,
    fmt,
)
from console.views.handover import HandoverDraft, HandoversView, handover_draft, handovers_view

K = RecordKind


class HandoverPanel(QWidget):
    state_loaded = Signal()
    draft_loaded = Signal()
    dialog_opened = Signal(object)

    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: HandoversView | None = None
        self.draft: HandoverDraft | None = None
        self.free: list[ActivityEntry] = []
        self.offices = office_names(ctx)  # the console's one book of office names
        role = Role(ctx.user.role)
        self.can_make = may(role, "handover.make")
        self.can_take = may(role, "handover.take_over")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 4, 6, 4)
        self.band = AlertBand("handover_waiting", "take_over")
        self.band.button.clicked.connect(self.take_over)
        outer.addWidget(self.band)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("handover_tabs")
        self.tabs.setDocumentMode(True)
        outer.addWidget(self.tabs, 1)

        make = QWidget()
        col = QVBoxLayout(make)
        col.setContentsMargins(0, 0, 0, 0)
        self.preview = QTextBrowser()
        self.preview.setObjectName("handover_preview")
        col.addWidget(self.preview, 1)
        entry = QHBoxLayout()
        self.entry_edit = QLineEdit()
        self.entry_edit.setObjectName("handover_entry")
        self.entry_edit.returnPressed.connect(self.add_entry)
        self.entry_button = QPushButton()
        self.entry_button.clicked.connect(self.add_entry)
        entry.addWidget(self.entry_edit, 1)
        entry.addWidget(self.entry_button)
        col.addLayout(entry)
        self.notes_caption = QLabel()
        col.addWidget(self.notes_caption)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("handover_notes")
        self.notes.setMaximumHeight(80)
        col.addWidget(self.notes)
        row = QHBoxLayout()
        self.refresh_button, self.hand_over_button = QPushButton(), QPushButton()
        self.hand_over_button.setObjectName("hand_over")
        self.refresh_button.clicked.connect(self.prepare)
        self.hand_over_button.clicked.connect(self.hand_over)
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        row.addWidget(self.hand_over_button)
        col.addLayout(row)
        if self.can_make:
            self.tabs.addTab(make, "")

        history = QWidget()
        hcol = QVBoxLayout(history)
        hcol.setContentsMargins(0, 0, 0, 0)
        self.history = text_table("handover_history", 4)  # made, outgoing, taken over by, at
        self.history.doubleClicked.connect(lambda _i: self.open_selected())
        hcol.addWidget(self.history, 1)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_selected)
        hcol.addWidget(self.open_button)
        self.tabs.addTab(history, "")
        self.message = error_line()
        outer.addWidget(self.message)
        ctx.changes.rows_changed.connect(self._on_rows_changed)
        self.offices.changed.connect(self._render)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.band.button.setText(self.tr("&Take over"))
        self.entry_edit.setPlaceholderText(self.tr("A log entry of your own (what was done)"))
        self.entry_button.setText(self.tr("Add to log"))
        self.notes_caption.setText(self.tr("Notes for the next shift:"))
        self.refresh_button.setText(self.tr("Draft from the data &now"))
        self.hand_over_button.setText(self.tr("&Hand over"))
        self.open_button.setText(self.tr("Open / print…"))
        if self.can_make:
            self.tabs.setTabText(0, self.tr("Hand over"))
        self.tabs.setTabText(self.tabs.count() - 1, self.tr("Handovers"))
        self.history.setHorizontalHeaderLabels([self.tr("Handed over"), self.tr("Outgoing"),
                                                self.tr("Taken over by"), self.tr("At")])
        self._render()
        self._render_draft()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        reads, user, now = self.ctx.replica, self.ctx.user, self.ctx.now()
        self.ctx.ops.query(lambda: handovers_view(reads, user.org_code, now), self._loaded, key="handovers")

    def _loaded(self, view: HandoversView) -> None:
        self.view = view
        self._render()
        self.state_loaded.emit()

    def _on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        if K.HANDOVER in changes:
            self.reload()

    def prepare(self) -> None:
        reads, user, now = self.ctx.replica, self.ctx.user, self.ctx.now()
        self.ctx.ops.query(lambda: handover_draft(reads, user.org_code, user.org_path, user.role, now),
                           self._drafted, key="handover-draft", on_error=self._error)

    def _drafted(self, draft: HandoverDraft) -> None:
        self.draft = draft
        self._render_draft()
        self.draft_loaded.emit()

    # -- rendering ----------------------------------------------------------------------------
    def _name(self, code: str) -> str:
        return self.offices.name(code)

    def _provisional(self) -> Handover | None:
        d = self.draft
        if d is None:
            return None
        data = {"id": "draft", "office_code": d.office_code, "outgoing": self.ctx.user.username,
                "made_at": iso(d.shift_until),
                **d.payload(self.notes.toPlainText().strip(), tuple(self.free))}
        handover: Handover = from_stored(K.HANDOVER, data)
        return handover

    def _render_draft(self) -> None:
        h = self._provisional()
        if h is None:
            hint = self.tr("Press “Draft from the data now” to prepare the handover.")
            self.preview.setHtml(f"<p>{hint}</p>")
            self.hand_over_button.setEnabled(False)
            return
        self.preview.setHtml(handover_html(h, self._name))
        self.hand_over_button.setEnabled(True)

    def _render(self) -> None:
        v = self.view
        if v is None:
            return
        rows = [[kst(h.made_at), h.outgoing, h.taken_over_by or self.tr("Not yet"),
                 kst(h.taken_over_at) if h.taken_over else ""] for h in v.history]
        fill(self.history, rows, [h.id for h in v.history],
             [i for i, h in enumerate(v.history) if not h.taken_over], self.ctx.theme.current.code0)
        p = v.pending
        if p is not None and self.can_take and p.outgoing != self.ctx.user.username:
            self.band.text.setText(fmt(self.tr("HANDOVER WAITING: %1 handed over the shift at %2. "
                                               "Read it (Handovers) and take over."),
                                       p.outgoing, kst(p.made_at)))
            self.band.show()
        else:
            self.band.hide()

    # -- actions ------------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _error(self, exc: BaseException) -> None:
        self._say(getattr(exc, "message", str(exc)))

    def add_entry(self) -> None:
        text = self.entry_edit.text().strip()
        if not text:
            return
        self.free.append(ActivityEntry(at=iso(self.ctx.now()), who=self.ctx.user.username, what=text,
                                       source=LogSource.FREE))
        self.entry_edit.clear()
        self._render_draft()

    def hand_over(self) -> None:
        if self.draft is None:
            return
        payload = self.draft.payload(self.notes.toPlainText().strip(), tuple(self.free))

        def done(_r: Any) -> None:
            self.free.clear()
            self.notes.clear()
            self.draft = None
            self._render_draft()
            self.tabs.setCurrentIndex(self.tabs.count() - 1)

        self._say("")
        self.ctx.ops.submit(MutationRequest("handover.make", K.HANDOVER, uuid.uuid4().hex, payload),
                            on_done=done, on_error=self._error)

    def take_over(self) -> None:
        p = self.view.pending if self.view else None
        if p is None:
            return
        self._say("")
        self.ctx.ops.submit(MutationRequest("handover.take_over", K.HANDOVER, p.id, {}), on_error=self._error)

    def open_selected(self) -> None:
        key = current_key(self.history)
        h = next((x for x in self.view.history if x.id == key), None) if self.view else None
        if h is None and self.view is not None:
            h = self.view.pending
        if h is None:
            return
        handover = h
        dialog = DocumentDialog(self.tr("Shift handover"), handover_document(handover, self._name), self)
        self.dialog_opened.emit(dialog)
        dialog.open()


def build(ctx: PanelContext) -> QWidget:
    return HandoverPanel(ctx)


PANEL = PanelSpec(
    object_name="handover",
    title=QT_TRANSLATE_NOOP("Panels", "Handover"),
    area="left",
    factory=build,
    order=64,
    opens=(K.HANDOVER.value,),
    group="records",
)
