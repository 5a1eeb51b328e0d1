"""Replica test helpers: rows of a small org tree, and a replica logged in as a station operator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from console.domain.org import OrgLevel, OrgUnit
from console.domain.records import RecordKind, to_data
from console.domain.roles import Role
from console.protocol.schema import Row, UserInfo
from console.replica import Replica

STATION_PATH = "/NPA/SEOUL/S1/"


def org_row(code: str, level: OrgLevel, parent: str | None, path: str, version: int = 1) -> Row:
    unit = OrgUnit(code=code, level=level, name_ko=code, name_en=code, parent_code=parent, path=path,
                   personnel_total=100, personnel_on_duty=10)
    return Row(kind=RecordKind.ORG, id=code, version=version, org_path=path, data=to_data(unit))


def incident_payload(**extra: Any) -> dict[str, Any]:
    payload = {"category": "disorder", "code": 2, "title": "noise at polling station",
               "station_code": "S1", "lat": 37.5, "lon": 127.0}
    payload.update(extra)
    return payload


def base_rows() -> list[Row]:
    return [
        org_row("NPA", OrgLevel.NATIONAL, None, "/NPA/"),
        org_row("SEOUL", OrgLevel.PROVINCIAL, "NPA", "/NPA/SEOUL/"),
        org_row("S1", OrgLevel.STATION, "SEOUL", STATION_PATH),
    ]


OPERATOR = UserInfo(username="op1", display_name="Operator", role=Role.STATION_OPERATOR, org_code="S1",
                    org_path=STATION_PATH, org_name_ko="S1", org_name_en="S1")


@pytest.fixture
def replica(tmp_path: Path) -> Iterator[Replica]:
    r = Replica(tmp_path / "profile" / "replica.sqlite3")
    r.meta_set("user", OPERATOR.model_dump(mode="json"))
    r.begin_snapshot("epoch-1", 3, wipe=False)
    r.apply_snapshot_page(base_rows(), done=True, as_of=3)
    yield r
    r.close()
