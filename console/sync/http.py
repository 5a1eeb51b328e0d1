"""The HTTP side of sync: one `requests.Session` per thread, timeouts on every call, errors mapped.

A blocked call (a long-poll waiting for changes) can be cancelled from another thread: the
session's pool hands out connections that register themselves, and `cancel()` shuts their sockets.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import weakref
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from console.protocol.schema import API_PREFIX, ErrorBody
from console.sync.connectivity import ConnectivityMonitor

CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 15.0
PUSH_READ_TIMEOUT = 60.0  # a full batch is applied one transaction per mutation
LONG_POLL_MARGIN = 10.0


class SyncError(Exception):
    """Base of the errors the sync HTTP client raises."""


class Unreachable(SyncError):
    """No answer: connection refused, reset, timed out, or cancelled."""


class ServerError(SyncError):
    """The server answered 5xx (or garbage): try again later."""


class ApiError(SyncError):
    """A 4xx answer with the server's ErrorBody."""

    def __init__(self, status: int, body: ErrorBody) -> None:
        super().__init__(f"{status} {body.code}: {body.message}")
        self.status = status
        self.body = body

    @property
    def code(self) -> str:
        return self.body.code


class AuthRequired(ApiError):
    """401: the token is missing, expired or revoked."""


class CursorExpired(ApiError):
    """410: the feed no longer serves this cursor (or the epoch changed): re-snapshot."""


def _cancellable_adapter(live: weakref.WeakSet[Any]) -> HTTPAdapter:
    class Conn(HTTPConnection):
        def connect(self) -> None:
            super().connect()
            live.add(self)

    class SConn(HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            live.add(self)

    class Pool(HTTPConnectionPool):
        ConnectionCls = Conn

    class SPool(HTTPSConnectionPool):
        ConnectionCls = SConn

    adapter = HTTPAdapter(pool_connections=2, pool_maxsize=2, max_retries=0)
    adapter.poolmanager.pool_classes_by_scheme = {"http": Pool, "https": SPool}
    return adapter


class ApiClient:
    """Calls of the v1 API for one thread. Every call has a (connect, read) timeout."""

    def __init__(self, base_url: str, monitor: ConnectivityMonitor | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.monitor = monitor
        self.token: str | None = None
        self._live: weakref.WeakSet[Any] = weakref.WeakSet()
        self._cancelled = threading.Event()
        self.session = requests.Session()
        adapter = _cancellable_adapter(self._live)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        self.session.close()

    def cancel(self) -> None:
        """Abort the call in flight (from another thread) and any later one."""
        self._cancelled.set()
        for conn in list(self._live):
            sock = getattr(conn, "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def request(self, method: str, path: str, *, read_timeout: float = READ_TIMEOUT, timed: bool = True,
                auth: bool = True, **kwargs: Any) -> requests.Response:
        """Send a call; `timed` calls count their latency for the connectivity state."""
        if self._cancelled.is_set():
            raise Unreachable("cancelled")
        url = self.base_url + (path if path.startswith("/health") else API_PREFIX + path)
        headers = dict(kwargs.pop("headers", {}) or {})
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        started = time.monotonic()
        try:
            resp = self.session.request(method, url, headers=headers,
                                        timeout=(CONNECT_TIMEOUT, read_timeout), **kwargs)
        except requests.RequestException as exc:
            self._record(False)
            raise Unreachable(f"{type(exc).__name__}: {exc}") from None
        latency = time.monotonic() - started
        if resp.status_code >= 500:
            self._record(False)
            raise ServerError(f"{resp.status_code}: {resp.text[:200]}")
        self._record(True, latency if timed else None)
        if resp.status_code >= 400:
            try:
                body = ErrorBody.model_validate_json(resp.content)
            except ValueError:
                body = ErrorBody(code=f"http_{resp.status_code}", message=resp.text[:200])
            if resp.status_code == 401:
                raise AuthRequired(resp.status_code, body)
            if resp.status_code == 410:
                raise CursorExpired(resp.status_code, body)
            raise ApiError(resp.status_code, body)
        return resp

    def _record(self, ok: bool, latency: float | None = None) -> None:
        if self.monitor is not None and not self._cancelled.is_set():
            self.monitor.record(ok, latency)
