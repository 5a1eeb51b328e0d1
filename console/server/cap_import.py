"""`sitroom admin import cap FILE|URL`: an outside agency's CAP alert into the server, through the
one mutation path, as an external_alert row owned by an office (default the national HQ): every
console in that office's scope gets it by sync."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the admin command's parser is built on every `sitroom` start: import lazily
    from sqlalchemy.orm import Session

    from console.interop.cap_in import ImportedCap
    from console.protocol.schema import Row


class CapImportError(Exception):
    """Why an alert did not come in, for the person at the keyboard."""


def add_arguments(imp: argparse.ArgumentParser) -> None:
    """The options of `sitroom admin import` that only `cap` takes."""
    imp.add_argument("--org", metavar="CODE", default=None,
                     help="cap: the office the alert is shared with, with every office below it "
                          "(default: the national HQ, so every console)")
    imp.add_argument("--by", dest="cap_by", default="admin", metavar="NAME",
                     help="cap: name recorded as the importer (default admin)")


def import_alert(session: Session, imported: ImportedCap, org_code: str | None, *,
                 by: str = "admin") -> Row:
    from console.domain.clock import now_utc
    from console.domain.records import RecordKind
    from console.domain.roles import Role
    from console.protocol.schema import MutationStatus
    from console.server import orgs
    from console.server.apply import Actor, apply_in_session

    code = org_code or orgs.root_code(session)
    path = orgs.org_path(session, code) if code else None
    if code is None or path is None:
        raise CapImportError(f"office {org_code!r} does not exist" if org_code
                             else "there is no national HQ yet: add the org units first")
    actor = Actor(username=by, org_code=code, scope_path=path, role=Role.NATIONAL_HQ)
    outcome = apply_in_session(session, actor, "external_alert.import", RecordKind.EXTERNAL_ALERT,
                               imported.record_id, imported.payload, None, now_utc())
    if outcome.status != MutationStatus.APPLIED or outcome.row is None:
        message = outcome.message or "the alert was refused"
        if "already exists" in message:
            message = "this alert was imported before (the same file): nothing changed"
        raise CapImportError(message)
    return outcome.row


def run(db: Any, args: argparse.Namespace) -> int:
    """The `import cap` command: 0 imported, 1 refused (the reason printed)."""
    from console.domain.clock import kst_text
    from console.interop.cap_in import CapRefused, parse_cap, read_source

    try:
        data, source = read_source(args.file)
        imported = parse_cap(data, source)
        with db.write() as session:
            row = import_alert(session, imported, args.org, by=args.cap_by)
    except (CapRefused, CapImportError) as exc:
        raise _user_error(str(exc)) from None
    expires = row.data.get("expires")
    print(f"imported CAP alert {row.id}: {imported.headline or imported.payload['identifier']} "
          f"({row.data['severity']}, from {row.data.get('sender_name') or row.data['sender']}) "
          f"for {row.data['org_code']} and the offices below it"
          + (f", until {kst_text(expires)}" if expires else ""))
    return 0


def _user_error(message: str) -> Exception:
    from console.server.admin import UserError

    return UserError(message)
