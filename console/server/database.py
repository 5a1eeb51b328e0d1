"""The database: engine set-up for SQLite and PostgreSQL, read/write sessions, schema upgrade."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session

from console.private_files import create_private_file
from console.server import audit_chain, notifier
from console.server.tables import dumps_json

log = logging.getLogger("sitroom.server.database")

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class StartupError(Exception):
    """The server cannot start on this database; the message says why, for a person."""


def default_sqlite_url() -> str:
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("sitroom"))
    return f"sqlite:///{folder / 'server.db'}"


def redact(url: str | URL) -> str:
    """The URL without its password, for logs and messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"


class Database:
    """One engine and its sessions. Writes go through `write()`: on SQLite they are serialised
    (a process lock plus BEGIN IMMEDIATE, so other processes such as the admin CLI queue up);
    on PostgreSQL each write transaction locks what it changes (see console.server.feed)."""

    def __init__(self, url: str) -> None:
        try:
            self.url = make_url(url)
        except ArgumentError:
            raise StartupError(f"not a database URL: {url!r} (e.g. sqlite:////var/lib/sitroom.db "
                               "or postgresql+psycopg://user@host/db)") from None
        self.kind = self.url.get_backend_name()
        if self.kind not in ("sqlite", "postgresql"):
            raise StartupError(f"unsupported database {self.kind!r}: use sqlite or postgresql+psycopg")
        self._write_lock = threading.Lock() if self.kind == "sqlite" else None
        # The operating-system account audit entries written through this database are
        # attributed to (`sitroom admin` sets it; the server leaves it None): see audit_chain.
        self.audit_os_user: str | None = None
        self._commit_listeners: list[Callable[[set[tuple[str, str]] | None], None]] = []
        try:
            self.engine = self._create_engine()
        except (NoSuchModuleError, ModuleNotFoundError) as exc:
            raise StartupError(f"no driver for {redact(self.url)}: {exc}") from None
        self._write_engine = self.engine.execution_options(sitroom_write=True)

    def _create_engine(self) -> Engine:
        if self.kind == "sqlite":
            database = self.url.database or ""
            if database in ("", ":memory:") or database.startswith("file:"):
                raise StartupError("the server needs a SQLite file, e.g. sqlite:////tmp/sitroom.db")
            create_private_file(Path(database).expanduser(), "the server database", log)
            # Every request thread (AnyIO's 40) keeps a connection: past pool_size one is closed
            # when given back, and opening one (its pragmas, the schema read) took a third of the
            # long-polls' time while the morning's openings arrived (bench burst).
            engine = create_engine(
                self.url, connect_args={"check_same_thread": False, "timeout": 30},
                pool_size=50, max_overflow=50, json_serializer=dumps_json,
            )
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        return create_engine(self.url, pool_pre_ping=True, pool_size=10, max_overflow=30)

    # -- sessions ---------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (a consistent snapshot on SQLite)."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read_snapshot(self) -> Iterator[Session]:
        """A read-only transaction that sees one moment throughout (REPEATABLE READ on
        PostgreSQL, where read() sees each statement's own moment): for long checks such as
        the audit chain's."""
        engine = (self.engine.execution_options(isolation_level="REPEATABLE READ")
                  if self.kind == "postgresql" else self.engine)
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed on exit, rolled back on an exception."""
        lock = self._write_lock
        if lock is not None:
            lock.acquire()
        try:
            with Session(self._write_engine, expire_on_commit=False) as session:
                if self.audit_os_user:
                    session.info[audit_chain.OS_USER] = self.audit_os_user
                with session.begin():
                    yield session
                    if self.kind == "postgresql" and session.info.get("feed_written"):
                        # Delivered at commit to every server process (console.server.notifier).
                        notifier.send_in_transaction(session)
                fed = bool(session.info.get("feed_written"))
                changes = session.info.get("feed_changes")
        finally:
            if lock is not None:
                lock.release()
        if fed:
            for listener in list(self._commit_listeners):
                listener(changes)

    def add_commit_listener(self, listener: Callable[[set[tuple[str, str]] | None], None]
                            ) -> Callable[[], None]:
        """Call `listener` (on the writing thread) after each commit that extended the feed, with
        the (kind, org path) of its feed entries, or None when they are not known."""
        self._commit_listeners.append(listener)

        def remove() -> None:
            if listener in self._commit_listeners:
                self._commit_listeners.remove(listener)

        return remove

    # -- health and schema --------------------------------------------------------------------
    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except DBAPIError:
            return False

    def upgrade(self) -> str:
        """Bring the schema to the newest revision; refuse a database from a newer sitroom."""
        from console.server.migrate import upgrade_schema

        return upgrade_schema(self)

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control from the driver so "begin" below decides DEFERRED/IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        # Org codes are case-sensitive; LIKE prefix matches of scope paths must be too.
        cursor.execute("PRAGMA case_sensitive_like=ON")
    finally:
        cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # A writer takes the write lock at BEGIN, so it never fails half-way on a busy upgrade.
    if conn.get_execution_options().get("sitroom_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")
