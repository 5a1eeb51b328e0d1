"""The chain-of-command panels at fixed clocks: a station commander acknowledges a directive and
submits the 10:00 report from its prefilled draft; the province sees its stations' 10:00 reports
as submitted or overdue and prints the roll-up (the PDF renders and embeds the Korean font); a
handover at 18:00 is made and taken over."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from console.domain.clock import OPERATION_TZ, iso
from console.domain.records import RecordKind
from console.domain.roles import Role
from console.ui.panels.directives_panel import DirectivesPanel
from console.ui.panels.handover_panel import HandoverPanel
from console.ui.panels.reports_panel import ReportsPanel
from console.ui.testing import MemoryReplica, dispose_context, make_context, sample_user

pytestmark = pytest.mark.gui
K = RecordKind
S1, S2 = "S11110", "S11120"


def kst(hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 6, 3, hour, minute, tzinfo=OPERATION_TZ)


def org(code: str, level: str, path: str, parent: str | None, ko: str, en: str) -> dict[str, Any]:
    return {"code": code, "level": level, "name_ko": ko, "name_en": en, "parent_code": parent, "path": path,
            "jurisdiction": [], "personnel_total": 120, "personnel_on_duty": 80, "lat": 37.57, "lon": 126.98}


PATHS = {"NPA": "/NPA/", "SEOUL": "/NPA/SEOUL/", S1: f"/NPA/SEOUL/{S1}/", S2: f"/NPA/SEOUL/{S2}/"}


def seed(replica: MemoryReplica, *, acked: bool = False) -> None:
    for code, level, parent, ko, en in (("NPA", "national", None, "경찰청", "National Police Agency"),
                                        ("SEOUL", "provincial", "NPA", "서울경찰청", "Seoul Police Agency"),
                                        (S1, "station", "SEOUL", "종로경찰서", "Jongno Police Station"),
                                        (S2, "station", "SEOUL", "중부경찰서", "Jung Police Station")):
        replica.put(K.ORG, code, org(code, level, PATHS[code], parent, ko, en), org_path=PATHS[code])
    replica.put(K.REPORT_SCHEDULE, "SCH", {
        "id": "SCH", "issuer_code": "SEOUL", "targets": [S1, S2], "starts_at": iso(kst(6)),
        "ends_at": iso(kst(20)), "every_minutes": 60, "title": "선거일 매시 상황보고", "issued_by": "seoul",
        "issued_at": iso(kst(5, 30))}, org_path=PATHS["SEOUL"])
    replica.put(K.DIRECTIVE, "D1", {
        "id": "D1", "issuer_code": "SEOUL", "targets": [S1, S2], "priority": "urgent",
        "text": "투표소 주변 순찰을 강화하고 이상 징후는 즉시 보고할 것",
        "text_en": "Step up patrols around polling stations and report anything unusual at once",
        "issued_by": "seoul", "issued_at": iso(kst(8)),
        "acks": {S1: {"by": "kim", "at": iso(kst(8, 5))}} if acked else {}}, org_path=PATHS["SEOUL"])


def context(replica: MemoryReplica, role: Role, code: str, at: datetime, username: str = "kim") -> Any:
    user = sample_user(role, code, PATHS[code])
    user = user.model_copy(update={"username": username}) if hasattr(user, "model_copy") else user
    replica.user_info = user
    ctx = make_context(replica, user)
    ctx.clock.update(at)  # type: ignore[attr-defined]
    return ctx


def test_station_acknowledges_the_directive_and_submits_the_10_oclock_report(qtbot) -> None:
    replica = MemoryReplica()
    seed(replica)
    for hour in range(6, 10):  # the morning's reports went in on time
        _report(replica, S1, kst(hour, 1), slot=kst(hour))
    ctx = context(replica, Role.STATION_COMMANDER, S1, kst(10, 2))
    try:
        directives = DirectivesPanel(ctx)
        qtbot.addWidget(directives)
        directives.show()
        with qtbot.waitSignal(ctx.selection.opened) as opened:
            qtbot.waitUntil(lambda: directives.view is not None)
        assert opened.args == ["directive", "D1"] and directives.band.isVisible()
        directives.band.button.click()
        qtbot.waitUntil(lambda: S1 in replica.row(K.DIRECTIVE, "D1").data["acks"])
        qtbot.waitUntil(lambda: not directives.band.isVisible())

        reports = ReportsPanel(ctx)
        qtbot.addWidget(reports)
        reports.show()
        qtbot.waitUntil(lambda: reports.view is not None and reports.band.isVisible())
        assert "10:00" in reports.band.text.text() and "10:10" in reports.band.text.text()
        with qtbot.waitSignal(reports.dialog_opened) as shown:
            reports.band.button.click()
        dialog = shown.args[0]
        assert "종로" in dialog.browser.toPlainText() or "Jongno" in dialog.browser.toPlainText()
        dialog.remarks.setPlainText("관내 특이사항 없음")
        dialog.submit_button.click()
        qtbot.waitUntil(lambda: replica.count(K.SITUATION_REPORT) == 5)
        [row] = [r for r in replica.rows(K.SITUATION_REPORT) if r.data["slot"] == iso(kst(10))]
        assert row.data["slot"] == iso(kst(10)) and row.data["made_at"] == iso(kst(10, 2))
        assert row.data["remarks"] == "관내 특이사항 없음" and row.data["content"]["directives"] == ["D1"]
        qtbot.waitUntil(lambda: not reports.band.isVisible())
        assert [(s.at.hour, s.state.value) for s in reports.view.own][-1] == (10, "submitted")
    finally:
        dispose_context(ctx)


def _report(replica: MemoryReplica, office: str, made: datetime, slot: datetime | None = None) -> None:
    slot = slot or kst(10)
    rid = f"R-{office}-{slot.hour}"
    replica.put(K.SITUATION_REPORT, rid, {
        "id": rid, "office_code": office, "made_at": iso(made), "made_by": "kim", "schedule_id": "SCH",
        "slot": iso(slot), "remarks": "특이사항 없음", "content": {"incidents_open": 2, "on_duty": 80}},
        org_path=PATHS[office])


def test_province_sees_the_10_oclock_reports_and_prints_the_rollup(qtbot, tmp_path: Path) -> None:
    replica = MemoryReplica()
    seed(replica, acked=True)
    _report(replica, S1, kst(10, 3))
    ctx = context(replica, Role.PROVINCIAL_HQ, "SEOUL", kst(10, 20), username="seoul")
    try:
        panel = ReportsPanel(ctx)
        qtbot.addWidget(panel)
        panel.show()
        qtbot.waitUntil(lambda: panel.view is not None and bool(panel.view.board))
        assert panel.view.board_at == kst(10)
        states = {panel.board_table.item(r, 0).text(): panel.board_table.item(r, 1).text()
                  for r in range(panel.board_table.rowCount())}
        assert states == {"Jongno Police Station": "Submitted", "Jung Police Station": "Overdue"}
        assert "Submitted 1" in panel.counts_label.text() and "overdue 1" in panel.counts_label.text()
        directives = DirectivesPanel(ctx)
        qtbot.addWidget(directives)
        qtbot.waitUntil(lambda: directives.issued.topLevelItemCount() == 1)
        directives.issued.setCurrentItem(directives.issued.topLevelItem(0).child(0))
        directives.cancel_selected(confirm=False)  # the HQ withdraws its directive
        qtbot.waitUntil(lambda: replica.row(K.DIRECTIVE, "D1").data.get("cancelled") is True)
        qtbot.waitUntil(lambda: directives.issued.topLevelItemCount() == 0)
        with qtbot.waitSignal(panel.dialog_opened, timeout=10_000) as shown:
            panel.make_rollup()
        dialog = shown.args[0]
        text = dialog.browser.toPlainText()
        assert "1 of 2 offices submitted" in text
        # what the print preview paints, on a printer (to a file here)
        from console.ui.qt import QtPrintSupport
        printer = QtPrintSupport.QPrinter()
        printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        assert dialog.document.paint(printer) == 1 and (tmp_path / "printed.pdf").stat().st_size > 1000
        pdf = dialog.save_pdf(tmp_path / "rollup.pdf")
        assert pdf is not None and pdf.stat().st_size > 1000
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "CJK" in fonts and all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
        assert list(tmp_path.glob("page*.png"))
    finally:
        dispose_context(ctx)


def test_handover_at_18_is_made_and_taken_over(qtbot) -> None:
    replica = MemoryReplica()
    seed(replica, acked=True)
    out = context(replica, Role.STATION_OPERATOR, S1, kst(18), username="lee")
    try:
        panel = HandoverPanel(out)
        qtbot.addWidget(panel)
        panel.show()
        with qtbot.waitSignal(panel.draft_loaded):
            panel.refresh_button.click()
        panel.entry_edit.setText("2번 투표소 현장 점검")
        panel.add_entry()
        panel.notes.setPlainText("야간 개표소 경비 인원 재확인 요망")
        panel.hand_over_button.click()
        qtbot.waitUntil(lambda: replica.count(K.HANDOVER) == 1)
        [h] = replica.rows(K.HANDOVER)
        assert h.data["outgoing"] == "lee" and h.data["notes"].startswith("야간")
        assert any(e["what"] == "2번 투표소 현장 점검" for e in h.data["log"])
        assert h.data["directives"][0]["id"] == "D1"
        assert [d["state"] for d in h.data["reports_due"]][-2:] == ["due", "upcoming"]
        hid = h.id
    finally:
        dispose_context(out)
        replica.listeners.clear()  # the outgoing console is gone
    incoming = context(replica, Role.STATION_COMMANDER, S1, kst(18, 5), username="kim")
    try:
        panel2 = HandoverPanel(incoming)
        qtbot.addWidget(panel2)
        panel2.show()
        qtbot.waitUntil(lambda: panel2.view is not None and panel2.band.isVisible())
        panel2.band.button.click()
        qtbot.waitUntil(lambda: replica.row(K.HANDOVER, hid).data["taken_over_by"] == "kim")
        qtbot.waitUntil(lambda: not panel2.band.isVisible())
    finally:
        dispose_context(incoming)
