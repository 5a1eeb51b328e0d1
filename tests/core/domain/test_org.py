"""Org units and scope paths."""

from __future__ import annotations

import pytest

from console.domain.errors import InvalidValue
from console.domain.org import OrgUnit, child_path, in_scope, visible_in_scope


def test_paths_nest_and_scope_is_a_prefix() -> None:
    seoul = child_path("/NPA/", "SEOUL")
    station = child_path(seoul, "S11110")
    assert station == "/NPA/SEOUL/S11110/"
    assert in_scope(station, seoul) and in_scope(station, station)
    assert not in_scope(seoul, station)
    # a sibling whose code starts the same is not inside
    assert not in_scope("/NPA/SEOUL2/", seoul)


def test_inherited_rows_of_offices_above_are_visible() -> None:
    assert visible_in_scope("/NPA/", "/NPA/SEOUL/S1/", inherited=True)
    assert not visible_in_scope("/NPA/", "/NPA/SEOUL/S1/", inherited=False)
    assert not visible_in_scope("/NPA/BUSAN/", "/NPA/SEOUL/S1/", inherited=True)


@pytest.mark.parametrize("code", ["", "a/b", "x" * 33, "한글"])
def test_bad_codes(code: str) -> None:
    with pytest.raises(InvalidValue):
        child_path("/NPA/", code)


def test_org_unit_validation() -> None:
    with pytest.raises(InvalidValue, match="names"):
        OrgUnit(code="S1", level="station", name_ko=" ", name_en="x", parent_code="P", path="/P/S1/")  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="exceeds"):
        OrgUnit(code="S1", level="station", name_ko="종로", name_en="Jongno", parent_code="P",  # type: ignore[arg-type]
                path="/P/S1/", personnel_total=10, personnel_on_duty=11)
