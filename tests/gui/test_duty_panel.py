"""Duty panel: level in force, compliance, one-click acknowledgement, HQ issue and roll-up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from console.domain.clock import iso
from console.domain.records import RecordKind
from console.domain.roles import Role
from console.domain.samples import SAMPLE_NOW
from console.ui.panels.duty_panel import DutyPanel
from console.ui.testing import dispose_context, make_context, sample_user

pytestmark = pytest.mark.gui
K = RecordKind


def org(code: str, level: str, path: str, parent: str | None, total: int = 100, on_duty: int = 40) -> dict:
    return {"code": code, "level": level, "name_ko": f"{code} 서", "name_en": f"{code} office",
            "parent_code": parent, "path": path, "jurisdiction": [], "personnel_total": total,
            "personnel_on_duty": on_duty, "lat": 37.57, "lon": 126.98}


def order(id: str, level: str, targets: list[str], issuer: str = "SEOUL", acks: dict | None = None) -> dict:
    start = iso(SAMPLE_NOW - timedelta(minutes=10))
    return {"id": id, "level": level, "issuer_code": issuer, "targets": targets, "effective_from": start,
            "effective_until": None, "reason": "election day", "issued_by": "park", "issued_at": start,
            "acks": acks or {}, "cancelled": False}


def seed(replica) -> None:  # type: ignore[no-untyped-def]
    replica.put(K.ORG, "NPA", org("NPA", "national", "/NPA/", None), org_path="/NPA/")
    replica.put(K.ORG, "SEOUL", org("SEOUL", "provincial", "/NPA/SEOUL/", "NPA"), org_path="/NPA/SEOUL/")
    replica.put(K.ORG, "S11110", org("S11110", "station", "/NPA/SEOUL/S11110/", "SEOUL"),
                org_path="/NPA/SEOUL/S11110/")
    replica.put(K.ORG, "S11120", org("S11120", "station", "/NPA/SEOUL/S11120/", "SEOUL", on_duty=10),
                org_path="/NPA/SEOUL/S11120/")


def test_station_sees_level_compliance_and_acknowledges_with_one_click(qtbot, panel_ctx, memory_replica) -> None:
    seed(memory_replica)
    memory_replica.put(K.DUTY_ORDER, "o1", order("o1", "level_b", ["S11110", "S11120"]))
    panel = DutyPanel(panel_ctx)
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.waitSignal(panel_ctx.selection.opened) as opened:  # brought to front
        qtbot.waitUntil(lambda: panel.view is not None)
    assert opened.args == ["duty_order", "o1"]
    assert "Level B" in panel.level_label.text()
    assert "park" in panel.order_label.text()
    assert "50%" in panel.demands_label.text()
    assert "required 50" in panel.compliance_label.text() and "short by 10" in panel.compliance_label.text()
    assert panel.ack_band.isVisible()
    panel.ack_button.click()
    qtbot.waitUntil(lambda: "S11110" in memory_replica.row(K.DUTY_ORDER, "o1").data["acks"])
    qtbot.waitUntil(lambda: panel.ack_band.isHidden())


def test_provincial_hq_issues_orders_and_sees_per_office_rollup(qtbot, memory_replica) -> None:
    seed(memory_replica)
    user = sample_user(Role.PROVINCIAL_HQ, "SEOUL", "/NPA/SEOUL/")
    ctx = make_context(memory_replica, user)
    panel = DutyPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.targets.count() == 2)
    panel.issue_button.click()
    assert "at least one office" in panel.message.text()
    panel.level_combo.setCurrentIndex(panel.level_combo.findData("level_a"))
    panel._select_all_targets()
    panel.issue_button.click()
    qtbot.waitUntil(lambda: panel.rollup.rowCount() == 2 and panel.rollup.item(0, 1).text() != "—")
    texts = {panel.rollup.item(r, 0).text(): [panel.rollup.item(r, c).text() for c in range(6)]
             for r in range(2)}
    row = next(v for k, v in texts.items() if "S11120" in k)
    assert row[1] == "Level A" and row[2].startswith("✗") and row[3] == "10" and row[4] == "100"
    assert "short by 90" in row[5]
    dispose_context(ctx)


def test_hq_not_under_an_order_leads_with_what_it_ordered_below(qtbot, memory_replica) -> None:
    seed(memory_replica)
    memory_replica.put(K.DUTY_ORDER, "o9", order("o9", "level_a", ["S11110", "S11120"],
                                                 acks={"S11110": {"by": "kim", "at": iso(SAMPLE_NOW)}}))
    ctx = make_context(memory_replica, sample_user(Role.PROVINCIAL_HQ, "SEOUL", "/NPA/SEOUL/"))
    panel = DutyPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.view is not None)
    assert "Level A" in panel.level_label.text() and "offices below" in panel.level_label.text()
    assert "1 of 2 offices acknowledged" in panel.order_label.text()
    dispose_context(ctx)


def test_hq_without_orders_shows_normal_duty(qtbot, memory_replica) -> None:
    seed(memory_replica)
    ctx = make_context(memory_replica, sample_user(Role.NATIONAL_HQ, "NPA", "/NPA/"))
    panel = DutyPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.view is not None)
    assert "Normal duty" in panel.level_label.text()
    dispose_context(ctx)


@pytest.fixture
def korean(qapp):  # type: ignore[no-untyped-def]
    from console.ui.i18n import LanguageSwitcher

    switcher = LanguageSwitcher()
    yield switcher
    switcher.set_language("en")


def test_the_reason_follows_the_console_language(qtbot, panel_ctx, memory_replica, korean) -> None:
    seed(memory_replica)
    bilingual = order("o1", "level_a", ["S11110"], acks={"S11110": {"by": "kim", "at": iso(SAMPLE_NOW)}})
    bilingual.update(reason="제21대 대통령선거 선거일 갑호비상 발령",
                     reason_en="21st presidential election: Level A on election day")
    memory_replica.put(K.DUTY_ORDER, "o1", bilingual)
    panel = DutyPanel(panel_ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.view is not None)
    assert panel.order_label.text().endswith("21st presidential election: Level A on election day")
    assert "갑호비상 발령" not in panel.order_label.text()
    korean.set_language("ko")
    qtbot.waitUntil(lambda: panel.order_label.text().endswith("제21대 대통령선거 선거일 갑호비상 발령"))
    assert "Level A on election day" not in panel.order_label.text()


@pytest.mark.parametrize(("reason", "reason_en", "lang", "shown"), [
    ("선거일 갑호비상", "", "en", "선거일 갑호비상"),  # no English: as written
    ("", "Level A on election day", "ko", "Level A on election day"),  # only English: that
])
def test_a_reason_in_one_language_only_is_shown_in_both(qtbot, panel_ctx, memory_replica, korean,
                                                        reason, reason_en, lang, shown) -> None:
    seed(memory_replica)
    one = order("o1", "level_a", ["S11110"], acks={"S11110": {"by": "kim", "at": iso(SAMPLE_NOW)}})
    one.update(reason=reason, reason_en=reason_en)
    memory_replica.put(K.DUTY_ORDER, "o1", one)
    korean.set_language(lang)
    panel = DutyPanel(panel_ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.view is not None)
    assert panel.order_label.text().endswith(shown)


def test_hq_may_give_the_reason_in_english_too(qtbot, memory_replica) -> None:
    seed(memory_replica)
    ctx = make_context(memory_replica, sample_user(Role.PROVINCIAL_HQ, "SEOUL", "/NPA/SEOUL/"))
    panel = DutyPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.targets.count() == 2)
    panel._select_all_targets()
    panel.reason_edit.setText("선거일 갑호비상")
    panel.reason_en_edit.setText("Level A on election day")
    panel.issue_button.click()
    qtbot.waitUntil(lambda: bool(memory_replica.rows(K.DUTY_ORDER)))
    issued = memory_replica.rows(K.DUTY_ORDER)[0].data
    assert issued["reason"] == "선거일 갑호비상" and issued["reason_en"] == "Level A on election day"
    qtbot.waitUntil(lambda: panel.reason_en_edit.text() == "" and panel.reason_edit.text() == "")
    # Without English, the payload stays as an older server accepts it.
    panel.reason_edit.setText("병호비상")
    panel.issue_button.click()
    qtbot.waitUntil(lambda: len(memory_replica.outbox()) == 2)
    assert "reason_en" not in memory_replica.outbox()[1].payload
    dispose_context(ctx)


def test_an_order_from_a_newer_version_is_still_shown_and_acknowledged(qtbot, panel_ctx, memory_replica) -> None:
    """Consoles are updated station by station: an order carrying a field this version does not
    know is shown and acknowledged, not skipped, and keeps the field."""
    seed(memory_replica)
    newer = order("o1", "level_b", ["S11110"])
    newer["attachment"] = "order-scan.pdf"
    memory_replica.put(K.DUTY_ORDER, "o1", newer)
    panel = DutyPanel(panel_ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.view is not None)
    assert "Level B" in panel.level_label.text() and panel.ack_band.isVisible()
    panel.ack_button.click()
    qtbot.waitUntil(lambda: "S11110" in memory_replica.row(K.DUTY_ORDER, "o1").data["acks"])
    assert memory_replica.row(K.DUTY_ORDER, "o1").data["attachment"] == "order-scan.pdf"
