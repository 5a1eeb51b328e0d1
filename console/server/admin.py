"""`sitroom admin`: org units, users, CSV imports and duty orders on the server's database."""

from __future__ import annotations

import argparse
import getpass
import sys
import unicodedata
from typing import Any

from console.domain.clock import kst_text

CSV_HELP = """\
CSV files are UTF-8 with a header line; columns (in any order):
  polling-stations: id, kind (election_day|early_voting), name, station_code, lat, lon,
                    district (optional), town (optional), officers_planned (optional, default 2)
  counting-stations: id, name, station_code, lat, lon, district (optional),
                    officers_planned (optional, default 30)
  routes: id, polling_station_id, counting_station_id, station_code, planned_minutes,
          officers (optional, default 2)
station_code is the code of a police station (org unit of level 'station'); routes refer to
polling and counting stations already imported. All rows are checked first: if any is bad,
every problem is listed with its line number and nothing is imported."""

ROLES = ["national_hq", "provincial_hq", "station_commander", "station_operator", "viewer"]
LEVELS = ["national", "provincial", "station"]
DUTY_LEVELS = ["level_a", "level_b", "level_c", "heightened", "readiness"]


class UserError(Exception):
    """A mistake of the person at the keyboard: printed without a traceback."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", default=None,
                        help="database URL (default: the SQLite file `sitroom server` uses)")
    sub = parser.add_subparsers(dest="admin_command", metavar="COMMAND")

    sub.add_parser("init", help="create or upgrade the database schema")

    org = sub.add_parser("org", help="org units").add_subparsers(dest="org_command", metavar="ACTION")
    add = org.add_parser("add", help="add an org unit")
    add.add_argument("code", help="org code, e.g. NPA, SEOUL, S11110")
    add.add_argument("--level", required=True, choices=LEVELS)
    add.add_argument("--parent", help="parent org code (required except for the national HQ)")
    add.add_argument("--name-ko", required=True, help="Korean name")
    add.add_argument("--name-en", required=True, help="English name")
    add.add_argument("--personnel", type=int, default=0, help="total personnel")
    add.add_argument("--lat", type=float)
    add.add_argument("--lon", type=float)
    add.add_argument("--jurisdiction", default="", help="comma-separated 시군구 codes")
    org.add_parser("list", help="list org units")

    user = sub.add_parser("user", help="user accounts").add_subparsers(dest="user_command", metavar="ACTION")
    uadd = user.add_parser("add", help="add a user")
    uadd.add_argument("username")
    uadd.add_argument("--role", required=True, choices=ROLES)
    uadd.add_argument("--org", required=True, help="org code of the user's office")
    uadd.add_argument("--name", help="display name (default: the user name)")
    uadd.add_argument("--password", help="password (prompted twice if omitted)")
    user.add_parser("list", help="list users")
    reset = user.add_parser("reset-password", help="set a new password (ends the user's sessions)")
    reset.add_argument("username")
    reset.add_argument("--password", help="new password (prompted twice if omitted)")
    for action, text in (("deactivate", "block a user from logging in"), ("activate", "unblock a user")):
        user.add_parser(action, help=text).add_argument("username")

    imp = sub.add_parser("import", help="import election sites from CSV",
                         description=CSV_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    imp.add_argument("what", choices=["polling-stations", "counting-stations", "routes"])
    imp.add_argument("file", metavar="FILE.csv")

    order = sub.add_parser("order", help="duty orders").add_subparsers(dest="order_command", metavar="ACTION")
    issue = order.add_parser("issue", help="issue a duty order to offices below the issuer")
    issue.add_argument("--level", required=True, choices=DUTY_LEVELS)
    issue.add_argument("--targets", required=True, help="comma-separated org codes, e.g. S11110,S11140")
    issue.add_argument("--from", dest="effective_from", required=True, metavar="ISO",
                       help="effective from, e.g. 2025-06-03T06:00:00+09:00")
    issue.add_argument("--until", dest="effective_until", metavar="ISO", help="effective until")
    issue.add_argument("--issuer", required=True, help="org code of the issuing office (HQ or province)")
    issue.add_argument("--reason", default="", help="the reason as written (Korean)")
    issue.add_argument("--reason-en", dest="reason_en", default="",
                       help="the reason in English, for English consoles (optional)")
    issue.add_argument("--by", default="admin", help="name recorded as the issuer (default admin)")
    feed_cmd = sub.add_parser("feed", help="the change feed").add_subparsers(dest="feed_command",
                                                                             metavar="ACTION")
    feed_cmd.add_parser("status", help="feed head, retained floor, epoch and row counts")
    prune = feed_cmd.add_parser("prune", help="drop old feed entries (consoles behind them re-snapshot)")
    prune.add_argument("--below", type=int, required=True, metavar="SEQ",
                       help="drop entries with a seq below SEQ")
    parser.epilog = CSV_HELP
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def _password(given: str | None) -> str:
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise UserError("no terminal to ask for a password: give --password")
    first = getpass.getpass("Password: ")
    second = getpass.getpass("Repeat password: ")
    if first != second:
        raise UserError("the passwords do not match")
    return first


def _width(text: str) -> int:
    # Hangul and other wide characters take two terminal columns.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _print_table(rows: list[list[Any]], header: list[str]) -> None:
    cells = [header, *[[("" if v is None else str(v)) for v in r] for r in rows]]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(header))]
    for r in cells:
        print("  ".join(v + " " * (w - _width(v)) for v, w in zip(r, widths, strict=True)).rstrip())


def run(args: argparse.Namespace) -> int:
    from console.domain.errors import DomainError
    from console.server.csv_import import ImportRejected
    from console.server.database import StartupError

    command = getattr(args, "admin_command", None)
    if not command:
        print("sitroom admin: give a command: init, org, user, import, order, feed (see --help)",
              file=sys.stderr)
        return 2
    try:
        return _run(args, command)
    except ImportRejected as exc:
        print(f"sitroom admin: error: {exc.message}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {exc.path}: {problem}", file=sys.stderr)
        return 1
    except (DomainError, UserError, StartupError) as exc:
        message = exc.message if isinstance(exc, DomainError) else str(exc)
        print(f"sitroom admin: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _open(args: argparse.Namespace, create: bool) -> Any:
    from pathlib import Path

    from console.server.database import Database, default_sqlite_url, redact

    url = args.db or default_sqlite_url()
    db = Database(url)
    if db.kind == "sqlite" and not create and not Path(db.url.database or "").expanduser().exists():
        raise UserError(f"no database at {redact(url)}; create it with `sitroom admin init`")
    db.upgrade()
    return db


def _run(args: argparse.Namespace, command: str) -> int:
    from console.server import feed, operations
    from console.server.database import Database, redact

    db: Database = _open(args, create=command == "init")
    try:
        if command == "init":
            with db.read() as session:
                info = feed.meta(session)
                print(f"database ready: {redact(db.url)} (epoch {info.epoch}, feed head "
                      f"{feed.head(session)})")
            return 0
        if command == "org":
            if args.org_command == "add":
                with db.write() as session:
                    row = operations.create_org_unit(
                        session, args.code, args.level, args.name_ko, args.name_en, args.parent,
                        jurisdiction=[c for c in args.jurisdiction.split(",") if c.strip()],
                        personnel_total=args.personnel, lat=args.lat, lon=args.lon)
                print(f"added {args.level} unit {args.code} at {row.org_path}")
                return 0
            if args.org_command == "list":
                with db.read() as session:
                    units = operations.list_org_units(session)
                _print_table([[u["path"], u["code"], u["level"], u["name_ko"], u["name_en"],
                               u["personnel_total"]] for u in units],
                             ["PATH", "CODE", "LEVEL", "NAME_KO", "NAME_EN", "PERSONNEL"])
                return 0
            raise UserError("org: give add or list")
        if command == "user":
            return _user(db, args)
        if command == "import":
            with db.write() as session:
                result = operations.import_csv(session, args.what, args.file)
            print(f"imported {result.count} {args.what} from {args.file}"
                  + (f" (feed {result.first_seq}-{result.last_seq})" if result.count else ""))
            return 0
        if command == "order":
            if args.order_command != "issue":
                raise UserError("order: give issue")
            targets = [t.strip() for t in args.targets.split(",") if t.strip()]
            with db.write() as session:
                row = operations.issue_duty_order(
                    session, args.issuer, args.level, targets, args.effective_from,
                    args.effective_until, args.reason, by=args.by, reason_en=args.reason_en)
            print(f"issued duty order {row.id}: {args.level} for {', '.join(targets)} "
                  f"from {kst_text(args.effective_from)}"
                  + (f" until {kst_text(args.effective_until)}" if args.effective_until else ""))
            return 0
        if command == "feed":
            return _feed(db, args)
        raise UserError(f"unknown command {command}")
    finally:
        db.dispose()


def _feed(db: Any, args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from console.server import feed
    from console.server.tables import RowRecord

    if args.feed_command == "status":
        with db.read() as session:
            info = feed.meta(session)
            counts = session.execute(select(RowRecord.kind, func.count()).group_by(RowRecord.kind)
                                     .order_by(RowRecord.kind)).all()
            print(f"epoch {info.epoch}, feed head {feed.head(session)}, retained above {info.feed_floor}")
        for kind, count in counts:
            print(f"  {kind}: {count} rows")
        return 0
    if args.feed_command == "prune":
        with db.write() as session:
            dropped = feed.prune(session, args.below)
            floor = feed.meta(session).feed_floor
        print(f"dropped {dropped} feed entries; consoles with a cursor below {floor} will re-snapshot")
        return 0
    raise UserError("feed: give status or prune")


def _user(db: Any, args: argparse.Namespace) -> int:
    from console.server import operations

    action = args.user_command
    if action == "add":
        password = _password(args.password)
        with db.write() as session:
            operations.create_user(session, args.username, password, args.role, args.org,
                                   args.name)
        print(f"added user {args.username} ({args.role} at {args.org})")
        return 0
    if action == "list":
        with db.read() as session:
            users = operations.list_users(session)
            rows = [[u.username, u.display_name, u.role, u.org_code, "yes" if u.active else "no"]
                    for u in users]
        _print_table(rows, ["USERNAME", "NAME", "ROLE", "ORG", "ACTIVE"])
        return 0
    if action == "reset-password":
        password = _password(args.password)
        with db.write() as session:
            operations.reset_password(session, args.username, password)
        print(f"password of {args.username} changed; their sessions were ended")
        return 0
    if action in ("activate", "deactivate"):
        with db.write() as session:
            operations.set_user_active(session, args.username, action == "activate")
        print(f"user {args.username} {action}d")
        return 0
    raise UserError("user: give add, list, reset-password, activate or deactivate")
