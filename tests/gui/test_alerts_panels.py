"""Alert sounds in the console: the incident queue sounds a new code 0/1 once, the duty panel a
new unacknowledged order once, and View > Alert sound keeps mute per user across a restart."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from queue_panels import open_queue_panel as queue_panel

from console.domain.clock import iso
from console.domain.records import RecordKind
from console.domain.samples import SAMPLE_NOW, incident_data
from console.ui import alerts
from console.ui.alerts import AlertKind, AlertPlayer
from console.ui.i18n import LanguageSwitcher
from console.ui.main_window import MainWindow
from console.ui.panels.base import discover_panels
from console.ui.panels.duty_panel import DutyPanel
from console.ui.qt import QSettings

pytestmark = pytest.mark.gui
K = RecordKind


class Recorder:
    """A sound backend that records the kinds it was asked to play."""

    def __init__(self) -> None:
        self.kinds: list[AlertKind] = []

    def unavailable(self) -> str | None:
        return None

    def play(self, kind: AlertKind, volume: float) -> bool:
        self.kinds.append(kind)
        return True


@pytest.fixture
def recorder(qapp) -> Iterator[Recorder]:  # type: ignore[no-untyped-def]
    rec = Recorder()
    alerts.install_player(AlertPlayer(backend=lambda _parent: rec, beep=lambda: None))
    yield rec
    alerts.install_player(None)


def test_a_new_code_0_sounds_once_and_not_when_it_changes_again(qtbot, panel_ctx, memory_replica,
                                                                recorder) -> None:
    panel = queue_panel(qtbot, panel_ctx)
    with qtbot.waitSignal(panel.sound.played, timeout=3000):
        memory_replica.put(K.INCIDENT, "urgent", incident_data("urgent", code=0, category="election_violence"))
    assert len(recorder.kinds) == 1
    # the same incident changed (refreshes of the queue), and an unrelated code 3 arrives
    memory_replica.put(K.INCIDENT, "urgent", incident_data("urgent", code=0, category="election_violence",
                                                           status="acknowledged"))
    memory_replica.put(K.INCIDENT, "minor", incident_data("minor", code=3))

    def refreshed() -> bool:
        item = panel.model.item_at(panel.model.row_of("urgent") or 0)
        return "minor" in panel.model.ids() and item is not None and item.status == "acknowledged"

    qtbot.waitUntil(refreshed)
    assert len(recorder.kinds) == 1


def test_mute_in_the_view_menu_silences_the_queue(qtbot, panel_ctx, memory_replica, recorder, tmp_path) -> None:
    settings = QSettings(str(tmp_path / "console.ini"), QSettings.Format.IniFormat)
    languages = LanguageSwitcher()
    window = MainWindow(panel_ctx, settings, languages, specs=discover_panels(names={"incident_queue"}))
    qtbot.addWidget(window)
    window.show()
    assert window.alert_sound_menu.menuAction() in window.view_menu.actions()
    window.alert_sound_menu.mute_action.trigger()
    panel: Any = window.panels["incident_queue"]
    qtbot.waitUntil(lambda: panel._loaded)
    with qtbot.waitSignal(panel.sound.played, timeout=3000) as sig:
        memory_replica.put(K.INCIDENT, "urgent", incident_data("urgent", code=1))
    assert sig.args == ["muted"] and recorder.kinds == []
    window.close()

    # a restart: a new player, settings read again from the file
    alerts.install_player(AlertPlayer(backend=lambda _parent: recorder, beep=lambda: None))
    again = MainWindow(panel_ctx, QSettings(str(tmp_path / "console.ini"), QSettings.Format.IniFormat),
                       languages, specs=discover_panels(names={"incident_queue"}))
    qtbot.addWidget(again)
    assert again.alert_sound_menu.mute_action.isChecked()
    assert alerts.alert_player().muted
    # said in the status bar, always in view, until unmuted
    again.show()
    assert again.status_fields.muted.isVisible()
    again.alert_sound_menu.mute_action.trigger()
    assert not alerts.alert_player().muted and not again.status_fields.muted.isVisible()


def test_code_0_and_code_1_arrivals_have_their_own_sounds(qtbot, panel_ctx, memory_replica, recorder) -> None:
    panel = queue_panel(qtbot, panel_ctx)
    with qtbot.waitSignal(panel.sound.played, timeout=3000):
        memory_replica.put(K.INCIDENT, "one", incident_data("one", code=1))
    # code 0 is more urgent: it sounds within the burst
    with qtbot.waitSignal(panel.sound.played, timeout=3000):
        memory_replica.put(K.INCIDENT, "zero", incident_data("zero", code=0))
    assert recorder.kinds == [AlertKind.CODE_1, AlertKind.CODE_0]


def duty_seed(replica) -> None:  # type: ignore[no-untyped-def]
    start = iso(SAMPLE_NOW - timedelta(minutes=10))
    for code, level, path, parent in (("NPA", "national", "/NPA/", None),
                                      ("SEOUL", "provincial", "/NPA/SEOUL/", "NPA"),
                                      ("S11110", "station", "/NPA/SEOUL/S11110/", "SEOUL")):
        replica.put(K.ORG, code, {"code": code, "level": level, "name_ko": code, "name_en": code,
                                  "parent_code": parent, "path": path, "jurisdiction": [],
                                  "personnel_total": 100, "personnel_on_duty": 40, "lat": 37.57,
                                  "lon": 126.98}, org_path=path)
    replica.put(K.DUTY_ORDER, "o1", {"id": "o1", "level": "level_b", "issuer_code": "SEOUL",
                                     "targets": ["S11110"], "effective_from": start, "effective_until": None,
                                     "reason": "election day", "issued_by": "park", "issued_at": start,
                                     "acks": {}, "cancelled": False})


def test_an_unacknowledged_order_sounds_once(qtbot, panel_ctx, memory_replica, recorder) -> None:
    duty_seed(memory_replica)
    panel = DutyPanel(panel_ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: len(recorder.kinds) == 1)
    with qtbot.waitSignal(panel.state_loaded):
        panel.reload()
    assert len(recorder.kinds) == 1


def test_an_unacknowledged_order_has_the_duty_order_sound(qtbot, panel_ctx, memory_replica, recorder) -> None:
    duty_seed(memory_replica)
    panel = DutyPanel(panel_ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: len(recorder.kinds) == 1)
    assert recorder.kinds == [AlertKind.DUTY_ORDER]
