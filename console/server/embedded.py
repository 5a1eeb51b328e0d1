"""The server on a background thread of this process (demo, tests, single-machine use).

    with EmbeddedServer("sqlite:////tmp/sitroom.db") as server:
        requests.get(server.url + "/health")

`start()` blocks until the server accepts connections; `port=0` picks a free port, which is
kept, so `stop()` then `start()` serves again at the same URL on the same database.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import threading
import time
from collections.abc import Sequence
from datetime import timedelta
from types import TracebackType

import uvicorn
from argon2 import PasswordHasher

from console.server.app import StoppingServer, create_app, release_long_polls
from console.server.clock import ServerClock
from console.server.database import Database
from console.server.settings import DEFAULT_ESCALATION_INTERVAL, ServerSettings
from console.server.tls import TlsConfig

log = logging.getLogger("sitroom.server.embedded")


class EmbeddedServer:
    def __init__(
        self,
        db_url: str,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: ServerClock | None = None,
        escalation_interval: float | None = DEFAULT_ESCALATION_INTERVAL,
        token_ttl: timedelta = timedelta(hours=12),
        log_level: str = "warning",
        startup_timeout: float = 30.0,
        poll_recheck: float = 1.0,
        password_hasher: PasswordHasher | None = None,
        escalation_gate: threading.Event | None = None,
        tls: ssl.SSLContext | None = None,
        trusted_proxies: Sequence[str] = (),
    ) -> None:
        self.db_url = db_url
        self.host = host
        self._port = port
        self.clock = clock or ServerClock()
        self.settings = ServerSettings(db_url=db_url, token_ttl=token_ttl, clock=self.clock,
                                       escalation_interval=escalation_interval,
                                       poll_recheck=poll_recheck, password_hasher=password_hasher,
                                       escalation_gate=escalation_gate)
        self.log_level = log_level
        self.tls = tls  # serve HTTPS with this context (console.server.tls.load_server_tls)
        # Load balancers whose X-Forwarded-For is believed (sitroom server --trusted-proxy).
        self.trusted_proxies = ",".join(trusted_proxies)
        self.startup_timeout = startup_timeout
        self.database: Database | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._error: BaseException | None = None

    # -- address ------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._port == 0:
            raise RuntimeError("the port is chosen when the server starts")
        return self._port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls is not None else 'http'}://{host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> EmbeddedServer:
        """Open (and upgrade) the database, bind, serve on a thread; return once ready.
        Raises StartupError for a bad database, OSError if the port is taken."""
        if self.running:
            return self
        from console.server import logs

        logs.configure(self.log_level)
        if self.database is None:
            self.database = Database(self.db_url)
        app = create_app(self.settings, self.database)
        sock = self._bind()
        self._port = sock.getsockname()[1]
        config = TlsConfig(app, self.tls, log_config=None, log_level=self.log_level, access_log=False,
                           lifespan="on", timeout_graceful_shutdown=2, timeout_keep_alive=5,
                           server_header=False, proxy_headers=bool(self.trusted_proxies),
                           forwarded_allow_ips=self.trusted_proxies)
        server = StoppingServer(config)
        self._server, self._socket, self._error = server, sock, None

        def serve() -> None:
            try:
                asyncio.run(server.serve(sockets=[sock]))
            except BaseException as exc:  # surfaced by start()
                self._error = exc

        self._thread = threading.Thread(target=serve, name=f"sitroom-server:{self._port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + self.startup_timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the embedded server did not start: {self._error!r}")
            time.sleep(0.01)
        log.info("embedded server started", extra={"fields": {"url": self.url}})
        return self

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say TCP, and without
        # it a keep-alive response waits ~40 ms for the delayed ACK of its first segment.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        # Restarting on the same port must not wait for TIME_WAIT to expire.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self._port))
            sock.listen(128)
        except OSError:
            sock.close()
            raise
        sock.setblocking(False)
        return sock

    def stop(self) -> None:
        """Stop serving: waiting long-polls answer at once, open connections are closed.
        The database stays open for a later `start()`."""
        server, thread = self._server, self._thread
        if server is not None:
            release_long_polls(server.config.app)  # at once, not only when uvicorn gets to it
            server.should_exit = True
        if thread is not None:
            thread.join(timeout=10)
            if thread.is_alive() and server is not None:
                server.force_exit = True
                thread.join(timeout=5)
        if self._socket is not None:
            self._socket.close()
        self._server, self._thread, self._socket = None, None, None

    def close(self) -> None:
        """Stop and release the database."""
        self.stop()
        if self.database is not None:
            self.database.dispose()
            self.database = None

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
