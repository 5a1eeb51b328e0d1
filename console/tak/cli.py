"""`sitroom tak`: a headless console that bridges its scope to a TAK server (Cursor-on-Target).

It logs in to the sitroom server like a console (its own replica and outbox, kept in its own
profile so it never shares a console's), publishes units and open incidents to the TAK server,
and moves units from their field devices' position reports.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

if TYPE_CHECKING:
    from console.tak.bridge import TakBridge

MAX_PASSWORD_CHARS = 1024


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", metavar="URL", required=True,
                        help="the TAK server: tcp://HOST:PORT, or tls://HOST:PORT with --cert")
    parser.add_argument("--sitroom", metavar="URL", required=True,
                        help="the sitroom server, e.g. https://sitroom.station.local:8470")
    parser.add_argument("--ca-file", metavar="FILE", type=Path,
                        help="the station CA (PEM) for an https:// sitroom server, as a console's")
    parser.add_argument("--user", metavar="NAME", required=True,
                        help="the sitroom user the bridge acts as (a station operator, say); the password "
                             "comes from SITROOM_PASSWORD, else the terminal, else one line on stdin")
    parser.add_argument("--cert", metavar="FILE", help="the client certificate the TAK server requires "
                        "(PEM, or a .p12 with --key-password)")
    parser.add_argument("--key", metavar="FILE", help="the client certificate's private key (PEM)")
    parser.add_argument("--key-password", metavar="TEXT",
                        help="the password of the key or .p12 (prefer SITROOM_TAK_KEY_PASSWORD)")
    parser.add_argument("--tak-ca", metavar="FILE", help="the CA that signed the TAK server's certificate")
    parser.add_argument("--no-hostname-check", action="store_true",
                        help="accept a TAK server certificate made out for another name (still signed "
                             "by --tak-ca)")
    parser.add_argument("--profile-dir", metavar="DIR", type=Path,
                        help="where the bridge's replica lives (default: the per-user data directory's "
                             "tak/ folder)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every connection and position")


def read_password(username: str) -> str:
    """SITROOM_PASSWORD, else asked on the terminal, else one line of stdin (a service's secret)."""
    from_env = os.environ.get("SITROOM_PASSWORD")
    if from_env:
        return from_env
    if sys.stdin.isatty():
        return getpass.getpass(f"Password for {username}: ")
    line = sys.stdin.readline(MAX_PASSWORD_CHARS + 2)
    return line.rstrip("\r\n")


def run(args: argparse.Namespace) -> int:
    from console.replica import Replica, replica_path
    from console.sync import SyncEngine
    from console.sync.engine import LoginFailed
    from console.sync.events import Connectivity
    from console.tak.bridge import TakBridge, TakSettings, TakSettingsError
    from console.tak.positions import PositionInbox

    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(message)s")
    try:
        settings = TakSettings(args.server, cert_file=args.cert, key_file=args.key, ca_file=args.tak_ca,
                               key_password=args.key_password or os.environ.get("SITROOM_TAK_KEY_PASSWORD"),
                               check_hostname=not args.no_hostname_check)
    except TakSettingsError as exc:
        print(f"sitroom tak: {exc}", file=sys.stderr)
        return 2
    for name in ("cert", "key", "tak_ca", "ca_file"):
        value = getattr(args, name)
        if value and not Path(value).is_file():
            print(f"sitroom tak: --{name.replace('_', '-')} {value}: no such file", file=sys.stderr)
            return 2
    password = read_password(args.user)
    if not password:
        print("sitroom tak: no password given", file=sys.stderr)
        return 2
    base = args.profile_dir or Path(platformdirs.user_data_dir("sitroom")) / "tak"
    path = replica_path(args.sitroom, args.user, base)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    replica = Replica(path)
    engine = SyncEngine(args.sitroom, replica, ca_file=str(args.ca_file) if args.ca_file else None)
    try:
        try:
            result = engine.login(args.user, password)
        except LoginFailed as exc:
            print(f"sitroom tak: login to {args.sitroom} as {args.user} failed: {exc}", file=sys.stderr)
            return 1
        del password
        print(f"sitroom tak: {args.user} ({result.user.org_code}) logged in"
              f"{' offline' if result.offline else ''}; bridging to {args.server}", file=sys.stderr)
        engine.start()
        # offline, positions wait in the inbox (latest per unit), not in the outbox
        inbox = PositionInbox(replica, online=lambda: engine.state.connectivity is not Connectivity.OFFLINE)
        bridge = TakBridge(replica, settings, inbox)
        asyncio.run(_serve(bridge))
        return 0
    finally:
        engine.close()
        replica.close()


async def _serve(bridge: TakBridge) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await bridge.run(stop)
