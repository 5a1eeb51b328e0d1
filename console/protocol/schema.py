"""Request and response models of the sitroom HTTP API, version 1.

Both ends import these: the server to validate and document (OpenAPI), the console to build
requests and read answers. Row data travels as the plain dicts of `console.domain.records`.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from console.domain.records import RecordKind
from console.domain.roles import Role
from console.protocol.limits import (
    DEFAULT_LIMITS,
    INT64_MAX,
    WireLimits,
    identifier_problem,
    text_problem,
    value_problem,
)

API_VERSION = "1"
API_PREFIX = "/api/v1"
MAX_PUSH_BATCH = 500
MAX_PAGE = 5000
MAX_LONG_POLL_SECONDS = 30.0


def _storable(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _identifier(value: str) -> str:
    problem = identifier_problem(value)
    if problem:
        raise ValueError(problem)
    return value


# Text a database can store: no NUL, no lone surrogate (PostgreSQL refuses both).
Text = Annotated[str, AfterValidator(_storable)]
# A name or id: storable text without control characters.
Identifier = Annotated[str, AfterValidator(_identifier)]
# A whole number the databases store (BIGINT): larger ones would fail in the driver.
Int64 = Annotated[int, Field(le=INT64_MAX)]


class _Model(BaseModel):
    """A request: unknown fields are refused (a typo must not pass as a default)."""

    model_config = ConfigDict(extra="forbid")


class _Answer(BaseModel):
    """An answer the console reads: unknown fields are ignored, so a console keeps working with a
    newer server that adds fields (stations are updated one by one)."""

    model_config = ConfigDict(extra="ignore")


class ErrorBody(_Answer):
    """Every 4xx/5xx answer: a stable machine code and a message for people."""

    code: str = Field(description="stable machine-readable error code, e.g. 'invalid_value'")
    message: str = Field(description="what went wrong, for a person")
    detail: Any = Field(default=None, description="optional structured detail")


class LoginRequest(_Model):
    username: Identifier = Field(min_length=1, max_length=64)
    password: Text = Field(min_length=1, max_length=256)
    client_id: Identifier = Field(min_length=8, max_length=64,
                                  description="the console installation's id")


class UserInfo(_Answer):
    username: str
    display_name: str
    role: Role
    org_code: str
    org_path: str
    org_name_ko: str
    org_name_en: str


class ClockInfo(_Answer):
    """The server's clock. In production `speed` is 1 and this corrects a console's clock skew;
    the demo runs an accelerated scenario clock, which every console then follows."""

    now: str = Field(description="the server's current time (ISO 8601)")
    speed: float = Field(default=1.0, gt=0, description="scenario seconds per real second")


class LoginResponse(_Answer):
    token: str
    expires_at: str
    user: UserInfo
    server_epoch: str = Field(description="changes when the server database is re-created or restored")
    clock: ClockInfo


class HealthResponse(_Answer):
    """`status` ('ok' or 'degraded'), the API version and the clock for anyone; the rest only to
    a caller with a valid token (a stranger learns nothing of the software or the feed)."""

    status: str
    api_version: str
    clock: ClockInfo
    version: str | None = None
    database: str | None = None
    database_ok: bool | None = None
    feed_head: int | None = None
    server_epoch: str | None = None


class Row(_Answer):
    """One synchronised row as the console mirrors it."""

    kind: RecordKind
    id: str
    version: int = Field(ge=1)
    org_path: str
    data: dict[str, Any]
    deleted: bool = False


class RowText(_Answer):
    """A Row whose data comes as JSON text (asked for with `data_as_text=true`): a console stores
    it as it comes, without parsing and serialising it again."""

    kind: RecordKind
    id: str
    version: int = Field(ge=1)
    org_path: str
    data: str = Field(description="the row's data object as JSON text")
    deleted: bool = False

    @field_validator("data", mode="before")
    @classmethod
    def _object_as_text(cls, value: Any) -> Any:
        # A server older than `data_as_text` ignores the parameter and sends the object.
        return _TEXT(value) if isinstance(value, dict) else value


_TEXT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode

# The row form of a page: Row (data as an object), or RowText with `data_as_text=true`.
RowT = TypeVar("RowT", Row, RowText)


class SnapshotPage(_Answer, Generic[RowT]):
    """A page of the first sync. Page through with `after` until `next_after` is null,
    then pull changes since `as_of` (taken before the first page)."""

    as_of: int
    server_epoch: str
    rows: list[RowT]
    next_after: str | None = Field(description="opaque cursor for the next page; null at the end")
    total: int = Field(description="rows in scope, for progress reporting")


class Change(_Answer, Generic[RowT]):
    seq: int
    row: RowT
    own_seq: int | None = Field(
        default=None, description="set for the requesting console's own mutation that made this "
                                  "change (its client_seq): the change acknowledges it")


class ChangesPage(_Answer, Generic[RowT]):
    """Changes after `since`, in feed order. `cursor` is where to continue; it may move past
    changes outside the caller's scope. `more` says another page is ready at once."""

    since: int
    cursor: int
    changes: list[Change[RowT]]
    more: bool
    server_epoch: str


class MutationIn(_Model):
    """One mutation of a push. The payload is checked against the limits given as the
    validation context's "limits" (a WireLimits), else the defaults."""

    client_seq: Int64 = Field(ge=1, description="per-client sequence number, from 1, no gaps")
    kind: Identifier = Field(max_length=64, description="mutation kind, e.g. 'incident.transition'")
    record_kind: RecordKind
    record_id: Identifier = Field(min_length=1, max_length=64)
    base_version: Int64 | None = Field(
        default=None, ge=0, description="version the edit was based on; null for creates"
    )
    payload: dict[str, Any] = Field(default_factory=dict)
    made_at: Identifier = Field(max_length=64,
                                description="when the user made it on the console (ISO 8601)")

    @field_validator("payload")
    @classmethod
    def _payload_within_limits(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        limits = (info.context or {}).get("limits") if isinstance(info.context, dict) else None
        problem = value_problem(value, limits if isinstance(limits, WireLimits) else DEFAULT_LIMITS)
        if problem:
            raise ValueError(problem)
        return value


class PushRequest(_Model):
    """A push as a console sends it. The server reads it as a PushEnvelope: the envelope
    strictly, each mutation on its own (a malformed one is rejected alone, with its reason)."""

    client_id: Identifier = Field(min_length=8, max_length=64)
    mutations: list[MutationIn] = Field(max_length=MAX_PUSH_BATCH)


class PushEnvelope(_Model):
    """A push as the server reads it: `client_id` (the session's own) and up to MAX_PUSH_BATCH
    mutations, each an object with a `client_seq` and otherwise a MutationIn, checked one by
    one. A mutation that is not a MutationIn gets its own rejected result ('invalid_mutation');
    only a malformed envelope (this object, a mutation that is not an object or has no valid
    client_seq, or two different mutations with one client_seq) fails the whole request."""

    client_id: Identifier = Field(min_length=8, max_length=64)
    mutations: list[dict[str, Any]] = Field(
        max_length=MAX_PUSH_BATCH,
        description="MutationIn objects (see that schema), in any order; applied by client_seq")


class MutationStatus(StrEnum):
    APPLIED = "applied"
    REJECTED = "rejected"  # broke a rule, or out of scope, or not permitted: final
    CONFLICT = "conflict"  # stale base version: the user decides
    DEFERRED = "deferred"  # an earlier client_seq is missing; send it first, then retry


class MutationResult(_Answer):
    client_seq: int
    status: MutationStatus
    # As sent: a RecordKind value, or (for a malformed mutation) what it named, or "".
    record_kind: RecordKind | str
    record_id: str
    version: int | None = Field(default=None, description="the row's version after it was applied")
    seq: int | None = Field(default=None, description="its position in the change feed")
    error_code: str | None = None
    message: str | None = None
    server_row: Row | None = Field(default=None, description="the server's row, for conflicts")


class PushResponse(_Answer):
    results: list[MutationResult]


class AuditEntry(_Answer):
    id: int
    at: str
    username: str
    client_id: str | None
    action: str
    record_kind: str | None
    record_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
