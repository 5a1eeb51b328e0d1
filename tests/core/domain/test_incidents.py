"""Incident rules: the status machine, 112 codes, routing and escalation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from console.domain.clock import parse_time
from console.domain.errors import IllegalTransition, InvalidValue
from console.domain.incidents import (
    ACK_LIMIT,
    TRANSITIONS,
    Incident,
    IncidentCategory,
    IncidentStatus,
    PriorityCode,
    check_transition,
    route_for,
)

S = IncidentStatus


def make(**kw: object) -> Incident:
    fields: dict[str, object] = dict(
        id="i1", category="violence", code=1, title="fight at polling station",
        station_code="S11110", lat=37.57, lon=126.98, created_at="2026-06-03T06:00:00+09:00",
        created_by="kim",
    )
    fields.update(kw)
    return Incident(**fields)  # type: ignore[arg-type]


ALLOWED = {
    (S.NEW, S.ACKNOWLEDGED),
    (S.ACKNOWLEDGED, S.DISPATCHED), (S.ACKNOWLEDGED, S.RESOLVED),
    (S.DISPATCHED, S.ON_SCENE), (S.DISPATCHED, S.ACKNOWLEDGED), (S.DISPATCHED, S.RESOLVED),
    (S.ON_SCENE, S.RESOLVED),
    (S.RESOLVED, S.CLOSED),
}


@pytest.mark.parametrize("src", list(S))
@pytest.mark.parametrize("dst", list(S))
def test_every_transition_is_allowed_or_refused_as_the_machine_says(src: S, dst: S) -> None:
    if (src, dst) in ALLOWED:
        check_transition(src, dst)
    else:
        with pytest.raises(IllegalTransition) as err:
            check_transition(src, dst)
        assert src.value in err.value.message and dst.value in err.value.message


def test_closed_is_final_until_reopened() -> None:
    assert TRANSITIONS[S.CLOSED] == frozenset()


@pytest.mark.parametrize("bad", [-1, 5, "x", None])
def test_priority_code_must_be_0_to_4(bad: object) -> None:
    with pytest.raises(InvalidValue, match="112 code"):
        make(code=bad)


def test_unknown_category_is_refused() -> None:
    with pytest.raises(InvalidValue, match="category"):
        make(category="jaywalking")


@pytest.mark.parametrize("lat,lon", [(0, 0), (37.5, 140.0), (45.0, 127.0)])
def test_position_outside_korea_is_refused(lat: float, lon: float) -> None:
    with pytest.raises(InvalidValue, match="outside South Korea"):
        make(lat=lat, lon=lon)


def test_blank_or_long_titles_are_refused() -> None:
    with pytest.raises(InvalidValue):
        make(title="   ")
    with pytest.raises(InvalidValue):
        make(title="x" * 201)


def test_naive_creation_time_is_refused() -> None:
    with pytest.raises(InvalidValue, match="time zone"):
        make(created_at="2026-06-03T06:00:00")


def test_urgent_and_dispatching_codes() -> None:
    assert [c.urgent for c in PriorityCode] == [True, True, False, False, False]
    assert not PriorityCode.CODE_4.dispatches and PriorityCode.CODE_3.dispatches


def test_ack_limits_grow_with_the_code() -> None:
    limits = [ACK_LIMIT[c] for c in PriorityCode]
    assert limits == sorted(limits) and len(set(limits)) == len(limits)


@pytest.mark.parametrize("code", list(PriorityCode))
def test_incident_is_overdue_only_after_its_codes_limit_and_only_while_new(code: PriorityCode) -> None:
    inc = make(code=int(code))
    created = parse_time(inc.created_at)
    assert not inc.is_overdue(created + ACK_LIMIT[code])
    assert inc.is_overdue(created + ACK_LIMIT[code] + timedelta(seconds=1))
    inc.status = S.ACKNOWLEDGED
    assert not inc.is_overdue(created + ACK_LIMIT[code] + timedelta(hours=5))


@pytest.mark.parametrize("category", list(IncidentCategory))
def test_only_deepfake_and_cyber_are_routed_to_the_province(category: IncidentCategory) -> None:
    routed = route_for(category, "SEOUL")
    if category in (IncidentCategory.DEEPFAKE, IncidentCategory.CYBER_ATTACK):
        assert routed == "SEOUL"
    else:
        assert routed is None
