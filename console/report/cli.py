"""`sitroom report`: an office's situation report at a moment, as a PDF, straight from a server
database (no console, no HTTP): the office's scope is loaded into a temporary replica as a
first sync would load it, the report is built by the panels' read models and painted by Qt
offscreen. Qt and the server are imported only inside run()."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import tempfile
from datetime import datetime, time
from pathlib import Path

from console.domain.clock import OPERATION_TZ, in_operation_zone, kst_text, now_utc
from console.domain.election import ELECTION_2025


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--office", required=True, metavar="CODE",
                        help="the office to report on: a station (S11110), a provincial agency (SEOUL) or "
                             "the national HQ (NPA)")
    parser.add_argument("--at", metavar="TIME",
                        help="the moment of the report in Korean time: YYYY-MM-DDTHH:MM, or HH:MM on "
                             f"election day ({ELECTION_2025.election_day.isoformat()}); default: now")
    parser.add_argument("--since", metavar="TIME",
                        help="list significant events after this moment (the last report), same forms as "
                             "--at; default: 06:00 of the operation day")
    parser.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help="the PDF to write")
    parser.add_argument("--db", metavar="URL", default=None,
                        help="the server database (default: $SITROOM_DB, else the SQLite file `sitroom "
                             "server` uses)")
    parser.add_argument("--author", default=None, help="the author's name on the report (default: your "
                                                       "login name)")
    parser.add_argument("--remarks", default="", help="the commander's remarks (or --remarks-file)")
    parser.add_argument("--remarks-file", type=Path, metavar="FILE",
                        help="read the remarks from a UTF-8 file")
    parser.add_argument("--lang", choices=("ko", "en"), default="ko",
                        help="the report's language (default ko)")


def parse_moment(text: str, option: str = "--at") -> datetime:
    """'2025-06-03T10:00' (KST unless it names its zone) or '10:00' on election day."""
    try:
        if "T" in text or "-" in text:
            parsed = datetime.fromisoformat(text)
            return in_operation_zone(parsed if parsed.tzinfo else parsed.replace(tzinfo=OPERATION_TZ))
        hour, minute = (int(x) for x in text.split(":"))
        return datetime.combine(ELECTION_2025.election_day, time(hour, minute), OPERATION_TZ)
    except ValueError:
        raise SystemExit(f"{option}: give YYYY-MM-DDTHH:MM or HH:MM (Korean time), not {text!r}") from None


def _remarks(args: argparse.Namespace) -> str:
    if args.remarks_file is None:
        return str(args.remarks)
    try:
        return Path(args.remarks_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SystemExit(f"--remarks-file: cannot read {args.remarks_file}: {exc}") from None


def run(args: argparse.Namespace) -> int:
    at = parse_moment(args.at) if args.at else in_operation_zone(now_utc())
    since = parse_moment(args.since, "--since") if args.since else None
    if since is not None and since >= at:
        print(f"--since ({kst_text(since)}) must be before --at ({kst_text(at)})", file=sys.stderr)
        return 2
    out: Path = args.out
    if out.suffix.lower() != ".pdf":
        print(f"--out: give a .pdf file name, not {out}", file=sys.stderr)
        return 2
    if not out.parent.expanduser().is_dir():
        print(f"--out: the folder {out.parent} does not exist", file=sys.stderr)
        return 2
    remarks = _remarks(args)
    from console.server.database import default_sqlite_url

    db_url = args.db or os.environ.get("SITROOM_DB") or default_sqlite_url()
    return make_report(db_url, args.office.strip(), at, out.expanduser(), since=since, remarks=remarks,
                       author=args.author or getpass.getuser(), lang=args.lang)


def make_report(db_url: str, office: str, at: datetime, out: Path, *, since: datetime | None, remarks: str,
                author: str, lang: str) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from console.report.replica_from_server import LoadError, load_office
    from console.ui.i18n import LanguageSwitcher
    from console.ui.qt import QApplication
    from console.ui.report_pdf import write_pdf
    from console.views.sitrep import ReportError, build_situation_report

    app = QApplication.instance() or QApplication(["sitroom-report"])
    languages = LanguageSwitcher()  # held: its translator is removed when it goes
    languages.set_language(lang)
    try:
        with tempfile.TemporaryDirectory(prefix="sitroom-report-") as tmp:
            try:
                loaded = load_office(db_url, office, Path(tmp) / "replica.sqlite3")
            except LoadError as exc:
                print(f"sitroom report: {exc}", file=sys.stderr)
                return 2
            try:
                report = build_situation_report(loaded.replica, office, at, author=author, remarks=remarks,
                                                since=since, made_at=at, data_as_of=at)
                printed = write_pdf(report, out)
            except ReportError as exc:
                print(f"sitroom report: {exc}", file=sys.stderr)
                return 2
            except OSError as exc:
                print(f"sitroom report: cannot write {out}: {exc}", file=sys.stderr)
                return 1
            finally:
                loaded.replica.close()
    finally:
        languages.remove()  # the process (a test, say) goes on in its own language
    del app, languages
    print(f"{out}: situation report of {report.office.name(lang == 'ko')} at {kst_text(at)}, "
          f"{printed.pages} pages ({loaded.rows:,} rows of the office's scope)")
    return 0
