"""Admin operations over a Session: org units, users, bulk rows, CSV imports, duty orders.

Used by `sitroom admin`, the demo seeder and tests. Each function works inside the caller's
write transaction (`with db.write() as session: ...`), so a batch of operations commits together.
Every row change goes through the feed (and the audit log), so consoles replicate it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.domain.clock import iso, parse_time
from console.domain.errors import DomainError, InvalidValue, NotFound
from console.domain.org import PARENT_LEVEL, OrgLevel, OrgUnit, child_path, validate_code
from console.domain.records import RecordKind, from_data, owner_code, to_data
from console.domain.roles import Role
from console.protocol.schema import MutationStatus, Row
from console.server import auth, feed, orgs, sessions
from console.server.apply import Actor, apply_in_session
from console.server.csv_import import (
    IMPORTS,
    ImportProblem,
    ImportRejected,
    read_csv,
    read_personnel_csv,
)
from console.server.tables import AuditRecord, RowRecord, User

__all__ = [
    "IMPORTS", "ImportProblem", "ImportRejected", "OperationError", "bulk_insert_rows",
    "create_org_unit", "create_user", "import_csv", "import_personnel", "issue_duty_order",
    "list_org_units", "list_users", "prune_feed", "reset_password", "set_user_active",
]


class OperationError(DomainError):
    code = "operation_failed"


def _now(at: datetime | None) -> datetime:
    return at or datetime.now(UTC)


def _audit(session: Session, at: datetime, by: str, action: str, *, kind: str | None = None,
           rid: str | None = None, path: str | None = None, after: dict[str, Any] | None = None,
           note: str | None = None) -> None:
    session.add(AuditRecord(at=at, username=by, client_id=None, action=action, record_kind=kind,
                            record_id=rid, org_path=path, before=None, after=after, note=note))


# -- org units --------------------------------------------------------------------------------
def create_org_unit(session: Session, code: str, level: OrgLevel | str, name_ko: str, name_en: str,
                    parent_code: str | None = None, *, jurisdiction: Sequence[str] = (),
                    personnel_total: int = 0, personnel_on_duty: int = 0,
                    lat: float | None = None, lon: float | None = None,
                    at: datetime | None = None, by: str = "admin") -> Row:
    """Add an org unit (national HQ, provincial agency or station) under its parent."""
    validate_code(code)
    try:
        level = OrgLevel(level)
    except ValueError:
        raise InvalidValue(f"unknown level {level!r}: national, provincial or station") from None
    expected_parent = PARENT_LEVEL[level]
    if expected_parent is None:
        if parent_code:
            raise InvalidValue("the national HQ has no parent")
        if orgs.root_code(session) is not None:
            raise InvalidValue(f"there is already a national HQ ({orgs.root_code(session)})")
        path = f"/{code}/"
    else:
        if not parent_code:
            raise InvalidValue(f"a {level} unit needs a parent ({expected_parent})")
        parent = orgs.org_data(session, parent_code)
        if parent is None:
            raise NotFound(f"parent org unit {parent_code!r} does not exist")
        if parent.get("level") != expected_parent.value:
            raise InvalidValue(f"the parent of a {level} unit must be {expected_parent}, "
                               f"not {parent.get('level')} ({parent_code})")
        path = child_path(str(parent["path"]), code)
    if orgs.org_data(session, code) is not None:
        raise InvalidValue(f"org unit {code} already exists")
    unit = OrgUnit(code=code, level=level, name_ko=name_ko, name_en=name_en,
                   parent_code=parent_code or None, path=path, jurisdiction=list(jurisdiction),
                   personnel_total=personnel_total, personnel_on_duty=personnel_on_duty,
                   lat=lat, lon=lon)
    data = to_data(unit)
    when = _now(at)
    feed.write_rows(session, [feed.RowWrite(RecordKind.ORG.value, code, 1, path, data)], when, new=True)
    _audit(session, when, by, "org.create", kind=RecordKind.ORG.value, rid=code, path=path, after=data)
    return Row(kind=RecordKind.ORG, id=code, version=1, org_path=path, data=data)


def list_org_units(session: Session) -> list[dict[str, Any]]:
    records = session.scalars(
        select(RowRecord).where(RowRecord.kind == RecordKind.ORG.value, RowRecord.deleted.is_(False))
        .order_by(RowRecord.org_path)).all()
    return [dict(r.data) for r in records]


# -- users ------------------------------------------------------------------------------------
def _check_password(password: str, username: str | None = None) -> None:
    refusal = auth.check_password(password, username)  # the policy: auth.password_policy_text()
    if refusal:
        raise InvalidValue(refusal)


def create_user(session: Session, username: str, password: str, role: Role | str, org_code: str,
                display_name: str | None = None, *, at: datetime | None = None,
                by: str = "admin", hasher: PasswordHasher | None = None) -> User:
    """A new user; the password is hashed with `hasher` (None: auth's default; see
    ServerSettings.password_hasher)."""
    username = username.strip()
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        raise InvalidValue("a user name is 1-64 characters without spaces")
    try:
        role = Role(role)
    except ValueError:
        raise InvalidValue(f"unknown role {role!r}: {', '.join(r.value for r in Role)}") from None
    _check_password(password, username)
    org = orgs.org_data(session, org_code)
    if org is None:
        raise NotFound(f"org unit {org_code!r} does not exist")
    expected = {Role.NATIONAL_HQ: OrgLevel.NATIONAL, Role.PROVINCIAL_HQ: OrgLevel.PROVINCIAL}.get(
        role, OrgLevel.STATION)
    if role != Role.VIEWER and org.get("level") != expected.value:
        raise InvalidValue(f"a {role} belongs to a {expected} unit; {org_code} is {org.get('level')}")
    if session.get(User, username) is not None:
        raise InvalidValue(f"user {username} already exists")
    when = _now(at)
    user = User(username=username, display_name=(display_name or username).strip(),
                password_hash=auth.hash_password(password, hasher), role=role.value, org_code=org_code,
                active=True, created_at=when)
    session.add(user)
    _audit(session, when, by, "user.create", path=str(org["path"]),
           after={"username": username, "role": role.value, "org_code": org_code})
    session.flush()
    return user


def reset_password(session: Session, username: str, password: str, *, by: str = "admin",
                   hasher: PasswordHasher | None = None) -> None:
    user = session.get(User, username)
    if user is None:
        raise NotFound(f"user {username!r} does not exist")
    _check_password(password, username)
    user.password_hash = auth.hash_password(password, hasher)
    # Old sessions end with the old password, for good.
    sessions.revoke_user(session, username, sessions.PASSWORD_RESET)
    _audit(session, _now(None), by, "user.reset_password", after={"username": username})


def set_user_active(session: Session, username: str, active: bool, *, by: str = "admin") -> None:
    user = session.get(User, username)
    if user is None:
        raise NotFound(f"user {username!r} does not exist")
    user.active = active
    if not active:  # for good: reactivating the user brings no session back
        sessions.revoke_user(session, username, sessions.DEACTIVATED)
    _audit(session, _now(None), by, "user.activate" if active else "user.deactivate",
           after={"username": username})


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.org_code, User.username)).all())


# -- bulk rows --------------------------------------------------------------------------------
@dataclass(frozen=True)
class BulkResult:
    count: int
    first_seq: int
    last_seq: int


def bulk_insert_rows(session: Session, rows: Iterable[tuple[RecordKind | str, str, dict[str, Any]]],
                     *, at: datetime | None = None, by: str = "system", validate: bool = True,
                     note: str = "bulk insert") -> BulkResult:
    """Insert new rows of any kind (version 1) through the feed, in one transaction.
    Org rows may come in the same batch as the rows they own (parents first)."""
    paths = orgs.all_paths(session)
    writes: list[feed.RowWrite] = []
    seen: set[tuple[str, str]] = set()
    for kind, rid, data in rows:
        rkind = RecordKind(kind)
        if validate:
            entity = from_data(rkind, dict(data))
            data = to_data(entity)
        key = (rkind.value, rid)
        if key in seen:
            raise InvalidValue(f"{rkind} {rid} appears twice in the batch")
        seen.add(key)
        if rkind == RecordKind.ORG:
            path = str(data["path"])
            parent = data.get("parent_code")
            if parent and (parent not in paths or child_path(paths[parent], rid) != path):
                raise InvalidValue(f"org unit {rid}: path {path} does not follow its parent {parent}")
            paths[rid] = path
        else:
            owner = owner_code(rkind, data)
            if owner not in paths:
                raise NotFound(f"{rkind} {rid}: unknown org unit {owner!r}")
            path = paths[owner]
        writes.append(feed.RowWrite(rkind.value, rid, 1, path, data))
    if not writes:
        return BulkResult(0, 0, 0)
    existing = _existing_keys(session, seen)
    if existing:
        kind_, rid_ = sorted(existing)[0]
        raise InvalidValue(f"{len(existing)} row(s) already exist, e.g. {kind_} {rid_}")
    when = _now(at)
    first = feed.write_rows(session, writes, when, new=True)
    _audit(session, when, by, "rows.bulk_insert", note=f"{note}: {len(writes)} rows, "
           f"seq {first}-{first + len(writes) - 1}")
    return BulkResult(len(writes), first, first + len(writes) - 1)


def _existing_keys(session: Session, keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    by_kind: dict[str, list[str]] = {}
    for kind, rid in keys:
        by_kind.setdefault(kind, []).append(rid)
    found: set[tuple[str, str]] = set()
    for kind, ids in by_kind.items():
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found.update((kind, rid) for rid in session.scalars(
                select(RowRecord.id).where(RowRecord.kind == kind, RowRecord.id.in_(chunk))))
    return found


# -- CSV imports ------------------------------------------------------------------------------
def import_csv(session: Session, what: str, path: str, *, at: datetime | None = None,
               by: str = "admin") -> BulkResult:
    """Import polling stations, counting stations or routes from a CSV file. Every row is
    checked first; if any is bad, ImportRejected lists them all and nothing is imported."""
    spec = IMPORTS.get(what)
    if spec is None:
        raise InvalidValue(f"unknown import {what!r}: {', '.join(IMPORTS)}")
    rows = read_csv(session, spec, path)
    return bulk_insert_rows(session, ((spec.kind, rid, data) for rid, data in rows), at=at, by=by,
                            validate=False, note=f"import {what} from {path}")


def import_personnel(session: Session, path: str, *, at: datetime | None = None,
                     by: str = "admin") -> BulkResult:
    """Set the personnel of existing offices from a CSV file (org_code, personnel_total and
    optionally personnel_on_duty), each through the mutation path so consoles see the change.
    Every line is checked first; if any is bad, ImportRejected lists them all and nothing
    changes."""
    lines = read_personnel_csv(session, path)
    when = _now(at)
    actor = Actor(username=by, org_code=orgs.root_code(session) or "", scope_path="/", role=None)
    first = last = 0
    for entry in lines:
        payload: dict[str, Any] = {"personnel_total": entry.personnel_total}
        if entry.personnel_on_duty is not None:
            payload["personnel_on_duty"] = entry.personnel_on_duty
        outcome = apply_in_session(session, actor, "org.personnel", RecordKind.ORG, entry.org_code,
                                   payload, None, when)
        if outcome.status != MutationStatus.APPLIED or outcome.seq is None:
            raise ImportRejected(path, [ImportProblem(entry.line, outcome.message or "refused")])
        first = first or outcome.seq
        last = outcome.seq
    return BulkResult(len(lines), first, last)


# -- duty orders ------------------------------------------------------------------------------
def issue_duty_order(session: Session, issuer_code: str, level: str, targets: Sequence[str],
                     effective_from: str, effective_until: str | None = None, reason: str = "",
                     *, by: str = "admin", at: datetime | None = None,
                     order_id: str | None = None, reason_en: str = "") -> Row:
    """Issue a duty order from `issuer_code` to offices below it, through the mutation path."""
    issuer_path = orgs.org_path(session, issuer_code)
    if issuer_path is None:
        raise NotFound(f"issuing office {issuer_code!r} does not exist")
    parse_time(effective_from, "effective_from")
    if effective_until:
        parse_time(effective_until, "effective_until")
    actor = Actor(username=by, org_code=issuer_code, scope_path=issuer_path, role=Role.NATIONAL_HQ)
    payload: dict[str, Any] = {"level": level, "targets": list(targets),
                               "effective_from": effective_from, "reason": reason}
    if effective_until:
        payload["effective_until"] = effective_until
    if reason_en:
        payload["reason_en"] = reason_en
    outcome = apply_in_session(session, actor, "duty.issue", RecordKind.DUTY_ORDER,
                               order_id or uuid.uuid4().hex, payload, None, _now(at))
    if outcome.status != MutationStatus.APPLIED or outcome.row is None:
        raise OperationError(outcome.message or "the order was refused", code=outcome.error_code)
    return outcome.row


def prune_feed(session: Session, below: int) -> int:
    """Drop feed entries below `below`; consoles behind it re-snapshot (410)."""
    return feed.prune(session, below)


def now_iso() -> str:
    return iso(datetime.now(UTC))
