"""Duty panel: level in force, compliance, one-click acknowledgement, HQ issue and roll-up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from console.domain.clock import in_operation_zone, iso
from console.domain.records import RecordKind
from console.domain.roles import Role
from console.domain.samples import SAMPLE_NOW
from console.protocol.schema import Row
from console.ui.panels.duty_panel import DutyPanel
from console.ui.qt import Qt
from console.ui.testing import dispose_context, make_context, sample_user
from console.ui.timefmt import local_time

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
    row = next(v for k, v in texts.items() if "S11120" in k)  # its name: "S11120 office"
    assert row[1] == "Level A" and row[2].startswith("✗") and row[3] == "10" and row[4] == "100"
    assert "short by 90" in row[5]
    dispose_context(ctx)


def test_the_offices_below_are_set_again_only_where_a_figure_moved(qtbot, memory_replica) -> None:
    """The table's columns size to their contents, so each cell set re-measures its column (a
    national HQ's table took up to 440 ms a render while the morning's openings arrived): a read
    that changed nothing sets no cell, a change of one office's figures (its place in the
    order kept) only that office's."""
    seed(memory_replica)
    memory_replica.put(K.DUTY_ORDER, "o9", order("o9", "level_a", ["S11110", "S11120"]))
    ctx = make_context(memory_replica, sample_user(Role.PROVINCIAL_HQ, "SEOUL", "/NPA/SEOUL/"))
    panel = DutyPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.rollup.rowCount() == 2 and panel.rollup.item(1, 5) is not None)
    row_of = {panel.rollup.item(r, 0).data(Qt.ItemDataRole.UserRole): r for r in range(2)}
    set_cells: list[tuple[int, int]] = []
    set_item = panel.rollup.setItem
    panel.rollup.setItem = lambda r, c, item: (set_cells.append((r, c)), set_item(r, c, item))[1]

    with qtbot.waitSignal(panel.state_loaded):
        panel.reload()
    assert set_cells == []

    with qtbot.waitSignal(panel.state_loaded):
        memory_replica.put(K.ORG, "S11120", org("S11120", "station", "/NPA/SEOUL/S11120/", "SEOUL",
                                                on_duty=20), org_path="/NPA/SEOUL/S11120/")
    r = row_of["S11120"]
    assert set_cells and {row for row, _c in set_cells} == {r}
    assert panel.rollup.item(r, 3).text() == "20" and "short by 80" in panel.rollup.item(r, 5).text()
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


# -- loading is never shown as truth -----------------------------------------------------------

def test_nothing_is_shown_as_truth_before_the_first_read(qtbot, memory_replica) -> None:
    """Before its first read comes back, and while the replica does not hold its office yet (the
    first sync has not brought it), the panel says it is loading: never "Normal duty"."""
    ctx = make_context(memory_replica, sample_user(Role.NATIONAL_HQ, "NPA", "/NPA/"))
    panel = DutyPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.view is None and panel.level_label.text() == "Loading…"
    assert panel.compliance_label.text() == "" and panel.rollup.rowCount() == 0
    with qtbot.waitSignal(panel.state_loaded):
        pass
    assert panel.view is not None and not panel.view.loaded  # an empty replica
    assert panel.level_label.text() == "Loading…" and "Normal duty" not in panel.level_label.text()
    assert panel.compliance_label.text() == ""
    seed(memory_replica)  # the first sync brings the offices: now "no order" is the truth
    qtbot.waitUntil(lambda: "Normal duty" in panel.level_label.text())
    assert "This office and the 3 below it: on duty 130 / required 0" in panel.compliance_label.text()
    dispose_context(ctx)


def test_a_level_comes_into_force_at_its_minute(qtbot, panel_ctx, memory_replica) -> None:
    """The panel reads again when an order starts, not on a 30 s timer (the demo's clock runs 144x)."""
    seed(memory_replica)
    later = order("o1", "level_b", ["S11110"], acks={"S11110": {"by": "kim", "at": iso(SAMPLE_NOW)}})
    later["effective_from"] = iso(SAMPLE_NOW + timedelta(minutes=5))
    memory_replica.put(K.DUTY_ORDER, "o1", later)
    panel = DutyPanel(panel_ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.view is not None)
    assert "Normal duty" in panel.level_label.text()
    panel_ctx.clock.update(SAMPLE_NOW + timedelta(minutes=5), speed=0.0)
    panel_ctx.changes.tick.emit()
    qtbot.waitUntil(lambda: "Level B" in panel.level_label.text())
    assert "required 50" in panel.compliance_label.text()


# -- one true picture: the panel shows what the read model computes on the same replica --------

PROVINCES = [("SEOUL", "서울경찰청", "Seoul Metropolitan Police Agency", 12),
             ("BUSAN", "부산경찰청", "Busan Metropolitan Police Agency", 6),
             ("GYEONGGI1", "경기도남부경찰청", "Gyeonggi Nambu Provincial Police Agency", 4),
             ("INCHEON", "인천경찰청", "Incheon Metropolitan Police Agency", 3),
             ("DAEGU", "대구경찰청", "Daegu Metropolitan Police Agency", 3),
             ("GWANGJU", "광주경찰청", "Gwangju Metropolitan Police Agency", 2),
             ("DAEJEON", "대전경찰청", "Daejeon Metropolitan Police Agency", 2)]
ELECTION_DAY_0600 = in_operation_zone(SAMPLE_NOW).replace(hour=6, minute=0)  # SAMPLE_NOW is 10:20 KST


def world() -> list[Row]:
    """National HQ, seven provinces with their stations; Level A from 06:00 KST, the national
    order not acknowledged by Seoul, Seoul's order not acknowledged by S11110 (red bands on both)."""
    rows = [Row(kind=K.ORG, id="NPA", version=1, org_path="/NPA/",
                data=org("NPA", "national", "/NPA/", None, total=1200, on_duty=540)
                | {"name_ko": "경찰청", "name_en": "Korean National Police Agency"})]
    acks_npa: dict = {}
    stations: dict[str, list[str]] = {}
    for n, (code, ko, en, count) in enumerate(PROVINCES):
        path = f"/NPA/{code}/"
        rows.append(Row(kind=K.ORG, id=code, version=1, org_path=path,
                        data=org(code, "provincial", path, "NPA", total=700 + 50 * n, on_duty=350 + 40 * n)
                        | {"name_ko": ko, "name_en": en}))
        if code != "SEOUL":
            acks_npa[code] = {"by": f"{code.lower()}-duty", "at": iso(ELECTION_DAY_0600 + timedelta(minutes=n))}
        stations[code] = [f"S{code[:2]}{i:03d}" if code != "SEOUL" else f"S11{i:01d}10" for i in range(count)]
        for i, s in enumerate(stations[code]):
            spath = f"{path}{s}/"
            rows.append(Row(kind=K.ORG, id=s, version=1, org_path=spath,
                            data=org(s, "station", spath, code, total=300 + 7 * i, on_duty=150 + 13 * i)
                            | {"name_ko": f"{ko[:2]}{i}경찰서", "name_en": f"{en.split()[0]} No. {i} Police Station"}))
    start, issued = iso(ELECTION_DAY_0600), iso(ELECTION_DAY_0600 - timedelta(hours=20))
    rows.append(Row(kind=K.DUTY_ORDER, id="a-npa", version=1, org_path="/NPA/", data=order(
        "a-npa", "level_a", [p[0] for p in PROVINCES], issuer="NPA", acks=acks_npa)
        | {"effective_from": start, "issued_at": issued, "effective_until": iso(ELECTION_DAY_0600 + timedelta(days=1)),
           "reason": "제21대 대통령선거 선거일 갑호비상 발령", "reason_en": "21st presidential election: Level A on election day"}))
    seoul_acks = {s: {"by": f"{s.lower()}-cmd", "at": iso(ELECTION_DAY_0600 + timedelta(minutes=2 * i))}
                  for i, s in enumerate(stations["SEOUL"]) if s != "S11110" and i % 3}
    rows.append(Row(kind=K.DUTY_ORDER, id="a-seoul", version=1, org_path="/NPA/SEOUL/", data=order(
        "a-seoul", "level_a", stations["SEOUL"], acks=seoul_acks)
        | {"effective_from": start, "issued_at": iso(ELECTION_DAY_0600 - timedelta(hours=19)),
           "reason": "선거일 갑호비상(관할 경찰서)", "reason_en": "Election day: Level A (stations)"}))
    return rows


USERS = {
    "national": sample_user(Role.NATIONAL_HQ, "NPA", "/NPA/"),
    "provincial": sample_user(Role.PROVINCIAL_HQ, "SEOUL", "/NPA/SEOUL/"),
    "commander": sample_user(Role.STATION_COMMANDER, "S11110", "/NPA/SEOUL/S11110/"),
}


@pytest.fixture
def real_replica(tmp_path):  # type: ignore[no-untyped-def]
    """A real console replica holding the world, stored as the first sync stores it."""
    from console.ui.testing import open_replica

    replica = open_replica(tmp_path / "replica.sqlite3")
    rows = world()
    replica.begin_snapshot("epoch", len(rows), wipe=True)
    replica.apply_snapshot_page(rows, done=True, as_of=len(rows))
    yield replica
    replica.close()


@pytest.mark.parametrize("who", ["commander", "provincial", "national"])
def test_the_panel_shows_what_the_read_model_computes(qtbot, real_replica, who) -> None:
    from console.ui.labels import label
    from console.views.duty import duty_view

    user = USERS[who]
    ctx = make_context(real_replica, user)
    panel = DutyPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.view is not None)
    truth = duty_view(real_replica, user.org_code, user.org_path, user.role, ctx.clock.now())
    assert truth.loaded
    level = panel.level_label.text()
    compliance = panel.compliance_label.text()
    if truth.in_force is not None:
        assert label(truth.in_force.level) in level
        assert truth.in_force.issued_by in panel.order_label.text()
    else:
        assert truth.issued is not None and truth.issued.in_force  # national: what it ordered below
        assert label(truth.issued.order.level) in level and "offices below" in level
        assert f"{truth.issued.acknowledged} of {truth.issued.targets} offices acknowledged" in panel.order_label.text()
    figures = truth.overall if truth.hq else truth.own
    assert f"on duty {figures.on_duty:,} / required {figures.required:,} (of {figures.personnel_total:,} personnel)" \
        in compliance.replace("On duty", "on duty")
    assert (f"short by {figures.shortfall:,}" in compliance) == (not figures.meets)
    assert panel.ack_band.isVisible() == bool(truth.unacknowledged)
    if truth.unacknowledged:
        assert label(truth.unacknowledged[0].level) in panel.ack_text.text()
    if not truth.hq:
        assert panel.rollup.rowCount() == 0
        dispose_context(ctx)
        return
    # Each office below: its row in the read model's order, with the read model's figures.
    assert panel.rollup.rowCount() == len(truth.offices_below) > 0
    for r, below in enumerate(truth.offices_below):
        cells = [panel.rollup.item(r, c).text() for c in range(6)]
        assert panel.rollup.item(r, 0).data(Qt.ItemDataRole.UserRole) == below.office.code
        assert cells[0] == f"{below.office.name(korean=False)} ({below.office.code})"
        assert cells[1] == (label(below.level) if below.level else "—")
        assert cells[2].startswith("✓" if below.acknowledged else "✗")
        if below.acknowledgement is not None:  # when in the cell, who in the tooltip
            assert local_time(below.acknowledgement.at, now=truth.now) in cells[2]
            assert below.acknowledgement.by in panel.rollup.item(r, 2).toolTip()
        assert (cells[3], cells[4]) == (f"{below.staffing.on_duty:,}", f"{below.staffing.required:,}")
        assert ("short by" in cells[5]) == (not below.staffing.meets)
    # And the read model adds up: an HQ's whole line is its own office plus each office below.
    assert truth.overall.on_duty == truth.own.on_duty + sum(b.staffing.on_duty for b in truth.offices_below)
    assert truth.overall.required == truth.own.required + sum(b.staffing.required for b in truth.offices_below)
    dispose_context(ctx)


# -- layout: the whole picture at 1920x1080, in Korean and English ------------------------------

MIN_ROWS_SHOWN = 3


@pytest.fixture
def languages(qapp):  # type: ignore[no-untyped-def]
    from console.ui.i18n import LanguageSwitcher

    switcher = LanguageSwitcher()
    yield switcher
    switcher.set_language("en")


def fully_shown(widget) -> bool:  # type: ignore[no-untyped-def]
    """Shown, tall enough for its wrapped text, and not clipped by a scroll area or the dock."""
    need = widget.heightForWidth(widget.width()) if widget.hasHeightForWidth() else widget.sizeHint().height()
    return (widget.isVisible() and widget.height() >= need
            and widget.visibleRegion().boundingRect() == widget.rect())


def rows_shown(table) -> int:  # type: ignore[no-untyped-def]
    height = table.viewport().height()
    return sum(1 for r in range(table.rowCount())
               if table.rowViewportPosition(r) >= 0 and table.rowViewportPosition(r) + table.rowHeight(r) <= height)


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("who", ["commander", "provincial", "national"])
def test_compliance_and_offices_below_fit_the_wall_layout(qtbot, tmp_path, real_replica, languages,
                                                          who, lang) -> None:
    from console.ui.main_window import MainWindow
    from console.ui.panels.base import discover_panels
    from console.ui.qt import QApplication, QSettings

    languages.set_language(lang)
    ctx = make_context(real_replica, USERS[who])
    app = QApplication.instance()
    style, palette = app.styleSheet(), app.palette()
    ctx.theme.apply()  # the console's fonts (the level is drawn large)
    settings = QSettings(str(tmp_path / "console.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings, languages, specs=discover_panels(
        names={"incident_queue", "incident_detail", "duty_level", "units", "sync"}))
    qtbot.addWidget(window)
    window.resize(1920, 1080)  # as the console's screenshot and a situation-room wall
    window.show()
    qtbot.waitExposed(window)
    panel = window.docks["duty_level"].findChild(DutyPanel)
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.loaded)
    qtbot.wait(50)  # the layout settles on the new texts
    # The tallest case: an order waits for acknowledgement (the national HQ is under no order).
    assert panel.ack_band.isVisible() == (who != "national")
    assert who == "national" or fully_shown(panel.ack_text)
    assert fully_shown(panel.level_label)
    assert panel.compliance_label.text() and fully_shown(panel.compliance_label)
    if who == "commander":
        assert fully_shown(panel.order_label) and fully_shown(panel.demands_label)
    else:
        assert panel.tabs.currentWidget() is panel.rollup and panel.rollup.isVisible()
        assert rows_shown(panel.rollup) >= min(MIN_ROWS_SHOWN, panel.rollup.rowCount())
        assert panel.rollup.rowCount() >= MIN_ROWS_SHOWN
        # The office column is not squeezed to nothing: a name reads (in full in its tooltip).
        assert panel.rollup.columnWidth(0) >= 100
    window.close()
    app.setStyleSheet(style)
    app.setPalette(palette)
    dispose_context(ctx)
