"""Screenshots of the situation report for the README: pages of a station's report (Korean and
English) made with `sitroom report` from a demo database, and the File > Report... dialog.

    sitroom demo --no-console --data-dir /tmp/sitroom-demo --start 10:00 --quit-after 20
    QT_QPA_PLATFORM=offscreen python resources/screenshots/report_pages.py sqlite:////tmp/sitroom-demo/server/server.db
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from console.demo.scenario import ELECTION_DAY, kst

HERE = Path(__file__).parent
AT = kst(ELECTION_DAY, 10, 0)
REMARKS = "투표 진행 원활. 종로1가 제1투표소 소란 1건 현장 종결. 기동순찰대 1개 팀 광화문 일대 배치."


def pages(db: str, tmp: Path) -> None:
    for lang in ("ko", "en"):
        pdf = tmp / f"report-{lang}.pdf"
        subprocess.run([sys.executable, "-m", "console", "report", "--office", "S11110", "--at", "10:00",
                        "--since", "09:00", "--out", str(pdf), "--db", db, "--lang", lang,
                        "--author", "경정 홍길동 (종로경찰서 상황관리관)", "--remarks", REMARKS], check=True)
        for page in (1, 3):
            subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                            str(pdf), str(HERE / f"report-station-{lang}-p{page}")], check=True)


def dialog(db: str, tmp: Path) -> None:
    from console.report.replica_from_server import load_office
    from console.ui.events import Connection, SyncStatus
    from console.ui.i18n import LanguageSwitcher
    from console.ui.qt import QApplication
    from console.ui.report_dialog import ReportDialog
    from console.ui.testing import make_context, sample_user

    app = QApplication.instance() or QApplication([])
    languages = LanguageSwitcher()
    loaded = load_office(db, "S11110", tmp / "replica.sqlite3")
    ctx = make_context(loaded.replica, sample_user())
    ctx.clock.update(AT)  # type: ignore[attr-defined]
    ctx.changes.publish_status(SyncStatus(Connection.ONLINE, data_as_of=AT - timedelta(seconds=20)))
    app.processEvents()
    for lang in ("ko", "en"):
        languages.set_language(lang)
        d = ReportDialog(ctx)
        d.author.setText("경정 홍길동" if lang == "ko" else "Supt. Hong Gildong")
        d.remarks.setPlainText(REMARKS)
        d.show()
        app.processEvents()
        d.grab().save(str(HERE / f"report-dialog-{lang}.png"))
        d.close()
    loaded.replica.close()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        pages(sys.argv[1], Path(folder))
        dialog(sys.argv[1], Path(folder))
