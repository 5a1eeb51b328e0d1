"""The FastAPI application: `create_app(settings)` wires database, API, logging and escalator."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from console import __version__
from console.protocol.schema import API_PREFIX
from console.server import metrics
from console.server.api import CALLER_KEY, health_router, router
from console.server.cap_feed import router as cap_router
from console.server.database import Database
from console.server.edge import RequestLimits, SecurityHeaders, install_docs
from console.server.errors import error_response, install_handlers
from console.server.escalator import EscalatorLease, run_escalator
from console.server.fastpath import ChangesFastPath
from console.server.geojson_export import router as geojson_router
from console.server.metrics_route import metrics_router
from console.server.notifier import FeedNotifier, PgFeedListener
from console.server.settings import ServerSettings, ServerState

log = logging.getLogger("sitroom.server.http")

LISTENER_START_TIMEOUT = 10.0  # seconds the server waits for its LISTEN connection at start


LOGIN_PATH = f"{API_PREFIX}/login"
CHANGES_PATH = f"{API_PREFIX}/changes"


def _waits(scope: Scope) -> bool:
    """A GET /changes that asks to wait (a long-poll)."""
    for name, value in parse_qsl(scope.get("query_string", b"").decode("latin-1")):
        if name == "wait":
            try:
                return float(value) > 0
            except ValueError:
                return False
    return False


class RequestLog:
    """Logs every request as one JSON line (method, path, status, duration, user, client id,
    address) and counts it in the metrics (console.server.metrics) by its route's template."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        path = scope.get("path", "")
        long_poll = path == CHANGES_PATH and _waits(scope)
        if long_poll:
            metrics.LONG_POLLS_OPEN.inc()

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            elapsed = time.perf_counter() - started
            if long_poll:
                metrics.LONG_POLLS_OPEN.dec()
            route = scope.get("route")
            endpoint = str(getattr(route, "path", "")) or "unmatched"
            method = str(scope.get("method"))
            metrics.REQUESTS.labels(method, endpoint, str(status)).inc()
            metrics.LATENCY.labels(method, endpoint).observe(elapsed)
            if path == LOGIN_PATH:
                metrics.login_answered(status)
            user, client_id = scope.get(CALLER_KEY) or (None, None)
            client = scope.get("client")
            log.info("request", extra={"fields": {
                "event": "request", "method": method, "path": path, "status": status,
                "duration_ms": round(elapsed * 1000, 1), "user": user, "client_id": client_id,
                "address": client[0] if client else None}})


STOPPING_RETRY_AFTER = "2"  # seconds: a restart usually takes about this long


class RefuseWhileStopping:
    """While the server stops, a request that arrives on a connection still open is answered
    503 `server_stopping` with Retry-After: the console takes it as "the server is going away"
    (try again later), not as a failure of what it asked."""

    def __init__(self, app: ASGIApp, notifier: FeedNotifier) -> None:
        self.app = app
        self.notifier = notifier

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.notifier.closed:
            response = error_response(503, "server_stopping", "the server is stopping; try again shortly",
                                      headers={"Retry-After": STOPPING_RETRY_AFTER})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def release_long_polls(app: Any) -> None:
    """Answer every waiting long-poll now and refuse new requests (the server is stopping).
    Thread-safe; an app that is not ours is left alone."""
    state = getattr(getattr(app, "state", None), "server", None)
    if isinstance(state, ServerState):
        state.notifier.close()


class StoppingServer(uvicorn.Server):
    """uvicorn's server, stopped cleanly: on a normal stop (Ctrl-C, SIGTERM, `should_exit`) the
    waiting long-polls are answered *before* uvicorn waits for open requests to finish. Left to
    uvicorn, they would wait out the graceful-shutdown timeout and then be cancelled: an ERROR
    traceback in the log and an HTTP 500 to every connected console."""

    async def shutdown(self, sockets: list[Any] | None = None) -> None:
        release_long_polls(self.config.app)
        await super().shutdown(sockets)


class _ServerApp(FastAPI):
    """FastAPI with the security headers outside everything, Starlette's error layer too (so an
    unexpected 500 carries them as well)."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def _nothing() -> None:
    pass


def create_app(settings: ServerSettings, database: Database | None = None) -> FastAPI:
    """The server application. Opens (and upgrades) the database now, so a bad database fails
    here with a StartupError rather than on the first request."""
    db = database or Database(settings.db_url)
    db.upgrade()
    state = ServerState(settings=settings, db=db, notifier=FeedNotifier())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        state.notifier.bind(asyncio.get_running_loop())
        tasks: list[asyncio.Task[Any]] = []
        if db.kind == "postgresql":
            # Every commit of every process (this one's too) arrives as a NOTIFY.
            listener = PgFeedListener(db.url, state.notifier, metrics.FEED_NOTIFICATIONS.inc)
            tasks.append(asyncio.create_task(listener.run()))
            # Serve once listening: a long-poll that began earlier could miss its wake-up.
            try:
                await asyncio.wait_for(listener.connected.wait(), LISTENER_START_TIMEOUT)
            except TimeoutError:
                log.warning("serving before the feed listener connected: long-polls wake at "
                            "their periodic re-check until it does",
                            extra={"fields": {"event": "listener_down"}})
            remove = _nothing
        else:
            remove = db.add_commit_listener(state.notifier.notify)
        unwatch = metrics.watch_pool(db.engine)
        if settings.escalation_interval:
            lease = EscalatorLease(db.url) if db.kind == "postgresql" else None
            tasks.append(asyncio.create_task(run_escalator(
                db, settings.clock, settings.escalation_interval, settings.escalation_gate,
                lease, lambda held: metrics.ESCALATOR_LEADER.set(1 if held else 0))))
        log.info("server ready", extra={"fields": {"database": db.kind, "version": __version__}})
        try:
            yield
        finally:
            remove()
            unwatch()
            state.notifier.close()
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app = _ServerApp(
        title="sitroom central server",
        version=__version__,
        summary="Election-security situation rooms: change feed, mutations, users and scopes.",
        lifespan=lifespan,
        # FastAPI's OpenTelemetry hooks look the providers up in os.environ on every request
        # (8% of the event loop at 1,000 long-polling consoles); the server's metrics are its own.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        # Served from the installed packages (console.server.edge), never from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.server = state
    install_handlers(app)
    install_docs(app)
    app.include_router(health_router)
    app.include_router(router)
    app.include_router(geojson_router)
    app.include_router(cap_router)
    app.include_router(metrics_router)
    # Innermost of ours: ordinary long-polls answered without FastAPI's routing (fastpath).
    app.add_middleware(ChangesFastPath)
    app.add_middleware(RequestLimits, limits=settings.limits)
    app.add_middleware(RefuseWhileStopping, notifier=state.notifier)
    app.add_middleware(RequestLog)
    return app
