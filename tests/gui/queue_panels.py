"""GUI test helper: an incident queue panel over a context, shown and loaded."""

from __future__ import annotations

from console.ui.panels.incident_queue_panel import IncidentQueuePanel


def open_queue_panel(qtbot, ctx) -> IncidentQueuePanel:  # type: ignore[no-untyped-def]
    panel = IncidentQueuePanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    qtbot.waitUntil(lambda: panel._loaded)
    return panel
