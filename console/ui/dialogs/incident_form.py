"""Create an incident: a validated form with clear messages; the domain rules decide validity."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from console.domain.clock import iso, now_utc
from console.domain.errors import DomainError
from console.domain.incidents import KOREA_BOUNDS, IncidentCategory, PriorityCode
from console.domain.mutations import MutationContext, apply_mutation
from console.domain.records import RecordKind
from console.ui.labels import label
from console.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

TITLE_MAX = 200


class IncidentFormDialog(QDialog):
    """`payload()` is the incident.create payload once `exec()` returned Accepted."""

    def __init__(self, stations: Sequence[tuple[str, str]], default_station: str,
                 default_position: tuple[float, float] = (37.5729, 126.9794),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incident_form")
        self.setWindowTitle(self.tr("New incident"))
        self.setMinimumWidth(520)
        form = QFormLayout()
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("title")
        self.title_edit.setMaxLength(TITLE_MAX)
        self.title_edit.setPlaceholderText(self.tr("What happened, in a few words"))
        self.category = QComboBox()
        self.category.setObjectName("category")
        for c in IncidentCategory:
            self.category.addItem(label(c), c.value)
        self.code = QComboBox()
        self.code.setObjectName("code")
        for p in PriorityCode:
            self.code.addItem(f"{int(p)} — {self._code_hint(p)}", int(p))
        self.code.setCurrentIndex(2)
        self.station = QComboBox()
        self.station.setObjectName("station")
        for code, name in stations or [(default_station, default_station)]:
            self.station.addItem(f"{name} ({code})" if name and name != code else code, code)
        found = self.station.findData(default_station)
        self.station.setCurrentIndex(max(0, found))
        self.place = QLineEdit()
        self.place.setObjectName("place")
        self.place.setPlaceholderText(self.tr("Address or landmark"))
        self.lat = QDoubleSpinBox()
        self.lat.setObjectName("lat")
        self.lon = QDoubleSpinBox()
        self.lon.setObjectName("lon")
        for spin, value in ((self.lat, default_position[0]), (self.lon, default_position[1])):
            spin.setDecimals(5)
            spin.setRange(-180.0, 180.0)  # wide on purpose: the domain explains what is wrong
            spin.setValue(value)
            spin.setSingleStep(0.001)
        self.reporter = QLineEdit()
        self.reporter.setObjectName("reporter")
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setFixedHeight(90)
        form.addRow(self.tr("Title *"), self.title_edit)
        form.addRow(self.tr("Category *"), self.category)
        form.addRow(self.tr("112 code *"), self.code)
        form.addRow(self.tr("Station *"), self.station)
        form.addRow(self.tr("Place"), self.place)
        form.addRow(self.tr("Latitude *"), self.lat)
        form.addRow(self.tr("Longitude *"), self.lon)
        form.addRow(self.tr("Reporter"), self.reporter)
        form.addRow(self.tr("Description"), self.description)
        self.message = QLabel()
        self.message.setObjectName("form_message")
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        std = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(std.Ok | std.Cancel)
        self.buttons.button(std.Ok).setText(self.tr("Create"))
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.title_edit.textChanged.connect(lambda _t: self.message.clear())

    def _code_hint(self, code: PriorityCode) -> str:
        return {
            PriorityCode.CODE_0: self.tr("violent crime in progress"),
            PriorityCode.CODE_1: self.tr("imminent danger to life"),
            PriorityCode.CODE_2: self.tr("potential danger"),
            PriorityCode.CODE_3: self.tr("needs investigation"),
            PriorityCode.CODE_4: self.tr("enquiry, no dispatch"),
        }[code]

    def payload(self) -> dict[str, Any]:
        p: dict[str, Any] = {
            "category": self.category.currentData(),
            "code": int(self.code.currentData()),
            "title": self.title_edit.text().strip(),
            "station_code": self.station.currentData(),
            "lat": round(self.lat.value(), 6),
            "lon": round(self.lon.value(), 6),
        }
        for key, value in (("place", self.place.text().strip()),
                           ("reporter", self.reporter.text().strip()),
                           ("description", self.description.toPlainText().strip())):
            if value:
                p[key] = value
        return p

    def validate(self) -> str | None:
        """A message for the first problem, or None. Checks the form's own rules first (so the
        message names the field), then asks the domain, which has the final word."""
        p = self.payload()
        if not p["title"]:
            self.title_edit.setFocus()
            return self.tr("Give the incident a title.")
        lat_min, lon_min, lat_max, lon_max = KOREA_BOUNDS
        if not (lat_min <= p["lat"] <= lat_max and lon_min <= p["lon"] <= lon_max):
            self.lat.setFocus()
            return self.tr("The position is outside South Korea: latitude must be %1-%2 and "
                           "longitude %3-%4.").replace("%1", str(lat_min)).replace("%2", str(lat_max)) \
                .replace("%3", str(lon_min)).replace("%4", str(lon_max))
        try:
            ctx = MutationContext(actor="form", actor_org=str(p["station_code"]), at=iso(now_utc()))
            apply_mutation("incident.create", RecordKind.INCIDENT, "validation", None, p, ctx)
        except DomainError as exc:
            return exc.message
        return None

    def _try_accept(self) -> None:
        problem = self.validate()
        if problem:
            self.message.setText(problem)
            return
        self.accept()
