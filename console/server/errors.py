"""API errors: one exception type with a stable code, and handlers that answer with ErrorBody."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from console.protocol.schema import ErrorBody

log = logging.getLogger("sitroom.server.errors")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, detail: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
        self.headers = headers


def unauthenticated(message: str = "log in first: the token is missing, unknown or expired") -> ApiError:
    return ApiError(401, "unauthenticated", message, headers={"WWW-Authenticate": "Bearer"})


def error_response(status: int, code: str, message: str, detail: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(code=code, message=message, detail=jsonable_encoder(detail))
    return JSONResponse(status_code=status, content=body.model_dump(mode="json"), headers=headers)


# Documented on every endpoint that can answer with them (OpenAPI `responses=`).
def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "bad request", 401: "not logged in, or the token expired (code 'unauthenticated')",
        403: "not permitted for this user", 404: "not found",
        409: "conflict with the server's state", 410: "cursor expired: re-snapshot",
        413: "the request body is larger than the server's limit (code 'too_large')",
        422: "the request does not match the schema (code 'validation_error')",
        429: "too many failed logins: locked out for a while (code 'too_many_attempts'; "
             "Retry-After says how many seconds)",
        500: "the server failed (code 'internal_error'); the error is logged",
        503: "the database is unavailable (code 'database_unavailable'); retry later",
    }
    return {s: {"model": ErrorBody, "description": descriptions[s]} for s in (*statuses, 500, 503)}


_HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 406: "not_acceptable", 413: "too_large",
               415: "unsupported_media_type"}


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        message = f"{where}: {first.get('msg', 'invalid')}" if where else "invalid request"
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
                  for e in errors]
        return error_response(422, "validation_error", message, detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail), None,
                              dict(exc.headers) if exc.headers else None)

    @app.exception_handler(OperationalError)
    async def _database_down(_request: Request, exc: OperationalError) -> JSONResponse:
        log.error("database unavailable: %s", str(exc.orig or exc).splitlines()[0])
        return error_response(503, "database_unavailable", "the database is unavailable; retry later",
                              headers={"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return error_response(500, "internal_error", "the server failed; the error is logged")
