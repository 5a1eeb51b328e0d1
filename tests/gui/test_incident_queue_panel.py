"""Incident queue panel: sorting, filtering, live updates, alerts and keyboard triage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from queue_panels import open_queue_panel as make_panel

from console.domain.clock import iso
from console.domain.records import RecordKind
from console.domain.samples import SAMPLE_NOW, incident_data, many_incidents
from console.ui.qt import Qt
from console.views.queue_index import Column

pytestmark = pytest.mark.gui
K = RecordKind


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
    old = iso(SAMPLE_NOW - timedelta(minutes=5))
    memory_replica.put(K.INCIDENT, "late", incident_data("late", code=0, created_at=old))
    memory_replica.put(K.INCIDENT, "fresh", incident_data("fresh", code=0))
    panel = make_panel(qtbot, panel_ctx)
    rows = {panel.model.id_at(r): r for r in range(2)}
    background = Qt.ItemDataRole.BackgroundRole
    assert panel.model.data(panel.model.index(rows["late"], 2), background) is not None
    assert panel.model.data(panel.model.index(rows["fresh"], 2), background) is None
    assert "Overdue" in panel.model.data(panel.model.index(rows["late"], 2), Qt.ItemDataRole.ToolTipRole)


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


@pytest.fixture
def korean(qapp):  # type: ignore[no-untyped-def]
    from console.ui.i18n import LanguageSwitcher

    switcher = LanguageSwitcher()
    yield switcher
    switcher.set_language("en")


def bilingual(id: str, **kw) -> dict:  # type: ignore[no-untyped-def]
    """An incident as the simulator writes it: titled in Korean, with the English alongside."""
    data = incident_data(id, title="후보자 딥페이크 영상 유포", **kw)
    data["title_en"] = "Deepfake video of a candidate circulating"
    return data


def test_titles_follow_the_console_language(qtbot, panel_ctx, memory_replica, korean) -> None:
    memory_replica.put(K.INCIDENT, "df", bilingual("df", code=2, category="deepfake"))
    memory_replica.put(K.INCIDENT, "old", incident_data("old", code=3, title="투표소 내 소란"))
    panel = make_panel(qtbot, panel_ctx)
    model = panel.model

    def cell(id: str, role: int = Qt.ItemDataRole.DisplayRole) -> str:
        return model.data(model.index(model.row_of(id), Column.PLACE), role)

    # No place: the place column names the incident, in English in an English console.
    assert cell("df") == "Deepfake video of a candidate circulating"
    assert cell("df", Qt.ItemDataRole.ToolTipRole).startswith("Deepfake video of a candidate circulating")
    assert cell("old") == "투표소 내 소란"  # no English title: as written
    korean.set_language("ko")  # the cached cells are made again in Korean
    qtbot.waitUntil(lambda: cell("df") == "후보자 딥페이크 영상 유포")
    assert cell("df", Qt.ItemDataRole.ToolTipRole).startswith("후보자 딥페이크 영상 유포")
    korean.set_language("en")
    qtbot.waitUntil(lambda: cell("df") == "Deepfake video of a candidate circulating")


def test_search_finds_an_incident_by_either_title(qtbot, panel_ctx, memory_replica, korean) -> None:
    memory_replica.put_many(K.INCIDENT, many_incidents(100))
    memory_replica.put(K.INCIDENT, "df", bilingual("df", code=2, category="deepfake", place="사직동 일대"))
    panel = make_panel(qtbot, panel_ctx)
    panel.search.setText("deepfake video")
    qtbot.waitUntil(lambda: panel.model.ids() == ["df"])
    panel.search.setText("")
    qtbot.waitUntil(lambda: len(panel.model.ids()) > 1)
    korean.set_language("ko")
    panel.search.setText("딥페이크")  # a Korean user types Korean, an English user English
    qtbot.waitUntil(lambda: panel.model.ids() == ["df"])
    panel.search.setText("DEEPFAKE")
    qtbot.waitUntil(lambda: panel.model.ids() == ["df"])


def test_the_alert_names_the_incident_in_the_console_language(qtbot, panel_ctx, memory_replica,
                                                               korean) -> None:
    panel = make_panel(qtbot, panel_ctx)
    with qtbot.waitSignal(panel.urgent_alert):
        memory_replica.put(K.INCIDENT, "u", bilingual("u", code=1, category="election_violence",
                                                      place="청운효자동제1투표소"))
    assert "Deepfake video of a candidate circulating · 청운효자동제1투표소" in panel.alert_label.text()
    korean.set_language("ko")
    qtbot.waitUntil(lambda: "후보자 딥페이크 영상 유포 · 청운효자동제1투표소" in panel.alert_label.text())


def test_a_row_from_a_newer_version_is_shown_and_acknowledged(qtbot, panel_ctx, memory_replica) -> None:
    """Consoles are updated station by station: a field this version does not know neither hides
    the incident nor stops the user acting on it, and it is kept when the row is written back."""
    data = incident_data("new1", code=1, title="주취자 난동")
    data["caller_callback"] = {"number": "010-0000-0000"}
    data["timeline"][0]["attachments"] = ["photo.jpg"]
    memory_replica.put(K.INCIDENT, "new1", data)
    panel = make_panel(qtbot, panel_ctx)
    assert panel.model.ids() == ["new1"]
    panel.table.setFocus()
    panel.table.selectRow(0)
    qtbot.keyClick(panel.table, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: memory_replica.row(K.INCIDENT, "new1").data["status"] == "acknowledged")
    stored = memory_replica.row(K.INCIDENT, "new1").data
    assert stored["caller_callback"] == {"number": "010-0000-0000"}
    assert stored["timeline"][0]["attachments"] == ["photo.jpg"]
    assert memory_replica.rejected() == []
    qtbot.waitUntil(lambda: panel.model.item_at(0).status == "acknowledged")


def test_the_count_says_loading_until_the_first_rows_arrive(qtbot, panel_ctx, memory_replica) -> None:
    from console.ui.panels.incident_queue_panel import IncidentQueuePanel

    memory_replica.put(K.INCIDENT, "a", incident_data("a", code=3))
    panel = IncidentQueuePanel(panel_ctx)
    qtbot.addWidget(panel)
    assert panel.count_label.text() == "Loading…"  # not "0 of 0": nothing has been read yet
    qtbot.waitUntil(lambda: panel._loaded)
    assert panel.count_label.text() == "1 of 1"


def test_an_empty_queue_counts_nothing_once_read(qtbot, panel_ctx) -> None:
    panel = make_panel(qtbot, panel_ctx)
    assert panel.count_label.text() == "0 of 0"  # read, and truly empty


def test_ages_tick_together_and_a_late_one_turns_overdue(qtbot, panel_ctx, memory_replica) -> None:
    memory_replica.put(K.INCIDENT, "a", incident_data("a", code=1, created_at=iso(SAMPLE_NOW - timedelta(minutes=2))))
    memory_replica.put(K.INCIDENT, "b", incident_data("b", code=3, created_at=iso(SAMPLE_NOW - timedelta(minutes=50))))
    panel = make_panel(qtbot, panel_ctx)
    ages = lambda: {panel.model.id_at(r): panel.model.data(panel.model.index(r, Column.AGE))  # noqa: E731
                    for r in range(panel.model.rowCount())}
    background = lambda id: panel.model.data(panel.model.index(panel.model.row_of(id), 0),  # noqa: E731
                                             Qt.ItemDataRole.BackgroundRole)
    assert ages() == {"a": "2m", "b": "50m"} and background("a") is None
    panel_ctx.clock.advance(61)  # code 1 waits 3 minutes at most
    assert ages() == {"a": "2m", "b": "50m"}  # shown as of the last tick, like every panel
    panel_ctx.changes.tick.emit()
    assert ages() == {"a": "3m", "b": "51m"} and background("a") is not None


def test_units_show_by_call_sign_as_in_the_detail_panel(qtbot, panel_ctx, memory_replica) -> None:
    memory_replica.put(K.UNIT, "U-S11110-P01", {"id": "U-S11110-P01", "callsign": "Jongno-P01",
                                                 "type": "patrol_car", "station_code": "S11110",
                                                 "status": "dispatched"})
    memory_replica.put(K.INCIDENT, "a", incident_data("a", units=["U-S11110-P01", "U-gone"]))
    panel = make_panel(qtbot, panel_ctx)
    cell = lambda: panel.model.data(panel.model.index(0, Column.UNITS))  # noqa: E731
    qtbot.waitUntil(lambda: cell() == "Jongno-P01, U-gone")  # a unit not in the replica: by its id
    memory_replica.put(K.UNIT, "U-S11110-P01", {"id": "U-S11110-P01", "callsign": "Jongno-11",
                                                 "type": "patrol_car", "station_code": "S11110",
                                                 "status": "dispatched"})
    qtbot.waitUntil(lambda: cell() == "Jongno-11, U-gone")


def test_stations_show_by_name_in_the_consoles_language(qtbot, panel_ctx, memory_replica) -> None:
    from console.ui.i18n import LanguageSwitcher

    memory_replica.put(K.ORG, "S11110", {"code": "S11110", "level": "station", "name_ko": "종로경찰서",
                                         "name_en": "Jongno Police Station", "path": "/NPA/SEOUL/S11110/"})
    memory_replica.put(K.INCIDENT, "a", incident_data("a", station="S11110"))
    memory_replica.put(K.INCIDENT, "b", incident_data("b", station="S99999"))  # an office not in the replica
    panel = make_panel(qtbot, panel_ctx)
    row = {panel.model.ids()[r]: r for r in range(panel.model.rowCount())}

    def station_cell(id: str) -> str:
        return str(panel.model.data(panel.model.index(row[id], Column.STATION)))

    qtbot.waitUntil(lambda: station_cell("a") == "Jongno Police Station")
    assert station_cell("b") == "S99999"  # an unknown office keeps its code
    filter_texts = {panel.station_filter.itemData(i): panel.station_filter.itemText(i)
                    for i in range(panel.station_filter.count())}
    assert filter_texts["S11110"] == "Jongno Police Station"
    switcher = LanguageSwitcher()
    try:
        switcher.set_language("ko")
        qtbot.waitUntil(lambda: station_cell("a") == "종로경찰서")
        assert panel.station_filter.itemText(panel.station_filter.findData("S11110")) == "종로경찰서"
    finally:
        switcher.set_language("en")
    # Filtering still works by the code behind the name.
    panel.station_filter.setCurrentIndex(panel.station_filter.findData("S11110"))
    qtbot.waitUntil(lambda: panel.model.ids() == ["a"])
