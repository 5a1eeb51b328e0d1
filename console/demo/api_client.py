"""A minimal HTTP client of the sitroom API for the simulator: log in, push mutations, read health."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import requests

from console.domain.clock import iso
from console.domain.records import RecordKind
from console.protocol.schema import (
    API_PREFIX,
    MAX_PUSH_BATCH,
    HealthResponse,
    LoginRequest,
    LoginResponse,
    MutationIn,
    MutationResult,
    PushRequest,
    PushResponse,
)

log = logging.getLogger("sitroom.demo.client")


class ApiError(Exception):
    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"HTTP {status}: {body[:300]}")
        self.status = status


@dataclass
class PendingMutation:
    kind: str
    record_kind: RecordKind
    record_id: str
    payload: dict[str, Any]
    made_at: datetime
    base_version: int | None = None


@dataclass
class ApiClient:
    """One simulated console: a user, a client id and its own client_seq stream."""

    base_url: str
    username: str
    password: str = ""
    client_id: str = field(default_factory=lambda: f"sim-{uuid.uuid4().hex[:20]}")
    token: str | None = None
    timeout: float = 60.0

    def __post_init__(self) -> None:
        self._http = requests.Session()
        self._next_seq = 1

    def login(self) -> LoginResponse:
        body = LoginRequest(username=self.username, password=self.password, client_id=self.client_id)
        resp = self._http.post(f"{self.base_url}{API_PREFIX}/login", json=body.model_dump(),
                               timeout=self.timeout)
        if resp.status_code != 200:
            raise ApiError(resp.status_code, resp.text)
        login = LoginResponse.model_validate(resp.json())
        self.token = login.token
        return login

    def health(self) -> HealthResponse:
        resp = self._http.get(f"{self.base_url}/health", timeout=self.timeout)
        if resp.status_code != 200:
            raise ApiError(resp.status_code, resp.text)
        return HealthResponse.model_validate(resp.json())

    def push(self, mutations: list[PendingMutation]) -> list[MutationResult]:
        """Push in order (batches of at most MAX_PUSH_BATCH); a transport failure retries the
        same client_seqs, which the server answers idempotently."""
        results: list[MutationResult] = []
        for start in range(0, len(mutations), MAX_PUSH_BATCH):
            chunk = mutations[start:start + MAX_PUSH_BATCH]
            first = self._next_seq
            items = [
                MutationIn(client_seq=first + i, kind=m.kind, record_kind=m.record_kind,
                           record_id=m.record_id, base_version=m.base_version, payload=m.payload,
                           made_at=iso(m.made_at))
                for i, m in enumerate(chunk)
            ]
            request = PushRequest(client_id=self.client_id, mutations=items)
            response = self._post_with_retry(request)
            self._next_seq = first + len(chunk)
            results.extend(response.results)
        return results

    def _post_with_retry(self, request: PushRequest, attempts: int = 3) -> PushResponse:
        if self.token is None:
            self.login()
        last: Exception | None = None
        for _ in range(attempts):
            try:
                resp = self._http.post(f"{self.base_url}{API_PREFIX}/mutations",
                                       data=request.model_dump_json(),
                                       headers={"Authorization": f"Bearer {self.token}",
                                                "Content-Type": "application/json"},
                                       timeout=self.timeout)
            except requests.RequestException as exc:
                last = exc
                continue
            if resp.status_code == 401 and self.password:
                self.login()
                continue
            if resp.status_code != 200:
                raise ApiError(resp.status_code, resp.text)
            return PushResponse.model_validate(resp.json())
        raise ApiError(0, f"push failed after {attempts} attempts: {last!r}")

    def close(self) -> None:
        self._http.close()
