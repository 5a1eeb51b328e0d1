"""Pick units for an incident: the station's units, available ones first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from console.domain.units import UnitStatus, UnitType
from console.ui.labels import label_of
from console.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    Qt,
    QVBoxLayout,
    QWidget,
)

STATUS_RANK = {UnitStatus.AVAILABLE.value: 0, UnitStatus.RETURNING.value: 1,
               UnitStatus.ON_SCENE.value: 2, UnitStatus.DISPATCHED.value: 3,
               UnitStatus.OFF_DUTY.value: 4}


class UnitPickerDialog(QDialog):
    """Checkable list of units; `chosen()` gives the ticked ids in list order."""

    def __init__(self, units: Sequence[Any], preselected: Sequence[str] = (),
                 station_code: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Assign units"))
        self.setObjectName("unit_picker")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Tick the units to assign. Available units are listed first.")))
        self.list = QListWidget()
        self.list.setObjectName("unit_list")
        layout.addWidget(self.list)
        rows = sorted(units, key=lambda r: (
            0 if station_code is None or r.data.get("station_code") == station_code else 1,
            STATUS_RANK.get(str(r.data.get("status")), 9), str(r.data.get("callsign"))))
        for row in rows:
            d = row.data
            text = (f"{d.get('callsign')} · {label_of(UnitType, d.get('type'))} · "
                    f"{label_of(UnitStatus, d.get('status'))} · {d.get('station_code')}")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if row.id in preselected else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        if not rows:
            layout.addWidget(QLabel(self.tr("No units are known for this station.")))
        std = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(std.Ok | std.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, 420)

    def chosen(self) -> list[str]:
        out: list[str] = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def set_checked(self, ids: Sequence[str]) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in ids
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
