"""Org units live as rows of kind 'org'; this resolves their codes to scope paths and provinces."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from console.domain.records import RecordKind
from console.server.tables import RowRecord

_PATHS = "sitroom_org_paths"
_PATH_OF = (select(RowRecord.org_path)
            .where(RowRecord.kind == RecordKind.ORG.value, RowRecord.id == bindparam("code"),
                   RowRecord.deleted.is_(False)))


def org_path(session: Session, code: str) -> str | None:
    """The scope path of org unit `code`, or None if there is no such unit. Remembered for the
    session's life (a unit's path never changes; a batch of mutations asks for few units often)."""
    cache: dict[str, str] = session.info.setdefault(_PATHS, {})
    path = cache.get(code)
    if path is None:
        path = session.execute(_PATH_OF, {"code": code}).scalar_one_or_none()
        if path is not None:
            cache[code] = path
    return path


def org_data(session: Session, code: str) -> dict[str, object] | None:
    row = session.get(RowRecord, (RecordKind.ORG.value, code))
    if row is None or row.deleted:
        return None
    return dict(row.data)


def province_of_path(path: str) -> str | None:
    """'/NPA/SEOUL/S1/' -> 'SEOUL'; the national HQ has no province."""
    parts = [p for p in path.split("/") if p]
    return parts[1] if len(parts) >= 2 else None


def province_of(session: Session, code: str) -> str | None:
    path = org_path(session, code)
    return province_of_path(path) if path else None


def province_resolver(session: Session) -> Callable[[str], str | None]:
    """A `province_of` for MutationContext, memoised for the life of one transaction."""
    cache: dict[str, str | None] = {}

    def resolve(code: str) -> str | None:
        if code not in cache:
            cache[code] = province_of(session, code)
        return cache[code]

    return resolve


def root_code(session: Session) -> str | None:
    """The national HQ's code (the shortest org path), or None before any org unit exists."""
    paths = session.scalars(
        select(RowRecord.org_path).where(RowRecord.kind == RecordKind.ORG.value)
    ).all()
    roots = sorted((p for p in paths if p.count("/") == 2), key=len)
    return roots[0].strip("/") if roots else None


def all_paths(session: Session) -> dict[str, str]:
    rows = session.execute(
        select(RowRecord.id, RowRecord.org_path).where(
            RowRecord.kind == RecordKind.ORG.value, RowRecord.deleted.is_(False))
    ).all()
    return {code: path for code, path in rows}
