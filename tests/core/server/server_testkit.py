"""Helpers of the server tests: a minimal logged-in console over HTTP."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import requests

from console.server import operations
from console.server.database import Database

PASSWORD = "correct horse"


@dataclass
class World:
    """The org tree and users every API test starts from."""

    db: Database
    users: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (role, org)


ORG_TREE = [
    ("NPA", "national", None, "경찰청", "National Police Agency"),
    ("SEOUL", "provincial", "NPA", "서울경찰청", "Seoul Metropolitan Police Agency"),
    ("BUSAN", "provincial", "NPA", "부산경찰청", "Busan Metropolitan Police Agency"),
    ("S1", "station", "SEOUL", "종로경찰서", "Jongno Police Station"),
    ("S2", "station", "SEOUL", "중부경찰서", "Jung Police Station"),
    ("B1", "station", "BUSAN", "부산진경찰서", "Busanjin Police Station"),
]
USERS = {
    "hq": ("national_hq", "NPA"),
    "seoul": ("provincial_hq", "SEOUL"),
    "busan": ("provincial_hq", "BUSAN"),
    "cmd1": ("station_commander", "S1"),
    "op1": ("station_operator", "S1"),
    "op2": ("station_operator", "S2"),
    "opb": ("station_operator", "B1"),
    "viewer1": ("viewer", "S1"),
}


def seed_world(db: Database) -> World:
    with db.write() as session:
        for code, level, parent, ko, en in ORG_TREE:
            operations.create_org_unit(session, code, level, ko, en, parent, personnel_total=100)
        for name, (role, org) in USERS.items():
            operations.create_user(session, name, PASSWORD, role, org)
    return World(db=db, users=dict(USERS))


class Api:
    """A logged-in console, as far as the HTTP API is concerned."""

    def __init__(self, base: str, username: str | None = None, client_id: str | None = None) -> None:
        self.base = base
        self.http = requests.Session()
        self.client_id = client_id or f"console-{uuid.uuid4().hex[:12]}"
        self.next_seq = 1
        self.login_body: dict[str, Any] = {}
        if username:
            self.login(username)

    def login(self, username: str, password: str = PASSWORD) -> dict[str, Any]:
        r = self.http.post(f"{self.base}/api/v1/login", json={
            "username": username, "password": password, "client_id": self.client_id})
        assert r.status_code == 200, r.text
        self.login_body = r.json()
        self.http.headers["Authorization"] = f"Bearer {self.login_body['token']}"
        return self.login_body

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.http.get(f"{self.base}/api/v1{path}", params=params, timeout=60)

    def post(self, path: str, body: Any) -> requests.Response:
        return self.http.post(f"{self.base}/api/v1{path}", json=body, timeout=60)

    def mutation(self, kind: str, record_kind: str, record_id: str, payload: dict[str, Any],
                 base_version: int | None = None, client_seq: int | None = None,
                 made_at: str | None = None) -> dict[str, Any]:
        if client_seq is None:
            client_seq = self.next_seq
            self.next_seq += 1
        return {"client_seq": client_seq, "kind": kind, "record_kind": record_kind,
                "record_id": record_id, "base_version": base_version, "payload": payload,
                "made_at": made_at or now_iso()}

    def push(self, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
        r = self.post("/mutations", {"client_id": self.client_id, "mutations": list(mutations)})
        assert r.status_code == 200, r.text
        results: list[dict[str, Any]] = r.json()["results"]
        return results

    def push_one(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return self.push(self.mutation(*args, **kwargs))[0]

    def create_incident(self, station: str = "S1", code: int = 2, **extra: Any) -> tuple[str, dict[str, Any]]:
        rid = uuid.uuid4().hex
        payload = {"category": "disorder", "code": code, "title": "shouting at the polling station",
                   "station_code": station, "lat": 37.57, "lon": 126.98, **extra}
        return rid, self.push_one("incident.create", "incident", rid, payload)

    def snapshot_all(self, limit: int = 1000) -> tuple[int, list[dict[str, Any]]]:
        rows: list[dict[str, Any]] = []
        after: str | None = None
        as_of = -1
        while True:
            params: dict[str, Any] = {"limit": limit}
            if after:
                params["after"] = after
            page = self.get("/snapshot", **params)
            assert page.status_code == 200, page.text
            body = page.json()
            as_of = body["as_of"] if as_of < 0 else as_of
            assert body["as_of"] == as_of
            rows.extend(body["rows"])
            after = body["next_after"]
            if after is None:
                return as_of, rows


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


