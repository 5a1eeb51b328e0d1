"""The FastAPI application: `create_app(settings)` wires database, API, logging and escalator."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from console import __version__
from console.server.api import health_router, router
from console.server.database import Database
from console.server.edge import RequestLimits, SecurityHeaders, install_docs
from console.server.errors import error_response, install_handlers
from console.server.escalator import run_escalator
from console.server.geojson_export import router as geojson_router
from console.server.notifier import FeedNotifier
from console.server.settings import ServerSettings, ServerState

log = logging.getLogger("sitroom.server.http")


class RequestLog:
    """Logs every request as one JSON line: method, path, status, duration."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            log.info("request", extra={"fields": {
                "event": "request", "method": scope.get("method"), "path": scope.get("path"),
                "status": status, "duration_ms": round((time.perf_counter() - started) * 1000, 1)}})


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


def create_app(settings: ServerSettings, database: Database | None = None) -> FastAPI:
    """The server application. Opens (and upgrades) the database now, so a bad database fails
    here with a StartupError rather than on the first request."""
    db = database or Database(settings.db_url)
    db.upgrade()
    state = ServerState(settings=settings, db=db, notifier=FeedNotifier())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        state.notifier.bind(asyncio.get_running_loop())
        remove = db.add_commit_listener(state.notifier.notify)
        escalator: asyncio.Task[Any] | None = None
        if settings.escalation_interval:
            escalator = asyncio.create_task(run_escalator(db, settings.clock,
                                                          settings.escalation_interval,
                                                          settings.escalation_gate))
        log.info("server ready", extra={"fields": {"database": db.kind, "version": __version__}})
        try:
            yield
        finally:
            remove()
            state.notifier.close()
            if escalator is not None:
                escalator.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await escalator

    app = _ServerApp(
        title="sitroom central server",
        version=__version__,
        summary="Election-security situation rooms: change feed, mutations, users and scopes.",
        lifespan=lifespan,
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
    app.add_middleware(RequestLimits, limits=settings.limits)
    app.add_middleware(RefuseWhileStopping, notifier=state.notifier)
    app.add_middleware(RequestLog)
    return app
