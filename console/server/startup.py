"""Careful start-up for `sitroom server` and `sitroom admin`: which database, whether it exists,
and the listening socket, each refused with a worded reason before anything is served.

Creating a database is an explicit step (`sitroom admin init`); the server and the other admin
commands open only a database that exists and carries a sitroom schema (an older schema is
upgraded). The embedded server of the demo and the tests creates its database on purpose and
does not come through here.
"""

from __future__ import annotations

import errno
import os
import re
import socket
import sqlite3
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from console.server.database import Database, StartupError, default_sqlite_url, redact

DB_ENV = "SITROOM_DB"


def database_url(given: str | None) -> str:
    """The database to use: --db, else $SITROOM_DB, else the SQLite file in the user data folder."""
    return given or os.environ.get(DB_ENV) or default_sqlite_url()


def init_command(given: str | None) -> str:
    """The command that creates the database the caller was asked to open."""
    return f"sitroom admin init --db {redact(given)}" if given else "sitroom admin init"


def _sqlite_file(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None  # Database() refuses these with its own message
    return Path(database).expanduser()


def describe_open_failure(db: Database, exc: DBAPIError) -> str:
    """Why a database cannot be opened, and what to do, for the errors an operator meets."""
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    where = f"on {db.url.host or 'localhost'}"
    if db.kind == "postgresql":
        missing_db = re.search(r'database "([^"]+)" does not exist', reason)
        if missing_db:
            owner = db.url.username or "sitroom"
            return (f"the PostgreSQL database {missing_db.group(1)} does not exist {where}: create "
                    f"it as the PostgreSQL superuser (`createdb --owner {owner} "
                    f"{missing_db.group(1)}`), then run `sitroom admin init`")
        missing_role = re.search(r'role "([^"]+)" does not exist', reason)
        if missing_role:
            return (f"PostgreSQL has no role {missing_role.group(1)} {where}: create it as the "
                    f"PostgreSQL superuser (`createuser --pwprompt {missing_role.group(1)}`)")
        if "password authentication failed" in reason:
            return (f"PostgreSQL refused the password of {db.url.username} {where}: check the "
                    "password in the database URL")
    return f"cannot open the database {redact(db.url)}: {reason}"


def open_database(url: str, *, create: bool, how_to_create: str = "sitroom admin init") -> Database:
    """Open the database at `url`, upgraded to the newest schema.

    With `create`, a missing SQLite file (and its folder) or an empty database is given the
    schema. Without it, a database that does not exist or has no sitroom schema is refused with
    a StartupError that says so and names `how_to_create`; nothing is created."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        parsed = None  # Database() words it
    path = _sqlite_file(parsed) if parsed is not None else None
    if path is not None and not create:
        if not path.is_file():
            raise StartupError(f"there is no database at {path}: create it with `{how_to_create}`")
        # Looked at read-only: opening it through the engine would already turn someone
        # else's file into a WAL-mode database.
        if not _sqlite_has_schema(path):
            raise StartupError(_no_schema(url, how_to_create))
    db = Database(url)
    try:
        if path is None:
            try:
                with db.engine.connect() as conn:
                    revision = MigrationContext.configure(conn).get_current_revision()
            except DBAPIError as exc:
                raise StartupError(describe_open_failure(db, exc)) from None
            if revision is None and not create:
                raise StartupError(_no_schema(url, how_to_create))
        db.upgrade()
    except BaseException:
        db.dispose()
        raise
    return db


def _no_schema(url: str, how_to_create: str) -> str:
    return (f"the database {redact(url)} has no sitroom schema (it is empty or belongs to "
            f"another program): create it with `{how_to_create}`")


def _sqlite_has_schema(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StartupError(f"cannot open the database {path}: {exc}") from None
    try:
        return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                            "AND name = 'alembic_version'").fetchone() is not None
    except sqlite3.Error as exc:
        raise StartupError(f"cannot open the database {path}: {exc}") from None
    finally:
        conn.close()


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port, or a StartupError saying why there is none (a port
    that is taken is the common case: another server, or this one started twice)."""
    if not 0 <= port <= 65535:
        raise StartupError(f"--port {port} is not a TCP port (0-65535)")
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except socket.gaierror:
        raise StartupError(f"cannot listen on {host!r}: not an address or host name this machine "
                           "knows (use 127.0.0.1, 0.0.0.0 or one of its addresses)") from None
    sock = socket.socket(family, kind, proto)
    try:
        # Restarting on the same port must not wait for TIME_WAIT; a port that another socket
        # listens on is still refused.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise StartupError(f"port {port} on {host} is already in use (another sitroom server, "
                               "or this one started twice?): stop the other program, or choose "
                               "another port with --port") from None
        if exc.errno == errno.EACCES:
            raise StartupError(f"no permission to listen on port {port} (ports below 1024 need "
                               "administrator rights): choose a port above 1024") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise StartupError(f"cannot listen on {host}: it is not an address of this "
                               "machine") from None
        raise StartupError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock
