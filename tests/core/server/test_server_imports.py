"""CSV imports of polling stations, counting stations and routes: all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.server import feed, operations
from console.server.csv_import import ImportRejected
from console.server.tables import RowRecord

POLLING = """id,kind,name,station_code,lat,lon,district,town,officers_planned
ps-001,election_day,청운효자동 제1투표소,S1,37.5841,126.9706,종로구,청운효자동,2
ps-002,early_voting,사직동 사전투표소,S1,37.5760,126.9680,종로구,사직동,
ps-003,election_day,소공동 제1투표소,S2,37.5640,126.9790,중구,소공동,3
"""
COUNTING = """\ufeffid,name,station_code,lat,lon,district
cs-001,종로구 개표소,S1,37.5730,126.9790,종로구
"""
ROUTES = """id,polling_station_id,counting_station_id,station_code,planned_minutes,officers
rt-001,ps-001,cs-001,S1,25,2
rt-002,ps-002,cs-001,S1,15,
"""
BAD_POLLING = """id,kind,name,station_code,lat,lon
ps-101,election_day,Good station,S1,37.58,126.97
ps-102,mountain_top,Bad kind,S1,37.58,126.97
ps-103,election_day,Far away,S1,10.0,126.97
ps-104,election_day,No such station,S9,37.58,126.97
ps-101,election_day,Repeated id,S1,37.58,126.97
ps-105,election_day,Province is no station,SEOUL,37.58,126.97
ps-106,election_day,,S1,37.58,126.97
ps-107,election_day,Not a number,S1,north,126.97
"""


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _count(db, kind: str) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(RowRecord)
                                  .where(RowRecord.kind == kind)) or 0)


def test_good_files_import_through_the_feed(world, tmp_path) -> None:
    db = world.db
    with db.read() as session:
        head = feed.head(session)
    with db.write() as session:
        result = operations.import_csv(session, "polling-stations", _write(tmp_path, "p.csv", POLLING))
    assert (result.count, result.first_seq, result.last_seq) == (3, head + 1, head + 3)
    with db.write() as session:
        operations.import_csv(session, "counting-stations", _write(tmp_path, "c.csv", COUNTING))
        operations.import_csv(session, "routes", _write(tmp_path, "r.csv", ROUTES))
    with db.read() as session:
        ps2 = session.get(RowRecord, ("polling_station", "ps-002"))
        ps3 = session.get(RowRecord, ("polling_station", "ps-003"))
        route = session.get(RowRecord, ("route", "rt-002"))
        assert feed.head(session) == head + 6
    assert ps2 is not None and ps2.data["kind"] == "early_voting" and ps2.data["officers_planned"] == 2
    assert ps2.org_path == "/NPA/SEOUL/S1/" and ps2.version == 1
    assert ps3 is not None and ps3.org_path == "/NPA/SEOUL/S2/" and ps3.data["officers_planned"] == 3
    assert route is not None and route.data["planned_minutes"] == 15 and route.data["state"] == "waiting"


def test_bad_rows_are_all_reported_and_nothing_is_imported(world, tmp_path) -> None:
    with pytest.raises(ImportRejected) as caught, world.db.write() as session:
        operations.import_csv(session, "polling-stations", _write(tmp_path, "bad.csv", BAD_POLLING))
    problems = {p.line: p.message for p in caught.value.problems}
    assert set(problems) == {3, 4, 5, 6, 7, 8, 9}
    assert "mountain_top" in problems[3]
    assert "outside South Korea" in problems[4]
    assert "unknown police station 'S9'" in problems[5]
    assert "repeats line 2" in problems[6]
    assert "not a police station" in problems[7]
    assert "name is empty" in problems[8]
    assert "lat" in problems[9] and "not a number" in problems[9]
    assert _count(world.db, "polling_station") == 0


def test_routes_must_refer_to_existing_sites_and_ids_must_be_new(world, tmp_path) -> None:
    with pytest.raises(ImportRejected) as caught, world.db.write() as session:
        operations.import_csv(session, "routes", _write(tmp_path, "r.csv", ROUTES))
    assert [p.line for p in caught.value.problems] == [2, 2, 3, 3]
    assert "no polling_station 'ps-001'" in str(caught.value.problems[0])
    path = _write(tmp_path, "p.csv", POLLING)
    with world.db.write() as session:
        operations.import_csv(session, "polling-stations", path)
    with pytest.raises(ImportRejected) as caught, world.db.write() as session:
        operations.import_csv(session, "polling-stations", path)
    assert [p.line for p in caught.value.problems] == [2, 3, 4]
    assert "already exists" in caught.value.problems[0].message
    assert _count(world.db, "polling_station") == 3


def test_header_problems_are_line_1(world, tmp_path) -> None:
    with pytest.raises(ImportRejected) as caught, world.db.write() as session:
        operations.import_csv(session, "counting-stations",
                              _write(tmp_path, "c.csv", "id,name,station,lat,lon\nx,y,S1,37.5,127\n"))
    (problem,) = caught.value.problems
    assert problem.line == 1
    assert "missing column(s) station_code" in problem.message
    assert "unknown column(s) station" in problem.message
