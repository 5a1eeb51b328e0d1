"""Duty level: the level in force, who ordered it and what it demands, compliance, and the
one-click acknowledgement; in HQ role, issuing orders and a per-office roll-up."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from console.domain.clock import iso
from console.domain.duty import DUTY_REQUIREMENTS, DutyLevel, DutyOrder, compliance, level_in_force
from console.domain.errors import DomainError
from console.domain.records import RecordKind, from_stored
from console.domain.roles import Role, may
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
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
    fmt,
)
from console.ui.timefmt import local_time

K = RecordKind
HQ_ROLES = (Role.NATIONAL_HQ, Role.PROVINCIAL_HQ)


@dataclass
class DutyState:
    """What the panel shows, computed on the worker from the replica."""

    orders: list[DutyOrder]
    org: dict[str, Any] | None  # the user's own office
    in_force: DutyOrder | None
    unacknowledged: list[DutyOrder]
    offices_below: list[dict[str, Any]] = field(default_factory=list)
    orgs: dict[str, dict[str, Any]] = field(default_factory=dict)
    issued: list[DutyOrder] = field(default_factory=list)  # by the user's office, newest first


def compute_state(replica: Any, org_code: str, org_path: str, now: datetime) -> DutyState:
    orders: list[DutyOrder] = []
    for r in replica.rows(K.DUTY_ORDER):
        try:
            # from_stored: an order written by a newer version, with fields this one does not
            # know, is still shown (consoles are updated station by station).
            orders.append(from_stored(K.DUTY_ORDER, dict(r.data)))
        except DomainError:
            continue
    orgs = {str(r.data.get("code")): dict(r.data) for r in replica.rows(K.ORG)}
    own = orgs.get(org_code)
    in_force = level_in_force(orders, org_code, now)
    unacked = sorted((o for o in orders if o.covers(org_code) and not o.cancelled
                      and not o.acknowledged_by(org_code)
                      and (o.effective_until is None or o.in_force(now) or o.effective_from > iso(now))),
                     key=lambda o: o.issued_at, reverse=True)
    below = sorted((d for d in orgs.values() if str(d.get("path", "")).startswith(org_path)
                    and d.get("code") != org_code), key=lambda d: (str(d.get("level")), str(d.get("code"))))
    issued = sorted((o for o in orders if o.issuer_code == org_code and not o.cancelled),
                    key=lambda o: (o.issued_at, o.id), reverse=True)
    return DutyState(orders, own, in_force, unacked, below, orgs, issued)


class DutyPanel(QWidget):
    state_loaded = Signal()

    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.state: DutyState | None = None
        self.is_hq = Role(ctx.user.role) in HQ_ROLES
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        # An unacknowledged order is impossible to miss: a red band, one button.
        self.ack_band = QFrame()
        self.ack_band.setObjectName("unacknowledged_order")
        self.ack_band.setProperty("role", "alert")
        band = QHBoxLayout(self.ack_band)
        self.ack_text = QLabel()
        self.ack_text.setWordWrap(True)
        self.ack_button = QPushButton()
        self.ack_button.setObjectName("acknowledge_order")
        self.ack_button.setMinimumHeight(34)
        self.ack_button.clicked.connect(self.acknowledge_first)
        band.addWidget(self.ack_text, 1)
        band.addWidget(self.ack_button)
        self.ack_band.hide()
        layout.addWidget(self.ack_band)

        self.level_label = QLabel()
        self.level_label.setObjectName("level_in_force")
        self.level_label.setProperty("role", "big")
        self.order_label = QLabel()
        self.order_label.setObjectName("order_info")
        self.order_label.setWordWrap(True)
        self.demands_label = QLabel()
        self.demands_label.setObjectName("demands")
        self.demands_label.setWordWrap(True)
        layout.addWidget(self.level_label)
        layout.addWidget(self.order_label)
        layout.addWidget(self.demands_label)

        self.compliance_box = QGroupBox()
        grid = QGridLayout(self.compliance_box)
        self.compliance_label = QLabel()
        self.compliance_label.setObjectName("compliance")
        self.compliance_label.setWordWrap(True)
        self.on_duty_spin = QSpinBox()
        self.on_duty_spin.setObjectName("on_duty")
        self.on_duty_spin.setRange(0, 100000)
        self.on_duty_button = QPushButton()
        self.on_duty_button.setObjectName("update_on_duty")
        self.on_duty_button.clicked.connect(self._update_on_duty)
        self.on_duty_caption = QLabel()
        grid.addWidget(self.compliance_label, 0, 0, 1, 3)
        grid.addWidget(self.on_duty_caption, 1, 0)
        grid.addWidget(self.on_duty_spin, 1, 1)
        grid.addWidget(self.on_duty_button, 1, 2)
        can_update = may(Role(ctx.user.role), "org.personnel")
        self.on_duty_spin.setVisible(can_update)
        self.on_duty_button.setVisible(can_update)
        self.on_duty_caption.setVisible(can_update)
        layout.addWidget(self.compliance_box)

        self.message = QLabel()
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self.issue_box = QGroupBox()
        self.issue_box.setObjectName("issue_order")
        self.rollup = QTableWidget(0, 5)
        self.rollup.setObjectName("rollup")
        if self.is_hq:
            layout.addWidget(self._build_issue_form())
            self.rollup_caption = QLabel()
            self.rollup_caption.setProperty("role", "muted")
            layout.addWidget(self.rollup_caption)
            self.rollup.verticalHeader().setVisible(False)
            self.rollup.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            self.rollup.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            layout.addWidget(self.rollup, 1)
        else:
            layout.addStretch(1)

        ctx.changes.rows_changed.connect(self._on_rows_changed)
        ctx.changes.tick.connect(self._on_tick)
        self._ticks = 0
        self._announced: set[str] = set()  # unacknowledged orders already brought to front
        self.sound = AlertSound(self)
        self.retranslate()
        self.reload()

    def _build_issue_form(self) -> QGroupBox:
        form = QGridLayout(self.issue_box)
        self.level_combo = QComboBox()
        self.level_combo.setObjectName("issue_level")
        for level in DutyLevel:
            self.level_combo.addItem(label(level), level.value)
        self.targets = QListWidget()
        self.targets.setObjectName("issue_targets")
        self.targets.setMaximumHeight(120)
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
        form.addWidget(self.targets_caption, 1, 0)
        form.addWidget(self.targets, 1, 1)
        form.addWidget(self.select_all, 1, 2, Qt.AlignmentFlag.AlignTop)
        form.addWidget(self.reason_caption, 2, 0)
        form.addWidget(self.reason_edit, 2, 1)
        form.addWidget(self.reason_en_caption, 3, 0)
        form.addWidget(self.reason_en_edit, 3, 1)
        form.addWidget(self.issue_button, 3, 2)
        return self.issue_box

    def retranslate(self) -> None:
        self.ack_button.setText(self.tr("Acknowledge order"))
        self.compliance_box.setTitle(self.tr("Compliance"))
        self.on_duty_caption.setText(self.tr("Personnel on duty now"))
        self.on_duty_button.setText(self.tr("Update"))
        if self.is_hq:
            self.issue_box.setTitle(self.tr("Issue a duty order to offices below"))
            self.level_caption.setText(self.tr("Level"))
            self.targets_caption.setText(self.tr("Offices"))
            self.reason_caption.setText(self.tr("Reason"))
            self.reason_en_caption.setText(self.tr("In English"))
            self.reason_en_edit.setPlaceholderText(self.tr("optional, shown by English consoles"))
            self.select_all.setText(self.tr("All"))
            self.issue_button.setText(self.tr("Issue order"))
            self.rollup.setHorizontalHeaderLabels([self.tr("Office"), self.tr("Acknowledged"),
                                                   self.tr("On duty"), self.tr("Required"),
                                                   self.tr("Compliance")])
            for i in range(self.level_combo.count()):
                self.level_combo.setItemText(i, label(DutyLevel(self.level_combo.itemData(i))))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        replica, user, now = self.ctx.replica, self.ctx.user, self.ctx.clock.now()
        self.ctx.ops.query(lambda: compute_state(replica, user.org_code, user.org_path, now),
                           self._loaded, key="duty-state")

    def _loaded(self, state: DutyState) -> None:
        self.state = state
        self._render()
        self.state_loaded.emit()

    def _on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        if K.DUTY_ORDER in changes or K.ORG in changes:
            self.reload()

    def _on_tick(self) -> None:
        self._ticks += 1
        if self._ticks % 30 == 0:  # an order may come into force with time passing
            self.reload()

    # -- rendering ----------------------------------------------------------------------------
    def _render(self) -> None:
        s = self.state
        if s is None:
            self.level_label.setText(self.tr("Loading…"))
            return
        ko = is_korean()
        if s.unacknowledged:
            o = s.unacknowledged[0]
            issuer = _org_name(s.orgs, o.issuer_code, ko)
            text = fmt(self.tr("UNACKNOWLEDGED ORDER: %1 from %2, effective %3. Acknowledge it now."),
                       label(o.level), issuer, local_time(o.effective_from))
            if len(s.unacknowledged) > 1:
                text += " " + fmt(self.tr("(%1 orders waiting)"), len(s.unacknowledged))
            self.ack_text.setText(text)
            self.ack_band.show()
            fresh = [o.id for o in s.unacknowledged if o.id not in self._announced]
            if fresh:
                # A new order brings this panel to front (even from behind a tab) and sounds.
                self._announced.update(fresh)
                self.ctx.selection.open(K.DUTY_ORDER.value, fresh[0])
                self.sound.play(AlertKind.DUTY_ORDER, keys=fresh)
            self.ack_button.setEnabled(may(Role(self.ctx.user.role), "duty.acknowledge"))
        else:
            self.ack_band.hide()
        order = s.in_force
        latest = s.issued[0] if s.issued else None
        if order is None and self.is_hq and latest is not None and latest.in_force(self.ctx.clock.now()):
            # An HQ is rarely under an order itself: lead with what it ordered for the offices below.
            req = DUTY_REQUIREMENTS[latest.level]
            colour = self._level_colour(req.rank)
            acked = sum(1 for code in latest.targets if latest.acknowledged_by(code))
            below = self.tr("for the offices below")
            self.level_label.setText(f"<span style='color:{colour}'>{label(latest.level)}</span>"
                                     f"  <span style='font-size:14px'>{below}</span>")
            summary = self.tr(
                "Ordered by this office at %1, in force from %2: %3 of %4 offices acknowledged.")
            self.order_label.setText(fmt(summary,
                                         local_time(latest.issued_at), local_time(latest.effective_from),
                                         acked, len(latest.targets)))
            self.demands_label.setText("")
        elif order is None:
            self.level_label.setText(self.tr("Normal duty (no order in force)"))
            self.order_label.setText("")
            self.demands_label.setText("")
        else:
            req = DUTY_REQUIREMENTS[order.level]
            colour = self._level_colour(req.rank)
            other = req.name_en if ko else req.name_ko  # the other language's name, smaller
            self.level_label.setText(f"<span style='color:{colour}'>{label(order.level)}</span>"
                                     f"  <span style='font-size:14px'>{other}</span>")
            until = local_time(order.effective_until) if order.effective_until else self.tr("until cancelled")
            self.order_label.setText(fmt(self.tr("Ordered by %1 (%2) at %3; in force from %4, %5. %6"),
                                         order.issued_by or "?", _org_name(s.orgs, order.issuer_code, ko),
                                         local_time(order.issued_at), local_time(order.effective_from),
                                         until, duty_reason(order)))
            desc = req.description_ko if ko else req.description_en
            mobilise = (fmt(self.tr("mobilise up to %1% of personnel"), int(req.mobilisation_share * 100))
                        if req.mobilisation_share else self.tr("no extra mobilisation"))
            self.demands_label.setText(fmt(self.tr("Demands: %1 · %2 · commanders: %3."),
                                           label(req.leave), mobilise, label(req.posture)))
            self.demands_label.setToolTip(desc)  # the rule's own wording
        self._render_compliance(s, order)
        if self.is_hq:
            self._render_targets(s, ko)
            self._render_rollup(s, ko)

    def _level_colour(self, rank: int) -> str:
        t = self.ctx.theme.current
        return {5: t.code0, 4: t.code1, 3: t.code2, 2: t.code3}.get(rank, t.muted)

    def _render_compliance(self, s: DutyState, order: DutyOrder | None) -> None:
        org = s.org or {}
        total, on_duty = int(org.get("personnel_total") or 0), int(org.get("personnel_on_duty") or 0)
        if not self.on_duty_spin.hasFocus():
            self.on_duty_spin.setValue(on_duty)
        if order is None:
            self.compliance_label.setText(fmt(self.tr("%1 of %2 personnel on duty."), on_duty, total))
            return
        c = compliance(order.level, total, on_duty)
        t = self.ctx.theme.current
        # tr() as a plain call, outside the f-strings: lupdate does not look inside them.
        if c.meets:
            met = self.tr("meets the requirement")
            verdict = f"<b style='color:{t.ok}'>{met}</b>"
        else:
            short = fmt(self.tr("short by %1"), c.shortfall)
            verdict = f"<b style='color:{t.code0}'>{short}</b>"
        self.compliance_label.setText(fmt(self.tr("On duty %1 / required %2 (of %3 personnel): %4"),
                                          c.on_duty, c.required, c.personnel_total, verdict))

    def _render_targets(self, s: DutyState, ko: bool) -> None:
        checked = {self.targets.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.targets.count())
                   if self.targets.item(i).checkState() == Qt.CheckState.Checked}
        codes = [str(d["code"]) for d in s.offices_below]
        shown = [self.targets.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.targets.count())]
        if codes == shown:
            return
        self.targets.clear()
        for d in s.offices_below:
            item = QListWidgetItem(f"{_org_name(s.orgs, str(d['code']), ko)} ({d['code']})")
            item.setData(Qt.ItemDataRole.UserRole, str(d["code"]))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if d["code"] in checked else Qt.CheckState.Unchecked)
            self.targets.addItem(item)

    def _render_rollup(self, s: DutyState, ko: bool) -> None:
        order = s.issued[0] if s.issued else None
        if order is None:
            self.rollup_caption.setText(self.tr("No order issued by this office yet."))
            self.rollup.setRowCount(0)
            return
        self.rollup_caption.setText(fmt(self.tr("Offices under the latest order (%1, issued %2):"),
                                        label(order.level), local_time(order.issued_at)))
        t = self.ctx.theme.current
        self.rollup.setRowCount(len(order.targets))
        for row, code in enumerate(order.targets):
            d = s.orgs.get(code, {})
            ack = order.acks.get(code)
            total, on_duty = int(d.get("personnel_total") or 0), int(d.get("personnel_on_duty") or 0)
            c = compliance(order.level, total, on_duty)
            cells = [
                f"{_org_name(s.orgs, code, ko)} ({code})",
                fmt(self.tr("✓ %1 %2"), ack.by, local_time(ack.at)) if ack else self.tr("✗ not yet"),
                str(on_duty), str(c.required),
                self.tr("met") if c.meets else fmt(self.tr("short by %1"), c.shortfall),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 1 and not ack:
                    item.setForeground(self.ctx.theme.current.color("code0"))
                if col == 4:
                    item.setForeground(t.color("ok") if c.meets else t.color("code0"))
                self.rollup.setItem(row, col, item)

    # -- actions ------------------------------------------------------------------------------
    def _error(self, exc: BaseException) -> None:
        self.message.setText(getattr(exc, "message", str(exc)))

    def acknowledge_first(self) -> None:
        """One action acknowledges every waiting order for this office."""
        if self.state is None:
            return
        self.message.clear()
        for order in self.state.unacknowledged:
            self.ctx.ops.submit(MutationRequest("duty.acknowledge", K.DUTY_ORDER, order.id,
                                                {"org_code": self.ctx.user.org_code}), on_error=self._error)

    def _update_on_duty(self) -> None:
        self.message.clear()
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
            self.message.setText(self.tr("Tick at least one office to order."))
            return
        self.message.clear()
        now = self.ctx.clock.now() - timedelta(seconds=1)
        payload = {"level": self.level_combo.currentData(), "targets": targets,
                   "effective_from": iso(now), "reason": self.reason_edit.text().strip()}
        reason_en = self.reason_en_edit.text().strip()
        if reason_en:
            payload["reason_en"] = reason_en
        import uuid

        def done(_e: Any) -> None:
            self.reason_edit.clear()
            self.reason_en_edit.clear()

        self.ctx.ops.submit(MutationRequest("duty.issue", K.DUTY_ORDER, uuid.uuid4().hex, payload),
                            on_done=done, on_error=self._error)


def _org_name(orgs: dict[str, dict[str, Any]], code: str, ko: bool) -> str:
    d = orgs.get(code)
    if not d:
        return code
    return str(d.get("name_ko") if ko else d.get("name_en") or code)


def build(ctx: PanelContext) -> QWidget:
    # Scrolls rather than squeezes when its dock is small.
    from console.ui.qt import QFrame, QtWidgets

    scroll = QtWidgets.QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(DutyPanel(ctx))
    return scroll


PANEL = PanelSpec(
    object_name="duty_level",
    title=QT_TRANSLATE_NOOP("Panels", "Duty level"),
    area="right",
    factory=build,
    order=30,
    opens=(K.DUTY_ORDER.value,),
)
