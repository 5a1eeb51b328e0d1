"""Screenshots of the chain-of-command panels (directives, reports, handover) as a station
commander and a provincial HQ, in Korean and English, and the roll-up and handover PDFs:
`QT_QPA_PLATFORM=offscreen python resources/screenshots/chain_panels.py [OUT_DIR]`."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from console.domain.clock import OPERATION_TZ, iso
from console.domain.records import RecordKind
from console.domain.roles import Role
from console.ui.i18n import LanguageSwitcher
from console.ui.panels.directives_panel import DirectivesPanel
from console.ui.panels.handover_panel import HandoverPanel
from console.ui.panels.reports_panel import ReportsPanel
from console.ui.qt import QApplication, QSplitter, Qt
from console.ui.testing import MemoryReplica, dispose_context, make_context, sample_user

K = RecordKind
STATIONS = {"S11110": ("종로경찰서", "Jongno Police Station"),
            "S11120": ("중부경찰서", "Jung Police Station"),
            "S11130": ("남대문경찰서", "Namdaemun Police Station")}
PATHS = {"NPA": "/NPA/", "SEOUL": "/NPA/SEOUL/", **{c: f"/NPA/SEOUL/{c}/" for c in STATIONS}}


def kst(hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 6, 3, hour, minute, tzinfo=OPERATION_TZ)


def seed(r: MemoryReplica, station_acked: bool) -> None:
    offices = [("NPA", "national", None, "경찰청", "National Police Agency"),
               ("SEOUL", "provincial", "NPA", "서울경찰청", "Seoul Police Agency"),
               *[(c, "station", "SEOUL", ko, en) for c, (ko, en) in STATIONS.items()]]
    for code, level, parent, ko, en in offices:
        r.put(K.ORG, code, {"code": code, "level": level, "name_ko": ko, "name_en": en, "parent_code": parent,
                            "path": PATHS[code], "jurisdiction": [], "personnel_total": 180,
                            "personnel_on_duty": 150, "lat": 37.57, "lon": 126.98}, org_path=PATHS[code])
    r.put(K.REPORT_SCHEDULE, "SCH", {
        "id": "SCH", "issuer_code": "SEOUL", "targets": list(STATIONS), "starts_at": iso(kst(6)),
        "ends_at": iso(kst(20)), "every_minutes": 60, "title": "선거일 매시 상황보고", "issued_by": "seoul",
        "issued_at": iso(kst(5, 30))}, org_path=PATHS["SEOUL"])
    acks = {"S11130": {"by": "choi", "at": iso(kst(8, 4))}}
    if station_acked:
        acks["S11110"] = {"by": "kim", "at": iso(kst(8, 6))}
    r.put(K.DIRECTIVE, "D1", {
        "id": "D1", "issuer_code": "SEOUL", "targets": list(STATIONS), "priority": "urgent",
        "text": "투표소 주변 순찰을 강화하고 이상 징후는 즉시 보고할 것",
        "text_en": "Step up patrols around polling stations and report anything unusual at once",
        "issued_by": "seoul", "issued_at": iso(kst(8)), "acks": acks}, org_path=PATHS["SEOUL"])
    for n, (title, en, code, station, hour) in enumerate((
            ("투표소 앞 소란", "Disorder outside a polling station", 2, "S11110", 9),
            ("금품 제공 의심 신고", "Suspected vote buying", 1, "S11110", 9),
            ("딥페이크 영상 유포", "Deepfake video spread", 2, "S11120", 8))):
        at = iso(kst(hour, 10 + n * 7))
        r.put(K.INCIDENT, f"I{n}", {
            "id": f"I{n}", "category": "bribery" if code == 1 else "disorder", "code": code, "title": title,
            "title_en": en, "station_code": station, "lat": 37.57, "lon": 126.98, "created_at": at,
            "created_by": "lee", "status": "acknowledged",
            "timeline": [{"at": at, "by": "lee", "kind": "created", "text": en,
                          "params": {"code": code, "category": "disorder", "title": title}}]},
            org_path=PATHS[station])
    for station, hours, late in (("S11110", range(6, 10), None), ("S11130", range(6, 11), 10)):
        for hour in hours:
            made = kst(hour, 14) if hour == late else kst(hour, 3)
            r.put(K.SITUATION_REPORT, f"R-{station}-{hour}", {
                "id": f"R-{station}-{hour}", "office_code": station, "made_at": iso(made), "made_by": "choi",
                "schedule_id": "SCH", "slot": iso(kst(hour)), "remarks": "관내 특이사항 없음",
                "content": {"incidents_open": 1, "on_duty": 150, "required": 180, "urgent": 0}},
                org_path=PATHS[station])


def shoot(out: Path, lang: str, role: Role, code: str, at: datetime, user: str) -> list[Path]:
    r = MemoryReplica()
    seed(r, station_acked=role != Role.STATION_COMMANDER)
    if role == Role.PROVINCIAL_HQ:
        r.put(K.SITUATION_REPORT, "R-S11110-10", {
            "id": "R-S11110-10", "office_code": "S11110", "made_at": iso(kst(10, 2)), "made_by": "kim",
            "schedule_id": "SCH", "slot": iso(kst(10)), "remarks": "관내 특이사항 없음, 순찰 강화 중",
            "content": {"incidents_opened": 2, "incidents_open": 2, "urgent": 1, "on_duty": 150,
                        "required": 180, "sites": 12, "sites_short": 1}}, org_path=PATHS["S11110"])
    info = sample_user(role, code, PATHS[code]).model_copy(update={"username": user})
    r.user_info = info
    ctx = make_context(r, info)
    ctx.clock.update(at)  # type: ignore[attr-defined]
    app = QApplication.instance()
    assert app is not None
    split = QSplitter(Qt.Orientation.Horizontal)
    panels: list[Any] = [DirectivesPanel(ctx), ReportsPanel(ctx), HandoverPanel(ctx)]
    for p in panels:
        split.addWidget(p)
    split.resize(1800, 520)
    split.show()
    for _ in range(60):
        app.processEvents()
        time.sleep(0.02)
    if role == Role.PROVINCIAL_HQ:
        panels[0].tabs.setCurrentIndex(1)
        panels[1].tabs.setCurrentIndex(1)
        panels[2].tabs.setCurrentIndex(1)
    else:
        panels[2].refresh_button.click()
    for _ in range(60):
        app.processEvents()
        time.sleep(0.02)
    shots = [out / f"chain-{'province' if role == Role.PROVINCIAL_HQ else 'station'}-{lang}.png"]
    split.grab().save(str(shots[0]))
    if role == Role.PROVINCIAL_HQ:
        docs: list[Any] = []
        panels[1].dialog_opened.connect(docs.append)
        panels[1].make_rollup()
        for _ in range(100):
            app.processEvents()
            time.sleep(0.02)
            if docs:
                break
        pdf = out / f"rollup-{lang}.pdf"
        docs[0].save_pdf(pdf)
        shots.append(pdf)
        docs[0].close()
    else:
        drafts: list[Any] = []
        panels[1].dialog_opened.connect(drafts.append)
        panels[1].prepare_prompted()
        for _ in range(200):
            app.processEvents()
            time.sleep(0.02)
            if drafts:
                break
        drafts[0].remarks.setPlainText("관내 특이사항 없음. 투표소 주변 순찰 강화 중." if lang == "ko"
                                       else "Nothing unusual. Patrols stepped up around polling stations.")
        drafts[0].resize(820, 900)
        drafts[0].show()
        for _ in range(20):
            app.processEvents()
        shots.append(out / f"chain-draft-{lang}.png")
        drafts[0].grab().save(str(shots[-1]))
        drafts[0].close()
        h = panels[2]
        notes = {"ko": "2번 투표소 주변 순찰 계속, 개표소 경비 인원 18:30 재확인",
                 "en": "Keep patrolling around polling station 2; recheck counting-station guards at 18:30"}
        h.notes.setPlainText(notes[lang])
        h._render_draft()
        from console.ui.chain_documents import handover_pdf
        prov = h._provisional()
        pdf = out / f"handover-{lang}.pdf"
        handover_pdf(prov, h._name, pdf)
        shots.append(pdf)
    split.close()
    dispose_context(ctx)
    return shots


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    switcher = LanguageSwitcher()
    for lang in ("ko", "en"):
        switcher.set_language(lang)
        print(shoot(out, lang, Role.STATION_COMMANDER, "S11110", kst(10, 2), "kim"))
        print(shoot(out, lang, Role.PROVINCIAL_HQ, "SEOUL", kst(10, 20), "seoul"))
    del app


if __name__ == "__main__":
    main()
