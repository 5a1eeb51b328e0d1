"""Units panel (status, change status) and sync panel (outbox, rejected, conflicts) over a real replica."""

from __future__ import annotations

import pytest

from console.domain.records import RecordKind
from console.domain.samples import incident_data
from console.protocol.schema import Change, MutationResult, MutationStatus, Row
from console.ui.dialogs.conflict_dialog import ConflictDialog
from console.ui.panels.sync_panel import SyncPanel
from console.ui.panels.units_panel import UnitsPanel
from console.ui.testing import dispose_context, load_server_rows, make_context, open_replica

pytestmark = pytest.mark.gui
K = RecordKind
PATH = "/NPA/SEOUL/S11110/"


def unit(id: str, callsign: str, status: str = "available") -> dict:
    return {"id": id, "callsign": callsign, "type": "patrol_car", "station_code": "S11110", "status": status,
            "lat": 37.57, "lon": 126.98, "position_at": None, "personnel": 2, "incident_id": None}


@pytest.fixture
def replica(tmp_path):  # type: ignore[no-untyped-def]
    r = open_replica(tmp_path / "replica.sqlite3")
    yield r
    r.close()


@pytest.fixture
def ctx(qapp, replica):  # type: ignore[no-untyped-def]
    c = make_context(replica)
    yield c
    dispose_context(c)


def test_units_panel_lists_units_and_changes_status(qtbot, ctx, replica) -> None:
    load_server_rows(replica, [(K.UNIT, "u1", unit("u1", "Jongno 11"), PATH),
                               (K.UNIT, "u2", unit("u2", "Jongno 12", "off_duty"), PATH)])
    panel = UnitsPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2)
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("off_duty"))
    assert panel.table.rowCount() == 1 and panel.table.item(0, 0).text() == "Jongno 12"
    panel.status_filter.setCurrentIndex(0)
    panel.apply_button.click()
    assert panel.message.text()  # nothing selected
    panel.table.selectRow([panel.table.item(r, 0).text() for r in range(2)].index("Jongno 11"))
    panel.new_status.setCurrentIndex(panel.new_status.findData("dispatched"))
    panel.apply_button.click()
    qtbot.waitUntil(lambda: replica.row(K.UNIT, "u1").data["status"] == "dispatched")
    qtbot.waitUntil(lambda: any("⟳" in (panel.table.item(r, 2).text()) for r in range(2)))


def test_units_panel_folds_in_changes_filters_sorts_and_follows_the_selection(qtbot, ctx, replica) -> None:
    from console.domain.units import UnitStatus
    from console.protocol.schema import Change, Row
    from console.ui.labels import label_of
    from console.ui.qt import Qt

    load_server_rows(replica, [(K.UNIT, "u1", unit("u1", "Jongno 11"), PATH),
                               (K.UNIT, "u2", unit("u2", "Jongno 12", "off_duty"), PATH),
                               (K.UNIT, "u3", unit("u3", "Jongno 13", "dispatched"), PATH)])
    panel = UnitsPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3)
    callsigns = lambda: [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]  # noqa: E731
    assert callsigns() == ["Jongno 11", "Jongno 12", "Jongno 13"]

    # The map (or any panel) selects a unit: the table follows, without announcing it again.
    heard: list[str] = []
    ctx.selection.selected.connect(lambda _k, id: heard.append(id))
    ctx.selection.select("unit", "u3")
    assert panel.selected_id() == "u3" and heard == ["u3"]
    panel.table.selectRow(0)  # a click in the table selects the unit everywhere
    assert heard == ["u3", "u1"]

    # Only available units shown; a change from the server makes u1 busy: it leaves the list.
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("available"))
    assert callsigns() == ["Jongno 11"]
    seq = 2

    def server_change(id: str, data: dict) -> None:
        nonlocal seq
        replica.apply_changes([Change(seq=seq, row=Row(kind=K.UNIT, id=id, version=seq, org_path=PATH,
                                                       data=data))], seq, replica.server_epoch())
        seq += 1

    server_change("u1", unit("u1", "Jongno 11", "on_scene"))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 0)
    panel.status_filter.setCurrentIndex(0)
    row = callsigns().index("Jongno 11")
    assert panel.table.item(row, 2).text() == label_of(UnitStatus, "on_scene")
    # The call sign changes: the new text shows and the row moves to its sorted place.
    server_change("u3", unit("u3", "Gwanghwamun 1", "dispatched"))
    qtbot.waitUntil(lambda: callsigns()[0] == "Gwanghwamun 1")
    assert panel.selected_id() == "u1"  # selected again after the filter, and kept as rows moved
    # Sort by status (by label), descending, then back to call signs.
    panel.table.horizontalHeader().setSortIndicator(2, Qt.SortOrder.DescendingOrder)
    labels = [label_of(UnitStatus, s) for s in ("on_scene", "off_duty", "dispatched")]
    assert [panel.table.item(r, 2).text() for r in range(3)] == sorted(labels, reverse=True)
    panel.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    assert callsigns() == ["Gwanghwamun 1", "Jongno 11", "Jongno 12"]
    panel.search.setText("jongno 12")
    assert callsigns() == ["Jongno 12"]


def test_sync_panel_shows_outbox_rejections_and_resolves_conflicts(qtbot, ctx, replica) -> None:
    load_server_rows(replica, [(K.INCIDENT, "a", incident_data("a"), PATH),
                               (K.INCIDENT, "b", incident_data("b"), PATH)])
    replica.submit("incident.transition", K.INCIDENT, "a", {"to": "acknowledged"})
    replica.submit("incident.edit", K.INCIDENT, "b", {"title": "My better title"})
    panel = SyncPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.outbox_table.rowCount() == 2)
    batch = replica.push_batch(10)
    theirs_data = incident_data("b", title="Their title")
    replica.record_results([
        MutationResult(client_seq=batch[0].client_seq, status=MutationStatus.REJECTED, record_kind=K.INCIDENT,
                       record_id="a", error_code="forbidden", message="out of your scope"),
        MutationResult(client_seq=batch[1].client_seq, status=MutationStatus.CONFLICT, record_kind=K.INCIDENT,
                       record_id="b", error_code="conflict", message="stale",
                       server_row=Row(kind=K.INCIDENT, id="b", version=2, org_path=PATH, data=theirs_data)),
    ])
    qtbot.waitUntil(lambda: panel.rejected_table.rowCount() == 1 and panel.conflicts_table.rowCount() == 1)
    assert "out of your scope" in panel.rejected_table.item(0, 4).text()
    assert panel.outbox_table.rowCount() == 0

    dialog = ConflictDialog(panel.lists.conflicts[0])
    qtbot.addWidget(dialog)
    fields = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    row = fields.index("title")
    assert dialog.table.item(row, 1).text() == "My better title"
    assert dialog.table.item(row, 2).text() == "Their title"
    dialog.set_take_theirs("title")
    assert dialog.merged_payload() == {"title": "Their title"}

    panel.resolve(panel.lists.conflicts[0].id, "mine")
    qtbot.waitUntil(lambda: panel.conflicts_table.rowCount() == 0 and panel.outbox_table.rowCount() == 1)
    assert replica.row(K.INCIDENT, "b").data["title"] == "My better title"
    panel.rejected_table.selectRow(0)
    panel.dismiss_button.click()
    qtbot.waitUntil(lambda: panel.rejected_table.rowCount() == 0)


def test_units_panel_shows_places_and_position_ages(qtbot, ctx, replica) -> None:
    from datetime import timedelta

    from console.domain.clock import iso
    from console.domain.samples import SAMPLE_NOW
    from console.ui.qt import Qt

    reported = unit("u1", "Jongno 11") | {"lat": 37.5663, "lon": 126.9779,
                                          "position_at": iso(SAMPLE_NOW - timedelta(minutes=7))}
    never = unit("u2", "Jongno 12")  # registered at a position, never reported one
    nowhere = unit("u3", "Jongno 13") | {"lat": None, "lon": None}
    load_server_rows(replica, [(K.UNIT, "u1", reported, PATH), (K.UNIT, "u2", never, PATH),
                               (K.UNIT, "u3", nowhere, PATH)])
    panel = UnitsPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.count_label.text() == "Loading…"  # not "0 / 0" before the first read
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3)
    assert panel.count_label.text() == "3 / 3"
    headers = [panel.model.headerData(c, Qt.Orientation.Horizontal) for c in range(panel.model.columnCount())]
    place, age = headers.index("Position"), headers.index("Position age")
    cells = {panel.table.item(r, 0).text(): (panel.table.item(r, place).text(), panel.table.item(r, age).text())
             for r in range(3)}
    assert cells["Jongno 11"] == ("중구 태평로1가", "7m")
    assert cells["Jongno 12"][0].startswith("종로구 ") and cells["Jongno 12"][1] == "not reported"
    assert cells["Jongno 13"] == ("—", "—")
    tip = panel.model.data(panel.model.index(panel.model.row_of("u1"), place), Qt.ItemDataRole.ToolTipRole)
    assert "서울특별시 중구 태평로1가" in tip and "37.5663, 126.9779" in tip and "10:13:00" in tip  # KST
    # Two minutes on: at the next tick the age moves with every other age on screen.
    ctx.clock.advance(120)
    ctx.changes.tick.emit()
    row = panel.model.row_of("u1")
    assert panel.model.data(panel.model.index(row, age)) == "9m"
    # A report from the unit: a new place, its age from now.
    seq = 2
    moved = reported | {"lat": 37.5796, "lon": 126.9770, "position_at": iso(SAMPLE_NOW + timedelta(minutes=2))}
    replica.apply_changes([Change(seq=seq, row=Row(kind=K.UNIT, id="u1", version=seq, org_path=PATH,
                                                   data=moved))], seq, replica.server_epoch())
    qtbot.waitUntil(lambda: panel.model.data(panel.model.index(panel.model.row_of("u1"), age)) == "0s")
    assert panel.model.data(panel.model.index(panel.model.row_of("u1"), place)).startswith("종로구 ")


def test_units_panel_names_stations(qtbot, ctx, replica) -> None:
    jongno = {"code": "S11110", "level": "station", "name_ko": "종로경찰서", "name_en": "Jongno Police Station",
              "path": PATH, "parent_code": "SEOUL"}
    load_server_rows(replica, [(K.ORG, "S11110", jongno, PATH), (K.UNIT, "u1", unit("u1", "Jongno 11"), PATH)])
    panel = UnitsPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1 and panel.table.item(0, 3).text() == "Jongno Police Station")
