"""`sitroom server`: run the central server (HTTP API + change feed) in the foreground."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from typing import Any

DEFAULT_PORT = 8470


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", default=None,
                        help="database URL: sqlite:////path/file.db or "
                             "postgresql+psycopg://user:password@host/dbname "
                             "(default: $SITROOM_DB, else a SQLite file in the user data folder); "
                             "it must exist: create it with `sitroom admin init`")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; 0.0.0.0 for all)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})")
    parser.add_argument("--log-level", default="info",
                        choices=["debug", "info", "warning", "error"], help="log level (default info)")
    parser.add_argument("--clock-start", metavar="ISO", default=None,
                        help="scenario clock start, e.g. 2025-06-03T05:30:00+09:00 (default: real time)")
    parser.add_argument("--clock-speed", metavar="X", type=float, default=1.0,
                        help="scenario seconds per real second (default 1)")
    parser.add_argument("--escalation-interval", metavar="SECONDS", type=float, default=5.0,
                        help="seconds between checks for unacknowledged incidents; 0 turns it off")
    parser.add_argument("--tls-cert", metavar="FILE", default=None,
                        help="serve HTTPS with this certificate (PEM; the server's certificate first, "
                             "then any intermediate CA); needs --tls-key")
    parser.add_argument("--tls-key", metavar="FILE", default=None,
                        help="the private key of --tls-cert (PEM, no passphrase, readable only by "
                             "the server's user)")
    parser.add_argument("--session-hours", metavar="H", type=float, default=None,
                        help="login sessions expire after this many hours (default 12, or the "
                             "settings file's [sessions] lifetime_hours)")
    parser.add_argument("--config", metavar="FILE", default=None,
                        help="settings file (TOML): request limits, sessions, login lockout "
                             "(default: $SITROOM_CONFIG if set; every key and its default: "
                             "packaging/sitroom-server.toml)")
    parser.add_argument("--workers", metavar="N", type=int, default=1,
                        help="server processes on this port (default 1); more than 1 needs "
                             "PostgreSQL (they share nothing but the database)")
    parser.add_argument("--trusted-proxy", metavar="ADDRESS", action="append", default=[],
                        help="a load balancer (address or network, e.g. 10.1.2.3 or 10.1.2.0/24) "
                             "whose X-Forwarded-For names the console's address (the login "
                             "throttle counts per address); repeat for several. Without it the "
                             "header is ignored")
    parser.add_argument("--metrics-token-file", metavar="FILE", default=None,
                        help="a file holding a token (16+ characters) that may scrape /metrics "
                             "as a bearer token from anywhere; without it only this machine's "
                             "loopback may")
    parser.add_argument("--check", action="store_true",
                        help="check the settings file, print the settings in force, and exit "
                             "(opens no database, binds no port)")


def build_settings(args: argparse.Namespace, clock: Any) -> Any:
    """The ServerSettings of these arguments (the settings file applied; raises ConfigError,
    ValueError for a bad metrics token file)."""
    from datetime import timedelta

    from console.server.config import find_config
    from console.server.metrics import read_token
    from console.server.settings import ServerSettings
    from console.server.startup import database_url

    settings = ServerSettings(db_url=database_url(args.db), clock=clock,
                              escalation_interval=args.escalation_interval or None)
    find_config(args.config).apply(settings)
    if args.session_hours is not None:
        settings.token_ttl = timedelta(hours=args.session_hours)
    if args.metrics_token_file:
        settings.metrics_token = read_token(args.metrics_token_file)
    return settings


def uvicorn_config(app: Any, args: argparse.Namespace, tls_context: Any) -> Any:
    """uvicorn's configuration of `sitroom server` (one process or each worker)."""
    from console.server.tls import TlsConfig

    trusted = ",".join(args.trusted_proxy)
    # X-Forwarded-For is believed from the --trusted-proxy addresses only (uvicorn's proxy
    # headers middleware; its default would trust 127.0.0.1, so say it either way).
    return TlsConfig(app, tls_context, log_config=None, log_level=args.log_level,
                     access_log=False, timeout_graceful_shutdown=3, server_header=False,
                     proxy_headers=bool(trusted), forwarded_allow_ips=trusted or "")


def check_trusted_proxies(given: list[str]) -> str | None:
    """A worded reason if a --trusted-proxy is not an address or network."""
    import ipaddress

    for value in given:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            return (f"--trusted-proxy {value!r} is not an address or network (e.g. 10.1.2.3 or "
                    "10.1.2.0/24)")
    return None


def run(args: argparse.Namespace) -> int:
    from console.domain.clock import iso, now_utc, parse_time
    from console.domain.errors import DomainError
    from console.server import logs
    from console.server.app import StoppingServer, create_app
    from console.server.clock import ServerClock
    from console.server.config import ConfigError, describe, find_config
    from console.server.database import StartupError, redact
    from console.server.startup import bind_socket, database_url, init_command, open_database
    from console.server.tls import load_server_tls

    def fail(message: str) -> int:
        print(f"sitroom server: error: {message}", file=sys.stderr)
        return 2

    try:
        start = parse_time(args.clock_start, "--clock-start") if args.clock_start else None
    except DomainError as exc:
        return fail(exc.message)
    if args.clock_speed <= 0:
        return fail("--clock-speed must be positive")
    if args.session_hours is not None and args.session_hours <= 0:
        return fail("--session-hours must be positive")
    if args.workers < 1:
        return fail(f"--workers {args.workers}: give 1 or more server processes")
    reason = check_trusted_proxies(args.trusted_proxy)
    if reason:
        return fail(reason)
    try:
        server_config = find_config(args.config)
    except ConfigError as exc:
        return fail(str(exc))
    if bool(args.tls_cert) != bool(args.tls_key):
        given, missing = ("--tls-cert", "--tls-key") if args.tls_cert else ("--tls-key", "--tls-cert")
        return fail(f"{given} needs {missing} too: HTTPS takes the certificate and its private key")
    url = database_url(args.db)
    if args.workers > 1 and url.startswith("sqlite"):
        return fail(f"--workers {args.workers} needs PostgreSQL: SQLite is the single-process "
                    "embedded database (its writers queue on one file lock, and a second process "
                    "would never wake the first one's consoles). Run one process on SQLite, or "
                    "move to PostgreSQL (README, \"Scaling out\")")
    clock = ServerClock(start, args.clock_speed)
    try:
        settings = build_settings(args, clock)
    except (ConfigError, ValueError) as exc:
        return fail(str(exc))
    if args.check:
        print(describe(settings, server_config, {("sessions", "lifetime_hours"): "--session-hours"}
                       if args.session_hours is not None else None))
        return 0
    logs.configure(args.log_level)
    # Everything that can refuse comes before the banner: the certificate and key, the database
    # (which must exist; it is created by `sitroom admin init`, never here), then the port.
    tls = None
    if args.tls_cert:
        try:
            tls = load_server_tls(args.tls_cert, args.tls_key, now_utc())
        except StartupError as exc:
            return fail(str(exc))
    try:
        database = open_database(url, create=False, how_to_create=init_command(args.db))
    except StartupError as exc:
        return fail(str(exc))
    try:
        sock = bind_socket(args.host, args.port)
    except StartupError as exc:
        database.dispose()
        return fail(str(exc))
    host = f"[{args.host}]" if ":" in args.host else args.host
    scheme = "https" if tls is not None else "http"
    processes = f", {args.workers} processes" if args.workers > 1 else ""
    if args.workers > 1:
        database.dispose()  # each worker opens its own
        from console.server.workers import Supervisor, WorkerSpec

        print(f"sitroom server: {redact(url)} on {scheme}://{host}:{sock.getsockname()[1]}"
              f"{processes} (API docs at /docs)", file=sys.stderr)
        for warning in tls.warnings if tls is not None else ():
            print(f"sitroom server: warning: {warning}", file=sys.stderr)
        spec = WorkerSpec(args=args, anchor_wall=time.time(),
                          clock_start_iso=None if clock.is_real else iso(clock.now()))
        try:
            return Supervisor(spec, sock, args.workers).run()
        finally:
            sock.close()
    try:
        app = create_app(settings, database)
    except StartupError as exc:
        sock.close()
        database.dispose()
        return fail(str(exc))
    print(f"sitroom server: {redact(url)} on {scheme}://{host}:{sock.getsockname()[1]} "
          f"(API docs at /docs)", file=sys.stderr)
    for warning in tls.warnings if tls is not None else ():
        print(f"sitroom server: warning: {warning}", file=sys.stderr)
    config = uvicorn_config(app, args, tls.context if tls is not None else None)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            StoppingServer(config).run(sockets=[sock])
    finally:
        sock.close()
        database.dispose()
    return 0
