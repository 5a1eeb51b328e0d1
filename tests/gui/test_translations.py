"""The Korean translation ships complete and compiled, and enum labels follow the language."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from console.domain.incidents import IncidentCategory, IncidentStatus
from console.ui.i18n import I18N_DIR, LanguageSwitcher, qm_path
from console.ui.labels import LABELS, label
from console.ui.qt import QCoreApplication, QTranslator

pytestmark = pytest.mark.gui


def test_korean_ts_has_no_unfinished_messages_and_the_qm_loads(qapp) -> None:
    tree = ET.parse(I18N_DIR / "sitroom_ko.ts")
    messages = list(tree.getroot().iter("message"))
    assert len(messages) > 300
    unfinished = [m.findtext("source") for m in messages
                  if (m.find("translation") is None or m.find("translation").get("type") == "unfinished"
                      or not (m.findtext("translation") or "").strip())]
    assert unfinished == []
    assert QTranslator().load(str(qm_path("ko")))


def test_every_enum_label_is_translated(qapp) -> None:
    translator = QTranslator()
    assert translator.load(str(qm_path("ko")))
    missing = [text for text in LABELS.values() if not translator.translate("Labels", text)]
    assert missing == []


def test_labels_follow_the_language(qapp) -> None:
    switcher = LanguageSwitcher()
    try:
        switcher.set_language("ko")
        assert label(IncidentCategory.BRIBERY) == "금품선거"
        assert label(IncidentStatus.ON_SCENE) == "현장 도착"
        assert QCoreApplication.translate("Panels", "Incident queue") == "사건 목록"
        switcher.set_language("en")
        assert label(IncidentCategory.BRIBERY) == "Bribery"
    finally:
        switcher.set_language("en")


def test_map_legend_texts_are_translated(qapp) -> None:
    from console.ui.map.style import COUNTING_STYLES, POLLING_STYLES, STATION_STYLES

    translator = QTranslator()
    assert translator.load(str(qm_path("ko")))
    texts = {part for s in POLLING_STYLES.values() for part in s.text.split("|")}
    texts |= {s.text for s in (*COUNTING_STYLES.values(), *STATION_STYLES.values())}
    texts |= {"Election-day polling station", "Early-voting station"}
    missing = sorted(t for t in texts if not translator.translate("MapLegend", t))
    assert missing == []


def test_unit_and_incident_statuses_with_equal_values_each_have_their_label(qapp) -> None:  # type: ignore[no-untyped-def]
    from console.domain.incidents import IncidentStatus
    from console.domain.units import UnitStatus
    from console.ui.labels import label_of

    assert label_of(UnitStatus, "on_scene") == label(UnitStatus.ON_SCENE) == "On scene"
    assert label_of(UnitStatus, "dispatched") == "Dispatched"
    assert label_of(IncidentStatus, "dispatched") == label(IncidentStatus.DISPATCHED) == "Dispatched"


def test_no_tr_call_hides_inside_an_f_string() -> None:
    """lupdate does not read inside f-strings: a tr() there is never translated."""
    import re
    from pathlib import Path

    import console.ui

    pattern = re.compile(r"""\{(self\.)?tr\(|\{QCoreApplication\.translate\(""")
    found = [f"{path.name}:{n}" for path in Path(console.ui.__file__).parent.rglob("*.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if pattern.search(line)]
    assert found == []


def test_the_shipped_translation_holds_every_string_the_code_asks_for(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A tr() added without refreshing the translation shows English in a Korean console: the
    shipped .ts must hold every (context, source) that lupdate finds in console/ui today."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import console.ui

    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    tool = str(lupdate) if lupdate.exists() else shutil.which("pyside6-lupdate")
    assert tool, "pyside6-lupdate (PySide6) is missing"
    ui = Path(console.ui.__file__).parent
    fresh = tmp_path / "fresh.ts"
    subprocess.run([tool, *sorted(str(p) for p in ui.rglob("*.py")), "-no-obsolete", "-locations", "none",
                    "-ts", str(fresh)], check=True, capture_output=True)

    def messages(path: Path) -> set[tuple[str, str]]:
        root = ET.parse(path).getroot()
        return {(c.findtext("name") or "", m.findtext("source") or "")
                for c in root.iter("context") for m in c.iter("message")}

    missing = sorted(messages(fresh) - messages(I18N_DIR / "sitroom_ko.ts"))
    assert missing == [], "run: python resources/translations/update.py"
