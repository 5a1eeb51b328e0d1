"""Domain test helpers: one incident ('i1') made and moved through mutations by kim of S1."""

from __future__ import annotations

from typing import Any

from console.domain.mutations import MutationContext, apply_mutation

CTX = MutationContext(actor="kim", actor_org="S1", at="2026-06-03T06:00:00Z", console="c1",
                      province_of=lambda code: "SEOUL" if code == "S1" else None)
NEW = {"category": "violence", "code": 1, "title": "fight", "station_code": "S1", "lat": 37.5, "lon": 127.0}


def create(**kw: Any) -> dict[str, Any]:
    return apply_mutation("incident.create", "incident", "i1", None, {**NEW, **kw}, CTX)


def step(data: dict[str, Any], kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    return apply_mutation(kind, "incident", "i1", data, payload, CTX)
