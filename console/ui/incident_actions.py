"""Incident actions shared by the queue and the detail panel: acknowledge, dispatch, assign."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from console.domain.incidents import IncidentStatus
from console.domain.records import RecordKind
from console.domain.units import UnitStatus
from console.ui.operations import MutationRequest
from console.ui.panels.base import PanelContext
from console.ui.qt import QDialog, QWidget

K = RecordKind


def acknowledge(ctx: PanelContext, incident_id: str,
                on_error: Callable[[BaseException], None] | None = None) -> None:
    ctx.ops.submit(MutationRequest("incident.transition", K.INCIDENT, incident_id,
                                   {"to": IncidentStatus.ACKNOWLEDGED.value}), on_error=on_error)


def transition(ctx: PanelContext, incident_id: str, to: IncidentStatus, reason: str = "",
               on_error: Callable[[BaseException], None] | None = None) -> None:
    payload: dict[str, Any] = {"to": to.value}
    if reason:
        payload["reason"] = reason
    ctx.ops.submit(MutationRequest("incident.transition", K.INCIDENT, incident_id, payload),
                   on_error=on_error)


def assign(ctx: PanelContext, incident_id: str, unit_ids: list[str],
           on_error: Callable[[BaseException], None] | None = None) -> None:
    ctx.ops.submit(MutationRequest("incident.assign", K.INCIDENT, incident_id, {"unit_ids": unit_ids}),
                   on_error=on_error)


def dispatch(ctx: PanelContext, incident_id: str, parent: QWidget,
             on_error: Callable[[BaseException], None] | None = None) -> None:
    """Dispatch the incident's units; with none assigned yet, ask which units first. The units
    are marked dispatched to it. Reads run on the worker; the dialog opens on the GUI thread."""

    def load() -> tuple[Any, list[Any]]:
        return ctx.replica.row(K.INCIDENT, incident_id), list(ctx.replica.rows(K.UNIT))

    def got(result: tuple[Any, list[Any]]) -> None:
        incident, units = result
        if incident is None:
            return
        chosen = list(incident.data.get("assigned_units") or [])
        if not chosen:
            from console.ui.dialogs.unit_picker import UnitPickerDialog

            dialog = UnitPickerDialog(units, station_code=incident.data.get("station_code"), parent=parent)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            chosen = dialog.chosen()
            if not chosen:
                return
            assign(ctx, incident_id, chosen, on_error)
        status = incident.data.get("status")
        if status == IncidentStatus.NEW.value:
            acknowledge(ctx, incident_id, on_error)
        transition(ctx, incident_id, IncidentStatus.DISPATCHED, on_error=on_error)
        known = {u.id for u in units}
        for unit_id in chosen:
            if unit_id in known:
                ctx.ops.submit(MutationRequest("unit.status", K.UNIT, unit_id, {
                    "status": UnitStatus.DISPATCHED.value, "incident_id": incident_id}), on_error=on_error)

    ctx.ops.query(load, got)
