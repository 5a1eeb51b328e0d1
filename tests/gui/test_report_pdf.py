"""The situation report on paper, made headless with `sitroom report` from a demo-seeded server
database: the pages render (pdftoppm), the Korean font is embedded (pdffonts), and the text of
the PDF carries the report's own figures, in Korean and in English. Bad input is refused with
a worded error and writes nothing."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from report_world import seed_demo_database

from console.cli import main
from console.demo.scenario import ELECTION_DAY, kst
from console.report.replica_from_server import load_office
from console.views.sitrep import SituationReport, build_situation_report

pytestmark = pytest.mark.skipif(not shutil.which("pdftoppm") or not shutil.which("pdffonts"),
                                reason="poppler-utils (pdftoppm, pdffonts) is not installed: packaging/setup.sh")
AT = kst(ELECTION_DAY, 10, 0)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return seed_demo_database(tmp_path_factory.mktemp("report-demo"))


def _report(url: str, office: str, tmp: Path) -> SituationReport:
    loaded = load_office(url, office, tmp / f"check-{office}.sqlite3")
    try:
        return build_situation_report(loaded.replica, office, AT, author="x", remarks="", made_at=AT,
                                      data_as_of=AT)
    finally:
        loaded.replica.close()


def _pages(pdf: Path, tmp: Path) -> list[Path]:
    out = tmp / pdf.stem
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(out)], check=True, capture_output=True)
    return sorted(tmp.glob(f"{pdf.stem}-*.png"))


def _text(pdf: Path) -> str:
    """The PDF's text (ligatures such as "ﬃ" read as their letters)."""
    return unicodedata.normalize("NFKC", subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                                                        capture_output=True, text=True).stdout)


def _numbers_after(text: str, header: str) -> list[int]:
    """The numbers of the table row under the header line holding `header`."""
    lines = text.splitlines()
    at = next(n for n, line in enumerate(lines) if header in line)
    row = next(line for line in lines[at + 1:] if line.strip())
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", row)]


def test_headless_report_in_korean(demo_db: str, tmp_path: Path, qapp, capsys) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "s11110.pdf"
    rc = main(["report", "--office", "S11110", "--at", "10:00", "--out", str(pdf), "--db", demo_db,
               "--author", "경정 홍길동", "--remarks", "기동대 1개 제대 추가 배치 요청", "--since", "09:00"])
    assert rc == 0, capsys.readouterr().err
    assert "종로경찰서" in capsys.readouterr().out
    from console.ui.i18n import is_korean

    assert not is_korean()  # the command's language went with it (the tests after it are in English)
    pages = _pages(pdf, tmp_path)
    assert len(pages) >= 3 and all(p.stat().st_size > 1000 for p in pages)
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    korean = [line for line in fonts.splitlines() if "NotoSansCJKkr" in line]
    assert korean and all(line.split()[-5] == "yes" for line in korean), fonts  # the "emb" column
    text = _text(pdf)
    for words in ("상황보고 — 종로경찰서", "보고 시각 2025-06-03 10:00 KST", "작성자: 경정 홍길동", "지휘관 의견",
                  "기동대 1개 제대 추가 배치 요청", "비상근무 발령 및 근무 현황", "5대 선거범죄", "투표함 회송",
                  "관할 지도", f"{len(pages)}쪽 중 1쪽", f"{len(pages)}쪽 중 {len(pages)}쪽"):
        assert words in text, words
    report = _report(demo_db, "S11110", tmp_path)
    s = report.staffing
    assert _numbers_after(text, "근무 인원") == [s.on_duty, s.required, s.shortfall, s.personnel_total,
                                             s.offices_short, s.offices]
    b = report.boxes
    assert _numbers_after(text, "회송 경로") == [b.total, b.departed, b.on_the_way, b.arrived, b.late, b.waiting]


@pytest.mark.parametrize("office", ["NPA", "SEOUL"])
def test_headless_report_in_english(office: str, demo_db: str, tmp_path: Path, qapp, capsys) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / f"{office}.pdf"
    assert main(["report", "--office", office, "--at", "2025-06-03T10:00", "--out", str(pdf), "--db", demo_db,
                 "--lang", "en"]) == 0, capsys.readouterr().err
    pages = _pages(pdf, tmp_path)
    assert len(pages) >= 3
    text = _text(pdf)
    report = _report(demo_db, office, tmp_path)
    assert f"Situation report — {report.office.name_en}" in text and f"Page {len(pages)} of {len(pages)}" in text
    assert "Personnel by office below" in text
    for p in report.personnel:  # each office below with its on duty / required / shortfall / total
        line = next(line for line in text.splitlines() if line.strip().startswith(p.office.name_en))
        numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", line)]
        assert numbers[-4:] == [p.staffing.on_duty, p.staffing.required, p.staffing.shortfall,
                                p.staffing.personnel_total], line
    inc = report.incidents
    assert _numbers_after(text, "112 code") == [0, inc.code(inc.by_code[0][0]).opened,
                                                inc.by_code[0][1].closed, inc.by_code[0][1].open]


def test_bad_input_is_refused_and_writes_nothing(demo_db: str, tmp_path: Path, qapp, capsys) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "x.pdf"
    assert main(["report", "--office", "S99999", "--at", "10:00", "--out", str(pdf), "--db", demo_db]) == 2
    assert "no office 'S99999'" in capsys.readouterr().err
    missing = tmp_path / "nowhere.db"
    assert main(["report", "--office", "S11110", "--out", str(pdf), "--db", f"sqlite:///{missing}"]) == 2
    assert "no server database" in capsys.readouterr().err and not missing.exists()
    assert main(["report", "--office", "S11110", "--at", "10:00", "--since", "11:00", "--out", str(pdf),
                 "--db", demo_db]) == 2
    assert "--since" in capsys.readouterr().err
    assert main(["report", "--office", "S11110", "--out", str(tmp_path / "x.txt"), "--db", demo_db]) == 2
    with pytest.raises(SystemExit, match="--at: give"):
        main(["report", "--office", "S11110", "--at", "25:99", "--out", str(pdf), "--db", demo_db])
    assert not pdf.exists()
