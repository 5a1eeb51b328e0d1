"""`sitroom admin`: org units, users, CSV imports and duty orders on the server's database."""

from __future__ import annotations

import argparse
import getpass
import io
import os
import sys
import unicodedata
from typing import Any

from console.domain.clock import kst_text
from console.server import admin_security, cap_import

CSV_HELP = """\
CSV files are UTF-8 with a header line; columns (in any order):
  polling-stations: id, kind (election_day|early_voting), name, station_code, lat, lon,
                    district (optional), town (optional), officers_planned (optional, default 2)
  counting-stations: id, name, station_code, lat, lon, district (optional),
                    officers_planned (optional, default 30)
  routes: id, polling_station_id, counting_station_id, station_code, planned_minutes,
          officers (optional, default 2)
  units: id, callsign, type (patrol_car|local_unit|mobile_unit|mobile_patrol|investigation|
         intelligence|strike_squad|cyber), station_code, lat, lon (the home position),
         personnel (optional, default 2)
  personnel: org_code, personnel_total, personnel_on_duty (optional): sets the personnel of
             offices already added
station_code is the code of a police station (org unit of level 'station'; units may also
belong to a provincial agency); routes refer to polling and counting stations already imported.
All rows are checked first: if any is bad, every problem is listed with its line number and
nothing is imported. Ids are at most 64 characters, other values at most 256; a file is at most
64 MiB and 100,000 rows."""

PASSWORD_HELP = """\
Passwords are never given on the command line (it ends up in the shell history and the process
list). On a terminal the command asks for it twice; from a pipe or a file it reads one line of
standard input:
  printf '%s\\n' "$PASSWORD" | sitroom admin user add kim --role viewer --org S11110"""

DB_HELP = ("database URL: sqlite:////path/file.db or postgresql+psycopg://user:password@host/db "
           "(default: $SITROOM_DB, else the SQLite file `sitroom server` uses)")

ROLES = ["national_hq", "provincial_hq", "station_commander", "station_operator", "viewer"]
LEVELS = ["national", "provincial", "station"]
DUTY_LEVELS = ["level_a", "level_b", "level_c", "heightened", "readiness"]


class UserError(Exception):
    """A mistake of the person at the keyboard: printed without a traceback."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", default=None, help=DB_HELP)
    sub = parser.add_subparsers(dest="admin_command", metavar="COMMAND")

    init = sub.add_parser("init", help="create the database (or upgrade its schema)",
                          description="Create the database: a SQLite file (and its folder), or "
                                      "the schema in an empty PostgreSQL database made with "
                                      "createdb. An existing sitroom database is upgraded.")
    # Also after the command (`sitroom admin init --db URL`), as the start-up errors word it.
    init.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=DB_HELP)

    org = sub.add_parser("org", help="org units").add_subparsers(dest="org_command", metavar="ACTION")
    add = org.add_parser("add", help="add an org unit")
    add.add_argument("code", help="org code, e.g. NPA, SEOUL, S11110")
    add.add_argument("--level", required=True, choices=LEVELS)
    add.add_argument("--parent", help="parent org code (required except for the national HQ)")
    add.add_argument("--name-ko", required=True, help="Korean name")
    add.add_argument("--name-en", required=True, help="English name")
    add.add_argument("--personnel", type=int, default=0, metavar="N",
                     help="the office's total personnel: what a duty level's share mobilised "
                          "is taken of (default 0; set it, or import personnel)")
    add.add_argument("--lat", type=float)
    add.add_argument("--lon", type=float)
    add.add_argument("--jurisdiction", default="", help="comma-separated 시군구 codes")
    org.add_parser("list", help="list org units")

    user = sub.add_parser("user", help="user accounts", description=PASSWORD_HELP,
                          formatter_class=argparse.RawDescriptionHelpFormatter,
                          ).add_subparsers(dest="user_command", metavar="ACTION")
    uadd = user.add_parser("add", help="add a user (password asked, or read from a pipe)",
                           description=PASSWORD_HELP,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    uadd.add_argument("username")
    uadd.add_argument("--role", required=True, choices=ROLES)
    uadd.add_argument("--org", required=True, help="org code of the user's office")
    uadd.add_argument("--name", help="display name (default: the user name)")
    uadd.add_argument("--password", dest="password_argument", help=argparse.SUPPRESS)
    user.add_parser("list", help="list users")
    reset = user.add_parser("reset-password", help="set a new password (ends the user's sessions)",
                            description=PASSWORD_HELP,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    reset.add_argument("username")
    reset.add_argument("--password", dest="password_argument", help=argparse.SUPPRESS)
    for action, text in (("deactivate", "block a user from logging in"), ("activate", "unblock a user")):
        user.add_parser(action, help=text).add_argument("username")
    admin_security.add_user_actions(user)  # user sessions, user unlock

    imp = sub.add_parser("import", help="import sites, routes, units and personnel from CSV, "
                                        "or an outside agency's CAP alert (cap FILE|URL)",
                         description=CSV_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    imp.add_argument("what", choices=["polling-stations", "counting-stations", "routes", "units",
                                      "personnel", "cap"])
    imp.add_argument("file", metavar="FILE.csv", help="a CSV file; for cap, a CAP 1.2 file or URL")
    cap_import.add_arguments(imp)

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
    admin_security.add_commands(sub)  # audit verify, audit heads
    parser.epilog = CSV_HELP
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


MAX_PASSWORD_BYTES = 1024
PASSWORD_TRIES = 3


def password_policy() -> str:
    """What a password must be, shown before the prompt (console.server.auth keeps the policy)."""
    from console.server import auth

    return auth.password_policy_text()


def _password(username: str, on_command_line: str | None) -> str:
    if on_command_line is not None:
        raise UserError("a password on the command line ends up in the shell history and the "
                        "process list, so --password is not taken: leave it out to be asked, "
                        "or pipe the password on standard input "
                        "(printf '%s\\n' \"$PASSWORD\" | sitroom admin user ...)")
    if not sys.stdin.isatty():
        return _password_from_stdin()
    from console.server import auth

    print(password_policy(), file=sys.stderr)
    refusal: str | None = None
    for _ in range(PASSWORD_TRIES):
        first = getpass.getpass(f"Password for {username}: ")
        # Said at once, so that the person chooses again here rather than after repeating it.
        refusal = auth.check_password(first, username)
        if refusal is None:
            break
        print(f"  {refusal}", file=sys.stderr)
    else:
        raise UserError(f"no password the policy accepts after {PASSWORD_TRIES} tries ({refusal})")
    second = getpass.getpass(f"Repeat the password for {username}: ")
    if first != second:
        raise UserError("the passwords do not match")
    return first


def _password_from_stdin() -> str:
    """One line of standard input, read byte by byte so that a script can pipe one password per
    command into a sequence of commands sharing its standard input."""
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):
        line = sys.stdin.readline(MAX_PASSWORD_BYTES + 2)  # a replaced stdin (tests)
    else:
        raw = bytearray()
        while len(raw) <= MAX_PASSWORD_BYTES:
            byte = os.read(fd, 1)
            if not byte or byte == b"\n":
                break
            raw += byte
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UserError("the password on standard input is not UTF-8 text") from None
    password = line.rstrip("\r\n")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise UserError(f"the password on standard input is longer than {MAX_PASSWORD_BYTES} bytes")
    if not password:
        raise UserError("no password on standard input: pipe one line holding it, or run the "
                        f"command on a terminal to be asked. {password_policy()}")
    return password


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
        print("sitroom admin: give a command: init, org, user, import, order, feed, audit (see --help)",
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
    from console.server.startup import database_url, init_command, open_database

    return open_database(database_url(args.db), create=create,
                         how_to_create=init_command(args.db))


def _run(args: argparse.Namespace, command: str) -> int:
    from console.server import feed, operations
    from console.server.database import Database, redact

    db: Database = _open(args, create=command == "init")
    db.audit_os_user = admin_security.os_user()  # audit entries name who ran the command
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
                print(f"added {args.level} unit {args.code} at {row.org_path} "
                      f"({args.personnel} personnel)")
                if args.personnel == 0 and args.level != "national":
                    print(f"note: {args.code} has no personnel, so a duty level's share reads "
                          "0 of 0: give --personnel, or `sitroom admin import personnel FILE.csv`",
                          file=sys.stderr)
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
        if command == "import" and args.what == "cap":
            return cap_import.run(db, args)
        if command == "import":
            with db.write() as session:
                if args.what == "personnel":
                    result = operations.import_personnel(session, args.file)
                else:
                    result = operations.import_csv(session, args.what, args.file)
            done = "set the personnel of" if args.what == "personnel" else "imported"
            what = "offices" if args.what == "personnel" else args.what
            print(f"{done} {result.count} {what} from {args.file}"
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
        if command in admin_security.COMMANDS:
            return admin_security.run(db, args)
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
    if action in admin_security.USER_ACTIONS:
        return admin_security.run_user(db, args)
    if action == "add":
        password = _password(args.username, args.password_argument)
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
        password = _password(args.username, args.password_argument)
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
