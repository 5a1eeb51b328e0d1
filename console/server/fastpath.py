"""GET /api/v1/changes without FastAPI's routing and dependency machinery.

Every console long-polls again at once after each answer, so one commit seen by a thousand
consoles is a thousand requests within milliseconds. Profiled at 1,000 consoles (py-spy, `sitroom
bench --only scale`), FastAPI's route matching, dependency solving and parameter validation took
more of the event loop than the long-poll's own work. This middleware, innermost of the app's
own (security headers, request log and metrics, the stopping and size checks still apply),
answers the ordinary long-poll directly with `api.answer_changes`; anything unusual (a missing
token, a parameter it does not parse as FastAPI would, a repeated one) goes on to the FastAPI
route, which answers it as documented (401, 422).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from console.protocol.limits import INT64_MAX
from console.protocol.schema import API_PREFIX, MAX_LONG_POLL_SECONDS, MAX_PAGE
from console.server import api
from console.server.errors import ApiError, error_response

PATH = f"{API_PREFIX}/changes"
_WHOLE = re.compile(rb"[0-9]{1,19}")
_SECONDS = re.compile(rb"[0-9]{1,6}(\.[0-9]{1,9})?")
_TEXT = re.compile(rb"[A-Za-z0-9_.\-]{1,64}")  # an epoch as this server writes it
_BOOLS = {b"true": True, b"false": False}


def parse_query(raw: bytes) -> tuple[int, int, float, str | None, bool] | None:
    """(since, limit, wait, epoch, data_as_text) of a query string in the forms consoles send,
    or None for anything else (FastAPI then judges it)."""
    found: dict[bytes, bytes] = {}
    for part in raw.split(b"&"):
        if not part:
            continue
        name, _, value = part.partition(b"=")
        if name in found:
            return None
        found[name] = value
    since_raw = found.get(b"since")
    if since_raw is None or not _WHOLE.fullmatch(since_raw):
        return None
    since = int(since_raw)
    limit_raw = found.get(b"limit", str(api.DEFAULT_PAGE).encode())
    wait_raw = found.get(b"wait", b"0")
    if not _WHOLE.fullmatch(limit_raw) or not _SECONDS.fullmatch(wait_raw):
        return None
    limit, wait = int(limit_raw), float(wait_raw)
    if since > INT64_MAX or not 1 <= limit <= MAX_PAGE or wait > MAX_LONG_POLL_SECONDS:
        return None
    epoch_raw = found.get(b"epoch")
    if epoch_raw is not None and not _TEXT.fullmatch(epoch_raw):
        return None
    as_text = _BOOLS.get(found.get(b"data_as_text", b"false"))
    if as_text is None:
        return None
    return since, limit, wait, None if epoch_raw is None else epoch_raw.decode(), as_text


def _headers(scope: Scope) -> tuple[str | None, str]:
    """(the bearer token, if given as consoles give it; Accept-Encoding)."""
    token: str | None = None
    accept = ""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, credentials = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and credentials.strip():
                token = credentials.strip()
        elif name == b"accept-encoding":
            accept = value.decode("latin-1")
    return token, accept


class ChangesFastPath:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._route: Any = _UNKNOWN

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") != PATH or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        query = parse_query(scope.get("query_string", b""))
        token, accept = _headers(scope)
        application = scope.get("app")
        state = getattr(getattr(application, "state", None), "server", None)
        if query is None or token is None or state is None:
            await self.app(scope, receive, send)
            return
        scope["route"] = self._changes_route(application)  # for the request metrics' label
        since, limit, wait, epoch, as_text = query
        reads = api.feed_reads_of(application)
        try:
            caller = await api.caller_of_token(state, reads, token)
            scope[api.CALLER_KEY] = (caller.username, caller.client_id)
            response = await api.answer_changes(state, reads, caller, since, limit, wait, epoch,
                                                as_text, api.accepts_gzip(accept))
        except ApiError as exc:
            response = error_response(exc.status, exc.code, exc.message, exc.detail, exc.headers)
        await response(scope, receive, send)

    def _changes_route(self, application: Any) -> Any:
        if self._route is _UNKNOWN:
            self._route = next((r for r in [*getattr(application, "routes", ()), *api.router.routes]
                                if getattr(r, "path", None) == PATH), None)
        return self._route


_UNKNOWN = object()
