"""The HTTP API v1 endpoints (see the team brief): login, me, snapshot, changes, mutations, audit."""

from __future__ import annotations

import base64
import binascii
import json
import time
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, tuple_

from console import __version__
from console.domain.clock import iso
from console.domain.roles import Role, is_hq
from console.protocol.limits import INT64_MAX
from console.protocol.schema import (
    API_PREFIX,
    API_VERSION,
    MAX_LONG_POLL_SECONDS,
    MAX_PAGE,
    AuditEntry,
    ChangesPage,
    HealthResponse,
    Identifier,
    Int64,
    LoginRequest,
    LoginResponse,
    PushEnvelope,
    PushResponse,
    SnapshotPage,
    UserInfo,
)
from console.server import auth, feed, sessions
from console.server import login as login_flow
from console.server.errors import ApiError, error_responses, unauthenticated
from console.server.longpoll import Encoded, FeedReads
from console.server.push import ClientTaken, MalformedPush, push
from console.server.scope import visible_clause, within_clause
from console.server.settings import ServerState
from console.server.tables import AuditRecord, RowRecord

DEFAULT_PAGE = 1000

bearer = HTTPBearer(auto_error=False, description="the token from POST /api/v1/login")
health_router = APIRouter(tags=["health"])
router = APIRouter(prefix=API_PREFIX, tags=["api v1"])


async def state_of(request: Request) -> ServerState:  # async: no thread for a look-up
    server_state: ServerState = request.app.state.server
    return server_state


State = Annotated[ServerState, Depends(state_of)]


def current_caller(state: State,
                   credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
                   ) -> auth.Caller:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise unauthenticated()
    caller = login_flow.resolve_caller(state, credentials.credentials)
    if caller is None:
        raise unauthenticated()
    return caller


CALLER_KEY = "sitroom.caller"  # (user name, client id) for the request log (console.server.app)


def logged_caller(request: Request, caller: Annotated[auth.Caller, Depends(current_caller)]
                  ) -> auth.Caller:
    request.scope[CALLER_KEY] = (caller.username, caller.client_id)
    return caller


Caller = Annotated[auth.Caller, Depends(logged_caller)]


# -- health -----------------------------------------------------------------------------------
@health_router.get("/health", response_model=HealthResponse, response_model_exclude_none=True,
                   summary="Server status: 'ok' to anyone; version, database and feed position "
                           "with a token", responses=error_responses(401))
def health(state: State,
           credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
           ) -> HealthResponse:
    # A stranger learns that the server answers, its API version and its clock (the demo's
    # simulator and a console follow the clock before they log in; the HTTP Date header tells
    # the time anyway). The software version, the database and the feed position only go to a
    # caller with a valid token: they help an attacker pick an exploit or watch the traffic.
    caller = current_caller(state, credentials) if credentials is not None else None
    head, epoch, ok = 0, "", True
    try:
        with state.db.read() as session:
            head = feed.head(session)
            epoch = feed.meta(session).epoch
    except Exception:
        ok = False
    status = "ok" if ok else "degraded"
    if caller is None:
        return HealthResponse(status=status, api_version=API_VERSION, clock=state.clock.info())
    return HealthResponse(status=status, version=__version__,
                          api_version=API_VERSION, database=state.db.kind, database_ok=ok,
                          feed_head=head, server_epoch=epoch, clock=state.clock.info())


# -- login ------------------------------------------------------------------------------------
@router.post("/login", response_model=LoginResponse, summary="Log in; returns a bearer token",
             description="Failed logins are counted per user name and per address; after too "
                         "many, logins are refused for a while (429, with Retry-After). A "
                         "console (client_id) belongs for good to the user who first logged in "
                         "with it (409 for anyone else).",
             responses=error_responses(401, 403, 409, 422, 429))
def login(body: LoginRequest, state: State, request: Request) -> LoginResponse:
    address = request.client.host if request.client is not None else "unknown"
    request.scope[CALLER_KEY] = (body.username, body.client_id)
    return login_flow.log_in(state, body, address)


@router.post("/logout", status_code=204, summary="End this session for good",
             response_class=Response, responses=error_responses(401))
def logout(state: State, request: Request,
           credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Response:
    if credentials is None or not login_flow.log_out(state, credentials.credentials):
        raise unauthenticated()
    feed_reads(request).forget_caller(sessions.token_digest(credentials.credentials))
    return Response(status_code=204)


@router.get("/me", response_model=UserInfo, summary="The logged-in user",
            responses=error_responses(401, 403))
def me(caller: Caller, state: State) -> UserInfo:
    with state.db.read() as session:
        return login_flow.user_info(session, caller.username, caller.display_name, caller.role,
                                    caller.org_code)


# -- snapshot ---------------------------------------------------------------------------------
def _encode_cursor(epoch: str, as_of: int, total: int, kind: str, rid: str) -> str:
    raw = json.dumps({"e": epoch, "a": as_of, "t": total, "k": kind, "i": rid}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


class _SnapshotCursor(BaseModel):
    """A snapshot cursor as this server writes it; anything else is refused (a forged one can
    carry any JSON: lists, huge or non-finite numbers, text no database stores)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    e: Identifier = Field(max_length=64)
    a: Int64 = Field(ge=0)
    t: Int64 = Field(ge=0)
    k: Identifier = Field(max_length=32)
    i: Identifier = Field(max_length=64)


def _decode_cursor(cursor: str) -> dict[str, Any]:
    refused = ApiError(400, "invalid_cursor", "the snapshot cursor is not one this server gave; "
                                              "start the snapshot again without 'after'")
    if len(cursor) > 1024:
        raise refused
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return _SnapshotCursor.model_validate_json(raw).model_dump()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise refused from None


@router.get("/snapshot", response_model=SnapshotPage,
            summary="The rows in your scope, keyset-paged (first sync)",
            responses=error_responses(400, 401, 410, 422))
def snapshot(caller: Caller, state: State,
             after: Annotated[str | None, Query(description="next_after of the previous page")] = None,
             limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
             data_as_text: Annotated[bool, Query(description="rows as RowText (data as JSON text)")]
             = False) -> Response:
    cursor = _decode_cursor(after) if after else None
    with state.db.read() as session:
        epoch = feed.meta(session).epoch
        if cursor is not None and cursor["e"] != epoch:
            raise ApiError(410, "cursor_expired", "the server database changed; start the snapshot again")
        if cursor is None:
            as_of = feed.head(session)
            total = feed.count_rows(session, caller.scope_path)
        else:
            as_of, total = int(cursor["a"]), int(cursor["t"])
        query = select(*feed.wire_columns(RowRecord)).where(
            RowRecord.deleted.is_(False),
            visible_clause(RowRecord.org_path, RowRecord.kind, caller.scope_path))
        if cursor is not None:
            query = query.where(tuple_(RowRecord.kind, RowRecord.id) > tuple_(cursor["k"], cursor["i"]))
        records = session.execute(query.order_by(RowRecord.kind, RowRecord.id).limit(limit + 1)).all()
    more = len(records) > limit
    records = records[:limit]
    next_after = (_encode_cursor(epoch, as_of, total, records[-1].kind, records[-1].id)
                  if more else None)
    # Written once, straight from the stored JSON (see feed.row_json); the response_model above
    # documents it. Field order as SnapshotPage's.
    rows = ",".join(feed.row_json(*r, as_text=data_as_text) for r in records)
    return _json(f'{{"as_of":{as_of},"server_epoch":{feed.json_text(epoch)},"rows":[{rows}],'
                 f'"next_after":{feed.json_text(next_after)},"total":{total}}}')


def _json(body: str) -> Response:
    return Response(body.encode("utf-8"), media_type="application/json")


# -- changes ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _ChangesAnswer:
    since: int
    read: feed.ChangesRead
    epoch: str
    _shared: dict[bool, Encoded] = field(default_factory=dict, compare=False, repr=False)

    @property
    def cursor(self) -> int:
        return self.read.cursor

    @property
    def more(self) -> bool:
        return self.read.more

    @cached_property
    def size(self) -> int:
        """About how many bytes it holds (its rows, twice once encoded), for the page cache."""
        return 512 + 3 * sum(len(e[1][4]) + 200 for e in self.read.entries)

    def _body(self, client_id: str | None, as_text: bool) -> bytes:
        return (f'{{"since":{self.since},"cursor":{self.read.cursor},'
                f'"changes":{self.read.changes_json(client_id, as_text)},'
                f'"more":{"true" if self.read.more else "false"},'
                f'"server_epoch":{feed.json_text(self.epoch)}}}').encode()

    def encoded(self, client_id: str, as_text: bool) -> Encoded:
        """The page for this console: its own changes name the mutation that made them; the
        consoles that made none of them share one body (and its gzip), written once."""
        if client_id in self.read.origins:
            return Encoded(partial(self._body, client_id, as_text))
        found = self._shared.get(as_text)
        if found is None:
            found = self._shared[as_text] = Encoded(partial(self._body, None, as_text))
        return found


def _read_changes(state: ServerState, caller: auth.Caller, since: int, limit: int,
                  epoch: str | None) -> _ChangesAnswer:
    with state.db.read() as session:
        info = feed.meta(session)
        if epoch is not None and epoch != info.epoch:
            raise ApiError(410, "cursor_expired", "the server database changed; re-snapshot",
                           {"server_epoch": info.epoch})
        read = feed.read_changes(session, since, caller.scope_path, limit)
        if since < info.feed_floor or since > read.head:
            raise ApiError(410, "cursor_expired",
                           f"cursor {since} is outside the retained feed "
                           f"({info.feed_floor}..{read.head}); re-snapshot",
                           {"feed_floor": info.feed_floor, "feed_head": read.head,
                            "server_epoch": info.epoch})
    return _ChangesAnswer(since=since, read=read, epoch=info.epoch)


def feed_reads_of(app: Any) -> FeedReads:
    """An application's long-poll machinery (console.server.longpoll), made at first use."""
    found: FeedReads | None = getattr(app.state, "feed_reads", None)
    if found is None:
        found = app.state.feed_reads = FeedReads()
    return found


def feed_reads(request: Request) -> FeedReads:
    return feed_reads_of(request.app)


async def long_poll_caller(request: Request, state: State,
                           credentials: Annotated[HTTPAuthorizationCredentials | None,
                                                  Depends(bearer)]) -> auth.Caller:
    """`current_caller` for GET /changes, on the event loop (see `caller_of_token`)."""
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise unauthenticated()
    caller = await caller_of_token(state, feed_reads(request), credentials.credentials)
    request.scope[CALLER_KEY] = (caller.username, caller.client_id)
    return caller


async def caller_of_token(state: ServerState, reads: FeedReads, token: str) -> auth.Caller:
    """The caller of a long-poll's token: kept per process and checked with all the others every
    few seconds (FeedReads), else looked up on the long-polls' threads. A console long-polls
    again at once after each answer: with a thousand of them, a look-up per request cost more
    than the feed reads. A session ended elsewhere (an administrator, another process) stops
    long-polling within those seconds; its pushes stop at once. Raises 401."""
    digest = sessions.token_digest(token)
    caller: auth.Caller | None = reads.caller(digest)
    if caller is None:
        reads.stats.caller_reads += 1
        caller = await reads.look_up(login_flow.resolve_caller, state, token)
        if caller is None:
            raise unauthenticated()
        reads.remember_caller(digest, caller)
    return caller


@router.get("/changes", response_model=ChangesPage,
            summary="Changes in your scope after a cursor (long-poll with wait)",
            description="Pages of many changes are sent gzip-compressed to a client that accepts "
                        "it. While the server catches up many consoles at once it may answer "
                        "503 `server_busy` with Retry-After: ask again after that many seconds.",
            responses=error_responses(401, 410, 422))
async def changes(request: Request, state: State,
                  caller: Annotated[auth.Caller, Depends(long_poll_caller)],
                  since: Annotated[int, Query(ge=0, le=INT64_MAX,
                                              description="last seq already applied")],
                  limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
                  wait: Annotated[float, Query(ge=0, le=MAX_LONG_POLL_SECONDS,
                                               description="seconds to wait for a change")] = 0.0,
                  epoch: Annotated[str | None, Query(max_length=64,
                                                     description="the server_epoch you synced with")]
                  = None,
                  data_as_text: Annotated[bool, Query(description="rows as RowText (data as JSON text)")]
                  = False) -> Response:
    # The usual request comes by console.server.fastpath, which skips FastAPI's routing and
    # dependencies (most of a long-poll's cost at a thousand consoles) and calls answer_changes.
    return await answer_changes(state, feed_reads(request), caller, since, limit, wait, epoch,
                                data_as_text, accepts_gzip(request.headers.get("accept-encoding", "")))


async def answer_changes(state: ServerState, reads: FeedReads, caller: auth.Caller, since: int,
                         limit: int, wait: float, epoch: str | None, data_as_text: bool,
                         gzipped: bool) -> Response:
    """GET /changes: the page after `since` in the caller's scope, waiting up to `wait` seconds
    for one on the event loop (no thread held)."""
    deadline = time.monotonic() + wait
    notifier = state.notifier
    if wait > 0:
        _watch_feed(state, reads)
    key = (caller.scope_path, since, limit, epoch)
    read = partial(_read_changes, state, caller, since, limit, epoch)
    while True:
        if notifier.closed:
            raise _stopping()
        # Take the wake-up event before reading, so a commit in between is not missed.
        event = notifier.current(caller.scope_path)
        page: _ChangesAnswer = await reads.page(key, event, read)
        remaining = deadline - time.monotonic()
        if page.read.entries or page.read.more or remaining <= 0 or notifier.closed:
            break  # a page ending at a boundary before the head is answered at once: more follows
        # Asleep on the loop until a commit in this scope (no thread held, no database asked;
        # writers that do not notify are caught by the process's one watch, _watch_feed).
        await notifier.wait(event, remaining)
        if notifier.closed:
            break  # the server is stopping: the page read stands (the console asks again later)
    if not page.read.entries and not page.read.more and not notifier.closed:
        # Nothing in the scope: the answer moves the cursor to the head, which other scopes'
        # commits may have moved since the scope's page was read (it is kept until the scope's
        # next commit). Read again while anything was committed since: shared by the consoles
        # at this cursor until the next commit anywhere (the national scope's event).
        page = await reads.page((*key, "head"), notifier.current("/"), read)
    content, compressed = await reads.encode(page.encoded(caller.client_id, data_as_text), gzipped)
    if compressed:
        return Response(content, media_type="application/json",
                        headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return Response(content, media_type="application/json")


def _stopping() -> ApiError:
    from console.server.app import STOPPING_RETRY_AFTER

    return ApiError(503, "server_stopping", "the server is stopping; try again shortly",
                    headers={"Retry-After": STOPPING_RETRY_AFTER})


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header takes gzip."""
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _watch_feed(state: ServerState, reads: FeedReads) -> None:
    if reads.watching:
        return
    notifier = state.notifier
    reads.watch(state.settings.poll_recheck, partial(_feed_head, state),
                lambda: notifier.current("/"), notifier.notify, lambda: notifier.closed,
                partial(_sessions_in_force, state))


def _sessions_in_force(state: ServerState, digests: list[str]) -> dict[str, tuple[str, str]]:
    with state.db.read() as session:
        found, due = sessions.in_force_many(session, digests)
    if due:  # their consoles long-poll: their idle clocks move on
        with state.db.write() as session:
            sessions.touch_many(session, due)
    return found


def _feed_head(state: ServerState) -> tuple[int, str]:
    with state.db.read() as session:
        return feed.head(session), feed.meta(session).epoch


# -- mutations --------------------------------------------------------------------------------
@router.post("/mutations", response_model=PushResponse,
             summary="Push mutations: applied in client_seq order, exactly once",
             responses=error_responses(401, 403, 409, 413, 422))
def mutations(body: PushEnvelope, caller: Caller, state: State) -> Response:
    if body.client_id != caller.client_id:
        raise ApiError(403, "client_id_mismatch",
                       f"this push names console {body.client_id}, but your session was opened by "
                       f"console {caller.client_id}: push from the console you logged in with, "
                       "or log in again from this one")
    try:
        answer = push(state.db, caller, body, state.clock, state.settings.limits)
    except ClientTaken as exc:
        raise ApiError(409, "client_id_in_use", str(exc)) from None
    except MalformedPush as exc:
        raise ApiError(422, "validation_error", str(exc), {"reason": exc.code}) from None
    # Built and validated once by push(); not again by FastAPI (response_model documents it).
    return Response(answer.model_dump_json(), media_type="application/json")


# -- audit ------------------------------------------------------------------------------------
@router.get("/audit", response_model=list[AuditEntry],
            summary="The audit log in your scope, newest first (HQ roles)",
            responses=error_responses(401, 403, 422))
def audit(caller: Caller, state: State,
          record_kind: Annotated[Identifier | None, Query(max_length=32)] = None,
          record_id: Annotated[Identifier | None, Query(max_length=64)] = None,
          username: Annotated[Identifier | None, Query(max_length=64)] = None,
          before_id: Annotated[int | None, Query(ge=1, le=INT64_MAX,
                                                 description="page: entries older than this id")]
          = None,
          limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 200) -> list[AuditEntry]:
    if not is_hq(caller.role):
        raise ApiError(403, "forbidden", "the audit log is for national and provincial HQ")
    query = select(AuditRecord).where(within_clause(AuditRecord.org_path, caller.scope_path)
                                      if caller.role != Role.NATIONAL_HQ
                                      else AuditRecord.id.is_not(None))
    if record_kind:
        query = query.where(AuditRecord.record_kind == record_kind)
    if record_id:
        query = query.where(AuditRecord.record_id == record_id)
    if username:
        query = query.where(AuditRecord.username == username)
    if before_id:
        query = query.where(AuditRecord.id < before_id)
    with state.db.read() as session:
        records = session.scalars(query.order_by(AuditRecord.id.desc()).limit(limit)).all()
    return [AuditEntry(id=r.id, at=iso(r.at), username=r.username, client_id=r.client_id,
                       action=r.action, record_kind=r.record_kind, record_id=r.record_id,
                       before=r.before, after=r.after) for r in records]
