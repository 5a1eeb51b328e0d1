"""CAP in the console: a duty order exported from one console (right-click → Export as CAP) is a
valid CAP 1.2 alert and opens in a second console as an external alert; code 0/1 incidents export
from the queue's menu; each valid sample imports and shows in the list; invalid.cap is refused in
words and nothing changes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from console.domain.clock import iso
from console.domain.records import RecordKind
from console.domain.samples import SAMPLE_NOW
from console.interop.cap import cap_schema
from console.ui import cap_actions
from console.ui.panels.duty_panel import DutyPanel
from console.ui.panels.external_alerts_panel import ExternalAlertsPanel
from console.ui.panels.incident_queue_panel import IncidentQueuePanel
from console.ui.qt import QMenu, QMessageBox, QWidget
from console.ui.testing import MemoryReplica, dispose_context, make_context, sample_user

pytestmark = pytest.mark.gui
K = RecordKind
SAMPLES = Path(__file__).parents[1] / "core" / "interop" / "cap_samples"


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text: shown.append((title, text)))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: shown.append((title, text)))
    return shown


@pytest.fixture
def save_to(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    written: list[Path] = []

    def choose(_parent: Any, suggested: str) -> Path:
        path = tmp_path / suggested
        written.append(path)
        return path

    monkeypatch.setattr(cap_actions, "choose_save_path", choose)
    return written


def _org(code: str, level: str, path: str, parent: str | None, jurisdiction: list[str]) -> dict[str, Any]:
    return {"code": code, "level": level, "name_ko": {"SEOUL": "서울경찰청"}.get(code, "종로경찰서"),
            "name_en": {"SEOUL": "Seoul Police"}.get(code, "Jongno"), "parent_code": parent, "path": path,
            "jurisdiction": jurisdiction, "personnel_total": 100, "personnel_on_duty": 40}


def _seed(replica: MemoryReplica) -> None:
    replica.put(K.ORG, "SEOUL", _org("SEOUL", "provincial", "/NPA/SEOUL/", "NPA", []), org_path="/NPA/SEOUL/")
    replica.put(K.ORG, "S11110", _org("S11110", "station", "/NPA/SEOUL/S11110/", "SEOUL", ["11110"]),
                org_path="/NPA/SEOUL/S11110/")
    start = iso(SAMPLE_NOW - timedelta(minutes=10))
    replica.put(K.DUTY_ORDER, "o1", {
        "id": "o1", "level": "level_a", "issuer_code": "SEOUL", "targets": ["S11110"], "effective_from": start,
        "effective_until": iso(SAMPLE_NOW + timedelta(hours=20)), "reason": "선거일 갑호비상",
        "reason_en": "Election day: Level A", "issued_by": "park", "issued_at": start, "acks": {},
        "cancelled": False}, org_path="/NPA/SEOUL/")


def _valid(path: Path) -> etree._Element:
    root = etree.fromstring(path.read_bytes())
    assert cap_schema().validate(root), cap_schema().error_log
    return root


def test_a_duty_order_exported_opens_in_a_second_console_as_an_external_alert(
        qtbot: Any, memory_replica: MemoryReplica, save_to: list[Path], boxes: list[tuple[str, str]]) -> None:
    _seed(memory_replica)
    first = make_context(memory_replica)
    second_replica = MemoryReplica()
    second = make_context(second_replica, sample_user(org_code="S11120", org_path="/NPA/SEOUL/S11120/"))
    try:
        panel = DutyPanel(first)
        qtbot.addWidget(panel)
        panel.show()
        qtbot.waitUntil(lambda: panel.view is not None and panel.view.loaded)
        shown = cap_actions.orders_shown(panel.view)
        assert [oid for oid, _name in shown] == ["o1"] and "Level A" in shown[0][1]
        # right-click on the level in force: the menu names the order; its action exports it
        panel.customContextMenuRequested.emit(panel.level_label.geometry().center())
        menu = panel.findChild(QMenu, "duty_context_menu")
        assert menu is not None
        (action,) = [a for a in menu.actions() if a.objectName() == "export_cap_o1"]
        assert action.text() == "Export as CAP…"
        action.trigger()
        menu.close()
        qtbot.waitUntil(lambda: bool(save_to) and save_to[0].exists(), timeout=10_000)
        root = _valid(save_to[0])
        assert root.findtext("{urn:oasis:names:tc:emergency:cap:1.2}msgType") == "Alert"

        alerts = ExternalAlertsPanel(second)
        qtbot.addWidget(alerts)
        alerts.show()
        imported: list[Any] = []
        cap_actions.import_cap(second, str(save_to[0]), alerts, on_imported=imported.append)
        qtbot.waitUntil(lambda: bool(imported), timeout=10_000)
        qtbot.waitUntil(lambda: alerts.table.rowCount() == 1, timeout=10_000)
        assert "갑호비상" in alerts.table.item(0, 1).text() or "Level A" in alerts.table.item(0, 1).text()
        assert alerts.table.item(0, 0).text() == "Extreme"
        assert alerts.table.item(0, 3).text() == "종로경찰서"
        assert not boxes
    finally:
        dispose_context(first)
        dispose_context(second)


def test_the_queue_exports_code_0_and_1_only(qtbot: Any, panel_ctx: Any, memory_replica: MemoryReplica,
                                             save_to: list[Path], boxes: list[tuple[str, str]]) -> None:
    _seed(memory_replica)
    for iid, code in (("i0", 0), ("i2", 2)):
        memory_replica.put(K.INCIDENT, iid, {
            "id": iid, "title": "투표소 앞 폭행", "code": code, "category": "election_violence", "status": "new",
            "station_code": "S11110", "lat": 37.579, "lon": 126.972,
            "created_at": iso(SAMPLE_NOW - timedelta(minutes=3 + code)), "created_by": "op"},
            org_path="/NPA/SEOUL/S11110/")
    panel = IncidentQueuePanel(panel_ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=10_000)
    action = next(a for a in panel.table.actions() if a.objectName() == "export_cap")
    assert action.text() == "Export as CAP…"
    panel.table.select_id("i2", quiet=False)
    qtbot.waitUntil(lambda: panel.selected_id() == "i2")
    assert not action.isEnabled()
    panel.table.select_id("i0", quiet=False)
    qtbot.waitUntil(lambda: panel.selected_id() == "i0")
    assert action.isEnabled()
    action.trigger()
    qtbot.waitUntil(lambda: bool(save_to) and save_to[0].exists(), timeout=10_000)
    root = _valid(save_to[0])
    ns = {"c": "urn:oasis:names:tc:emergency:cap:1.2"}
    assert root.findtext("c:identifier", namespaces=ns) == "sitroom.incident.i0"
    assert root.findtext("c:info/c:severity", namespaces=ns) == "Extreme"
    assert not boxes


@pytest.mark.parametrize("name", ["australia.cap", "canada.cap", "earthquake.cap", "no_optional_fields.cap"])
def test_each_valid_sample_imports_and_shows(qtbot: Any, panel_ctx: Any, memory_replica: MemoryReplica,
                                             boxes: list[tuple[str, str]], name: str) -> None:
    panel = ExternalAlertsPanel(panel_ctx)
    qtbot.addWidget(panel)
    panel.show()
    imported: list[Any] = []
    cap_actions.import_cap(panel_ctx, str(SAMPLES / name), panel, on_imported=imported.append)
    qtbot.waitUntil(lambda: bool(imported), timeout=10_000)
    assert len(memory_replica.rows(K.EXTERNAL_ALERT)) == 1
    if imported[0].payload["expires"] is None:  # no expiry: in force until cancelled
        qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=10_000)
        assert "Expired" not in panel.detail.text()
        return
    # the others expired years ago: the list shows them when asked for expired alerts
    qtbot.wait(200)
    assert panel.table.rowCount() == 0
    panel.show_expired.setChecked(True)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=10_000)
    headline = imported[0].headline or imported[0].payload["identifier"]
    assert panel.table.item(0, 1).text() == headline
    assert "Expired" in panel.detail.text()
    assert not boxes


def test_invalid_cap_is_refused_in_words_and_nothing_changes(qtbot: Any, panel_ctx: Any,
                                                             memory_replica: MemoryReplica,
                                                             boxes: list[tuple[str, str]]) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    cap_actions.import_cap(panel_ctx, str(SAMPLES / "invalid.cap"), window)
    qtbot.waitUntil(lambda: bool(boxes), timeout=10_000)
    title, text = boxes[0]
    assert title == "Import CAP alert"
    assert text.startswith("The alert was not imported: invalid.cap is not a valid CAP 1.2 alert: line 9:")
    assert "<scope>" in text
    assert memory_replica.rows(K.EXTERNAL_ALERT) == [] or len(memory_replica.rows(K.EXTERNAL_ALERT)) == 0
    assert memory_replica.outbox_entries == []


def test_the_same_file_twice_is_said_once(qtbot: Any, panel_ctx: Any, memory_replica: MemoryReplica,
                                          boxes: list[tuple[str, str]]) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    imported: list[Any] = []
    cap_actions.import_cap(panel_ctx, str(SAMPLES / "canada.cap"), window, on_imported=imported.append)
    qtbot.waitUntil(lambda: bool(imported), timeout=10_000)
    cap_actions.import_cap(panel_ctx, str(SAMPLES / "canada.cap"), window)
    qtbot.waitUntil(lambda: bool(boxes), timeout=10_000)
    assert boxes[0][1] == "This alert was imported before: nothing changed."
    assert len(memory_replica.rows(K.EXTERNAL_ALERT)) == 1


def test_a_directive_exports_from_the_directives_panel(qtbot: Any, memory_replica: MemoryReplica,
                                                       save_to: list[Path], boxes: list[tuple[str, str]]) -> None:
    from console.ui.panels.directives_panel import DirectivesPanel

    _seed(memory_replica)
    memory_replica.put(K.DIRECTIVE, "d1", {
        "id": "d1", "issuer_code": "SEOUL", "targets": ["S11110"], "text": "투표소 순찰을 강화할 것",
        "text_en": "Step up patrols at polling stations", "priority": "urgent", "issued_by": "park",
        "issued_at": iso(SAMPLE_NOW - timedelta(minutes=30)), "acks": {}}, org_path="/NPA/SEOUL/")
    ctx = make_context(memory_replica, sample_user(role="station_commander", org_code="S11110",
                                                   org_path="/NPA/SEOUL/S11110/"))
    try:
        panel = DirectivesPanel(ctx)
        qtbot.addWidget(panel)
        panel.show()
        qtbot.waitUntil(lambda: panel.standing.rowCount() == 1, timeout=10_000)
        action = next(a for a in panel.standing.actions() if a.objectName() == "export_cap")
        panel.standing.selectRow(0)
        action.refresh()
        assert action.isEnabled() and action.text() == "Export as CAP…"
        action.trigger()
        qtbot.waitUntil(lambda: bool(save_to) and save_to[0].exists(), timeout=10_000)
        root = _valid(save_to[0])
        ns = {"c": "urn:oasis:names:tc:emergency:cap:1.2"}
        assert root.findtext("c:msgType", namespaces=ns) == "Alert"
        assert "투표소 순찰을 강화할 것" in root.findtext("c:info/c:description", namespaces=ns)
        assert not boxes
    finally:
        dispose_context(ctx)
