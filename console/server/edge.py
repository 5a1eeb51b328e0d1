"""What every request meets before the API: limits applied before parsing, security headers on
every answer, and the API documentation served from the installed packages (no CDN: a police
network is offline)."""

from __future__ import annotations

import html
import importlib.util
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from console.protocol.limits import WireLimits, json_depth
from console.server.errors import error_response

# A query string longer than this is refused (every query of the API is a few short values).
MAX_QUERY_BYTES = 4096
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class RequestLimits:
    """Refuses, before anything parses it: a body over `max_body_bytes` (by its Content-Length,
    else while it arrives: 413), JSON nested deeper than `max_json_depth` (parsers recurse: 400),
    a query string that is too long or holds a NUL (no database stores one: 400)."""

    def __init__(self, app: ASGIApp, limits: WireLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query: bytes = scope.get("query_string", b"")
        if len(query) > MAX_QUERY_BYTES:
            await error_response(400, "query_too_long",
                                 f"the query string is longer than {MAX_QUERY_BYTES} bytes"
                                 )(scope, receive, send)
            return
        if b"\x00" in query or b"%00" in query:
            await error_response(400, "invalid_query",
                                 "the query string holds a NUL character (%00), which no value "
                                 "of this API contains")(scope, receive, send)
            return
        if scope.get("method") not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self.limits.max_body_bytes
        too_large = error_response(413, "too_large",
                                   f"the request body is larger than {limit:,} bytes (the server's "
                                   f"limit); send less at once (a push in smaller batches)")
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await too_large(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        depth = json_depth(body) if body else 0
        if depth > self.limits.max_json_depth:
            await error_response(400, "too_deeply_nested",
                                 f"the request nests arrays and objects {depth} levels deep; at "
                                 f"most {self.limits.max_json_depth} are accepted"
                                 )(scope, receive, send)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


# -- security headers ---------------------------------------------------------------------------
# An answer of the API is data: it loads nothing, is framed nowhere, is cached by no one.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# The documentation page runs Swagger UI's script and styles from this server only.
DOCS_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
               "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
COMMON_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
)
HSTS = (b"strict-transport-security", b"max-age=31536000")


class SecurityHeaders:
    """Adds the security headers to every answer (errors and 500s too: it wraps the whole app)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        docs = path == DOCS_PATH or path.startswith(DOCS_STATIC + "/")
        policy = (DOCS_POLICY if docs else API_POLICY).encode()
        extra = [*COMMON_HEADERS, (b"content-security-policy", policy)]
        if not path.startswith(DOCS_STATIC + "/"):
            extra.append((b"cache-control", b"no-store"))
        if scope.get("scheme") == "https":
            extra.append(HSTS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend((n, v) for n, v in extra if n not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- documentation, offline ---------------------------------------------------------------------
DOCS_PATH = "/docs"
DOCS_STATIC = "/docs/static"

# Swagger UI's files, from the `fastapi-offline` package (a dependency: it ships them inside
# the wheel); our own start-up script, so the page runs no inline script (see DOCS_POLICY).
_SWAGGER_FILES = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css",
                  "favicon.png": "image/png"}
_INIT_JS = """window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"), dom_id: "#swagger-ui", deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    layout: "BaseLayout"
  });
});
"""


def swagger_dir() -> Path | None:
    """The folder of Swagger UI's files in the installed packages, or None if not installed."""
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "static"
    return folder if all((folder / name).is_file() for name in _SWAGGER_FILES) else None


def install_docs(app: FastAPI) -> None:
    """/docs: Swagger UI from the installed packages, or (if they lack it) a plain page listing
    the endpoints, with the OpenAPI document at /openapi.json either way."""
    folder = swagger_dir()

    @app.get(DOCS_PATH, include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        openapi = f"{root}{app.openapi_url}"
        title = html.escape(app.title)
        if folder is None:
            return HTMLResponse(_plain_docs(app, openapi))
        static = f"{root}{DOCS_STATIC}"
        return HTMLResponse(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - API</title>
<link rel="stylesheet" href="{static}/swagger-ui.css">
<link rel="icon" href="{static}/favicon.png"></head>
<body><div id="swagger-ui" data-openapi-url="{html.escape(openapi)}"></div>
<script src="{static}/swagger-ui-bundle.js"></script>
<script src="{static}/init.js"></script></body></html>""")

    @app.get(DOCS_STATIC + "/{name}", include_in_schema=False)
    def docs_file(name: str) -> Response:
        if name == "init.js":
            return Response(_INIT_JS, media_type="text/javascript")
        if folder is None or name not in _SWAGGER_FILES:
            return error_response(404, "not_found", f"no documentation file {name!r}")
        return FileResponse(folder / name, media_type=_SWAGGER_FILES[name],
                            headers={"Cache-Control": "public, max-age=86400"})


def _plain_docs(app: FastAPI, openapi_url: str) -> str:
    rows = []
    for path, operations in sorted(app.openapi().get("paths", {}).items()):
        for method, operation in operations.items():
            summary = html.escape(str(operation.get("summary", "")))
            rows.append(f"<tr><td>{method.upper()}</td><td><code>{html.escape(path)}</code></td>"
                        f"<td>{summary}</td></tr>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(app.title)} - API</title></head>
<body><h1>{html.escape(app.title)}</h1>
<p>The interactive documentation (Swagger UI) is not installed with this server; the endpoints
are listed below, and the full OpenAPI document is at <a href="{html.escape(openapi_url)}">
{html.escape(openapi_url)}</a>.</p>
<table>{"".join(rows)}</table></body></html>"""


def wrap(app: Any) -> ASGIApp:
    """The outermost layer of the app: security headers on every answer, 500s included."""
    return SecurityHeaders(app)
