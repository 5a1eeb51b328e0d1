"""Incident detail: allowed transitions only, notes in the timeline, a validated create form."""

from __future__ import annotations

import pytest

from console.domain.records import RecordKind
from console.ui.dialogs.incident_form import IncidentFormDialog
from console.ui.panels.incident_detail_panel import IncidentDetailPanel
from console.ui.testing import incident_data

pytestmark = pytest.mark.gui
K = RecordKind


def visible_actions(panel: IncidentDetailPanel) -> set[str]:
    return {k for k, b in panel.action_buttons.items() if not b.isHidden()}


def test_shows_selected_incident_with_only_allowed_transitions(qtbot, panel_ctx, memory_replica) -> None:
    memory_replica.put(K.INCIDENT, "i1", incident_data("i1", code=1, title="Fight at polling station"))
    panel = IncidentDetailPanel(panel_ctx)
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.waitSignal(panel.loaded):
        panel_ctx.selection.select("incident", "i1")
    assert "Fight at polling station" in panel.heading.text()
    assert visible_actions(panel) == {"acknowledged"}
    panel.action_buttons["acknowledged"].click()
    qtbot.waitUntil(lambda: visible_actions(panel) == {"dispatched", "resolved"})
    assert memory_replica.row(K.INCIDENT, "i1").data["status"] == "acknowledged"
    assert panel.pending  # a local edit the server has not confirmed yet is marked


def test_note_goes_to_the_timeline_and_empty_note_is_refused(qtbot, panel_ctx, memory_replica) -> None:
    memory_replica.put(K.INCIDENT, "i2", incident_data("i2"))
    panel = IncidentDetailPanel(panel_ctx)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded):
        panel.show_incident("i2")
    rows_before = panel.timeline.rowCount()
    panel.note_button.click()
    assert panel.message.text()
    panel.note_edit.setText("Caller says two people involved")
    panel.note_button.click()
    qtbot.waitUntil(lambda: panel.timeline.rowCount() == rows_before + 1)
    assert panel.timeline.item(0, 3).text() == "Caller says two people involved"
    assert "kim" in panel.timeline.item(0, 1).text()


def test_timeline_marks_changes_from_other_consoles(qtbot, panel_ctx, memory_replica) -> None:
    data = incident_data("i3")
    data["timeline"].append({"at": data["created_at"], "by": "lee", "kind": "note", "text": "from HQ",
                             "console": "other-console-123"})
    memory_replica.put(K.INCIDENT, "i3", data)
    panel_ctx.console_id = "memory-console"
    panel = IncidentDetailPanel(panel_ctx)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded):
        panel.show_incident("i3")
    assert "console other-co" in panel.timeline.item(0, 1).text()


def test_form_validates_with_clear_messages(qtbot) -> None:
    dialog = IncidentFormDialog([("S11110", "종로경찰서")], "S11110")
    qtbot.addWidget(dialog)
    assert "title" in (dialog.validate() or "").lower()
    dialog.title_edit.setText("Vote buying reported")
    dialog.lat.setValue(10.0)
    assert "outside South Korea" in (dialog.validate() or "")
    dialog.lat.setValue(37.57)
    assert dialog.validate() is None
    p = dialog.payload()
    assert p["title"] == "Vote buying reported" and p["station_code"] == "S11110" and p["code"] == 2
