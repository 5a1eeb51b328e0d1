"""`sitroom admin` commands for identity and the audit chain: `user sessions` (list, revoke),
`user unlock` (clear a login lockout), `audit verify` and `audit heads` (export chain heads to
keep elsewhere). Registered by console.server.admin."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from console.domain.clock import iso, kst_text
from console.domain.errors import InvalidValue, NotFound

USER_ACTIONS = ("sessions", "unlock")
COMMANDS = ("audit",)
HEADS_FORMAT = "sitroom-audit-heads/1"


def os_user() -> str:
    """The operating-system account running this command (see audit_chain.os_user)."""
    from console.server.audit_chain import os_user as account

    return account()


def add_user_actions(user: Any) -> None:
    """`user sessions` and `user unlock`, on the `user` sub-command's action parsers."""
    sessions = user.add_parser(
        "sessions", help="list sessions (logins in force), or end them",
        description="Without options, lists the sessions in force (of one user, or of everyone): "
                    "id, console, address, start, last use, end. --revoke ends one by its id, "
                    "--revoke-all every session of the user; an ended session never comes back.")
    sessions.add_argument("username", nargs="?", help="the user (default: every user)")
    sessions.add_argument("--all", action="store_true", help="ended sessions too (revoked, expired, idle)")
    sessions.add_argument("--revoke", metavar="ID", action="append", default=[],
                          help="end the session with this id (the first 6+ characters do)")
    sessions.add_argument("--revoke-all", action="store_true", help="end every session of the user")
    unlock = user.add_parser("unlock", help="clear a login lockout (too many failed logins)")
    unlock.add_argument("username", nargs="?", help="the user name locked out")
    unlock.add_argument("--address", help="a network address locked out instead")
    unlock.add_argument("--list", action="store_true", help="list the lockouts in force")


def add_commands(sub: Any) -> None:
    """`audit verify` and `audit heads`, on admin's command parsers."""
    audit = sub.add_parser("audit", help="check the audit log's hash chain").add_subparsers(
        dest="audit_command", metavar="ACTION")
    verify = audit.add_parser(
        "verify", help="check the hash chain; name the first broken entry",
        description="Walks every audit entry in order and checks its hash chain. With --heads, "
                    "also checks that the chain still passes through heads exported earlier "
                    "(`audit heads`), which catches a rewrite of the whole log. Exit status 0 "
                    "when intact, 1 when broken.")
    verify.add_argument("--heads", metavar="FILE", action="append", default=[],
                        help="a file written by `audit heads` (repeatable)")
    heads = audit.add_parser(
        "heads", help="export chain heads to keep elsewhere",
        description="Writes the chain's hash at every N-th entry and at the last one. Keep the "
                    "file off this server (another machine, paper, a signed e-mail); `audit "
                    "verify --heads FILE` later proves the log was not rewritten up to them.")
    heads.add_argument("--out", metavar="FILE", help="write here (default: standard output)")
    heads.add_argument("--every", metavar="N", type=int, default=1000,
                       help="a head every N entries (default 1000), and the last one")


def run_user(db: Any, args: argparse.Namespace) -> int:
    if args.user_command == "sessions":
        return _sessions(db, args)
    return _unlock(db, args)


def run(db: Any, args: argparse.Namespace) -> int:
    command = getattr(args, "audit_command", None)
    if command == "verify":
        return _verify(db, args.heads)
    if command == "heads":
        return _heads(db, args.out, args.every)
    raise InvalidValue("audit: give verify or heads")


# -- sessions ---------------------------------------------------------------------------------
def _sessions(db: Any, args: argparse.Namespace) -> int:
    from console.server import sessions
    from console.server.tables import User

    name = args.username
    if (args.revoke or args.revoke_all) and not name:
        raise InvalidValue("name the user whose sessions to end")
    if name:
        with db.read() as session:
            if session.get(User, name) is None:
                raise NotFound(f"user {name!r} does not exist")
    if args.revoke or args.revoke_all:
        with db.write() as session:
            if args.revoke_all:
                ended = sessions.revoke_user(session, name, sessions.BY_ADMIN)
            else:
                ended = 0
                for short in args.revoke:
                    try:
                        count = sessions.revoke_by_id(session, name, short)
                    except ValueError as exc:
                        raise InvalidValue(str(exc)) from None
                    if not count:
                        raise NotFound(f"{name} has no session in force with id {short}: "
                                       f"list them with `sitroom admin user sessions {name}`")
                    ended += count
            _audit_admin_action(session, "user.sessions_revoked", name, f"{ended} session(s) ended")
        print(f"ended {ended} session(s) of {name}; they never come back (the user logs in again)")
        return 0
    with db.read() as session:
        listed = sessions.list_sessions(session, name, include_ended=args.all)
    rows = [[s.id, s.username, s.client_id, s.address or "", kst_text(s.created_at),
             kst_text(s.last_seen_at), kst_text(s.ends_at), s.state] for s in listed]
    _print_table(rows, ["ID", "USER", "CONSOLE", "FROM", "STARTED", "LAST USED", "ENDS", "STATE"])
    if not rows:
        print("no sessions in force" + (f" for {name}" if name else ""))
    return 0


def _audit_admin_action(session: Any, action: str, username: str, note: str) -> None:
    """An audit entry of an admin action on a user (attributed to the OS user, see audit_chain)."""
    from console.server import audit_chain, orgs
    from console.server.sessions import wall_now
    from console.server.tables import User

    user = session.get(User, username)
    path = orgs.org_path(session, user.org_code) if user is not None else None
    audit_chain.append(session, [{"at": wall_now(), "username": "admin", "action": action,
                                  "org_path": path, "after": {"username": username}, "note": note}])


def _unlock(db: Any, args: argparse.Namespace) -> int:
    from console.server import throttle
    from console.server.sessions import wall_now

    if args.list:
        with db.read() as session:
            found = throttle.list_lockouts(session, wall_now())
        _print_table([[lock.key_kind, lock.key, lock.failures, kst_text(lock.until)] for lock in found],
                     ["KIND", "NAME OR ADDRESS", "FAILURES", "LOCKED UNTIL"])
        if not found:
            print("no lockouts in force")
        return 0
    if bool(args.username) == bool(args.address):
        raise InvalidValue("give a user name or --address (or --list)")
    kind, key = (throttle.USER, args.username) if args.username else (throttle.ADDRESS, args.address)
    with db.write() as session:
        cleared = throttle.unlock(session, kind, key)
        if cleared:
            _audit_admin_action(session, "login.unlocked", args.username or "",
                             f"{kind} {key}: failed logins and lockout cleared")
    print(f"{kind} {key}: " + ("failed logins and lockout cleared" if cleared
                               else "nothing to clear (no recent failed logins)"))
    return 0


# -- audit ------------------------------------------------------------------------------------
def _verify(db: Any, head_files: list[str]) -> int:
    from console.server import audit_chain, feed

    heads: list[audit_chain.Head] = []
    with db.read() as session:
        epoch = feed.meta(session).epoch
    for name in head_files:
        heads.extend(_read_heads(Path(name), epoch))
    with db.read_snapshot() as session:
        result = audit_chain.verify(session, heads)
    if result.ok:
        print(f"audit log intact: {result.entries} entries, the last {result.last_id} "
              f"(hash {result.last_hash})"
              + (f"; it passes through all {len(heads)} exported heads" if heads else ""))
        return 0
    print(f"audit log BROKEN at entry {result.broken_at}: {result.reason}", file=sys.stderr)
    print(f"({result.entries} entries before it are intact)", file=sys.stderr)
    return 1


def _read_heads(path: Path, epoch: str) -> list[Any]:
    from console.server.audit_chain import Head

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidValue(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError:
        raise InvalidValue(f"{path} is not a heads file written by `sitroom admin audit heads`") from None
    if not isinstance(data, dict) or data.get("format") != HEADS_FORMAT or not isinstance(
            data.get("heads"), list):
        raise InvalidValue(f"{path} is not a heads file written by `sitroom admin audit heads`")
    if data.get("server_epoch") != epoch:
        raise InvalidValue(f"{path} holds the heads of another database (epoch "
                           f"{data.get('server_epoch')}, this one is {epoch})")
    try:
        return [Head(int(h["id"]), str(h["hash"]), str(h.get("at", ""))) for h in data["heads"]]
    except (KeyError, TypeError, ValueError):
        raise InvalidValue(f"{path}: a head without a valid id and hash") from None


def _heads(db: Any, out: str | None, every: int) -> int:
    from console.server import audit_chain, feed
    from console.server.sessions import wall_now

    if every < 1:
        raise InvalidValue("--every must be at least 1")
    with db.read_snapshot() as session:
        heads = audit_chain.export_heads(session, every)
        epoch = feed.meta(session).epoch
    text = json.dumps({"format": HEADS_FORMAT, "server_epoch": epoch, "exported_at": iso(wall_now()),
                       "heads": [{"id": h.id, "hash": h.hash, "at": h.at} for h in heads]},
                      indent=1) + "\n"
    if out is None:
        sys.stdout.write(text)
        return 0
    path = Path(out)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise InvalidValue(f"cannot write {path}: {exc.strerror or exc}") from None
    last = heads[-1].id if heads else 0
    print(f"wrote {len(heads)} chain heads (up to entry {last}) to {path}: keep it off this server",
          file=sys.stderr)
    return 0


def _print_table(rows: list[list[Any]], header: list[str]) -> None:
    from console.server.admin import _print_table as print_table

    print_table(rows, header)
