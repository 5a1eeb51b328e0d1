"""Directives (지시사항): the directives standing for this office and the one-click acknowledgement
of those waiting (a red band and the duty order's alert sound, like an unacknowledged duty order);
in HQ role, issuing a directive to the offices below and each office's acknowledgement. A thin
widget over console.views.directives."""

from __future__ import annotations

import uuid
from typing import Any

from console.domain.directives import DirectivePriority
from console.domain.records import RecordKind
from console.domain.roles import Role, may
from console.ui.alerts import AlertKind, AlertSound
from console.ui.cap_actions import install_directive_menu
from console.ui.chain_documents import kst
from console.ui.chain_labels import bilingual, priority_label
from console.ui.chain_widgets import AlertBand, TargetList, current_key, error_line, fill, text_table
from console.ui.i18n import is_korean
from console.ui.operations import MutationRequest
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QBrush,
    QColor,
    QComboBox,
    QEvent,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTabWidget,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    Signal,
    fmt,
)
from console.views.directives import DirectivesView, directives_view

K = RecordKind


def hm(value: str) -> str:
    """'08:05' (KST); the day is today's in a situation room's directives."""
    return kst(value)[11:16]


class DirectivesPanel(QWidget):
    state_loaded = Signal()

    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: DirectivesView | None = None
        role = Role(ctx.user.role)
        self.can_issue = may(role, "directive.issue")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 4, 6, 4)
        self.band = AlertBand("unacknowledged_directive", "acknowledge_directives")
        self.band.button.clicked.connect(self.acknowledge_all)
        self.band.button.setEnabled(may(role, "directive.acknowledge"))
        outer.addWidget(self.band)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("directive_tabs")
        self.tabs.setDocumentMode(True)
        self.standing = text_table("standing_directives", 4)  # priority, from, issued, text
        self.tabs.addTab(self.standing, "")
        self.issued = QtWidgets.QTreeWidget()
        self.issued.setObjectName("issued_directives")
        self.issued.setColumnCount(3)
        self.issued.setRootIsDecorated(True)
        header = self.issued.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        # Right-click > Export as CAP… for the directive chosen in either list.
        install_directive_menu(ctx, self.standing, lambda: current_key(self.standing))
        install_directive_menu(ctx, self.issued, self.selected_issued)
        self.issue_box = QWidget()
        if self.can_issue:
            issued_tab = QWidget()
            col = QVBoxLayout(issued_tab)
            col.setContentsMargins(0, 0, 0, 0)
            col.addWidget(self.issued, 1)
            self.cancel_button = QPushButton()
            self.cancel_button.setObjectName("cancel_directive")
            self.cancel_button.clicked.connect(self.cancel_selected)
            col.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignLeft)
            self.tabs.addTab(issued_tab, "")
            self.tabs.addTab(self._build_form(), "")
        outer.addWidget(self.tabs, 1)
        self.message = error_line("directive_message")
        outer.addWidget(self.message)

        self.sound = AlertSound(self)
        self._announced: set[str] = set()
        self._ticks = 0
        ctx.changes.rows_changed.connect(self._on_rows_changed)
        ctx.changes.tick.connect(self._on_tick)
        self.retranslate()
        self.reload()

    def _build_form(self) -> QWidget:
        form = QGridLayout(self.issue_box)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("directive_text")
        self.text_edit.setMaximumHeight(90)
        self.text_en_edit = QLineEdit()
        self.text_en_edit.setObjectName("directive_text_en")
        self.priority_combo = QComboBox()
        self.priority_combo.setObjectName("directive_priority")
        for p in (DirectivePriority.ROUTINE, DirectivePriority.IMPORTANT, DirectivePriority.URGENT):
            self.priority_combo.addItem(priority_label(p.value), p.value)
        self.targets = TargetList("directive_targets")
        self.issue_button = QPushButton()
        self.issue_button.setObjectName("issue_directive")
        self.issue_button.clicked.connect(self.issue)
        self.captions = [QLabel() for _ in range(4)]
        for row, (cap, w) in enumerate(zip(self.captions, (self.text_edit, self.text_en_edit,
                                                           self.priority_combo, self.targets), strict=True)):
            form.addWidget(cap, row, 0, Qt.AlignmentFlag.AlignTop)
            form.addWidget(w, row, 1)
        form.addWidget(self.issue_button, 4, 1, Qt.AlignmentFlag.AlignRight)
        form.setRowStretch(3, 1)
        return self.issue_box

    def retranslate(self) -> None:
        self.band.button.setText(self.tr("Acknowledge"))
        self.tabs.setTabText(0, self.tr("In force"))
        self.standing.setHorizontalHeaderLabels([self.tr("Priority"), self.tr("From"), self.tr("Issued at"),
                                                 self.tr("Directive")])
        if self.can_issue:
            self.tabs.setTabText(1, self.tr("Issued"))
            self.tabs.setTabText(2, self.tr("Issue directive"))
            self.issued.setHeaderLabels([self.tr("Directive / office"), self.tr("Acknowledged"),
                                         self.tr("When")])
            for cap, text in zip(self.captions, (self.tr("Directive (Korean)"), self.tr("English (optional)"),
                                                 self.tr("Priority"), self.tr("To")), strict=True):
                cap.setText(text)
            for i in range(self.priority_combo.count()):
                self.priority_combo.setItemText(i, priority_label(str(self.priority_combo.itemData(i))))
            self.issue_button.setText(self.tr("Issue directive"))
            self.cancel_button.setText(self.tr("Withdraw directive…"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        reads, user, now = self.ctx.replica, self.ctx.user, self.ctx.now()
        self.ctx.ops.query(lambda: directives_view(reads, user.org_code, user.org_path, user.role, now),
                           self._loaded, key="directives")

    def _loaded(self, view: DirectivesView) -> None:
        self.view = view
        self._render()
        self.state_loaded.emit()

    def _on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        if K.DIRECTIVE in changes or K.ORG in changes:
            self.reload()

    def _on_tick(self) -> None:
        self._ticks += 1
        if self._ticks % 30 == 0:
            self.reload()

    # -- rendering ----------------------------------------------------------------------------
    def _render(self) -> None:
        v = self.view
        if v is None:
            return
        ko = is_korean()
        self._render_band(v, ko)
        alert = self.ctx.theme.current.code0
        fill(self.standing, [[priority_label(d.priority.value), v.office_name(d.issuer_code, ko),
                              hm(d.issued_at), bilingual(d.text, d.text_en, ko)]
                             for d in v.standing], [d.id for d in v.standing],
             [i for i, d in enumerate(v.standing) if not d.acknowledged_by(v.office_code)], alert)
        if self.can_issue:
            self.targets.set_offices([(o.code, o.name(ko)) for o in v.targets])
            self._render_issued(v, ko)

    def _render_band(self, v: DirectivesView, ko: bool) -> None:
        if not v.waiting:
            self.band.hide()
            return
        d = v.waiting[0]
        text = fmt(self.tr("UNACKNOWLEDGED DIRECTIVE (%1) from %2: %3"), priority_label(d.priority.value),
                   v.office_name(d.issuer_code, ko), bilingual(d.text, d.text_en, ko))
        if len(v.waiting) > 1:
            text += " " + fmt(self.tr("(%1 directives waiting)"), len(v.waiting))
        self.band.text.setText(text)
        self.band.show()
        fresh = [d.id for d in v.waiting if d.id not in self._announced]
        if fresh:
            # Like a duty order: a new directive brings this panel to front and sounds once.
            self._announced.update(fresh)
            self.ctx.selection.open(K.DIRECTIVE.value, fresh[0])
            self.sound.play(AlertKind.DUTY_ORDER, keys=[f"directive:{k}" for k in fresh])

    def _render_issued(self, v: DirectivesView, ko: bool) -> None:
        tops = [self.issued.topLevelItem(i) for i in range(self.issued.topLevelItemCount())]
        open_ids = {t.data(0, Qt.ItemDataRole.UserRole) for t in tops if t is not None and t.isExpanded()}
        self.issued.clear()
        alert = self.ctx.theme.current.code0
        for item in v.issued:
            d = item.directive
            top = QtWidgets.QTreeWidgetItem([
                f"[{priority_label(d.priority.value)}] {bilingual(d.text, d.text_en, ko)}",
                fmt(self.tr("%1 of %2"), item.acknowledged, len(item.acks)),
                hm(d.issued_at)])
            top.setData(0, Qt.ItemDataRole.UserRole, d.id)
            for office, ack in item.acks:
                child = QtWidgets.QTreeWidgetItem([
                    office.name(ko), self.tr("Yes") if ack else self.tr("Not yet"),
                    hm(ack.at) + f" · {ack.by}" if ack else ""])
                if ack is None:
                    child.setForeground(1, QBrush(QColor(alert)))
                top.addChild(child)
            self.issued.addTopLevelItem(top)
            top.setExpanded(d.id in open_ids or len(v.issued) == 1)
        for col in (1, 2):
            self.issued.resizeColumnToContents(col)

    # -- actions ------------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _error(self, exc: BaseException) -> None:
        self._say(getattr(exc, "message", str(exc)))

    def acknowledge_all(self) -> None:
        """One action acknowledges every directive waiting for this office."""
        if self.view is None:
            return
        self._say("")
        for d in self.view.waiting:
            self.ctx.ops.submit(MutationRequest("directive.acknowledge", K.DIRECTIVE, d.id,
                                                {"org_code": self.ctx.user.org_code}), on_error=self._error)

    def selected_issued(self) -> str | None:
        item = self.issued.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        value = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return str(value) if value else None

    def cancel_selected(self, confirm: bool = True) -> None:
        """Withdraw the chosen directive (after a confirmation): it no longer stands or waits."""
        did = self.selected_issued()
        if did is None:
            self._say(self.tr("Choose a directive you issued first."))
            return
        if confirm:
            answer = QMessageBox.question(
                self, self.tr("Withdraw directive"),
                self.tr("Withdraw this directive? The offices will no longer be asked to acknowledge it."))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._say("")
        self.ctx.ops.submit(MutationRequest("directive.cancel", K.DIRECTIVE, did, {}), on_error=self._error)

    def issue(self) -> None:
        text = self.text_edit.toPlainText().strip()
        targets = self.targets.chosen()
        if not text:
            self._say(self.tr("Write the directive first."))
            return
        if not targets:
            self._say(self.tr("Tick at least one office to direct."))
            return
        self._say("")
        payload: dict[str, Any] = {"targets": targets, "text": text,
                                   "priority": self.priority_combo.currentData()}
        if self.text_en_edit.text().strip():
            payload["text_en"] = self.text_en_edit.text().strip()

        def done(_r: Any) -> None:
            self.text_edit.clear()
            self.text_en_edit.clear()
            self.tabs.setCurrentIndex(1)

        self.ctx.ops.submit(MutationRequest("directive.issue", K.DIRECTIVE, uuid.uuid4().hex, payload),
                            on_done=done, on_error=self._error)


def build(ctx: PanelContext) -> QWidget:
    return DirectivesPanel(ctx)


PANEL = PanelSpec(
    object_name="directives",
    title=QT_TRANSLATE_NOOP("Panels", "Directives"),
    area="left",
    factory=build,
    order=62,
    opens=(K.DIRECTIVE.value,),
    group="records",
)
