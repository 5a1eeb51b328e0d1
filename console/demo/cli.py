"""`sitroom demo`: an embedded server seeded with a national election, the live simulator playing
election day or an early-voting day, and the console logged in as a chosen role. Qt and the
server are imported only inside run()."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from datetime import time as dtime
from pathlib import Path
from typing import TYPE_CHECKING

from console.domain.clock import kst_text

if TYPE_CHECKING:
    from console.demo.scenario import DemoDay

ROLES = ("commander", "operator", "viewer", "provincial", "national")
DAYS = ("early1", "early2", "election")  # the values of scenario.DemoDay


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--station", default="S11110", metavar="CODE",
                        help="the station the demo user works at (default S11110, 종로경찰서)")
    parser.add_argument("--role", choices=ROLES, default="commander",
                        help="log in as this role (default: the station commander)")
    parser.add_argument("--speed", type=_positive, default=144.0, metavar="X",
                        help="scenario seconds per real second (default 144: a day in 10 minutes)")
    parser.add_argument("--seed", type=int, default=1, metavar="N", help="scenario seed (default 1)")
    parser.add_argument("--day", choices=DAYS, metavar="{early1,early2,election}",
                        help="the day to play: early1 or early2, the early-voting days (29 and 30 May "
                             "2025: early-voting stations open 06:00-18:00, Level B), or election "
                             "(3 June 2025: polling stations open 06:00-20:00, Level A; the default)")
    parser.add_argument("--start", default="05:30", metavar="HH:MM",
                        help="scenario time (KST) on the day to start at (default 05:30), or an ISO "
                             "date-time on one of the demo's days, which then picks the day")
    parser.add_argument("--lang", choices=("ko", "en"), help="console language")
    parser.add_argument("--theme", choices=("dark", "light"), help="console colour theme")
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="keep the server database and console profile here (default: a temporary "
                             "directory removed on exit)")
    parser.add_argument("--screenshot", type=Path, metavar="PATH",
                        help="render the console window to this PNG after --quit-after seconds, then exit")
    parser.add_argument("--screenshot-panels", action="store_true",
                        help="with --screenshot, also write each panel (those behind a tab too) to "
                             "PATH-<panel>.png")
    parser.add_argument("--quit-after", type=float, metavar="SECONDS",
                        help="exit after this many seconds (default with --screenshot: 20)")
    parser.add_argument("--no-console", action="store_true",
                        help="run only the server and the simulator (until Ctrl-C or --quit-after)")


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive number")
    return value


def parse_start(text: str, day: str | None = None) -> tuple[DemoDay, datetime]:
    """The day to play and the scenario time to start at, from --start and --day: HH:MM is a time
    on `day` (default election day); an ISO date-time names its own day."""
    from console.demo.scenario import KST, DemoDay

    demo_days = ", ".join(f"{d.calendar_date.isoformat()} ({d.value})" for d in DemoDay)
    try:
        if "T" in text:
            parsed = datetime.fromisoformat(text)
            start = parsed if parsed.tzinfo else parsed.replace(tzinfo=KST)
            on = DemoDay.at(start)
            if on is None:
                raise SystemExit(f"--start: {text} is on none of the demo's days: {demo_days}")
            if day is not None and on != DemoDay(day):
                raise SystemExit(f"--start: {text} is on {on.value} ({on.calendar_date.isoformat()}), "
                                 f"not on --day {day}")
            return on, start
        chosen = DemoDay(day or DemoDay.ELECTION)
        hour, minute = (int(x) for x in text.split(":"))
        return chosen, datetime.combine(chosen.calendar_date, dtime(hour, minute), KST)
    except ValueError:
        raise SystemExit(f"--start: give HH:MM (KST, on the --day) or an ISO date-time, "
                         f"not {text!r}") from None


def day_summary(day: DemoDay) -> str:
    """One line on what the day plays, printed at start."""
    when = f"{day.calendar_date:%a %d %b %Y}"
    if day.early_voting:
        return (f"{day.label}, {when}: early-voting stations (one per town) open 06:00-18:00, "
                f"polling stations closed; Level B for early voting; no ballot boxes move")
    return (f"{day.label}, {when}: polling stations open 06:00-20:00; Level A from 06:00; "
            f"ballot boxes to the counting stations after 20:00")


def run(args: argparse.Namespace) -> int:
    from console.demo.scenario import DEMO_PASSWORD, default_clock_start, username_for
    from console.demo.session import start_demo

    day, clock_start = parse_start(args.start, args.day)
    data_dir: Path | None = args.data_dir
    temp_root = Path(tempfile.mkdtemp(prefix="sitroom-demo-")) if data_dir is None else None
    base = data_dir or temp_root
    assert base is not None
    print("Preparing the demo election (scenario, server, simulator)...", flush=True)
    if clock_start > default_clock_start(day):
        print(f"A late start: the day is played from 05:30 up to {kst_text(clock_start)} first, so "
              f"everything is as a day played from 05:30 would have it.", flush=True)
    started = time.perf_counter()
    try:
        session = start_demo(seed=args.seed, focus_station=args.station.upper(), clock_start=clock_start,
                             speed=args.speed, data_dir=base / "server", day=day,
                             progress=_progress(clock_start))
    except KeyError as exc:
        print(f"unknown station {exc}: give a code such as S11110 (종로) or S26350 (해운대)", file=sys.stderr)
        if temp_root is not None:
            import shutil

            shutil.rmtree(temp_root, ignore_errors=True)
        return 2
    sc = session.scenario
    station = sc.org(args.station.upper())
    province = sc.province_of(station.code)
    username = username_for(args.role, station.code, province)
    counts = sc.counts()
    print(f"Scenario seed {args.seed}: {counts['provinces']} provincial agencies, {counts['stations']} "
          f"stations, {counts['polling_stations']:,} polling stations, {counts['early_voting_stations']:,} "
          f"early-voting stations, {counts['counting_stations']} counting stations, {counts['routes']:,} "
          f"routes, {counts['units']:,} units.")
    print(f"Built in {session.build_seconds:.1f} s; seeded {session.seed_report.rows:,} rows and "
          f"{session.seed_report.users:,} users in {session.seed_report.seconds:.1f} s; ready after "
          f"{time.perf_counter() - started:.1f} s.")
    print(f"Day: {day_summary(day)}.")
    print(f"Server: {session.url}   scenario clock: {kst_text(clock_start)} at {args.speed:g}x")
    print(f"Demo users (password for all: {DEMO_PASSWORD}):")
    for role, name in (("national HQ", "hq"), ("provincial HQ", f"{(province or '').lower()}-hq"),
                       ("station commander", f"{station.code.lower()}-cmd"),
                       ("station operator", f"{station.code.lower()}-op"),
                       ("viewer", f"{station.code.lower()}-view")):
        print(f"  {role:<18} {name}")
    print("  (every station has <code>-cmd, <code>-op and <code>-view; every province <code>-hq)")
    try:
        if args.no_console:
            print("Running the server and the simulator only (Ctrl-C to stop).", flush=True)
            return _wait(args.quit_after)
        office = {"national": "경찰청 / National Police Agency",
                  "provincial": f"{province} provincial agency"}.get(args.role,
                                                                     f"{station.name_ko} / {station.name_en}")
        print(f"Opening the console as {username} ({office})", flush=True)
        if args.screenshot and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from console.ui.launcher import ConsoleOptions, run_console

        quit_after = args.quit_after if args.quit_after is not None else (20.0 if args.screenshot else None)
        return run_console(ConsoleOptions(
            server=session.url, user=username, password=DEMO_PASSWORD, lang=args.lang,
            theme=args.theme, profile_dir=base / "console", screenshot=args.screenshot,
            screenshot_panels=args.screenshot_panels, quit_after=quit_after,
        ))
    finally:
        stats = session.stop()
        print(f"Simulator: {stats.get('pushed', 0):,} mutations pushed {stats.get('by_status', {})}, "
              f"{stats.get('incidents_created', 0)} incidents, {stats.get('error_count', 0)} errors, "
              f"scenario time {kst_text(str(stats['now'])) if stats.get('now') else 'not started'}",
              flush=True)
        if temp_root is not None:
            import shutil

            shutil.rmtree(temp_root, ignore_errors=True)


def _progress(start: datetime) -> Callable[[datetime], None]:
    """Prints the scenario time a late start's catch-up has reached, every two seconds."""
    last = [0.0]

    def progress(reached: datetime) -> None:
        if time.monotonic() - last[0] >= 2.0:
            last[0] = time.monotonic()
            print(f"  ... {kst_text(reached)} of {kst_text(start)}", flush=True)
    return progress


def _wait(seconds: float | None) -> int:
    try:
        if seconds is None:
            while True:
                time.sleep(3600)
        time.sleep(seconds)
    except KeyboardInterrupt:
        pass
    return 0
