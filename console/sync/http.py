"""The HTTP side of sync: one `requests.Session` per thread, timeouts on every call, errors mapped
to a few kinds of failure (`FailureKind`) that the UI words for a person.

Over HTTPS the server's certificate is checked against the station CA file when one is given
(only that CA is trusted then), else against the CAs requests trusts. A certificate that fails
is an error of its own kind (untrusted, expired, another host), never an outage, and never a
reason to try plain HTTP or to stop checking.

A blocked call (a long-poll waiting for changes) can be cut from another thread: the session's
pool hands out connections that register themselves, and `cancel()` (for good) or `interrupt()`
(this call only: a connection an outage may have killed) shuts their sockets.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
import weakref
from pathlib import Path
from typing import Any, ClassVar

import requests
from pydantic import ValidationError
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from console.protocol.schema import API_PREFIX, ErrorBody
from console.sync.connectivity import ConnectivityMonitor
from console.sync.events import FailureKind, SyncFailure
from console.sync.tls import CA_FILE_ADVICE, certificate_failure

CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 15.0
PUSH_READ_TIMEOUT = 60.0  # a full batch is applied one transaction per mutation
LONG_POLL_MARGIN = 10.0


class SyncError(Exception):
    """Base of the errors the sync HTTP client raises; `kind` says what a person is told."""

    kind: ClassVar[FailureKind] = FailureKind.INTERNAL


class Unreachable(SyncError):
    """No answer: connection refused, reset, or cancelled."""

    kind = FailureKind.UNREACHABLE


class TimedOut(Unreachable):
    """No answer in time (connect or read timeout)."""

    kind = FailureKind.TIMED_OUT


class Interrupted(Unreachable):
    """The call was cut on purpose (`ApiClient.interrupt`): not a failure; start it again."""


class CertificateRefused(SyncError):
    """No secure connection: no TLS at that address, or a CA file that cannot be used. Not an
    outage: nothing was sent, and trying again the same way fails the same way. The message is
    worded for a person (what happened, which server, what to do)."""

    kind = FailureKind.TLS_FAILED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CertificateUntrusted(CertificateRefused):
    """The server's certificate is not signed by a CA this console trusts."""

    kind = FailureKind.TLS_UNTRUSTED


class CertificateExpired(CertificateRefused):
    """The server's certificate has expired, or is not valid yet (or this clock is wrong)."""

    kind = FailureKind.TLS_EXPIRED


class CertificateWrongHost(CertificateRefused):
    """The server's certificate is made out for another host name or address."""

    kind = FailureKind.TLS_WRONG_HOST


_REFUSALS: dict[FailureKind, type[CertificateRefused]] = {
    c.kind: c for c in (CertificateRefused, CertificateUntrusted, CertificateExpired, CertificateWrongHost)}


class ServerError(SyncError):
    """The server answered 5xx: try again later (not before `retry_after` seconds, if it said)."""

    kind = FailureKind.SERVER_ERROR

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServerStopping(ServerError):
    """503 `server_stopping`: the server is going away (a restart); nothing that was asked failed."""

    kind = FailureKind.SERVER_STOPPING


class ServerBusy(ServerError):
    """503 `server_busy` or `login_busy`: the server sheds load (many consoles catching up or
    logging in at once) and says when to come back (Retry-After). Not an outage: the server
    answers; to a person it is a slow server."""

    kind = FailureKind.TIMED_OUT


BUSY_CODES = frozenset({"server_busy", "login_busy"})
MAX_RETRY_AFTER = 300.0  # a larger Retry-After is taken as this (a console must not sleep for hours)


def retry_after_of(resp: requests.Response) -> float | None:
    """The seconds of a Retry-After header (its delay-seconds form), capped; None if absent or
    not a number."""
    value = resp.headers.get("Retry-After", "").strip()
    try:
        seconds = float(value)
    except ValueError:
        return None
    return min(MAX_RETRY_AFTER, seconds) if seconds >= 0 else None


class Incompatible(SyncError):
    """The server speaks another API version, or answered something this console cannot read."""

    kind = FailureKind.INCOMPATIBLE


class ApiError(SyncError):
    """A 4xx answer with the server's ErrorBody."""

    kind = FailureKind.REFUSED

    def __init__(self, status: int, body: ErrorBody) -> None:
        super().__init__(f"{status} {body.code}: {body.message}")
        self.status = status
        self.body = body

    @property
    def code(self) -> str:
        return self.body.code


class AuthRequired(ApiError):
    """401: the token is missing, expired or revoked."""

    kind = FailureKind.SESSION_EXPIRED


class CursorExpired(ApiError):
    """410: the feed no longer serves this cursor (or the epoch changed): re-snapshot."""


def failure_of(exc: BaseException) -> SyncFailure:
    """What kind of failure an exception of a sync call is, with its raw text as detail."""
    if isinstance(exc, SyncError):
        return SyncFailure(exc.kind, str(exc))
    if isinstance(exc, ValidationError):
        return SyncFailure(FailureKind.INCOMPATIBLE, f"unreadable answer: {exc.error_count()} error(s)")
    return SyncFailure(FailureKind.INTERNAL, f"{type(exc).__name__}: {exc}")


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

    def __init__(self, base_url: str, monitor: ConnectivityMonitor | None = None, *,
                 ca_file: str | Path | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.monitor = monitor
        # Given per call: a session-wide `verify` loses to $REQUESTS_CA_BUNDLE in requests.
        self.verify: str | bool = os.fspath(ca_file) if ca_file else True
        self.token: str | None = None
        self._live: weakref.WeakSet[Any] = weakref.WeakSet()
        self._cancelled = threading.Event()
        self._lock = threading.Lock()
        self._calls: dict[int, float] = {}  # thread id -> when its call in flight began
        self._interrupted: set[int] = set()  # threads whose call in flight was cut
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

    def interrupt(self, begun_before: float) -> bool:
        """Cut the calls in flight that began before `begun_before` (time.monotonic): they may
        wait on a connection an outage killed. Each raises Interrupted; later calls go on.
        True if there was such a call."""
        with self._lock:
            stale = {tid for tid, began in self._calls.items() if began < begun_before}
            if not stale:
                return False
            self._interrupted |= stale
        for conn in list(self._live):
            sock = getattr(conn, "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        return True

    def request(self, method: str, path: str, *, read_timeout: float = READ_TIMEOUT, timed: bool = True,
                auth: bool = True, connect_timeout: float = CONNECT_TIMEOUT,
                **kwargs: Any) -> requests.Response:
        """Send a call; `timed` calls count their latency for the connectivity state."""
        if self._cancelled.is_set():
            raise Interrupted("cancelled")
        url = self.base_url + (path if path.startswith("/health") else API_PREFIX + path)
        headers = dict(kwargs.pop("headers", {}) or {})
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        me = threading.get_ident()
        started = time.monotonic()
        with self._lock:
            self._calls[me] = started
        try:
            resp = self.session.request(method, url, headers=headers, verify=self.verify,
                                        timeout=(connect_timeout, read_timeout), **kwargs)
        except OSError as exc:  # requests' own errors are OSErrors too
            if not isinstance(exc, requests.RequestException) and self.verify is True:
                raise
            with self._lock:
                cut = me in self._interrupted
            if cut or self._cancelled.is_set():
                raise Interrupted(f"{type(exc).__name__}: {exc}") from None
            self._record(False)
            refused = self._certificate_refused(exc)
            if refused is not None:
                raise refused from None
            if isinstance(exc, requests.Timeout):
                raise TimedOut(f"{type(exc).__name__}: {exc}") from None
            raise Unreachable(f"{type(exc).__name__}: {exc}") from None
        finally:
            with self._lock:
                self._calls.pop(me, None)
                self._interrupted.discard(me)
        latency = time.monotonic() - started
        if resp.status_code >= 500:
            code = _error_code(resp) if resp.status_code == 503 else ""
            retry_after = retry_after_of(resp)
            if code in BUSY_CODES:
                # It answers: online, only busy (counted as down, every console's probe would
                # wake its pull at once and undo the spreading).
                self._record(True)
                raise ServerBusy(f"{resp.status_code}: {resp.text[:200]}", retry_after)
            self._record(False)
            if code == "server_stopping":
                raise ServerStopping(f"{resp.status_code}: {resp.text[:200]}", retry_after)
            raise ServerError(f"{resp.status_code}: {resp.text[:200]}", retry_after)
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

    def _certificate_refused(self, exc: BaseException) -> CertificateRefused | None:
        """The worded error of a TLS failure, or None if `exc` is not one."""
        if not isinstance(exc, requests.RequestException):
            # requests checks the CA file's path only when it connects (an OSError of its own).
            return CertificateRefused(f"the CA file {self.verify} cannot be used ({exc}): {CA_FILE_ADVICE}")
        found = certificate_failure(exc)
        if found is None:
            return None
        kind, reason = found
        server = self.base_url
        words = {
            FailureKind.TLS_UNTRUSTED: (
                f"the certificate of {server} is not signed by a CA this console trusts ({reason}): "
                + CA_FILE_ADVICE),
            FailureKind.TLS_EXPIRED: (
                f"the certificate of {server} has expired or is not valid yet ({reason}): check this "
                "workstation's date and time; if they are right, the station's operator must renew "
                "the server's certificate"),
            FailureKind.TLS_WRONG_HOST: (
                f"the certificate of {server} is made out for another name or address ({reason}): "
                "use the server address the station's operator gave you"),
            FailureKind.TLS_FAILED: (
                f"no secure connection to {server} could be set up ({reason}): check that the "
                "server serves HTTPS there (or use http:// if it does not) and that the CA file "
                "is the station's"),
        }
        return _REFUSALS[kind](words[kind])

    def _record(self, ok: bool, latency: float | None = None) -> None:
        if self.monitor is not None and not self._cancelled.is_set():
            self.monitor.record(ok, latency)


def _error_code(resp: requests.Response) -> str:
    try:
        return ErrorBody.model_validate_json(resp.content).code
    except ValueError:
        return ""
