"""Login throttling: failed logins are counted per user name and per network address, in the
database (so every server process counts the same); after too many in a window, that name or
address is locked out for a while and its logins are answered 429 with Retry-After.

An attempt is counted *before* its password is checked (`charge`), so attempts sent in parallel
cannot all slip through before the first failure is recorded; a successful login takes its
charge back (the user name is cleared, the address gets its one back). While as many attempts
as the limit are being checked, one more is not refused: it waits its turn (`Charge.wait`) and
is charged when one of them has ended. So no more passwords than the limit are ever checked
before a lockout, and a right password is never refused because others logged in at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from console.server.tables import LoginThrottle

USER = "user"
ADDRESS = "address"


@dataclass
class ThrottlePolicy:
    """The server's login throttle settings (ServerSettings.login_throttle)."""

    max_failures_per_user: int = 5
    # An address is shared by the consoles behind one NAT, and tries many user names.
    max_failures_per_address: int = 20
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)

    def limit(self, key_kind: str) -> int:
        return self.max_failures_per_user if key_kind == USER else self.max_failures_per_address


@dataclass(frozen=True)
class Lockout:
    key_kind: str  # USER or ADDRESS
    key: str
    until: datetime
    failures: int = 0

    def retry_after(self, now: datetime) -> int:
        """Whole seconds until the lockout ends (at least 1), for Retry-After."""
        return max(1, math.ceil((self.until - now).total_seconds()))

    def message(self, now: datetime) -> str:
        minutes = max(1, math.ceil((self.until - now).total_seconds() / 60))
        what = ("for this user name" if self.key_kind == USER
                else "from this workstation's network address")
        return (f"too many failed logins {what}; try again in {minutes} minute"
                f"{'s' if minutes != 1 else ''}, or ask an administrator "
                + ("to unlock it (sitroom admin user unlock)" if self.key_kind == USER
                   else "to unlock the address (sitroom admin user unlock --address)"))

    def describe(self) -> str:
        return f"{'user name' if self.key_kind == USER else 'address'} {self.key}"


def _keys(username: str, address: str) -> list[tuple[str, str]]:
    return [(USER, username[:128]), (ADDRESS, address[:128])]


def locked(session: Session, username: str, address: str, now: datetime) -> Lockout | None:
    """The lockout in force for this user name or address (the longer one), if any."""
    found: Lockout | None = None
    for kind, key in _keys(username, address):
        row = session.get(LoginThrottle, (kind, key))
        if (row is not None and row.locked_until is not None and row.locked_until > now
                and (found is None or row.locked_until > found.until)):
            found = Lockout(kind, key, row.locked_until, row.failures)
    return found


@dataclass(frozen=True)
class Charge:
    """What `charge` decided: refused (a lockout in force), wait (as many attempts as the limit
    are being checked: try again shortly, nothing was counted), or charged (neither)."""

    refusal: Lockout | None = None
    wait: bool = False


def charge(session: Session, policy: ThrottlePolicy, username: str, address: str,
           now: datetime) -> Charge:
    """Count an attempt against the user name and the address before its password is checked,
    unless a lockout refuses it or the limit's worth of attempts is being checked (then nothing
    is counted and the caller asks again when one has ended)."""
    rows = [(kind, key, _locked_row(session, kind, key, now)) for kind, key in _keys(username, address)]
    refusal: Lockout | None = None
    for kind, key, row in rows:
        if row.locked_until is not None and row.locked_until > now and (
                refusal is None or row.locked_until > refusal.until):
            refusal = Lockout(kind, key, row.locked_until, row.failures)
    if refusal is not None:
        return Charge(refusal=refusal)
    for _kind, _key, row in rows:
        if row.window_start + policy.window <= now or row.locked_until is not None:
            row.failures, row.window_start, row.locked_until = 0, now, None
            row.expires_at = _expiry(row, policy)
    if any(row.failures >= policy.limit(kind) for kind, _key, row in rows):
        # Not locked, yet the count is at the limit: attempts are being checked right now (a
        # failure at the limit locks). This one waits for them rather than being refused.
        return Charge(wait=True)
    for _kind, _key, row in rows:
        row.failures += 1
        row.expires_at = _expiry(row, policy)
    return Charge()


def failed(session: Session, policy: ThrottlePolicy, username: str, address: str,
           now: datetime) -> list[Lockout]:
    """After a wrong password (the attempt was charged): lock out a name or address that has
    reached its limit. Returns the lockouts that began now."""
    began: list[Lockout] = []
    for kind, key in _keys(username, address):
        row = _locked_row(session, kind, key, now)
        # A right password of another login cleared the name's count while this one was being
        # checked: this failure still counts.
        row.failures = max(row.failures, 1)
        row.expires_at = _expiry(row, policy)
        if row.locked_until is None and row.failures >= policy.limit(kind):
            row.locked_until = now + policy.lockout
            row.expires_at = _expiry(row, policy)
            began.append(Lockout(kind, key, row.locked_until, row.failures))
    return began


def uncharge(session: Session, username: str, address: str) -> None:
    """Take back the charge of an attempt whose password was never checked (the server was too
    busy to check it)."""
    for kind, key in _keys(username, address):
        row = session.get(LoginThrottle, (kind, key), with_for_update=True)
        if row is not None and row.locked_until is None and row.failures > 0:
            row.failures -= 1


def succeeded(session: Session, username: str, address: str, now: datetime) -> None:
    """A right password: the user name's count is cleared, the address gets its charge back."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key_kind == USER,
                                                LoginThrottle.key == username[:128]))
    row = session.get(LoginThrottle, (ADDRESS, address[:128]), with_for_update=True)
    if row is not None and row.locked_until is None and row.failures > 0:
        row.failures -= 1
    # Rows whose window and lockout are over say nothing any more.
    session.execute(delete(LoginThrottle).where(LoginThrottle.expires_at < now))


def unlock(session: Session, key_kind: str, key: str) -> bool:
    """Clear a user name's or an address's failures and lockout (an administrator's call)."""
    result = session.execute(delete(LoginThrottle).where(LoginThrottle.key_kind == key_kind,
                                                         LoginThrottle.key == key[:128]))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def list_lockouts(session: Session, now: datetime) -> list[Lockout]:
    rows = session.scalars(select(LoginThrottle).where(LoginThrottle.locked_until > now)
                           .order_by(LoginThrottle.locked_until.desc()))
    return [Lockout(r.key_kind, r.key, r.locked_until, r.failures) for r in rows
            if r.locked_until is not None]


def _locked_row(session: Session, kind: str, key: str, now: datetime) -> LoginThrottle:
    """The throttle row of a name or address, created if missing, locked until commit.

    Another login may delete the row between our insert (which found it there) and our lock (a
    right password clears the name's count): then it is inserted again. Each statement sees the
    rows committed before it (PostgreSQL's READ COMMITTED; SQLite writes one at a time)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for _ in range(5):
        session.execute(insert(LoginThrottle).values(
            key_kind=kind, key=key, failures=0, window_start=now, locked_until=None, expires_at=now)
            .on_conflict_do_nothing(index_elements=["key_kind", "key"]))
        row = session.execute(
            select(LoginThrottle).where(LoginThrottle.key_kind == kind, LoginThrottle.key == key)
            .with_for_update().execution_options(populate_existing=True)
        ).scalar_one_or_none()
        if row is not None:
            return row
    raise RuntimeError(f"the login throttle row of {kind} {key!r} kept disappearing")


def _expiry(row: LoginThrottle, policy: ThrottlePolicy) -> datetime:
    end = row.window_start + policy.window
    return max(end, row.locked_until) if row.locked_until is not None else end
