"""Synthetic domain rows for previews, benchmarks and tests: valid incidents as the domain stores
them, in bulk, made at one fixed moment (SAMPLE_NOW)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from console.domain.clock import iso
from console.domain.mutations import MutationContext, apply_mutation
from console.domain.records import RecordKind

# The moment synthetic rows are made at: 10:20 KST on election day 2025 (tests' consoles stand
# there too, so ages are what the rows say, whatever the wall clock).
SAMPLE_NOW = datetime(2025, 6, 3, 1, 20, tzinfo=UTC)


def now_iso() -> str:
    return iso(SAMPLE_NOW)


CATEGORIES = ("bribery", "false_information", "election_violence", "disorder", "protest",
              "deepfake", "ballot_transport", "violence", "other")
PLACES = ("종로구 청운효자동 투표소", "Jongno-gu Sajik-dong", "Gwanghwamun Square", "세종로 집회 현장",
          "Hyehwa-dong polling station", "Samcheong-dong", "Gahoe-dong")


def incident_data(id: str, *, code: int = 2, category: str = "disorder", status: str = "new",
                  created_at: str | None = None, station: str = "S11110", title: str = "",
                  place: str = "", units: list[str] | None = None) -> dict[str, Any]:
    """A valid incident row's data, as the domain would store it."""
    ctx = MutationContext(actor="kim", actor_org=station, at=created_at or now_iso(), console="test")
    data = apply_mutation("incident.create", RecordKind.INCIDENT, id, None, {
        "category": category, "code": code, "title": title or f"Incident {id[:6]}",
        "station_code": station, "lat": 37.573, "lon": 126.979, "place": place}, ctx)
    data["status"] = status
    data["assigned_units"] = list(units or [])
    return data


def many_incidents(n: int, *, stations: int = 12, seed: int = 7) -> list[tuple[str, dict[str, Any]]]:
    """`n` varied incidents (cheap to build: one template, varied fields)."""
    import random
    from datetime import timedelta

    rng = random.Random(seed)
    base = incident_data("template")
    now = SAMPLE_NOW
    statuses = ("new", "acknowledged", "dispatched", "on_scene", "resolved", "closed")
    out: list[tuple[str, dict[str, Any]]] = []
    for i in range(n):
        d = dict(base)
        id = f"{i:08x}{rng.getrandbits(32):08x}"
        d.update(id=id, code=rng.choice((0, 1, 2, 2, 3, 3, 3, 4)), category=rng.choice(CATEGORIES),
                 status=rng.choice(statuses), station_code=f"S{11110 + rng.randrange(stations) * 10}",
                 place=rng.choice(PLACES), title=f"Incident {i}",
                 created_at=iso(now - timedelta(seconds=rng.randrange(6 * 3600))),
                 assigned_units=[f"P{rng.randrange(40):02d}"] if rng.random() < 0.4 else [])
        out.append((id, d))
    return out
