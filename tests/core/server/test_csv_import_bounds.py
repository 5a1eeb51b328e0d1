"""Hostile and careless CSV files: every one is refused with a worded reason and its line number,
and nothing of it is imported. Also the unit and personnel imports an operator's station needs."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.domain.errors import InvalidValue
from console.server import admin, csv_import, feed, operations
from console.server.csv_import import ImportRejected
from console.server.tables import RowRecord

pytestmark = pytest.mark.once  # no time shown; the same in every zone

HEADER = "id,kind,name,station_code,lat,lon\n"
GOOD = "ps-1,election_day,First,S1,37.58,126.97\n"


def _write(tmp_path: Path, text: str | bytes, name: str = "f.csv") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return str(path)


def _rejected(world, what: str, path: str) -> list[tuple[int, str]]:
    with pytest.raises(ImportRejected) as caught, world.db.write() as session:
        operations.import_csv(session, what, path)
    return [(p.line, p.message) for p in caught.value.problems]


def _count(db, kind: str) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(RowRecord)
                                  .where(RowRecord.kind == kind)) or 0)


def test_a_field_over_the_csv_limit_is_a_worded_problem_with_its_line(world, tmp_path) -> None:
    huge = "x" * (128 * 1024 + 10)
    path = _write(tmp_path, HEADER + GOOD + f"ps-2,election_day,{huge},S1,37.58,126.97\n")
    ((line, message),) = _rejected(world, "polling-stations", path)
    assert line == 3
    assert "longer than 131,072 characters" in message and "not read" in message
    assert _count(world.db, "polling_station") == 0


def test_an_unclosed_quote_names_the_line_where_the_record_starts(world, tmp_path) -> None:
    # The quote opened on line 3 swallows the rest of the file into one field.
    rest = "".join(f"ps-{i},election_day,N{i},S1,37.58,126.97\n" for i in range(4, 30000))
    path = _write(tmp_path, HEADER + GOOD + 'ps-3,election_day,"Open quote,S1,37.58,126.97\n' + rest)
    problems = _rejected(world, "polling-stations", path)
    assert problems[0][0] == 3 and "is a quote left open?" in problems[0][1]


def test_fields_are_bounded_per_column(world, tmp_path) -> None:
    path = _write(tmp_path, HEADER + GOOD
                  + f"ps-2,election_day,{'가' * 300},S1,37.58,126.97\n"
                  + f"{'p' * 65},election_day,Long id,S1,37.58,126.97\n"
                  + "ps-4,election_day,Fine,S1,37.58,126.97\n")
    problems = dict(_rejected(world, "polling-stations", path))
    assert problems == {3: "name is 300 characters long; at most 256",
                        4: "id is 65 characters long; at most 64"}
    assert _count(world.db, "polling_station") == 0


def test_numbers_are_bounded(world, tmp_path) -> None:
    path = _write(tmp_path, HEADER.replace("\n", ",officers_planned\n")
                  + "ps-1,election_day,A,S1,37.58,126.97,99999999999999999999\n"
                  + "ps-2,election_day,B,S1,1e400,126.97,2\n")
    problems = dict(_rejected(world, "polling-stations", path))
    assert "officers_planned" in problems[2] and "out of range" in problems[2]
    assert "outside South Korea" in problems[3]


def test_a_duplicate_header_column_is_refused(world, tmp_path) -> None:
    path = _write(tmp_path, "id,kind,name,station_code,lat,lon,lat\n"
                            "ps-1,election_day,A,S1,37.58,126.97,33.0\n")
    assert _rejected(world, "polling-stations", path) == [
        (1, "column lat appears twice (columns 5 and 7); which one is meant?")]
    assert _count(world.db, "polling_station") == 0


def test_a_header_column_without_a_name_is_refused(world, tmp_path) -> None:
    path = _write(tmp_path, "id,kind,,name,station_code,lat,lon\n")
    problems = _rejected(world, "polling-stations", path)
    assert problems == [(1, "column(s) 3 of the header have no name")]


def test_nul_bytes_and_control_characters_are_refused_with_their_lines(world, tmp_path) -> None:
    path = _write(tmp_path, HEADER + GOOD
                  + "ps-2,election_day,Bad\x00name,S1,37.58,126.97\n"
                  + "ps-3,election_day,Fine,S1,37.58,126.97\n"
                  + "ps-4,election_day,Bell\x07,S1,37.58,126.97\n"
                  + "ps-5\x00,election_day,Also bad,S1,37.58,126.97\n")
    problems = _rejected(world, "polling-stations", path)
    assert [line for line, _ in problems] == [3, 5, 6]
    assert problems[0][1].startswith("a NUL byte (U+0000) at column 22")
    assert problems[1][1].startswith("a control character (U+0007) at column 23")
    assert _count(world.db, "polling_station") == 0


def test_a_utf16_file_is_not_utf8(world, tmp_path) -> None:
    path = _write(tmp_path, (HEADER + GOOD).encode("utf-16"))
    ((line, message),) = _rejected(world, "polling-stations", path)
    assert line == 1 and "not UTF-8 text" in message


def test_a_bad_byte_is_reported_on_its_line(world, tmp_path) -> None:
    path = _write(tmp_path, (HEADER + GOOD).encode() + b"ps-2,election_day,\xff\xfe,S1,37.5,127\n")
    assert _rejected(world, "polling-stations", path)[0][0] == 3


def test_file_size_rows_and_problems_are_bounded(world, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(csv_import, "MAX_FILE_BYTES", 100)
    with pytest.raises(InvalidValue, match=r"at most 0 MiB: split the file"), world.db.write() as session:
        operations.import_csv(session, "polling-stations", _write(tmp_path, HEADER + GOOD * 5))
    monkeypatch.setattr(csv_import, "MAX_FILE_BYTES", 1 << 20)
    monkeypatch.setattr(csv_import, "MAX_ROWS", 3)
    rows = "".join(f"ps-{i},election_day,N{i},S1,37.58,126.97\n" for i in range(5))
    problems = _rejected(world, "polling-stations", _write(tmp_path, HEADER + rows))
    assert problems == [(5, "more than 3 rows; split the file (the rest was not read)")]
    monkeypatch.setattr(csv_import, "MAX_ROWS", 100)
    monkeypatch.setattr(csv_import, "MAX_PROBLEMS", 3)
    bad = "".join(f"ps-{i},bogus,N{i},S1,37.58,126.97\n" for i in range(10))
    problems = _rejected(world, "polling-stations", _write(tmp_path, HEADER + bad))
    assert [line for line, _ in problems] == [2, 3, 4, 5]
    assert problems[-1][1] == "and 7 more problem(s) from here on; mend these first"


def test_unreadable_paths_are_worded(world, tmp_path) -> None:
    for path, message in ((tmp_path, "is a folder"), (tmp_path / "none.csv", "no such file")):
        with pytest.raises(InvalidValue, match=message), world.db.write() as session:
            operations.import_csv(session, "units", str(path))


def test_a_quoted_field_across_lines_keeps_the_line_numbers_right(world, tmp_path) -> None:
    path = _write(tmp_path, HEADER + 'ps-1,election_day,"Two\nlines",S1,37.58,126.97\n'
                  + "ps-2,bogus,B,S1,37.58,126.97\n")
    assert [line for line, _ in _rejected(world, "polling-stations", path)] == [4]


def _admin(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="sitroom admin")
    admin.add_arguments(parser)
    return admin.run(parser.parse_args(list(argv)))


def test_the_admin_command_prints_problems_not_tracebacks(tmp_path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    assert _admin("--db", url, "init") == 0
    huge = "y" * 200_000
    path = _write(tmp_path, HEADER + f"ps-1,election_day,{huge},S1,37.5,127\n")
    capsys.readouterr()
    assert _admin("--db", url, "import", "polling-stations", path) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "nothing was imported" in err
    assert f"{path}: line 2: a field is longer than" in err


UNITS = """id,callsign,type,station_code,lat,lon,personnel
U-S1-01,종로 1호,patrol_car,S1,37.5720,126.9790,2
U-S1-02,종로 타격대,strike_squad,S1,37.5730,126.9800,8
U-SEOUL-MU1,서울 기동 1,mobile_unit,SEOUL,37.5660,126.9780,
"""


def test_units_import_with_call_sign_type_station_and_home_position(world, tmp_path) -> None:
    with world.db.write() as session:
        result = operations.import_csv(session, "units", _write(tmp_path, UNITS))
    assert result.count == 3
    with world.db.read() as session:
        car = session.get(RowRecord, ("unit", "U-S1-01"))
        mobile = session.get(RowRecord, ("unit", "U-SEOUL-MU1"))
    assert car is not None and mobile is not None
    assert car.data["callsign"] == "종로 1호" and car.data["type"] == "patrol_car"
    assert (car.data["lat"], car.data["lon"], car.data["status"]) == (37.572, 126.979, "available")
    assert car.org_path == "/NPA/SEOUL/S1/"
    assert mobile.org_path == "/NPA/SEOUL/" and mobile.data["personnel"] == 2


def test_bad_units_are_all_reported(world, tmp_path) -> None:
    path = _write(tmp_path, "id,callsign,type,station_code,lat,lon\n"
                            "U1,Car,hovercraft,S1,37.5,127\n"
                            "U2,,patrol_car,S1,37.5,127\n"
                            "U3,HQ car,patrol_car,NPA,37.5,127\n"
                            "U4,Car,patrol_car,S1,,127\n")
    problems = dict(_rejected(world, "units", path))
    assert "hovercraft" in problems[2]
    assert "callsign is empty" in problems[3]
    assert problems[4] == "NPA is a national unit, not a police station or a provincial agency"
    assert "lat is empty" in problems[5]
    assert _count(world.db, "unit") == 0


def test_personnel_import_sets_offices_through_the_feed(world, tmp_path) -> None:
    with world.db.read() as session:
        head = feed.head(session)
    path = _write(tmp_path, "org_code,personnel_total,personnel_on_duty\nS1,250,40\nSEOUL,1200,\n")
    with world.db.write() as session:
        result = operations.import_personnel(session, path)
    assert (result.count, result.first_seq, result.last_seq) == (2, head + 1, head + 2)
    with world.db.read() as session:
        s1 = session.get(RowRecord, ("org", "S1"))
        seoul = session.get(RowRecord, ("org", "SEOUL"))
    assert s1 is not None and (s1.data["personnel_total"], s1.data["personnel_on_duty"]) == (250, 40)
    assert s1.version == 2
    assert seoul is not None and seoul.data["personnel_total"] == 1200


def test_bad_personnel_lines_change_nothing(world, tmp_path) -> None:
    path = _write(tmp_path, "org_code,personnel_total,personnel_on_duty\n"
                            "S1,250,40\nNOPE,10,\nS2,10,20\nS1,300,\nS2,-1,\n")
    with pytest.raises(ImportRejected) as caught, world.db.write() as session:
        operations.import_personnel(session, path)
    problems = {p.line: p.message for p in caught.value.problems}
    assert problems == {3: "unknown office 'NOPE'", 4: "20 on duty exceeds 10 personnel",
                        5: "office S1 repeats line 2", 6: "personnel counts cannot be negative"}
    with world.db.read() as session:
        s1 = session.get(RowRecord, ("org", "S1"))
    assert s1 is not None and s1.version == 1 and s1.data["personnel_total"] == 100


def test_admin_imports_units_and_personnel(tmp_path, capsys, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    assert _admin("--db", url, "init") == 0
    for argv in (["NPA", "--level", "national"], ["SEOUL", "--level", "provincial", "--parent", "NPA"],
                 ["S1", "--level", "station", "--parent", "SEOUL"]):
        assert _admin("--db", url, "org", "add", *argv, "--name-ko", "가", "--name-en", "A") == 0
    assert "S1 has no personnel" in capsys.readouterr().err
    assert _admin("--db", url, "import", "units", _write(tmp_path, UNITS)) == 0
    assert "imported 3 units" in capsys.readouterr().out
    path = _write(tmp_path, "org_code,personnel_total\nS1,250\n", "p.csv")
    assert _admin("--db", url, "import", "personnel", path) == 0
    assert "set the personnel of 1 offices" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert _admin("--db", url, "org", "list") == 0
    assert "250" in capsys.readouterr().out
