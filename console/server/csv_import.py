"""CSV files of election sites, units and office personnel: parsed and checked row by row.

Files are UTF-8 (a BOM from spreadsheet programs is fine) with a header line. Every data line
is checked with the domain classes and against the database; all problems are reported with
their line numbers, and the import is all-or-nothing.

A file is untrusted input: its size, each field's length, the number of rows and the number of
problems listed are bounded, and control characters (a NUL byte is the common one: a binary or
UTF-16 file saved under a .csv name) are refused with their line numbers rather than stored.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.domain.errors import DomainError, InvalidValue
from console.domain.records import RecordKind, from_data, to_data
from console.server.tables import RowRecord

# A national file of polling stations is about 2 MB; these leave room and still bound memory.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ROWS = 100_000
# The longest value any column holds (names, districts); ids have their own, shorter bound.
MAX_FIELD_CHARS = 256
MAX_ID_CHARS = 64
# Counts and minutes: anything larger is a typing slip, not a plan.
MAX_NUMBER = 1_000_000
# A file of garbage would otherwise print a problem for each of its lines.
MAX_PROBLEMS = 200

# C0 control characters other than tab, line feed and carriage return, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class ImportRejected(InvalidValue):
    """The file has bad rows; nothing was imported."""

    code = "import_rejected"

    def __init__(self, path: str, problems: list[ImportProblem]) -> None:
        super().__init__(f"{path}: {len(problems)} problem(s); nothing was imported")
        self.path = path
        self.problems = problems


def _text(v: str) -> str:
    return v.strip()


def _int(v: str) -> int:
    try:
        number = int(v.strip())
    except ValueError:
        raise InvalidValue(f"{v!r} is not a whole number") from None
    if abs(number) > MAX_NUMBER:
        raise InvalidValue(f"{number} is out of range (at most {MAX_NUMBER:,})")
    return number


def _float(v: str) -> float:
    try:
        return float(v.strip())
    except ValueError:
        raise InvalidValue(f"{v!r} is not a number") from None


@dataclass(frozen=True)
class Column:
    name: str
    convert: Callable[[str], Any]
    required: bool = True
    help: str = ""
    max_chars: int = MAX_FIELD_CHARS


@dataclass(frozen=True)
class ImportSpec:
    kind: RecordKind
    columns: tuple[Column, ...]
    # Columns that must name existing rows of a kind: (column, record kind).
    references: tuple[tuple[str, RecordKind], ...] = ()
    # The org levels a row's station_code may name, and how to say so when it names another.
    owner_levels: frozenset[str] = frozenset({"station"})
    owner_wording: str = "a police station"

    def describe(self) -> str:
        return describe_columns(self.columns)


def describe_columns(columns: tuple[Column, ...]) -> str:
    return ", ".join(f"{c.name}{'' if c.required else ' (optional)'}" for c in columns)


def _id(name: str = "id") -> Column:
    return Column(name, _text, max_chars=MAX_ID_CHARS)


IMPORTS: dict[str, ImportSpec] = {
    "polling-stations": ImportSpec(RecordKind.POLLING_STATION, (
        _id(), Column("kind", _text, help="election_day or early_voting"),
        Column("name", _text), _id("station_code"), Column("lat", _float),
        Column("lon", _float), Column("district", _text, False), Column("town", _text, False),
        Column("officers_planned", _int, False),
    )),
    "counting-stations": ImportSpec(RecordKind.COUNTING_STATION, (
        _id(), Column("name", _text), _id("station_code"),
        Column("lat", _float), Column("lon", _float), Column("district", _text, False),
        Column("officers_planned", _int, False),
    )),
    "routes": ImportSpec(RecordKind.ROUTE, (
        _id(), _id("polling_station_id"),
        _id("counting_station_id"), _id("station_code"),
        Column("planned_minutes", _int), Column("officers", _int, False),
    ), references=(("polling_station_id", RecordKind.POLLING_STATION),
                   ("counting_station_id", RecordKind.COUNTING_STATION))),
    # lat/lon are the unit's home position: where the map draws it until it reports another.
    "units": ImportSpec(RecordKind.UNIT, (
        _id(), Column("callsign", _text), Column("type", _text), _id("station_code"),
        Column("lat", _float), Column("lon", _float), Column("personnel", _int, False),
    ), owner_levels=frozenset({"station", "provincial"}),
        owner_wording="a police station or a provincial agency"),
}

# Office personnel: updates org units that exist, rather than adding rows.
PERSONNEL_COLUMNS: tuple[Column, ...] = (
    _id("org_code"), Column("personnel_total", _int), Column("personnel_on_duty", _int, False),
)


@dataclass(frozen=True)
class CsvRecord:
    """One data line of a file: its line number and its fields by column name (stripped of
    nothing; empty for a column the line leaves out)."""

    line: int
    values: dict[str, str]


def _read_text(path: str) -> str:
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InvalidValue(f"{path} is {size / 1024 / 1024:.0f} MiB; an import reads at most "
                               f"{MAX_FILE_BYTES // 1024 // 1024} MiB: split the file")
        data = file.read_bytes()
    except FileNotFoundError:
        raise InvalidValue(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InvalidValue(f"{path} is a folder, not a CSV file") from None
    except OSError as exc:
        raise InvalidValue(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportRejected(path, [ImportProblem(
            line, f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as "
                  "CSV UTF-8")]) from None


def _control_problems(text: str) -> list[ImportProblem]:
    problems: list[ImportProblem] = []
    for number, physical in enumerate(io.StringIO(text, newline=""), 1):
        found = _CONTROL.search(physical)
        if found is None:
            continue
        char = found.group()
        what = "a NUL byte" if char == "\x00" else "a control character"
        problems.append(ImportProblem(
            number, f"{what} (U+{ord(char):04X}) at column {found.start() + 1}; a CSV file holds "
                    "text only (was it saved as UTF-16 or a spreadsheet?)"))
        if len(problems) >= MAX_PROBLEMS:
            problems.append(ImportProblem(number, "more lines hold control characters; stopped "
                                                  "looking"))
            break
    return problems


def _csv_error(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return (f"a field is longer than {csv.field_size_limit():,} characters (at most "
                f"{MAX_FIELD_CHARS:,} in any column; is a quote left open?); the rest of the "
                "file was not read")
    return f"not readable as CSV ({text}); the rest of the file was not read"


def read_records(path: str, columns: tuple[Column, ...]) -> tuple[list[CsvRecord], list[ImportProblem]]:
    """The file's data lines with their line numbers, and the problems found reading them (a
    line with a problem is left out). Problems that make the whole file unreadable (not
    UTF-8, control characters, a bad header) raise ImportRejected at once."""
    text = _read_text(path)
    controls = _control_problems(text)
    if controls:
        raise ImportRejected(path, controls)
    reader = csv.reader(io.StringIO(text, newline=""))
    expected = describe_columns(columns)
    try:
        raw_header = next(reader, None)
    except csv.Error as exc:
        raise ImportRejected(path, [ImportProblem(1, _csv_error(exc))]) from None
    if not raw_header or not any(h.strip() for h in raw_header):
        raise ImportRejected(path, [ImportProblem(1, f"empty file; expected a header: {expected}")])
    header = [h.strip() for h in raw_header]
    header_problems = _header_problems(header, columns, expected)
    if header_problems:
        raise ImportRejected(path, header_problems)
    limits = {c.name: c.max_chars for c in columns}

    records: list[CsvRecord] = []
    problems: list[ImportProblem] = []
    for line, fields in _lines(reader, problems):
        if not any(f.strip() for f in fields):
            continue  # blank line
        if len(fields) > len(header):
            problems.append(ImportProblem(line, "more fields than columns in the header"))
        elif too_long := [(name, len(value)) for name, value in zip(header, fields, strict=False)
                          if len(value) > limits[name]]:
            name, length = too_long[0]
            problems.append(ImportProblem(
                line, f"{name} is {length:,} characters long; at most {limits[name]:,}"))
        elif len(records) >= MAX_ROWS:
            problems.append(ImportProblem(line, f"more than {MAX_ROWS:,} rows; split the file "
                                                "(the rest was not read)"))
            break
        else:
            values = dict.fromkeys(header, "")
            values.update(zip(header, fields, strict=False))
            records.append(CsvRecord(line, values))
        if len(problems) >= MAX_PROBLEMS:
            problems.append(ImportProblem(line, f"stopped after {MAX_PROBLEMS} problems; mend "
                                                "these first"))
            break
    return records, problems


def _lines(reader: Any, problems: list[ImportProblem]) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) of each record; a record the csv module cannot read ends
    the file, since its place in the file is then unknown."""
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(ImportProblem(start, _csv_error(exc)))
            return
        yield start, fields


def _header_problems(header: list[str], columns: tuple[Column, ...], expected: str) -> list[ImportProblem]:
    problems: list[ImportProblem] = []
    names = {c.name for c in columns}
    blank = [str(i) for i, h in enumerate(header, 1) if not h]
    if blank:
        problems.append(ImportProblem(1, f"column(s) {', '.join(blank)} of the header have no name"))
    seen: dict[str, int] = {}
    for position, name in enumerate(header, 1):
        if not name:
            continue
        if name in seen:
            problems.append(ImportProblem(1, f"column {name} appears twice (columns "
                                             f"{seen[name]} and {position}); which one is meant?"))
        else:
            seen[name] = position
    missing = [c.name for c in columns if c.required and c.name not in seen]
    unknown = [h for h in seen if h not in names]
    if missing or unknown:
        msg = []
        if missing:
            msg.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            msg.append(f"unknown column(s) {', '.join(unknown)}")
        problems.append(ImportProblem(1, "; ".join(msg) + f" (expected: {expected})"))
    return problems


def convert_record(record: CsvRecord, columns: tuple[Column, ...]) -> dict[str, Any]:
    """The record's values converted by their columns; raises InvalidValue naming the column."""
    data: dict[str, Any] = {}
    for col in columns:
        raw = record.values.get(col.name, "")
        if not raw.strip():
            if col.required:
                raise InvalidValue(f"{col.name} is empty")
            continue
        try:
            data[col.name] = col.convert(raw)
        except InvalidValue as exc:
            raise InvalidValue(f"{col.name}: {exc.message}") from None
    return data


def _existing_ids(session: Session, kind: RecordKind, ids: set[str]) -> set[str]:
    found: set[str] = set()
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start:start + 500]
        found.update(session.scalars(select(RowRecord.id).where(
            RowRecord.kind == kind.value, RowRecord.id.in_(chunk), RowRecord.deleted.is_(False))))
    return found


def read_csv(session: Session, spec: ImportSpec, path: str) -> list[tuple[str, dict[str, Any]]]:
    """Parse and check the file; returns (id, data) pairs or raises ImportRejected."""
    records, problems = read_records(path, spec.columns)
    org_levels = {code: str(data.get("level")) for code, data in _org_levels(session).items()}
    parsed: list[tuple[int, str, dict[str, Any]]] = []
    first_line: dict[str, int] = {}
    for record in records:
        line = record.line
        try:
            data = convert_record(record, spec.columns)
            rid = str(data["id"])
            data = to_data(from_data(spec.kind, data))
            station = str(data["station_code"])
            if station not in org_levels:
                raise InvalidValue(f"unknown police station {station!r}")
            if org_levels[station] not in spec.owner_levels:
                raise InvalidValue(f"{station} is a {org_levels[station]} unit, not "
                                   f"{spec.owner_wording}")
            if rid in first_line:
                raise InvalidValue(f"id {rid} repeats line {first_line[rid]}")
            first_line[rid] = line
            parsed.append((line, rid, data))
        except DomainError as exc:
            problems.append(ImportProblem(line, exc.message))

    existing = _existing_ids(session, spec.kind, {rid for _, rid, _ in parsed})
    for line, rid, _ in parsed:
        if rid in existing:
            problems.append(ImportProblem(line, f"{spec.kind} {rid} already exists"))
    for column, kind in spec.references:
        wanted = {str(d[column]) for _, _, d in parsed}
        present = _existing_ids(session, kind, wanted)
        for line, _, d in parsed:
            if str(d[column]) not in present:
                problems.append(ImportProblem(line, f"{column}: no {kind} {d[column]!r}"))
    if problems:
        raise _rejection(path, problems)
    return [(rid, data) for _, rid, data in parsed]


@dataclass(frozen=True)
class PersonnelLine:
    line: int
    org_code: str
    personnel_total: int
    personnel_on_duty: int | None


def read_personnel_csv(session: Session, path: str) -> list[PersonnelLine]:
    """Parse and check a file of office personnel (org_code, personnel_total and optionally
    personnel_on_duty); raises ImportRejected listing every bad line."""
    records, problems = read_records(path, PERSONNEL_COLUMNS)
    offices = _org_levels(session)
    result: list[PersonnelLine] = []
    first_line: dict[str, int] = {}
    for record in records:
        try:
            data = convert_record(record, PERSONNEL_COLUMNS)
            code = str(data["org_code"])
            office = offices.get(code)
            if office is None:
                raise InvalidValue(f"unknown office {code!r}")
            total = int(data["personnel_total"])
            on_duty = data.get("personnel_on_duty")
            if total < 0 or (on_duty is not None and on_duty < 0):
                raise InvalidValue("personnel counts cannot be negative")
            shown_on_duty = int(office.get("personnel_on_duty") or 0) if on_duty is None else on_duty
            if shown_on_duty > total:
                raise InvalidValue(f"{shown_on_duty} on duty exceeds {total} personnel")
            if code in first_line:
                raise InvalidValue(f"office {code} repeats line {first_line[code]}")
            first_line[code] = record.line
            result.append(PersonnelLine(record.line, code, total, on_duty))
        except DomainError as exc:
            problems.append(ImportProblem(record.line, exc.message))
    if problems:
        raise _rejection(path, problems)
    return result


def _rejection(path: str, problems: list[ImportProblem]) -> ImportRejected:
    """The problems in line order, at most MAX_PROBLEMS of them and a line saying how many more."""
    ordered = sorted(problems, key=lambda p: p.line)
    if len(ordered) > MAX_PROBLEMS:
        more = len(ordered) - MAX_PROBLEMS
        ordered = [*ordered[:MAX_PROBLEMS],
                   ImportProblem(ordered[MAX_PROBLEMS].line, f"and {more:,} more problem(s) from "
                                                             "here on; mend these first")]
    return ImportRejected(path, ordered)


def _org_levels(session: Session) -> dict[str, dict[str, Any]]:
    records = session.scalars(select(RowRecord).where(
        RowRecord.kind == RecordKind.ORG.value, RowRecord.deleted.is_(False))).all()
    return {r.id: dict(r.data) for r in records}


def columns_help() -> str:
    """The CSV columns of each import, for --help."""
    lines = [f"  {name}: {spec.describe()}" for name, spec in IMPORTS.items()]
    lines.append(f"  personnel: {describe_columns(PERSONNEL_COLUMNS)}")
    return "\n".join(lines)
