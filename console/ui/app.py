"""`sitroom console`: the station console. Qt is imported only inside run()."""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", metavar="URL", help="central server, e.g. http://127.0.0.1:8470 "
                        "(default: the last one used)")
    parser.add_argument("--ca-file", metavar="FILE", type=Path,
                        help="the station CA file (PEM) for an https:// server: the console trusts only "
                             "the certificates it signed (default: the one last used with that server)")
    parser.add_argument("--user", metavar="NAME", help="user name to log in with (the dialog is pre-filled)")
    parser.add_argument("--password", metavar="PASSWORD",
                        help="log in without asking (for demos; prefer the SITROOM_PASSWORD variable)")
    parser.add_argument("--lang", choices=("ko", "en"), help="language (default: the last used, else the "
                        "system locale)")
    parser.add_argument("--theme", choices=("dark", "light"), help="colour theme (default: the last used, "
                        "else dark)")
    parser.add_argument("--profile-dir", metavar="DIR", type=Path,
                        help="where replicas and settings live (default: the per-user data directory)")
    parser.add_argument("--screenshot", metavar="PATH", type=Path,
                        help="render the window to this PNG after --quit-after seconds, then exit")
    parser.add_argument("--screenshot-panels", action="store_true",
                        help="with --screenshot, also write each panel (those behind a tab too) to "
                             "PATH-<panel>.png")
    parser.add_argument("--quit-after", metavar="SECONDS", type=float,
                        help="exit after this many seconds (default with --screenshot: 5)")


def run(args: argparse.Namespace) -> int:
    if args.screenshot and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from console.ui.launcher import ConsoleOptions, run_console

    return run_console(ConsoleOptions(
        server=args.server, ca_file=args.ca_file, user=args.user,
        password=args.password or os.environ.get("SITROOM_PASSWORD") or None,
        lang=args.lang, theme=args.theme, profile_dir=args.profile_dir,
        screenshot=args.screenshot, screenshot_panels=args.screenshot_panels,
        quit_after=args.quit_after if args.quit_after is not None else (5.0 if args.screenshot else None),
    ))


if __name__ == "__main__":  # python -m console.ui.app ... (same as `sitroom console ...`)
    import sys

    _parser = argparse.ArgumentParser(prog="sitroom console")
    add_arguments(_parser)
    sys.exit(run(_parser.parse_args()))
