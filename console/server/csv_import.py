"""CSV files of polling stations, counting stations and routes: parsed and checked row by row.

Files are UTF-8 (a BOM from spreadsheet programs is fine) with a header line. Every data line
is checked with the domain classes and against the database; all problems are reported with
their line numbers, and the import is all-or-nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.domain.errors import DomainError, InvalidValue
from console.domain.records import RecordKind, from_data, to_data
from console.server.tables import RowRecord


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
        return int(v.strip())
    except ValueError:
        raise InvalidValue(f"{v!r} is not a whole number") from None


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


@dataclass(frozen=True)
class ImportSpec:
    kind: RecordKind
    columns: tuple[Column, ...]
    # Columns that must name existing rows of a kind: (column, record kind).
    references: tuple[tuple[str, RecordKind], ...] = ()

    def describe(self) -> str:
        parts = [f"{c.name}{'' if c.required else ' (optional)'}" for c in self.columns]
        return ", ".join(parts)


IMPORTS: dict[str, ImportSpec] = {
    "polling-stations": ImportSpec(RecordKind.POLLING_STATION, (
        Column("id", _text), Column("kind", _text, help="election_day or early_voting"),
        Column("name", _text), Column("station_code", _text), Column("lat", _float),
        Column("lon", _float), Column("district", _text, False), Column("town", _text, False),
        Column("officers_planned", _int, False),
    )),
    "counting-stations": ImportSpec(RecordKind.COUNTING_STATION, (
        Column("id", _text), Column("name", _text), Column("station_code", _text),
        Column("lat", _float), Column("lon", _float), Column("district", _text, False),
        Column("officers_planned", _int, False),
    )),
    "routes": ImportSpec(RecordKind.ROUTE, (
        Column("id", _text), Column("polling_station_id", _text),
        Column("counting_station_id", _text), Column("station_code", _text),
        Column("planned_minutes", _int), Column("officers", _int, False),
    ), references=(("polling_station_id", RecordKind.POLLING_STATION),
                   ("counting_station_id", RecordKind.COUNTING_STATION))),
}


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
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidValue(f"no such file: {path}") from None
    except UnicodeDecodeError as exc:
        raise ImportRejected(path, [ImportProblem(1, f"not UTF-8 text ({exc.reason})")]) from None
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    names = {c.name for c in spec.columns}
    problems: list[ImportProblem] = []
    missing = [c.name for c in spec.columns if c.required and c.name not in header]
    unknown = [h for h in header if h not in names]
    if not header:
        raise ImportRejected(path, [ImportProblem(1, f"empty file; expected a header: {spec.describe()}")])
    if missing or unknown:
        msg = []
        if missing:
            msg.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            msg.append(f"unknown column(s) {', '.join(unknown)}")
        raise ImportRejected(path, [ImportProblem(1, "; ".join(msg) + f" (expected: {spec.describe()})")])

    org_levels = {code: str(data.get("level")) for code, data in _org_levels(session).items()}
    parsed: list[tuple[int, str, dict[str, Any]]] = []
    first_line: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if None in record:
            problems.append(ImportProblem(line, "more fields than columns in the header"))
            continue
        if all(not (v or "").strip() for v in record.values()):
            continue  # blank line
        try:
            data: dict[str, Any] = {}
            for col in spec.columns:
                raw = record.get(col.name)
                if raw is None or not raw.strip():
                    if col.required:
                        raise InvalidValue(f"{col.name} is empty")
                    continue
                try:
                    data[col.name] = col.convert(raw)
                except InvalidValue as exc:
                    raise InvalidValue(f"{col.name}: {exc.message}") from None
            rid = str(data["id"])
            if len(rid) > 64:
                raise InvalidValue("id is longer than 64 characters")
            data = to_data(from_data(spec.kind, data))
            station = str(data["station_code"])
            if station not in org_levels:
                raise InvalidValue(f"unknown police station {station!r}")
            if org_levels[station] != "station":
                raise InvalidValue(f"{station} is a {org_levels[station]} unit, not a police station")
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
        raise ImportRejected(path, sorted(problems, key=lambda p: p.line))
    return [(rid, data) for _, rid, data in parsed]


def _org_levels(session: Session) -> dict[str, dict[str, Any]]:
    records = session.scalars(select(RowRecord).where(
        RowRecord.kind == RecordKind.ORG.value, RowRecord.deleted.is_(False))).all()
    return {r.id: dict(r.data) for r in records}


def columns_help() -> str:
    """The CSV columns of each import, for --help."""
    return "\n".join(f"  {name}: {spec.describe()}" for name, spec in IMPORTS.items())
