"""Deployment panel: changed sites fold in without re-reading every site; shortfalls, the
summary, the filter and the per-office roll-up follow at once; the numpy sums equal the
plain-list ones; selection goes both ways between the table and the rest of the console."""

from __future__ import annotations

import random
from datetime import datetime

import pytest
from record_tables import CountingReplica, national_hq, texts

from console.domain.clock import OPERATION_TZ
from console.domain.records import RecordKind
from console.ui.qt import Qt
from console.ui.testing import MemoryViewRow

pytestmark = pytest.mark.gui
K = RecordKind
PATH = "/NPA/SEOUL/S11110/"
EVENING = datetime(2025, 6, 3, 18, 30, tzinfo=OPERATION_TZ)  # polling and counting stations operate


def polling(pid: str, assigned: int, *, planned: int = 2, station: str = "S11110", kind: str = "election_day",
            open: bool = True) -> dict:
    return {"id": pid, "kind": kind, "name": f"{pid} 투표소", "station_code": station, "lat": 37.57,
            "lon": 126.98, "district": "종로구", "town": "사직동", "officers_planned": planned,
            "officers_assigned": assigned, "open": open}


def counting(cid: str, assigned: int, station: str = "S11110") -> dict:
    return {"id": cid, "name": f"{cid} 개표소", "station_code": station, "lat": 37.57, "lon": 126.98,
            "officers_planned": 30, "officers_assigned": assigned}


def test_site_changes_fold_in_and_the_summary_follows(qtbot, show_panel) -> None:  # type: ignore[no-untyped-def]
    from console.ui.panels.deployment_panel import DeploymentPanel

    replica = CountingReplica()
    replica.put_many(K.POLLING_STATION, [("a", polling("a", 2)), ("b", polling("b", 2)), ("c", polling("c", 2))],
                     org_path=PATH)
    replica.put_many(K.COUNTING_STATION, [("cs", counting("cs", 30))], org_path=PATH)
    panel = show_panel(DeploymentPanel, replica)
    panel.ctx.clock.update(EVENING, speed=0.0)  # the counting station's guards are due from 18:00
    qtbot.waitUntil(lambda: panel.table.rowCount() == 4)
    assert "Sites: 4 of 4 fully staffed · officers 36 of 36 · 0 sites short" in panel.summary.text()
    reads = dict(replica.full_reads)

    # Station c loses both officers: first, highlighted, counted.
    replica.put(K.POLLING_STATION, "c", polling("c", 0), org_path=PATH)
    qtbot.waitUntil(lambda: "Sites: 3 of 4 fully staffed · officers 34 of 36 · 1 site short" in panel.summary.text())
    names = texts(panel.table, 0)
    # The biggest shortfall first among the polling stations (counting stations lead from 18:00 KST, when they operate).
    assert next(n for n in names if "투표소" in n) == "c 투표소"
    row = names.index("c 투표소")
    assert panel.table.item(row, 4).text() == "2"
    assert panel.table.item(row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None

    # Only the short sites; when c is staffed again it leaves the list.
    panel.only_short.setChecked(True)
    assert texts(panel.table, 0) == ["c 투표소"]
    replica.put(K.COUNTING_STATION, "cs", counting("cs", 20), org_path=PATH)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2)
    assert "counting stations 1 (officers 20 of 30)" in panel.summary.text()
    assert "officers 24 of 36 · 2 sites short" in panel.summary.text()
    replica.put(K.POLLING_STATION, "c", polling("c", 2), org_path=PATH)
    qtbot.waitUntil(lambda: texts(panel.table, 0) == ["cs 개표소"])
    assert "Sites: 3 of 4 fully staffed · officers 26 of 36 · 1 site short" in panel.summary.text()
    # An early-voting station is closed on election day: not shown, not counted, never short.
    replica.put(K.POLLING_STATION, "ev", polling("ev", 0, kind="early_voting", open=False), org_path=PATH)
    panel.only_short.setChecked(False)
    qtbot.waitUntil(lambda: "1 closed today, not counted" in panel.summary.text())
    assert panel.table.rowCount() == 4
    # Opened (a re-vote, say) it operates: a site like the others, said to be an early-voting one.
    replica.put(K.POLLING_STATION, "ev", polling("ev", 1, kind="early_voting"), org_path=PATH)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 5)
    row = texts(panel.table, 0).index("ev 투표소")
    assert panel.table.item(row, 1).text() == "Early voting" and panel.table.item(row, 4).text() == "1"
    assert replica.full_reads == reads  # nothing above re-read every site


def test_selection_goes_both_ways(qtbot, show_panel, memory_replica) -> None:  # type: ignore[no-untyped-def]
    from console.ui.panels.deployment_panel import DeploymentPanel

    memory_replica.put_many(K.POLLING_STATION, [("a", polling("a", 1)), ("b", polling("b", 2))], org_path=PATH)
    memory_replica.put_many(K.COUNTING_STATION, [("a", counting("a", 30))], org_path=PATH)  # the same id
    panel = show_panel(DeploymentPanel, memory_replica)
    panel.ctx.clock.update(EVENING, speed=0.0)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3)
    picked: list[tuple[str, str]] = []
    panel.ctx.selection.selected.connect(lambda kind, id: picked.append((kind, id)))
    row = texts(panel.table, 0).index("a 개표소")
    panel.table.cellDoubleClicked.emit(row, 0)
    assert picked == [("counting_station", "a")]
    panel.ctx.selection.select("polling_station", "b")  # e.g. clicked on the map
    assert panel.table.item(panel.table.currentRow(), 0).text() == "b 투표소"


def test_hq_rollup_follows_changes_and_office_moves(qtbot, show_panel, memory_replica) -> None:  # type: ignore[no-untyped-def]
    from console.ui.panels.deployment_panel import DeploymentPanel

    memory_replica.put_many(K.ORG, [
        ("SEOUL", {"code": "SEOUL", "name_ko": "서울경찰청", "name_en": "Seoul"}),
        ("BUSAN", {"code": "BUSAN", "name_ko": "부산경찰청", "name_en": "Busan"})], org_path="/NPA/")
    memory_replica.put(K.ORG, "S11110", {"code": "S11110", "name_ko": "종로", "name_en": "Jongno"}, org_path=PATH)
    memory_replica.put(K.ORG, "S26350", {"code": "S26350", "name_ko": "해운대", "name_en": "Haeundae"},
                       org_path="/NPA/BUSAN/S26350/")
    memory_replica.put_many(K.POLLING_STATION, [("a", polling("a", 2)), ("b", polling("b", 2))], org_path=PATH)
    memory_replica.put_many(K.POLLING_STATION, [("h", polling("h", 2, station="S26350"))],
                            org_path="/NPA/BUSAN/S26350/")
    panel = show_panel(DeploymentPanel, memory_replica, national_hq())
    qtbot.waitUntil(lambda: panel.by_office.rowCount() == 2)
    assert texts(panel.by_office, 0) == ["Busan", "Seoul"]
    assert texts(panel.by_office, 1) == ["1", "2"]
    memory_replica.put(K.POLLING_STATION, "a", polling("a", 1), org_path=PATH)
    qtbot.waitUntil(lambda: texts(panel.by_office, 0) == ["Seoul", "Busan"])  # short sites first
    assert texts(panel.by_office, 4) == ["1", "0"] and texts(panel.by_office, 3)[0] == "3 / 4"
    panel.by_office.cellClicked.emit(1, 0)
    assert texts(panel.table, 0) == ["h 투표소"]
    panel.by_office.cellClicked.emit(1, 0)
    assert panel.table.rowCount() == 3


def test_column_sums_match_the_domain_rule_site_by_site() -> None:
    """The read model's column sums equal a plain count that asks the domain's site rules site by
    site, on election day and on an early-voting day."""
    from datetime import datetime

    from console.domain.clock import OPERATION_TZ
    from console.domain.election import site_operating, site_short
    from console.views.deployment import SITE_SCHEMA, office_rollup, operating_mask, site_line, summary_of
    from console.views.record_index import RecordIndex

    rng = random.Random(9)
    offices = ("SEOUL", "BUSAN", "DAEGU")
    lines = []
    for i in range(400):
        kind = K.COUNTING_STATION if i % 20 == 0 else K.POLLING_STATION
        station = f"S{rng.randrange(12)}"
        office = offices[int(station[1:]) % 3]
        data = counting(f"x{i}", rng.randint(20, 30), station) if kind == K.COUNTING_STATION else polling(
            f"x{i}", rng.choice((0, 1, 2, 2)), station=station, open=rng.random() < 0.3,
            kind=rng.choice(("election_day", "election_day", "early_voting")))
        line = site_line(kind, MemoryViewRow(kind, f"x{i}", 1, f"/NPA/{office}/{station}/", data),
                         {f"S{n}": offices[n % 3] for n in range(12)})
        assert line is not None
        lines.append(line)
    snapshot = RecordIndex(SITE_SCHEMA).replace({ln.key: ln for ln in lines})
    assert snapshot is not None
    for now in (datetime(2025, 6, 3, 10, 20, tzinfo=OPERATION_TZ), datetime(2025, 5, 29, 10, 20, tzinfo=OPERATION_TZ),
                datetime(2025, 6, 1, 12, 0, tzinfo=OPERATION_TZ)):
        operating = operating_mask(snapshot, now)
        for office in (None, *offices):
            mine = [ln for ln in lines if office is None or ln.office == office]
            up = [ln for ln in mine if site_operating(ln.site, now, is_open=bool(ln.open))]
            short = [ln for ln in up if site_short(ln.site, ln.planned, ln.assigned, now, is_open=bool(ln.open))]
            counting_up = [ln for ln in up if ln.kind == K.COUNTING_STATION]
            got = (summary_of(snapshot, operating) if office is None
                   else next(o.summary for o in office_rollup(snapshot, operating) if o.office == office))
            assert (got.sites, got.short_sites, got.staffed_sites, got.planned, got.assigned) == (
                len(up), len(short), len(up) - len(short), sum(ln.planned for ln in up),
                sum(ln.assigned for ln in up))
            assert got.polls_open == sum(1 for ln in up if ln.open)
            assert got.counting_sites == len(counting_up)
            assert got.counting_assigned == sum(ln.assigned for ln in counting_up)
            assert got.closed_sites == len(mine) - len(up)
