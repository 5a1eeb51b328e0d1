"""Incident queue panel: sorting, filtering, live updates, alerts and keyboard triage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.domain.clock import iso
from console.domain.records import RecordKind
from console.ui.panels.incident_queue_panel import IncidentQueuePanel
from console.ui.qt import Qt
from console.ui.queue_index import Column
from console.ui.queue_model import OVERDUE_ROLE
from console.ui.testing import incident_data, many_incidents

pytestmark = pytest.mark.gui
K = RecordKind


def make_panel(qtbot, ctx) -> IncidentQueuePanel:  # type: ignore[no-untyped-def]
    panel = IncidentQueuePanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    qtbot.waitUntil(lambda: panel._loaded)
    return panel


def test_shows_open_incidents_most_urgent_first(qtbot, panel_ctx, memory_replica) -> None:
    memory_replica.put(K.INCIDENT, "a", incident_data("a", code=3))
    memory_replica.put(K.INCIDENT, "b", incident_data("b", code=0))
    memory_replica.put(K.INCIDENT, "c", incident_data("c", code=2, status="closed"))
    panel = make_panel(qtbot, panel_ctx)
    assert panel.model.ids() == ["b", "a"]
    assert panel.model.data(panel.model.index(0, Column.CODE)) == "0"
    # every status, sorted by code descending through the header
    panel.status_filter.setCurrentIndex(panel.status_filter.findData(None))
    panel.table.horizontalHeader().setSortIndicator(Column.CODE, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: panel.model.ids() == ["a", "c", "b"])


def test_filters_by_text_code_and_category(qtbot, panel_ctx, memory_replica) -> None:
    memory_replica.put_many(K.INCIDENT, many_incidents(300))
    memory_replica.put(K.INCIDENT, "needle", incident_data("needle", code=1, category="bribery",
                                                            place="Unique Market Street"))
    panel = make_panel(qtbot, panel_ctx)
    panel.search.setText("unique market")
    qtbot.waitUntil(lambda: panel.model.ids() == ["needle"])
    panel.search.setText("")
    panel.code_filter.setCurrentIndex(panel.code_filter.findData(4))
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0 and all(
        panel.model.item_at(r).code == 4 for r in range(panel.model.rowCount())))
    panel.code_filter.setCurrentIndex(0)
    panel.category_filter.setCurrentIndex(panel.category_filter.findData("bribery"))
    qtbot.waitUntil(lambda: "needle" in panel.model.ids() and all(
        panel.model.item_at(r).category == "bribery" for r in range(panel.model.rowCount())))


def test_new_urgent_incident_raises_visible_and_audible_alert(qtbot, panel_ctx, memory_replica) -> None:
    panel = make_panel(qtbot, panel_ctx)
    assert panel.alert.isHidden()
    with qtbot.waitSignal(panel.sound.played, timeout=3000), qtbot.waitSignal(panel.urgent_alert) as sig:
        memory_replica.put(K.INCIDENT, "urgent", incident_data("urgent", code=0, category="election_violence"))
    assert sig.args == ["urgent"]
    assert panel.alert.isVisible()
    assert "0" in panel.alert_label.text()


def test_code_3_does_not_alert(qtbot, panel_ctx, memory_replica) -> None:
    panel = make_panel(qtbot, panel_ctx)
    memory_replica.put(K.INCIDENT, "slow", incident_data("slow", code=3))
    qtbot.waitUntil(lambda: panel.model.ids() == ["slow"])
    assert panel.alert.isHidden()


def test_overdue_incident_is_marked(qtbot, panel_ctx, memory_replica) -> None:
    old = iso(datetime.now(UTC) - timedelta(minutes=5))
    memory_replica.put(K.INCIDENT, "late", incident_data("late", code=0, created_at=old))
    memory_replica.put(K.INCIDENT, "fresh", incident_data("fresh", code=0))
    panel = make_panel(qtbot, panel_ctx)
    rows = {panel.model.id_at(r): r for r in range(2)}
    assert panel.model.data(panel.model.index(rows["late"], 0), OVERDUE_ROLE) is True
    assert panel.model.data(panel.model.index(rows["fresh"], 0), OVERDUE_ROLE) is False
    assert panel.model.data(panel.model.index(rows["late"], 2), Qt.ItemDataRole.BackgroundRole) is not None


def test_keyboard_triage_acknowledges_and_opens(qtbot, panel_ctx, memory_replica) -> None:
    memory_replica.put(K.INCIDENT, "x", incident_data("x", code=1))
    panel = make_panel(qtbot, panel_ctx)
    panel.table.setFocus()
    panel.table.selectRow(0)
    with qtbot.waitSignal(panel_ctx.selection.opened) as opened:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert opened.args == ["incident", "x"]
    qtbot.keyClick(panel.table, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: memory_replica.row(K.INCIDENT, "x").data["status"] == "acknowledged")
    qtbot.waitUntil(lambda: panel.model.item_at(0).status == "acknowledged")
    panel.activateWindow()
    qtbot.keyClick(panel.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(panel.search.hasFocus)


def test_selection_survives_live_updates(qtbot, panel_ctx, memory_replica) -> None:
    memory_replica.put_many(K.INCIDENT, many_incidents(200))
    panel = make_panel(qtbot, panel_ctx)
    panel.table.selectRow(50)
    chosen = panel.selected_id()
    memory_replica.put(K.INCIDENT, "zzz", incident_data("zzz", code=0))
    qtbot.waitUntil(lambda: "zzz" in panel.model.ids())
    assert panel.selected_id() == chosen
