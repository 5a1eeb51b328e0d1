"""Incident detail and timeline: the selected incident, its allowed next steps, units and notes."""

from __future__ import annotations

from typing import Any

from console.domain.incidents import (
    REOPENABLE,
    TRANSITIONS,
    IncidentCategory,
    IncidentStatus,
    TimelineKind,
)
from console.domain.org import OrgLevel
from console.domain.records import RecordKind
from console.ui import incident_actions
from console.ui.i18n import is_korean
from console.ui.labels import TimelineNames, incident_title, label, label_of, timeline_kind, timeline_text
from console.ui.operations import MutationRequest
from console.ui.panels.base import PanelContext, PanelSpec
from console.ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QCoreApplication,
    QDialog,
    QEvent,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
    fmt,
)
from console.ui.timefmt import age as age_of
from console.ui.timefmt import local_time, shown_now
from console.views.incidents import created_at, incident_age, is_overdue, place_of

K = RecordKind
ACTION_TEXT: dict[IncidentStatus, str] = {
    IncidentStatus.ACKNOWLEDGED: QT_TRANSLATE_NOOP("IncidentDetail", "Acknowledge"),
    IncidentStatus.DISPATCHED: QT_TRANSLATE_NOOP("IncidentDetail", "Dispatch"),
    IncidentStatus.ON_SCENE: QT_TRANSLATE_NOOP("IncidentDetail", "On scene"),
    IncidentStatus.RESOLVED: QT_TRANSLATE_NOOP("IncidentDetail", "Resolve"),
    IncidentStatus.CLOSED: QT_TRANSLATE_NOOP("IncidentDetail", "Close"),
}


class IncidentDetailPanel(QWidget):
    loaded = Signal(str)  # incident id shown

    def __init__(self, ctx: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.incident_id: str | None = None
        self.data: dict[str, Any] | None = None
        self.pending = False
        self._units: dict[str, str] = {}  # unit id -> call sign
        self._orgs: dict[str, tuple[str, str]] = {}  # org code -> (Korean, English name)
        # Its age as of the moment every panel shows (the queue's too), read once per tick.
        self.shown = shown_now(ctx.changes, ctx.clock)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        top = QHBoxLayout()
        self.new_button = QPushButton()
        self.new_button.setObjectName("new_incident")
        self.new_button.clicked.connect(self.create_incident)
        self.heading = QLabel()
        self.heading.setObjectName("incident_heading")
        self.heading.setProperty("role", "heading")
        self.heading.setWordWrap(True)
        top.addWidget(self.heading, 1)
        top.addWidget(self.new_button)
        layout.addLayout(top)

        self.card = QFrame()
        self.card.setProperty("role", "card")
        grid = QGridLayout(self.card)
        self.fields: dict[str, QLabel] = {}
        self.field_names: dict[str, QLabel] = {}
        for i, key in enumerate(("status", "category", "station", "place", "created", "units",
                                 "routed", "reporter")):
            name, value = QLabel(), QLabel()
            name.setProperty("role", "muted")
            value.setObjectName(f"field_{key}")
            value.setWordWrap(True)
            self.fields[key], self.field_names[key] = value, name
            grid.addWidget(name, i // 2, (i % 2) * 2)
            grid.addWidget(value, i // 2, (i % 2) * 2 + 1)
        layout.addWidget(self.card)

        self.action_row = QHBoxLayout()
        self.action_buttons: dict[str, QPushButton] = {}
        for status in ACTION_TEXT:
            b = QPushButton()
            b.setObjectName(f"to_{status.value}")
            b.clicked.connect(lambda _c=False, s=status: self._transition(s))
            self.action_buttons[status.value] = b
            self.action_row.addWidget(b)
        self.reopen_button = QPushButton()
        self.reopen_button.setObjectName("reopen")
        self.reopen_button.clicked.connect(self._reopen)
        self.assign_button = QPushButton()
        self.assign_button.setObjectName("assign")
        self.assign_button.clicked.connect(self._assign)
        self.action_row.addWidget(self.reopen_button)
        self.action_row.addWidget(self.assign_button)
        self.action_row.addStretch(1)
        layout.addLayout(self.action_row)

        self.message = QLabel()
        self.message.setObjectName("detail_message")
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self.timeline = QTableWidget(0, 4)
        self.timeline.setObjectName("timeline")
        self.timeline.verticalHeader().setVisible(False)
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.horizontalHeader().setStretchLastSection(True)
        self.timeline.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.timeline.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.timeline.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.timeline, 1)

        note_row = QHBoxLayout()
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("note_edit")
        self.note_edit.returnPressed.connect(self._add_note)
        self.note_button = QPushButton()
        self.note_button.setObjectName("add_note")
        self.note_button.clicked.connect(self._add_note)
        note_row.addWidget(self.note_edit, 1)
        note_row.addWidget(self.note_button)
        layout.addLayout(note_row)

        ctx.selection.selected.connect(self._on_selected)
        ctx.selection.create_requested.connect(self._on_create_requested)
        ctx.changes.rows_changed.connect(self._on_rows_changed)
        self.shown.advanced.connect(self._update_age)
        self.retranslate()
        self._render()
        self._load_units()

    # -- text ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.new_button.setText(self.tr("New incident…"))
        names = {"status": self.tr("Status"), "category": self.tr("Category"), "station": self.tr("Station"),
                 "place": self.tr("Place"), "created": self.tr("Reported"), "units": self.tr("Units"),
                 "routed": self.tr("Routed to"), "reporter": self.tr("Reporter")}
        for key, text in names.items():
            self.field_names[key].setText(text)
        for status, text in ACTION_TEXT.items():
            self.action_buttons[status.value].setText(QCoreApplication.translate("IncidentDetail", text))
        self.reopen_button.setText(self.tr("Reopen…"))
        self.assign_button.setText(self.tr("Assign units…"))
        self.note_button.setText(self.tr("Add note"))
        self.note_edit.setPlaceholderText(self.tr("Note for the timeline"))
        self.timeline.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Who"), self.tr("What"),
                                                 self.tr("Details")])
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- data ---------------------------------------------------------------------------------
    def show_incident(self, id: str) -> None:
        self.incident_id = id
        self.message.clear()
        self._load()

    def _on_create_requested(self, kind: str, prefill: dict[str, Any]) -> None:
        if kind == K.INCIDENT.value:
            self.create_incident(prefill)

    def _on_selected(self, kind: str, id: str) -> None:
        if kind == K.INCIDENT.value and id != self.incident_id:
            self.show_incident(id)

    def _on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        if self.incident_id and self.incident_id in changes.get(K.INCIDENT, ()):
            self._load()
        if K.UNIT in changes:
            self._load_units()

    def _load(self) -> None:
        id, replica = self.incident_id, self.ctx.replica
        if id is None:
            return

        def work() -> tuple[Any, dict[str, tuple[str, str]]]:
            row = replica.row(K.INCIDENT, id)
            orgs: dict[str, tuple[str, str]] = {}
            for code in _org_codes(row.data if row is not None else {}):
                org = replica.row(K.ORG, code)
                if org is not None:
                    orgs[code] = (str(org.data.get("name_ko") or code), str(org.data.get("name_en") or code))
            return row, orgs

        self.ctx.ops.query(work, self._loaded, key="incident-detail")

    def _loaded(self, loaded: tuple[Any, dict[str, tuple[str, str]]]) -> None:
        row, self._orgs = loaded
        self.data = dict(row.data) if row is not None else None
        self.pending = bool(getattr(row, "pending", False))
        self._render()
        if self.incident_id:
            self.loaded.emit(self.incident_id)

    def _load_units(self) -> None:
        replica = self.ctx.replica

        def work() -> dict[str, str]:
            return {r.id: str(r.data.get("callsign") or r.id) for r in replica.rows(K.UNIT)}

        self.ctx.ops.query(work, self._units_loaded, key="incident-detail-units")

    def _units_loaded(self, units: dict[str, str]) -> None:
        self._units = units
        self._render()

    # -- rendering ----------------------------------------------------------------------------
    def _render(self) -> None:
        d = self.data
        has = d is not None
        self.card.setVisible(has)
        self.timeline.setVisible(has)
        for b in (*self.action_buttons.values(), self.reopen_button, self.assign_button,
                  self.note_button, self.note_edit):
            b.setVisible(has)
        if d is None:
            self.heading.setText(self.tr("No incident selected. Pick one in the queue, or create one."))
            return
        status = IncidentStatus(d.get("status", "new"))
        code = int(d.get("code", 2))
        colour = self.ctx.theme.current.code_color(code).name()
        pending = ""
        if self.pending:
            unconfirmed = self.tr("not yet confirmed")
            pending = f"  <span style='color:{self.ctx.theme.current.pending}'>⟳ {unconfirmed}</span>"
        self.heading.setText(f"<span style='color:{colour}'>■ {code}</span> "
                             f"{_escape(incident_title(d))}{pending}")
        escalated = "  ⚑ " + self.tr("escalated") if d.get("escalated") else ""
        self.fields["status"].setText(label(status) + escalated)
        self.fields["category"].setText(label_of(IncidentCategory, d.get("category")))
        station = str(d.get("station_code", ""))
        name = self._org_name(station)
        self.fields["station"].setText(f"{name} ({station})" if name != station else station)
        place = place_of(d)
        self.fields["place"].setText(f"{place}  ({float(d.get('lat', 0)):.4f}, {float(d.get('lon', 0)):.4f})")
        units = [self._units.get(u, u) for u in d.get("assigned_units") or []]
        self.fields["units"].setText(", ".join(units) or "—")
        routed = d.get("routed_to")
        self.fields["routed"].setText(self._org_name(str(routed)) if routed else "—")
        self.fields["reporter"].setText(str(d.get("reporter") or "—"))
        self._update_age()
        allowed = TRANSITIONS[status]
        for value, button in self.action_buttons.items():
            button.setVisible(IncidentStatus(value) in allowed)
        self.reopen_button.setVisible(status in REOPENABLE)
        self.assign_button.setEnabled(status not in REOPENABLE)
        self._render_timeline(d.get("timeline") or [])

    def age_text(self) -> str:
        """The incident's age as shown (the queue's Age column shows the same)."""
        created = created_at(self.data) if self.data else None
        return age_of(incident_age(created, self.shown.now())) if created is not None else ""

    def _update_age(self) -> None:
        if not self.data:
            return
        d, now = self.data, self.shown.now()
        text = fmt(self.tr("%1 (%2 ago) by %3"), local_time(str(d.get("created_at", "")), now),
                   self.age_text(), d.get("created_by", ""))
        created = created_at(d)
        overdue = created is not None and is_overdue(str(d.get("status", "")), int(d.get("code", 2)),
                                                     created, now)
        self.fields["created"].setText(text + ("\n" + self.tr("Overdue: not acknowledged in time")
                                               if overdue else ""))
        self.fields["created"].setProperty("role", "error" if overdue else "")
        self.fields["created"].style().polish(self.fields["created"])

    def _org_name(self, code: str) -> str:
        """An office by its name in the console's language (its code if not in the replica)."""
        names = self._orgs.get(code)
        if names is None:
            return code
        return names[0] if is_korean() else names[1]

    def _render_timeline(self, entries: list[dict[str, Any]]) -> None:
        self.timeline.setRowCount(len(entries))
        own = self.ctx.console_id
        names = TimelineNames(org=self._org_name, unit=lambda u: self._units.get(u, u))
        for row, e in enumerate(reversed(entries)):  # newest first
            console = str(e.get("console") or "")
            who = str(e.get("by", ""))
            if who == SYSTEM_USER:
                who = self.tr("server (automatic)")
            if console and own and console != own:
                who += "  " + fmt(self.tr("(console %1)"), console[:8])
            elif console and console == own:
                who += "  " + self.tr("(this console)")
            for col, text in enumerate((local_time(e.get("at")), who,
                                        timeline_kind(str(e.get("kind", ""))), timeline_text(e, names))):
                item = QTableWidgetItem(text)
                item.setToolTip(str(e.get("at", "")) if col == 0 else text)
                self.timeline.setItem(row, col, item)

    # -- actions ------------------------------------------------------------------------------
    def _error(self, exc: BaseException) -> None:
        self.message.setText(getattr(exc, "message", str(exc)))

    def _transition(self, status: IncidentStatus) -> None:
        if not self.incident_id:
            return
        self.message.clear()
        if status == IncidentStatus.DISPATCHED:
            incident_actions.dispatch(self.ctx, self.incident_id, self, on_error=self._error)
        else:
            incident_actions.transition(self.ctx, self.incident_id, status, on_error=self._error)

    def _reopen(self) -> None:
        from console.ui.qt import QtWidgets

        if not self.incident_id:
            return
        reason, ok = QtWidgets.QInputDialog.getText(self, self.tr("Reopen incident"),
                                                    self.tr("Why is it reopened?"))
        if ok and reason.strip():
            self.ctx.ops.submit(MutationRequest("incident.reopen", K.INCIDENT, self.incident_id,
                                                {"reason": reason.strip()}), on_error=self._error)

    def _assign(self) -> None:
        if not self.incident_id or self.data is None:
            return
        replica, data, id = self.ctx.replica, self.data, self.incident_id

        def got(units: list[Any]) -> None:
            from console.ui.dialogs.unit_picker import UnitPickerDialog

            dialog = UnitPickerDialog(units, data.get("assigned_units") or [],
                                      station_code=data.get("station_code"), parent=self)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                incident_actions.assign(self.ctx, id, dialog.chosen(), on_error=self._error)

        self.ctx.ops.query(lambda: list(replica.rows(K.UNIT)), got)

    def _add_note(self) -> None:
        text = self.note_edit.text().strip()
        if not self.incident_id:
            return
        if not text:
            self.message.setText(self.tr("Write the note first."))
            return
        self.message.clear()
        self.ctx.ops.submit(MutationRequest("incident.note", K.INCIDENT, self.incident_id, {"text": text}),
                            on_done=lambda _e: self.note_edit.clear(), on_error=self._error)

    def create_incident(self, prefill: dict[str, Any] | None = None) -> None:
        """Open the form; station choices and the default position come from the org rows.
        `prefill` (from the map): lat/lon/place go into the form, district/town into the payload."""
        replica, user = self.ctx.replica, self.ctx.user
        pre = dict(prefill or {})

        def work() -> list[Any]:
            return [r for r in replica.rows(K.ORG) if r.data.get("level") == OrgLevel.STATION.value]

        def got(orgs: list[Any]) -> None:
            stations = sorted((str(r.data["code"]), str(r.data.get("name_ko") or r.data["code"]))
                              for r in orgs)
            own = next((r.data for r in orgs if r.data.get("code") == user.org_code), None)
            default = user.org_code if own else (stations[0][0] if stations else user.org_code)
            pos = (37.5729, 126.9794)
            chosen = own or next((r.data for r in orgs if r.data.get("code") == default), None)
            if pre.get("lat") is not None and pre.get("lon") is not None:
                pos = (float(pre["lat"]), float(pre["lon"]))
            elif chosen and chosen.get("lat") is not None and chosen.get("lon") is not None:
                pos = (float(chosen["lat"]), float(chosen["lon"]))
            dialog = self.incident_form(stations, default, pos)
            if pre.get("place"):
                dialog.place.setText(str(pre["place"]))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            new_id = _new_id()
            payload = dict(dialog.payload())
            for key in ("district", "town"):  # where the map says the point lies
                if pre.get(key):
                    payload.setdefault(key, str(pre[key]))

            def failed(exc: BaseException) -> None:
                QMessageBox.warning(self, self.tr("Incident not created"), getattr(exc, "message", str(exc)))

            self.ctx.ops.submit(MutationRequest("incident.create", K.INCIDENT, new_id, payload),
                                on_done=lambda _e: self.ctx.selection.open(K.INCIDENT.value, new_id),
                                on_error=failed)

        self.ctx.ops.query(work, got)

    def incident_form(self, stations: list[tuple[str, str]], default: str,
                      position: tuple[float, float]) -> Any:
        """The create form (a seam for tests)."""
        from console.ui.dialogs.incident_form import IncidentFormDialog

        return IncidentFormDialog(stations, default, position, parent=self)


# The server's own user, which makes the changes nobody typed (escalation).
SYSTEM_USER = "system"


_NAMES_AN_OFFICE = frozenset({TimelineKind.ROUTED.value, TimelineKind.ESCALATED.value})


def _org_codes(data: dict[str, Any]) -> set[str]:
    """The offices an incident names: its station, where it is routed, whom its timeline names."""
    codes = {str(data[k]) for k in ("station_code", "routed_to") if data.get(k)}
    for entry in data.get("timeline") or []:
        params = entry.get("params") if isinstance(entry, dict) else None
        if isinstance(params, dict) and params.get("to") and entry.get("kind") in _NAMES_AN_OFFICE:
            codes.add(str(params["to"]))
    return codes


def _new_id() -> str:
    import uuid

    return uuid.uuid4().hex


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build(ctx: PanelContext) -> QWidget:
    # Scrolls rather than forcing the window taller when its dock is short.
    from console.ui.qt import QFrame, QtWidgets

    scroll = QtWidgets.QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    panel = IncidentDetailPanel(ctx)
    panel.timeline.setMinimumHeight(90)
    scroll.setWidget(panel)
    return scroll


PANEL = PanelSpec(
    object_name="incident_detail",
    title=QT_TRANSLATE_NOOP("Panels", "Incident detail"),
    area="right",
    factory=build,
    order=20,
    opens=(K.INCIDENT.value,),
)
